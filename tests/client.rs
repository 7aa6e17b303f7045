//! The client against the three test servers (Milvus 2.3.5 standalone, Milvus Lite 2.5.1 and
//! Milvus Lite 3.2.2).

mod common;
use common::*;
use milvus::ErrorKind;
use serde_json::{json, Value};

#[test]
fn quick_setup_insert_search_query_get_delete() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("qs");
        match (label, call(&c, m::get_server_version, json!({}))) {
            ("standalone", Ok(v)) => assert!(v.as_str().unwrap().starts_with("v2.3.5"), "{v}"),
            // Milvus Lite 2.5.1 has no GetVersion RPC and reports no version at Connect.
            ("lite", Err(e)) => assert_eq!(e.kind, ErrorKind::Unimplemented, "{e}"),
            // Lite 3.2.2 names itself, not the Milvus version it follows.
            ("lite3", Ok(v)) => assert_eq!(v, json!("milvus_lite-3.2.2")),
            (l, other) => panic!("{l}: {other:?}"),
        }
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 4, "metric_type": "L2"}),
        )
        .unwrap();
        assert_eq!(
            call(&c, m::has_collection, json!({"collection_name": name})).unwrap(),
            json!(true),
            "{label}"
        );
        let list = call(&c, m::list_collections, json!({})).unwrap();
        assert!(
            list.as_array().unwrap().contains(&json!(name)),
            "{label}: {list}"
        );

        let rows: Vec<Value> = (0..100)
            .map(|i| json!({"id": i, "vector": [i as f32 * 0.1, 0.25, -1.5, 1e-3], "color": format!("c{}", i % 3)}))
            .collect();
        let r = call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        assert_eq!(r["insert_count"], json!(100), "{label}: {r}");
        assert_eq!(r["ids"].as_array().unwrap().len(), 100);

        let hits = call(
            &c,
            m::search,
            json!({"collection_name": name, "data": [[0.5, 0.25, -1.5, 1e-3], [9.9, 0.25, -1.5, 1e-3]], "limit": 3,
                   "output_fields": ["color", "vector"], "consistency_level": "Strong"}),
        )
        .unwrap();
        let q0 = hits[0].as_array().unwrap();
        assert_eq!(hits.as_array().unwrap().len(), 2, "{label}: {hits}");
        assert_eq!(q0.len(), 3);
        assert_eq!(q0[0]["id"], json!(5), "{label}: {hits}");
        assert_eq!(q0[0]["distance"].as_f64().unwrap(), 0.0);
        assert_eq!(q0[0]["entity"]["color"], json!("c2"));
        let v: Vec<f32> = serde_json::from_value(q0[0]["entity"]["vector"].clone()).unwrap();
        assert_eq!(
            v.iter().map(|x| x.to_bits()).collect::<Vec<_>>(),
            [0.5f32, 0.25, -1.5, 1e-3].map(f32::to_bits)
        );
        assert_eq!(hits[1][0]["id"], json!(99), "{label}: {hits}");

        let rows = call(&c, m::query, json!({"collection_name": name, "filter": "id < 3", "output_fields": ["id", "color"], "consistency_level": "Strong"})).unwrap();
        let mut ids: Vec<i64> = rows
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["id"].as_i64().unwrap())
            .collect();
        ids.sort();
        assert_eq!(ids, [0, 1, 2], "{label}: {rows}");
        let count = call(&c, m::query, json!({"collection_name": name, "output_fields": ["count(*)"], "consistency_level": "Strong"})).unwrap();
        assert_eq!(count, json!([{"count(*)": 100}]), "{label}");

        let got = call(&c, m::get, json!({"collection_name": name, "ids": [7]})).unwrap();
        assert_eq!(got[0]["id"], json!(7), "{label}: {got}");
        assert_eq!(got[0]["color"], json!("c1"));
        let v: Vec<f32> = serde_json::from_value(got[0]["vector"].clone()).unwrap();
        assert_eq!(v[0].to_bits(), (7f32 * 0.1).to_bits());

        let d = call(
            &c,
            m::delete,
            json!({"collection_name": name, "ids": [1, 2]}),
        )
        .unwrap();
        assert_eq!(d["delete_count"], json!(2), "{label}: {d}");
        let d = call(
            &c,
            m::delete,
            json!({"collection_name": name, "filter": "id >= 90"}),
        )
        .unwrap();
        assert!(d["delete_count"].is_number(), "{label}: {d}");
        let count = call(&c, m::query, json!({"collection_name": name, "output_fields": ["count(*)"], "consistency_level": "Strong"})).unwrap();
        assert_eq!(count, json!([{"count(*)": 88}]), "{label}");

        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
        assert_eq!(
            call(&c, m::has_collection, json!({"collection_name": name})).unwrap(),
            json!(false)
        );
    }
}

