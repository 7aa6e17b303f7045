//! Code generated from `proto/` by build.rs.
#![allow(clippy::all, missing_docs, non_camel_case_types)]

pub mod common {
    tonic::include_proto!("milvus.proto.common");
}
pub mod packed;
pub mod schema {
    tonic::include_proto!("milvus.proto.schema");
    pub use super::packed::FloatArray;
}
pub mod msg {
    tonic::include_proto!("milvus.proto.msg");
}
pub mod rg {
    tonic::include_proto!("milvus.proto.rg");
}
pub mod milvus {
    tonic::include_proto!("milvus.proto.milvus");
}
