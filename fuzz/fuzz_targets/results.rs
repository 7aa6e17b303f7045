//! The result decoders: arbitrary bytes decoded as a SearchResults or QueryResults reply and
//! rendered to JSON as search / query / get return it. Must never panic; what it renders
//! must be valid JSON of the promised shape.
//!
//! Input: one byte (even: search, odd: query; the rest of that byte, for search, is
//! round_decimal - 1), then the protobuf reply.
#![no_main]

use libfuzzer_sys::fuzz_target;
use milvus::codec::results::{query_rows, search_hits};
use milvus::proto::milvus::{QueryResults, SearchResults};
use prost::Message;
use serde_json::Value;

fn json(out: &[u8]) -> Value {
    serde_json::from_slice(out).unwrap_or_else(|e| {
        panic!(
            "rendered invalid JSON ({e}): {}",
            String::from_utf8_lossy(out)
        )
    })
}

fuzz_target!(|data: &[u8]| {
    let [sel, reply @ ..] = data else { return };
    if sel % 2 == 0 {
        let Ok(r) = SearchResults::decode(reply) else {
            return;
        };
        let Some(res) = r.results else { return };
        let round_decimal = (sel / 2) as i64 - 1;
        if let Ok(out) = search_hits(&res, round_decimal) {
            let v = json(&out);
            let lists = v.as_array().expect("search renders a list of lists");
            assert_eq!(lists.len(), res.topks.len(), "one list per query");
        }
    } else {
        let Ok(r) = QueryResults::decode(reply) else {
            return;
        };
        for output_fields in [r.output_fields.clone(), Vec::new(), vec!["*".to_string()]] {
            if let Ok(out) = query_rows(&r.fields_data, &output_fields) {
                let v = json(&out);
                assert!(
                    v.as_array()
                        .is_some_and(|rows| rows.iter().all(Value::is_object)),
                    "query renders a list of objects"
                );
            }
        }
    }
});
