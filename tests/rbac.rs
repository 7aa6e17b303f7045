//! Users, roles, privileges, privilege groups, resource groups and replicas against the test
//! servers, each test on the server its name says (found by label, so MILVUS_TEST_SERVERS can
//! leave any out). Milvus 2.3.5 standalone runs without authorization, but its user / role /
//! privilege management RPCs still work; it predates AlterRole, OperatePrivilegeV2, the
//! privilege-group RPCs and UpdateResourceGroups. Milvus Lite 2.5.1 and Milvus Lite 3.2.2 have
//! none of these RPCs. Every user, role and resource group made here has a unique name and is
//! removed again.

mod common;
use common::*;
use milvus::{api, Client, ClientConfig, ErrorKind};
use serde_json::{json, Value};
use std::time::Duration;

macro_rules! rbac_method {
    ($($name:ident),*) => {$(
        pub fn $name(c: &Client, args: &str) -> milvus::Result<Vec<u8>> {
            block(api::$name(c, args))
        }
    )*};
}

mod r {
    use super::*;
    rbac_method!(
        create_user,
        drop_user,
        update_password,
        update_user,
        list_users,
        describe_user,
        create_role,
        drop_role,
        alter_role,
        describe_role,
        list_roles,
        grant_role,
        revoke_role,
        grant_privilege,
        revoke_privilege,
        grant_privilege_v2,
        revoke_privilege_v2,
        create_privilege_group,
        drop_privilege_group,
        list_privilege_groups,
        add_privileges_to_group,
        remove_privileges_from_group,
        create_resource_group,
        update_resource_groups,
        drop_resource_group,
        describe_resource_group,
        list_resource_groups,
        transfer_replica,
        describe_replica
    );
}

type Method = fn(&Client, &str) -> milvus::Result<Vec<u8>>;

const DEFAULT_RG: &str = "__default_resource_group";

fn standalone() -> Option<String> {
    server("standalone")
}

/// A client that sends `root:Milvus`: without authorization enabled the server accepts any
/// credentials, but OperatePrivilege still reads the grantor's name from them.
fn connect_root(uri: &str) -> Client {
    block(Client::connect(ClientConfig {
        uri: uri.into(),
        user: Some("root".into()),
        password: Some("Milvus".into()),
        timeout: Some(Duration::from_secs(60)),
        ..Default::default()
    }))
    .unwrap_or_else(|e| panic!("connecting to {uri}: {e}"))
}

/// Removes what a test made, even when it fails half-way.
struct Cleanup<'a> {
    c: &'a Client,
    steps: Vec<(Method, Value)>,
}

impl Drop for Cleanup<'_> {
    fn drop(&mut self) {
        for (f, args) in self.steps.iter().rev() {
            let _ = call(self.c, *f, args.clone());
        }
    }
}

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

/// The server refused the call with this kind, code and exact message.
#[track_caller]
fn assert_refused(r: milvus::Result<Value>, kind: ErrorKind, code: i32, message: &str) {
    match r {
        Err(e) => {
            assert_eq!(e.kind, kind, "{e}");
            assert_eq!(e.server_code, code, "{e}");
            assert_eq!(e.message, message);
        }
        Ok(v) => panic!("expected {message:?}, got {v}"),
    }
}

#[track_caller]
fn assert_invalid(c: &Client, f: Method, args: Value, needle: &str) {
    match call(c, f, args.clone()) {
        Err(e) => {
            assert_eq!(e.kind, ErrorKind::InvalidArgument, "{args}: {e}");
            assert!(e.message.contains(needle), "{args}: {e}");
        }
        Ok(v) => panic!("{args}: expected INVALID_ARGUMENT, got {v}"),
    }
}

fn names(v: Value) -> Vec<String> {
    serde_json::from_value(v.clone()).unwrap_or_else(|_| panic!("a list of names: {v}"))
}

