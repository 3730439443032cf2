//! A real browser (headless Chromium through WebDriver) signs in, consents, and lands on the
//! application's redirect URI with a code. Screenshots of the pages go to target/test-artifacts.

use keygate_core::client::{ClientSpec, GrantType};
use keygate_testkit::{PASSWORD, TestApp, TestClient, WebDriver, pkce, query_param};

/// A tiny application on loopback that receives the redirect.
pub async fn callback_app() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}/callback", listener.local_addr().unwrap());
    let app = axum::Router::new().route(
        "/callback",
        axum::routing::get(|| async { axum::response::Html("<h1>Signed in</h1>") }),
    );
    tokio::spawn(async move { axum::serve(listener, app).await });
    uri
}

/// "Photo Printer": a web application allowed `scopes`, whose redirect URI is a
/// [`callback_app`].
pub async fn photo_printer(app: &TestApp, scopes: &[&str]) -> TestClient {
    let callback = callback_app().await;
    let spec = ClientSpec {
        name: Some("Photo Printer".to_owned()),
        redirect_uris: Some(vec![callback.clone()]),
        scopes: Some(scopes.iter().map(|s| (*s).to_owned()).collect()),
        grant_types: Some(vec![GrantType::AuthorizationCode]),
        ..Default::default()
    };
    let new = keygate_core::admin::NewClient {
        client_type: keygate_core::client::ClientType::Web,
        client_id: None,
        secret: None,
        spec,
    };
    let (registered, secret) = app.admin().create_client(new).await.unwrap();
    TestClient {
        id: registered.client_id,
        secret: secret.unwrap().expose_secret().to_owned(),
        redirect_uri: callback,
    }
}

/// Opens `url`, which leads to the login page, and signs `ada` in: see [`submit_login`].
async fn sign_in_to_consent(browser: &WebDriver, url: &str) {
    browser.goto(url).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    submit_login(browser).await;
}

/// Signs `ada` in on the login page on screen; returns when the consent page shows.
async fn submit_login(browser: &WebDriver) {
    browser.type_into("#username", "ada").await;
    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    browser.wait_for_url(|u| u.contains("/consent")).await;
}

#[tokio::test]
async fn chromium_signs_in_consents_and_returns_with_a_code() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    app.user("ada").await;
    let client = photo_printer(&app, &["openid", "profile", "email"]).await;
    let callback = client.redirect_uri.clone();

    let (verifier, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid profile email", &challenge, &[])).await;
    let url = browser.wait_for_url(|u| u.contains("/login")).await;
    assert!(url.starts_with(&app.url("/login")), "{url}");
    assert!(browser.source().await.contains("Photo Printer"));
    browser.screenshot("login").await;
    browser.assert_accessible("login").await;

    browser.type_into("#username", "ada").await;
    browser.type_into("#password", "not the password").await;
    browser.click("button[type=submit]").await;
    // The passkey form holds a hidden `.error` for its own messages: wait for a shown one.
    browser.wait_for_element(".error:not([hidden])").await;
    let page = browser.source().await;
    assert!(page.contains("The username or password is incorrect."), "{page}");
    browser.screenshot("login-error").await;
    browser.assert_accessible("login-error").await;

    browser.type_into("#password", PASSWORD).await;
    browser.click("button[type=submit]").await;
    let url = browser.wait_for_url(|u| u.contains("/consent")).await;
    assert!(url.starts_with(&app.url("/consent")), "{url}");
    assert!(browser.source().await.contains("See your email address"));
    browser.screenshot("consent").await;
    browser.assert_accessible("consent").await;

    browser.click("button[value=allow]").await;
    let url = browser.wait_for_url(|u| u.starts_with(&callback)).await;
    assert!(url.starts_with(&callback), "landed on {url}");
    assert_eq!(query_param(&url, "state").as_deref(), Some("xyz"));
    let code = query_param(&url, "code").expect("a code");
    app.exchange(&client, &code, &verifier).await.assert_ok();

    // An application-initiated logout where the user chooses to stay signed in.
    browser.goto(&app.url(&format!("/logout?client_id={}", client.id))).await;
    browser.wait_for_element("button[value=stay]").await;
    browser.assert_accessible("logout-ask").await;
    browser.click("button[value=stay]").await;
    // The answer to the form's POST, not the question page still on screen.
    browser.wait_for_url(|u| u.ends_with("/logout/confirm")).await;
    browser.wait_for_element("h1").await;
    assert!(browser.source().await.contains("You are still signed in"));
    browser.screenshot("stay-signed-in").await;
    browser.assert_accessible("stay-signed-in").await;

    // The login page on a phone-sized screen.
    browser.resize(390, 844).await;
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[("prompt", "login")])).await;
    browser.wait_for_url(|u| u.contains("/login")).await;
    browser.screenshot("login-phone").await;
    browser.assert_accessible("login-phone").await;
}

