//! The admin REST API: OAuth protection (RFC 6750), RFC 9457 problems, pagination, ETags, and
//! every resource.

use keygate_core::admin::admin_audience;
use keygate_testkit::Auth;
use keygate_testkit::TestApp;
use reqwest::Method;
use serde_json::{Value, json};

const RW: &[&str] = &["admin:read", "admin:write"];

async fn call(
    app: &TestApp,
    token: &str,
    method: Method,
    path: &str,
    body: Option<Value>,
) -> keygate_testkit::Reply {
    app.admin_call(method, path, Some(token), body.as_ref(), &[]).await
}

#[track_caller]
fn assert_problem(reply: &keygate_testkit::Reply, status: u16) -> Value {
    assert_eq!(reply.status.as_u16(), status, "body: {}", reply.body);
    assert_eq!(reply.header("content-type"), Some("application/problem+json"));
    let body = reply.json();
    assert_eq!(body["status"], status);
    assert_eq!(body["type"], "about:blank");
    body
}

#[tokio::test]
async fn rfc6750_3_1_request_without_token_gets_401_and_a_bare_challenge() {
    let app = TestApp::spawn().await;
    let reply = app.admin_call(Method::GET, "/clients", None, None, &[]).await;
    assert_problem(&reply, 401);
    assert_eq!(reply.header("www-authenticate"), Some("Bearer realm=\"keygate-admin\""));
}

#[tokio::test]
async fn rfc6750_3_1_invalid_or_foreign_token_gets_401_invalid_token() {
    let app = TestApp::spawn().await;
    let reply = call(&app, "not-a-token", Method::GET, "/clients", None).await;
    assert_problem(&reply, 401);
    assert!(reply.header("www-authenticate").unwrap().contains("error=\"invalid_token\""));
    // A valid token for another audience is refused too.
    let (id, secret) = app.m2m_client(&["admin:read"], &["https://other.example/"]).await;
    let other = app.cc_token(&id, &secret, &[]).await;
    let reply = call(&app, &other, Method::GET, "/clients", None).await;
    assert_problem(&reply, 401);
}

#[tokio::test]
async fn rfc6750_2_1_malformed_authorization_header_is_400_invalid_request() {
    let app = TestApp::spawn().await;
    let reply =
        app.admin_call(Method::GET, "/clients", None, None, &[("authorization", "Bearer")]).await;
    assert_problem(&reply, 400);
    assert!(reply.header("www-authenticate").unwrap().contains("invalid_request"));
}

#[tokio::test]
async fn rfc6750_3_1_read_only_token_gets_403_insufficient_scope_on_writes() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(&["admin:read"]).await;
    assert_eq!(call(&app, &token, Method::GET, "/clients", None).await.status, 200);
    let reply = call(&app, &token, Method::POST, "/clients", Some(json!({}))).await;
    assert_problem(&reply, 403);
    let challenge = reply.header("www-authenticate").unwrap();
    assert!(challenge.contains("error=\"insufficient_scope\""), "{challenge}");
    assert!(challenge.contains("scope=\"admin:write\""), "{challenge}");
}

#[tokio::test]
async fn web_application_is_registered_shown_changed_and_deleted() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let body = json!({
        "application_type": "web",
        "client_name": "Shop",
        "redirect_uris": ["https://shop.example/callback"],
        "post_logout_redirect_uris": ["https://shop.example/"],
        "logo_uri": "https://shop.example/logo.png",
    });
    let reply = call(&app, &token, Method::POST, "/clients", Some(body)).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let created = reply.json();
    let id = created["client_id"].as_str().unwrap().to_owned();
    assert_eq!(reply.header("location").unwrap(), app.url(&format!("/admin/api/v1/clients/{id}")));
    assert_eq!(reply.header("cache-control"), Some("no-store"));
    assert!(created["client_secret"].as_str().unwrap().len() >= 40);
    assert_eq!(created["token_endpoint_auth_method"], "client_secret_basic");
    assert_eq!(created["grant_types"], json!(["authorization_code", "refresh_token"]));

    let shown = call(&app, &token, Method::GET, &format!("/clients/{id}"), None).await;
    let shown_body = shown.assert_ok();
    assert!(shown_body.get("client_secret").is_none(), "the secret is shown once");
    assert_eq!(shown_body["logo_uri"], "https://shop.example/logo.png");
    let etag = shown.header("etag").unwrap().to_owned();

    let change = json!({ "client_name": "Shop 2", "web_origins": [] });
    let patched = app
        .admin_call(
            Method::PATCH,
            &format!("/clients/{id}"),
            Some(&token),
            Some(&change),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(patched.assert_ok()["client_name"], "Shop 2");
    assert_eq!(patched.json()["logo_uri"], "https://shop.example/logo.png", "metadata merged");

    let delete =
        app.admin_call(Method::DELETE, &format!("/clients/{id}"), Some(&token), None, &[]).await;
    assert_eq!(delete.status, 204);
    let gone = call(&app, &token, Method::GET, &format!("/clients/{id}"), None).await;
    assert_problem(&gone, 404);
}

