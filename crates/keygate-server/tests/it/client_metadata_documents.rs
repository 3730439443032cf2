//! OAuth Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): an URL
//! as `client_id`, resolved by fetching it; the checks on the document; caching within bounds;
//! the consent page; the operator's switches. Keygate runs on loopback here, so the documents
//! may too (§8.6's development exception).

use std::collections::HashMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use axum::response::IntoResponse;
use keygate_testkit::{Backend, Browser, TestApp, TestClient, location, pkce, query_param};
use serde_json::{Value, json};

/// Documents served by path, each with its `Cache-Control`, counting fetches.
#[derive(Clone, Default)]
struct Documents {
    served: Arc<Mutex<HashMap<String, (Value, &'static str)>>>,
    fetches: Arc<AtomicUsize>,
    base: String,
}

impl Documents {
    async fn start() -> Self {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let docs = Self { base, ..Self::default() };
        let (served, fetches) = (docs.served.clone(), docs.fetches.clone());
        let router = axum::Router::new().fallback(move |uri: axum::http::Uri| {
            let (served, fetches) = (served.clone(), fetches.clone());
            async move {
                fetches.fetch_add(1, Ordering::SeqCst);
                let found = served.lock().unwrap().get(uri.path()).cloned();
                match found {
                    Some((doc, cache)) => {
                        ([("cache-control", cache)], axum::Json(doc)).into_response()
                    }
                    None => axum::http::StatusCode::NOT_FOUND.into_response(),
                }
            }
        });
        tokio::spawn(async move { axum::serve(listener, router).await });
        docs
    }

    /// Serves `doc` at `path`; returns its URL.
    fn serve(&self, path: &str, doc: Value, cache: &'static str) -> String {
        self.served.lock().unwrap().insert(path.to_owned(), (doc, cache));
        format!("{}{path}", self.base)
    }

    /// A native client's document naming `url`.
    fn agent(&self, path: &str, cache: &'static str) -> String {
        let url = format!("{}{path}", self.base);
        let doc = json!({
            "client_id": url, "client_name": "Agent CLI",
            "logo_uri": "https://agent.example/logo.png",
            "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native",
            "grant_types": ["authorization_code", "refresh_token"],
            "token_endpoint_auth_method": "none",
        });
        self.serve(path, doc, cache)
    }

