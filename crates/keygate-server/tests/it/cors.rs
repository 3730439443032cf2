//! CORS for single-page applications: registered web origins may call the token, userinfo and
//! revocation endpoints from a browser; discovery and JWKS are readable from any origin.

use keygate_core::client::{AuthMethod, ClientMetadata, ClientSpec, ClientType};
use keygate_testkit::TestApp;
use reqwest::Method;

const SPA: &str = "https://spa.example";

async fn spa_app() -> TestApp {
    let app = TestApp::spawn().await;
    let spec = ClientSpec {
        name: Some("SPA".into()),
        redirect_uris: Some(vec![format!("{SPA}/callback")]),
        auth_method: Some(AuthMethod::None),
        metadata: Some(ClientMetadata { web_origins: vec![SPA.into()], ..Default::default() }),
        ..Default::default()
    };
    let new = keygate_core::admin::NewClient {
        client_type: ClientType::Spa,
        client_id: None,
        secret: None,
        spec,
    };
    app.admin().create_client(new).await.unwrap();
    app
}

async fn preflight(app: &TestApp, path: &str, origin: &str) -> reqwest::Response {
    app.http
        .request(Method::OPTIONS, app.url(path))
        .header("origin", origin)
        .header("access-control-request-method", "POST")
        .header("access-control-request-headers", "content-type")
        .send()
        .await
        .unwrap()
}

#[tokio::test]
async fn registered_web_origin_passes_the_preflight_and_reads_the_token_response() {
    let app = spa_app().await;
    for path in ["/token", "/userinfo", "/revoke"] {
        let reply = preflight(&app, path, SPA).await;
        assert_eq!(reply.status(), 204, "{path}");
        assert_eq!(reply.headers()["access-control-allow-origin"], SPA);
        assert!(reply.headers()["access-control-allow-methods"].to_str().unwrap().contains("POST"));
        assert!(reply.headers().get("access-control-allow-credentials").is_none());
    }
    let reply = app
        .http
        .post(app.url("/token"))
        .header("origin", SPA)
        .form(&[("grant_type", "authorization_code"), ("code", "x")])
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 401, "an error, but readable by the SPA");
    assert_eq!(reply.headers()["access-control-allow-origin"], SPA);
}

#[tokio::test]
async fn unregistered_origin_gets_no_cors_headers() {
    let app = spa_app().await;
    let reply = preflight(&app, "/token", "https://evil.example").await;
    assert!(reply.headers().get("access-control-allow-origin").is_none());
    assert!(reply.headers().get("access-control-allow-methods").is_none());
}

#[tokio::test]
async fn discovery_and_jwks_are_readable_from_any_origin() {
    let app = TestApp::spawn().await;
    for path in ["/.well-known/openid-configuration", "/jwks"] {
        let reply = app
            .http
            .get(app.url(path))
            .header("origin", "https://any.example")
            .send()
            .await
            .unwrap();
        assert_eq!(reply.headers()["access-control-allow-origin"], "*", "{path}");
    }
}
