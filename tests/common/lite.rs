//! A private Milvus Lite 2.5.1 for one test: on a port of its own (held for its whole life,
//! restarts included), to freeze with SIGSTOP, kill and start again. Never the shared servers.

use super::{listeners_on, reserve_port, unique, ReservedPort};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub struct Lite {
    pub child: Option<Child>,
    /// Held for the server's whole life, restarts included.
    pub port: ReservedPort,
    dir: PathBuf,
}

fn lite_lib() -> PathBuf {
    let lib = root().join(".venv/lib");
    for py in std::fs::read_dir(&lib).expect(".venv/lib").flatten() {
        let p = py.path().join("site-packages/milvus_lite/lib");
        if p.join("milvus").exists() {
            return p;
        }
    }
    panic!("milvus_lite not installed in .venv (run scripts/venv.sh)");
}

impl Lite {
    pub fn start() -> Lite {
        Lite::start_on(reserve_port())
    }

    /// On a port the caller reserved.
    pub fn start_on(port: ReservedPort) -> Lite {
        let dir = std::env::temp_dir().join(unique("libmilvus-lite"));
        std::fs::create_dir_all(&dir).unwrap();
        let mut l = Lite {
            child: None,
            port,
            dir,
        };
        l.launch();
        l
    }

    pub fn launch(&mut self) {
        let lib = lite_lib();
        let child = Command::new(lib.join("milvus"))
            .arg(self.dir.join("milvus.db"))
            .arg(format!("127.0.0.1:{}", self.port.port))
            .arg("ERROR")
            .env("LD_LIBRARY_PATH", &lib)
            .env("HOME", &self.dir)
            .current_dir(&self.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("starting Milvus Lite");
        self.child = Some(child);
        let t = Instant::now();
        while TcpStream::connect(("127.0.0.1", self.port.port)).is_err() {
            assert!(t.elapsed() < Duration::from_secs(30), "Lite did not start");
            std::thread::sleep(Duration::from_millis(20));
        }
        // Another listener on the port would take some of this client's connections.
        assert_eq!(
            listeners_on(self.port.port),
            1,
            "port {} has another listener besides this test's Lite",
            self.port.port
        );
    }

    pub fn uri(&self) -> String {
        format!("http://127.0.0.1:{}", self.port.port)
    }

    pub fn signal(&self, sig: &str) {
        let pid = self.child.as_ref().unwrap().id().to_string();
        assert!(Command::new("kill")
            .args([sig, &pid])
            .status()
            .unwrap()
            .success());
        if sig == "-STOP" {
            // kill returns once the signal is sent; each thread stops on its own afterwards.
            let t = Instant::now();
            while !all_threads_stopped(&pid) {
                assert!(t.elapsed() < Duration::from_secs(5), "Lite did not stop");
                std::thread::sleep(Duration::from_millis(2));
            }
        }
    }

    pub fn kill(&mut self) {
        if let Some(mut c) = self.child.take() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

impl Drop for Lite {
    fn drop(&mut self) {
        if let Some(c) = &self.child {
            let _ = Command::new("kill")
                .args(["-CONT", &c.id().to_string()])
                .status();
        }
        self.kill();
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Whether every thread of process `pid` is stopped (state T in /proc).
fn all_threads_stopped(pid: &str) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return false;
    };
    tasks.flatten().all(|t| {
        std::fs::read_to_string(t.path().join("stat")).is_ok_and(|stat| {
            // The state follows the parenthesised command name.
            stat.rsplit_once(')')
                .is_some_and(|(_, rest)| rest.trim_start().starts_with(['T', 't']))
        })
    })
}