    fn fetches(&self) -> usize {
        self.fetches.load(Ordering::SeqCst)
    }
}

fn document_client(url: &str) -> TestClient {
    TestClient {
        id: url.to_owned(),
        secret: String::new(),
        redirect_uri: "http://127.0.0.1:4711/callback".to_owned(),
    }
}

#[tokio::test]
async fn cimd_a_url_client_id_signs_in_as_an_unverified_client_from_its_document() {
    let docs = Documents::start().await;
    let app = TestApp::spawn().await;
    let doc = app.get("/.well-known/openid-configuration").await.assert_ok();
    assert_eq!(doc["client_id_metadata_document_supported"], true);
    app.user("ada").await;
    let client = document_client(&docs.agent("/agent/client.json", "max-age=3600"));
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid profile", &challenge, &[]);
    let browser = Browser::new();
    let login = location(&browser.get(&url).await);
    let consent =
        location(&app.submit_login(&browser, &login, "ada", keygate_testkit::PASSWORD).await);
    // The consent page names the document's host and marks the application unverified.
    let page = browser.get(&consent).await;
    assert!(page.body.contains("Agent CLI"), "{}", page.body);
    assert!(page.body.contains("Unverified application"), "{}", page.body);
    assert!(
        page.body.contains("It describes itself from <strong>\u{2068}127.0.0.1\u{2069}</strong>"),
        "{}",
        page.body
    );
    assert!(page.body.contains("It runs on this computer"), "loopback-only redirect URIs");
    // §8.8, §9.2: its logo would be fetched by every user's browser from its own server.
    assert!(!page.body.contains("logo.png"), "no logo of an unverified client");
    let callback = location(&app.submit_consent(&browser, &consent, "allow").await);
    assert!(callback.starts_with(&client.redirect_uri), "RFC 8252 loopback port rule: {callback}");
    let code = query_param(&callback, "code").unwrap();
    let tokens = app.exchange(&client, &code, &verifier).await.assert_ok();
    assert!(tokens["id_token"].is_string());
    assert_eq!(docs.fetches(), 1, "fetched once, then cached");
    // A redirect URI the document does not list is refused on Keygate's page (§4.2).
    let mut other = document_client(&client.id);
    other.redirect_uri = "https://evil.example/callback".to_owned();
    let refused = browser.get(&app.authorize_url(&other, "openid", &challenge, &[])).await;
    assert_eq!(refused.status, 400);
}

#[tokio::test]
async fn cimd_4_documents_that_misname_themselves_or_hold_secrets_are_refused() {
    let docs = Documents::start().await;
    let app = TestApp::spawn().await;
    let (_, challenge) = pkce();
    let base = |path: &str| format!("{}{path}", docs.base);
    let native = |id: String| {
        json!({ "client_id": id, "client_name": "Agent",
        "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native" })
    };
    let mut secret = native(base("/secret"));
    secret["client_secret"] = json!("s3cret");
    let mut shared = native(base("/shared"));
    shared["token_endpoint_auth_method"] = json!("client_secret_basic");
    let cases = [
        docs.serve("/misnamed", native(base("/other")), "max-age=60"),
        docs.serve("/secret", secret, "max-age=60"),
        docs.serve("/shared", shared, "max-age=60"),
        docs.serve("/not-an-object", json!(["client_id"]), "max-age=60"),
        base("/missing"),
    ];
    let browser = Browser::new();
    for url in cases {
        let reply = browser
            .get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[]))
            .await;
        assert_eq!(reply.status, 400, "{url}");
        assert!(reply.body.contains("not registered"), "{url}: {}", reply.body);
    }
    // §5.2: refusals are not cached: each try fetches again.
    let before = docs.fetches();
    browser
        .get(&app.authorize_url(&document_client(&base("/missing")), "openid", &challenge, &[]))
        .await;
    assert_eq!(docs.fetches(), before + 1);
}

#[tokio::test]
async fn cimd_5_2_documents_are_cached_as_their_response_says_within_bounds() {
    let docs = Documents::start().await;
    let app = TestApp::spawn().await;
    let (_, challenge) = pkce();
    let browser = Browser::new();
    let visit = |url: String| {
        let browser = &browser;
        let app = &app;
        let challenge = challenge.clone();
        async move {
            let reply = browser
                .get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[]))
                .await;
            assert!(location(&reply).contains("/login"), "{}", reply.body);
        }
    };
    let hour = docs.agent("/hour", "public, max-age=600");
    let never = docs.agent("/never", "no-store");
    visit(hour.clone()).await;
    visit(never.clone()).await;
    assert_eq!(docs.fetches(), 2);
    app.clock.advance(59);
    visit(hour.clone()).await;
    visit(never.clone()).await;
    assert_eq!(docs.fetches(), 2, "no-store is still kept the 60-second minimum");
    app.clock.advance(2);
    visit(hour.clone()).await;
    visit(never).await;
    assert_eq!(docs.fetches(), 3, "past a minute: the no-store document again, not the other");
    app.clock.advance(600);
    visit(hour).await;
    assert_eq!(docs.fetches(), 4, "past its max-age");
}

#[tokio::test]
async fn cimd_operators_turn_documents_off_or_limit_them_to_hosts() {
    let docs = Documents::start().await;
    let url = docs.agent("/agent", "max-age=60");
    let (_, challenge) = pkce();
    let browser = Browser::new();
    let off = |s: &mut keygate_core::Settings| s.client_metadata_documents.enabled = false;
    let app = TestApp::spawn_with(Backend::Sqlite, off).await.unwrap();
    let doc = app.get("/.well-known/openid-configuration").await.assert_ok();
    assert_eq!(doc["client_id_metadata_document_supported"], false);
    let reply =
        browser.get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[])).await;
    assert_eq!(reply.status, 400);
    let limited = |s: &mut keygate_core::Settings| {
        s.client_metadata_documents.hosts = vec!["localhost".into()]
    };
    let app = TestApp::spawn_with(Backend::Sqlite, limited).await.unwrap();
    let reply =
        browser.get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[])).await;
    assert_eq!(reply.status, 400, "127.0.0.1 is not an allowed host");
    assert_eq!(docs.fetches(), 0, "nothing was fetched");
}

