//! The `native-app` binary as a user runs it, against a real Keygate and private-api:
//! `login --no-browser` (a test plays the browser and delivers the loopback redirect),
//! `whoami`, `call`, `token`, `logout`; and `login --device` with a test playing the user on
//! `/device`.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

use std::process::Stdio;
use std::time::Duration;

use keygate_core::client::{AuthMethod, ClientSpec, ClientType, GrantType};
use keygate_testkit::{Browser, PASSWORD, TempDir, TestApp, form_field, location, query_param};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};
use tokio::process::{Child, Command};

const AUDIENCE: &str = "http://127.0.0.1/private-api";

/// Keygate (clock at real time, as the binary checks `exp`/`iat` against the system clock),
/// private-api, a native client allowed the code, refresh and device grants for private-api,
/// the user `ada`, and a directory for the token file.
struct World {
    app: TestApp,
    api: String,
    client_id: String,
    dir: TempDir,
}

impl World {
    async fn new() -> Self {
        let app = TestApp::spawn_realtime().await;
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let api = format!("http://{}", listener.local_addr().unwrap());
        let (validator, metadata) =
            private_api::protect(&app.issuer, AUDIENCE, &api).await.unwrap();
        tokio::spawn(
            async move { axum::serve(listener, private_api::app(validator, metadata)).await },
        );
        let scopes = ["openid", "profile", "email", "offline_access"];
        let client = app.user_client(ClientType::Native, AuthMethod::None, &scopes, false).await;
        let grants =
            vec![GrantType::AuthorizationCode, GrantType::RefreshToken, GrantType::DeviceCode];
        app.register_access(&[], &[AUDIENCE]).await;
        let spec = ClientSpec {
            grant_types: Some(grants),
            resources: Some(vec![AUDIENCE.to_owned()]),
            ..Default::default()
        };
        app.admin().update_client(&client.id, spec).await.unwrap();
        app.provider.sync().await.unwrap();
        app.user("ada").await;
        Self { app, api, client_id: client.id, dir: TempDir::new("nativeapp") }
    }

    fn store(&self) -> std::path::PathBuf {
        self.dir.0.join("config").join("tokens.enc")
    }

    /// The binary with this world's configuration and the encrypted file store.
    fn command(&self, args: &[&str]) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_native-app"));
        command
            .args(args)
            .env_remove("API_AUDIENCE")
            .env("HOME", &self.dir.0)
            .env("XDG_CONFIG_HOME", self.dir.0.join("xdg"))
            .env("KEYGATE_ISSUER", &self.app.issuer)
            .env("CLIENT_ID", &self.client_id)
            .env("PRIVATE_API", &self.api)
            .env("NATIVE_APP_STORE", self.store())
            .env("NATIVE_APP_STORE_KIND", "file")
            .env("NATIVE_APP_PASSPHRASE", "correct horse battery staple")
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true);
        command
    }

    /// Runs a command to the end: (success, stdout, stderr).
    async fn run(&self, args: &[&str]) -> (bool, String, String) {
        let out = tokio::time::timeout(Duration::from_secs(60), self.command(args).output())
            .await
            .expect("the command finishes")
            .unwrap();
        let text = |b: Vec<u8>| String::from_utf8(b).unwrap();
        (out.status.success(), text(out.stdout), text(out.stderr))
    }
}

/// Reads `child`'s stdout until a line containing `marker`; returns the lines read so far
/// and the rest of stdout as a task.
async fn read_until(
    child: &mut Child,
    marker: &str,
) -> (Vec<String>, tokio::task::JoinHandle<String>) {
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let mut seen = Vec::new();
    loop {
        let line = tokio::time::timeout(Duration::from_secs(30), lines.next_line())
            .await
            .expect("output in time")
            .unwrap()
            .unwrap_or_else(|| panic!("no line with {marker} in {seen:?}"));
        let done = line.contains(marker);
        seen.push(line);
        if done {
            break;
        }
    }
    let rest = tokio::spawn(async move {
        let mut rest = String::new();
        lines.into_inner().read_to_string(&mut rest).await.unwrap();
        rest
    });
    (seen, rest)
}

/// Plays the browser from the authorization URL through login and consent; returns the
/// loopback redirect Keygate sends it to.
async fn browser_signs_in(app: &TestApp, browser: &Browser, url: &str) -> String {
    let mut next = location(&browser.get(url).await);
    if next.starts_with(&app.url("/login")) {
        next = location(&app.submit_login(browser, &next, "ada", PASSWORD).await);
    }
    if next.starts_with(&app.url("/consent")) {
        next = location(&app.submit_consent(browser, &next, "allow").await);
    }
    next
}

