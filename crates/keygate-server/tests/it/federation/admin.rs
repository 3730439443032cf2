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
    let up = TestApp::spawn().await;
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| {
        s.upstreams = vec![google];
        s.outbound_allow = vec!["127.0.0.1".into()];
    })
    .await
    .unwrap();
    let token = app.admin_token(RW).await;
    let silent = json!({ "id": "gone", "issuer": "https://unreachable.invalid", "client_id": "x", "client_secret": "s" });
    let reply = app.admin_call(Method::POST, "/upstreams", Some(&token), Some(&silent), &[]).await;
    assert_eq!(reply.status, 422, "an issuer that does not answer is refused: {}", reply.body);
    assert!(reply.body.contains("did not answer as an OpenID provider"), "{}", reply.body);
    let body = json!({ "id": "gitlab", "issuer": up.issuer, "client_id": "gl", "client_secret": "gitlab-secret" });
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

    // The issuer goes down: other changes, and turning the upstream off, still save.
    drop(up);
    let one = app.admin_call(Method::GET, "/upstreams/gitlab", Some(&token), None, &[]).await;
    let etag = one.header("etag").unwrap().to_owned();
    let patch =
        json!({ "display_name": "GitLab (company)", "jit_provisioning": false, "enabled": false });
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
    let etag = reply.header("etag").unwrap().to_owned();
    let on = json!({ "enabled": true });
    let reply = app
        .admin_call(
            Method::PATCH,
            "/upstreams/gitlab",
            Some(&token),
            Some(&on),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(reply.status, 422, "turning it on asks the issuer again: {}", reply.body);
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

#[tokio::test]
async fn console_adds_changes_and_removes_an_upstream_and_unlinks_identities() {
    use keygate_testkit::form_field;
    let up = TestApp::spawn().await;
    let allow = |s: &mut keygate_core::Settings| s.outbound_allow = vec!["127.0.0.1".into()];
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, allow).await.unwrap();
    crate::console::admin_user(&app, "root").await;
    let (browser, _) = crate::console::console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin/upstreams")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("No upstream providers yet"));
    let callback = app.url("/federation/ID/callback");
    assert!(page.body.replace("&#x2f;", "/").contains(&callback), "the redirect URI to register");
    let csrf = form_field(&page.body, "csrf").unwrap();
    let bad = [
        ("csrf", csrf.as_str()),
        ("id", "corp"),
        ("issuer", "http://sso.example"),
        ("client_id", "kg"),
        ("client_secret", "s"),
    ];
    let reply = browser.post_form(&app.url("/admin/upstreams"), &bad).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("https"), "{}", reply.body);
    let silent = [
        ("csrf", csrf.as_str()),
        ("id", "gone"),
        ("issuer", "https://unreachable.invalid"),
        ("client_id", "kg"),
        ("client_secret", "s"),
    ];
    let reply = browser.post_form(&app.url("/admin/upstreams"), &silent).await;
    assert_eq!(reply.status, 422, "an issuer that does not answer is refused");
    assert!(reply.body.contains("id=\"e-issuer\""), "at the issuer field: {}", reply.body);
    assert!(reply.body.contains("did not answer as an OpenID provider"));
    let form = [
        ("csrf", csrf.as_str()),
        ("id", "gitlab"),
        ("issuer", up.issuer.as_str()),
        ("client_id", "gl"),
        ("client_secret", "gitlab-secret"),
    ];
    let reply = browser.post_form(&app.url("/admin/upstreams"), &form).await;
    assert_eq!(keygate_testkit::location(&reply), app.url("/admin/upstreams/gitlab"));
    let page = browser.get(&app.url("/admin/upstreams/gitlab")).await;
    let text = page.body.replace("&#x2f;", "/");
    assert!(text.contains(&app.url("/federation/gitlab/callback")), "{}", page.body);
    assert!(!page.body.contains("gitlab-secret"));

    // Unchecked boxes turn switches off; an empty secret keeps the secret.
    let change = [
        ("csrf", csrf.as_str()),
        ("display_name", "GitLab (work)"),
        ("client_id", "gl"),
        ("scopes", "openid email"),
        ("jit_provisioning", "on"),
    ];
    let reply = browser.post_form(&app.url("/admin/upstreams/gitlab"), &change).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let stored = app.admin().upstream("gitlab", app.provider.master_key()).await.unwrap();
    assert!(!stored.enabled && stored.jit_provisioning);
    assert_eq!(stored.display_name, "GitLab (work)");
    assert_eq!(stored.client_secret.unwrap().expose_secret(), "gitlab-secret");

    let user = app.user("ada").await;
    let link = keygate_core::store::LinkedIdentity {
        provider_id: "gitlab".into(),
        subject: "42".into(),
        user_id: user.id.clone(),
        email: None,
        created_at: 0,
    };
    keygate_core::store::FederationStore::insert_linked_identity(&app.store, &link).await.unwrap();
    let page = browser.get(&app.url(&format!("/admin/users/{}", user.id))).await;
    assert!(
        page.body.contains("Linked sign-in providers") && page.body.contains(">42<"),
        "{}",
        page.body
    );
    let unlink = app.url(&format!("/admin/users/{}/identities/gitlab/42/unlink", user.id));
    let reply = browser.post_form(&unlink, &[("csrf", csrf.as_str())]).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert!(app.admin().linked_identities(&user.id).await.unwrap().is_empty());

    let reply = browser
        .post_form(&app.url("/admin/upstreams/gitlab/delete"), &[("csrf", csrf.as_str())])
        .await;
    assert_eq!(reply.status, 303);
    assert!(app.admin().upstreams(app.provider.master_key()).await.unwrap().is_empty());
}
