//! The admin console: signing in through Keygate, the role check, CSRF, field-level validation,
//! confirmation before destructive actions, and a real browser registering an application whose
//! id and secret, copied from the page, then complete a code flow.

use keygate_core::admin::UserSpec;
use keygate_testkit::{Browser, PASSWORD, TestApp, TestClient, WebDriver, form_field, location};

/// Signs `username` in to the console over HTTP; returns the browser (cookie jar).
pub async fn console_session(app: &TestApp, username: &str) -> (Browser, keygate_testkit::Reply) {
    let browser = Browser::new();
    let start = browser.get(&app.url("/admin")).await;
    assert_eq!(start.status, 303);
    assert_eq!(location(&start), app.url("/admin/login"));
    let login = browser.get(&location(&start)).await;
    let authorize = location(&login);
    assert!(authorize.contains("code_challenge_method=S256"), "{authorize}");
    let to_login = browser.get(&authorize).await;
    let page = browser.get(&location(&to_login)).await;
    let form = [
        ("req", form_field(&page.body, "req").unwrap()),
        ("csrf", form_field(&page.body, "csrf").unwrap()),
        ("username", username.to_owned()),
        ("password", PASSWORD.to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let after_login = browser.post_form(&app.url("/login"), &form).await;
    // First-party: no consent page; straight back to the console's callback.
    let callback = location(&after_login);
    assert!(callback.starts_with(&app.url("/admin/callback")), "{callback}");
    let landed = browser.get(&callback).await;
    (browser, landed)
}

pub async fn admin_user(app: &TestApp, name: &str) {
    let user = app.user(name).await;
    let spec = UserSpec { roles: Some(vec!["admin".into()]), ..Default::default() };
    app.admin().update_user(&user.id, spec).await.unwrap();
}

#[tokio::test]
async fn operator_signs_in_through_keygate_with_pkce() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (browser, landed) = console_session(&app, "root").await;
    assert_eq!(landed.status, 303);
    assert_eq!(location(&landed), app.url("/admin"));
    let overview = browser.get(&app.url("/admin")).await;
    assert_eq!(overview.status, 200, "{}", overview.body);
    assert!(overview.body.contains("Applications"));
    assert_eq!(overview.header("x-frame-options"), Some("DENY"));
}

#[tokio::test]
async fn a_user_without_the_admin_role_is_refused() {
    let app = TestApp::spawn().await;
    app.user("mallory").await;
    let (browser, landed) = console_session(&app, "mallory").await;
    assert_eq!(landed.status, 403);
    assert!(landed.body.contains("Not an administrator"));
    let overview = browser.get(&app.url("/admin")).await;
    assert_eq!(overview.status, 303, "no console session for a non-admin");
}

#[tokio::test]
async fn forms_need_the_csrf_token_and_errors_sit_next_to_their_field() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin/applications")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let forged = [("csrf", "forged"), ("name", "X"), ("type", "web")];
    let reply = browser.post_form(&app.url("/admin/applications"), &forged).await;
    assert_eq!(reply.status, 403);
    let bad = [
        ("csrf", csrf.as_str()),
        ("name", "Shop"),
        ("type", "web"),
        ("redirect_uris", "http://shop.example/callback"),
        ("post_logout_redirect_uris", ""),
    ];
    let reply = browser.post_form(&app.url("/admin/applications"), &bad).await;
    assert_eq!(reply.status, 422);
    let field = reply.body.find("id=\"f-redirect_uris\"").unwrap();
    let error = reply.body.find("id=\"e-redirect_uris\"").expect("error next to the field");
    assert!(error > field && reply.body[error..].contains("must use https"));
    assert!(
        reply.body.replace("&#x2f;", "/").contains("http://shop.example/callback"),
        "input kept"
    );
}

#[tokio::test]
async fn destructive_actions_ask_first() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (id, _) = app.m2m_client(&[], &[]).await;
    let (browser, _) = console_session(&app, "root").await;
    let ask = browser.get(&app.url(&format!("/admin/applications/{id}/delete"))).await;
    assert_eq!(ask.status, 200);
    assert!(ask.body.contains("This cannot be undone"));
    assert!(app.admin().client(&id).await.is_ok(), "nothing deleted by asking");
    let csrf = form_field(&ask.body, "csrf").unwrap();
    let done = browser
        .post_form(&app.url(&format!("/admin/applications/{id}/delete")), &[("csrf", &csrf)])
        .await;
    assert_eq!(done.status, 303);
    assert!(app.admin().client(&id).await.is_err());
}

