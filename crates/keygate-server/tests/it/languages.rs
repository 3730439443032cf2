//! The pages in the user's language: `ui_locales` (OpenID Connect Core §3.1.2.1), then the
//! language picked on a page, then `Accept-Language`; right to left for Arabic; the picker
//! returns only to this server's pages; discovery lists the languages.

use keygate_testkit::{Browser, TestApp, location, pkce};

/// The login page reached from an authorization request with `extra` parameters.
async fn login_page(app: &TestApp, browser: &Browser, extra: &[(&str, &str)]) -> String {
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, extra);
    let login = location(&browser.get(&url).await);
    let page = browser.get(&login).await;
    assert_eq!(page.status, 200, "{}", page.body);
    page.body
}

#[tokio::test]
async fn oidc_core_3_1_2_1_ui_locales_then_the_picked_language_then_accept_language() {
    let app = TestApp::spawn().await;
    // Accept-Language alone.
    let french = Browser::speaking(Some("fr-CA, fr;q=0.9, en;q=0.5"));
    let page = login_page(&app, &french, &[]).await;
    assert!(page.contains(r#"<html lang="fr" dir="ltr">"#), "{page}");
    assert!(page.contains("Mot de passe"), "{page}");
    // ui_locales wins over Accept-Language, first supported tag first.
    let page = login_page(&app, &french, &[("ui_locales", "tlh de en")]).await;
    assert!(page.contains(r#"<html lang="de""#) && page.contains("Passwort"), "{page}");
    // ui_locales decided: a language picked here would not show, so there is no picker.
    assert!(!page.contains(r#"class="languages""#), "{page}");
    // A picked language wins over Accept-Language, not over ui_locales.
    let picked = french.get(&app.url("/language?lang=ja&back=/")).await;
    assert_eq!(picked.status, 303);
    let page = login_page(&app, &french, &[]).await;
    assert!(page.contains(r#"<html lang="ja""#) && page.contains("パスワード"), "{page}");
    let page = login_page(&app, &french, &[("ui_locales", "es")]).await;
    assert!(page.contains(r#"<html lang="es""#) && page.contains("Contraseña"), "{page}");
    // Nothing Keygate speaks: English.
    let page = login_page(&app, &Browser::speaking(Some("tlh")), &[]).await;
    assert!(page.contains(r#"<html lang="en""#) && page.contains("Password"), "{page}");
}

#[tokio::test]
async fn arabic_pages_are_right_to_left() {
    let app = TestApp::spawn().await;
    let page = login_page(&app, &Browser::speaking(Some("ar")), &[]).await;
    assert!(page.contains(r#"<html lang="ar" dir="rtl">"#), "{page}");
    assert!(page.contains("كلمة المرور"), "{page}");
}

#[tokio::test]
async fn the_language_picker_sets_the_language_and_returns_only_to_this_servers_pages() {
    let app = TestApp::spawn().await;
    let browser = Browser::new();
    let page = login_page(&app, &browser, &[]).await;
    // Each language links to itself, marked in its own language; the current one is marked.
    assert!(page.contains(r#"lang="de" hreflang="de">Deutsch</a>"#), "{page}");
    assert!(page.contains(r#"aria-current="true">English</a>"#), "{page}");
    let back = "/login?req=abc";
    let reply = browser
        .get(&app.url(&format!("/language?lang=pt-BR&back={}", "%2Flogin%3Freq%3Dabc")))
        .await;
    assert_eq!(reply.status, 303);
    assert_eq!(location(&reply), back);
    let cookie = reply.headers["set-cookie"].to_str().unwrap();
    assert!(cookie.starts_with("kg_lang=pt-BR;") && cookie.contains("SameSite=Lax"), "{cookie}");
    for evil in ["//evil.example/", "https://evil.example/", "%2F%5Cevil.example"] {
        let reply = browser.get(&app.url(&format!("/language?lang=de&back={evil}"))).await;
        assert_eq!(location(&reply), "/", "{evil}");
    }
    let unknown = browser.get(&app.url("/language?lang=tlh&back=/")).await;
    assert_eq!(unknown.status, 400);
}

#[tokio::test]
async fn oidc_discovery_3_ui_locales_supported_lists_the_languages() {
    let app = TestApp::spawn().await;
    let doc = app.get("/.well-known/openid-configuration").await.assert_ok();
    let languages = serde_json::json!(["en", "de", "fr", "es", "pt-BR", "ja", "ar"]);
    assert_eq!(doc["ui_locales_supported"], languages);
    assert_eq!(doc["claims_locales_supported"], languages, "OIDC Core §5.2");
}

#[tokio::test]
async fn the_consent_page_names_keygates_scopes_in_the_users_language_and_api_scopes_in_the_apis_words()
 {
    use keygate_core::api::{ApiScope, ApiSpec};
    let app = TestApp::spawn().await;
    let mut read = ApiScope::new("todo:read", "See your to-dos");
    // The API's own translations, its tags spelled as the operator wrote them.
    read.translations.insert("pt-br".into(), "Ver suas tarefas".into());
    // A tag more detailed than the page's language still serves it (RFC 4647 §3.4 lookup).
    read.translations.insert("de-DE".into(), "Ihre Aufgaben sehen".into());
    let api = ApiSpec {
        identifier: Some("https://todo.example/".into()),
        name: Some("To-do".into()),
        scopes: Some(vec![read]),
        ..Default::default()
    };
    app.admin().create_api(api).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("ada").await;
    let client = app.web_client(&["openid", "email", "todo:read"]).await;
    let german = Browser::speaking(Some("de"));
    let (_, challenge) = pkce();
    let extra = [("resource", "https://todo.example/")];
    let url = app.authorize_url(&client, "openid email todo:read", &challenge, &extra);
    let login = location(&german.get(&url).await);
    let consent =
        location(&app.submit_login(&german, &login, "ada", keygate_testkit::PASSWORD).await);
    let page = german.get(&consent).await.body;
    assert!(
        page.contains("Ihre E-Mail-Adresse sehen") && page.contains("Bestätigen, wer Sie sind"),
        "{page}"
    );
    assert!(page.contains("Ihre Aufgaben sehen"), "the API's own words, in German: {page}");
    // Where the API translated its words, the page's language gets them.
    app.user("bia").await;
    let brazilian = Browser::speaking(Some("pt-BR"));
    let (_, challenge) = pkce();
    let url = app.authorize_url(&client, "openid email todo:read", &challenge, &extra);
    let login = location(&brazilian.get(&url).await);
    let consent =
        location(&app.submit_login(&brazilian, &login, "bia", keygate_testkit::PASSWORD).await);
    let page = brazilian.get(&consent).await.body;
    assert!(page.contains("Ver suas tarefas") && !page.contains("See your to-dos"), "{page}");
}

#[tokio::test]
async fn error_pages_made_in_code_are_translated_by_their_english_words() {
    let app = TestApp::spawn().await;
    let german = Browser::speaking(Some("de"));
    let missing = german.get(&app.url("/no/such/page")).await;
    assert_eq!(missing.status, 404);
    assert!(missing.body.contains("<h1>Seite nicht gefunden</h1>"), "{}", missing.body);
    let french = Browser::speaking(Some("fr"));
    let unknown =
        french.get(&app.url("/authorize?client_id=nobody&redirect_uri=https://x.example/")).await;
    assert!(
        unknown.body.contains("<h1>Cette demande ne peut pas aboutir</h1>"),
        "{}",
        unknown.body
    );
    // Words no catalog has stay as they are.
    assert!(unknown.body.contains(r#"lang="fr""#), "{}", unknown.body);
}

#[tokio::test]
async fn oidc_core_3_1_2_1_the_forgot_and_sign_up_pages_of_a_request_speak_its_ui_locales() {
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| {
        s.signup.mode = keygate_core::settings::SignupMode::Open;
    })
    .await
    .expect("sqlite");
    let browser = Browser::speaking(Some("en"));
    let page = login_page(&app, &browser, &[("ui_locales", "fr")]).await;
    let req = keygate_testkit::form_field(&page, "req").expect("req");
    for path in [format!("/forgot?req={req}"), format!("/signup?req={req}")] {
        let page = browser.get(&app.url(&path)).await;
        assert_eq!(page.status, 200, "{}", page.body);
        assert!(page.body.contains(r#"<html lang="fr""#), "{path}: {}", page.body);
        assert!(!page.body.contains(r#"class="languages""#), "{path}: no picker");
    }
    // Without the request, the browser's language.
    let page = browser.get(&app.url("/forgot")).await;
    assert!(page.body.contains(r#"<html lang="en""#), "{}", page.body);
}

#[tokio::test]
async fn form_problems_made_with_values_are_translated_with_their_values() {
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| {
        s.signup.mode = keygate_core::settings::SignupMode::Open;
    })
    .await
    .expect("sqlite");
    let french = Browser::speaking(Some("fr"));
    let page = french.get(&app.url("/signup")).await;
    let csrf = keygate_testkit::form_field(&page.body, "csrf").expect("csrf");
    let form = [
        ("csrf", csrf.as_str()),
        ("email", "zoe@example.com"),
        ("name", "Zoé"),
        ("password", "court"),
        ("password_again", "autre"),
    ];
    let reply = french.post_form(&app.url("/signup"), &form).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let min = app.provider.settings().passwords.min_length;
    let expected =
        format!("mot de passe : le mot de passe doit avoir au moins {min} caractères (il en a 5)");
    let body = reply.body.replace("&#x27;", "'");
    assert!(body.contains(&expected.replace(" : ", ": ")), "{body}");
    assert!(body.contains("les deux mots de passe ne sont pas identiques"), "{body}");
}
