//! Databases, aliases and partitions against the three test servers (Milvus 2.3.5 standalone,
//! Milvus Lite 2.5.1 and Milvus Lite 3.2.2), each test on the servers its name says (found by
//! label, so MILVUS_TEST_SERVERS can leave any out). Milvus 2.3.5 has no DescribeDatabase /
//! AlterDatabase; Milvus Lite 2.5.1 has none of the database, alias and partition RPCs: there
//! the tests assert the exact UNIMPLEMENTED answer. Milvus Lite 3.2.2 has them all but partial
//! loading (LoadPartitions / ReleasePartitions).

mod common;
use common::*;
use milvus::{api, Client, ErrorKind};
use serde_json::{json, Value};

macro_rules! ns_method {
    ($($name:ident),*) => {$(
        pub fn $name(c: &Client, args: &str) -> milvus::Result<Vec<u8>> {
            block(api::$name(c, args))
        }
    )*};
}

mod n {
    use super::*;
    ns_method!(
        create_database,
        drop_database,
        list_databases,
        describe_database,
        alter_database_properties,
        drop_database_properties,
        use_database,
        using_database,
        create_alias,
        drop_alias,
        alter_alias,
        describe_alias,
        list_aliases,
        create_partition,
        drop_partition,
        has_partition,
        list_partitions,
        load_partitions,
        release_partitions,
        get_partition_stats
    );
}

type Method = fn(&Client, &str) -> milvus::Result<Vec<u8>>;

/// The call fails with gRPC UNIMPLEMENTED (the server lacks the RPC).
#[track_caller]
fn assert_unimplemented(label: &str, c: &Client, f: Method, args: Value) {
    match call(c, f, args.clone()) {
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::Unimplemented, "{label} {args}: {e}");
            assert_eq!(e.grpc_code, 12, "{label} {args}: {e}");
        }
        Ok(v) => panic!("{label} {args}: expected UNIMPLEMENTED, got {v}"),
    }
}

fn names(v: &Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap_or_else(|_| panic!("a list of names: {v}"))
}

fn count(c: &Client, collection: &str, partitions: &[&str]) -> milvus::Result<i64> {
    let r = call(
        c,
        m::query,
        json!({"collection_name": collection, "partition_names": partitions,
               "output_fields": ["count(*)"], "consistency_level": "Strong"}),
    )?;
    Ok(r[0]["count(*)"].as_i64().unwrap())
}

fn ids(c: &Client, collection: &str) -> Vec<i64> {
    let r = call(
        c,
        m::query,
        json!({"collection_name": collection, "filter": "id >= 0", "output_fields": ["id"],
               "consistency_level": "Strong"}),
    )
    .unwrap();
    let mut ids: Vec<i64> = r
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["id"].as_i64().unwrap())
        .collect();
    ids.sort();
    ids
}

fn quick_collection(c: &Client, name: &str) {
    call(
        c,
        m::create_collection,
        json!({"collection_name": name, "dimension": 2}),
    )
    .unwrap();
}

fn rows(ids: std::ops::Range<i64>) -> Value {
    ids.map(|i| json!({"id": i, "vector": [i as f32, 1.0]}))
        .collect()
}