#[tokio::test]
async fn rfc9110_13_1_1_stale_if_match_is_412_and_changes_nothing() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let body = json!({"application_type": "m2m", "client_name": "Batch"});
    let id = call(&app, &token, Method::POST, "/clients", Some(body)).await.json()["client_id"]
        .as_str()
        .unwrap()
        .to_owned();
    let etag = call(&app, &token, Method::GET, &format!("/clients/{id}"), None).await;
    let etag = etag.header("etag").unwrap().to_owned();
    let first = json!({"client_name": "Batch A"});
    let ok = app
        .admin_call(
            Method::PATCH,
            &format!("/clients/{id}"),
            Some(&token),
            Some(&first),
            &[("if-match", &etag)],
        )
        .await;
    assert_eq!(ok.status, 200);
    let second = json!({"client_name": "Batch B"});
    let stale = app
        .admin_call(
            Method::PATCH,
            &format!("/clients/{id}"),
            Some(&token),
            Some(&second),
            &[("if-match", &etag)],
        )
        .await;
    assert_problem(&stale, 412);
    let now = call(&app, &token, Method::GET, &format!("/clients/{id}"), None).await;
    assert_eq!(now.json()["client_name"], "Batch A");
}

#[tokio::test]
async fn invalid_metadata_is_422_listing_every_problem() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let body = json!({
        "application_type": "spa",
        "client_name": "",
        "redirect_uris": ["https://spa.example/cb#frag", "http://spa.example/cb", "https://*.example/cb"],
        "web_origins": ["https://spa.example/path"],
    });
    let reply = call(&app, &token, Method::POST, "/clients", Some(body)).await;
    let problem = assert_problem(&reply, 422);
    let errors: Vec<String> = problem["errors"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e.as_str().unwrap().to_owned())
        .collect();
    assert_eq!(errors.len(), 5, "{errors:?}");
    assert!(errors.iter().any(|e| e.contains("fragment")));
    assert!(errors.iter().any(|e| e.contains("wildcard")));
    assert!(errors.iter().any(|e| e.contains("must use https")));
    assert!(errors.iter().any(|e| e.contains("web origin")));
    // Native apps may use loopback and private-use schemes (RFC 8252 §7).
    let native = json!({
        "application_type": "native", "client_name": "CLI",
        "redirect_uris": ["http://127.0.0.1/callback", "com.example.app:/oauth2redirect"],
    });
    assert_eq!(call(&app, &token, Method::POST, "/clients", Some(native)).await.status, 201);
}

#[tokio::test]
async fn rfc9457_bad_json_and_wrong_content_type_are_problems() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let reply = app
        .http
        .post(app.url("/admin/api/v1/clients"))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body("{not json")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);
    assert_eq!(reply.headers()["content-type"], "application/problem+json");
    let reply = app
        .http
        .post(app.url("/admin/api/v1/clients"))
        .bearer_auth(&token)
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 415);
    let unknown = json!({"application_type": "m2m", "client_name": "x", "colour": "red"});
    let reply = call(&app, &token, Method::POST, "/clients", Some(unknown)).await;
    assert_problem(&reply, 400);
}

#[tokio::test]
async fn clients_are_paged_and_filtered() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    for name in ["Kilo zz", "Oscar zz", "Romeo zz"] {
        let body = json!({"application_type": "m2m", "client_name": name, "client_id": name[..name.len() - 3].to_lowercase()});
        assert_eq!(call(&app, &token, Method::POST, "/clients", Some(body)).await.status, 201);
    }
    // The token's own client, the console's and the account page's are listed too.
    let all = call(&app, &token, Method::GET, "/clients?limit=200", None).await.assert_ok();
    assert_eq!(all["items"].as_array().unwrap().len(), 6);
    let first = call(&app, &token, Method::GET, "/clients?limit=2&q=ZZ", None).await.assert_ok();
    let ids: Vec<&str> = first["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["kilo", "oscar"]);
    let cursor = first["next_cursor"].as_str().unwrap();
    let next =
        call(&app, &token, Method::GET, &format!("/clients?limit=2&q=ZZ&cursor={cursor}"), None)
            .await
            .assert_ok();
    let ids: Vec<&str> = next["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["client_id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["romeo"]);
    assert!(next.get("next_cursor").is_none());
}

