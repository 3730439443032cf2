//! The `keygate` binary as a person or a script uses it: commands against a data directory or a
//! PostgreSQL database, and `keygate serve` as a real process.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod admin;
mod commands;
mod data;
mod mail;
mod serve;

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

/// `keygate --data-dir DIR ...` with no `KEYGATE_*` variables inherited.
pub fn keygate(data_dir: &Path) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_keygate"));
    for (key, _) in std::env::vars() {
        if key.starts_with("KEYGATE_") {
            cmd.env_remove(key);
        }
    }
    cmd.arg("--data-dir").arg(data_dir).env("KEYGATE_LOG", "warn");
    // Fast hashing for tests; the shipped default is OWASP's minimum.
    cmd.env("KEYGATE_PASSWORDS_ARGON2_MEMORY_KIB", "1024");
    cmd
}

/// Runs a command with `stdin` as its input.
pub fn run(mut cmd: Command, args: &[&str], stdin: &str) -> Output {
    let mut child = cmd
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn keygate");
    child.stdin.take().unwrap().write_all(stdin.as_bytes()).unwrap();
    child.wait_with_output().unwrap()
}

/// Runs a command that must succeed and print JSON.
#[track_caller]
pub fn run_json(cmd: Command, args: &[&str], stdin: &str) -> Value {
    let out = run(cmd, args, stdin);
    assert!(out.status.success(), "{args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{args:?}: not JSON ({e}): {}", String::from_utf8_lossy(&out.stdout))
    })
}

/// Text of stdout and stderr.
pub fn text(out: &Output) -> (String, String) {
    (String::from_utf8_lossy(&out.stdout).into(), String::from_utf8_lossy(&out.stderr).into())
}
