//! Users, roles, privileges, privilege groups, resource groups and replicas RPCs.

use super::{passthrough, with_status};
use crate::proto::common;
use crate::proto::milvus as m;

with_status!(
    m::ListCredUsersResponse,
    m::SelectRoleResponse,
    m::SelectUserResponse,
    m::SelectGrantResponse,
    m::ListPrivilegeGroupsResponse,
    m::ListResourceGroupsResponse,
    m::DescribeResourceGroupResponse,
);

passthrough! {
    /// CreateCredential (the password base64-encoded, as the server expects).
    create_credential(m::CreateCredentialRequest) -> common::Status;
    /// UpdateCredential: a new password, or (newer servers) a description.
    update_credential(m::UpdateCredentialRequest) -> common::Status;
    /// DeleteCredential.
    delete_credential(m::DeleteCredentialRequest) -> common::Status;
    /// ListCredUsers.
    list_cred_users(m::ListCredUsersRequest) -> m::ListCredUsersResponse;
    /// CreateRole.
    create_role(m::CreateRoleRequest) -> common::Status;
    /// AlterRole (its description).
    alter_role(m::AlterRoleRequest) -> common::Status;
    /// DropRole.
    drop_role(m::DropRoleRequest) -> common::Status;
    /// OperateUserRole: add a user to a role or remove it.
    operate_user_role(m::OperateUserRoleRequest) -> common::Status;
    /// SelectRole: one role (or all when `role` is unset).
    select_role(m::SelectRoleRequest) -> m::SelectRoleResponse;
    /// SelectUser: one user (or all when `user` is unset).
    select_user(m::SelectUserRequest) -> m::SelectUserResponse;
    /// OperatePrivilege: grant or revoke one privilege on one object.
    operate_privilege(m::OperatePrivilegeRequest) -> common::Status;
    /// OperatePrivilegeV2: grant or revoke a privilege (or group) on a database / collection.
    operate_privilege_v2(m::OperatePrivilegeV2Request) -> common::Status;
    /// SelectGrant: the grants of a role.
    select_grant(m::SelectGrantRequest) -> m::SelectGrantResponse;
    /// CreatePrivilegeGroup.
    create_privilege_group(m::CreatePrivilegeGroupRequest) -> common::Status;
    /// DropPrivilegeGroup.
    drop_privilege_group(m::DropPrivilegeGroupRequest) -> common::Status;
    /// ListPrivilegeGroups.
    list_privilege_groups(m::ListPrivilegeGroupsRequest) -> m::ListPrivilegeGroupsResponse;
    /// OperatePrivilegeGroup: add privileges to a group or remove them.
    operate_privilege_group(m::OperatePrivilegeGroupRequest) -> common::Status;
    /// CreateResourceGroup.
    create_resource_group(m::CreateResourceGroupRequest) -> common::Status;
    /// DropResourceGroup.
    drop_resource_group(m::DropResourceGroupRequest) -> common::Status;
    /// UpdateResourceGroups.
    update_resource_groups(m::UpdateResourceGroupsRequest) -> common::Status;
    /// TransferReplica.
    transfer_replica(m::TransferReplicaRequest) -> common::Status;
    /// ListResourceGroups.
    list_resource_groups(m::ListResourceGroupsRequest) -> m::ListResourceGroupsResponse;
    /// DescribeResourceGroup.
    describe_resource_group(m::DescribeResourceGroupRequest) -> m::DescribeResourceGroupResponse;
    /// GetReplicas: the replicas of a loaded collection.
    get_replicas(m::GetReplicasRequest) -> m::GetReplicasResponse;
}
