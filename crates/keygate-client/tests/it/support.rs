//! Shared set-up: a Keygate with a native client and the user `ada`, a client clock that
//! reads (and, to sleep, moves) Keygate's test clock, and a browser stand-in.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use keygate_client::clock::Sleep;
use keygate_client::{Client, ClientOptions, Clock, LoginOptions, LoopbackLogin};
use keygate_core::Clock as _;
use keygate_core::ManualClock;
use keygate_core::client::{AuthMethod, ClientSpec, ClientType, GrantType};
use keygate_testkit::{Browser, PASSWORD, TestApp, TestClient, location};

pub const SCOPE: &str = "openid profile email offline_access";

/// The client's clock is Keygate's manual clock; a sleep moves it forward by the requested
/// time (minus `shortfall` seconds, to provoke `slow_down`), records it, and yields for
/// `pause` of real time so a concurrent "user" can act.
#[derive(Clone)]
pub struct TestClock {
    pub clock: Arc<ManualClock>,
    pub slept: Arc<Mutex<Vec<u64>>>,
    pub shortfall: u64,
    pub pause: Duration,
}

impl TestClock {
    pub fn new(app: &TestApp) -> Self {
        Self {
            clock: app.clock.clone(),
            slept: Arc::default(),
            shortfall: 0,
            pause: Duration::ZERO,
        }
    }

    pub fn slept(&self) -> Vec<u64> {
        self.slept.lock().unwrap().clone()
    }
}

impl Clock for TestClock {
    fn now(&self) -> i64 {
        self.clock.now()
    }

    fn sleep(&self, duration: Duration) -> Sleep {
        let secs = duration.as_secs();
        self.slept.lock().unwrap().push(secs);
        self.clock.advance(i64::try_from(secs.saturating_sub(self.shortfall)).unwrap());
        let pause = self.pause;
        Box::pin(async move {
            if !pause.is_zero() {
                tokio::time::sleep(pause).await;
            }
        })
    }
}

/// A native public client (redirect `http://127.0.0.1/callback`, any port) allowed the
/// code, refresh and device grants, and the user `ada`.
pub async fn native_client(app: &TestApp) -> TestClient {
    let scopes = ["openid", "profile", "email", "offline_access"];
    let client = app.user_client(ClientType::Native, AuthMethod::None, &scopes, false).await;
    let grants = vec![GrantType::AuthorizationCode, GrantType::RefreshToken, GrantType::DeviceCode];
    let spec = ClientSpec { grant_types: Some(grants), ..Default::default() };
    app.admin().update_client(&client.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    client
}

/// A Keygate, its native client registration, `ada`, and a keygate-client on the test clock.
pub async fn setup() -> (TestApp, TestClient, Client, TestClock) {
    let app = TestApp::spawn().await;
    let registered = native_client(&app).await;
    app.user("ada").await;
    let clock = TestClock::new(&app);
    let client = client_for(&app, &registered.id, &clock).await;
    (app, registered, client, clock)
}

pub async fn client_for(app: &TestApp, client_id: &str, clock: &TestClock) -> Client {
    let options = ClientOptions { clock: Arc::new(clock.clone()), ..Default::default() };
    Client::discover_with(&app.issuer, client_id, options).await.unwrap()
}

/// Plays the browser: follows `url` through Keygate's login (as `ada`) and consent pages,
/// answering consent with `decision`; returns where Keygate redirects at the end (the
/// loopback callback).
pub async fn browser_signs_in(app: &TestApp, url: &str, decision: &str) -> String {
    let browser = Browser::new();
    let mut next = location(&browser.get(url).await);
    if next.starts_with(&app.url("/login")) {
        next = location(&app.submit_login(&browser, &next, "ada", PASSWORD).await);
    }
    if next.starts_with(&app.url("/consent")) {
        next = location(&app.submit_consent(&browser, &next, decision).await);
    }
    assert!(next.starts_with("http://127.0.0.1:"), "expected the loopback callback, got {next}");
    next
}

/// Delivers a redirect to the loopback listener, as the browser would; returns status and page.
pub async fn deliver(callback: &str) -> (u16, String) {
    let reply = reqwest::get(callback).await.unwrap();
    (reply.status().as_u16(), reply.text().await.unwrap())
}

/// A query parameter of a URL.
pub fn param(url: &str, name: &str) -> Option<String> {
    keygate_testkit::query_param(url, name)
}

/// Signs `ada` in through the loopback flow, playing the browser.
pub async fn sign_in(app: &TestApp, client: &Client) -> keygate_client::Tokens {
    let options = LoginOptions { scope: SCOPE.to_owned(), ..Default::default() };
    let login = LoopbackLogin::start(client, options).await.unwrap();
    let url = login.authorization_url().to_string();
    let waiting = tokio::spawn(login.wait());
    deliver(&browser_signs_in(app, &url, "allow").await).await;
    waiting.await.unwrap().unwrap()
}
