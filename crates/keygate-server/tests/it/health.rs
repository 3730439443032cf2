//! Liveness and readiness probes.

use keygate_testkit::TestApp;

#[tokio::test]
async fn healthz_answers_and_readyz_checks_the_database() {
    let app = TestApp::spawn().await;
    let live = app.get("/healthz").await;
    assert_eq!(live.status, 200);
    assert_eq!(live.json()["status"], "ok");
    let ready = app.get("/readyz").await;
    assert_eq!(ready.status, 200);
    assert_eq!(ready.json()["status"], "ready");
    app.store.close().await;
    let down = app.get("/readyz").await;
    assert_eq!(down.status, 503);
    assert_eq!(down.json()["reason"], "the database does not answer");
    assert_eq!(app.get("/healthz").await.status, 200, "liveness does not depend on the database");
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let app = TestApp::spawn().await;
    let http = reqwest::Client::new();
    let made = http.get(app.url("/healthz")).send().await.unwrap();
    let id = made.headers()["x-request-id"].to_str().unwrap().to_owned();
    assert_eq!(id.len(), 16);
    let kept = http.get(app.url("/healthz")).header("x-request-id", "lb-42.a_b").send().await;
    assert_eq!(kept.unwrap().headers()["x-request-id"], "lb-42.a_b", "a proxy's id is kept");
    let odd = http.get(app.url("/healthz")).header("x-request-id", "a b\"c").send().await;
    assert_ne!(odd.unwrap().headers()["x-request-id"], "a b\"c", "an odd one is replaced");
}
