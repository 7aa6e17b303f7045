//! The library's log records captured in a test (through `milvus::log::set_sink`, the sink the
//! C callback uses). The sink is process-wide: one capture at a time, later ones wait.

use base64::Engine as _;
use milvus::log::{Filter, Record};
use std::sync::{Arc, Mutex, MutexGuard};

static ONE: Mutex<()> = Mutex::new(());

pub struct Capture {
    lines: Arc<Mutex<Vec<String>>>,
    _one: MutexGuard<'static, ()>,
}

impl Capture {
    /// Captures the records `filter` passes (`MILVUS_LOG` syntax) until dropped.
    pub fn start(filter: &str) -> Capture {
        let one = ONE.lock().unwrap_or_else(|e| e.into_inner());
        let lines = Arc::new(Mutex::new(Vec::new()));
        let sink = lines.clone();
        let filter = Filter::parse(filter).expect("a valid filter");
        milvus::log::set_sink(Some((
            filter,
            Box::new(move |r: &Record<'_>| {
                let line = format!(
                    "{} {} [{} {}] {}",
                    r.level,
                    r.target,
                    r.method.unwrap_or("-"),
                    r.call_id.unwrap_or("-"),
                    r.message
                );
                sink.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }),
        )))
        .expect("setting the sink");
        Capture { lines, _one: one }
    }

    /// Every record so far, as `LEVEL target [method call_id] message` (`-` for none).
    pub fn lines(&self) -> Vec<String> {
        self.lines.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    /// The first record that contains every one of `words`.
    pub fn find(&self, words: &[&str]) -> Option<String> {
        self.lines()
            .into_iter()
            .find(|l| words.iter().all(|w| l.contains(w)))
    }

    /// Like `find`, but panics with every record when there is none.
    pub fn expect(&self, words: &[&str]) -> String {
        self.find(words).unwrap_or_else(|| {
            panic!(
                "no log record with {words:?} among:\n{}",
                self.lines().join("\n")
            )
        })
    }
}

impl Drop for Capture {
    fn drop(&mut self) {
        let _ = milvus::log::set_sink(None);
    }
}

/// Panics if any line holds one of `secrets` (passwords, tokens, `user:password` pairs) or the
/// base64 of one (the `authorization` header is base64 of the token).
pub fn assert_no_secret(lines: &[String], secrets: &[&str]) {
    let b64 = |s: &str| {
        base64::engine::general_purpose::STANDARD
            .encode(s)
            .trim_end_matches('=')
            .to_string()
    };
    for s in secrets {
        for form in [s.to_string(), b64(s)] {
            for l in lines {
                assert!(
                    !l.contains(&form),
                    "a credential ({form}) is in a log record: {l}"
                );
            }
        }
    }
}