#[test]
fn users_on_standalone() {
    let Some(uri) = standalone() else { return };
    let c = connect(&uri);
    let user = unique("rbac_user");
    let mut cleanup = Cleanup {
        c: &c,
        steps: vec![],
    };

    // Milvus 2.3.5 has no user descriptions: the field is dropped.
    let args = json!({"user_name": user, "password": "Passw0rd!", "description": "d"});
    assert_eq!(call(&c, r::create_user, args.clone()).unwrap(), Value::Null);
    cleanup
        .steps
        .push((r::drop_user, json!({"user_name": user})));
    assert_refused(
        call(&c, r::create_user, args),
        ErrorKind::Server,
        65535,
        &format!("create_credential: server error 65535: user already exists: {user}"),
    );
    assert_refused(
        call(
            &c,
            r::create_user,
            json!({"user_name": unique("rbac_short"), "password": "abc"}),
        ),
        ErrorKind::Server,
        1100,
        "create_credential: server error 1100: invalid password length: \
         invalid parameter[3 out of range 6 <= value <= 256]",
    );

    let users = names(call(&c, r::list_users, json!({})).unwrap());
    assert!(users.contains(&user), "{users:?}");
    assert!(users.contains(&"root".to_string()), "{users:?}");
    assert_eq!(
        call(&c, r::describe_user, json!({"user_name": user})).unwrap(),
        json!({"user_name": user, "roles": [], "description": ""})
    );
    assert_eq!(
        call(
            &c,
            r::describe_user,
            json!({"user_name": unique("rbac_nobody")})
        )
        .unwrap(),
        json!({})
    );

    // The password changes: the old one is refused afterwards, the new one accepted.
    call(
        &c,
        r::update_password,
        json!({"user_name": user, "old_password": "Passw0rd!", "new_password": "N3wPassword",
               "reset_connection": false}),
    )
    .unwrap();
    assert_refused(
        call(
            &c,
            r::update_password,
            json!({"user_name": user, "old_password": "Passw0rd!", "new_password": "Other0ne"}),
        ),
        ErrorKind::Unauthenticated,
        1400,
        &format!(
            "update_credential: server error 1400: old password not correct for {user}: \
             not authenticated"
        ),
    );
    call(
        &c,
        r::update_password,
        json!({"user_name": user, "old_password": "N3wPassword", "new_password": "Th1rdOne"}),
    )
    .unwrap();
    assert_invalid(
        &c,
        r::update_password,
        json!({"user_name": user, "old_password": "Th1rdOne", "new_password": "x",
               "reset_connection": true}),
        "reset_connection",
    );

    // update_user is UpdateCredential with empty passwords, which 2.3.5 validates as passwords.
    assert_refused(
        call(
            &c,
            r::update_user,
            json!({"user_name": user, "description": "d"}),
        ),
        ErrorKind::Server,
        1100,
        "update_credential: server error 1100: invalid password length: \
         invalid parameter[0 out of range 6 <= value <= 256]",
    );
    assert_invalid(
        &c,
        r::create_user,
        json!({"user_name": user, "password": "Passw0rd!", "colour": 1}),
        "colour",
    );

    assert_eq!(
        call(&c, r::drop_user, json!({"user_name": user})).unwrap(),
        Value::Null
    );
    let users = names(call(&c, r::list_users, json!({})).unwrap());
    assert!(!users.contains(&user), "{users:?}");
    // Dropping a user that does not exist succeeds on 2.3.5.
    call(&c, r::drop_user, json!({"user_name": user})).unwrap();
    assert_eq!(
        call(&c, r::describe_user, json!({"user_name": user})).unwrap(),
        json!({})
    );
}

