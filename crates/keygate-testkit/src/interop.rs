//! Independent clients run as child processes against a real Keygate: the scripts under
//! `interop/` (Node and Python libraries), each printing a JSON summary as its last line.
//!
//! `.ci/run` installs the packages. A test whose client is missing fails under `CI=true` and
//! skips with the reason elsewhere ([`required`]).

use std::io::Read;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use serde_json::Value;

/// How long one script may take before it is killed and the test fails.
pub const SCRIPT_TIMEOUT: Duration = Duration::from_secs(180);

/// The repository's root, where the scripts run.
pub fn repo_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

/// Whether this is CI (`CI=true`), where a missing client is a failure.
pub fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

/// Whether `program args...` runs from the repository root and exits 0.
pub fn runs(program: &str, args: &[&str]) -> bool {
    Command::new(program)
        .args(args)
        .current_dir(repo_root())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

/// `true` when `ok`; otherwise a failure under CI, or a skip message elsewhere.
pub fn required(ok: bool, what: &str) -> bool {
    if !ok {
        assert!(!in_ci(), "{what} is required under CI=true (.ci/run installs it)");
        eprintln!("SKIPPED: {what} is missing (.ci/run installs it); set CI=true to fail instead");
    }
    ok
}

/// Whether Node and the npm package `package` (under `interop/node`) are installed.
pub fn node_package_ready(package: &str) -> bool {
    let installed = repo_root().join(format!("interop/node/node_modules/{package}/package.json"));
    required(runs("node", &["--version"]), "node")
        && required(installed.exists(), &format!("{package} (npm ci --prefix interop/node)"))
}

/// Whether Python can import `modules` (comma-separated), installed from
/// `interop/python/requirements.txt`.
pub fn python_modules_ready(modules: &str) -> bool {
    let what = format!("{modules} (python3 -m pip install -r interop/python/requirements.txt)");
    required(runs("python3", &["--version"]), "python3")
        && required(runs("python3", &["-c", &format!("import {modules}")]), &what)
}

/// One run of `program script` with its environment.
pub struct Script {
    program: String,
    script: String,
    env: Vec<(String, String)>,
}

impl Script {
    /// `program script`, the script's path relative to the repository root.
    pub fn new(program: &str, script: &str) -> Self {
        let env = vec![("NO_PROXY".to_owned(), "127.0.0.1,localhost".to_owned())];
        Self { program: program.to_owned(), script: script.to_owned(), env }
    }

    /// Sets an environment variable for the script.
    pub fn env(mut self, name: &str, value: impl Into<String>) -> Self {
        self.env.push((name.to_owned(), value.into()));
        self
    }

    /// Runs the script to the end and returns the JSON summary it printed last; fails the test
    /// on a non-zero exit, a missing summary or [`SCRIPT_TIMEOUT`]. Polls the child, so that
    /// the calling runtime keeps serving Keygate meanwhile.
    pub async fn run(self) -> Value {
        let (program, script) = (&self.program, &self.script);
        let mut child = Command::new(program)
            .arg(script)
            .current_dir(repo_root())
            .envs(self.env.iter().map(|(k, v)| (k, v)))
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap_or_else(|e| panic!("start {program} {script}: {e}"));
        let stdout = drain(child.stdout.take());
        let stderr = drain(child.stderr.take());
        let poll = Duration::from_millis(100);
        let mut waited = Duration::ZERO;
        let status = loop {
            if let Some(status) = child.try_wait().expect("wait for the script") {
                break status;
            }
            if waited >= SCRIPT_TIMEOUT {
                let _ = child.kill();
                let _ = child.wait();
                panic!("{program} {script} did not finish in {SCRIPT_TIMEOUT:?}");
            }
            tokio::time::sleep(poll).await;
            waited += poll;
        };
        let stdout = stdout.join().expect("stdout reader");
        let stderr = stderr.join().expect("stderr reader");
        assert!(status.success(), "{program} {script} failed ({status}):\n{stderr}\n{stdout}");
        let last = stdout.lines().last().unwrap_or_default();
        eprintln!("{program} {script}: {last}");
        serde_json::from_str(last).unwrap_or_else(|e| {
            panic!("{program} {script} printed no JSON summary ({e}):\n{stdout}")
        })
    }
}

/// Reads a child's pipe to the end on its own thread, so that the child never blocks on it.
fn drain(pipe: Option<impl Read + Send + 'static>) -> std::thread::JoinHandle<String> {
    std::thread::spawn(move || {
        let mut text = String::new();
        if let Some(mut pipe) = pipe {
            let _ = pipe.read_to_string(&mut text);
        }
        text
    })
}
