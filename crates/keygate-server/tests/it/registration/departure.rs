//! RFC 9700 §4.11.2: with registration open, anyone can register a redirect URI, so Keygate
//! names the destination host before it sends a browser to an unverified client without a code.

use keygate_testkit::{
    Browser, REDIRECT_URI, SIGNED_OUT_URI, TestApp, TestClient, link_href, location, pkce,
    query_param,
};
use serde_json::json;

use super::{app, client_of, initial_token, register, registered, web_metadata};

fn metadata() -> serde_json::Value {
    let mut body = web_metadata();
    body["post_logout_redirect_uris"] = json!([SIGNED_OUT_URI]);
    body
}

/// An unverified client's error answer: a page naming the host, with a link that carries it.
fn assert_confirmation_page(reply: &keygate_testkit::Reply, host: &str) -> String {
    assert_eq!(reply.status, 200, "a page, not a redirect: {}", reply.body);
    assert!(reply.headers.get("location").is_none());
    assert!(reply.body.contains("Unverified application"), "{}", reply.body);
    assert!(
        reply.body.contains(&format!("<strong>\u{2068}{host}\u{2069}</strong>")),
        "{}",
        reply.body
    );
    link_href(&reply.body, "button").expect("a link to continue")
}

#[tokio::test]
async fn rfc9700_4_11_2_errors_for_an_unverified_client_name_the_host_first() {
    let app = app(true).await;
    let client = client_of(&registered(&app, metadata()).await);
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let prompt_none = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let link = assert_confirmation_page(&browser.get(&prompt_none).await, "app.example");
    assert!(link.starts_with(REDIRECT_URI), "{link}");
    assert_eq!(query_param(&link, "error").as_deref(), Some("login_required"));
    assert_eq!(query_param(&link, "state").as_deref(), Some("xyz"));
    // An error found in the request itself is confirmed too.
    let bad_scope = app.authorize_url(&client, "openid payroll", &challenge, &[]);
    let link = assert_confirmation_page(&browser.get(&bad_scope).await, "app.example");
    assert_eq!(query_param(&link, "error").as_deref(), Some("invalid_scope"));
}

#[tokio::test]
async fn rfc9700_4_11_2_form_post_errors_for_an_unverified_client_wait_for_the_user() {
    let app = app(true).await;
    let client = client_of(&registered(&app, metadata()).await);
    let (_, challenge) = pkce();
    let extra = [("prompt", "none"), ("response_mode", "form_post")];
    let reply = Browser::new().get(&app.authorize_url(&client, "openid", &challenge, &extra)).await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("<strong>\u{2068}app.example\u{2069}</strong>"), "{}", reply.body);
    assert!(!reply.body.contains("<script"), "nothing submits it but the user");
    assert!(reply.body.contains("name=\"error\" value=\"login_required\""), "{}", reply.body);
    assert!(reply.body.replace("&#x2f;", "/").contains(&format!("action=\"{REDIRECT_URI}\"")));
}

#[tokio::test]
async fn rfc9700_4_11_2_a_client_registered_with_a_token_is_redirected_directly() {
    let app = app(true).await;
    let token = initial_token(&app, None).await;
    let client = client_of(&register(&app, Some(&token), metadata()).await.json());
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("prompt", "none")]);
    let callback = location(&Browser::new().get(&url).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("login_required"));
}

#[tokio::test]
async fn rfc9700_4_11_2_post_logout_redirect_to_an_unverified_client_names_the_host_first() {
    let app = app(true).await;
    let client = client_of(&registered(&app, metadata()).await);
    let logout = logout_url(&app, &client, "bye");
    let link = assert_confirmation_page(&Browser::new().get(&logout).await, "app.example");
    assert!(link.starts_with(SIGNED_OUT_URI), "{link}");
    assert_eq!(query_param(&link, "state").as_deref(), Some("bye"));
    // The same request for a verified client redirects at once.
    let token = initial_token(&app, None).await;
    let verified = client_of(&register(&app, Some(&token), metadata()).await.json());
    let target = location(&Browser::new().get(&logout_url(&app, &verified, "bye")).await);
    assert!(target.starts_with(SIGNED_OUT_URI), "{target}");
}

fn logout_url(app: &TestApp, client: &TestClient, state: &str) -> String {
    let mut url = url::Url::parse(&app.url("/logout")).unwrap();
    url.query_pairs_mut()
        .append_pair("client_id", &client.id)
        .append_pair("post_logout_redirect_uri", SIGNED_OUT_URI)
        .append_pair("state", state);
    url.into()
}