#[tokio::test]
async fn rotated_secret_replaces_the_old_one() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let (id, old) = app.m2m_client(&[], &[]).await;
    let reply = call(&app, &token, Method::POST, &format!("/clients/{id}/secret"), None).await;
    let new = reply.assert_ok()["client_secret"].as_str().unwrap().to_owned();
    let form = [("grant_type", "client_credentials")];
    app.post_form("/token", Auth::Basic(&id, &old), &form)
        .await
        .assert_oauth_error(401, "invalid_client");
    app.post_form("/token", Auth::Basic(&id, &new), &form).await.assert_ok();
}

#[tokio::test]
async fn api_scopes_are_granted_to_m2m_clients_with_the_apis_lifetime() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let api = json!({
        "identifier": "https://todo.example/api",
        "name": "To-do API",
        "scopes": [
            {"name": "todo:read", "description": "Read your to-do list"},
            {"name": "todo:write", "description": "Change your to-do list"}
        ],
        "access_token_ttl": 600,
        "signing_alg": "RS256",
    });
    let reply = call(&app, &token, Method::POST, "/apis", Some(api.clone())).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let api_id = reply.json()["id"].as_str().unwrap().to_owned();
    let dup = call(&app, &token, Method::POST, "/apis", Some(api)).await;
    assert_problem(&dup, 409);

    let (client, secret) = app.m2m_client(&[], &[]).await;
    let bad = json!({"scopes": ["todo:delete"]});
    let reply =
        call(&app, &token, Method::PUT, &format!("/apis/{api_id}/clients/{client}"), Some(bad))
            .await;
    assert_problem(&reply, 422);
    let grant = json!({"scopes": ["todo:read"]});
    let reply =
        call(&app, &token, Method::PUT, &format!("/apis/{api_id}/clients/{client}"), Some(grant))
            .await;
    assert_eq!(reply.assert_ok()["client_grants"][&client], json!(["todo:read"]));

    let form = [("grant_type", "client_credentials"), ("resource", "https://todo.example/api")];
    let issued = app.post_form("/token", Auth::Basic(&client, &secret), &form).await.assert_ok();
    assert_eq!(issued["scope"], "todo:read");
    assert_eq!(issued["expires_in"], 600);
    let claims = app
        .provider
        .active_access_token(issued["access_token"].as_str().unwrap())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(claims.aud, ["https://todo.example/api"]);
    let header = jsonwebtoken::decode_header(issued["access_token"].as_str().unwrap()).unwrap();
    assert_eq!(header.alg, jsonwebtoken::Algorithm::RS256);

    let write = [("grant_type", "client_credentials"), ("scope", "todo:write")];
    app.post_form("/token", Auth::Basic(&client, &secret), &write)
        .await
        .assert_oauth_error(400, "invalid_scope");

    // RFC 7662 §4: the API's own credentials introspect the token; the client's peers cannot.
    let path = format!("/apis/{api_id}/credentials");
    let made = call(&app, &token, Method::POST, &path, None).await;
    assert_eq!(made.status, 201, "{}", made.body);
    let (rs, rs_secret) = (
        made.json()["client_id"].as_str().unwrap().to_owned(),
        made.json()["client_secret"].as_str().unwrap().to_owned(),
    );
    app.provider.sync().await.unwrap();
    let access = [("token", issued["access_token"].as_str().unwrap())];
    let intro = app.post_form("/introspect", Auth::Basic(&rs, &rs_secret), &access).await;
    assert_eq!(intro.assert_ok()["active"], true);
    let shown = call(&app, &token, Method::GET, &format!("/apis/{api_id}"), None).await;
    assert_eq!(shown.assert_ok()["introspection_clients"], json!([rs]));
    let gone = call(&app, &token, Method::DELETE, &format!("{path}/{rs}"), None).await;
    assert_eq!(gone.assert_ok()["introspection_clients"], json!([]));

    let reply =
        call(&app, &token, Method::DELETE, &format!("/apis/{api_id}/clients/{client}"), None).await;
    reply.assert_ok();
    app.post_form("/token", Auth::Basic(&client, &secret), &form)
        .await
        .assert_oauth_error(400, "invalid_target");
}