#[test]
fn roles_and_privileges_on_standalone() {
    let Some(uri) = standalone() else { return };
    let c = connect_root(&uri);
    let user = unique("rbac_ruser");
    let role = unique("rbac_role");
    let col = unique("rbac_col");
    let mut cleanup = Cleanup {
        c: &c,
        steps: vec![],
    };

    call(
        &c,
        r::create_user,
        json!({"user_name": user, "password": "Passw0rd!"}),
    )
    .unwrap();
    cleanup
        .steps
        .push((r::drop_user, json!({"user_name": user})));
    assert_eq!(
        call(&c, r::create_role, json!({"role_name": role})).unwrap(),
        Value::Null
    );
    cleanup
        .steps
        .push((r::drop_role, json!({"role_name": role})));
    assert_refused(
        call(&c, r::create_role, json!({"role_name": role})),
        ErrorKind::Server,
        65535,
        &format!("create_role: server error 65535: role [name:\"{role}\"] already exists"),
    );
    let roles = names(call(&c, r::list_roles, json!({})).unwrap());
    for r in [&role, "admin", "public"] {
        assert!(roles.iter().any(|x| x == r), "{r}: {roles:?}");
    }
    assert_eq!(
        call(&c, r::describe_role, json!({"role_name": role})).unwrap(),
        json!({"role": role, "description": "", "privileges": []})
    );
    assert_refused(
        call(
            &c,
            r::describe_role,
            json!({"role_name": unique("rbac_norole")}),
        ),
        ErrorKind::Server,
        65535,
        "select_grant: server error 65535: not found the role, maybe the role isn't existed or \
         internal system error",
    );
    assert_unimplemented(
        "2.3.5",
        &c,
        r::alter_role,
        json!({"role_name": role, "description": "d"}),
    );

    // Users and roles.
    call(
        &c,
        r::grant_role,
        json!({"user_name": user, "role_name": role}),
    )
    .unwrap();
    assert_eq!(
        call(&c, r::describe_user, json!({"user_name": user})).unwrap(),
        json!({"user_name": user, "roles": [role], "description": ""})
    );

    // Privileges, read back exactly (the server fills in the default database and the
    // grantor from the credentials).
    let grants = [
        ("Collection", "Search", "*", None),
        ("Global", "CreateCollection", "*", None),
        ("Collection", "Query", col.as_str(), Some("default")),
    ];
    for (object_type, privilege, object_name, db) in grants {
        let mut args = json!({"role_name": role, "object_type": object_type,
                              "privilege": privilege, "object_name": object_name});
        if let Some(db) = db {
            args["db_name"] = json!(db);
        }
        assert_eq!(call(&c, r::grant_privilege, args).unwrap(), Value::Null);
    }
    let expected: Vec<Value> = grants
        .iter()
        .map(|(t, p, o, _)| {
            json!({"object_type": t, "object_name": o, "db_name": "default",
                   "role_name": role, "privilege": p, "grantor_name": "root"})
        })
        .collect();
    let sorted = |v: Value| {
        let mut l: Vec<Value> = serde_json::from_value(v["privileges"].clone()).unwrap();
        l.sort_by_key(|g| g.to_string());
        l
    };
    let mut want = expected.clone();
    want.sort_by_key(|g| g.to_string());
    for args in [
        json!({"role_name": role}),
        json!({"role_name": role, "db_name": "default"}),
    ] {
        let d = call(&c, r::describe_role, args).unwrap();
        assert_eq!(d["role"], json!(role));
        assert_eq!(d["description"], json!(""));
        assert_eq!(sorted(d), want);
    }
    assert_refused(
        call(
            &c,
            r::grant_privilege,
            json!({"role_name": role, "object_type": "Collection", "privilege": "Bogus",
                   "object_name": "*"}),
        ),
        ErrorKind::Server,
        65535,
        "operate_privilege: server error 65535: not found the privilege name[Bogus]",
    );
    // Without credentials the server cannot name a grantor.
    let anonymous = connect(&uri);
    assert_refused(
        call(
            &anonymous,
            r::grant_privilege,
            json!({"role_name": role, "object_type": "Collection", "privilege": "Load",
                   "object_name": "*"}),
        ),
        ErrorKind::Server,
        65535,
        "operate_privilege: server error 65535: fail to get authorization from the md, \
         authorize:[authorization]",
    );
    assert_invalid(
        &c,
        r::grant_privilege,
        json!({"role_name": role, "object_type": "", "privilege": "Load", "object_name": "*"}),
        "object_type is empty",
    );
    // 2.3.5 has no force_drop: a role holding privileges is not dropped.
    for force in [false, true] {
        assert_refused(
            call(
                &c,
                r::drop_role,
                json!({"role_name": role, "force_drop": force}),
            ),
            ErrorKind::Server,
            65535,
            "drop_role: server error 65535: fail to drop the role that it has privileges. \
             Use REVOKE API to revoke privileges",
        );
    }

    for (object_type, privilege, object_name, db) in grants {
        let mut args = json!({"role_name": role, "object_type": object_type,
                              "privilege": privilege, "object_name": object_name});
        if let Some(db) = db {
            args["db_name"] = json!(db);
        }
        assert_eq!(call(&c, r::revoke_privilege, args).unwrap(), Value::Null);
    }
    assert_eq!(
        call(&c, r::describe_role, json!({"role_name": role})).unwrap(),
        json!({"role": role, "description": "", "privileges": []})
    );
    call(
        &c,
        r::revoke_role,
        json!({"user_name": user, "role_name": role}),
    )
    .unwrap();
    assert_eq!(
        call(&c, r::describe_user, json!({"user_name": user})).unwrap(),
        json!({"user_name": user, "roles": [], "description": ""})
    );
    assert_eq!(
        call(&c, r::drop_role, json!({"role_name": role})).unwrap(),
        Value::Null
    );
    let roles = names(call(&c, r::list_roles, json!({})).unwrap());
    assert!(!roles.contains(&role), "{roles:?}");
    assert_refused(
        call(&c, r::drop_role, json!({"role_name": role})),
        ErrorKind::Server,
        65535,
        "drop_role: server error 65535: not found the role, maybe the role isn't existed or \
         internal system error",
    );
    assert_invalid(&c, r::create_role, json!({"role_name": ""}), "role_name");
}