#[tokio::test]
async fn rfc8252_cli_session_login_whoami_call_token_logout() {
    let world = World::new().await;
    let app = &world.app;

    // Not logged in yet: a clear message.
    let (ok, _, stderr) = world.run(&["call"]).await;
    assert!(!ok);
    assert!(stderr.contains("not logged in") && stderr.contains("native-app login"), "{stderr}");

    // login --no-browser prints the URL and waits for the loopback redirect.
    let mut login = world.command(&["login", "--no-browser"]).spawn().unwrap();
    let (seen, rest) = read_until(&mut login, "/authorize?").await;
    let url = seen.last().unwrap().trim().to_owned();
    assert!(url.starts_with(&app.url("/authorize?")), "{url}");
    let redirect_uri = query_param(&url, "redirect_uri").unwrap();
    assert!(redirect_uri.starts_with("http://127.0.0.1:"), "{redirect_uri}");
    let browser = Browser::new();
    let callback = browser_signs_in(app, &browser, &url).await;
    assert!(callback.starts_with(&redirect_uri), "{callback}");
    let page = reqwest::get(&callback).await.unwrap();
    assert_eq!(page.status(), 200);
    assert!(page.text().await.unwrap().contains("You can close this window"));
    let status =
        tokio::time::timeout(Duration::from_secs(30), login.wait()).await.unwrap().unwrap();
    let stdout = rest.await.unwrap();
    let mut stderr = String::new();
    login.stderr.take().unwrap().read_to_string(&mut stderr).await.unwrap();
    assert!(status.success(), "{stdout}\n{stderr}");
    assert!(stdout.contains("Logged in as ada (ada Example)."), "{stdout}");
    assert!(stderr.contains("encrypted file"), "says where the tokens are: {stderr}");

    // The token file: private, and no token in it.
    let bytes = std::fs::read(world.store()).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(world.store()).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let (ok, whoami, stderr) = world.run(&["whoami"]).await;
    assert!(ok, "{stderr}");
    assert!(whoami.contains(&format!("Signed in to {} as ada", app.issuer)), "{whoami}");
    assert!(whoami.contains("\"email\": \"ada@example.com\""), "{whoami}");
    assert!(whoami.contains("UserInfo:"), "{whoami}");

    let (ok, called, stderr) = world.run(&["call"]).await;
    assert!(ok, "{stderr}");
    assert_eq!(called.trim(), "Only authenticated users can read this message");

    let (ok, token, stderr) = world.run(&["token"]).await;
    assert!(ok, "{stderr}");
    let token = token.trim().to_owned();
    assert_eq!(token.split('.').count(), 3, "a JWT access token: {token}");
    assert!(!String::from_utf8_lossy(&bytes).contains(&token[..40]), "not in the file in clear");
    assert!(stderr.contains("DPoP"), "says the token is bound: {stderr}");
    // RFC 9449: the token is bound to the key kept in the encrypted store; copied out of the
    // app, without a proof by that key, private-api refuses it.
    let direct = reqwest::Client::new()
        .get(format!("{}/private", world.api))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 401, "a bound token alone is refused");

    let (ok, out, stderr) = world.run(&["logout", "--no-browser"]).await;
    assert!(ok, "{stderr}");
    assert!(out.contains("Refresh token revoked."), "{out}");
    assert!(out.contains("Stored tokens deleted."), "{out}");
    assert!(!world.store().exists());
    let end_session = out
        .lines()
        .map(str::trim)
        .find(|l| l.starts_with(&app.url("/logout?")))
        .unwrap_or_else(|| panic!("no end-session URL in {out}"))
        .to_owned();
    // The browser opens the end-session URL: its Keygate session ends.
    let signed_out = browser.get(&end_session).await;
    assert!(signed_out.body.contains("You are signed out"), "{}", signed_out.body);
    let again = location(&browser.get(&url).await);
    assert!(again.starts_with(&app.url("/login")), "signed out at Keygate: {again}");

    let (ok, _, stderr) = world.run(&["whoami"]).await;
    assert!(!ok);
    assert!(stderr.contains("please log in again"), "{stderr}");
}

#[tokio::test]
async fn rfc8628_cli_device_login() {
    let world = World::new().await;
    let app = &world.app;
    // Keygate's test clock follows real time here (device polling is timed by it).
    let clock = app.clock.clone();
    let ticker = tokio::spawn(async move {
        loop {
            tokio::time::sleep(Duration::from_secs(1)).await;
            clock.advance(1);
        }
    });

    let mut login = world.command(&["login", "--device", "--no-dpop"]).spawn().unwrap();
    let (seen, rest) = read_until(&mut login, "(or open ").await;
    let complete = seen
        .last()
        .unwrap()
        .trim()
        .trim_start_matches("(or open ")
        .trim_end_matches(')')
        .to_owned();
    let user_code = query_param(&complete, "user_code").unwrap();
    assert!(seen.iter().any(|l| l.trim() == user_code), "{seen:?}");
    assert!(seen.iter().any(|l| l.contains(&app.url("/device"))), "{seen:?}");

    // The user, on another device: the link, the prefilled code, sign-in, consent.
    let browser = Browser::new();
    let page = browser.get(&complete).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [("csrf", csrf.as_str()), ("user_code", user_code.as_str())];
    let login_page = location(&browser.post_form(&app.url("/device"), &form).await);
    let consent = location(&app.submit_login(&browser, &login_page, "ada", PASSWORD).await);
    let done = app.submit_consent(&browser, &consent, "allow").await;
    assert_eq!(done.status, 200);

    let status =
        tokio::time::timeout(Duration::from_secs(60), login.wait()).await.unwrap().unwrap();
    let stdout = rest.await.unwrap();
    assert!(status.success(), "{stdout}");
    assert!(stdout.contains("Logged in as ada"), "{stdout}");
    ticker.abort();

    let (ok, called, stderr) = world.run(&["call"]).await;
    assert!(ok, "{stderr}");
    assert_eq!(called.trim(), "Only authenticated users can read this message");

    // Signed in with --no-dpop: the printed token is a bearer token that works for scripts.
    let (ok, token, stderr) = world.run(&["token"]).await;
    assert!(ok && !stderr.contains("DPoP"), "{stderr}");
    let direct = reqwest::Client::new()
        .get(format!("{}/private", world.api))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), 200, "the printed bearer token works for scripts");
    let (ok, _, stderr) = world.run(&["logout", "--no-browser"]).await;
    assert!(ok, "{stderr}");
    // The grant is revoked at Keygate: the old access token no longer works at userinfo.
    let userinfo = reqwest::Client::new()
        .get(app.url("/userinfo"))
        .bearer_auth(token.trim())
        .send()
        .await
        .unwrap();
    assert_eq!(userinfo.status(), 401);
}