#[test]
fn errors_name_their_cause() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let e = call(
            &c,
            m::describe_collection,
            json!({"collection_name": "no_such_collection_xyz"}),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
        let e = call(
            &c,
            m::insert,
            json!({"collection_name": "no_such_collection_xyz", "data": [{"id": 1}]}),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
        let e = m::has_collection(&c, "{\"collection_name\": ").unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidJson);
        let e = call(
            &c,
            m::has_collection,
            json!({"collection_name": "x", "colour": 1}),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument);
        assert!(e.message.contains("colour"), "{}", e.message);
    }
}

/// A Session read sees the writes made before it, by this client or any other client of the
/// process, from several threads at once.
#[test]
fn session_reads_see_earlier_writes() {
    for (label, uri) in servers() {
        let writer = connect(&uri);
        let reader = connect(&uri);
        let name = unique("session");
        call(
            &writer,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2, "consistency_level": "Bounded"}),
        )
        .unwrap();
        std::thread::scope(|s| {
            for t in 0..4i64 {
                let (writer, reader, name) = (&writer, &reader, &name);
                s.spawn(move || {
                    for i in 0..5i64 {
                        let id = t * 100 + i;
                        call(writer, m::insert, json!({"collection_name": name, "data": [{"id": id, "vector": [1.0, 0.5]}]})).unwrap();
                        let got = call(reader, m::query, json!({"collection_name": name, "filter": format!("id == {id}"), "output_fields": ["id"], "consistency_level": "Session"})).unwrap();
                        assert_eq!(got, json!([{"id": id}]), "{label}: the write of {id} is visible");
                    }
                });
            }
        });
        let d = call(
            &writer,
            m::delete,
            json!({"collection_name": name, "filter": "id >= 0"}),
        )
        .unwrap();
        assert!(d["delete_count"].is_number());
        let left = call(&reader, m::query, json!({"collection_name": name, "filter": "id >= 0", "output_fields": ["count(*)"], "consistency_level": "Session"})).unwrap();
        assert_eq!(
            left,
            json!([{"count(*)": 0}]),
            "{label}: the delete is visible"
        );
        call(
            &writer,
            m::drop_collection,
            json!({"collection_name": name}),
        )
        .unwrap();
    }
}

