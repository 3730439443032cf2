//! Several Keygate nodes on one PostgreSQL database behind a small load balancer, as a
//! deployment runs them. Each node has its own runtime on its own thread, pool, caches and
//! background tasks; killing a node drops its runtime at once, like a crash. The balancer
//! sends each request to the node the test chose, or round-robin, skipping dead nodes.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use axum::body::Bytes;
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use base64::Engine;
use keygate_core::keys::MasterKey;
use keygate_core::password_policy::PasswordPolicy;
use keygate_core::{ManualClock, Provider, Settings};
use keygate_server::AppState;
use keygate_store::SqlStore;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::{PgDatabase, StoreGuard, T0, TestApp};

/// "Any node": round-robin over the live ones.
const ANY: usize = usize::MAX;

/// One node: its address and the switch that kills it.
struct Node {
    addr: SocketAddr,
    kill: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

/// A cluster of nodes sharing one database, issuer and master key.
pub struct Cluster {
    nodes: Vec<Node>,
    target: Arc<AtomicUsize>,
    alive: Arc<std::sync::Mutex<Vec<bool>>>,
}

impl Cluster {
    /// `n` nodes on a fresh PostgreSQL database; the [`TestApp`] speaks to them through the
    /// balancer (its provider and store are a client-side view for setting up data). `None`
    /// when PostgreSQL is unavailable outside CI.
    pub async fn start(n: usize) -> Option<(TestApp, Self)> {
        let db = PgDatabase::create().await?;
        let front = TcpListener::bind("127.0.0.1:0").await.expect("bind balancer");
        let issuer = format!("http://{}", front.local_addr().expect("addr"));
        let clock = Arc::new(ManualClock::new(T0));
        let master_key_b64 = base64::engine::general_purpose::STANDARD
            .encode(keygate_core::secret::random_bytes(32));
        let settings = {
            let mut s = Settings::new(issuer.clone());
            s.passwords = PasswordPolicy {
                memory_kib: 1024,
                iterations: 1,
                parallelism: 1,
                ..Default::default()
            };
            // Test servers (documents, JWKS) listen on loopback, which the outbound policy
            // refuses unless allowed, as in a single TestApp.
            s.outbound_allow = vec!["127.0.0.0/8".to_owned(), "::1".to_owned()];
            s
        };
        // Migrate once, then start the nodes (each would migrate too; the lock makes it safe).
        let store = SqlStore::open(&db.url, 4).await.expect("open postgres");
        let mut nodes = Vec::new();
        for _ in 0..n {
            nodes.push(spawn_node(&db.url, settings.clone(), clock.clone(), &master_key_b64).await);
        }
        let addrs: Vec<SocketAddr> = nodes.iter().map(|n| n.addr).collect();
        let target = Arc::new(AtomicUsize::new(ANY));
        let alive = Arc::new(std::sync::Mutex::new(vec![true; n]));
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .build()
            .expect("balancer client");
        let next = Arc::default();
        let balancer = Balancer { addrs, target: target.clone(), alive: alive.clone(), next, http };
        let app =
            axum::Router::new().fallback(move |m, u, h, b| balancer.clone().forward(m, u, h, b));
        tokio::spawn(async move { axum::serve(front, app).await });
        let master = MasterKey::from_base64(&master_key_b64).expect("master key");
        let view = Provider::new(settings, Arc::new(store.clone()), clock.clone(), master)
            .await
            .expect("provider");
        let url = db.url.clone();
        let test_app = TestApp {
            issuer,
            addr: nodes[0].addr,
            provider: Arc::new(view),
            store,
            clock,
            http: reqwest::Client::builder()
                .redirect(reqwest::redirect::Policy::none())
                .build()
                .expect("http client"),
            master_key_b64,
            guard: StoreGuard { _dir: None, _pg: Some(db), url },
            metrics_url: None,
            shutdown: None,
            server: None,
        };
        Some((test_app, Self { nodes, target, alive }))
    }

    /// Sends the following requests to node `i` (from 0).
    pub fn via(&self, i: usize) {
        self.target.store(i, Ordering::SeqCst);
    }

