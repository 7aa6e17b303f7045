//! Session consistency: the newest write timestamp per (server, database, collection), shared by
//! every client of the process, so a Session read after a write always sees it.

use std::collections::HashMap;
use std::sync::{Mutex, OnceLock};

type Key = (String, String, String);

/// Beyond this many collections the oldest knowledge is dropped (reads then fall back to the
/// weakest Session guarantee, never to wrong data).
const MAX_ENTRIES: usize = 65_536;

fn table() -> &'static Mutex<HashMap<Key, u64>> {
    static TABLE: OnceLock<Mutex<HashMap<Key, u64>>> = OnceLock::new();
    TABLE.get_or_init(|| Mutex::new(HashMap::new()))
}

/// Records a write's timestamp; only ever moves forward.
pub fn record(server: &str, db: &str, collection: &str, ts: u64) {
    if ts == 0 {
        return;
    }
    if let Ok(mut t) = table().lock() {
        if t.len() >= MAX_ENTRIES {
            t.clear();
        }
        let e = t
            .entry((server.to_string(), db_key(db), collection.to_string()))
            .or_insert(0);
        *e = (*e).max(ts);
    }
}

/// The newest write timestamp known for the collection.
pub fn last_write(server: &str, db: &str, collection: &str) -> Option<u64> {
    let t = table().lock().ok()?;
    t.get(&(server.to_string(), db_key(db), collection.to_string()))
        .copied()
}

/// The current time as a Milvus hybrid timestamp (milliseconds above 18 logical bits).
pub fn now_ts() -> u64 {
    let ms = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default()
        .as_millis();
    (ms as u64) << 18
}

fn db_key(db: &str) -> String {
    if db.is_empty() {
        "default".to_string()
    } else {
        db.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn moves_forward_per_key() {
        record("s", "", "c", 10);
        record("s", "default", "c", 5);
        assert_eq!(last_write("s", "default", "c"), Some(10));
        assert_eq!(last_write("s", "", "c"), Some(10));
        assert_eq!(last_write("s", "other", "c"), None);
        assert_eq!(last_write("t", "", "c"), None);
        record("s", "", "c", 0);
        assert_eq!(last_write("s", "", "c"), Some(10));
    }
}
