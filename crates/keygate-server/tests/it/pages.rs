//! Pages for paths that are not endpoints: `/` and unknown paths get a styled page, not a bare
//! 404; an unknown admin API path stays an RFC 9457 problem.

use keygate_testkit::TestApp;

#[tokio::test]
async fn the_root_says_what_this_service_is() {
    let app = TestApp::spawn().await;
    let reply = app.get("/").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<h1>Sign-in service</h1>"), "{}", reply.body);
    assert!(reply.body.replace("&#x2f;", "/").contains("/assets/keygate.css"));
    assert!(reply.header("content-security-policy").is_some());
}

#[tokio::test]
async fn unknown_paths_get_a_styled_not_found_page() {
    let app = TestApp::spawn().await;
    let reply = app.get("/no/such/page").await;
    assert_eq!(reply.status, 404);
    assert!(reply.header("content-type").is_some_and(|c| c.starts_with("text/html")));
    assert!(reply.body.contains("Page not found"), "{}", reply.body);
    assert!(reply.body.contains("name=\"viewport\""));
}

#[tokio::test]
async fn rfc9457_unknown_admin_api_paths_stay_problems() {
    let app = TestApp::spawn().await;
    let reply = app.get("/admin/api/v1/no-such-resource").await;
    assert_eq!(reply.status, 404);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
}
