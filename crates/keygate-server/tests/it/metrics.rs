//! Prometheus metrics at `/metrics`: off unless enabled, on the main listener or on one of its
//! own, counting requests by route pattern, tokens by grant, sign-ins by outcome, and the
//! database pool, with no secrets or client input in the labels.

use keygate_server::serving::{MetricsExposure, Serving};
use keygate_testkit::{Browser, Serve, TestApp, pkce};

async fn app_with(metrics: MetricsExposure, separate: bool) -> TestApp {
    let serving = Serving { metrics, ..Default::default() };
    let serve = Serve { serving, metrics_listener: separate, ..Default::default() };
    TestApp::spawn_serving(serve, |_| {}).await
}

/// The value of the sample `line` (name and labels exactly), 0 if absent.
fn sample(text: &str, line: &str) -> f64 {
    text.lines()
        .find_map(|l| l.strip_prefix(line).and_then(|rest| rest.trim().parse().ok()))
        .unwrap_or(0.0)
}

#[tokio::test]
async fn metrics_count_tokens_logins_requests_and_the_pool() {
    let app = app_with(MetricsExposure::Main, false).await;
    let before = app.get("/metrics").await;
    assert_eq!(before.status, 200);
    assert!(before.header("content-type").unwrap().starts_with("text/plain; version=0.0.4"));
    let tokens = "keygate_tokens_issued_total{grant_type=\"client_credentials\"}";
    let failures = "keygate_logins_total{outcome=\"failure\"}";
    assert_eq!(sample(&before.body, tokens), 0.0);

    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let token = app.cc_token(&id, &secret, &[]).await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let login = keygate_testkit::location(
        &browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await,
    );
    assert_eq!(app.submit_login(&browser, &login, "ada", "wrong").await.status, 200);
    app.get("/no-such-page?access_token=secret-value").await;

    let text = app.get("/metrics").await.body;
    assert_eq!(sample(&text, tokens), 1.0, "{text}");
    assert_eq!(sample(&text, failures), 1.0, "{text}");
    let token_requests =
        "keygate_http_requests_total{endpoint=\"/token\",method=\"POST\",status=\"200\"}";
    assert_eq!(sample(&text, token_requests), 1.0, "{text}");
    let latency =
        "keygate_http_request_duration_seconds_count{endpoint=\"/token\",method=\"POST\"}";
    assert_eq!(sample(&text, latency), 1.0, "{text}");
    assert!(text.contains("keygate_http_request_duration_seconds_bucket{endpoint=\"/token\""));
    let unmatched =
        "keygate_http_requests_total{endpoint=\"unmatched\",method=\"GET\",status=\"404\"}";
    assert_eq!(sample(&text, unmatched), 1.0, "{text}");
    assert_eq!(sample(&text, "keygate_db_pool_max_connections"), 4.0, "{text}");
    assert!(text.contains("keygate_db_pool_connections{state=\"idle\"}"), "{text}");
    for secret in [token.as_str(), secret.as_str(), "secret-value", "no-such-page", id.as_str()] {
        assert!(!text.contains(secret), "metrics must not carry {secret}");
    }
}

#[tokio::test]
async fn metrics_are_not_served_unless_enabled() {
    let app = TestApp::spawn().await;
    assert_eq!(app.get("/metrics").await.status, 404);
}

#[tokio::test]
async fn a_separate_metrics_listener_takes_metrics_off_the_main_one() {
    let app = app_with(MetricsExposure::Separate("127.0.0.1:0".parse().unwrap()), true).await;
    assert_eq!(app.get("/metrics").await.status, 404, "not on the public listener");
    app.get("/healthz").await;
    let url = app.metrics_url.clone().unwrap();
    let text = reqwest::get(&url).await.unwrap().text().await.unwrap();
    let healthz =
        "keygate_http_requests_total{endpoint=\"/healthz\",method=\"GET\",status=\"200\"}";
    assert_eq!(sample(&text, healthz), 1.0, "{text}");
}

#[tokio::test]
async fn mail_failures_show_in_the_metrics_within_seconds() {
    use keygate_testkit::{SinkBehavior, SmtpSink};
    let sink = SmtpSink::start().await;
    sink.behave(SinkBehavior { reject_prefix: Some("bounce".into()), ..Default::default() });
    let from = "Keygate <no-reply@keygate.test>".parse().unwrap();
    let mail =
        keygate_server::mail::MailConfig::plain_smtp(sink.addr(), from, "http://keygate.test");
    let serving = Serving { metrics: MetricsExposure::Main, ..Default::default() };
    let serve = Serve { serving, mail: Some(mail), ..Default::default() };
    let app = TestApp::spawn_serving(serve, |_| {}).await;
    let actor = keygate_core::admin::Actor::cli();
    app.provider.queue_test_mail("ok@example.com", actor.clone()).await.unwrap();
    app.provider.queue_test_mail("bounce@example.com", actor).await.unwrap();
    let failed = "keygate_mail_messages{status=\"failed\"}";
    let sent = "keygate_mail_deliveries_total{outcome=\"sent\"}";
    let mut text = String::new();
    for _ in 0..60 {
        text = app.get("/metrics").await.body;
        if sample(&text, failed) == 1.0 && sample(&text, sent) == 1.0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(sample(&text, failed), 1.0, "{text}");
    assert_eq!(sample(&text, sent), 1.0);
    assert_eq!(sample(&text, "keygate_mail_deliveries_total{outcome=\"failed\"}"), 1.0);
}
