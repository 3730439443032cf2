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