/// Signs `username` in to the document client at `url` with offline access: its tokens.
async fn signed_in(app: &TestApp, url: &str, username: &str) -> Value {
    let client = document_client(url);
    let flow = app.code_flow(&Browser::new(), &client, username, "openid offline_access").await;
    app.exchange(&client, &flow.code, &flow.verifier).await.assert_ok()
}

async fn refresh(app: &TestApp, url: &str, refresh_token: &str) -> keygate_testkit::Reply {
    let form =
        [("grant_type", "refresh_token"), ("refresh_token", refresh_token), ("client_id", url)];
    app.post_form("/token", keygate_testkit::Auth::None, &form).await
}

#[tokio::test]
async fn cimd_an_operator_blocks_a_host_through_the_admin_api_and_its_grants_end() {
    let docs = Documents::start().await;
    let app = TestApp::spawn().await;
    app.user("ada").await;
    let url = docs.agent("/agent/client.json", "max-age=3600");
    let tokens = signed_in(&app, &url, "ada").await;
    // A document fetched for a request that no user completed is not listed.
    let (_, challenge) = pkce();
    let other = document_client(&docs.agent("/other/client.json", "max-age=3600"));
    let asked = Browser::new().get(&app.authorize_url(&other, "openid", &challenge, &[])).await;
    assert!(location(&asked).contains("/login"));
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let call = |method: reqwest::Method, path: &str, body: Option<Value>| {
        let token = token.clone();
        let app = &app;
        let path = path.to_owned();
        async move { app.admin_call(method, &path, Some(&token), body.as_ref(), &[]).await }
    };
    let listed = call(reqwest::Method::GET, "/client-documents", None).await.assert_ok();
    assert_eq!(listed["items"][0]["client_id"], url.as_str(), "{listed}");
    assert_eq!(listed["items"][0]["client_name"], "Agent CLI");
    assert_eq!(listed["items"][0]["live_grants"], 1);
    assert_eq!(listed["items"].as_array().unwrap().len(), 1, "{listed}");

    // Every problem at once, in plain words.
    let bad = json!({ "target": "127.0.0.1:8443", "reason": "x".repeat(501) });
    let refused = call(reqwest::Method::POST, "/client-documents/blocks", Some(bad)).await;
    assert_eq!(refused.status, 422, "{}", refused.body);
    assert!(refused.body.contains("nor a host name") && refused.body.contains("at most 500"));

    let block = json!({ "target": "127.0.0.1", "reason": "phishing" });
    let made = call(reqwest::Method::POST, "/client-documents/blocks", Some(block.clone())).await;
    assert_eq!(made.status, 201, "{}", made.body);
    assert_eq!(made.json()["revoked_grants"], 1);
    assert!(made.header("location").unwrap().ends_with("/client-documents/blocks/127.0.0.1"));
    let twice = call(reqwest::Method::POST, "/client-documents/blocks", Some(block)).await;
    assert_eq!(twice.status, 409, "{}", twice.body);

    // The grant ended: the refresh token and the access token no longer work.
    let refreshed = refresh(&app, &url, tokens["refresh_token"].as_str().unwrap()).await;
    assert!(refreshed.status.is_client_error(), "{}", refreshed.body);
    let access = tokens["access_token"].as_str().unwrap();
    let userinfo = app.http.get(app.url("/userinfo")).bearer_auth(access).send().await.unwrap();
    assert_eq!(userinfo.status(), 401);
    // The cached document is refused too, and nothing is fetched.
    let fetches = docs.fetches();
    let (_, challenge) = pkce();
    let again = Browser::new()
        .get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[]))
        .await;
    assert_eq!(again.status, 400);
    assert!(again.body.contains("not registered"), "{}", again.body);
    assert_eq!(docs.fetches(), fetches);
    let listed = call(reqwest::Method::GET, "/client-documents", None).await.assert_ok();
    assert_eq!(listed["items"][0]["blocked_by"], "127.0.0.1");
    assert_eq!(listed["items"][0]["live_grants"], 0);

    let removed = call(reqwest::Method::DELETE, "/client-documents/blocks/127.0.0.1", None).await;
    assert_eq!(removed.status, 204, "{}", removed.body);
    let gone = call(reqwest::Method::DELETE, "/client-documents/blocks/127.0.0.1", None).await;
    assert_eq!(gone.status, 404);
    // Accepted again; the user is asked to consent anew (the block deleted the consent).
    let (_, challenge) = pkce();
    let browser = Browser::new();
    let back =
        browser.get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[])).await;
    assert!(location(&back).contains("/login"), "{}", back.body);

    // A URL block, removed with the URL percent-encoded in the path.
    let made =
        call(reqwest::Method::POST, "/client-documents/blocks", Some(json!({ "target": url })))
            .await;
    assert_eq!(made.status, 201, "{}", made.body);
    let blocks = call(reqwest::Method::GET, "/client-documents/blocks", None).await.assert_ok();
    assert_eq!(blocks[0]["target"], url.as_str());
    assert_eq!(blocks[0]["created_by"].as_str().map(|a| a.starts_with("client:")), Some(true));
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    let removed =
        call(reqwest::Method::DELETE, &format!("/client-documents/blocks/{encoded}"), None).await;
    assert_eq!(removed.status, 204, "{}", removed.body);
}