#[tokio::test]
async fn chromium_operator_registers_a_web_app_that_then_signs_a_user_in() {
    let Some(driver) = WebDriver::start().await else { return };
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    app.user("ada").await;

    driver.goto(&app.url("/admin")).await;
    driver.wait_for_url(|u| u.contains("/login?")).await;
    driver.type_into("#username", "root").await;
    driver.type_into("#password", PASSWORD).await;
    driver.click("button[type=submit]").await;
    driver.wait_for_url(|u| u.ends_with("/admin")).await;
    driver.screenshot("console-overview").await;
    driver.assert_accessible("console-overview").await;

    driver.goto(&app.url("/admin/applications")).await;
    driver.type_into("#f-name", "Photo Printer").await;
    driver.type_into("#f-redirect_uris", "https://printer.example/callback").await;
    driver.screenshot("console-applications").await;
    driver.assert_accessible("console-applications").await;
    driver.click("form[action$='/admin/applications'] button[type=submit]").await;
    driver.wait_for_element("#client-secret").await;
    let client_id = driver.value("#client-id-value").await;
    let secret = driver.value("#client-secret-value").await;
    // The copy button appears with the console's script and copies (or selects) the secret.
    driver.click("button[data-copy='client-secret-value']").await;
    let mut copied = String::new();
    for _ in 0..40 {
        // The clipboard answers asynchronously.
        copied = driver.text("button[data-copy='client-secret-value']").await;
        if copied != "Copy" {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
    assert!(copied == "Copied" || copied.starts_with("Selected"), "{copied}");
    driver.screenshot("console-application-created").await;
    driver.assert_accessible("console-application-created").await;
    assert!(!client_id.is_empty() && secret.len() >= 40, "{client_id} / {secret}");

    let spec = keygate_core::api::ApiSpec {
        identifier: Some("https://photos.example/".into()),
        name: Some("Photos".into()),
        scopes: Some(vec![keygate_core::api::ApiScope::new("photos:read", "See your photos")]),
        ..Default::default()
    };
    let api = app.admin().create_api(spec).await.unwrap();
    let ada = app.admin().user("ada").await.unwrap();
    // An application known by its metadata document, as the server notes it, and a block.
    use keygate_core::store::DocumentClientStore;
    let agent = "https://agent.example/oauth/client-metadata.json";
    app.store
        .note_document_client(agent, "agent.example", Some("Agent CLI"), app.provider.now())
        .await
        .unwrap();
    app.admin().block_documents("spam.example", "Phishing pages").await.unwrap();
    let ask = format!("/admin/client-documents/block?target={}", agent.replace('/', "%2F"));
    let pages = [
        (format!("/admin/applications/{client_id}"), "console-application"),
        (format!("/admin/applications/{client_id}/delete"), "console-confirm"),
        ("/admin/applications".to_owned(), "console-applications"),
        ("/admin/apis".to_owned(), "console-apis"),
        (format!("/admin/apis/{}", api.id), "console-api"),
        ("/admin/users".to_owned(), "console-users"),
        (format!("/admin/users/{}", ada.id), "console-user"),
        ("/admin/client-documents".to_owned(), "console-documents"),
        (ask, "console-document-block"),
        ("/admin/upstreams".to_owned(), "console-upstreams"),
        ("/admin/keys".to_owned(), "console-keys"),
        ("/admin/audit".to_owned(), "console-audit"),
        ("/admin/signins".to_owned(), "console-signins"),
    ];
    // Every console page, on a desktop and on a phone.
    for (size, (width, height)) in [("", (1280, 900)), ("-phone", (390, 844))] {
        driver.resize(width, height).await;
        for (path, name) in &pages {
            driver.goto(&app.url(path)).await;
            driver.screenshot(&format!("{name}{size}")).await;
            driver.assert_accessible(&format!("{name}{size}")).await;
        }
    }

    // The registered client, with the id and secret copied from the page, completes a code flow.
    let client = TestClient {
        id: client_id,
        secret,
        redirect_uri: "https://printer.example/callback".into(),
    };
    let user = Browser::new();
    let result = app.code_flow(&user, &client, "ada", "openid profile").await;
    let tokens = app.exchange(&client, &result.code, &result.verifier).await.assert_ok();
    assert!(tokens["id_token"].is_string(), "{tokens}");
}

#[tokio::test]
async fn sign_out_ends_the_keygate_session_without_asking() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin")).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let out = browser.post_form(&app.url("/admin/logout"), &[("csrf", &csrf)]).await;
    let end_session = location(&out);
    assert!(end_session.starts_with(&app.url("/logout?")), "{end_session}");
    assert!(end_session.contains("id_token_hint="), "{end_session}");
    let back = browser.get(&end_session).await;
    assert_eq!(location(&back), app.url("/admin"), "no confirmation page: the hint is trusted");
    let again = browser.get(&app.url("/admin")).await;
    assert_eq!(location(&again), app.url("/admin/login"), "signed out of the console");
    let relogin = browser.get(&app.url("/admin/login")).await;
    let authorize = browser.get(&location(&relogin)).await;
    assert!(location(&authorize).contains("/login?"), "the Keygate session ended too");
}

#[tokio::test]
async fn rfc7662_4_an_operator_creates_and_deletes_an_apis_introspection_credentials() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (rs, _) = app.api_credentials("https://todo.example/api").await;
    let api = app.admin().api("https://todo.example/api").await.unwrap();
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url(&format!("/admin/apis/{}", api.id))).await;
    assert!(page.body.contains("Introspection credentials") && page.body.contains(&rs));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let made = browser
        .post_form(&app.url(&format!("/admin/apis/{}/credentials", api.id)), &[("csrf", &csrf)])
        .await;
    let shown = location(&made);
    assert!(!made.body.contains("credentials-secret"), "Post/Redirect/Get");
    let first = browser.get(&shown).await;
    assert!(first.body.contains("credentials-secret"), "the secret is shown once");
    let reload = browser.get(&shown).await;
    assert!(!reload.body.contains("credentials-secret"), "and only once");
    assert_eq!(app.admin().api(&api.id).await.unwrap().introspection_clients.len(), 2);
    let path = format!("/admin/apis/{}/credentials/{rs}/delete", api.id);
    let gone = browser.post_form(&app.url(&path), &[("csrf", &csrf)]).await;
    assert!(gone.body.contains("Credentials deleted."), "{}", gone.body);
    assert!(app.admin().client(&rs).await.is_err(), "the client went too");
}

