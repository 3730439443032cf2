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
