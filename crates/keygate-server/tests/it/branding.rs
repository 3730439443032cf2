//! The operator's branding (`[ui]`: product name, logo, favicon, colors, background, support
//! link), an application's own color and background, and themes: a folder whose templates and
//! assets replace the built-in ones, reloaded while running.

use std::time::Duration;

use keygate_core::branding::Look;
use keygate_testkit::{Backend, Browser, TempDir, TestApp, TestClient, location, pkce};
use serde_json::json;

/// The login page of a new web client's authorization request.
async fn login_page(app: &TestApp, browser: &Browser) -> (String, keygate_testkit::Reply) {
    let client = app.web_client(&["openid"]).await;
    login_page_of(app, browser, &client).await
}

async fn login_page_of(
    app: &TestApp,
    browser: &Browser,
    client: &TestClient,
) -> (String, keygate_testkit::Reply) {
    let (_, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let page = browser.get(&login).await;
    assert_eq!(page.status, 200, "{}", page.body);
    (login, page)
}

/// The `<style>` element's text and the page's CSP.
fn style_and_csp(page: &keygate_testkit::Reply) -> (String, String) {
    let style = page
        .body
        .split_once("<style>")
        .and_then(|(_, rest)| rest.split_once("</style>"))
        .map(|(style, _)| style.to_owned())
        .unwrap_or_default();
    let csp = page.headers["content-security-policy"].to_str().unwrap_or_default().to_owned();
    (style, csp)
}

fn sha256_source(text: &str) -> String {
    use base64::Engine;
    let digest = aws_lc_rs::digest::digest(&aws_lc_rs::digest::SHA256, text.as_bytes());
    format!("'sha256-{}'", base64::engine::general_purpose::STANDARD.encode(digest))
}

#[tokio::test]
async fn the_operators_branding_names_colors_and_links_every_page() {
    let app = TestApp::spawn_with(Backend::Sqlite, |s| {
        s.mail.product_name = "Acme ID".into();
        s.ui.logo = Some("https://cdn.acme.example/logo.svg".into());
        s.ui.favicon = Some("https://cdn.acme.example/icon.png".into());
        s.ui.support_url = Some("mailto:help@acme.example".into());
        s.ui.look = Look {
            primary_color: Some("#8a1538".into()),
            background_color: Some("#102030".into()),
            background_image: None,
        };
    })
    .await
    .expect("sqlite");
    let (_, page) = login_page(&app, &Browser::new()).await;
    let body = &page.body;
    assert!(body.contains("Secured by Acme ID") && !body.contains("Keygate"), "{body}");
    // (minijinja escapes `/` in attributes as `&#x2f;`.)
    let body = body.replace("&#x2f;", "/");
    assert!(body.contains(r#"<img src="https://cdn.acme.example/logo.svg" alt="Acme ID""#));
    assert!(body.contains(r#"<link rel="icon" href="https://cdn.acme.example/icon.png">"#));
    assert!(body.contains(r#"<a href="mailto:help@acme.example">Get help</a>"#), "{body}");
    // The colors come as one <style> element, allowed by its hash and nothing broader.
    let (style, csp) = style_and_csp(&page);
    assert!(style.contains("--primary:#8a1538;") && style.contains("--page:#102030;"), "{style}");
    assert!(csp.contains(&format!("style-src 'self' {}", sha256_source(&style))), "{csp}");
    assert!(!csp.contains("unsafe-inline"), "{csp}");
    // Every page, not only the login page; and in other languages the name stays.
    let home = Browser::speaking(Some("de")).get(&app.url("/")).await;
    assert!(home.body.contains("Geschützt durch Acme ID"), "{}", home.body);
    assert!(home.body.contains("--primary:#8a1538;"), "{}", home.body);
}

#[tokio::test]
async fn an_application_brings_its_own_color_and_background_to_its_login_and_consent_pages() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(&["admin:write", "admin:read"]).await;
    let client = app.web_client(&["openid"]).await;
    let path = format!("/clients/{}", client.id);
    let patch =
        json!({"primary_color": "#005a32", "background_uri": "https://cdn.rp.example/bg.jpg"});
    let reply =
        app.admin_call(reqwest::Method::PATCH, &path, Some(&token), Some(&patch), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let (_, page) = login_page_of(&app, &Browser::new(), &client).await;
    let (style, csp) = style_and_csp(&page);
    assert!(style.contains("--primary:#005a32;"), "{style}");
    assert!(style.contains(r#"url("https://cdn.rp.example/bg.jpg")"#), "{style}");
    assert!(csp.contains(&sha256_source(&style)), "{csp}");
    // Another application keeps the product's look.
    let (_, other) = login_page(&app, &Browser::new()).await;
    assert!(!other.body.contains("#005a32"), "{}", other.body);
    // Read back, and removed with an empty value.
    let read = app.admin_call(reqwest::Method::GET, &path, Some(&token), None, &[]).await;
    assert!(read.body.contains(r##""primary_color":"#005a32""##), "{}", read.body);
    let clear = json!({"primary_color": "", "background_uri": null});
    let reply =
        app.admin_call(reqwest::Method::PATCH, &path, Some(&token), Some(&clear), &[]).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    let (_, page) = login_page_of(&app, &Browser::new(), &client).await;
    assert!(!page.body.contains("<style>"), "{}", page.body);
}

#[tokio::test]
async fn wcag_1_4_3_a_color_too_light_for_white_text_is_refused_with_every_problem_in_plain_words()
{
    let app = TestApp::spawn().await;
    let token = app.admin_token(&["admin:write", "admin:read"]).await;
    let client = app.web_client(&["openid"]).await;
    let path = format!("/clients/{}", client.id);
    let patch = json!({"primary_color": "#ffd700", "background_uri": "http://cdn.example/bg.jpg"});
    let reply =
        app.admin_call(reqwest::Method::PATCH, &path, Some(&token), Some(&patch), &[]).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("too light") && reply.body.contains("4.5:1"), "{}", reply.body);
    assert!(reply.body.contains("background_uri"), "{}", reply.body);
    let patch = json!({"primary_color": "red"});
    let reply =
        app.admin_call(reqwest::Method::PATCH, &path, Some(&token), Some(&patch), &[]).await;
    assert!(reply.body.contains("#rgb or #rrggbb"), "{}", reply.body);
}

/// Waits up to ten seconds for `url` to answer with a body containing `needle`.
async fn eventually_contains(browser: &Browser, url: &str, needle: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        last = browser.get(url).await.body;
        if last.contains(needle) {
            return last;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    panic!("{needle:?} never appeared at {url}; last body: {last}");
}

#[tokio::test]
async fn a_theme_replaces_templates_and_assets_file_by_file_and_is_reloaded_while_running() {
    let theme = TempDir::new("kgtheme");
    let login = keygate_server::ui::theme::TEMPLATES
        .iter()
        .find(|(name, _)| *name == "login.html")
        .map(|(_, source)| *source)
        .unwrap_or_default();
    let write = |name: &str, text: &str| std::fs::write(theme.0.join(name), text).expect("write");
    write("login.html", &login.replace("<h1>", r#"<p class="acme">Acme sign-in</p><h1>"#));
    write("keygate.css", "body{color:#123456}");
    write("logo.svg", "<svg xmlns=\"http://www.w3.org/2000/svg\"/>");
    let dir = theme.0.clone();
    let app = TestApp::spawn_with(Backend::Sqlite, move |s| s.ui.theme_dir = Some(dir))
        .await
        .expect("sqlite");
    let browser = Browser::new();
    let (login_url, page) = login_page(&app, &browser).await;
    assert!(page.body.contains("Acme sign-in"), "{}", page.body);
    // The other pages keep the built-in templates.
    let home = browser.get(&app.url("/")).await;
    assert_eq!(home.status, 200);
    let css = browser.get(&app.url("/assets/keygate.css")).await;
    assert_eq!(css.body, "body{color:#123456}");
    assert_eq!(css.headers["cache-control"], "no-cache", "a theme may change");
    let logo = browser.get(&app.url("/assets/logo.svg")).await;
    assert_eq!(logo.headers["content-type"], "image/svg+xml");
    assert_eq!(browser.get(&app.url("/assets/passkeys.js")).await.status, 200, "built-in kept");
    assert_eq!(browser.get(&app.url("/assets/nothing.css")).await.status, 404);

    // Changed while running: the template and the stylesheet.
    write("login.html", &login.replace("<h1>", r#"<p class="acme">Acme, now in blue</p><h1>"#));
    write("keygate.css", "body{color:#0000aa}");
    eventually_contains(&browser, &login_url, "Acme, now in blue").await;
    eventually_contains(&browser, &app.url("/assets/keygate.css"), "#0000aa").await;

    // A broken change is not loaded: the last good theme stays until the file is mended.
    write("login.html", "{% extends \"layout.html\" %}{% block content %}{% if %}{% endblock %}");
    write("keygate.css", "body{color:#00aa00}");
    tokio::time::sleep(keygate_server::ui::theme::WATCH_INTERVAL * 4).await;
    let page = browser.get(&login_url).await;
    assert_eq!(page.status, 200);
    assert!(page.body.contains("Acme, now in blue"), "{}", page.body);
    assert!(browser.get(&app.url("/assets/keygate.css")).await.body.contains("#0000aa"));
    // Removing the override returns to the built-in page.
    std::fs::remove_file(theme.0.join("login.html")).expect("remove");
    let page = eventually_contains(&browser, &app.url("/assets/keygate.css"), "#00aa00").await;
    assert!(!page.contains("Acme"));
    let page = browser.get(&login_url).await;
    assert!(!page.body.contains("Acme"), "{}", page.body);
}

#[test]
fn a_broken_theme_template_is_reported_with_its_file_and_line() {
    let theme = TempDir::new("kgtheme");
    let broken = "{% extends \"layout.html\" %}\n{% block content %}\n<p>{{ t(\"login-heading\") }\n{% endblock %}\n";
    std::fs::write(theme.0.join("login.html"), broken).expect("write");
    let problems = keygate_server::ui::check_theme(&theme.0);
    assert_eq!(problems.len(), 1, "{problems:?}");
    assert!(problems[0].contains("login.html line 3"), "{problems:?}");
    // A template that parses but calls what does not exist fails the check too.
    std::fs::write(theme.0.join("login.html"), "{{ 1 | no_such_filter }}").expect("write");
    let problems = keygate_server::ui::check_theme(&theme.0);
    assert!(problems.iter().any(|p| p.contains("login.html line 1")), "{problems:?}");
    // The built-in templates pass.
    std::fs::remove_file(theme.0.join("login.html")).expect("remove");
    assert!(keygate_server::ui::check_theme(&theme.0).is_empty());
}

#[tokio::test]
async fn the_console_sets_an_applications_look_and_previews_the_login_page_as_it_is_typed() {
    let app = TestApp::spawn().await;
    crate::console::admin_user(&app, "root").await;
    let client = app.web_client(&["openid"]).await;
    let (browser, _) = crate::console::console_session(&app, "root").await;
    let url = app.url(&format!("/admin/applications/{}", client.id));
    let page = browser.get(&url).await;
    assert!(page.body.contains(r#"id="login-preview""#), "{}", page.body);
    let csrf = keygate_testkit::form_field(&page.body, "csrf").expect("csrf");
    // A color too light is refused at its field, with the reason.
    let form = [("csrf", csrf.as_str()), ("name", "Shop"), ("primary_color", "#ffee88")];
    let reply = browser.post_form(&url, &form).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains(r#"id="e-primary_color""#), "{}", reply.body);
    assert!(reply.body.contains("too light"), "{}", reply.body);
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Shop"),
        ("primary_color", "#5b2a86"),
        ("background_uri", "https://cdn.shop.example/bg.jpg"),
    ];
    let reply = browser.post_form(&url, &form).await;
    assert!(reply.body.contains("Changes saved."), "{}", reply.body);
    let stored = app.admin().client(&client.id).await.expect("client");
    assert_eq!(stored.metadata.primary_color.as_deref(), Some("#5b2a86"));

    // The preview: the saved look, framed only by the console.
    let preview_url = app.url(&format!("/admin/preview?client_id={}", client.id));
    let preview = browser.get(&preview_url).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains("--primary:#5b2a86;"), "{}", preview.body);
    let csp = preview.headers["content-security-policy"].to_str().unwrap_or_default();
    assert!(csp.contains("frame-ancestors 'self'"), "{csp}");
    // A value being typed shows at once; an invalid one leaves the saved one.
    let typed = browser.get(&format!("{preview_url}&primary_color=%23004d40")).await;
    assert!(typed.body.contains("--primary:#004d40;"), "{}", typed.body);
    let invalid = browser.get(&format!("{preview_url}&primary_color=%23ffffff")).await;
    assert!(invalid.body.contains("--primary:#5b2a86;"), "{}", invalid.body);
    // The product's branding page lists where each setting comes from and previews it.
    let branding = browser.get(&app.url("/admin/branding")).await;
    assert_eq!(branding.status, 200, "{}", branding.body);
    assert!(branding.body.contains("product_name") && branding.body.contains("theme_dir"));
    let product = browser.get(&app.url("/admin/preview")).await;
    assert!(product.body.contains("Example application"), "{}", product.body);
    // Not for anyone else.
    let stranger = Browser::new().get(&app.url("/admin/preview")).await;
    assert_eq!(stranger.status, 303);
}

/// A logo the theme serves, and a product branded in every way a setting allows.
fn branded(s: &mut keygate_core::settings::Settings, theme: &std::path::Path) {
    s.mail.product_name = "Acme ID".into();
    s.ui.theme_dir = Some(theme.to_path_buf());
    s.ui.logo = Some(format!("{}/assets/acme.svg", s.issuer));
    s.ui.support_url = Some("https://help.acme.example/".into());
    s.ui.look = Look {
        primary_color: Some("#8a1538".into()),
        background_color: Some("#1d2b3a".into()),
        background_image: None,
    };
}

const ACME_LOGO: &str = r##"<svg xmlns="http://www.w3.org/2000/svg" width="160" height="40" viewBox="0 0 160 40"><rect width="160" height="40" rx="8" fill="#8a1538"/><text x="80" y="27" font-family="sans-serif" font-size="20" fill="#fff" text-anchor="middle">ACME</text></svg>"##;

#[tokio::test]
async fn axe_a_branded_login_page_and_an_applications_own_color_in_chromium() {
    let Some(driver) = keygate_testkit::WebDriver::start().await else { return };
    let theme = TempDir::new("kgtheme");
    std::fs::write(theme.0.join("acme.svg"), ACME_LOGO).expect("logo");
    let dir = theme.0.clone();
    let app =
        TestApp::spawn_with(Backend::Sqlite, move |s| branded(s, &dir)).await.expect("sqlite");
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    driver.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    driver.wait_for_url(|u| u.contains("/login")).await;
    // The hashed <style> is applied (the CSP allows it): the button has the product's color.
    let button =
        "return getComputedStyle(document.querySelector('button[type=submit]')).backgroundColor";
    assert_eq!(driver.execute(button).await, "rgb(138, 21, 56)");
    let logo = "return document.querySelector('header.brand img').naturalWidth";
    assert_eq!(driver.execute(logo).await, 160, "the theme's logo loads");
    driver.screenshot("login-branded").await;
    driver.assert_accessible("login-branded").await;
    driver.resize(390, 844).await;
    driver.screenshot("login-branded-phone").await;
    driver.assert_accessible("login-branded-phone").await;
    driver.resize(1280, 800).await;

    // The application's own color on its page.
    let token = app.admin_token(&["admin:write"]).await;
    let patch = json!({"primary_color": "#005a32"});
    let path = format!("/clients/{}", client.id);
    app.admin_call(reqwest::Method::PATCH, &path, Some(&token), Some(&patch), &[]).await;
    let (_, challenge) = pkce();
    driver.goto(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    driver.wait_for_url(|u| u.contains("/login")).await;
    assert_eq!(driver.execute(button).await, "rgb(0, 90, 50)");
    driver.screenshot("login-branded-application").await;
    driver.assert_accessible("login-branded-application").await;
}

#[tokio::test]
async fn chromium_the_console_preview_follows_the_color_being_typed() {
    let Some(driver) = keygate_testkit::WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    crate::console::admin_user(&app, "root").await;
    let client = app.web_client(&["openid"]).await;
    driver.goto(&app.url("/admin")).await;
    driver.wait_for_url(|u| u.contains("/login?")).await;
    driver.type_into("#username", "root").await;
    driver.type_into("#password", keygate_testkit::PASSWORD).await;
    driver.click("button[type=submit]").await;
    driver.wait_for_url(|u| u.ends_with("/admin")).await;
    driver.goto(&app.url(&format!("/admin/applications/{}", client.id))).await;
    driver.wait_for_element("#login-preview").await;
    driver.type_into("#f-primary_color", "#004d40").await;
    let src = "return document.getElementById('login-preview').getAttribute('src')";
    let mut seen = serde_json::Value::Null;
    for _ in 0..50 {
        seen = driver.execute(src).await;
        if seen.as_str().is_some_and(|s| s.contains("primary_color=%23004d40")) {
            break;
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    assert!(seen.as_str().is_some_and(|s| s.contains("primary_color=%23004d40")), "{seen}");
    driver.execute("document.getElementById('f-primary_color').scrollIntoView()").await;
    tokio::time::sleep(Duration::from_millis(500)).await;
    driver.screenshot("console-application-preview").await;
    driver.assert_accessible("console-application-preview").await;
    driver.goto(&app.url("/admin/branding")).await;
    driver.wait_for_element("#login-preview").await;
    driver.screenshot("console-branding").await;
    driver.assert_accessible("console-branding").await;
}

/// The preview is drawn from the same settings as the real login page: with sign-up open it
/// shows the link to create an account, and the forgotten-password link leads somewhere, as
/// users see them (it used to show neither).
#[tokio::test]
async fn the_login_preview_follows_the_settings_the_real_login_page_follows() {
    use keygate_core::settings::SignupMode;
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.signup.mode = SignupMode::Open)
        .await
        .expect("sqlite");
    crate::console::admin_user(&app, "root").await;
    let (browser, _) = crate::console::console_session(&app, "root").await;
    let preview = browser.get(&app.url("/admin/preview")).await;
    assert_eq!(preview.status, 200, "{}", preview.body);
    assert!(preview.body.contains(r#"name="password""#), "{}", preview.body);
    // (Templates escape `/` in attribute values.)
    assert!(preview.body.contains("&#x2f;signup?req="), "the sign-up link: {}", preview.body);
    assert!(preview.body.contains("&#x2f;forgot\">"), "the forgot link: {}", preview.body);
}