/// The RPCs 2.3.5 predates: privilege groups, the v2 grants, UpdateResourceGroups.
#[test]
fn newer_rpcs_on_standalone() {
    let Some(uri) = standalone() else { return };
    let c = connect_root(&uri);
    let role = unique("rbac_v2role");
    let group = unique("rbac_pg");
    let label = "2.3.5";
    assert_unimplemented(
        label,
        &c,
        r::grant_privilege_v2,
        json!({"role_name": role, "privilege": "Search", "collection_name": "*"}),
    );
    assert_unimplemented(
        label,
        &c,
        r::revoke_privilege_v2,
        json!({"role_name": role, "privilege": "Search", "collection_name": "*",
               "db_name": "default"}),
    );
    assert_unimplemented(
        label,
        &c,
        r::create_privilege_group,
        json!({"group_name": group}),
    );
    assert_unimplemented(
        label,
        &c,
        r::drop_privilege_group,
        json!({"group_name": group}),
    );
    assert_unimplemented(label, &c, r::list_privilege_groups, json!({}));
    assert_unimplemented(
        label,
        &c,
        r::add_privileges_to_group,
        json!({"group_name": group, "privileges": ["Search", "Query"]}),
    );
    assert_unimplemented(
        label,
        &c,
        r::remove_privileges_from_group,
        json!({"group_name": group, "privileges": ["Search"]}),
    );
    assert_unimplemented(
        label,
        &c,
        r::update_resource_groups,
        json!({"configs": {DEFAULT_RG: {"requests": {"node_num": 1}, "limits": {"node_num": 1}}}}),
    );
    // Decided before anything is sent.
    assert_invalid(
        &c,
        r::add_privileges_to_group,
        json!({"group_name": group, "privileges": []}),
        "privileges is empty",
    );
    assert_invalid(
        &c,
        r::grant_privilege_v2,
        json!({"role_name": role, "privilege": "Search", "collection_name": ""}),
        "collection_name is empty",
    );
    assert_invalid(
        &c,
        r::update_resource_groups,
        json!({"configs": {"rg": {"requests": {"nodes": 1}}}}),
        "nodes",
    );
}

