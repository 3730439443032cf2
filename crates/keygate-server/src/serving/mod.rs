//! Serving Keygate in production: HTTPS, HSTS, reverse proxies and metrics.
//!
//! - [`settings`]: the `[tls]`, `[proxy]` and `[metrics]` configuration sections.
//! - [`tls`]: rustls with HTTP/2 by ALPN, and certificates reloaded without a restart.
//! - [`proxy`]: the client address and scheme through trusted proxies (RFC 7239).
//! - [`edge`]: the per-request middleware that applies them, HSTS, and the [`ClientIp`]
//!   extractor.
//! - [`metrics`]: Prometheus metrics and `/metrics`.
//! - [`listen`]: the main and metrics listeners, stopped together with a drain deadline.

pub mod edge;
pub mod listen;
pub mod metrics;
pub mod proxy;
pub mod settings;
pub mod tls;

use std::sync::Arc;
use std::time::Duration;

use axum::http::HeaderValue;

pub use edge::{ClientIp, client_ip};
pub use proxy::{ClientAddr, ForwardedHeader, Scheme, TrustedProxies};
pub use settings::{AddressList, MetricsExposure, Serving, TlsFiles};
pub use tls::Tls;

/// What the serving middleware needs at each request, shared by every handler.
#[derive(Debug)]
pub struct ServingState {
    /// Proxies whose forwarded headers are believed.
    pub trusted_proxies: TrustedProxies,
    /// The `Strict-Transport-Security` value, when the issuer is https.
    pub hsts: Option<HeaderValue>,
    /// This server's metrics.
    pub metrics: metrics::Metrics,
    /// Whether `/metrics` is served on the main listener.
    pub metrics_on_main: bool,
}

impl ServingState {
    /// The state for `serving` under `issuer`.
    pub fn new(issuer: &str, serving: &Serving) -> Self {
        Self {
            trusted_proxies: serving.trusted_proxies.clone(),
            hsts: edge::hsts_header(issuer, serving.hsts_max_age),
            metrics: match serving.metrics {
                MetricsExposure::Off => metrics::Metrics::off(),
                _ => metrics::Metrics::on(),
            },
            metrics_on_main: serving.metrics == MetricsExposure::Main,
        }
    }
}

/// Runs `job` every `period` (the first run one period from now), until aborted.
pub(crate) fn spawn_every<F, Fut>(period: Duration, mut job: F) -> tokio::task::JoinHandle<()>
where
    F: FnMut() -> Fut + Send + 'static,
    Fut: std::future::Future<Output = ()> + Send,
{
    tokio::spawn(async move {
        let mut tick = tokio::time::interval(period);
        tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
        tick.tick().await;
        loop {
            tick.tick().await;
            job().await;
        }
    })
}

/// How [`crate::serve_with`] serves, beyond the main listener.
#[derive(Debug, Default)]
pub struct ServeOptions {
    /// Serve HTTPS with this; plain HTTP when `None`.
    pub tls: Option<Arc<Tls>>,
    /// How often the TLS files are checked for changes ([`tls::POLL_INTERVAL`] when `None`).
    pub tls_poll: Option<Duration>,
    /// A listener for `/metrics` only.
    pub metrics_listener: Option<tokio::net::TcpListener>,
    /// How long in-flight requests may run after shutdown ([`listen::DRAIN_TIMEOUT`] when
    /// `None`).
    pub drain_timeout: Option<Duration>,
}
