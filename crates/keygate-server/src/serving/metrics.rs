//! Prometheus metrics: requests by endpoint and status with latency histograms, tokens issued by
//! grant type, sign-in outcomes, and database pool use.
//!
//! Each [`Metrics`] has a recorder of its own (not the `metrics` crate's global one), so that
//! several servers in one process (tests, embedders) count separately. Labels are route
//! patterns and fixed words, never raw paths, client input, secrets or tokens.

use std::sync::Arc;
use std::time::Duration;

use axum::Router;
use axum::extract::{MatchedPath, Request, State};
use axum::http::{Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use keygate_core::Provider;
use metrics::{Key, Label, Level, Metadata, Recorder, Unit};
use metrics_exporter_prometheus::{
    Matcher, PrometheusBuilder, PrometheusHandle, PrometheusRecorder,
};

use super::ServingState;

/// The path `/metrics` is served at.
pub const PATH: &str = "/metrics";

const REQUESTS: &str = "keygate_http_requests_total";
const DURATION: &str = "keygate_http_request_duration_seconds";
const TOKENS: &str = "keygate_tokens_issued_total";
const LOGINS: &str = "keygate_logins_total";
const POOL: &str = "keygate_db_pool_connections";
const POOL_MAX: &str = "keygate_db_pool_max_connections";
const MAIL_DELIVERIES: &str = "keygate_mail_deliveries_total";
const MAIL_MESSAGES: &str = "keygate_mail_messages";

/// Latency buckets, seconds: a token request is about a millisecond, a password check tens.
const LATENCY_BUCKETS: &[f64] =
    &[0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0];

/// How often histogram samples are folded into their buckets.
pub const UPKEEP_INTERVAL: Duration = Duration::from_secs(5);

static METADATA: Metadata<'static> =
    Metadata::new("keygate", Level::INFO, Some("keygate_server::serving::metrics"));

/// The outcome of a password sign-in, a label of `keygate_logins_total`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LoginOutcome {
    /// Signed in.
    Success,
    /// Wrong username or password.
    Failure,
    /// Refused by the throttle.
    Throttled,
}

/// One server's metrics: a registry when metrics are served, else nothing (and recording is
/// free).
pub struct Metrics(Option<Registry>);

struct Registry {
    recorder: PrometheusRecorder,
    handle: PrometheusHandle,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_tuple("Metrics").field(&self.0.is_some()).finish()
    }
}

impl Metrics {
    /// Metrics that are served: a fresh registry with every metric described.
    pub fn on() -> Self {
        let builder = PrometheusBuilder::new()
            .set_buckets_for_metric(Matcher::Full(DURATION.to_owned()), LATENCY_BUCKETS)
            .unwrap_or_else(|_| PrometheusBuilder::new());
        let recorder = builder.build_recorder();
        let handle = recorder.handle();
        let describe = |name: &'static str, unit: Option<Unit>, text: &'static str| {
            recorder.describe_counter(name.into(), unit, text.into());
        };
        describe(REQUESTS, None, "HTTP requests by endpoint (route pattern), method and status");
        describe(TOKENS, None, "Tokens issued at the token endpoint, by grant type");
        describe(LOGINS, None, "Password sign-ins by outcome (success, failure, throttled)");
        describe(
            MAIL_DELIVERIES,
            None,
            "Mail delivery attempts by outcome (sent, retried, failed)",
        );
        recorder.describe_gauge(
            MAIL_MESSAGES.into(),
            None,
            "Messages in the mail outbox by status (pending, sending, sent, failed, interrupted)"
                .into(),
        );
        recorder.describe_histogram(
            DURATION.into(),
            Some(Unit::Seconds),
            "Time to answer HTTP requests, by endpoint and method".into(),
        );
        recorder.describe_gauge(
            POOL.into(),
            None,
            "Database pool connections by state (idle, in_use)".into(),
        );
        recorder.describe_gauge(POOL_MAX.into(), None, "Database pool size limit".into());
        Self(Some(Registry { recorder, handle }))
    }