#[test]
fn databases_on_standalone() {
    let label = "standalone";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let db = unique("ns_db");
    let col = unique("ns_dbcol");

    // Milvus 2.3.5's CreateDatabaseRequest has no properties: they are accepted and dropped,
    // and it has no DescribeDatabase to read them back.
    call(
        &c,
        n::create_database,
        json!({"db_name": db, "properties": {"database.replica.number": 1}}),
    )
    .unwrap();
    let list = names(&call(&c, n::list_databases, json!({})).unwrap());
    assert!(list.contains(&db), "{label}: {list:?}");
    assert!(list.contains(&"default".to_string()), "{label}: {list:?}");
    let e = call(&c, n::create_database, json!({"db_name": db})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{label}: {e}");

    assert_unimplemented(label, &c, n::describe_database, json!({"db_name": db}));
    assert_unimplemented(
        label,
        &c,
        n::alter_database_properties,
        json!({"db_name": db, "properties": {"database.max.collections": 7}}),
    );
    assert_unimplemented(
        label,
        &c,
        n::drop_database_properties,
        json!({"db_name": db, "property_keys": ["database.max.collections"]}),
    );

    // use_database: DescribeDatabase is UNIMPLEMENTED here, so the ListDatabases fallback runs.
    let e = call(&c, n::use_database, json!({"db_name": "ns_no_such_db"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DatabaseNotFound, "{label}: {e}");
    assert_eq!(c.db_name(), "");
    assert_eq!(
        call(&c, n::use_database, json!({"db_name": db})).unwrap(),
        Value::Null
    );
    assert_eq!(c.db_name(), db);
    quick_collection(&c, &col);
    let in_db = names(&call(&c, m::list_collections, json!({})).unwrap());
    assert_eq!(
        in_db,
        std::slice::from_ref(&col),
        "{label}: a fresh database holds only {col}"
    );
    let other = connect(&uri);
    let in_default = names(&call(&other, m::list_collections, json!({})).unwrap());
    assert!(!in_default.contains(&col), "{label}: {in_default:?}");

    // using_database is the deprecated spelling of the same switch.
    call(&c, n::using_database, json!({"db_name": "default"})).unwrap();
    assert_eq!(c.db_name(), "default");
    let in_default = names(&call(&c, m::list_collections, json!({})).unwrap());
    assert!(!in_default.contains(&col), "{label}: {in_default:?}");

    // A database holding a collection cannot be dropped.
    let e = call(&c, n::drop_database, json!({"db_name": db})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{label}: {e}");
    call(&c, n::use_database, json!({"db_name": db})).unwrap();
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
    call(&c, n::use_database, json!({"db_name": "default"})).unwrap();
    call(&c, n::drop_database, json!({"db_name": db})).unwrap();
    let list = names(&call(&c, n::list_databases, json!({})).unwrap());
    assert!(!list.contains(&db), "{label}: {list:?}");
    let e = call(&c, n::use_database, json!({"db_name": db})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::DatabaseNotFound, "{label}: {e}");
}

#[test]
fn databases_on_lite() {
    let label = "lite";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let db = unique("ns_db");
    assert_unimplemented(label, &c, n::create_database, json!({"db_name": db}));
    assert_unimplemented(label, &c, n::list_databases, json!({}));
    assert_unimplemented(
        label,
        &c,
        n::describe_database,
        json!({"db_name": "default"}),
    );
    assert_unimplemented(
        label,
        &c,
        n::alter_database_properties,
        json!({"db_name": "default", "properties": {"database.max.collections": 7}}),
    );
    assert_unimplemented(
        label,
        &c,
        n::drop_database_properties,
        json!({"db_name": "default", "property_keys": ["database.max.collections"]}),
    );
    assert_unimplemented(label, &c, n::drop_database, json!({"db_name": db}));
    // Neither DescribeDatabase nor its ListDatabases fallback exist: the client stays put.
    assert_unimplemented(label, &c, n::use_database, json!({"db_name": "default"}));
    assert_unimplemented(label, &c, n::using_database, json!({"db_name": "default"}));
    assert_eq!(c.db_name(), "");
}

#[test]
fn databases_on_lite3() {
    let label = "lite3";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let db = unique("ns_db");
    let col = unique("ns_dbcol");
    // Milvus Lite 3.2.2 answers a database that is missing or already there with code 6 (Milvus:
    // 800 database not found, 65535 already exists).
    let refused = |e: milvus::Error, what: &str| {
        assert_eq!(
            (e.kind, e.server_code),
            (ErrorKind::Server, 6),
            "{label}: {e}"
        );
        assert!(e.message.contains(what), "{label}: {e}");
    };

    call(
        &c,
        n::create_database,
        json!({"db_name": db, "properties": {"database.replica.number": 1}}),
    )
    .unwrap();
    let list = names(&call(&c, n::list_databases, json!({})).unwrap());
    assert!(list.contains(&db), "{label}: {list:?}");
    assert!(list.contains(&"default".to_string()), "{label}: {list:?}");
    refused(
        call(&c, n::create_database, json!({"db_name": db})).unwrap_err(),
        "already exists",
    );

    // Properties are kept as text, set and removed key by key.
    let describe = || call(&c, n::describe_database, json!({"db_name": db})).unwrap();
    assert_eq!(
        describe(),
        json!({"name": db, "database.replica.number": "1"}),
        "{label}"
    );
    call(
        &c,
        n::alter_database_properties,
        json!({"db_name": db, "properties": {"database.max.collections": 7}}),
    )
    .unwrap();
    assert_eq!(
        describe(),
        json!({"name": db, "database.replica.number": "1", "database.max.collections": "7"}),
        "{label}"
    );
    call(
        &c,
        n::drop_database_properties,
        json!({"db_name": db, "property_keys": ["database.max.collections"]}),
    )
    .unwrap();
    assert_eq!(
        describe(),
        json!({"name": db, "database.replica.number": "1"}),
        "{label}"
    );
    refused(
        call(
            &c,
            n::describe_database,
            json!({"db_name": "ns_no_such_db"}),
        )
        .unwrap_err(),
        "does not exist",
    );

    // use_database checks through DescribeDatabase and stays put on a refusal.
    refused(
        call(&c, n::use_database, json!({"db_name": "ns_no_such_db"})).unwrap_err(),
        "does not exist",
    );
    assert_eq!(c.db_name(), "");
    assert_eq!(
        call(&c, n::use_database, json!({"db_name": db})).unwrap(),
        Value::Null
    );
    assert_eq!(c.db_name(), db);
    quick_collection(&c, &col);
    call(
        &c,
        m::insert,
        json!({"collection_name": col, "data": rows(0..2)}),
    )
    .unwrap();
    let in_db = names(&call(&c, m::list_collections, json!({})).unwrap());
    assert_eq!(
        in_db,
        std::slice::from_ref(&col),
        "{label}: a fresh database holds only {col}"
    );
    // The same name in the default database is another collection.
    let other = connect(&uri);
    assert!(
        !names(&call(&other, m::list_collections, json!({})).unwrap()).contains(&col),
        "{label}"
    );
    quick_collection(&other, &col);
    call(
        &other,
        m::insert,
        json!({"collection_name": col, "data": rows(5..10)}),
    )
    .unwrap();
    assert_eq!(ids(&c, &col), [0, 1], "{label}: in {db}");
    assert_eq!(ids(&other, &col), [5, 6, 7, 8, 9], "{label}: in default");

    call(&c, n::using_database, json!({"db_name": "default"})).unwrap();
    assert_eq!(c.db_name(), "default");
    assert_eq!(ids(&c, &col), [5, 6, 7, 8, 9], "{label}: back in default");
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();

    // A database holding a collection cannot be dropped.
    refused(
        call(&c, n::drop_database, json!({"db_name": db})).unwrap_err(),
        "is not empty",
    );
    call(&c, n::use_database, json!({"db_name": db})).unwrap();
    assert_eq!(
        ids(&c, &col),
        [0, 1],
        "{label}: untouched by the drop in default"
    );
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
    call(&c, n::use_database, json!({"db_name": "default"})).unwrap();
    call(&c, n::drop_database, json!({"db_name": db})).unwrap();
    let list = names(&call(&c, n::list_databases, json!({})).unwrap());
    assert!(!list.contains(&db), "{label}: {list:?}");
    refused(
        call(&c, n::use_database, json!({"db_name": db})).unwrap_err(),
        "does not exist",
    );
}

#[test]
fn aliases_on_standalone_and_lite3() {
    for (label, uri) in servers() {
        if label != "lite" {
            aliases_on(label, &uri);
        }
    }
}

fn aliases_on(label: &str, uri: &str) {
    let c = connect(uri);
    let a = unique("ns_ala");
    let b = unique("ns_alb");
    let alias = unique("ns_alias");
    quick_collection(&c, &a);
    quick_collection(&c, &b);
    call(
        &c,
        m::insert,
        json!({"collection_name": a, "data": rows(1..2)}),
    )
    .unwrap();
    call(
        &c,
        m::insert,
        json!({"collection_name": b, "data": rows(2..4)}),
    )
    .unwrap();

    let r = call(
        &c,
        n::create_alias,
        json!({"collection_name": a, "alias": alias}),
    )
    .unwrap();
    assert_eq!(r, Value::Null);
    assert_eq!(
        call(&c, n::describe_alias, json!({"alias": alias})).unwrap(),
        json!({"alias": alias, "collection_name": a}),
        "{label}"
    );
    // Milvus 2.3.5 names neither the collection nor the database in ListAliases' reply;
    // Milvus Lite 3.2.2 names the collection.
    let listed = |col: &str, aliases: Value| {
        if label == "lite3" {
            json!({"aliases": aliases, "collection_name": col})
        } else {
            json!({"aliases": aliases})
        }
    };
    assert_eq!(
        call(&c, n::list_aliases, json!({"collection_name": a})).unwrap(),
        listed(&a, json!([alias])),
        "{label}"
    );
    assert_eq!(
        call(&c, n::list_aliases, json!({"collection_name": b})).unwrap(),
        listed(&b, json!([])),
        "{label}"
    );
    let all = call(&c, n::list_aliases, json!({})).unwrap();
    assert!(names(&all["aliases"]).contains(&alias), "{label}: {all}");
    assert_eq!(ids(&c, &alias), [1], "{label}: a query through the alias");
    let e = call(
        &c,
        n::create_alias,
        json!({"collection_name": b, "alias": alias}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{label}: {e}");

    call(
        &c,
        n::alter_alias,
        json!({"collection_name": b, "alias": alias}),
    )
    .unwrap();
    assert_eq!(
        call(&c, n::describe_alias, json!({"alias": alias})).unwrap(),
        json!({"alias": alias, "collection_name": b}),
        "{label}"
    );
    assert_eq!(
        call(&c, n::list_aliases, json!({"collection_name": a})).unwrap(),
        listed(&a, json!([])),
        "{label}"
    );
    assert_eq!(
        call(&c, n::list_aliases, json!({"collection_name": b})).unwrap(),
        listed(&b, json!([alias])),
        "{label}"
    );
    assert_eq!(
        ids(&c, &alias),
        [2, 3],
        "{label}: the alias follows alter_alias"
    );

    call(&c, n::drop_alias, json!({"alias": alias})).unwrap();
    let e = call(&c, n::describe_alias, json!({"alias": alias})).unwrap_err();
    // Milvus answers 1600 (alias not found); Milvus Lite 3.2.2 answers collection not found.
    let want = if label == "lite3" {
        (ErrorKind::CollectionNotFound, 100)
    } else {
        (ErrorKind::Server, 1600)
    };
    assert_eq!((e.kind, e.server_code), want, "{label}: {e}");
    assert_eq!(
        call(&c, n::list_aliases, json!({"collection_name": b})).unwrap(),
        listed(&b, json!([])),
        "{label}"
    );
    let e = call(
        &c,
        m::query,
        json!({"collection_name": alias, "filter": "id >= 0"}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    // Both accept dropping an alias that does not exist.
    call(&c, n::drop_alias, json!({"alias": alias})).unwrap();

    let e = call(
        &c,
        n::create_alias,
        json!({"collection_name": "ns_no_such_collection", "alias": alias}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    let r = call(
        &c,
        n::list_aliases,
        json!({"collection_name": "ns_no_such_collection"}),
    );
    if label == "lite3" {
        // Milvus Lite 3.2.2 lists no aliases for a collection that does not exist.
        assert_eq!(
            r.unwrap(),
            listed("ns_no_such_collection", json!([])),
            "{label}"
        );
    } else {
        let e = r.unwrap_err();
        assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    }

    call(&c, m::drop_collection, json!({"collection_name": a})).unwrap();
    call(&c, m::drop_collection, json!({"collection_name": b})).unwrap();
}

#[test]
fn aliases_on_lite() {
    let label = "lite";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let col = unique("ns_alc");
    let alias = unique("ns_alias");
    quick_collection(&c, &col);
    let both = json!({"collection_name": col, "alias": alias});
    assert_unimplemented(label, &c, n::create_alias, both.clone());
    assert_unimplemented(label, &c, n::alter_alias, both);
    assert_unimplemented(label, &c, n::describe_alias, json!({"alias": alias}));
    assert_unimplemented(label, &c, n::list_aliases, json!({"collection_name": col}));
    assert_unimplemented(label, &c, n::list_aliases, json!({}));
    assert_unimplemented(label, &c, n::drop_alias, json!({"alias": alias}));
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
}

#[test]
fn partitions_on_standalone() {
    let label = "standalone";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let col = unique("ns_part");
    let part = |p: &str| json!({"collection_name": col, "partition_name": p});
    quick_collection(&c, &col);

    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default"])
    );
    assert_eq!(
        call(&c, n::has_partition, part("p1")).unwrap(),
        json!(false)
    );
    assert_eq!(
        call(&c, n::create_partition, part("p1")).unwrap(),
        Value::Null
    );
    assert_eq!(call(&c, n::has_partition, part("p1")).unwrap(), json!(true));
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default", "p1"]),
        "{label}"
    );
    // Milvus 2.3.5 accepts creating a partition that exists, changing nothing.
    call(&c, n::create_partition, part("p1")).unwrap();
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default", "p1"]),
        "{label}"
    );

    call(
        &c,
        m::insert,
        json!({"collection_name": col, "partition_name": "p1", "data": rows(0..10)}),
    )
    .unwrap();
    call(
        &c,
        m::insert,
        json!({"collection_name": col, "data": rows(10..13)}),
    )
    .unwrap();
    call(&c, m::flush, json!({"collection_name": col})).unwrap();
    assert_eq!(
        call(&c, n::get_partition_stats, part("p1")).unwrap(),
        json!({"row_count": 10}),
        "{label}"
    );
    assert_eq!(
        call(&c, n::get_partition_stats, part("_default")).unwrap(),
        json!({"row_count": 3}),
        "{label}"
    );
    let e = call(&c, n::get_partition_stats, part("nope")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PartitionNotFound, "{label}: {e}");

    // Only p1 loaded: it answers, _default does not.
    call(&c, m::release_collection, json!({"collection_name": col})).unwrap();
    let e = count(&c, &col, &["p1"]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotLoaded, "{label}: {e}");
    call(
        &c,
        n::load_partitions,
        json!({"collection_name": col, "partition_names": "p1", "replica_number": 1}),
    )
    .unwrap();
    assert_eq!(count(&c, &col, &["p1"]).unwrap(), 10, "{label}");
    let e = count(&c, &col, &["_default"]).unwrap_err();
    assert!(e.message.contains("partition not loaded"), "{label}: {e}");
    assert_eq!(
        count(&c, &col, &[]).unwrap(),
        10,
        "{label}: only p1 is loaded"
    );
    let e = call(
        &c,
        n::load_partitions,
        json!({"collection_name": col, "partition_names": ["nope"]}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::PartitionNotFound, "{label}: {e}");
    // A loaded partition cannot be dropped.
    let e = call(&c, n::drop_partition, part("p1")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{label}: {e}");
    assert!(e.message.contains("release"), "{label}: {e}");

    call(
        &c,
        n::load_partitions,
        json!({"collection_name": col, "partition_names": ["p1", "_default"]}),
    )
    .unwrap();
    // Milvus 2.3.5 reports a partition added to a partly loaded collection as loaded
    // (GetLoadingProgress 100, GetLoadState Loaded) a second or two before its query nodes
    // serve its sealed segments: queries meanwhile count 0. pymilvus waits the same way.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(20);
    while count(&c, &col, &["_default"]).unwrap() != 3 {
        assert!(
            std::time::Instant::now() < deadline,
            "{label}: _default never served"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    assert_eq!(count(&c, &col, &[]).unwrap(), 13, "{label}");
    call(
        &c,
        n::release_partitions,
        json!({"collection_name": col, "partition_names": ["p1", "_default"]}),
    )
    .unwrap();
    let e = count(&c, &col, &["p1"]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotLoaded, "{label}: {e}");

    assert_eq!(
        call(&c, n::drop_partition, part("p1")).unwrap(),
        Value::Null
    );
    assert_eq!(
        call(&c, n::has_partition, part("p1")).unwrap(),
        json!(false)
    );
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default"])
    );
    let e = call(&c, n::drop_partition, part("_default")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{label}: {e}");

    let nocol = json!({"collection_name": "ns_no_such_collection", "partition_name": "p"});
    let e = call(&c, n::has_partition, nocol).unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    let e = call(
        &c,
        n::list_partitions,
        json!({"collection_name": "ns_no_such_collection"}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
}

#[test]
fn partitions_on_lite() {
    let label = "lite";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let col = unique("ns_part");
    quick_collection(&c, &col);
    let part = json!({"collection_name": col, "partition_name": "p1"});
    let parts = json!({"collection_name": col, "partition_names": ["_default"]});
    assert_unimplemented(label, &c, n::create_partition, part.clone());
    assert_unimplemented(label, &c, n::has_partition, part.clone());
    assert_unimplemented(
        label,
        &c,
        n::list_partitions,
        json!({"collection_name": col}),
    );
    assert_unimplemented(label, &c, n::get_partition_stats, part.clone());
    assert_unimplemented(label, &c, n::release_partitions, parts.clone());
    assert_unimplemented(label, &c, n::load_partitions, parts);
    assert_unimplemented(label, &c, n::drop_partition, part);
    // The collection itself is untouched.
    assert_eq!(count(&c, &col, &[]).unwrap(), 0, "{label}");
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
}

/// Milvus Lite 3.2.2 has partitions but loads and releases whole collections only.
#[test]
fn partitions_on_lite3() {
    let label = "lite3";
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let col = unique("ns_part");
    let part = |p: &str| json!({"collection_name": col, "partition_name": p});
    quick_collection(&c, &col);
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default"])
    );
    assert_eq!(
        call(&c, n::has_partition, part("p1")).unwrap(),
        json!(false)
    );
    assert_eq!(
        call(&c, n::create_partition, part("p1")).unwrap(),
        Value::Null
    );
    assert_eq!(call(&c, n::has_partition, part("p1")).unwrap(), json!(true));
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default", "p1"]),
        "{label}"
    );
    // Creating a partition that exists is refused, changing nothing.
    let e = call(&c, n::create_partition, part("p1")).unwrap_err();
    assert_eq!(
        (e.kind, e.server_code),
        (ErrorKind::Server, 1),
        "{label}: {e}"
    );
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default", "p1"]),
        "{label}"
    );

    call(
        &c,
        m::insert,
        json!({"collection_name": col, "partition_name": "p1", "data": rows(0..10)}),
    )
    .unwrap();
    call(
        &c,
        m::insert,
        json!({"collection_name": col, "data": rows(10..13)}),
    )
    .unwrap();
    call(&c, m::flush, json!({"collection_name": col})).unwrap();
    assert_eq!(
        call(&c, n::get_partition_stats, part("p1")).unwrap(),
        json!({"row_count": 10}),
        "{label}"
    );
    assert_eq!(
        call(&c, n::get_partition_stats, part("_default")).unwrap(),
        json!({"row_count": 3}),
        "{label}"
    );
    let e = call(&c, n::get_partition_stats, part("nope")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PartitionNotFound, "{label}: {e}");

    // Reads confined to partitions: a filtered count, a query and a search.
    let filtered = |partitions: &[&str]| {
        let r = call(
            &c,
            m::query,
            json!({"collection_name": col, "partition_names": partitions, "filter": "id >= 0",
                   "output_fields": ["count(*)"], "consistency_level": "Strong"}),
        )
        .unwrap();
        r[0]["count(*)"].as_i64().unwrap()
    };
    assert_eq!(
        (filtered(&["p1"]), filtered(&["_default"]), filtered(&[])),
        (10, 3, 13),
        "{label}"
    );
    let hits = call(
        &c,
        m::search,
        json!({"collection_name": col, "partition_names": ["_default"], "data": [[0.0, 1.0]],
               "limit": 5, "consistency_level": "Strong"}),
    )
    .unwrap();
    let mut found: Vec<i64> = hits[0]
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h["id"].as_i64().unwrap())
        .collect();
    found.sort();
    assert_eq!(found, [10, 11, 12], "{label}: {hits}");
    // A count without a filter reads the collection's row count: the partitions are ignored.
    assert_eq!(count(&c, &col, &["p1"]).unwrap(), 13, "{label}");

    let parts = json!({"collection_name": col, "partition_names": ["p1"]});
    assert_unimplemented(label, &c, n::load_partitions, parts.clone());
    assert_unimplemented(label, &c, n::release_partitions, parts);

    // A loaded partition can be dropped, and its rows go with it.
    assert_eq!(
        call(&c, n::drop_partition, part("p1")).unwrap(),
        Value::Null
    );
    assert_eq!(
        call(&c, n::has_partition, part("p1")).unwrap(),
        json!(false)
    );
    assert_eq!(
        call(&c, n::list_partitions, json!({"collection_name": col})).unwrap(),
        json!(["_default"])
    );
    assert_eq!(ids(&c, &col), [10, 11, 12], "{label}");
    let e = call(&c, n::drop_partition, part("p1")).unwrap_err();
    assert_eq!(e.kind, ErrorKind::PartitionNotFound, "{label}: {e}");
    let e = call(&c, n::drop_partition, part("_default")).unwrap_err();
    assert_eq!(
        (e.kind, e.server_code),
        (ErrorKind::Server, 6),
        "{label}: {e}"
    );

    let nocol = json!({"collection_name": "ns_no_such_collection", "partition_name": "p"});
    let e = call(&c, n::has_partition, nocol).unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    let e = call(
        &c,
        n::list_partitions,
        json!({"collection_name": "ns_no_such_collection"}),
    )
    .unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{label}: {e}");
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
}

/// On any server with ListDatabases (not Milvus Lite 2.5.1), which the last check calls.
#[test]
fn arguments_are_checked_before_any_rpc() {
    let Some((_, uri)) = servers().into_iter().find(|s| s.0 != "lite") else {
        return;
    };
    let c = connect(&uri);
    let bad: Vec<(Method, Value)> = vec![
        (n::create_database, json!({"db_name": "x", "colour": 1})),
        (n::create_database, json!({"db_name": ""})),
        (n::list_databases, json!({"db_name": "x"})),
        (n::alter_database_properties, json!({"db_name": "x"})),
        (
            n::drop_database_properties,
            json!({"db_name": "x", "property_keys": "k"}),
        ),
        (n::use_database, json!({"db_name": ""})),
        (n::use_database, json!({"db_name": "x", "timeout": -1})),
        (n::create_alias, json!({"collection_name": "c"})),
        (n::drop_alias, json!({"alias": "", "timeout": 1})),
        (n::list_aliases, json!({"collection": "c"})),
        (
            n::create_partition,
            json!({"collection_name": "c", "partition_name": ""}),
        ),
        (
            n::load_partitions,
            json!({"collection_name": "c", "partition_names": []}),
        ),
        (
            n::load_partitions,
            json!({"collection_name": "c", "partition_names": 3}),
        ),
        (
            n::release_partitions,
            json!({"collection_name": "c", "partition_names": [""]}),
        ),
        (
            n::get_partition_stats,
            json!({"collection_name": "c", "partition_name": ["p"]}),
        ),
    ];
    for (f, args) in bad {
        let e = call(&c, f, args.clone()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::InvalidArgument, "{args}: {e}");
    }
    let e = call(&c, n::drop_alias, json!({"alias": "a", "colour": 1})).unwrap_err();
    assert!(e.message.contains("colour"), "{e}");
    let e = n::list_databases(&c, "{").unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidJson);
    // An empty argument text means no arguments.
    assert!(n::list_databases(&c, "").is_ok());
}
