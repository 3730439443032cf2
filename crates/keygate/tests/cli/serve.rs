use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

use keygate_core::keys::{KeyPair, MasterKey};
use keygate_core::store::KeyStore;
use keygate_store::SqlStore;
use keygate_testkit::{PgDatabase, TempDir, TestCert, basic};
use serde_json::Value;

use crate::{keygate, run, run_json};

/// A `keygate serve` process, stopped with SIGTERM when dropped.
pub(crate) struct Server {
    child: Child,
    base: String,
    first_lines: String,
}

impl Server {
    pub(crate) fn start(mut cmd: Command) -> Self {
        let mut child = cmd
            .args(["serve", "--listen", "127.0.0.1:0"])
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .spawn()
            .expect("spawn keygate serve");
        let mut reader = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        reader.read_line(&mut line).unwrap();
        let base = line
            .split_whitespace()
            .find(|w| w.starts_with("http://127.0.0.1:") || w.starts_with("https://127.0.0.1:"))
            .unwrap_or_else(|| panic!("no address in start-up line: {line}"))
            .to_owned();
        // Keep draining stdout so the server never blocks on a full pipe.
        std::thread::spawn(move || for _ in reader.lines() {});
        Server { child, base, first_lines: line }
    }

    fn terminate(&mut self) -> std::process::ExitStatus {
        Command::new("kill").args(["-TERM", &self.child.id().to_string()]).status().unwrap();
        self.child.wait().unwrap()
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

async fn token(base: &str, id: &str, secret: &str) -> (u16, Value) {
    let resp = reqwest::Client::new()
        .post(format!("{base}/token"))
        .header("authorization", basic(id, secret))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("grant_type=client_credentials")
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// Polls until `check` holds, for at most three seconds (changes must show within one).
async fn eventually<F, Fut>(what: &str, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..150 {
        if check().await {
            return;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{what} did not happen");
}

fn kid_of(token: &str) -> String {
    use base64::Engine;
    let header = token.split('.').next().unwrap();
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(header).unwrap();
    serde_json::from_slice::<Value>(&bytes).unwrap()["kid"].as_str().unwrap().to_owned()
}

/// The whole life of a deployment driven from outside: serve, register a client with the CLI
/// while it runs, get a token, rotate the secret and the keys from the CLI, stop on SIGTERM.
async fn serve_and_administer(cli: impl Fn() -> Command) {
    let mut server = Server::start(cli());
    assert!(server.first_lines.contains("issuer"), "{}", server.first_lines);
    let base = server.base.clone();
    let http = reqwest::Client::new();
    let doc: Value = http
        .get(format!("{base}/.well-known/openid-configuration"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(doc["issuer"], "http://localhost:8080");

    let api = ["apis", "create", "--identifier", "https://api.example/", "--name", "API"];
    run_json(cli(), &[&api[..], &["--scope", "read=Read your data", "--json"]].concat(), "");
    let args = ["clients", "create", "--name", "svc", "--type", "m2m", "--scope", "read"];
    let c = run_json(
        cli(),
        &[&args[..], &["--resource", "https://api.example/", "--json"]].concat(),
        "",
    );
    let (id, secret) = (c["client_id"].as_str().unwrap(), c["client_secret"].as_str().unwrap());
    let (status, body) = token(&base, id, secret).await;
    assert_eq!(status, 200, "{body}");
    let first_kid = kid_of(body["access_token"].as_str().unwrap());

    let rotated = run_json(cli(), &["clients", "rotate-secret", id, "--json"], "");
    let new_secret = rotated["client_secret"].as_str().unwrap().to_owned();
    eventually("the old secret being refused", || async {
        token(&base, id, secret).await.0 == 401
    })
    .await;
    assert_eq!(token(&base, id, &new_secret).await.0, 200);

    assert!(run(cli(), &["keys", "rotate"], "").status.success());
    eventually("tokens signed with the new key", || async {
        let (_, body) = token(&base, id, &new_secret).await;
        kid_of(body["access_token"].as_str().unwrap()) != first_kid
    })
    .await;
    let jwks: Value = http.get(format!("{base}/jwks")).send().await.unwrap().json().await.unwrap();
    let kids: Vec<&str> =
        jwks["keys"].as_array().unwrap().iter().map(|k| k["kid"].as_str().unwrap()).collect();
    assert!(kids.contains(&first_kid.as_str()), "the old key stays published");

    let status = server.terminate();
    assert!(status.success(), "graceful exit on SIGTERM: {status:?}");
}

#[tokio::test]
async fn serve_on_sqlite_and_administer_while_running() {
    let dir = TempDir::new("kgserve");
    serve_and_administer(|| keygate(&dir.0)).await;
    // The master key file is private to its owner.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.0.join("master.key")).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_keys_sealed(
        &format!("sqlite://{}?mode=rwc", dir.0.join("keygate.db").display()),
        &dir.0,
    )
    .await;
}

#[tokio::test]
async fn serve_on_postgres_via_keygate_database_url() {
    let Some(db) = PgDatabase::create().await else { return };
    let dir = TempDir::new("kgserve");
    let url = db.url.clone();
    serve_and_administer(|| {
        let mut cmd = keygate(&dir.0);
        cmd.env("KEYGATE_DATABASE_URL", &url);
        cmd
    })
    .await;
    assert!(!dir.0.join("keygate.db").exists(), "no SQLite file when PostgreSQL is configured");
    assert_keys_sealed(&url, &dir.0).await;
}

/// Private keys in the database are not PKCS#8 in clear, and open only with the master key.
async fn assert_keys_sealed(url: &str, data_dir: &Path) {
    let store = SqlStore::connect(url, 1).await.unwrap();
    let keys = store.list_keys().await.unwrap();
    assert!(!keys.is_empty());
    let master = MasterKey::load_or_create(&data_dir.join("master.key")).unwrap();
    for key in keys {
        assert!(KeyPair::from_pkcs8(key.alg, &key.sealed_private).is_err(), "stored in clear");
        let pkcs8 = master.open(&key.sealed_private, &key.kid).unwrap();
        assert_eq!(KeyPair::from_pkcs8(key.alg, &pkcs8).unwrap().kid(), key.kid);
    }
    store.close().await;
}

#[test]
fn serve_refuses_a_bad_configuration_with_every_problem() {
    let dir = TempDir::new("kgserve");
    let mut cmd = keygate(&dir.0);
    cmd.env("KEYGATE_ISSUER", "ftp://x").env("KEYGATE_DATABASE_URL", "mysql://db");
    let out = run(cmd, &["serve"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("2 problem(s)"), "{err}");
}

#[test]
fn rfc8414_2_serve_refuses_an_http_issuer_off_loopback() {
    let dir = TempDir::new("kgserve");
    let out = run(keygate(&dir.0), &["serve", "--issuer", "http://id.example.com"], "");
    assert!(!out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("issuer 'http://id.example.com' must use https"), "{err}");
    assert!(err.contains("localhost or a loopback address"), "{err}");
    assert!(!dir.0.join("keygate.db").exists(), "refused before anything is created");
}

/// The certificate a fresh HTTPS connection to `base` is served.
async fn served_cert(base: &str, roots: &[&TestCert]) -> (reqwest::Version, Vec<u8>) {
    let http = reqwest::Client::builder()
        .tls_certs_only(roots.iter().map(|c| c.root()))
        .tls_info(true)
        .build()
        .unwrap();
    let response = http.get(format!("{base}/healthz")).send().await.unwrap();
    let info = response.extensions().get::<reqwest::tls::TlsInfo>().unwrap();
    (response.version(), info.peer_certificate().unwrap().to_vec())
}

/// `keygate serve` over HTTPS from `KEYGATE_TLS_*`: the start-up line says https, HTTP/2 is
/// negotiated, SIGHUP loads a replaced certificate, SIGTERM still stops it gracefully.
// Multi-threaded: the clients' HTTP/2 connections must keep being driven (to answer the
// server's GOAWAY) while this thread waits for the process to exit.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn serve_https_reloads_the_certificate_on_sighup() {
    let dir = TempDir::new("kgserve");
    let (cert_file, key_file) = (dir.0.join("cert.pem"), dir.0.join("key.pem"));
    let (first, second) = (TestCert::new("first"), TestCert::new("second"));
    first.write(&cert_file, &key_file);
    let mut cmd = keygate(&dir.0);
    cmd.env("KEYGATE_ISSUER", "https://localhost:8443")
        .env("KEYGATE_TLS_CERT_FILE", &cert_file)
        .env("KEYGATE_TLS_KEY_FILE", &key_file);
    let mut server = Server::start(cmd);
    assert!(
        server.first_lines.starts_with("Keygate listening on https://"),
        "{}",
        server.first_lines
    );
    let base = server.base.clone();
    let (version, served) = served_cert(&base, &[&first, &second]).await;
    assert_eq!(version, reqwest::Version::HTTP_2);
    assert_eq!(served, first.der);

    second.write(&cert_file, &key_file);
    Command::new("kill").args(["-HUP", &server.child.id().to_string()]).status().unwrap();
    let mut now_served = Vec::new();
    for _ in 0..30 {
        now_served = served_cert(&base, &[&first, &second]).await.1;
        if now_served == second.der {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert_eq!(now_served, second.der, "the new certificate after SIGHUP");

    let status = server.terminate();
    assert!(status.success(), "graceful exit on SIGTERM over TLS: {status:?}");
}

#[test]
fn config_check_reads_the_tls_proxy_and_metrics_sections() {
    let dir = TempDir::new("kgserve");
    let file = dir.0.join("keygate.toml");
    std::fs::write(
        &file,
        "issuer = \"https://id.example.com\"\n\
         [tls]\ncert_file = \"/etc/keygate/cert.pem\"\nkey_file = \"/etc/keygate/key.pem\"\n\
         hsts_max_age = 600\n\
         [proxy]\ntrusted = [\"10.0.0.0/8\", \"127.0.0.1\"]\nheader = \"forwarded\"\n\
         [metrics]\nlisten = \"127.0.0.1:9090\"\n",
    )
    .unwrap();
    let out = run(keygate(&dir.0), &["--config", file.to_str().unwrap(), "config", "check"], "");
    let (stdout, err) =
        (String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{err}");
    assert!(stdout.contains("tls:      /etc/keygate/cert.pem"), "{stdout}");
    assert!(stdout.contains("proxies:  2 trusted, read through forwarded"), "{stdout}");
    assert!(stdout.contains("metrics:  http://127.0.0.1:9090/metrics"), "{stdout}");

    std::fs::write(&file, "[tls]\ncert = \"/etc/keygate/cert.pem\"\n").unwrap();
    let out = run(keygate(&dir.0), &["--config", file.to_str().unwrap(), "config", "check"], "");
    assert!(String::from_utf8_lossy(&out.stderr).contains("cert"), "unknown keys are reported");
    assert!(!out.status.success());
}
