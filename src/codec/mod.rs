//! Pure conversions between JSON and the wire messages. No I/O.

pub mod aggregation;
pub mod arrow;
pub mod columns;
pub mod expr;
pub mod rerank;
pub mod results;
pub mod rows;
pub mod schema;
pub mod search;
pub mod typed;
pub mod vectors;