#[test]
fn resource_groups_on_standalone() {
    let Some(uri) = standalone() else { return };
    let c = connect(&uri);
    let rg = unique("rbac_rg");
    let rg2 = unique("rbac_rgcfg");
    let mut cleanup = Cleanup {
        c: &c,
        steps: vec![],
    };

    let groups = names(call(&c, r::list_resource_groups, json!({})).unwrap());
    assert!(groups.iter().any(|g| g == DEFAULT_RG), "{groups:?}");
    let d = call(&c, r::describe_resource_group, json!({"name": DEFAULT_RG})).unwrap();
    assert_eq!(d["name"], json!(DEFAULT_RG));
    assert_eq!(d["capacity"], json!(1_000_000), "{d}");
    assert_eq!(d["num_available_node"], json!(1), "{d}");
    assert_eq!(d["num_outgoing_node"], json!({}), "{d}");
    assert_eq!(d["num_incoming_node"], json!({}), "{d}");
    // 2.3.5 reports neither configs nor node details.
    assert_eq!(d["config"], json!({}), "{d}");
    assert_eq!(d["nodes"], json!([]), "{d}");
    assert!(d["num_loaded_replica"].is_object(), "{d}");

    assert_eq!(
        call(&c, r::create_resource_group, json!({"name": rg})).unwrap(),
        Value::Null
    );
    cleanup
        .steps
        .push((r::drop_resource_group, json!({"name": rg})));
    assert_refused(
        call(&c, r::create_resource_group, json!({"name": rg})),
        ErrorKind::Server,
        65535,
        "create_resource_group: server error 65535: resource group already exist",
    );
    let empty = |name: &str| {
        json!({"name": name, "capacity": 0, "num_available_node": 0, "num_loaded_replica": {},
               "num_outgoing_node": {}, "num_incoming_node": {}, "config": {}, "nodes": []})
    };
    assert_eq!(
        call(&c, r::describe_resource_group, json!({"name": rg})).unwrap(),
        empty(&rg)
    );
    let groups = names(call(&c, r::list_resource_groups, json!({})).unwrap());
    assert!(groups.contains(&rg), "{groups:?}");
    let missing = unique("rbac_norg");
    assert_refused(
        call(&c, r::describe_resource_group, json!({"name": missing})),
        ErrorKind::Server,
        300,
        &format!(
            "describe_resource_group: server error 300: resource group not found[rg={missing}]"
        ),
    );

    // 2.3.5's CreateResourceGroupRequest has no config: it is accepted and dropped.
    call(
        &c,
        r::create_resource_group,
        json!({"name": rg2, "config": {"requests": {"node_num": 0}, "limits": {"node_num": 0},
               "transfer_from": [{"resource_group": DEFAULT_RG}], "transfer_to": [],
               "node_filter": {"node_labels": [{"key": "k", "value": "v"}]}}}),
    )
    .unwrap();
    cleanup
        .steps
        .push((r::drop_resource_group, json!({"name": rg2})));
    assert_eq!(
        call(&c, r::describe_resource_group, json!({"name": rg2})).unwrap(),
        empty(&rg2)
    );

    for name in [&rg, &rg2] {
        assert_eq!(
            call(&c, r::drop_resource_group, json!({"name": name})).unwrap(),
            Value::Null
        );
    }
    let groups = names(call(&c, r::list_resource_groups, json!({})).unwrap());
    assert!(
        !groups.contains(&rg) && !groups.contains(&rg2),
        "{groups:?}"
    );
    // Dropping a missing group succeeds on 2.3.5.
    call(&c, r::drop_resource_group, json!({"name": rg})).unwrap();
    assert_invalid(
        &c,
        r::create_resource_group,
        json!({"name": ""}),
        "name is empty",
    );
    assert_invalid(
        &c,
        r::create_resource_group,
        json!({"name": rg, "config": {"requests": {"node_num": 1}, "colour": 1}}),
        "colour",
    );
}

