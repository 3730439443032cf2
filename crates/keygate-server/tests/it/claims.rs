//! The `claims` request parameter (OIDC Core §5.5): it never widens consent, and a requested
//! `sub` value names the one user the response may be about (§3.1.2.2, §5.5.1).

use keygate_testkit::{Browser, TestApp, location, pkce, query_param};
use serde_json::Value;

use crate::support::verify_with_jwks;

const GREEDY: &str = r#"{"id_token":{"email":null,"phone_number":null,"address":null,"birthdate":null,"name":null},"userinfo":{"email":null,"name":null}}"#;

#[tokio::test]
async fn oidc_core_5_5_claims_request_releases_only_what_the_granted_scopes_cover() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let flow = app.code_flow_with(&browser, &client, "ada", "openid", &[("claims", GREEDY)]).await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let (_, id_claims) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    for claim in ["email", "phone_number", "address", "birthdate", "name"] {
        assert!(id_claims.get(claim).is_none(), "{claim} released without consent: {id_claims}");
    }
    let access = tokens["access_token"].as_str().unwrap();
    let reply = app.http.get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    let userinfo: Value = reply.json().await.unwrap();
    assert!(userinfo.get("email").is_none() && userinfo.get("name").is_none(), "{userinfo}");
}

#[tokio::test]
async fn oidc_core_5_5_claims_request_places_consented_claims_in_the_id_token() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "email"]).await;
    app.user("ada").await;
    let claims = r#"{"id_token":{"email":{"essential":true},"name":null}}"#;
    let (browser, extra) = (Browser::new(), [("claims", claims)]);
    let flow = app.code_flow_with(&browser, &client, "ada", "openid email", &extra).await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let (_, id_claims) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(id_claims["email"], "ada@example.com");
    assert!(id_claims.get("name").is_none(), "profile was not granted");
}

#[tokio::test]
async fn oidc_core_5_5_1_a_requested_sub_of_another_user_is_login_required_with_prompt_none() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let ada = app.user("ada").await;
    let bob = app.user("bob").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "ada", "openid").await;
    let (_, challenge) = pkce();
    let wants_bob = format!(r#"{{"id_token":{{"sub":{{"value":"{}"}}}}}}"#, bob.id);
    let extra = [("prompt", "none"), ("claims", wants_bob.as_str())];
    let callback =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &extra)).await);
    assert_eq!(query_param(&callback, "error").as_deref(), Some("login_required"), "{callback}");
    assert!(query_param(&callback, "code").is_none());
    // Without prompt=none, the right user is asked to sign in.
    let extra = [("claims", wants_bob.as_str())];
    let next =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &extra)).await);
    assert!(next.starts_with(&app.url("/login")), "{next}");
    // The signed-in user's own sub goes straight through.
    let wants_ada = format!(r#"{{"id_token":{{"sub":{{"value":"{}"}}}}}}"#, ada.id);
    let extra = [("prompt", "none"), ("claims", wants_ada.as_str())];
    let callback =
        location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &extra)).await);
    assert!(query_param(&callback, "code").is_some(), "{callback}");
}

#[tokio::test]
async fn oidc_core_5_2_claims_locales_returns_names_in_the_languages_asked_for() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid", "profile"]).await;
    let taro = app.user("taro").await;
    let claims = serde_json::json!({"family_name#ja-Kana-JP": "ヤマダ", "nickname#de": "Taro"});
    let spec = keygate_core::admin::UserSpec {
        family_name: Some(Some("Yamada".into())),
        claims: claims.as_object().cloned(),
        ..Default::default()
    };
    app.admin().update_user(&taro.id, spec).await.expect("claims");
    let browser = Browser::new();
    let extra = [("claims_locales", "ja")];
    let flow = app.code_flow_with(&browser, &client, "taro", "openid profile", &extra).await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let (_, id_claims) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(id_claims["family_name"], "Yamada");
    assert_eq!(id_claims["family_name#ja-Kana-JP"], "ヤマダ");
    assert!(id_claims.get("nickname#de").is_none(), "not asked for: {id_claims}");
    // UserInfo answers for the same grant, in the same languages.
    let access = tokens["access_token"].as_str().unwrap();
    let reply = app.http.get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    let userinfo: Value = reply.json().await.unwrap();
    assert_eq!(userinfo["family_name#ja-Kana-JP"], "ヤマダ", "{userinfo}");
}
