//! A small W3C WebDriver client for Debian's `chromedriver` driving headless Chromium: enough to
//! open pages, fill forms, click, read the URL and take screenshots.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use base64::Engine;
use serde_json::{Value, json};

const CHROMIUM: &str = "/usr/bin/chromium";
const CHROMEDRIVER: &str = "/usr/bin/chromedriver";

/// A headless Chromium session. Quits the browser and the driver when dropped.
pub struct WebDriver {
    http: reqwest::Client,
    base: String,
    driver: Child,
    _profile: crate::TempDir,
}

impl WebDriver {
    /// Starts chromedriver and a headless Chromium. `None` (with a message) when they are not
    /// installed, unless `CI=true`, where that is a failure.
    pub async fn start() -> Option<Self> {
        if !Path::new(CHROMIUM).exists() || !Path::new(CHROMEDRIVER).exists() {
            if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") {
                panic!("chromium and chromium-driver are required under CI=true");
            }
            eprintln!("SKIPPED: install Debian's chromium and chromium-driver for browser tests");
            return None;
        }
        let port = std::net::TcpListener::bind("127.0.0.1:0").ok()?.local_addr().ok()?.port();
        let driver = Command::new(CHROMEDRIVER)
            .arg(format!("--port={port}"))
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .expect("start chromedriver");
        let http = reqwest::Client::new();
        let base = format!("http://127.0.0.1:{port}");
        for _ in 0..100 {
            if http.get(format!("{base}/status")).send().await.is_ok() {
                break;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        let profile = crate::TempDir::new("kgchrome");
        let mut wd = Self { http, base, driver, _profile: profile };
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--window-size=1280,900".to_owned(),
            format!("--user-data-dir={}", wd._profile.0.display()),
        ];
        let caps = json!({"capabilities": {"alwaysMatch": {
            "browserName": "chrome",
            "goog:chromeOptions": {"binary": CHROMIUM, "args": args}
        }}});
        let session = wd.call("POST", "/session", Some(caps)).await;
        let id = session["sessionId"].as_str().expect("session id").to_owned();
        wd.base = format!("{}/session/{id}", wd.base);
        Some(wd)
    }

    async fn call(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let url = format!("{}{path}", self.base);
        let req = match method {
            "GET" => self.http.get(url),
            "DELETE" => self.http.delete(url),
            _ => self.http.post(url).json(&body.unwrap_or(json!({}))),
        };
        let reply: Value =
            req.send().await.expect("webdriver").json().await.expect("webdriver json");
        if let Some(error) = reply["value"]["error"].as_str() {
            panic!("webdriver {path}: {error}: {}", reply["value"]["message"]);
        }
        reply["value"].clone()
    }

    /// Opens a URL.
    pub async fn goto(&self, url: &str) {
        self.call("POST", "/url", Some(json!({ "url": url }))).await;
    }

    /// The current URL.
    pub async fn url(&self) -> String {
        self.call("GET", "/url", None).await.as_str().unwrap_or_default().to_owned()
    }

    /// The page's HTML.
    pub async fn source(&self) -> String {
        self.call("GET", "/source", None).await.as_str().unwrap_or_default().to_owned()
    }

    async fn find(&self, css: &str) -> String {
        let found = self
            .call("POST", "/element", Some(json!({"using": "css selector", "value": css})))
            .await;
        // The W3C web element reference is an object with one member, the element id.
        found
            .as_object()
            .and_then(|o| o.values().next())
            .and_then(Value::as_str)
            .unwrap_or_else(|| panic!("no element for {css}: {found}"))
            .to_owned()
    }

    /// Types into the element matching `css`.
    pub async fn type_into(&self, css: &str, text: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/value"), Some(json!({ "text": text }))).await;
    }

    /// Clicks the element matching `css`.
    pub async fn click(&self, css: &str) {
        let id = self.find(css).await;
        self.call("POST", &format!("/element/{id}/click"), None).await;
    }