#[test]
fn replicas_on_standalone() {
    let Some(uri) = standalone() else { return };
    let c = connect(&uri);
    let col = unique("rbac_replica");
    let rg = unique("rbac_rgt");
    let mut cleanup = Cleanup {
        c: &c,
        steps: vec![],
    };
    call(
        &c,
        m::create_collection,
        json!({"collection_name": col, "dimension": 2}),
    )
    .unwrap();
    cleanup
        .steps
        .push((m::drop_collection, json!({"collection_name": col})));
    call(&c, r::create_resource_group, json!({"name": rg})).unwrap();
    cleanup
        .steps
        .push((r::drop_resource_group, json!({"name": rg})));

    let replicas = call(&c, r::describe_replica, json!({"collection_name": col})).unwrap();
    let list = replicas.as_array().unwrap();
    assert_eq!(list.len(), 1, "{replicas}");
    let rep = &list[0];
    assert!(rep["id"].as_i64().unwrap() > 0, "{rep}");
    assert_eq!(rep["resource_group"], json!(DEFAULT_RG), "{rep}");
    assert_eq!(rep["num_outbound_node"], json!({}), "{rep}");
    let nodes: Vec<i64> = serde_json::from_value(rep["group_nodes"].clone()).unwrap();
    assert_eq!(nodes.len(), 1, "{rep}");
    let described = call(&c, m::describe_collection, json!({"collection_name": col})).unwrap();
    let shards = rep["shards"].as_array().unwrap();
    assert_eq!(json!(shards.len()), described["num_shards"], "{rep}");
    for s in shards {
        assert_eq!(s["shard_leader"], json!(nodes[0]), "{rep}");
        let channel = s["channel_name"].as_str().unwrap();
        assert!(channel.starts_with("by-dev-rootcoord-dml_"), "{rep}");
        assert!(s["shard_nodes"].is_array(), "{rep}");
    }
    let d = call(&c, r::describe_resource_group, json!({"name": DEFAULT_RG})).unwrap();
    assert_eq!(d["num_loaded_replica"][&col], json!(1), "{d}");

    // The target group has no query node, so the one replica cannot move.
    let transfer = |target: &str, n: i64| {
        call(
            &c,
            r::transfer_replica,
            json!({"source_group": DEFAULT_RG, "target_group": target,
                   "collection_name": col, "num_replicas": n}),
        )
    };
    assert_refused(
        transfer(&rg, 1),
        ErrorKind::Server,
        65535,
        "transfer_replica: server error 65535: nodes not enough",
    );
    assert_refused(
        transfer(&rg, 2),
        ErrorKind::Server,
        1100,
        &format!(
            "transfer_replica: server error 1100: invalid parameter[expected=NumReplica not \
             greater than the number of replica in source resource group][actual=only found \
             [1] replicas in source resource group[{DEFAULT_RG}]]"
        ),
    );
    assert_refused(
        transfer(&rg, 0),
        ErrorKind::Server,
        1100,
        "transfer_replica: server error 1100: invalid parameter[expected=NumReplica > 0]\
         [actual=invalid NumReplica 0]",
    );
    let missing = unique("rbac_norg");
    assert_refused(
        transfer(&missing, 1),
        ErrorKind::Server,
        300,
        &format!(
            "transfer_replica: server error 300: the target resource group[{missing}] doesn't \
             exist: resource group not found[rg={missing}]"
        ),
    );
    assert_eq!(
        call(&c, r::describe_replica, json!({"collection_name": col})).unwrap(),
        replicas,
        "nothing moved"
    );
    // The message ends with the id of some loaded collection (other tests load theirs too).
    let e = call(&c, r::drop_resource_group, json!({"name": DEFAULT_RG})).unwrap_err();
    assert_eq!((e.kind, e.server_code), (ErrorKind::Server, 1100), "{e}");
    assert!(
        e.message.starts_with(
            "drop_resource_group: server error 1100: some replicas still loaded in resource \
             group[__default_resource_group], release it first: invalid parameter[expected=empty \
             resource group][actual=resource group __default_resource_group has collection "
        ),
        "{e}"
    );

    call(&c, m::release_collection, json!({"collection_name": col})).unwrap();
    let e = call(&c, r::describe_replica, json!({"collection_name": col})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Server, "{e}");
    assert_eq!(e.server_code, 400, "{e}");
    assert!(
        e.message
            .starts_with("get_replicas: server error 400: failed to get replicas by collection: replica not found"),
        "{e}"
    );
    call(&c, m::drop_collection, json!({"collection_name": col})).unwrap();
    let e = call(&c, r::describe_replica, json!({"collection_name": col})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::CollectionNotFound, "{e}");
}

