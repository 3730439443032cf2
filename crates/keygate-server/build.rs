//! Marks the interop tests `#[ignore]`d, with the reason, when the independent clients they
//! drive are not installed, so that `cargo test` counts them as ignored (and says why) rather
//! than as passed. Under `CI=true` nothing is ignored: a missing client fails its test.

use std::path::Path;
use std::process::{Command, Stdio};

fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn main() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let node_marker = root.join("interop/node/node_modules/.package-lock.json");
    println!("cargo::rustc-check-cfg=cfg(interop_node_missing, interop_python_missing)");
    println!("cargo::rerun-if-env-changed=CI");
    // The folder, not the marker: creating or removing node_modules changes the folder.
    println!("cargo::rerun-if-changed={}", root.join("interop/node").display());
    println!("cargo::rerun-if-changed={}", root.join("interop/python/requirements.txt").display());
    println!("cargo::rerun-if-changed=build.rs");
    if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
        return;
    }
    if !(node_marker.exists() && runs("node", &["--version"])) {
        println!("cargo::rustc-cfg=interop_node_missing");
    }
    if !runs("python3", &["-c", "import authlib, requests, joserfc"]) {
        println!("cargo::rustc-cfg=interop_python_missing");
    }
}
