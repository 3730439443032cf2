//! Test-only helpers: a real Keygate on port 0 over a temporary SQLite file or a fresh
//! PostgreSQL database, with a clock the test moves.
//!
//! - [`TestApp`]: the running server, its provider, clock and HTTP client.
//! - [`Cluster`]: several nodes on one PostgreSQL database behind a load balancer.
//! - [`PgDatabase`]: a throw-away PostgreSQL database, dropped with the value.
//! - [`TempDir`]: a throw-away directory.
//! - [`SmtpSink`]: a real SMTP server on loopback that keeps what it accepts.
//! - [`Backend`]: which database a test runs on.
//! - [`interop`]: independent client libraries run as scripts against Keygate.
//!
//! PostgreSQL is looked for at `KEYGATE_TEST_POSTGRES_URL` (default
//! `postgres://postgres@127.0.0.1:5432`). When it cannot be reached, tests that need it fail
//! under `CI=true` and are skipped with a message elsewhere.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod authenticator;
mod browser;
mod cluster;
mod dpop;
mod http;
mod pg;
mod smtp;
mod tls;
mod webdriver;

pub mod interop;

use std::path::PathBuf;

use base64::Engine;
use std::sync::Arc;

use keygate_core::admin::{Admin, NewClient};
use keygate_core::client::{AuthMethod, ClientSpec, ClientType};
use keygate_core::keys::MasterKey;
use keygate_core::password_policy::PasswordPolicy;
use keygate_core::{ManualClock, Provider, Secret, Settings};
use keygate_server::serving::{Serving, Tls};
use keygate_server::{AppState, ServeOptions};
use keygate_store::SqlStore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

pub use authenticator::{SoftAuthenticator, SoftCredential};
pub use browser::{
    BROWSER_USER_AGENT, Browser, CodeResult, PASSWORD, REDIRECT_URI, SIGNED_OUT_URI, TestClient,
    form_field, link_href, location, pkce, query_param,
};
pub use cluster::{Cluster, forward};
pub use dpop::DpopKey;
pub use http::{Auth, Reply, basic};
pub use pg::{PgDatabase, postgres_available};
pub use smtp::{Received, SinkBehavior, SinkSecurity, SinkTls, SmtpSink};
pub use tls::TestCert;
pub use webdriver::{WebDriver, artifacts_dir};

/// A fixed start time for the manual clock: 2026-01-01T00:00:00Z.
pub const T0: i64 = 1_767_225_600;

/// Which database a test runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// A temporary SQLite file.
    Sqlite,
    /// A fresh PostgreSQL database.
    Postgres,
}