#[test]
fn everything_unimplemented_on_lite() {
    everything_unimplemented_on("lite");
}

#[test]
fn everything_unimplemented_on_lite3() {
    everything_unimplemented_on("lite3");
}

fn everything_unimplemented_on(label: &str) {
    let Some(uri) = server(label) else { return };
    let c = connect(&uri);
    let user = unique("rbac_lite");
    let col = unique("rbac_lite_col");
    let cases: Vec<(Method, Value)> = vec![
        (
            r::create_user,
            json!({"user_name": user, "password": "Passw0rd!"}),
        ),
        (r::drop_user, json!({"user_name": user})),
        (
            r::update_password,
            json!({"user_name": user, "old_password": "Passw0rd!", "new_password": "N3wPassword"}),
        ),
        (
            r::update_user,
            json!({"user_name": user, "description": "d"}),
        ),
        (r::list_users, json!({})),
        (r::describe_user, json!({"user_name": user})),
        (r::create_role, json!({"role_name": user})),
        (r::drop_role, json!({"role_name": user})),
        (
            r::alter_role,
            json!({"role_name": user, "description": "d"}),
        ),
        (r::describe_role, json!({"role_name": user})),
        (r::list_roles, json!({})),
        (r::grant_role, json!({"user_name": user, "role_name": user})),
        (
            r::revoke_role,
            json!({"user_name": user, "role_name": user}),
        ),
        (
            r::grant_privilege,
            json!({"role_name": user, "object_type": "Collection", "privilege": "Search",
                   "object_name": "*"}),
        ),
        (
            r::revoke_privilege,
            json!({"role_name": user, "object_type": "Collection", "privilege": "Search",
                   "object_name": "*"}),
        ),
        (
            r::grant_privilege_v2,
            json!({"role_name": user, "privilege": "Search", "collection_name": "*"}),
        ),
        (
            r::revoke_privilege_v2,
            json!({"role_name": user, "privilege": "Search", "collection_name": "*"}),
        ),
        (r::create_privilege_group, json!({"group_name": user})),
        (r::drop_privilege_group, json!({"group_name": user})),
        (r::list_privilege_groups, json!({})),
        (
            r::add_privileges_to_group,
            json!({"group_name": user, "privileges": ["Search"]}),
        ),
        (
            r::remove_privileges_from_group,
            json!({"group_name": user, "privileges": ["Search"]}),
        ),
        (r::create_resource_group, json!({"name": user})),
        (
            r::update_resource_groups,
            json!({"configs": {user.as_str(): {"limits": {"node_num": 1}}}}),
        ),
        (r::drop_resource_group, json!({"name": user})),
        (r::describe_resource_group, json!({"name": user})),
        (r::list_resource_groups, json!({})),
        (
            r::transfer_replica,
            json!({"source_group": DEFAULT_RG, "target_group": user, "collection_name": col,
                   "num_replicas": 1}),
        ),
    ];
    for (f, args) in cases {
        assert_unimplemented(label, &c, f, args);
    }
    // describe_replica: DescribeCollection works, GetReplicas does not.
    call(
        &c,
        m::create_collection,
        json!({"collection_name": col, "dimension": 2}),
    )
    .unwrap();
    let _cleanup = Cleanup {
        c: &c,
        steps: vec![(m::drop_collection, json!({"collection_name": col}))],
    };
    assert_unimplemented(
        label,
        &c,
        r::describe_replica,
        json!({"collection_name": col}),
    );
}
