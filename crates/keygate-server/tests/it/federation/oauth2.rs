//! A plain OAuth 2.0 upstream without ID tokens, shaped like GitHub: an authorize endpoint that
//! answers at once, a token endpoint (with GitHub's habit of reporting errors with a 200), a
//! user API and an emails API.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use keygate_core::federation::UpstreamSpec;
use keygate_testkit::{Browser, TestApp, form_field, location, pkce, query_param};
use serde_json::json;

use crate::support::verify_with_jwks;

const CLIENT_ID: &str = "gh-client";
const CLIENT_SECRET: &str = "gh-secret";
const ACCESS_TOKEN: &str = "gho_16C7e42F292c6912E7710c838347Ae178B4a";

/// Codes issued, with their PKCE challenge; `refuse` makes the token endpoint fail.
#[derive(Default)]
struct FakeGitHub {
    codes: Mutex<HashMap<String, String>>,
    refuse: std::sync::atomic::AtomicBool,
}

async fn authorize(
    State(gh): State<Arc<FakeGitHub>>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let code = format!("code-{}", gh.codes.lock().unwrap().len());
    let challenge = q.get("code_challenge").cloned().unwrap_or_default();
    gh.codes.lock().unwrap().insert(code.clone(), challenge);
    let mut back = url::Url::parse(&q["redirect_uri"]).unwrap();
    back.query_pairs_mut().append_pair("code", &code).append_pair("state", &q["state"]);
    Redirect::to(back.as_str()).into_response()
}

async fn token(
    State(gh): State<Arc<FakeGitHub>>,
    Form(f): Form<HashMap<String, String>>,
) -> Response {
    let challenge = gh.codes.lock().unwrap().remove(f.get("code").map_or("", String::as_str));
    let verifier_ok = |c: &String| {
        f.get("code_verifier").is_some_and(|v| &keygate_core::secret::pkce_s256(v) == c)
    };
    let ok = f.get("client_id").map(String::as_str) == Some(CLIENT_ID)
        && f.get("client_secret").map(String::as_str) == Some(CLIENT_SECRET)
        && challenge.as_ref().is_some_and(verifier_ok)
        && !gh.refuse.load(std::sync::atomic::Ordering::SeqCst);
    if ok {
        axum::Json(json!({ "access_token": ACCESS_TOKEN, "token_type": "bearer", "scope": "read:user,user:email" })).into_response()
    } else {
        axum::Json(json!({ "error": "bad_verification_code" })).into_response()
    }
}

fn bearer_ok(headers: &HeaderMap) -> bool {
    headers.get("authorization").and_then(|v| v.to_str().ok())
        == Some(&format!("Bearer {ACCESS_TOKEN}"))
}

async fn user(headers: HeaderMap) -> Response {
    if !bearer_ok(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    axum::Json(json!({ "id": 583231, "login": "octocat", "name": "The Octocat", "email": null,
        "avatar_url": "https://avatars.example/u/583231" }))
    .into_response()
}

async fn emails(headers: HeaderMap) -> Response {
    if !bearer_ok(&headers) {
        return StatusCode::UNAUTHORIZED.into_response();
    }
    axum::Json(json!([
        { "email": "octo@old.example", "primary": false, "verified": false },
        { "email": "octocat@github.example", "primary": true, "verified": true }
    ]))
    .into_response()
}

/// A Keygate with the fake GitHub as upstream `github`.
async fn start() -> (TestApp, Arc<FakeGitHub>, keygate_testkit::TestClient) {
    let gh = Arc::new(FakeGitHub::default());
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://localhost:{}", listener.local_addr().unwrap().port());
    let app = axum::Router::new()
        .route("/login/oauth/authorize", get(authorize))
        .route("/login/oauth/access_token", post(token))
        .route("/user", get(user))
        .route("/user/emails", get(emails))
        .with_state(gh.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });
    let down = TestApp::spawn().await;
    let mut spec = UpstreamSpec {
        preset: Some("github".into()),
        client_id: Some(CLIENT_ID.into()),
        client_secret: Some(CLIENT_SECRET.into()),
        ..Default::default()
    };
    spec.authorization_endpoint = Some(format!("{base}/login/oauth/authorize"));
    spec.token_endpoint = Some(format!("{base}/login/oauth/access_token"));
    spec.userinfo_endpoint = Some(format!("{base}/user"));
    spec.emails_endpoint = Some(format!("{base}/user/emails"));
    let upstream = spec.build().unwrap();
    down.admin().create_upstream(upstream, down.provider.master_key()).await.unwrap();
    let client = down.web_client(&["openid", "email", "profile"]).await;
    (down, gh, client)
}

/// Authorize at Keygate, press "Sign in with GitHub", come back: Keygate's answer.
async fn via_github(
    down: &TestApp,
    client: &keygate_testkit::TestClient,
    browser: &Browser,
) -> (keygate_testkit::Reply, String) {
    let (verifier, challenge) = pkce();
    let url = down.authorize_url(client, "openid email profile", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let page = browser.get(&login).await;
    assert!(page.body.contains("Sign in with GitHub"), "{}", page.body);
    let req = form_field(&page.body, "req").unwrap();
    let csrf = form_field(&page.body, "csrf").unwrap();
    let start = browser
        .post_form(&down.url("/federation/github/start"), &[("req", &req), ("csrf", &csrf)])
        .await;
    let at_github = location(&start);
    assert_eq!(query_param(&at_github, "scope").as_deref(), Some("read:user user:email"));
    let callback = location(&browser.get(&at_github).await);
    (browser.get(&callback).await, verifier)
}

#[tokio::test]
async fn github_style_upstream_signs_in_through_its_user_api() {
    let (down, _gh, client) = start().await;
    let browser = Browser::new();
    let (reply, verifier) = via_github(&down, &client, &browser).await;
    let mut next = location(&reply);
    if next.starts_with(&down.url("/consent")) {
        next = location(&down.submit_consent(&browser, &next, "allow").await);
    }
    let code = query_param(&next, "code").unwrap();
    let tokens = down.exchange(&client, &code, &verifier).await.assert_ok();
    let (_, claims) = verify_with_jwks(&down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["amr"], json!(["fed"]));
    let users = down.admin().users().await.unwrap();
    assert_eq!(users.len(), 1);
    let user = &users[0];
    assert_eq!(claims["sub"], user.id.as_str());
    assert_eq!(user.username, "octocat");
    assert_eq!(user.name.as_deref(), Some("The Octocat"));
    assert_eq!(user.email, "octocat@github.example", "the primary verified address");
    assert!(user.email_verified);
    assert_eq!(user.claims["picture"], "https://avatars.example/u/583231");
    let links = down.admin().linked_identities(&user.id).await.unwrap();
    assert_eq!((links[0].provider_id.as_str(), links[0].subject.as_str()), ("github", "583231"));

    let browser = Browser::new();
    let (reply, _) = via_github(&down, &client, &browser).await;
    assert!(reply.status.is_redirection(), "{}", reply.body);
    assert_eq!(down.admin().users().await.unwrap().len(), 1, "the same user");
}

#[tokio::test]
async fn github_style_token_error_with_status_200_is_an_error() {
    let (down, gh, client) = start().await;
    gh.refuse.store(true, std::sync::atomic::Ordering::SeqCst);
    let browser = Browser::new();
    let (reply, _) = via_github(&down, &client, &browser).await;
    assert_eq!(reply.status, 502, "{}", reply.body);
    assert!(down.admin().users().await.unwrap().is_empty());
}
