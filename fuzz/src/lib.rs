//! Shared by the fuzz targets: the stub gRPC server and its fixed collection schemas of every
//! field type, so the JSON methods can be driven end to end with no Milvus. They are the
//! offline tests' (`tests/stub/`), included by path so that one copy serves both.

#[path = "../../tests/stub/mod.rs"]
pub mod stub;

pub use stub::schemas::{describe, infos, schema_dicts, schema_for};
