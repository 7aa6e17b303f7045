//! RPCs that only optimize, dump_messages and struct fields use.

use super::passthrough;
use crate::proto::common;
use crate::proto::milvus as m;

passthrough! {
    alloc_timestamp(m::AllocTimestampRequest) -> m::AllocTimestampResponse;
    add_collection_struct_field(m::AddCollectionStructFieldRequest) -> common::Status;
}
