//! Database round trips per flow, counted from sqlx's per-statement events on PostgreSQL (the
//! server runs on the test's single-threaded runtime, so a thread-local subscriber sees all of
//! them; SQLite's driver runs statements on a thread of its own). A test binary of its own: no
//! other test shares the process's tracing callsites.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};

use keygate_testkit::{Backend, Browser, TestApp, location, pkce, query_param};

/// Counts sqlx statement events; ignores everything else.
struct Counter(Arc<AtomicUsize>);

impl tracing::Subscriber for Counter {
    fn enabled(&self, metadata: &tracing::Metadata<'_>) -> bool {
        metadata.target().starts_with("sqlx::query")
    }
    fn new_span(&self, _: &tracing::span::Attributes<'_>) -> tracing::span::Id {
        tracing::span::Id::from_u64(1)
    }
    fn record(&self, _: &tracing::span::Id, _: &tracing::span::Record<'_>) {}
    fn record_follows_from(&self, _: &tracing::span::Id, _: &tracing::span::Id) {}
    fn event(&self, event: &tracing::Event<'_>) {
        if event.metadata().target().starts_with("sqlx::query") {
            self.0.fetch_add(1, Ordering::SeqCst);
        }
    }
    fn enter(&self, _: &tracing::span::Id) {}
    fn exit(&self, _: &tracing::span::Id) {}
}

#[tokio::test]
async fn a_code_flow_with_a_session_makes_at_most_ten_database_round_trips_on_postgresql() {
    let Some(app) = TestApp::spawn_on(Backend::Postgres).await else { return };
    app.user("ada").await;
    let client = app.web_client(&["openid", "offline_access"]).await;
    let browser = Browser::new();
    // Sign in and consent once; the client is now cached.
    let first = app.code_flow(&browser, &client, "ada", "openid offline_access").await;
    app.exchange(&client, &first.code, &first.verifier).await.assert_ok();

    let count = Arc::new(AtomicUsize::new(0));
    let _guard = tracing::subscriber::set_default(Counter(count.clone()));
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid offline_access", &challenge, &[]);
    let callback = location(&browser.get(&url).await);
    let code = query_param(&callback, "code").expect("a code without pages");
    app.exchange(&client, &code, &verifier).await.assert_ok();
    let statements = count.load(Ordering::SeqCst);
    println!("database statements for a code flow with a session: {statements}");
    assert!(statements > 0, "the counter sees sqlx's statements");
    assert!(statements <= 10, "{statements} statements");
}