#[tokio::test]
async fn cimd_a_block_made_elsewhere_refuses_a_cached_document_on_every_node() {
    let docs = Documents::start().await;
    let Some((app, cluster)) = keygate_testkit::Cluster::start(2).await else { return };
    let url = docs.agent("/agent/client.json", "max-age=3600");
    let (_, challenge) = pkce();
    let authorize = app.authorize_url(&document_client(&url), "openid", &challenge, &[]);
    for node in [0, 1] {
        cluster.via(node);
        let reply = Browser::new().get(&authorize).await;
        assert!(location(&reply).contains("/login"), "node {node} fetched it: {}", reply.body);
    }
    assert_eq!(docs.fetches(), 2, "each node caches the document");
    // The CLI's way: straight into the database, which every node polls.
    app.admin().block_documents("127.0.0.1", "abuse").await.unwrap();
    for node in [0, 1] {
        cluster.via(node);
        let refused = keygate_testkit::within_a_second(|| async {
            Browser::new().get(&authorize).await.status == 400
        })
        .await;
        assert!(refused, "node {node} refuses its cached document once the revision moves");
    }
    assert_eq!(docs.fetches(), 2, "nothing fetched while blocked");
}

#[tokio::test]
async fn cimd_the_console_lists_document_clients_and_blocks_one_after_asking() {
    let docs = Documents::start().await;
    let app = TestApp::spawn().await;
    app.user("ada").await;
    let url = docs.agent("/agent/client.json", "max-age=3600");
    signed_in(&app, &url, "ada").await;
    crate::console::admin_user(&app, "root").await;
    let (browser, _) = crate::console::console_session(&app, "root").await;
    let apps = browser.get(&app.url("/admin/applications")).await;
    assert!(apps.body.contains("admin/client-documents\""), "linked from the applications page");
    let page = browser.get(&app.url("/admin/client-documents")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let shown = url.replace('/', "&#x2f;");
    assert!(page.body.contains("Agent CLI") && page.body.contains(&shown), "{}", page.body);
    assert!(page.body.contains("Nothing is blocked."));
    let found = browser.get(&app.url("/admin/client-documents?q=agent+cli")).await;
    assert!(found.body.contains("Agent CLI"), "the search matches names");
    let none = browser.get(&app.url("/admin/client-documents?q=nothing-like-it")).await;
    assert!(none.body.contains("No application matches.") && !none.body.contains("Agent CLI"));
    let encoded: String = url::form_urlencoded::byte_serialize(url.as_bytes()).collect();
    let ask = format!("/admin/client-documents/block?target={encoded}");
    assert!(page.body.contains("admin/client-documents/block?target="), "a Block link per row");

    // A target that is neither a URL nor a host is refused next to its field.
    let bad = browser.get(&app.url("/admin/client-documents/block?target=127.0.0.1%3A80")).await;
    assert_eq!(bad.status, 422);
    assert!(bad.body.contains("id=\"e-target\""), "{}", bad.body);
    // The block page says what ends before anything does.
    let asked = browser.get(&app.url(&ask)).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(asked.body.contains("Blocking revokes 1 grant (users signed in)"), "{}", asked.body);
    let csrf = keygate_testkit::form_field(&asked.body, "csrf").unwrap();
    let target = keygate_testkit::form_field(&asked.body, "target").unwrap();
    assert_eq!(target, url);
    let forged = [("csrf", "forged"), ("target", url.as_str()), ("reason", "spam")];
    let reply = browser.post_form(&app.url("/admin/client-documents/block"), &forged).await;
    assert_eq!(reply.status, 403);
    let long = "x".repeat(501);
    let too_long = [("csrf", csrf.as_str()), ("target", url.as_str()), ("reason", long.as_str())];
    let reply = browser.post_form(&app.url("/admin/client-documents/block"), &too_long).await;
    assert_eq!(reply.status, 422);
    assert!(reply.body.contains("id=\"e-reason\""), "{}", reply.body);
    let form = [("csrf", csrf.as_str()), ("target", url.as_str()), ("reason", "spam")];
    let reply = browser.post_form(&app.url("/admin/client-documents/block"), &form).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    assert_eq!(location(&reply), app.url("/admin/client-documents"));
    let page = browser.get(&app.url("/admin/client-documents")).await;
    assert!(page.body.contains(">blocked<") && page.body.contains("spam"), "{}", page.body);
    let audit = browser.get(&app.url("/admin/audit")).await;
    assert!(audit.body.contains("document.block"), "audited");

    let unblock = [("csrf", csrf.as_str()), ("target", url.as_str())];
    let reply = browser.post_form(&app.url("/admin/client-documents/unblock"), &unblock).await;
    assert_eq!(reply.status, 303, "{}", reply.body);
    let page = browser.get(&app.url("/admin/client-documents")).await;
    assert!(page.body.contains("Nothing is blocked."));
}

#[tokio::test]
async fn cimd_a_block_made_while_the_document_is_fetched_refuses_it() {
    use keygate_core::store::{DocumentBlock, DocumentClientStore};
    let app = TestApp::spawn().await;
    let (_, challenge) = pkce();
    // Warm the node's block cache: nothing is blocked yet.
    let unknown = document_client("http://127.0.0.1:9/none.json");
    Browser::new().get(&app.authorize_url(&unknown, "openid", &challenge, &[])).await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}/agent/client.json", listener.local_addr().unwrap());
    let doc = json!({ "client_id": url, "client_name": "Agent CLI",
        "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native" });
    let store = app.store.clone();
    let router = axum::Router::new().fallback(move || {
        let (store, doc) = (store.clone(), doc.clone());
        async move {
            // The operator blocks the host while Keygate waits for the document.
            let block = DocumentBlock {
                target: "127.0.0.1".into(),
                reason: "abuse".into(),
                created_at: 0,
                created_by: "cli".into(),
            };
            store.insert_document_block(&block, 0).await.unwrap();
            axum::Json(doc)
        }
    });
    tokio::spawn(async move { axum::serve(listener, router).await });
    let reply = Browser::new()
        .get(&app.authorize_url(&document_client(&url), "openid", &challenge, &[]))
        .await;
    assert_eq!(reply.status, 400, "the blocks are read again after the fetch: {}", reply.body);
}