#[test]
fn upsert_replaces_by_primary_key() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("upsert");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2}),
        )
        .unwrap();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": [{"id": 1, "vector": [1, 0], "tag": "old"}]}),
        )
        .unwrap();
        let r = call(&c, m::upsert, json!({"collection_name": name, "data": [{"id": 1, "vector": [0, 1], "tag": "new"}, {"id": 2, "vector": [1, 1], "tag": "two"}]})).unwrap();
        assert_eq!(r["upsert_count"], json!(2), "{label}: {r}");
        assert_eq!(r["ids"], json!([1, 2]), "{label}: {r}");
        let got = call(&c, m::query, json!({"collection_name": name, "filter": "id > 0", "output_fields": ["id", "tag", "vector"], "consistency_level": "Strong"})).unwrap();
        let mut got = got.as_array().unwrap().clone();
        got.sort_by_key(|r| r["id"].as_i64());
        assert_eq!(
            got,
            vec![
                json!({"id": 1, "tag": "new", "vector": [0.0, 1.0]}),
                json!({"id": 2, "tag": "two", "vector": [1.0, 1.0]})
            ],
            "{label}"
        );
        if label == "lite3" {
            // Milvus Lite 3.2.2 merges every upsert into the stored row: a field left out keeps
            // its old value (Milvus replaces the whole row).
            call(
                &c,
                m::upsert,
                json!({"collection_name": name, "data": [{"id": 2, "vector": [2, 2]}]}),
            )
            .unwrap();
            let got = call(&c, m::query, json!({"collection_name": name, "filter": "id == 2", "output_fields": ["tag", "vector"], "consistency_level": "Strong"})).unwrap();
            assert_eq!(
                got,
                json!([{"id": 2, "tag": "two", "vector": [2.0, 2.0]}]),
                "{label}"
            );
        }
        // Partial updates are Milvus 2.6+: refused before anything is sent to these servers
        // (2.3.5 reports an older version, the Lites none), so no stored field can be lost.
        let partial = json!({"collection_name": name, "data": [{"id": 1, "tag": "partial"}], "partial_update": true});
        let e = call(&c, m::upsert, partial).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Unimplemented, "{label}: {e}");
        let bad = json!({"collection_name": name, "data": [{"id": 3, "vector": [0, 0]}], "partial_update": true});
        assert_eq!(
            call(&c, m::insert, bad).unwrap_err().kind,
            ErrorKind::InvalidArgument,
            "{label}"
        );
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