#[tokio::test]
async fn post_redirect_get_a_new_secret_is_shown_once_and_a_reload_creates_nothing() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin/applications")).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let before = app.admin().clients().await.unwrap().len();
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Shop"),
        ("type", "web"),
        ("redirect_uris", "https://shop.example/callback"),
        ("post_logout_redirect_uris", ""),
    ];
    let posted = browser.post_form(&app.url("/admin/applications"), &form).await;
    let shown = location(&posted);
    assert!(shown.ends_with("/created"), "{shown}");
    assert!(!posted.body.contains("client-secret"), "the POST itself shows nothing");
    let first = browser.get(&shown).await;
    assert_eq!(first.status, 200, "{}", first.body);
    assert!(first.body.contains("id=\"client-secret\""), "{}", first.body);
    assert_eq!(first.header("cache-control"), Some("no-store"));
    let reload = browser.get(&shown).await;
    assert_eq!(reload.status, 200);
    assert!(!reload.body.contains("id=\"client-secret\""), "shown once");
    assert!(reload.body.contains("rotate the secret"), "{}", reload.body);
    assert_eq!(app.admin().clients().await.unwrap().len(), before + 1, "one application");
}

#[tokio::test]
async fn nist_800_63b_a_common_password_is_refused_at_its_field() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let page = browser.get(&app.url("/admin/users")).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [
        ("csrf", csrf.as_str()),
        ("username", "grace"),
        ("email", "grace@example.com"),
        ("name", "Grace Hopper"),
        ("password", "password1234"),
    ];
    let reply = browser.post_form(&app.url("/admin/users"), &form).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    let field = reply.body.find("id=\"f-password\"").expect("the password field");
    let error = reply.body.find("id=\"e-password\"").expect("its error");
    assert!(error > field && reply.body[error..].contains("too common"), "{}", reply.body);
    assert!(app.admin().user("grace").await.is_err(), "nobody created");
}

