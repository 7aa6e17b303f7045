//! `milvus-header [--check]`: generates include/milvus.h from src/ffi (plus the JSON-method
//! exports rendered from src/ffi/methods/) with cbindgen. With `--check` it writes nothing
//! and fails when the committed header differs from what would be generated.

#[path = "../../methods_table.rs"]
mod methods_table;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

fn main() -> ExitCode {
    let check = match std::env::args().nth(1).as_deref() {
        None => false,
        Some("--check") => true,
        Some(other) => {
            eprintln!("milvus-header: unknown argument {other:?} (usage: milvus-header [--check])");
            return ExitCode::from(2);
        }
    };
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../..");
    let text = match generate(&root) {
        Ok(text) => text,
        Err(e) => {
            eprintln!("milvus-header: {e}");
            return ExitCode::FAILURE;
        }
    };
    let path = root.join("include/milvus.h");
    let current = std::fs::read_to_string(&path).unwrap_or_default();
    if check {
        if current != text {
            eprintln!("milvus-header: include/milvus.h is stale: run `make header` and commit it");
            return ExitCode::FAILURE;
        }
        println!("milvus-header: include/milvus.h is current");
    } else if current != text {
        if let Err(e) = std::fs::write(&path, text) {
            eprintln!("milvus-header: writing {}: {e}", path.display());
            return ExitCode::FAILURE;
        }
        println!("milvus-header: wrote include/milvus.h");
    }
    ExitCode::SUCCESS
}

fn generate(root: &Path) -> Result<String, String> {
    let methods = methods_table::read_methods(&root.join("src/ffi/methods"));
    // cbindgen parses files; the rendered exports go to a private temporary one.
    let dir = std::env::temp_dir().join(format!("milvus-header-{}", std::process::id()));
    std::fs::create_dir_all(&dir).map_err(|e| format!("{}: {e}", dir.display()))?;
    let exports = dir.join("json_methods.rs");
    let written = std::fs::write(&exports, methods_table::render_methods(&methods));
    let result = written
        .map_err(|e| format!("{}: {e}", exports.display()))
        .and_then(|()| bindings(root, &exports));
    let _ = std::fs::remove_dir_all(&dir);
    result
}

fn bindings(root: &Path, exports: &Path) -> Result<String, String> {
    let mut config = cbindgen::Config::from_file(root.join("cbindgen.toml"))
        .map_err(|e| format!("cbindgen.toml: {e}"))?;
    let version = package_version(root)?;
    let mut parts = version.split('.');
    let mut part = || parts.next().unwrap_or("0").to_string();
    let (major, minor, patch) = (part(), part(), part());
    // cbindgen.toml's after_includes (the Arrow C Data Interface) follows the version.
    let after = config.after_includes.take().unwrap_or_default();
    config.after_includes = Some(format!(
        "\n#define MILVUS_VERSION_MAJOR {major}\n#define MILVUS_VERSION_MINOR {minor}\n\
         #define MILVUS_VERSION_PATCH {patch}\n#define MILVUS_VERSION_STRING \"{version}\"{after}"
    ));
    // mod.rs leads cbindgen through the submodules; the JSON-method exports are included by
    // a macro there, which cbindgen does not expand, so they are parsed on their own.
    let bindings = cbindgen::Builder::new()
        .with_config(config)
        .with_src(root.join("src/ffi/mod.rs"))
        .with_src(exports)
        .generate()
        .map_err(|e| format!("cbindgen: {e}"))?;
    let mut text = Vec::new();
    bindings.write(&mut text);
    String::from_utf8(text).map_err(|e| format!("cbindgen wrote non-UTF-8: {e}"))
}

/// The `version` of the root package, from Cargo.toml's `[package]` table.
fn package_version(root: &Path) -> Result<String, String> {
    let toml = std::fs::read_to_string(root.join("Cargo.toml")).map_err(|e| e.to_string())?;
    let mut in_package = false;
    for line in toml.lines() {
        let line = line.trim();
        if line.starts_with('[') {
            in_package = line == "[package]";
        } else if let Some(v) = line.strip_prefix("version").map(str::trim) {
            if in_package {
                if let Some(v) = v.strip_prefix('=') {
                    return Ok(v.trim().trim_matches('"').to_string());
                }
            }
        }
    }
    Err("Cargo.toml: no [package] version".into())
}