#[tokio::test]
async fn users_are_managed_with_claims_sessions_and_consents() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let body = json!({
        "username": "grace", "email": "grace@example.com", "password": keygate_testkit::PASSWORD,
        "name": "Grace Hopper", "claims": {"locale": "en-US"}, "roles": ["admin"],
    });
    let reply = call(&app, &token, Method::POST, "/users", Some(body.clone())).await;
    assert_eq!(reply.status, 201, "{}", reply.body);
    let id = reply.json()["id"].as_str().unwrap().to_owned();
    assert!(reply.json().get("password").is_none());
    assert_problem(&call(&app, &token, Method::POST, "/users", Some(body)).await, 409);

    let search = call(&app, &token, Method::GET, "/users?q=HOPPER", None).await.assert_ok();
    assert_eq!(search["items"].as_array().unwrap().len(), 0, "names are not searched");
    let search = call(&app, &token, Method::GET, "/users?q=GRACE@", None).await.assert_ok();
    assert_eq!(search["items"][0]["id"], id.as_str());

    let bad = json!({"claims": {"shoe_size": "42", "phone_number_verified": "yes"}});
    let problem = assert_problem(
        &call(&app, &token, Method::PATCH, &format!("/users/{id}"), Some(bad)).await,
        422,
    );
    assert_eq!(problem["errors"].as_array().unwrap().len(), 2);

    // A session and a consent, made through the real sign-in.
    let client = app.web_client(&["openid", "profile"]).await;
    let browser = keygate_testkit::Browser::new();
    app.code_flow(&browser, &client, "grace", "openid profile").await;
    let sessions =
        call(&app, &token, Method::GET, &format!("/users/{id}/sessions"), None).await.assert_ok();
    let sid = sessions[0]["sid"].as_str().unwrap().to_owned();
    let consents =
        call(&app, &token, Method::GET, &format!("/users/{id}/consents"), None).await.assert_ok();
    assert_eq!(consents[0]["client_id"], client.id.as_str());
    let reply =
        call(&app, &token, Method::DELETE, &format!("/users/{id}/consents/{}", client.id), None)
            .await;
    assert_eq!(reply.status, 204);
    assert_eq!(
        call(&app, &token, Method::GET, &format!("/users/{id}/consents"), None).await.assert_ok(),
        json!([])
    );
    let reply =
        call(&app, &token, Method::DELETE, &format!("/users/{id}/sessions/{sid}"), None).await;
    assert_eq!(reply.status, 204);
    assert_eq!(
        call(&app, &token, Method::GET, &format!("/users/{id}/sessions"), None).await.assert_ok(),
        json!([])
    );

    // Grace is not the last administrator, so she may be disabled (see `lockout`).
    crate::console::admin_user(&app, "root").await;
    let disable = json!({"disabled": true});
    let reply = call(&app, &token, Method::PATCH, &format!("/users/{id}"), Some(disable)).await;
    assert_eq!(reply.assert_ok()["disabled"], true);
    for (password, words) in [("short", "at least 12"), ("Password123456", "too common")] {
        let body = json!({ "password": password });
        let path = format!("/users/{id}/password");
        let problem =
            assert_problem(&call(&app, &token, Method::PUT, &path, Some(body)).await, 422);
        assert!(problem["errors"][0].as_str().unwrap().contains(words), "{problem}");
    }
    assert_eq!(call(&app, &token, Method::DELETE, &format!("/users/{id}"), None).await.status, 204);
    assert_problem(&call(&app, &token, Method::GET, &format!("/users/{id}"), None).await, 404);
}

