//! Interop with client libraries people already use, run as child processes against a real
//! Keygate: Node's `openid-client` 6 (`interop/node`) and Python's `authlib`
//! (`interop/python`). Each script does discovery, the code flow with PKCE S256 (driving the
//! login and consent pages over HTTP), validates the ID token through the JWKS, calls
//! userinfo, refreshes, and runs client credentials, then prints a JSON summary.
//!
//! `.ci/run` installs the packages. Without them (or without node / python3) the tests are
//! ignored with the reason (the crate's `build.rs` looks at build time; after installing them,
//! `touch crates/keygate-server/build.rs`), except under `CI=true`, where that is a failure.

use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_testkit::interop::{Script, node_package_ready, python_modules_ready};
use keygate_testkit::{PASSWORD, TestApp, TestClient};
use serde_json::Value;

/// The scope the M2M client is registered with and asks for.
const M2M_SCOPE: &str = "read";

/// A Keygate on the real clock with a web client, an M2M client and the user `ada`.
struct Setup {
    app: TestApp,
    web: TestClient,
    m2m: (String, String),
    /// The web client's request object key: PKCS#8 (base64url) and kid.
    jar_key: (String, String),
}

async fn setup() -> Setup {
    use base64::Engine;
    let app = TestApp::spawn_realtime().await;
    let web = app.web_client(&["openid", "profile", "email", "offline_access"]).await;
    let (key, pkcs8) = KeyPair::generate(SigningAlg::ES256).unwrap();
    let metadata = keygate_core::client::ClientMetadata {
        jwks: Some(serde_json::json!({ "keys": [key.public_jwk()] })),
        ..Default::default()
    };
    let spec = keygate_core::client::ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&web.id, spec).await.unwrap();
    let encoded = base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(pkcs8);
    let m2m = app.m2m_client(&[M2M_SCOPE], &[]).await;
    app.user("ada").await;
    Setup { app, web, m2m, jar_key: (encoded, key.kid().to_owned()) }
}

/// `program script` with the env the scripts read.
async fn run_script(setup: &Setup, program: &str, script: &str) -> Value {
    Script::new(program, script)
        .env("KEYGATE_ISSUER", &setup.app.issuer)
        .env("CLIENT_ID", &setup.web.id)
        .env("CLIENT_SECRET", &setup.web.secret)
        .env("REDIRECT_URI", &setup.web.redirect_uri)
        .env("USERNAME", "ada")
        .env("PASSWORD", PASSWORD)
        .env("M2M_CLIENT_ID", &setup.m2m.0)
        .env("M2M_CLIENT_SECRET", &setup.m2m.1)
        .env("M2M_SCOPE", M2M_SCOPE)
        .env("JAR_PRIVATE_KEY", &setup.jar_key.0)
        .env("JAR_KID", &setup.jar_key.1)
        .run()
        .await
}

/// What both libraries must report.
fn assert_summary(setup: &Setup, summary: &Value, library: &str) {
    let issuer = setup.app.issuer.as_str();
    assert_eq!(summary["library"], library);
    assert_eq!(summary["issuer"], issuer);
    assert_eq!(summary["iss_in_callback"], issuer, "RFC 9207 §2");
    let id_token = &summary["id_token"];
    assert!(id_token["sub"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(id_token["aud"], setup.web.id.as_str());
    assert_eq!(id_token["email"], "ada@example.com");
    assert_eq!(summary["userinfo"]["sub"], id_token["sub"]);
    assert_eq!(summary["userinfo"]["email"], "ada@example.com");
    assert_eq!(summary["userinfo"]["name"], "ada Example");
    assert_eq!(summary["refresh"]["rotated"], true);
    // RFC 6749 §5.1: token_type is case insensitive (openid-client reports it lowercased).
    let token_type = summary["client_credentials"]["token_type"].as_str().unwrap_or_default();
    assert!(token_type.eq_ignore_ascii_case("bearer"), "{summary}");
    assert_eq!(summary["client_credentials"]["scope"], M2M_SCOPE);
}

#[tokio::test]
#[cfg_attr(
    interop_node_missing,
    ignore = "node or openid-client missing: npm ci --prefix interop/node (.ci/run installs it)"
)]
async fn openid_client_node_completes_discovery_code_flow_par_jar_dpop_userinfo_refresh_and_client_credentials()
 {
    if !node_package_ready("openid-client") {
        return;
    }
    let setup = setup().await;
    let summary = run_script(&setup, "node", "interop/node/openid-client.mjs").await;
    assert_summary(&setup, &summary, "openid-client");
    assert!(summary["version"].as_str().is_some_and(|v| v.starts_with("6.")), "{summary}");
    // RFC 9126: the library found /par in discovery, pushed, and finished the flow from there.
    let par = &summary["par"];
    let request_uri = par["request_uri"].as_str().unwrap_or_default();
    assert!(request_uri.starts_with(keygate_core::authorize::REQUEST_URI_PREFIX), "{summary}");
    assert_eq!(par["scope"], "openid email");
    assert_eq!(par["sub"], summary["id_token"]["sub"]);
    // RFC 9101: a request object signed by the library, pushed, verified with the client's key.
    assert_eq!(summary["jar"]["scope"], "openid profile", "{summary}");
    // RFC 9449: proofs from the library bind the tokens; userinfo and the refresh take them.
    let dpop = &summary["dpop"];
    assert_eq!(dpop["token_type"], "dpop", "openid-client lowercases token_type: {summary}");
    assert_eq!(dpop["userinfo_email"], "ada@example.com");
    assert_eq!(dpop["refreshed_token_type"], "dpop");
}

#[tokio::test]
#[cfg_attr(
    interop_python_missing,
    ignore = "authlib missing: python3 -m pip install -r interop/python/requirements.txt"
)]
async fn authlib_python_completes_discovery_code_flow_userinfo_refresh_client_credentials_and_par_jar()
 {
    if !python_modules_ready("authlib, requests, joserfc") {
        return;
    }
    let setup = setup().await;
    let summary = run_script(&setup, "python3", "interop/python/authlib_client.py").await;
    assert_summary(&setup, &summary, "authlib");
    // RFC 9126 + RFC 9101: a request object signed with joserfc, pushed with authlib's client
    // authentication; the scope is the object's.
    let pushed = &summary["par_jar"];
    let request_uri = pushed["request_uri"].as_str().unwrap_or_default();
    assert!(request_uri.starts_with(keygate_core::authorize::REQUEST_URI_PREFIX), "{summary}");
    assert_eq!(pushed["scope"], "openid profile", "{summary}");
    assert_eq!(pushed["sub"], summary["id_token"]["sub"]);
}