    /// Metrics that are not served: nothing is recorded.
    pub fn off() -> Self {
        Self(None)
    }

    /// Whether anything is recorded.
    pub fn is_on(&self) -> bool {
        self.0.is_some()
    }

    fn count(&self, name: &'static str, labels: Vec<Label>) {
        if let Some(r) = &self.0 {
            r.recorder.register_counter(&Key::from_parts(name, labels), &METADATA).increment(1);
        }
    }

    /// Counts one answered request and its latency.
    pub fn request(&self, endpoint: &str, method: &Method, status: u16, elapsed: Duration) {
        let Some(r) = &self.0 else { return };
        let endpoint = Label::new("endpoint", endpoint.to_owned());
        let method = Label::new("method", method_label(method));
        let status = Label::new("status", status.to_string());
        let key = Key::from_parts(DURATION, vec![endpoint.clone(), method.clone()]);
        r.recorder.register_histogram(&key, &METADATA).record(elapsed.as_secs_f64());
        self.count(REQUESTS, vec![endpoint, method, status]);
    }

    /// Counts a token issued for `grant_type` (the request's parameter, bounded to known names).
    pub fn token_issued(&self, grant_type: Option<&str>) {
        self.count(TOKENS, vec![Label::new("grant_type", grant_label(grant_type))]);
    }

    /// Counts a password sign-in.
    pub fn login(&self, outcome: LoginOutcome) {
        let outcome = match outcome {
            LoginOutcome::Success => "success",
            LoginOutcome::Failure => "failure",
            LoginOutcome::Throttled => "throttled",
        };
        self.count(LOGINS, vec![Label::new("outcome", outcome)]);
    }

    /// Counts what one run of the mail sender did.
    pub fn mail_run(&self, run: &keygate_core::mail::sender::DeliveryRun) {
        let Some(r) = &self.0 else { return };
        for (outcome, n) in [("sent", run.sent), ("retried", run.retried), ("failed", run.failed)] {
            let key = Key::from_parts(MAIL_DELIVERIES, vec![Label::new("outcome", outcome)]);
            r.recorder.register_counter(&key, &METADATA).increment(n);
        }
    }

    /// Sets the outbox gauges.
    pub fn mail_counts(&self, counts: &keygate_core::mail::MailCounts) {
        let Some(r) = &self.0 else { return };
        for (status, n) in counts {
            let key = Key::from_parts(MAIL_MESSAGES, vec![Label::new("status", status.as_str())]);
            // Counts of rows: far below 2^53, exact as f64.
            #[allow(clippy::cast_precision_loss)]
            r.recorder.register_gauge(&key, &METADATA).set(*n as f64);
        }
    }

    /// The text exposition, with the pool gauges read now (empty when off).
    pub fn render(&self, provider: &Provider) -> String {
        let Some(r) = &self.0 else { return String::new() };
        if let Some(pool) = provider.store().pool_use() {
            let gauge = |name: &'static str, labels: Vec<Label>, value: u32| {
                let key = Key::from_parts(name, labels);
                r.recorder.register_gauge(&key, &METADATA).set(f64::from(value));
            };
            let in_use = pool.size.saturating_sub(pool.idle);
            gauge(POOL, vec![Label::new("state", "idle")], pool.idle);
            gauge(POOL, vec![Label::new("state", "in_use")], in_use);
            gauge(POOL_MAX, vec![], pool.max);
        }
        r.handle.render()
    }

    /// Folds recorded samples into histograms, so that memory stays bounded between scrapes.
    pub fn run_upkeep(&self) {
        if let Some(r) = &self.0 {
            r.handle.run_upkeep();
        }
    }
}

