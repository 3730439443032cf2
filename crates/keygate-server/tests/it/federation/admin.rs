//! Upstreams through the admin API and the console.

use keygate_core::federation::UpstreamSpec;
use keygate_testkit::TestApp;
use reqwest::Method;
use serde_json::json;

const RW: &[&str] = &["admin:read", "admin:write"];

#[tokio::test]
async fn admin_api_manages_upstreams_and_never_shows_the_secret() {
    let configured = UpstreamSpec {
        preset: Some("google".into()),
        client_id: Some("g".into()),
        client_secret: Some("google-secret".into()),
        ..Default::default()
    };
    let mut google = configured.build().unwrap();
    google.from_config = true;
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| s.upstreams = vec![google])
        .await
        .unwrap();
    let token = app.admin_token(RW).await;
    let body = json!({ "preset": "gitlab", "client_id": "gl", "client_secret": "gitlab-secret" });
    let reply = app.admin_call(Method::POST, "/upstreams", Some(&token), Some(&body), &[]).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    assert!(!reply.body.contains("gitlab-secret"));
    let created = reply.json();
    assert_eq!(created["has_client_secret"], true);
    assert_eq!(created["kind"], "oidc");
    assert_eq!(created["redirect_uri"], app.url("/federation/gitlab/callback"));

    let list = app.admin_call(Method::GET, "/upstreams", Some(&token), None, &[]).await.json();
    let ids: Vec<_> =
        list.as_array().unwrap().iter().map(|u| (u["id"].clone(), u["source"].clone())).collect();
    assert_eq!(ids, [(json!("google"), json!("config")), (json!("gitlab"), json!("store"))]);

    let one = app.admin_call(Method::GET, "/upstreams/gitlab", Some(&token), None, &[]).await;
    let etag = one.header("etag").unwrap().to_owned();
    let patch = json!({ "display_name": "GitLab (company)", "jit_provisioning": false });
    let reply = app
        .admin_call(
            Method::PATCH,
            "/upstreams/gitlab",
            Some(&token),
            Some(&patch),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert_eq!(reply.json()["jit_provisioning"], false);
    let stored = app.provider.upstream("gitlab").await.unwrap().unwrap();
    assert_eq!(stored.client_secret.unwrap().expose_secret(), "gitlab-secret", "kept");

    let bad = json!({ "issuer": "http://not-tls.example", "client_id": "x", "client_secret": "s", "id": "x" });
    let reply = app.admin_call(Method::POST, "/upstreams", Some(&token), Some(&bad), &[]).await;
    assert_eq!(reply.status, 422, "{}", reply.body);

    let reply = app.admin_call(Method::DELETE, "/upstreams/google", Some(&token), None, &[]).await;
    assert_eq!(reply.status, 409, "the configuration file's upstream is read-only");
    let reply = app.admin_call(Method::DELETE, "/upstreams/gitlab", Some(&token), None, &[]).await;
    assert_eq!(reply.status, 204);
    assert!(app.provider.upstream("gitlab").await.unwrap().is_none());
}