    /// The visible text of the element matching `css`.
    pub async fn text(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.call("GET", &format!("/element/{id}/text"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Adds a virtual WebAuthn authenticator (WebAuthn L3 §11.3, chromedriver's extension
    /// command): CTAP2, built in, holding discoverable credentials, verifying the user as
    /// `user_verified` says, and consenting to every request. Returns its id.
    pub async fn add_virtual_authenticator(&self, user_verified: bool) -> String {
        let options = json!({
            "protocol": "ctap2",
            "transport": "internal",
            "hasResidentKey": true,
            "hasUserVerification": true,
            "isUserConsenting": true,
            "isUserVerified": user_verified,
        });
        let id = self.call("POST", "/webauthn/authenticator", Some(options)).await;
        id.as_str().unwrap_or_default().to_owned()
    }

    /// The credentials a virtual authenticator holds (WebAuthn L3 §11.7).
    pub async fn virtual_credentials(&self, authenticator: &str) -> Vec<Value> {
        let path = format!("/webauthn/authenticator/{authenticator}/credentials");
        self.call("GET", &path, None).await.as_array().cloned().unwrap_or_default()
    }

    /// Removes a virtual authenticator (WebAuthn L3 §11.4).
    pub async fn remove_virtual_authenticator(&self, authenticator: &str) {
        self.call("DELETE", &format!("/webauthn/authenticator/{authenticator}"), None).await;
    }

    /// Puts a credential read with [`Self::virtual_credentials`] (its private key included)
    /// into a virtual authenticator (WebAuthn L3 §11.6).
    pub async fn add_virtual_credential(&self, authenticator: &str, credential: &Value) {
        let path = format!("/webauthn/authenticator/{authenticator}/credential");
        self.call("POST", &path, Some(credential.clone())).await;
    }

    /// Runs `script` (a function body; `return` gives the result) in the page.
    pub async fn execute(&self, script: &str) -> Value {
        self.call("POST", "/execute/sync", Some(json!({"script": script, "args": []}))).await
    }

    /// The current `value` of the form field matching `css`.
    pub async fn value(&self, css: &str) -> String {
        let id = self.find(css).await;
        self.call("GET", &format!("/element/{id}/property/value"), None)
            .await
            .as_str()
            .unwrap_or_default()
            .to_owned()
    }

    /// Resizes the window (e.g. to a phone's viewport).
    pub async fn resize(&self, width: u32, height: u32) {
        self.call("POST", "/window/rect", Some(json!({"width": width, "height": height}))).await;
    }

    /// Saves a PNG screenshot as `target/test-artifacts/<name>.png`; returns its path.
    pub async fn screenshot(&self, name: &str) -> PathBuf {
        let b64 = self.call("GET", "/screenshot", None).await;
        let png = base64::engine::general_purpose::STANDARD
            .decode(b64.as_str().unwrap_or_default())
            .expect("screenshot base64");
        let dir = artifacts_dir();
        std::fs::create_dir_all(&dir).expect("artifacts dir");
        let path = dir.join(format!("{name}.png"));
        std::fs::write(&path, png).expect("write screenshot");
        path
    }

    /// Runs axe-core on the current page and panics listing every violation of serious or
    /// critical impact, with the page's `name`.
    pub async fn assert_accessible(&self, name: &str) {
        let violations = self.accessibility_violations().await.unwrap_or_default();
        assert!(violations.is_empty(), "axe-core on {name}:\n{}", violations.join("\n"));
    }

    /// axe-core's violations of serious or critical impact on the current page, one line each.
    /// axe-core comes from npm (`interop/node`, which `.ci/run` installs); without it, `None`
    /// with a message, except under `CI=true`, where that is a failure.
    pub async fn accessibility_violations(&self) -> Option<Vec<String>> {
        let axe = axe_source()?;
        self.call("POST", "/execute/sync", Some(json!({"script": axe, "args": []}))).await;
        let run = "const done = arguments[arguments.length - 1];\
            axe.run(document, {resultTypes: ['violations']}).then(r => done(r.violations\
              .filter(v => v.impact === 'serious' || v.impact === 'critical')\
              .map(v => v.id + ' (' + v.impact + '): ' + v.help + ' at '\
                + v.nodes.map(n => n.target.join(' ')).join(', '))))\
              .catch(e => done(['axe-core failed: ' + e]));";
        let found =
            self.call("POST", "/execute/async", Some(json!({"script": run, "args": []}))).await;
        let lines = found.as_array().map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned));
        Some(lines.map(Iterator::collect).unwrap_or_default())
    }

    /// Waits until an element matches `css` (a form's response may still be loading), up to
    /// 30 s: a sign-in hashes a password, and CI runs tests side by side on two cores.
    pub async fn wait_for_element(&self, css: &str) {
        for _ in 0..600 {
            let found = self
                .call("POST", "/elements", Some(json!({"using": "css selector", "value": css})))
                .await;
            if found.as_array().is_some_and(|a| !a.is_empty()) {
                return;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Waits until the URL satisfies `pred` (a redirect chain may still be running), up to 30 s.
    pub async fn wait_for_url(&self, pred: impl Fn(&str) -> bool) -> String {
        for _ in 0..600 {
            let url = self.url().await;
            if pred(&url) {
                return url;
            }
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.url().await
    }
}

/// axe-core's script from `interop/node/node_modules`, or `None` (skip) outside CI.
fn axe_source() -> Option<String> {
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../interop/node/node_modules/axe-core/axe.min.js");
    match std::fs::read_to_string(&path) {
        Ok(source) => Some(source),
        Err(_) if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("axe-core is required under CI=true: npm ci --prefix interop/node")
        }
        Err(_) => {
            eprintln!(
                "SKIPPED: accessibility check; run npm ci --prefix interop/node for axe-core"
            );
            None
        }
    }
}

/// Where screenshots go: `<workspace>/target/test-artifacts`.
pub fn artifacts_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../target/test-artifacts")
}

impl Drop for WebDriver {
    fn drop(&mut self) {
        let _ = self.driver.kill();
        let _ = self.driver.wait();
        // Chromium outlives a killed driver: stop exactly the processes started with this
        // session's own profile directory, and nothing else.
        let marker = format!("--user-data-dir={}", self._profile.0.display());
        for pid in processes_with_arg(&marker) {
            let _ = Command::new("kill").arg("-9").arg(pid.to_string()).status();
        }
    }
}

/// Ids of the processes whose command line contains `arg` exactly.
fn processes_with_arg(arg: &str) -> Vec<u32> {
    let Ok(entries) = std::fs::read_dir("/proc") else { return Vec::new() };
    entries
        .filter_map(Result::ok)
        .filter_map(|e| e.file_name().to_str().and_then(|n| n.parse::<u32>().ok()))
        .filter(|pid| {
            std::fs::read(format!("/proc/{pid}/cmdline"))
                .map(|cmd| cmd.split(|b| *b == 0).any(|a| a == arg.as_bytes()))
                .unwrap_or(false)
        })
        .collect()
}