/// The methods Keygate answers, and `other`, so a client cannot make up label values.
fn method_label(method: &Method) -> &'static str {
    match *method {
        Method::GET => "GET",
        Method::POST => "POST",
        Method::PUT => "PUT",
        Method::PATCH => "PATCH",
        Method::DELETE => "DELETE",
        Method::OPTIONS => "OPTIONS",
        Method::HEAD => "HEAD",
        _ => "other",
    }
}

/// Known grant types keep their name (the device grant its short one); anything else is
/// `other`.
fn grant_label(grant_type: Option<&str>) -> &'static str {
    use keygate_core::client::GrantType;
    grant_type.and_then(GrantType::from_grant_type).map_or("other", GrantType::short_name)
}

/// Middleware: times every request and counts it under its route pattern (`unmatched` for
/// paths no route serves). Works with [`keep_route`] inside the router.
pub async fn track(State(serving): State<Arc<ServingState>>, req: Request, next: Next) -> Response {
    if !serving.metrics.is_on() {
        return next.run(req).await;
    }
    // A duration, not protocol time: the injected clock does not apply.
    #[allow(clippy::disallowed_methods)]
    let started = std::time::Instant::now();
    let method = req.method().clone();
    let response = next.run(req).await;
    let endpoint = response.extensions().get::<MatchedPath>().map_or("unmatched", |p| p.as_str());
    let status = response.status().as_u16();
    serving.metrics.request(endpoint, &method, status, started.elapsed());
    response
}

/// Route middleware: hands the matched route pattern out to [`track`] with the response.
pub async fn keep_route(path: MatchedPath, req: Request, next: Next) -> Response {
    let mut response = next.run(req).await;
    response.extensions_mut().insert(path);
    response
}

/// `GET /metrics`.
pub async fn scrape(State(state): State<crate::AppState>) -> Response {
    let body = state.serving.metrics.render(&state.provider);
    ([(header::CONTENT_TYPE, "text/plain; version=0.0.4; charset=utf-8")], body).into_response()
}

/// The router of a separate metrics listener: `/metrics` only.
pub fn router(state: crate::AppState) -> Router {
    Router::new().route(PATH, get(scrape)).with_state(state)
}

/// Runs [`Metrics::run_upkeep`] every [`UPKEEP_INTERVAL`] (nothing when metrics are off).
pub fn spawn_upkeep(serving: Arc<ServingState>) -> tokio::task::JoinHandle<()> {
    if !serving.metrics.is_on() {
        return tokio::spawn(async {});
    }
    super::spawn_every(UPKEEP_INTERVAL, move || {
        serving.metrics.run_upkeep();
        std::future::ready(())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_are_bounded_whatever_the_client_sends() {
        assert_eq!(
            grant_label(Some("urn:ietf:params:oauth:grant-type:device_code")),
            "device_code"
        );
        assert_eq!(grant_label(Some("password'); DROP TABLE")), "other");
        assert_eq!(grant_label(None), "other");
        assert_eq!(method_label(&Method::from_bytes(b"BREW").unwrap_or(Method::TRACE)), "other");
    }

    #[test]
    fn nothing_is_recorded_when_metrics_are_off() {
        let metrics = Metrics::off();
        metrics.token_issued(Some("client_credentials"));
        assert!(!metrics.is_on());
    }

    #[test]
    fn counters_render_in_prometheus_text_format() {
        let metrics = Metrics::on();
        metrics.token_issued(Some("client_credentials"));
        metrics.login(LoginOutcome::Failure);
        metrics.request("/token", &Method::POST, 200, Duration::from_millis(3));
        metrics.run_upkeep();
        let text = metrics.0.as_ref().map(|r| r.handle.render()).unwrap_or_default();
        assert!(text.contains("keygate_tokens_issued_total{grant_type=\"client_credentials\"} 1"));
        assert!(text.contains("keygate_logins_total{outcome=\"failure\"} 1"));
        let bucket = "keygate_http_request_duration_seconds_bucket{endpoint=\"/token\",\
                      method=\"POST\",le=\"0.005\"} 1";
        assert!(text.contains(bucket), "{text}");
    }
}
