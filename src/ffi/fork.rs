//! Noticing a fork when it happens, so that calls need not ask `getpid` each time.

use crate::runtime;

#[cfg(unix)]
extern "C" fn in_child() {
    runtime::note_fork();
}

/// Registers the fork hook once per process (before the runtime exists, when called from the
/// first connect; later, calls keep checking the process id).
pub(crate) fn watch() {
    #[cfg(unix)]
    {
        static ONCE: std::sync::Once = std::sync::Once::new();
        ONCE.call_once(|| {
            // SAFETY: registers only a child handler, which does one atomic store
            // (async-signal-safe, as a handler run after fork must be).
            if unsafe { libc::pthread_atfork(None, None, Some(in_child)) } == 0 {
                runtime::fork_hook_installed();
            }
        });
    }
}
