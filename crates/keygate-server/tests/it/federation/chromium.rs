//! A real browser presses "Sign in with Corp" on Keygate's login page, signs in at the
//! upstream Keygate, and comes back signed in.

use keygate_core::client::{ClientSpec, ClientType, GrantType};
use keygate_testkit::{PASSWORD, TestClient, WebDriver, pkce, query_param};

use super::Federation;

#[tokio::test]
async fn chromium_signs_in_with_the_upstream_button() {
    let Some(browser) = WebDriver::start().await else { return };
    let fed = Federation::start(|_| {}).await;
    fed.up.user("ada").await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let callback = format!("http://{}/callback", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/callback",
        axum::routing::get(|| async { axum::response::Html("<h1>Signed in</h1>") }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    let spec = ClientSpec {
        name: Some("Photo Printer".into()),
        redirect_uris: Some(vec![callback.clone()]),
        scopes: Some(vec!["openid".into(), "email".into()]),
        grant_types: Some(vec![GrantType::AuthorizationCode]),
        ..Default::default()
    };
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::Web,
        client_id: None,
        secret: None,
        spec,
    };
    let (registered, secret) = fed.down.admin().create_client(new).await.unwrap();
    let client = TestClient {
        id: registered.client_id,
        secret: secret.unwrap().expose_secret().to_owned(),
        redirect_uri: callback.clone(),
    };

    let (verifier, challenge) = pkce();
    browser.goto(&fed.down.authorize_url(&client, "openid email", &challenge, &[])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.screenshot("federation-login").await;
    browser.click("button[data-upstream=Corp]").await;
    let url = browser.wait_for_url(|u| u.starts_with(&fed.up.url("/login"))).await;
    assert!(url.starts_with(&fed.up.url("/login")), "{url}");
    browser.type_into("#username", "ada").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| u.starts_with(&fed.up.url("/consent"))).await;
    browser.click("button[value=allow]").await;
    let url = browser.wait_for_url(|u| u.starts_with(&fed.down.url("/consent"))).await;
    assert!(url.starts_with(&fed.down.url("/consent")), "{url}");
    browser.screenshot("federation-consent").await;
    browser.click("button[value=allow]").await;
    let url = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    let code = query_param(&url, "code").expect("a code");
    let tokens = fed.down.exchange(&client, &code, &verifier).await.assert_ok();
    assert!(tokens["id_token"].is_string());
    assert_eq!(fed.down.admin().users().await.unwrap().len(), 1);
}