#[tokio::test]
async fn axe_end_user_pages_have_no_serious_accessibility_violations() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    for (path, name) in [
        ("/", "home"),
        ("/no/such/page", "not-found"),
        ("/authorize?client_id=nobody&redirect_uri=https://x.example/", "error-page"),
        ("/device", "device"),
        ("/logout", "signed-out"),
    ] {
        browser.goto(&app.url(path)).await;
        browser.assert_accessible(name).await;
        browser.screenshot(&format!("page-{name}")).await;
    }
}

#[tokio::test]
async fn axe_the_page_before_leaving_for_an_unverified_application() {
    let Some(browser) = WebDriver::start().await else { return };
    let open = |s: &mut keygate_core::Settings| {
        s.registration.enabled = true;
        s.registration.open = true;
    };
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, open).await.unwrap();
    let body = serde_json::json!({"redirect_uris": ["https://elsewhere.example/cb"], "client_name": "Elsewhere"});
    let registered =
        reqwest::Client::new().post(app.url("/register")).json(&body).send().await.unwrap();
    let client: serde_json::Value = registered.json().await.unwrap();
    let id = client["client_id"].as_str().unwrap();
    let url = format!(
        "{}?client_id={id}&redirect_uri=https://elsewhere.example/cb&response_type=token&state=s",
        app.url("/authorize")
    );
    browser.goto(&url).await;
    browser.wait_for_element("h1").await;
    assert!(browser.source().await.contains("elsewhere.example"));
    browser.screenshot("leaving").await;
    browser.assert_accessible("leaving").await;
}

#[tokio::test]
async fn axe_the_consent_page_of_an_application_that_describes_itself() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    app.user("ada").await;
    // A Client ID Metadata Document, as MCP clients have, returning only to loopback.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let id = format!("http://{}/agent.json", listener.local_addr().unwrap());
    let doc = serde_json::json!({ "client_id": id, "client_name": "Desk Agent",
        "redirect_uris": ["http://127.0.0.1/callback"], "application_type": "native" });
    let route = axum::routing::get(move || async move { axum::Json(doc) });
    let router = axum::Router::new().route("/agent.json", route);
    tokio::spawn(async move { axum::serve(listener, router).await });
    let client = TestClient {
        id,
        secret: String::new(),
        redirect_uri: "http://127.0.0.1:4714/callback".to_owned(),
    };
    let (_, challenge) = pkce();
    sign_in_to_consent(&browser, &app.authorize_url(&client, "openid", &challenge, &[])).await;
    let page = browser.source().await;
    assert!(page.contains("Desk Agent") && page.contains("It describes itself from"), "{page}");
    assert!(page.contains("It runs on this computer"), "{page}");
    browser.screenshot("consent-metadata-document").await;
    browser.assert_accessible("consent-metadata-document").await;
}

