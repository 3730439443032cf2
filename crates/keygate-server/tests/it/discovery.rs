use keygate_core::Settings;
use keygate_testkit::{Backend, TestApp};
use serde_json::Value;

#[tokio::test]
async fn oidc_discovery_4_metadata_is_served_at_well_known() {
    let app = TestApp::spawn().await;
    let reply = app.get("/.well-known/openid-configuration").await;
    let doc = reply.assert_ok();
    assert_eq!(reply.header("content-type"), Some("application/json"));
    assert_eq!(doc["issuer"], app.issuer.as_str());
    assert_eq!(doc["token_endpoint"], app.url("/token"));
    assert_eq!(doc["jwks_uri"], app.url("/jwks"));
    assert_eq!(doc["introspection_endpoint"], app.url("/introspect"));
    assert_eq!(doc["revocation_endpoint"], app.url("/revoke"));
    assert_eq!(doc["subject_types_supported"], serde_json::json!(["public"]));
}

#[tokio::test]
async fn discovery_advertises_only_what_is_implemented() {
    let app = TestApp::spawn().await;
    let doc = app.get("/.well-known/openid-configuration").await.assert_ok();
    let grants = serde_json::json!([
        "authorization_code",
        "refresh_token",
        "client_credentials",
        "urn:ietf:params:oauth:grant-type:device_code",
        "urn:ietf:params:oauth:grant-type:token-exchange"
    ]);
    assert_eq!(doc["grant_types_supported"], grants);
    assert_eq!(
        doc["response_types_supported"],
        serde_json::json!(["code"]),
        "no implicit or hybrid"
    );
    assert_eq!(doc["response_modes_supported"], serde_json::json!(["query", "form_post"]));
    assert_eq!(doc["code_challenge_methods_supported"], serde_json::json!(["S256"]));
    assert_eq!(doc["authorization_response_iss_parameter_supported"], true);
    assert_eq!(doc["request_parameter_supported"], true, "RFC 9101 request objects");
    // Only PAR's request_uri values (RFC 9126): none is fetched from elsewhere.
    assert_eq!(doc["request_uri_parameter_supported"], false);
    assert_eq!(doc["pushed_authorization_request_endpoint"], app.url("/par"));
    assert_eq!(doc["authorization_endpoint"], app.url("/authorize"));
    assert_eq!(doc["userinfo_endpoint"], app.url("/userinfo"));
    assert_eq!(doc["end_session_endpoint"], app.url("/logout"));
    assert_eq!(doc["backchannel_logout_supported"], true);
    let methods =
        serde_json::json!(["client_secret_basic", "client_secret_post", "private_key_jwt"]);
    assert_eq!(doc["token_endpoint_auth_methods_supported"], methods);
    assert_eq!(doc["introspection_endpoint_auth_methods_supported"], methods);
    assert_eq!(doc["revocation_endpoint_auth_methods_supported"], methods);
    let algs = serde_json::json!(["RS256", "PS256", "ES256", "EdDSA"]);
    assert_eq!(doc["token_endpoint_auth_signing_alg_values_supported"], algs);
    // Every advertised endpoint answers (not 404).
    for key in
        ["token_endpoint", "introspection_endpoint", "revocation_endpoint", "userinfo_endpoint"]
    {
        let url = doc[key].as_str().unwrap();
        let status = app.http.post(url).send().await.unwrap().status();
        assert_ne!(status.as_u16(), 404, "{key}");
    }
}

#[tokio::test]
async fn rfc8414_2_signing_algs_listed_wherever_private_key_jwt_is() {
    // "This metadata entry MUST be present if either of these authentication methods are
    // specified" (RFC 8414 §2, for the token, introspection and revocation endpoints alike).
    let app = TestApp::spawn().await;
    let doc = app.get("/.well-known/openid-configuration").await.assert_ok();
    for endpoint in ["token", "introspection", "revocation"] {
        let methods = doc[format!("{endpoint}_endpoint_auth_methods_supported")].clone();
        assert!(methods.as_array().unwrap().iter().any(|m| m == "private_key_jwt"), "{endpoint}");
        let algs = &doc[format!("{endpoint}_endpoint_auth_signing_alg_values_supported")];
        assert_eq!(*algs, serde_json::json!(["RS256", "PS256", "ES256", "EdDSA"]), "{endpoint}");
    }
}

#[tokio::test]
async fn rfc8414_3_metadata_at_oauth_authorization_server() {
    let app = TestApp::spawn().await;
    let oidc = app.get("/.well-known/openid-configuration").await.assert_ok();
    let oauth = app.get("/.well-known/oauth-authorization-server").await.assert_ok();
    assert_eq!(oidc, oauth);
}

#[tokio::test]
async fn rfc8414_3_1_issuer_with_path_serves_metadata_at_inserted_path() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s: &mut Settings| {
        s.issuer = format!("{}/tenant", s.issuer);
    })
    .await
    .unwrap();
    assert!(app.issuer.ends_with("/tenant"));
    let host = app.issuer.trim_end_matches("/tenant").to_owned();
    let oidc: Value = app.get("/.well-known/openid-configuration").await.assert_ok();
    assert_eq!(oidc["token_endpoint"], format!("{host}/tenant/token"));
    let url = format!("{host}/.well-known/oauth-authorization-server/tenant");
    let rfc8414: Value = app.http.get(url).send().await.unwrap().json().await.unwrap();
    assert_eq!(rfc8414["issuer"], app.issuer.as_str());
    let (id, secret) = app.m2m_client(&[], &[]).await;
    app.cc_token(&id, &secret, &[]).await;
}

#[tokio::test]
async fn jwks_publishes_public_keys_only() {
    let app = TestApp::spawn().await;
    let jwks = app.get("/jwks").await.assert_ok();
    let keys = jwks["keys"].as_array().unwrap();
    let algs: Vec<&str> = keys.iter().map(|k| k["alg"].as_str().unwrap()).collect();
    for alg in ["RS256", "ES256", "EdDSA"] {
        assert!(algs.contains(&alg), "{alg} missing from {algs:?}");
    }
    for key in keys {
        assert_eq!(key["use"], "sig");
        assert!(key["kid"].as_str().is_some_and(|k| !k.is_empty()));
        for private in ["d", "p", "q", "dp", "dq", "qi"] {
            assert!(key.get(private).is_none(), "private member {private} published");
        }
    }
    let rsa = keys.iter().find(|k| k["kty"] == "RSA").unwrap();
    let n = rsa["n"].as_str().unwrap();
    assert!(n.len() >= 342, "RSA modulus of at least 2048 bits");
}
