//! What every Rust bench driver shares: the argument convention, CPU and RSS probes, the
//! query-vector file and the one-line JSON report (see benches/README.md).

use std::collections::HashMap;
use std::time::Instant;

/// `prog WORKLOAD URI TARGET key=value...`
pub struct Args {
    pub workload: String,
    pub uri: String,
    pub target: String,
    kv: HashMap<String, String>,
}

impl Args {
    pub fn parse() -> Args {
        let mut it = std::env::args().skip(1);
        let workload = it.next().unwrap_or_default();
        let uri = it.next().unwrap_or_default();
        let target = it.next().unwrap_or_default();
        let kv = it
            .filter_map(|a| {
                a.split_once('=')
                    .map(|(k, v)| (k.to_string(), v.to_string()))
            })
            .collect();
        Args {
            workload,
            uri,
            target,
            kv,
        }
    }
    pub fn num(&self, key: &str, default: usize) -> usize {
        self.kv
            .get(key)
            .and_then(|v| v.parse().ok())
            .unwrap_or(default)
    }
    pub fn str(&self, key: &str) -> String {
        self.kv.get(key).cloned().unwrap_or_default()
    }
}

/// User + system CPU seconds of this process so far.
pub fn cpu_seconds() -> f64 {
    // SAFETY: getrusage only writes the struct we pass.
    let mut ru: libc::rusage = unsafe { std::mem::zeroed() };
    // SAFETY: valid pointer to a zeroed rusage.
    unsafe { libc::getrusage(libc::RUSAGE_SELF, &mut ru) };
    let tv = |t: libc::timeval| t.tv_sec as f64 + t.tv_usec as f64 / 1e6;
    tv(ru.ru_utime) + tv(ru.ru_stime)
}

fn status_kb(key: &str) -> u64 {
    let s = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    s.lines()
        .find(|l| l.starts_with(key))
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|v| v.parse().ok())
        .unwrap_or(0)
}

/// Current RSS in KiB; resets the peak so `peak_rss_kb` measures from here.
pub fn rss_baseline_kb() -> u64 {
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    status_kb("VmRSS:")
}

pub fn peak_rss_kb() -> u64 {
    status_kb("VmHWM:")
}

/// float32 little-endian query vectors written by run.py.
pub fn read_queries(path: &str, dim: usize) -> Vec<Vec<f32>> {
    let raw = std::fs::read(path).unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    raw.chunks_exact(dim * 4)
        .map(|row| {
            row.chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()
        })
        .collect()
}

/// Deterministic pseudo-random floats in [0, 1) (xorshift), the same in every driver.
pub struct Rng(u64);
impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    pub fn next_f32(&mut self) -> f32 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 40) as f32 / (1u64 << 24) as f32
    }
}

pub fn tag(i: i64) -> String {
    format!("tag-{}", i % 1000)
}

/// p-th percentile (nearest rank) of latencies in µs.
pub fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted[rank.clamp(1, sorted.len()) - 1]
}

pub struct Meter {
    t0: Instant,
    c0: f64,
}
impl Meter {
    pub fn start() -> Meter {
        Meter {
            t0: Instant::now(),
            c0: cpu_seconds(),
        }
    }
    /// (wall seconds, cpu seconds) since start.
    pub fn stop(&self) -> (f64, f64) {
        (self.t0.elapsed().as_secs_f64(), cpu_seconds() - self.c0)
    }
}

pub fn report(v: serde_json::Value) {
    println!("{v}");
}

pub fn fail(msg: &str) -> ! {
    println!("{}", serde_json::json!({"ok": false, "error": msg}));
    std::process::exit(0)
}