#[tokio::test]
async fn axe_login_and_consent_in_every_language_right_to_left_included() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    app.user("ada").await;
    let client = photo_printer(&app, &["openid", "profile", "email"]).await;
    for (tag, dir, sign_in) in [
        ("en", "ltr", "Sign in"),
        ("de", "ltr", "Anmelden"),
        ("fr", "ltr", "Se connecter"),
        ("es", "ltr", "Iniciar sesión"),
        ("pt-BR", "ltr", "Entrar"),
        ("ja", "ltr", "サインイン"),
        ("ar", "rtl", "تسجيل الدخول"),
    ] {
        let (_, challenge) = pkce();
        let extra = [("ui_locales", tag), ("prompt", "login")];
        browser.goto(&app.authorize_url(&client, "openid profile email", &challenge, &extra)).await;
        browser.wait_for_url(|u| u.contains("/login")).await;
        let html = browser.source().await;
        assert!(html.contains(&format!(r#"lang="{tag}" dir="{dir}""#)), "{tag}: {html}");
        assert!(html.contains(sign_in), "{tag}: {html}");
        browser.screenshot(&format!("login-{tag}")).await;
        browser.assert_accessible(&format!("login-{tag}")).await;
        submit_login(&browser).await;
        browser.wait_for_element("button[value=allow]").await;
        browser.screenshot(&format!("consent-{tag}")).await;
        browser.assert_accessible(&format!("consent-{tag}")).await;
    }
}

/// The shipped languages, each with a word its pages must show.
const LANGUAGES: [(&str, &str); 7] = [
    ("en", "Password"),
    ("de", "Passwort"),
    ("fr", "Mot de passe"),
    ("es", "Contraseña"),
    ("pt-BR", "Senha"),
    ("ja", "パスワード"),
    ("ar", "كلمة المرور"),
];

#[tokio::test]
async fn axe_every_end_user_page_in_every_language_picked_on_the_page() {
    let Some(browser) = WebDriver::start().await else { return };
    let open = |s: &mut keygate_core::Settings| {
        s.signup.mode = keygate_core::settings::SignupMode::Open;
    };
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, open).await.unwrap();
    app.user("ada").await;
    let client = photo_printer(&app, &["openid"]).await;
    // Signed in once (the account page needs it), in English.
    let (_, challenge) = pkce();
    sign_in_to_consent(&browser, &app.authorize_url(&client, "openid", &challenge, &[])).await;
    let pages = [
        ("home", "/"),
        ("device", "/device"),
        ("forgot", "/forgot"),
        ("signup", "/signup"),
        ("account", "/account"),
        ("error", "/authorize?client_id=nobody&redirect_uri=https://x.example/"),
        ("logout", "/logout"),
    ];
    for (tag, word) in LANGUAGES {
        // The picker's link, as a user would follow it from any page.
        browser.goto(&app.url(&format!("/language?lang={tag}&back=/forgot"))).await;
        browser.wait_for_url(|u| u.ends_with("/forgot")).await;
        assert!(browser.source().await.contains(&format!(r#"lang="{tag}""#)), "{tag}");
        for (name, path) in pages {
            browser.goto(&app.url(path)).await;
            browser.wait_for_element("h1").await;
            let html = browser.source().await;
            assert!(html.contains(&format!(r#"<html lang="{tag}""#)), "{tag} {name}: {html}");
            if matches!(name, "signup" | "account") {
                assert!(html.contains(word), "{tag} {name}: {html}");
            }
            browser.screenshot(&format!("{name}-{tag}")).await;
            browser.assert_accessible(&format!("{name}-{tag}")).await;
        }
        // The account page's authenticator enrolment (a form's answer, not a link).
        browser.goto(&app.url("/account")).await;
        browser.click("form[action$='/account/mfa/totp'] button[type=submit]").await;
        browser.wait_for_element("svg").await;
        assert!(browser.source().await.contains(&format!(r#"<html lang="{tag}""#)), "{tag}");
        browser.screenshot(&format!("account-totp-{tag}")).await;
        browser.assert_accessible(&format!("account-totp-{tag}")).await;
    }
}

#[tokio::test]
async fn axe_the_second_sign_in_step_in_every_language() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    app.user("bo").await;
    let client = photo_printer(&app, &["openid"]).await;
    // bo adds an authenticator app (over HTTP, in English).
    let http = keygate_testkit::Browser::new();
    let web = app.web_client(&["openid"]).await;
    app.code_flow(&http, &web, "bo", "openid").await;
    crate::mfa::enrol(&app, &http).await;
    for (tag, _) in LANGUAGES {
        let (_, challenge) = pkce();
        let extra = [("ui_locales", tag), ("prompt", "login")];
        browser.goto(&app.authorize_url(&client, "openid", &challenge, &extra)).await;
        browser.wait_for_url(|u| u.contains("/login")).await;
        browser.type_into("#username", "bo").await;
        browser.type_into("#password", PASSWORD).await;
        browser.click("button[type=submit]").await;
        browser.wait_for_url(|u| u.contains("/login/mfa")).await;
        let html = browser.source().await;
        assert!(html.contains(&format!(r#"<html lang="{tag}""#)), "{tag}: {html}");
        browser.screenshot(&format!("mfa-{tag}")).await;
        browser.assert_accessible(&format!("mfa-{tag}")).await;
    }
}

#[tokio::test]
async fn a_logo_that_does_not_load_falls_back_to_the_applications_initial() {
    let Some(browser) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let mut stored = app.admin().client(&client.id).await.unwrap();
    stored.metadata.logo_uri = Some("https://logo.invalid/missing.png".into());
    app.admin().save_client(&stored).await.unwrap();
    let (_, challenge) = pkce();
    browser.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    browser.wait_for_element("img.logo").await;
    let broken = "const img = document.querySelector('img.logo');\
        return new Promise(done => { const check = () => img.complete ? done(img.naturalWidth)\
          : setTimeout(check, 50); check(); });";
    assert_eq!(browser.execute(broken).await, 0, "the logo does not load");
    let shown = "return getComputedStyle(document.querySelector('img.logo'), '::after').content;";
    assert_eq!(browser.execute(shown).await, "\"P\"", "Photo Printer's initial takes its place");
    browser.screenshot("login-broken-logo").await;
    browser.assert_accessible("login-broken-logo").await;
}

#[tokio::test]
async fn axe_check_itself_reports_a_known_violation() {
    let Some(browser) = WebDriver::start().await else { return };
    browser.goto("data:text/html,<html><body><img src='x.png'></body></html>").await;
    if let Some(violations) = browser.accessibility_violations().await {
        assert!(violations.iter().any(|v| v.starts_with("image-alt")), "{violations:?}");
    }
}
