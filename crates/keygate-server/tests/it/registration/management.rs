//! RFC 7592: reading, replacing and deleting a registration with its access token.

use keygate_core::client::{ClientSpec, ClientType};
use reqwest::Method;
use serde_json::{Value, json};

use super::{app, audit, call, initial_token, registered, web_metadata};
use keygate_testkit::REDIRECT_URI;

#[tokio::test]
async fn rfc7592_2_1_read_with_registration_token() {
    let app = app(true).await;
    let info = registered(&app, web_metadata()).await;
    let (uri, rat) =
        (info["registration_client_uri"].as_str().unwrap(), &info["registration_access_token"]);
    let reply = call(&app, Method::GET, uri, rat.as_str(), &Value::Null).await;
    let read = reply.assert_ok();
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(read.get("client_secret").is_none(), "the secret is never shown again");
    for key in [
        "client_id",
        "client_name",
        "redirect_uris",
        "scope",
        "logo_uri",
        "registration_access_token",
    ] {
        assert_eq!(read[key], info[key], "{key}");
    }
}

#[tokio::test]
async fn rfc7592_2_2_update_replaces_metadata() {
    let app = app(true).await;
    let info = registered(&app, web_metadata()).await;
    let id = info["client_id"].as_str().unwrap();
    let (uri, rat) = (
        info["registration_client_uri"].as_str().unwrap(),
        info["registration_access_token"].as_str(),
    );
    let secret = info["client_secret"].as_str().unwrap();
    let put = async |token, body: Value| call(&app, Method::PUT, uri, token, &body).await;
    let new = json!({"client_id": id, "client_secret": secret, "client_name": "Printer 2",
        "redirect_uris": ["https://app.example/cb2"], "registration_access_token": "ignored"});
    let updated = put(rat, new.clone()).await.assert_ok();
    assert_eq!(updated["client_name"], "Printer 2");
    assert_eq!(updated["redirect_uris"], json!(["https://app.example/cb2"]));
    assert!(
        updated.get("logo_uri").is_none() && updated.get("contacts").is_none(),
        "omitted = reset"
    );
    assert_eq!(updated["grant_types"], json!(["authorization_code"]), "back to the default");
    assert_eq!(updated["scope"], "openid profile email offline_access", "type default");
    assert!(updated.get("client_secret").is_none(), "the secret is kept, not reissued");
    assert_eq!(updated["client_id_issued_at"], info["client_id_issued_at"]);
    let new_rat = updated["registration_access_token"].as_str().unwrap();
    assert_ne!(Some(new_rat), rat, "rotated");
    put(rat, new.clone()).await.assert_oauth_error(401, "invalid_token");
    let stored = app.admin().client(id).await.unwrap();
    assert!(stored.secret_hash.unwrap().verify(secret));
    let mut other_id = new.clone();
    other_id["client_id"] = json!("someone-else");
    put(Some(new_rat), other_id).await.assert_oauth_error(400, "invalid_client_metadata");
    let mut wrong_secret = new.clone();
    wrong_secret["client_secret"] = json!("chosen-by-client");
    put(Some(new_rat), wrong_secret).await.assert_oauth_error(400, "invalid_client_metadata");
    let mut bad_uri = new;
    bad_uri["redirect_uris"] = json!(["http://app.example/cb"]);
    put(Some(new_rat), bad_uri).await.assert_oauth_error(400, "invalid_redirect_uri");
    let events = audit(&app, "client.register_update").await;
    assert_eq!((events.len(), events[0].actor.as_str()), (1, "registration"));
}

#[tokio::test]
async fn rfc7592_2_3_delete() {
    let app = app(true).await;
    let info = registered(&app, web_metadata()).await;
    let (uri, rat) = (
        info["registration_client_uri"].as_str().unwrap(),
        info["registration_access_token"].as_str(),
    );
    let reply = call(&app, Method::DELETE, uri, rat, &Value::Null).await;
    assert_eq!(reply.status, 204, "{}", reply.body);
    assert!(app.admin().client(info["client_id"].as_str().unwrap()).await.is_err());
    call(&app, Method::GET, uri, rat, &Value::Null).await.assert_oauth_error(401, "invalid_token");
    let events = audit(&app, "client.register_delete").await;
    assert_eq!(events.len(), 1);
    assert!(audit(&app, "client.delete").await.is_empty(), "one event per deletion");
}

#[tokio::test]
async fn rfc7592_wrong_token_is_401() {
    let app = app(true).await;
    let info = registered(&app, web_metadata()).await;
    let uri = info["registration_client_uri"].as_str().unwrap();
    let (admin_made, _) = app.m2m_client(&[], &[]).await;
    let before = app.admin().clients().await.unwrap().len();
    let initial = initial_token(&app, None).await;
    let cases = [
        (uri.to_owned(), Some("wrong")),
        (uri.to_owned(), Some(initial.as_str())),
        (app.url(&format!("/register/{admin_made}")), Some("anything")),
        (app.url("/register/no-such-client"), Some("anything")),
    ];
    let mut bodies = Vec::new();
    for (url, token) in &cases {
        for method in [Method::GET, Method::PUT, Method::DELETE] {
            let reply = call(&app, method, url, *token, &json!({"client_id": "x"})).await;
            reply.assert_oauth_error(401, "invalid_token");
            assert!(reply.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
            bodies.push(reply.body);
        }
    }
    assert!(bodies.windows(2).all(|w| w[0] == w[1]), "nothing tells whether a client exists");
    let missing = call(&app, Method::GET, uri, None, &Value::Null).await;
    missing.assert_oauth_error(401, "invalid_token");
    assert_eq!(app.admin().clients().await.unwrap().len(), before, "nothing was deleted");
}

#[tokio::test]
async fn rfc7592_2_2_operator_settings_survive_and_a_new_secret_is_issued_when_needed() {
    let app = app(true).await;
    let spa = json!({"redirect_uris": [REDIRECT_URI], "token_endpoint_auth_method": "none"});
    let info = registered(&app, spa).await;
    let id = info["client_id"].as_str().unwrap();
    app.register_access(&["photos:read"], &["https://api.example/"]).await;
    let spec = ClientSpec {
        scopes: Some(vec!["openid".into(), "photos:read".into()]),
        resources: Some(vec!["https://api.example/".into()]),
        ..Default::default()
    };
    app.admin().update_client(id, spec).await.unwrap();
    let uri = info["registration_client_uri"].as_str().unwrap();
    let rat = info["registration_access_token"].as_str();
    let body = json!({"client_id": id, "redirect_uris": [REDIRECT_URI], "scope": "openid photos:read",
        "token_endpoint_auth_method": "client_secret_basic"});
    let updated = call(&app, Method::PUT, uri, rat, &body).await.assert_ok();
    assert_eq!(
        updated["scope"], "openid photos:read",
        "a scope the operator allowed stays allowed"
    );
    let secret = updated["client_secret"].as_str().expect("public to confidential: a new secret");
    assert_eq!(updated["client_secret_expires_at"], 0);
    let stored = app.admin().client(id).await.unwrap();
    assert_eq!(stored.client_type, ClientType::Web);
    assert_eq!(stored.resources, vec!["https://api.example/".to_owned()]);
    assert!(stored.secret_hash.unwrap().verify(secret));
    let rat = updated["registration_access_token"].as_str();
    let widen = json!({"client_id": id, "redirect_uris": [REDIRECT_URI], "scope": "admin:write"});
    call(&app, Method::PUT, uri, rat, &widen)
        .await
        .assert_oauth_error(400, "invalid_client_metadata");
}
