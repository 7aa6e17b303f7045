//! libmilvus: a Milvus client with a C ABI. Layers (docs/architecture.md):
//! `ffi` → `api` (JSON methods) → `client` → `codec` → generated `proto`.

pub mod api;
pub mod client;
pub mod codec;
pub mod error;
pub mod ffi;
pub mod log;
pub mod proto;
pub mod runtime;

pub use client::{CallOpts, Client, ClientConfig};
pub use error::{Error, ErrorKind, Result};