/// A directory removed when dropped.
#[derive(Debug)]
pub struct TempDir(pub PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> Self {
        let name = format!("{prefix}-{}", keygate_core::secret::random_string(9));
        let path = std::env::temp_dir().join(name.replace(['-', '_'], "x"));
        std::fs::create_dir_all(&path).expect("create temp dir");
        Self(path)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Whether `check` comes true within a second, asked every 50 ms (for changes that reach a
/// node through a feed or a poll).
pub async fn within_a_second<F, Fut>(mut check: F) -> bool
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    for _ in 0..20 {
        if check().await {
            return true;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    false
}

/// A store on `backend`, with what keeps it alive. `None` when PostgreSQL is unavailable
/// outside CI (the skip has been reported).
pub async fn test_store(backend: Backend) -> Option<(SqlStore, StoreGuard)> {
    match backend {
        Backend::Sqlite => {
            let dir = TempDir::new("kgtest");
            let url = format!("sqlite://{}?mode=rwc", dir.0.join("keygate.db").display());
            let store = SqlStore::open(&url, 4).await.expect("open sqlite");
            Some((store, StoreGuard { _dir: Some(dir), _pg: None, url }))
        }
        Backend::Postgres => {
            let db = PgDatabase::create().await?;
            let store = SqlStore::open(&db.url, 4).await.expect("open postgres");
            let url = db.url.clone();
            Some((store, StoreGuard { _dir: None, _pg: Some(db), url }))
        }
    }
}

/// Keeps a test database alive; drops it at the end.
#[derive(Debug)]
pub struct StoreGuard {
    _dir: Option<TempDir>,
    _pg: Option<PgDatabase>,
    /// The database URL, for a second process (the CLI) to open.
    pub url: String,
}

/// How a test server is served, beyond the defaults: TLS, trusted proxies, metrics.
#[derive(Default)]
pub struct Serve {
    /// The serving settings (trusted proxies, HSTS max-age, where `/metrics` is).
    pub serving: Serving,
    /// Serve HTTPS with this; the issuer is then `https://127.0.0.1:PORT`.
    pub tls: Option<Arc<Tls>>,
    /// How often the TLS files are checked for changes.
    pub tls_poll: Option<std::time::Duration>,
    /// Serve `/metrics` on a listener of its own (see [`TestApp::metrics_url`]).
    pub metrics_listener: bool,
    /// How long in-flight requests may run after [`TestApp::stop`].
    pub drain_timeout: Option<std::time::Duration>,
    /// Where mail goes (by default nowhere: messages stay in the outbox).
    pub mail: Option<keygate_server::mail::MailConfig>,
}

/// A running Keygate.
pub struct TestApp {
    /// The issuer, `http://127.0.0.1:PORT`.
    pub issuer: String,
    /// The address it listens on (the issuer may name another host, e.g. a proxy).
    pub addr: std::net::SocketAddr,
    pub provider: Arc<Provider>,
    pub store: SqlStore,
    pub clock: Arc<ManualClock>,
    pub http: reqwest::Client,
    /// The master key, base64, for a CLI pointed at the same database.
    pub master_key_b64: String,
    pub guard: StoreGuard,
    /// `http://127.0.0.1:PORT/metrics` when metrics have a listener of their own.
    pub metrics_url: Option<String>,
    shutdown: Option<oneshot::Sender<()>>,
    server: Option<tokio::task::JoinHandle<std::io::Result<()>>>,
}

impl TestApp {
    /// A Keygate on SQLite.
    pub async fn spawn() -> Self {
        Self::spawn_on(Backend::Sqlite).await.expect("sqlite is always available")
    }

    /// A Keygate on `backend`; `None` if PostgreSQL is unavailable outside CI.
    pub async fn spawn_on(backend: Backend) -> Option<Self> {
        Self::spawn_with(backend, |_| {}).await
    }

    /// A Keygate on SQLite whose (manual) clock starts at the real time, for independent client
    /// libraries that check `exp` and `iat` against the system clock.
    pub async fn spawn_realtime() -> Self {
        use keygate_core::Clock;
        let now = keygate_core::SystemClock.now();
        let spawned = Self::spawn_inner(Backend::Sqlite, |_| {}, now, Serve::default()).await;
        spawned.expect("sqlite is always available")
    }

    /// A Keygate on SQLite with adjusted settings whose clock keeps up with the real one (a task
    /// moves it every 100 ms), for independent clients that must see a token expire.
    pub async fn spawn_realtime_with(adjust: impl FnOnce(&mut Settings)) -> Self {
        use keygate_core::Clock;
        let now = keygate_core::SystemClock.now();
        let spawned = Self::spawn_inner(Backend::Sqlite, adjust, now, Serve::default()).await;
        let app = spawned.expect("sqlite is always available");
        let clock = app.clock.clone();
        tokio::spawn(async move {
            loop {
                tokio::time::sleep(std::time::Duration::from_millis(100)).await;
                let behind = keygate_core::SystemClock.now() - clock.now();
                if behind > 0 {
                    clock.advance(behind);
                }
            }
        });
        app
    }

    /// A Keygate on `backend` with adjusted settings.
    pub async fn spawn_with(backend: Backend, adjust: impl FnOnce(&mut Settings)) -> Option<Self> {
        Self::spawn_inner(backend, adjust, T0, Serve::default()).await
    }

    /// A Keygate on `backend` whose mail goes to `sink`, with adjusted settings.
    pub async fn spawn_with_mail(
        backend: Backend,
        sink: &SmtpSink,
        adjust: impl FnOnce(&mut Settings),
    ) -> Option<Self> {
        let from = "Keygate <no-reply@keygate.test>".parse().expect("sender");
        let mail =
            keygate_server::mail::MailConfig::plain_smtp(sink.addr(), from, "http://keygate.test");
        let serve = Serve { mail: Some(mail), ..Serve::default() };
        Self::spawn_inner(backend, adjust, T0, serve).await
    }

    /// A Keygate on SQLite served as `serve` says, with adjusted settings.
    pub async fn spawn_serving(serve: Serve, adjust: impl FnOnce(&mut Settings)) -> Self {
        let spawned = Self::spawn_inner(Backend::Sqlite, adjust, T0, serve).await;
        spawned.expect("sqlite is always available")
    }

    async fn spawn_inner(
        backend: Backend,
        adjust: impl FnOnce(&mut Settings),
        start: i64,
        serve: Serve,
    ) -> Option<Self> {
        let (store, guard) = test_store(backend).await?;
        let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
        let addr = listener.local_addr().expect("addr");
        let scheme = if serve.tls.is_some() { "https" } else { "http" };
        let issuer = format!("{scheme}://{addr}");
        let mut settings = Settings::new(issuer);
        settings.passwords = PasswordPolicy {
            memory_kib: 1024,
            iterations: 1,
            parallelism: 1,
            ..Default::default()
        };
        // Test peers (upstreams, JWKS and back-channel receivers) listen on loopback, which the
        // outbound policy refuses unless allowed; tests of the refusal clear this.
        settings.outbound_allow = vec!["127.0.0.0/8".to_owned(), "::1".to_owned()];
        adjust(&mut settings);
        let issuer = settings.issuer.clone();
        let clock = Arc::new(ManualClock::new(start));
        let key_bytes = keygate_core::secret::random_bytes(32);
        let master_key_b64 = base64::engine::general_purpose::STANDARD.encode(&key_bytes);
        let master = MasterKey::from_base64(&master_key_b64).expect("master key");
        let provider = Arc::new(
            Provider::new(settings, Arc::new(store.clone()), clock.clone(), master)
                .await
                .expect("provider"),
        );
        if let Some(mail) = &serve.mail {
            keygate_server::mail::install(&provider, mail).expect("mail transport");
        }
        let state = AppState::new(provider.clone()).expect("state").with_serving(&serve.serving);
        let metrics_listener = if serve.metrics_listener {
            Some(TcpListener::bind("127.0.0.1:0").await.expect("bind metrics"))
        } else {
            None
        };
        let metrics_url = metrics_listener
            .as_ref()
            .map(|l| format!("http://{}/metrics", l.local_addr().expect("metrics addr")));
        let options = ServeOptions {
            tls: serve.tls,
            tls_poll: serve.tls_poll,
            metrics_listener,
            drain_timeout: serve.drain_timeout,
        };
        let (tx, rx) = oneshot::channel::<()>();
        let server = tokio::spawn(keygate_server::serve_with(listener, state, options, async {
            let _ = rx.await;
        }));
        Some(Self {
            issuer,
            addr,
            provider,
            store,
            clock,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            master_key_b64,
            guard,
            metrics_url,
            shutdown: Some(tx),
            server: Some(server),
        })
    }

    /// Sends the shutdown signal and waits for the server to return.
    pub async fn stop(mut self) -> std::io::Result<()> {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
        let server = self.server.take().expect("the server task");
        server.await.expect("the server task ends without panicking")
    }

    /// `issuer + path`.
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.issuer)
    }

    /// Administrative operations at the test clock's time.
    pub fn admin(&self) -> Admin<'_> {
        Admin::new(&self.store, self.clock.as_ref()).for_issuer(&self.issuer)
    }

    /// Registers a machine-to-machine client; returns its id and secret.
    pub async fn m2m_client(&self, scopes: &[&str], resources: &[&str]) -> (String, String) {
        self.client_with(ClientType::M2m, AuthMethod::ClientSecretBasic, scopes, resources).await
    }

    /// Introspection credentials of the API `identifier` (registered first if it is not yet);
    /// returns their client id and secret (RFC 7662 §4: an API learns about its own tokens).
    pub async fn api_credentials(&self, identifier: &str) -> (String, String) {
        let admin = self.admin();
        if admin.api(identifier).await.is_err() {
            let spec = keygate_core::api::ApiSpec {
                identifier: Some(identifier.to_owned()),
                name: Some("Test API".to_owned()),
                ..Default::default()
            };
            admin.create_api(spec).await.expect("create API");
        }
        let (_, client, secret) = admin.create_api_credentials(identifier).await.expect("creds");
        self.provider.sync().await.expect("the provider sees the change");
        (client.client_id, secret.expose_secret().to_owned())
    }

    /// What a test client asks for, registered as an operator would first register it: each
    /// of `resources` that is not an API yet becomes one. Scopes that no registered API
    /// defines go to the first resource's API, or, with no resource, to the API that already
    /// defines them or a fixture API `https://api.example/`. Returns the resources to give the
    /// client (Keygate refuses scopes and APIs that do not exist).
    pub async fn register_access(&self, scopes: &[&str], resources: &[&str]) -> Vec<String> {
        let admin = self.admin();
        let mut apis = admin.apis().await.expect("APIs");
        let custom: Vec<&str> =
            scopes.iter().copied().filter(|s| !keygate_core::scope::is_reserved_scope(s)).collect();
        let mut resources: Vec<String> = resources.iter().map(|r| (*r).to_owned()).collect();
        let defines =
            |api: &keygate_core::api::Api, s: &str| api.scopes.iter().any(|d| d.name == s);
        if resources.is_empty() {
            for scope in &custom {
                let home = apis.iter().find(|api| defines(api, scope));
                let identifier = home.map_or("https://api.example/", |api| &api.identifier);
                if !resources.iter().any(|r| r == identifier) {
                    resources.push(identifier.to_owned());
                }
            }
        }
        for (i, identifier) in resources.iter().enumerate() {
            if identifier.ends_with("/admin/api") {
                continue;
            }
            let existing = apis.iter().find(|api| &api.identifier == identifier).cloned();
            let mut scopes_of_api: Vec<keygate_core::api::ApiScope> =
                existing.as_ref().map(|a| a.scopes.clone()).unwrap_or_default();
            if i == 0 {
                for scope in &custom {
                    if !apis.iter().any(|api| defines(api, scope))
                        && !scopes_of_api.iter().any(|d| d.name == *scope)
                    {
                        scopes_of_api.push(keygate_core::api::ApiScope::new(
                            (*scope).to_owned(),
                            format!("Use {scope}"),
                        ));
                    }
                }
            }
            let spec = keygate_core::api::ApiSpec {
                identifier: Some(identifier.clone()),
                name: Some(format!("Test API {identifier}")),
                scopes: Some(scopes_of_api),
                ..Default::default()
            };
            let saved = match existing {
                Some(api) => admin.update_api(&api.id, spec).await.expect("update API"),
                None => admin.create_api(spec).await.expect("create API"),
            };
            apis.retain(|api| api.id != saved.id);
            apis.push(saved);
        }
        resources
    }

    /// Registers a client of `client_type` using `auth_method`; returns its id and secret
    /// (empty for public clients).
    pub async fn client_with(
        &self,
        client_type: ClientType,
        auth_method: AuthMethod,
        scopes: &[&str],
        resources: &[&str],
    ) -> (String, String) {
        let owned = |v: &[&str]| v.iter().map(|s| (*s).to_owned()).collect::<Vec<_>>();
        let resources = self.register_access(scopes, resources).await;
        let redirect = (client_type != ClientType::M2m)
            .then(|| vec!["https://app.example/callback".to_owned()]);
        let spec = ClientSpec {
            name: Some(format!("test {client_type} client")),
            scopes: Some(owned(scopes)),
            resources: Some(resources),
            auth_method: Some(auth_method),
            redirect_uris: redirect,
            ..Default::default()
        };
        let new = NewClient { client_type, client_id: None, secret: None, spec };
        let (client, secret) = self.admin().create_client(new).await.expect("create client");
        let secret = secret.map(|s: Secret| s.expose_secret().to_owned()).unwrap_or_default();
        (client.client_id, secret)
    }
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}
