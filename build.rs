//! Generates the gRPC client from `proto/` and the exported JSON methods from the tables in
//! `src/ffi/methods/`, both into `OUT_DIR`; it writes nothing else. The C header is made by
//! tools/header (`make header`).

#[path = "tools/methods_table.rs"]
mod methods_table;

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    let out = PathBuf::from(env::var("OUT_DIR").expect("OUT_DIR"));
    println!("cargo:rerun-if-changed=proto");
    println!("cargo:rerun-if-changed=src/ffi/methods");
    println!("cargo:rerun-if-changed=tools/methods_table.rs");

    let fds =
        protox::compile(["milvus.proto"], ["proto"]).unwrap_or_else(|e| panic!("proto/: {e}"));
    tonic_prost_build::configure()
        .build_server(false)
        .build_transport(false)
        .emit_rerun_if_changed(false)
        // Packed floats (vectors) decode and encode in bulk: see src/proto/packed.rs.
        .extern_path(
            ".milvus.proto.schema.FloatArray",
            "crate::proto::packed::FloatArray",
        )
        .compile_fds(fds)
        .expect("generating the gRPC client");

    let methods = methods_table::read_methods(Path::new("src/ffi/methods"));
    let generated = out.join("json_methods.rs");
    write_if_changed(&generated, &methods_table::render_methods(&methods));
    link_soname();
}

/// Sets the shared library's SONAME (policy in README "Versioning": `libmilvus.so.0.MINOR`
/// before 1.0, `libmilvus.so.MAJOR` after). The link of that name beside the built library,
/// for programs run from target/<profile>/, is made by `make` (scripts/soname_link.sh).
fn link_soname() {
    if env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("linux") {
        return;
    }
    let version = |k: &str| env::var(k).expect("cargo version");
    let soname = match version("CARGO_PKG_VERSION_MAJOR").as_str() {
        "0" => format!("libmilvus.so.0.{}", version("CARGO_PKG_VERSION_MINOR")),
        major => format!("libmilvus.so.{major}"),
    };
    println!("cargo:rustc-cdylib-link-arg=-Wl,-soname,{soname}");
}

fn write_if_changed(path: &Path, text: &str) {
    if fs::read_to_string(path).ok().as_deref() != Some(text) {
        if let Some(dir) = path.parent() {
            fs::create_dir_all(dir).expect("creating output folder");
        }
        fs::write(path, text).unwrap_or_else(|e| panic!("writing {}: {e}", path.display()));
    }
}