#[tokio::test]
async fn names_not_ids_the_audit_log_consents_and_grants_name_and_link_their_objects() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let client = app.web_client(&["openid"]).await;
    let name = app.admin().client(&client.id).await.unwrap().name;
    app.user("ada").await;
    app.code_flow(&keygate_testkit::Browser::new(), &client, "ada", "openid").await;
    let (browser, _) = console_session(&app, "root").await;
    let link = format!(
        "<a href=\"{}\" title=\"client:{}\">{name}</a>",
        app.url(&format!("/admin/applications/{}", client.id)).replace('/', "&#x2f;"),
        client.id
    );
    let audit = browser.get(&app.url("/admin/audit")).await;
    assert!(audit.body.contains(&link), "the audit log names the application: {}", audit.body);
    let ada = app.admin().user("ada").await.unwrap();
    let user = browser.get(&app.url(&format!("/admin/users/{}", ada.id))).await;
    assert!(user.body.contains(&format!(">{name}</a>")), "consents name the application");
}

/// An operator signed in to the console, a web application, and that application's page.
async fn settings_page(app: &TestApp) -> (Browser, TestClient, String, keygate_testkit::Reply) {
    admin_user(app, "root").await;
    let client = app.web_client(&["openid"]).await;
    let (browser, _) = console_session(app, "root").await;
    let url = app.url(&format!("/admin/applications/{}", client.id));
    let page = browser.get(&url).await;
    (browser, client, url, page)
}

#[tokio::test]
async fn every_problem_of_the_settings_form_is_reported_in_one_round_at_its_field() {
    let app = TestApp::spawn().await;
    let (browser, client, url, page) = settings_page(&app).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [
        ("csrf", csrf.as_str()),
        ("name", ""),
        ("redirect_uris", "javascript:alert(1)"),
        ("logo_uri", "http://shop.example/logo.png"),
        ("access_token_ttl", "soon"),
    ];
    let reply = browser.post_form(&url, &form).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    for field in ["name", "redirect_uris", "logo_uri", "access_token_ttl"] {
        assert!(reply.body.contains(&format!("id=\"e-{field}\"")), "{field}: {}", reply.body);
    }
    let stored = app.admin().client(&client.id).await.unwrap();
    assert_ne!(stored.name, "", "nothing saved");
}