#[tokio::test]
async fn every_change_is_in_the_audit_log_with_actor_and_address() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let caller = app.provider.active_access_token(&token).await.unwrap().unwrap().client_id;
    let body = json!({"application_type": "m2m", "client_name": "Audited", "client_id": "audited"});
    call(&app, &token, Method::POST, "/clients", Some(body)).await;
    call(&app, &token, Method::POST, "/clients/audited/secret", None).await;
    call(&app, &token, Method::POST, "/keys/rotate", None).await.assert_ok();
    let log =
        call(&app, &token, Method::GET, "/audit?target=client:audited", None).await.assert_ok();
    let actions: Vec<&str> =
        log["items"].as_array().unwrap().iter().map(|e| e["action"].as_str().unwrap()).collect();
    assert_eq!(actions, ["client.rotate_secret", "client.create"]);
    let first = &log["items"][0];
    assert_eq!(first["actor"], format!("client:{caller}"));
    assert_eq!(first["ip"], "127.0.0.1");
    assert!(!log.to_string().contains("client_secret\":\""), "no secret in the log");
    let page = call(&app, &token, Method::GET, "/audit?limit=1", None).await.assert_ok();
    assert_eq!(page["items"][0]["action"], "keys.rotate");
    let cursor = page["next_cursor"].as_str().unwrap();
    let next = call(&app, &token, Method::GET, &format!("/audit?limit=1&cursor={cursor}"), None)
        .await
        .assert_ok();
    assert_eq!(next["items"][0]["action"], "client.rotate_secret");
    let keys = call(&app, &token, Method::GET, "/keys", None).await.assert_ok();
    assert_eq!(
        keys.as_array().unwrap().iter().filter(|k| k.get("retired_at").is_none()).count(),
        3
    );
}

#[tokio::test]
async fn openapi_document_describes_the_api() {
    let app = TestApp::spawn().await;
    let doc = app.get("/admin/api/openapi.json").await.assert_ok();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3.1"));
    assert_eq!(doc["servers"][0]["url"], app.issuer.as_str());
    for path in [
        "/admin/api/v1/clients",
        "/admin/api/v1/clients/{client_id}",
        "/admin/api/v1/apis/{id}/clients/{client_id}",
        "/admin/api/v1/apis/{id}/credentials",
        "/admin/api/v1/users/{id}/sessions/{sid}",
        "/admin/api/v1/audit",
    ] {
        assert!(doc["paths"].get(path).is_some(), "{path} missing");
    }
    assert!(doc["components"]["schemas"].get("ClientView").is_some());
    assert_eq!(doc["components"]["securitySchemes"]["bearer"]["scheme"], "bearer");
    let _ = admin_audience(&app.issuer);
}

#[tokio::test]
async fn cli_path_ends_a_session_and_revokes_its_online_grants() {
    let app = TestApp::spawn().await;
    let user = app.user("kim").await;
    let client = app.web_client(&["openid", "profile"]).await;
    let browser = keygate_testkit::Browser::new();
    let flow = app.code_flow(&browser, &client, "kim", "openid profile").await;
    let tokens = app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok();
    let access = tokens["access_token"].as_str().unwrap();
    assert!(app.provider.active_access_token(access).await.unwrap().is_some());
    let sid = app.admin().user_sessions(&user.id).await.unwrap()[0].sid.clone();
    app.admin().end_session(&user.id, &sid).await.unwrap();
    assert!(app.admin().user_sessions(&user.id).await.unwrap().is_empty());
    // The CLI writes to the database directly: the server hears of it through the revocation
    // feed (SQLite: its log, polled every 200 ms).
    let revoked = keygate_testkit::within_a_second(|| async {
        app.provider.active_access_token(access).await.unwrap().is_none()
    });
    assert!(revoked.await, "grant revoked, within a second");
    assert!(app.admin().end_session(&user.id, &sid).await.is_err(), "already gone: not found");
}

#[tokio::test]
async fn names_and_descriptions_have_length_limits_listed_with_every_other_problem() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(RW).await;
    let long = "x".repeat(5000);
    let body = json!({"application_type": "m2m", "client_name": long});
    let problem =
        assert_problem(&call(&app, &token, Method::POST, "/clients", Some(body)).await, 422);
    assert!(
        problem["errors"][0].as_str().unwrap().contains("at most 100 characters (it has 5000)")
    );
    let api = json!({
        "identifier": "https://long.example/api", "name": long,
        "scopes": [{"name": "read", "description": "y".repeat(501)}],
    });
    let problem = assert_problem(&call(&app, &token, Method::POST, "/apis", Some(api)).await, 422);
    let errors = problem["errors"].to_string();
    assert!(errors.contains("name must have at most 100"), "{errors}");
    assert!(errors.contains("the description of scope 'read' must have at most 500"), "{errors}");
    let user = json!({"username": "longname", "email": "l@example.com",
        "password": keygate_testkit::PASSWORD, "name": long});
    let problem =
        assert_problem(&call(&app, &token, Method::POST, "/users", Some(user)).await, 422);
    assert!(problem["errors"].to_string().contains("name must have at most 100"), "{problem}");
}