/// hybrid_search (Milvus 2.4+) on both Lites; Milvus 2.3.5 answers UNIMPLEMENTED. Group-by
/// search (2.4+) on both Lites too.
#[test]
fn hybrid_and_grouped_search() {
    fn hybrid(c: &milvus::Client, a: &str) -> milvus::Result<Vec<u8>> {
        block(milvus::api::hybrid_search(c, a))
    }
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("hybrid");
        let two_vectors = label != "standalone";
        let mut fields = vec![
            json!({"name": "id", "type": "INT64", "is_primary": true}),
            json!({"name": "kind", "type": "INT64"}),
            json!({"name": "a", "type": "FLOAT_VECTOR", "dim": 2}),
        ];
        if two_vectors {
            fields.push(json!({"name": "b", "type": "FLOAT_VECTOR", "dim": 2}));
        }
        let mut index = vec![json!({"field_name": "a", "index_type": "FLAT", "metric_type": "L2"})];
        if two_vectors {
            index.push(json!({"field_name": "b", "index_type": "FLAT", "metric_type": "L2"}));
        }
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "schema": {"fields": fields}, "index_params": index}),
        )
        .unwrap();
        let rows: Vec<Value> = (0..30)
            .map(|i| {
                let mut r = json!({"id": i, "kind": i % 3, "a": [i as f32, 0.0]});
                if two_vectors {
                    r["b"] = json!([0.0, (29 - i) as f32]);
                }
                r
            })
            .collect();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        let reqs = json!([
            {"data": [[10.0, 0.0]], "anns_field": "a", "param": {"metric_type": "L2"}, "limit": 5},
            {"data": [[0.0, 19.0]], "anns_field": "b", "param": {"metric_type": "L2"}, "limit": 5, "expr": "id < 20"}]);
        let args = json!({"collection_name": name, "reqs": reqs, "ranker": {"strategy": "rrf", "params": {"k": 60}},
                          "limit": 3, "output_fields": ["kind"], "consistency_level": "Strong"});
        if !two_vectors {
            let e = call(&c, hybrid, args).unwrap_err();
            assert_eq!(e.kind, ErrorKind::Unimplemented, "{label}: {e}");
        } else {
            // Row 10 is nearest in both "a" (10,0) and "b" (0,19): it ranks first under RRF.
            let hits = call(&c, hybrid, args).unwrap();
            assert_eq!(hits[0].as_array().unwrap().len(), 3, "{label}: {hits}");
            assert_eq!(hits[0][0]["id"], json!(10), "{label}: {hits}");
            assert_eq!(hits[0][0]["entity"]["kind"], json!(1), "{label}: {hits}");
            // First in both lists: 1/(60+1) twice.
            let score = hits[0][0]["distance"].as_f64().unwrap();
            assert!((score - 2.0 / 61.0).abs() < 1e-6, "{label}: {hits}");
            // Without params RRF's k is 60, as in pymilvus's RRFRanker (Milvus 2.5 itself
            // refuses an RRF ranker without k).
            let default_k = json!({"collection_name": name, "reqs": reqs, "ranker": {"strategy": "rrf"},
                                   "limit": 1, "consistency_level": "Strong"});
            let hits = call(&c, hybrid, default_k).unwrap();
            assert_eq!(hits[0][0]["id"], json!(10), "{label}: {hits}");
            let score = hits[0][0]["distance"].as_f64().unwrap();
            assert!((score - 2.0 / 61.0).abs() < 1e-6, "{label}: {hits}");
            let weighted = json!({"collection_name": name, "reqs": reqs, "limit": 2, "consistency_level": "Strong",
                                  "ranker": {"strategy": "weighted", "params": {"weights": [1.0, 0.0]}}});
            let hits = call(&c, hybrid, weighted).unwrap();
            assert_eq!(
                hits[0][0]["id"],
                json!(10),
                "{label}: all weight on \"a\": {hits}"
            );
            if label == "lite3" {
                // Normalised L2 scores (1 - 2·atan(d)/π): d = 0 gives 1, d = 1 gives 0.5. Lite
                // 3.2.2 weighs raw distances unless the request asks for norm_score.
                let scores: Vec<f64> = hits[0]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|h| h["distance"].as_f64().unwrap())
                    .collect();
                assert_eq!(scores, [1.0, 0.5], "{label}: {hits}");
            }
            let bad = json!({"collection_name": name, "reqs": reqs, "ranker": {"strategy": "weighted", "params": {"weights": [1.0]}}});
            assert_eq!(
                call(&c, hybrid, bad).unwrap_err().kind,
                ErrorKind::InvalidArgument
            );
            let grouped = call(
                &c,
                m::search,
                json!({"collection_name": name, "data": [[10.0, 0.0]], "anns_field": "a", "limit": 3, "group_by_field": "kind",
                       "output_fields": ["kind"], "consistency_level": "Strong"}),
            )
            .unwrap();
            let mut kinds: Vec<i64> = grouped[0]
                .as_array()
                .unwrap()
                .iter()
                .map(|h| h["entity"]["kind"].as_i64().unwrap())
                .collect();
            kinds.sort();
            assert_eq!(kinds, [0, 1, 2], "{label}: one hit per group: {grouped}");
        }
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

/// filter_params (filter templates, Milvus 2.5+): no test server evaluates them (Milvus Lite
/// 3.2.2 too parses the template text as the filter), so the test asserts each server's
/// refusal; the encoding is unit-tested in codec::expr.
#[test]
fn filter_templates_are_sent_and_refused_by_older_servers() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("tmpl");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2}),
        )
        .unwrap();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": [{"id": 1, "vector": [1, 0]}]}),
        )
        .unwrap();
        let e = call(&c, m::query, json!({"collection_name": name, "filter": "id in {ids}", "filter_params": {"ids": [1]}, "consistency_level": "Strong"})).unwrap_err();
        assert_eq!(e.kind, ErrorKind::Server, "{label}: {e}");
        if label == "lite3" {
            assert!(
                e.message.contains("unexpected character '{'"),
                "{label}: {e}"
            );
        }
        let e = call(&c, m::query, json!({"collection_name": name, "filter": "id in {ids}", "filter_params": {"ids": {"x": 1}}})).unwrap_err();
        assert_eq!(
            e.kind,
            ErrorKind::InvalidArgument,
            "{label}: checked before sending"
        );
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

