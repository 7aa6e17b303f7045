//! Users, roles, privileges and privilege groups: pymilvus's RBAC methods.

use super::{call_opts, parse_args, to_json, NoArgs, NULL};
use crate::client::Client;
use crate::error::{Error, Result};
use crate::proto::milvus as m;
use base64::Engine as _;
use serde::{Deserialize, Serialize};

/// The server takes passwords base64-encoded (as pymilvus sends them).
fn b64(s: &str) -> String {
    base64::engine::general_purpose::STANDARD.encode(s)
}

/// pymilvus refuses empty names client-side (ParamError) for these arguments.
fn require(what: &str, v: &str) -> Result<()> {
    if v.is_empty() {
        return Err(Error::invalid(format!("{what} is empty")));
    }
    Ok(())
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateUserArgs {
    user_name: String,
    password: String,
    description: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserArgs {
    user_name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdatePasswordArgs {
    user_name: String,
    old_password: String,
    new_password: String,
    #[serde(default)]
    reset_connection: Option<bool>,
    description: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UpdateUserArgs {
    user_name: String,
    description: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct UserRoleArgs {
    user_name: String,
    role_name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CreateRoleArgs {
    role_name: String,
    #[serde(default)]
    description: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct AlterRoleArgs {
    role_name: String,
    description: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DropRoleArgs {
    role_name: String,
    #[serde(default)]
    force_drop: bool,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct DescribeRoleArgs {
    role_name: String,
    #[serde(default)]
    db_name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrivilegeArgs {
    role_name: String,
    object_type: String,
    privilege: String,
    object_name: String,
    #[serde(default)]
    db_name: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PrivilegeV2Args {
    role_name: String,
    privilege: String,
    collection_name: String,
    #[serde(default)]
    db_name: Option<String>,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupArgs {
    group_name: String,
    timeout: Option<f64>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct GroupPrivilegesArgs {
    group_name: String,
    privileges: Vec<String>,
    timeout: Option<f64>,
}

/// pymilvus's describe_user dict (`{}` when the server knows no such user).
#[derive(Serialize)]
struct UserDescription {
    user_name: String,
    roles: Vec<String>,
    description: String,
}

/// One entry of describe_role's `privileges`: pymilvus's `dict(GrantItem)`, which leaves
/// out an empty `db_name` and `grantor_name`.
#[derive(Serialize)]
struct Grant {
    object_type: String,
    object_name: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    db_name: String,
    role_name: String,
    privilege: String,
    #[serde(skip_serializing_if = "String::is_empty")]
    grantor_name: String,
}

#[derive(Serialize)]
struct RoleDescription {
    role: String,
    description: String,
    privileges: Vec<Grant>,
}

#[derive(Serialize)]
struct PrivilegeGroup {
    privilege_group: String,
    privileges: Vec<String>,
}

fn role(name: String) -> Option<m::RoleEntity> {
    Some(m::RoleEntity {
        name,
        description: String::new(),
    })
}

fn grantor(privilege: String) -> Option<m::GrantorEntity> {
    Some(m::GrantorEntity {
        user: None,
        privilege: Some(m::PrivilegeEntity { name: privilege }),
    })
}

pub async fn create_user(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CreateUserArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreateCredentialRequest {
        username: a.user_name,
        password: b64(&a.password),
        description: a.description,
        ..Default::default()
    };
    c.create_credential(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_user(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UserArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DeleteCredentialRequest {
        username: a.user_name,
        ..Default::default()
    };
    c.delete_credential(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn update_password(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UpdatePasswordArgs = parse_args(args)?;
    // A client's credentials are fixed at connect; pymilvus rebuilds its channel instead.
    if a.reset_connection == Some(true) {
        return Err(Error::invalid(
            "reset_connection is not supported: connect a new client with the new password",
        ));
    }
    let opts = call_opts(a.timeout)?;
    let req = m::UpdateCredentialRequest {
        username: a.user_name,
        old_password: b64(&a.old_password),
        new_password: b64(&a.new_password),
        description: a.description,
        ..Default::default()
    };
    c.update_credential(req, &opts).await?;
    Ok(NULL.to_vec())
}

/// pymilvus sends UpdateCredential with empty passwords and the description.
pub async fn update_user(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UpdateUserArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let req = m::UpdateCredentialRequest {
        username: a.user_name,
        description: Some(a.description),
        ..Default::default()
    };
    c.update_credential(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn list_users(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let resp = c
        .list_cred_users(m::ListCredUsersRequest::default(), &opts)
        .await?;
    to_json(&resp.usernames)
}

pub async fn describe_user(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: UserArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let user = (!a.user_name.is_empty()).then(|| m::UserEntity {
        name: a.user_name.clone(),
    });
    let req = m::SelectUserRequest {
        user,
        include_role_info: true,
        ..Default::default()
    };
    let resp = c.select_user(req, &opts).await?;
    match resp.results.into_iter().next() {
        Some(r) => to_json(&UserDescription {
            user_name: a.user_name,
            roles: r.roles.into_iter().map(|e| e.name).collect(),
            description: r.description,
        }),
        None => Ok(b"{}".to_vec()),
    }
}

async fn operate_user_role(c: &Client, args: &str, op: m::OperateUserRoleType) -> Result<()> {
    let a: UserRoleArgs = parse_args(args)?;
    require("role_name", &a.role_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::OperateUserRoleRequest {
        username: a.user_name,
        role_name: a.role_name,
        r#type: op as i32,
        ..Default::default()
    };
    c.operate_user_role(req, &opts).await?;
    Ok(())
}

pub async fn grant_role(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_user_role(c, args, m::OperateUserRoleType::AddUserToRole).await?;
    Ok(NULL.to_vec())
}

pub async fn revoke_role(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_user_role(c, args, m::OperateUserRoleType::RemoveUserFromRole).await?;
    Ok(NULL.to_vec())
}

pub async fn create_role(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: CreateRoleArgs = parse_args(args)?;
    require("role_name", &a.role_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreateRoleRequest {
        entity: Some(m::RoleEntity {
            name: a.role_name,
            description: a.description,
        }),
        ..Default::default()
    };
    c.create_role(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn alter_role(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: AlterRoleArgs = parse_args(args)?;
    require("role_name", &a.role_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::AlterRoleRequest {
        role_name: a.role_name,
        description: a.description,
        ..Default::default()
    };
    c.alter_role(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_role(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DropRoleArgs = parse_args(args)?;
    require("role_name", &a.role_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DropRoleRequest {
        role_name: a.role_name,
        force_drop: a.force_drop,
        ..Default::default()
    };
    c.drop_role(req, &opts).await?;
    Ok(NULL.to_vec())
}

/// SelectRole for the description, then SelectGrant for the privileges, as pymilvus does.
pub async fn describe_role(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: DescribeRoleArgs = parse_args(args)?;
    require("role_name", &a.role_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::SelectRoleRequest {
        role: role(a.role_name.clone()),
        include_user_info: false,
        ..Default::default()
    };
    let roles = c.select_role(req, &opts).await?;
    let description = roles
        .results
        .into_iter()
        .next()
        .and_then(|r| r.role)
        .map(|r| r.description)
        .unwrap_or_default();
    let req = m::SelectGrantRequest {
        entity: Some(m::GrantEntity {
            role: role(a.role_name.clone()),
            db_name: a.db_name,
            ..Default::default()
        }),
        ..Default::default()
    };
    let grants = c.select_grant(req, &opts).await?;
    let privileges = grants
        .entities
        .into_iter()
        .map(|e| {
            let g = e.grantor.unwrap_or_default();
            Grant {
                object_type: e.object.map(|o| o.name).unwrap_or_default(),
                object_name: e.object_name,
                db_name: e.db_name,
                role_name: e.role.map(|r| r.name).unwrap_or_default(),
                privilege: g.privilege.map(|p| p.name).unwrap_or_default(),
                grantor_name: g.user.map(|u| u.name).unwrap_or_default(),
            }
        })
        .collect();
    to_json(&RoleDescription {
        role: a.role_name,
        description,
        privileges,
    })
}

pub async fn list_roles(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let resp = c
        .select_role(m::SelectRoleRequest::default(), &opts)
        .await?;
    let names: Vec<String> = resp
        .results
        .into_iter()
        .map(|r| r.role.map(|r| r.name).unwrap_or_default())
        .collect();
    to_json(&names)
}

async fn operate_privilege(c: &Client, args: &str, op: m::OperatePrivilegeType) -> Result<()> {
    let a: PrivilegeArgs = parse_args(args)?;
    require("role_name", &a.role_name)?;
    require("object_type", &a.object_type)?;
    require("object_name", &a.object_name)?;
    require("privilege", &a.privilege)?;
    let opts = call_opts(a.timeout)?;
    let req = m::OperatePrivilegeRequest {
        entity: Some(m::GrantEntity {
            role: role(a.role_name),
            object: Some(m::ObjectEntity {
                name: a.object_type,
            }),
            object_name: a.object_name,
            grantor: grantor(a.privilege),
            db_name: a.db_name.unwrap_or_default(),
        }),
        r#type: op as i32,
        ..Default::default()
    };
    c.operate_privilege(req, &opts).await?;
    Ok(())
}

pub async fn grant_privilege(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_privilege(c, args, m::OperatePrivilegeType::Grant).await?;
    Ok(NULL.to_vec())
}

pub async fn revoke_privilege(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_privilege(c, args, m::OperatePrivilegeType::Revoke).await?;
    Ok(NULL.to_vec())
}

async fn operate_privilege_v2(c: &Client, args: &str, op: m::OperatePrivilegeType) -> Result<()> {
    let a: PrivilegeV2Args = parse_args(args)?;
    require("role_name", &a.role_name)?;
    require("privilege", &a.privilege)?;
    require("collection_name", &a.collection_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::OperatePrivilegeV2Request {
        role: role(a.role_name),
        grantor: grantor(a.privilege),
        r#type: op as i32,
        db_name: a.db_name.unwrap_or_default(),
        collection_name: a.collection_name,
        ..Default::default()
    };
    c.operate_privilege_v2(req, &opts).await?;
    Ok(())
}

pub async fn grant_privilege_v2(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_privilege_v2(c, args, m::OperatePrivilegeType::Grant).await?;
    Ok(NULL.to_vec())
}

pub async fn revoke_privilege_v2(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_privilege_v2(c, args, m::OperatePrivilegeType::Revoke).await?;
    Ok(NULL.to_vec())
}

pub async fn create_privilege_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: GroupArgs = parse_args(args)?;
    require("group_name", &a.group_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::CreatePrivilegeGroupRequest {
        group_name: a.group_name,
        ..Default::default()
    };
    c.create_privilege_group(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn drop_privilege_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: GroupArgs = parse_args(args)?;
    require("group_name", &a.group_name)?;
    let opts = call_opts(a.timeout)?;
    let req = m::DropPrivilegeGroupRequest {
        group_name: a.group_name,
        ..Default::default()
    };
    c.drop_privilege_group(req, &opts).await?;
    Ok(NULL.to_vec())
}

pub async fn list_privilege_groups(c: &Client, args: &str) -> Result<Vec<u8>> {
    let a: NoArgs = parse_args(args)?;
    let opts = call_opts(a.timeout)?;
    let resp = c
        .list_privilege_groups(m::ListPrivilegeGroupsRequest::default(), &opts)
        .await?;
    let groups: Vec<PrivilegeGroup> = resp
        .privilege_groups
        .into_iter()
        .map(|g| PrivilegeGroup {
            privilege_group: g.group_name,
            privileges: g.privileges.into_iter().map(|p| p.name).collect(),
        })
        .collect();
    to_json(&groups)
}

async fn operate_privilege_group(
    c: &Client,
    args: &str,
    op: m::OperatePrivilegeGroupType,
) -> Result<()> {
    let a: GroupPrivilegesArgs = parse_args(args)?;
    require("group_name", &a.group_name)?;
    if a.privileges.is_empty() {
        return Err(Error::invalid("privileges is empty"));
    }
    for p in &a.privileges {
        require("a privilege in privileges", p)?;
    }
    let opts = call_opts(a.timeout)?;
    let req = m::OperatePrivilegeGroupRequest {
        group_name: a.group_name,
        privileges: a
            .privileges
            .into_iter()
            .map(|name| m::PrivilegeEntity { name })
            .collect(),
        r#type: op as i32,
        ..Default::default()
    };
    c.operate_privilege_group(req, &opts).await?;
    Ok(())
}

pub async fn add_privileges_to_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_privilege_group(c, args, m::OperatePrivilegeGroupType::AddPrivilegesToGroup).await?;
    Ok(NULL.to_vec())
}

pub async fn remove_privileges_from_group(c: &Client, args: &str) -> Result<Vec<u8>> {
    operate_privilege_group(
        c,
        args,
        m::OperatePrivilegeGroupType::RemovePrivilegesFromGroup,
    )
    .await?;
    Ok(NULL.to_vec())
}