    /// Spreads the following requests over the live nodes.
    pub fn round_robin(&self) {
        self.target.store(ANY, Ordering::SeqCst);
    }

    /// Kills node `i` at once: its runtime, connections, pool and tasks are dropped.
    pub fn kill(&mut self, i: usize) {
        if let Some(kill) = self.nodes[i].kill.take() {
            let _ = kill.send(());
        }
        if let Some(thread) = self.nodes[i].thread.take() {
            let _ = thread.join();
        }
        self.alive.lock().expect("alive")[i] = false;
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        for i in 0..self.nodes.len() {
            self.kill(i);
        }
    }
}

async fn spawn_node(url: &str, settings: Settings, clock: Arc<ManualClock>, master: &str) -> Node {
    let (addr_tx, addr_rx) = oneshot::channel();
    let (kill_tx, kill_rx) = oneshot::channel::<()>();
    let (url, master) = (url.to_owned(), master.to_owned());
    let thread = std::thread::spawn(move || {
        let rt = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(1)
            .enable_all()
            .build()
            .expect("node runtime");
        rt.block_on(async move {
            let store = SqlStore::open(&url, 4).await.expect("node store");
            let master = MasterKey::from_base64(&master).expect("master key");
            let provider = Provider::new(settings, Arc::new(store), clock, master).await;
            let state = AppState::new(Arc::new(provider.expect("provider"))).expect("state");
            let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind node");
            let _ = addr_tx.send(listener.local_addr().expect("addr"));
            tokio::select! {
                _ = keygate_server::serve(listener, state, std::future::pending()) => {}
                _ = kill_rx => {}
            }
        });
        rt.shutdown_background();
    });
    let addr = addr_rx.await.expect("node started");
    Node { addr, kill: Some(kill_tx), thread: Some(thread) }
}

/// Forwards requests to the chosen node, or round-robin with failover to the next live node
/// when a node does not answer (as a load balancer's health checks and retries would).
#[derive(Clone)]
struct Balancer {
    addrs: Vec<SocketAddr>,
    target: Arc<AtomicUsize>,
    alive: Arc<std::sync::Mutex<Vec<bool>>>,
    next: Arc<AtomicUsize>,
    http: reqwest::Client,
}

impl Balancer {
    async fn forward(self, method: Method, uri: Uri, headers: HeaderMap, body: Bytes) -> Response {
        let chosen = self.target.load(Ordering::SeqCst);
        let order: Vec<usize> = if chosen == ANY {
            let start = self.next.fetch_add(1, Ordering::SeqCst);
            (0..self.addrs.len()).map(|k| (start + k) % self.addrs.len()).collect()
        } else {
            vec![chosen]
        };
        for i in order {
            if !self.alive.lock().map(|a| a[i]).unwrap_or(false) {
                continue;
            }
            let sent =
                forward(&self.http, self.addrs[i], &method, &uri, &headers, body.clone()).await;
            if let Some(answer) = sent {
                return answer.into_response();
            }
        }
        StatusCode::BAD_GATEWAY.into_response()
    }
}

/// Sends a request on to `target` as it came (minus `Host`); the answer, minus the framing
/// headers, or `None` when `target` does not answer. Test proxies and the balancer use it.
pub async fn forward(
    http: &reqwest::Client,
    target: SocketAddr,
    method: &Method,
    uri: &Uri,
    headers: &HeaderMap,
    body: Bytes,
) -> Option<(StatusCode, HeaderMap, Vec<u8>)> {
    let path = uri.path_and_query().map_or("/", |p| p.as_str());
    let mut request = http.request(method.clone(), format!("http://{target}{path}")).body(body);
    for (name, value) in headers {
        if name != "host" {
            request = request.header(name, value);
        }
    }
    let answer = request.send().await.ok()?;
    let status = StatusCode::from_u16(answer.status().as_u16()).unwrap_or(StatusCode::BAD_GATEWAY);
    let mut out = HeaderMap::new();
    for (name, value) in answer.headers() {
        if name != "content-length" && name != "transfer-encoding" {
            out.append(name, value.clone());
        }
    }
    let bytes = answer.bytes().await.ok()?.to_vec();
    Some((status, out, bytes))
}