#[tokio::test]
async fn rfc8628_the_console_turns_on_the_device_flow_and_changes_protocol_settings() {
    let app = TestApp::spawn().await;
    let (browser, client, url, page) = settings_page(&app).await;
    assert!(page.body.contains("Device code (TVs and terminals"), "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let stored = app.admin().client(&client.id).await.unwrap();
    let redirect_uris = stored.redirect_uris.join("\n");
    let form = [
        ("csrf", csrf.as_str()),
        ("name", stored.name.as_str()),
        ("redirect_uris", redirect_uris.as_str()),
        ("scopes", "openid"),
        ("grant_types", "authorization_code"),
        ("grant_types", keygate_core::client::DEVICE_CODE_GRANT),
        ("auth_method", "client_secret_post"),
        ("id_token_alg", "ES256"),
        ("require_pushed_authorization_requests", "yes"),
        ("request_object_signing_alg", "none"),
    ];
    let reply = browser.post_form(&url, &form).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
    assert!(reply.body.contains("Changes saved."), "{}", reply.body);
    let changed = app.admin().client(&client.id).await.unwrap();
    use keygate_core::client::{AuthMethod, GrantType};
    assert_eq!(changed.grant_types, vec![GrantType::AuthorizationCode, GrantType::DeviceCode]);
    assert_eq!(changed.auth_method, AuthMethod::ClientSecretPost);
    assert_eq!(changed.id_token_alg, Some(keygate_core::keys::SigningAlg::ES256));
    assert!(changed.metadata.require_pushed_authorization_requests, "RFC 9126 §6");
    assert_eq!(changed.metadata.request_object_signing_alg.as_deref(), Some("none"));
    // Signed request objects need the application's keys: said at the field, nothing saved.
    let page = browser.get(&url).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let mut form = form.to_vec();
    form[0] = ("csrf", csrf.as_str());
    form.push(("require_signed_request_object", "yes"));
    form.retain(|(k, _)| *k != "request_object_signing_alg");
    let reply = browser.post_form(&url, &form).await;
    assert!(reply.body.contains("set jwks or jwks_uri"), "{}", reply.body);
    let unchanged = app.admin().client(&client.id).await.unwrap();
    assert!(!unchanged.metadata.require_signed_request_object);
}

/// One rule, three doors: a public application (here a single-page app) may require a second
/// factor as a web app may; the console shows the box for it, and saving another field keeps it
/// (an absent box used to read as unticked, so a save cleared what the API had set).
#[tokio::test]
async fn a_single_page_app_keeps_its_second_factor_requirement_through_a_console_save() {
    use keygate_core::client::{AuthMethod, ClientMetadata, ClientSpec, ClientType};
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let spa = app.user_client(ClientType::Spa, AuthMethod::None, &["openid"], false).await;
    let current = app.admin().client(&spa.id).await.unwrap();
    let metadata = ClientMetadata { require_mfa: true, ..current.metadata };
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&spa.id, spec).await.unwrap();

    let (browser, _) = console_session(&app, "root").await;
    let url = app.url(&format!("/admin/applications/{}", spa.id));
    let page = browser.get(&url).await;
    assert!(page.body.contains("name=\"require_mfa\" value=\"yes\" checked"), "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let redirect_uris = current.redirect_uris.join("\n");
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "Renamed SPA"),
        ("redirect_uris", redirect_uris.as_str()),
        ("scopes", "openid"),
        ("grant_types", "authorization_code"),
        ("grant_types", "refresh_token"),
        ("auth_method", "none"),
        ("require_mfa", "yes"),
    ];
    let reply = browser.post_form(&url, &form).await;
    assert!(reply.body.contains("Changes saved."), "{}", reply.body);
    let saved = app.admin().client(&spa.id).await.unwrap();
    assert_eq!(saved.name, "Renamed SPA");
    assert!(saved.metadata.require_mfa, "still required");
}

/// A box the settings page does not show (here, for a machine-to-machine app, the second-factor
/// and first-party ones) keeps its value when the page is saved: the page lists the boxes it
/// showed, and only those read as unticked when absent.
#[tokio::test]
async fn a_setting_the_page_does_not_show_survives_a_save() {
    use keygate_core::client::{ClientMetadata, ClientSpec};
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (id, _) = app.m2m_client(&["read"], &[]).await;
    let current = app.admin().client(&id).await.unwrap();
    let metadata = ClientMetadata { require_mfa: true, ..current.metadata };
    let spec =
        ClientSpec { metadata: Some(metadata), first_party: Some(true), ..Default::default() };
    app.admin().update_client(&id, spec).await.unwrap();

    let (browser, _) = console_session(&app, "root").await;
    let url = app.url(&format!("/admin/applications/{id}"));
    let page = browser.get(&url).await;
    let shown: Vec<&str> = page
        .body
        .split(r#"name="shown_box" value=""#)
        .skip(1)
        .filter_map(|rest| rest.split('"').next())
        .collect();
    assert!(shown.contains(&"fapi2") && !shown.contains(&"require_mfa"), "{shown:?}");
    let csrf = form_field(&page.body, "csrf").unwrap();
    let mut form = vec![
        ("csrf", csrf.as_str()),
        ("name", "Renamed job"),
        ("grant_types", "client_credentials"),
        ("auth_method", "client_secret_basic"),
    ];
    form.extend(shown.iter().map(|box_name| ("shown_box", *box_name)));
    let reply = browser.post_form(&url, &form).await;
    assert!(reply.body.contains("Changes saved."), "{}", reply.body);
    let saved = app.admin().client(&id).await.unwrap();
    assert_eq!(saved.name, "Renamed job");
    assert!(saved.metadata.require_mfa && saved.first_party, "not shown, not changed");
    assert!(!saved.metadata.fapi2, "shown and unticked");
}