/// RunAnalyzer (2.5.11+): no test server has it (Milvus Lite 3.2.2 neither): the exact refusal
/// is asserted.
#[test]
fn run_analyzer_is_refused_by_older_servers() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let r = call(
            &c,
            |c, a| block(milvus::api::run_analyzer(c, a)),
            json!({"texts": ["hello world"], "analyzer_params": {"tokenizer": "standard"}}),
        );
        assert_eq!(r.unwrap_err().kind, ErrorKind::Unimplemented, "{label}");
        let e = call(
            &c,
            |c, a| block(milvus::api::run_analyzer(c, a)),
            json!({"texts": 5}),
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{label}");
    }
}

/// Search by primary keys (the `ids` search input, 2.6) is newer than the test servers (Milvus
/// Lite 3.2.2 has no such input either): their refusal is asserted; argument errors are caught
/// before sending.
#[test]
fn search_by_primary_keys_is_refused_by_older_servers() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("byid");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2}),
        )
        .unwrap();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": [{"id": 1, "vector": [1, 0]}]}),
        )
        .unwrap();
        // Milvus 2.3.5 would drop the unknown input and answer with no hits: its reported
        // version makes the client refuse; the Lites (no version) refuse it themselves.
        let e = call(
            &c,
            m::search,
            json!({"collection_name": name, "ids": [1], "limit": 1}),
        )
        .unwrap_err();
        let want = if label == "standalone" {
            ErrorKind::Unimplemented
        } else {
            ErrorKind::Server
        };
        assert_eq!(e.kind, want, "{label}: {e}");
        if label == "lite3" {
            assert!(
                e.message.contains("missing placeholder_group"),
                "{label}: {e}"
            );
        }
        for bad in [
            json!({"collection_name": name, "ids": ["x"]}),
            json!({"collection_name": name, "ids": [1], "data": [[1, 0]]}),
            json!({"collection_name": name, "ids": []}),
        ] {
            assert_eq!(
                call(&c, m::search, bad.clone()).unwrap_err().kind,
                ErrorKind::InvalidArgument,
                "{label}: {bad}"
            );
        }
        assert_eq!(
            call(&c, m::search, json!({"collection_name": name}))
                .unwrap_err()
                .kind,
            ErrorKind::MissingField
        );
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}

/// ignore_growing leaves out rows not yet sealed into a segment (Milvus 2.3.5); both Lites
/// ignore it.
#[test]
fn ignore_growing_skips_unflushed_rows() {
    for (label, uri) in servers() {
        let c = connect(&uri);
        let name = unique("growing");
        call(
            &c,
            m::create_collection,
            json!({"collection_name": name, "dimension": 2}),
        )
        .unwrap();
        let rows: Vec<Value> = (0..10)
            .map(|i| json!({"id": i, "vector": [1.0, i as f32]}))
            .collect();
        call(
            &c,
            m::insert,
            json!({"collection_name": name, "data": rows}),
        )
        .unwrap();
        let q = |ignore: bool| {
            call(&c, m::query, json!({"collection_name": name, "filter": "id >= 0", "output_fields": ["id"], "ignore_growing": ignore, "consistency_level": "Strong"}))
                .unwrap()
                .as_array()
                .unwrap()
                .len()
        };
        let s = |ignore: bool| {
            call(&c, m::search, json!({"collection_name": name, "data": [[1.0, 0.0]], "limit": 5, "ignore_growing": ignore, "consistency_level": "Strong"}))
                .unwrap()[0]
                .as_array()
                .unwrap()
                .len()
        };
        assert_eq!((q(false), s(false)), (10, 5), "{label}");
        // Milvus Lite 2.5.1 has no growing segments: every row is searchable storage at once.
        // Lite 3.2.2 keeps new rows in memory but reads no ignore_growing.
        let want = if label == "standalone" {
            (0, 0)
        } else {
            (10, 5)
        };
        assert_eq!((q(true), s(true)), want, "{label}");
        call(&c, m::drop_collection, json!({"collection_name": name})).unwrap();
    }
}
