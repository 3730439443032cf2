//! Two-step sign-in with an authenticator app (RFC 6238) and recovery codes: enrolment on the
//! account page, the second step after the password, a time step accepted once, recovery
//! codes used once and counted, the ID token's `amr` and `acr` (RFC 8176, OIDC Core §2), and
//! turning it off. On SQLite and PostgreSQL.

use keygate_core::Clock;
use keygate_core::mfa::totp;
use keygate_core::signin_log::SignInOutcome;
use keygate_core::store::{SignInLogStore, SignInQuery};
use keygate_testkit::{Backend, Browser, PASSWORD, Reply, TestApp, TestClient};
use keygate_testkit::{form_field, location, pkce, query_param};

use crate::account_page::{open_account, post};
use crate::support::verify_with_jwks;

/// The text between `start` and the next `end` in `body`.
pub fn between<'a>(body: &'a str, start: &str, end: &str) -> &'a str {
    let from = body.find(start).map(|i| i + start.len()).expect(start);
    &body[from..from + body[from..].find(end).expect(end)]
}

/// The current code of `key` on the app's clock.
pub fn code_now(app: &TestApp, key: &[u8]) -> String {
    totp::code_at(key, totp::step_of(app.clock.now()))
}

/// Enrols an authenticator app for the user signed in in `browser`; returns its key and the
/// recovery codes.
pub async fn enrol(app: &TestApp, browser: &Browser) -> (Vec<u8>, Vec<String>) {
    let account = open_account(app, browser).await;
    assert!(account.body.contains("Add an authenticator app"));
    let csrf = form_field(&account.body, "csrf").unwrap();
    let page = post(browser, &app.url("/account/mfa/totp"), &csrf, &[]).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("<svg"), "the QR code is drawn on the server");
    let confirm = app.url("/account/mfa/totp/confirm");
    let ticket = form_field(&page.body, "ticket").unwrap();
    let wrong = post(browser, &confirm, &csrf, &[("ticket", &ticket), ("code", "000000")]).await;
    assert_eq!(wrong.status, 422);
    assert!(wrong.body.contains("not the app&#x27;s current code"), "{}", wrong.body);
    // A fresh key is offered; the one that failed is void.
    let ticket = form_field(&wrong.body, "ticket").unwrap();
    let key = totp::base32_decode(between(&wrong.body, "Or type this key: <code>", "</code>"));
    let key = key.expect("the key as base32");
    let code = code_now(app, &key);
    let done = post(browser, &confirm, &csrf, &[("ticket", &ticket), ("code", &code)]).await;
    assert_eq!(done.status, 200, "{}", done.body);
    let codes: Vec<String> = done
        .body
        .split("<li><code>")
        .skip(1)
        .map(|c| c[..c.find('<').unwrap()].to_owned())
        .collect();
    assert_eq!(codes.len(), 10, "ten recovery codes, shown once: {}", done.body);
    (key, codes)
}

/// From the application's request through the password, to the second step's page.
pub async fn to_second_step(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
) -> (Reply, String) {
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let asked = app.submit_login(browser, &login, "tess", PASSWORD).await;
    assert_eq!(asked.status, 200, "{}", asked.body);
    assert!(asked.body.contains("Two-step sign-in"), "{}", asked.body);
    (asked, verifier)
}

pub async fn second_step(app: &TestApp, browser: &Browser, page: &Reply, code: &str) -> Reply {
    let field = |name| form_field(&page.body, name).unwrap();
    let (req, csrf, ticket) = (field("req"), field("csrf"), field("ticket"));
    let form = [("req", req.as_str()), ("csrf", &csrf), ("ticket", &ticket), ("code", code)];
    browser.post_form(&app.url("/login/mfa"), &form).await
}

/// From a redirect after sign-in, through consent, to the tokens.
pub async fn tokens_after(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
    next: &str,
    verifier: &str,
) -> serde_json::Value {
    let mut next = next.to_owned();
    if next.starts_with(&app.url("/consent")) {
        next = location(&app.submit_consent(browser, &next, "allow").await);
    }
    let code = query_param(&next, "code").unwrap_or_else(|| panic!("no code in {next}"));
    app.exchange(client, &code, verifier).await.assert_ok()
}

async fn two_step_sign_in(backend: Backend) {
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let client = app.web_client(&["openid"]).await;
    let tess = app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let (key, codes) = enrol(&app, &browser).await;
    let account = browser.get(&app.url("/account")).await;
    assert!(account.body.contains("Recovery codes left: <strong>10</strong>"), "{}", account.body);

    // The code used to enrol is spent: its time step is not accepted again (RFC 6238 §5.2).
    let phone = Browser::new();
    let (asked, verifier) = to_second_step(&app, &client, &phone).await;
    let replay = second_step(&app, &phone, &asked, &code_now(&app, &key)).await;
    assert_eq!(replay.status, 200);
    assert!(replay.body.contains("not right, or was used already"), "{}", replay.body);
    app.clock.advance(totp::PERIOD);
    let signed_in = second_step(&app, &phone, &replay, &code_now(&app, &key)).await;
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let tokens = tokens_after(&app, &client, &phone, &location(&signed_in), &verifier).await;
    let (_, claims) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]), "RFC 8176 §2");
    assert_eq!(claims["acr"], keygate_core::id_token::ACR_MFA);

    // A recovery code, typed loosely, works once and says how many are left.
    let laptop = Browser::new();
    let (asked, verifier) = to_second_step(&app, &client, &laptop).await;
    let loose = codes[0].to_uppercase().replace('-', " ");
    let used = second_step(&app, &laptop, &asked, &loose).await;
    assert_eq!(used.status, 200, "{}", used.body);
    assert!(used.body.contains("<strong>9</strong> recovery codes left"), "{}", used.body);
    let next = between(&used.body, "class=\"button\" href=\"", "\"").replace("&amp;", "&");
    let next = next.replace("&#x2f;", "/");
    tokens_after(&app, &client, &laptop, &next, &verifier).await;
    let again = Browser::new();
    let (asked, _) = to_second_step(&app, &client, &again).await;
    let reused = second_step(&app, &again, &asked, &codes[0]).await;
    assert!(reused.body.contains("not right, or was used already"), "a code works once");

    let log = app.store.list_signins(&SignInQuery { limit: 50, ..Default::default() }).await;
    let outcomes: Vec<SignInOutcome> = log.unwrap().iter().map(|e| e.outcome).collect();
    assert!(outcomes.contains(&SignInOutcome::SecondFactorNeeded));
    assert!(outcomes.contains(&SignInOutcome::WrongCode));

    // Turning it off takes the password; then the password alone signs in.
    let account = browser.get(&app.url("/account")).await;
    let csrf = form_field(&account.body, "csrf").unwrap();
    let remove = app.url("/account/mfa/totp/remove");
    let refused = post(&browser, &remove, &csrf, &[("proof", "not the password")]).await;
    assert_eq!(refused.status, 422);
    let removed = post(&browser, &remove, &csrf, &[("proof", PASSWORD)]).await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    assert!(app.provider.factors(&tess.id).await.unwrap().totp.is_none());
    app.code_flow(&Browser::new(), &client, "tess", "openid").await;
}

#[tokio::test]
async fn rfc6238_two_step_sign_in_with_an_authenticator_app_and_recovery_codes_sqlite() {
    two_step_sign_in(Backend::Sqlite).await;
}

#[tokio::test]
async fn rfc6238_two_step_sign_in_with_an_authenticator_app_and_recovery_codes_postgres() {
    two_step_sign_in(Backend::Postgres).await;
}

#[tokio::test]
async fn wrong_enrolment_codes_are_throttled_per_account_like_sign_in_codes() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let account = open_account(&app, &browser).await;
    let csrf = form_field(&account.body, "csrf").unwrap();
    let mut page = post(&browser, &app.url("/account/mfa/totp"), &csrf, &[]).await;
    let confirm = app.url("/account/mfa/totp/confirm");
    for _ in 0..app.provider.settings().login_max_failures_per_account {
        let ticket = form_field(&page.body, "ticket").unwrap();
        page = post(&browser, &confirm, &csrf, &[("ticket", &ticket), ("code", "000000")]).await;
        assert!(page.body.contains("not the app&#x27;s current code"), "{}", page.body);
    }
    let ticket = form_field(&page.body, "ticket").unwrap();
    let key = totp::base32_decode(between(&page.body, "Or type this key: <code>", "</code>"));
    let code = code_now(&app, &key.unwrap());
    let right = post(&browser, &confirm, &csrf, &[("ticket", &ticket), ("code", &code)]).await;
    assert_eq!(right.status, 422);
    assert!(right.body.contains("Too many attempts"), "even the right code waits: {}", right.body);
}

#[tokio::test]
async fn the_second_step_cannot_be_moved_to_another_request_and_wrong_codes_are_throttled() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    enrol(&app, &browser).await;
    let first = Browser::new();
    let (asked, _) = to_second_step(&app, &client, &first).await;
    let (other, _) = to_second_step(&app, &client, &first).await;
    // The ticket of one request with the request id of another: refused.
    let field = |page: &Reply, name| form_field(&page.body, name).unwrap();
    let form = [
        ("req", field(&other, "req")),
        ("csrf", field(&other, "csrf")),
        ("ticket", field(&asked, "ticket")),
        ("code", "123456".to_owned()),
    ];
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let moved = first.post_form(&app.url("/login/mfa"), &form).await;
    assert_eq!(moved.status, 400, "{}", moved.body);
    let max = app.provider.settings().login_max_failures_per_account;
    let mut page = other;
    for _ in 0..max {
        page = second_step(&app, &first, &page, "000000").await;
        assert_eq!(page.status, 200);
    }
    let throttled = second_step(&app, &first, &page, "000000").await;
    assert_eq!(throttled.status, 429, "{}", throttled.body);
}

#[tokio::test]
async fn administrators_see_and_remove_a_users_second_factors_in_the_api_and_the_console() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let tess = app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    enrol(&app, &browser).await;

    let reader = app.admin_token(&["admin:read"]).await;
    let writer = app.admin_token(&["admin:read", "admin:write"]).await;
    let path = format!("/users/{}/factors", tess.id);
    let seen = app.admin_call(Method::GET, &path, Some(&reader), None, &[]).await;
    assert_eq!(seen.status, 200, "{}", seen.body);
    assert_eq!(seen.json()["authenticator_app"], true);
    assert_eq!(seen.json()["recovery_codes"], 10);
    assert!(!seen.body.contains("sealed"), "never the key");
    let refused = app.admin_call(Method::DELETE, &path, Some(&reader), None, &[]).await;
    assert_eq!(refused.status, 403);

    crate::console::admin_user(&app, "root").await;
    let (console, _) = crate::console::console_session(&app, "root").await;
    let page = console.get(&app.url(&format!("/admin/users/{}", tess.id))).await;
    assert!(page.body.contains("10 recovery codes left"), "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let url = app.url(&format!("/admin/users/{}/factors/remove", tess.id));
    let removed = console.post_form(&url, &[("csrf", &csrf)]).await;
    assert_eq!(removed.status, 303, "{}", removed.body);
    let seen = app.admin_call(Method::GET, &path, Some(&reader), None, &[]).await;
    assert_eq!(seen.json()["authenticator_app"], false);
    assert_eq!(seen.json()["recovery_codes"], 0);
    let again = app.admin_call(Method::DELETE, &path, Some(&writer), None, &[]).await;
    assert_eq!(again.status, 404, "nothing left to remove");
    let query = keygate_core::store::AuditQuery {
        action: Some("user.mfa.".into()),
        limit: 10,
        ..Default::default()
    };
    let audit = app.admin().audit(&query).await.unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user.mfa.remove", "user.mfa.recovery_codes", "user.mfa.totp_add"]);
    assert_ne!(audit[0].actor, format!("user:{}", tess.id), "by the administrator");
    assert_eq!(audit[1].actor, format!("user:{}", tess.id), "enrolment by the user");
    app.code_flow(&Browser::new(), &client, "tess", "openid").await;
}

/// The application's request in `browser` with `extra` parameters; returns the first answer.
async fn request(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
    extra: &[(&str, &str)],
) -> (String, String) {
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, extra);
    (location(&browser.get(&url).await), verifier)
}

async fn step_up(backend: Backend) {
    use keygate_core::id_token::{ACR_MFA, ACR_PASSWORD};
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    app.user("uma").await;
    // A session signed in with the password alone, made before the app is added.
    let laptop = Browser::new();
    let first = app.code_flow(&laptop, &client, "tess", "openid").await;
    let first = tokens_after(&app, &client, &laptop, &first.callback, &first.verifier).await;
    let (_, first) = verify_with_jwks(&app, first["id_token"].as_str().unwrap()).await;
    assert_eq!(first["acr"], ACR_PASSWORD);
    let phone = Browser::new();
    app.code_flow(&phone, &client, "tess", "openid").await;
    let (key, _) = enrol(&app, &phone).await;

    // prompt=none cannot step up (OIDC Core §3.1.2.6).
    let mfa = [("acr_values", ACR_MFA), ("prompt", "none")];
    let (silent, _) = request(&app, &client, &laptop, &mfa).await;
    assert_eq!(query_param(&silent, "error").as_deref(), Some("login_required"), "{silent}");

    // acr_values asks for the second factor only: no password, the same session, a new auth_time.
    app.clock.advance(totp::PERIOD);
    let (asked, verifier) = request(&app, &client, &laptop, &[("acr_values", ACR_MFA)]).await;
    assert!(asked.starts_with(&app.url("/login/mfa?req=")), "{asked}");
    let page = laptop.get(&asked).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(!page.body.contains("name=\"password\""), "the password is not asked again");
    let stepped = second_step(&app, &laptop, &page, &code_now(&app, &key)).await;
    assert_eq!(stepped.status, 303, "{}", stepped.body);
    assert!(stepped.headers.get("set-cookie").is_none(), "the session keeps its cookie");
    let tokens = tokens_after(&app, &client, &laptop, &location(&stepped), &verifier).await;
    let (_, claims) = verify_with_jwks(&app, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["acr"], ACR_MFA);
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    assert_eq!(claims["sid"], first["sid"], "the same session, stepped up");
    assert_eq!(claims["auth_time"], app.clock.now(), "a new authentication moves auth_time");
    // Met now: no further step.
    let (again, _) = request(&app, &client, &laptop, &[("acr_values", ACR_MFA)]).await;
    assert!(again.starts_with(&client.redirect_uri), "{again}");

    // Without a second factor: acr_values is voluntary, an essential acr is not (§5.5.1.1).
    let other = Browser::new();
    let plain = app.code_flow_with(&other, &client, "uma", "openid", &[("acr_values", ACR_MFA)]);
    let plain = plain.await;
    let plain = tokens_after(&app, &client, &other, &plain.callback, &plain.verifier).await;
    let (_, claims) = verify_with_jwks(&app, plain["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["acr"], ACR_PASSWORD, "what the user has");
    let essential = format!(r#"{{"id_token":{{"acr":{{"essential":true,"value":"{ACR_MFA}"}}}}}}"#);
    let (refused, _) = request(&app, &client, &other, &[("claims", &essential)]).await;
    assert_eq!(query_param(&refused, "error").as_deref(), Some("access_denied"), "{refused}");
}

#[tokio::test]
async fn oidc_core_3_1_2_1_acr_values_step_a_session_up_with_the_second_factor_sqlite() {
    step_up(Backend::Sqlite).await;
}

#[tokio::test]
async fn oidc_core_3_1_2_1_acr_values_step_a_session_up_with_the_second_factor_postgres() {
    step_up(Backend::Postgres).await;
}

/// Signs `who` in to `client` with the password in `browser`, adding an authenticator app
/// when the second step asks for one; returns the ID token's claims.
async fn sign_in_adding_an_app(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
    who: &str,
) -> serde_json::Value {
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, &[]);
    let mut next = location(&browser.get(&url).await);
    if next.starts_with(&app.url("/login?")) {
        next = location(&app.submit_login(browser, &next, who, PASSWORD).await);
    }
    assert!(next.starts_with(&app.url("/login/mfa?req=")), "the second step: {next}");
    let page = browser.get(&next).await;
    assert!(page.body.contains("Add an authenticator app"), "{}", page.body);
    let enrol = |page: &Reply| form_field(&page.body, "enrol").unwrap();
    let wrong = second_step_with(app, browser, &page, "000000", Some(&enrol(&page))).await;
    assert_eq!(wrong.status, 422, "{}", wrong.body);
    let key = between(&wrong.body, "Or type this key: <code>", "</code>");
    let key = totp::base32_decode(key).unwrap();
    let code = code_now(app, &key);
    let added = second_step_with(app, browser, &wrong, &code, Some(&enrol(&wrong))).await;
    assert_eq!(added.status, 200, "{}", added.body);
    assert_eq!(added.body.matches("<li><code>").count(), 10, "recovery codes, shown once");
    let next = between(&added.body, "class=\"button\" href=\"", "\"").replace("&#x2f;", "/");
    let next = next.replace("&amp;", "&");
    let tokens = tokens_after(app, client, browser, &next, &verifier).await;
    verify_with_jwks(app, tokens["id_token"].as_str().unwrap()).await.1
}

async fn second_step_with(
    app: &TestApp,
    browser: &Browser,
    page: &Reply,
    code: &str,
    enrol: Option<&str>,
) -> Reply {
    let field = |name| form_field(&page.body, name).unwrap();
    let (req, csrf, ticket) = (field("req"), field("csrf"), field("ticket"));
    let mut form =
        vec![("req", req.as_str()), ("csrf", &csrf), ("ticket", &ticket), ("code", code)];
    form.extend(enrol.map(|e| ("enrol", e)));
    browser.post_form(&app.url("/login/mfa"), &form).await
}

#[tokio::test]
async fn a_required_second_factor_is_added_at_the_next_sign_in_and_cannot_be_turned_off() {
    use keygate_core::settings::MfaPolicy;
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.mfa_policy = MfaPolicy::Required);
    let app = app.await.unwrap();
    let client = app.web_client(&["openid"]).await;
    let rae = app.user("rae").await;
    let browser = Browser::new();
    let claims = sign_in_adding_an_app(&app, &client, &browser, "rae").await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    assert!(app.provider.factors(&rae.id).await.unwrap().totp.is_some());
    let account = open_account(&app, &browser).await;
    assert!(account.body.contains("Make new recovery codes"));
    assert!(!account.body.contains("Turn off two-step sign-in"), "required: no way off");
    let off = app.provider.remove_own_totp(&rae, keygate_core::Secret::new(PASSWORD), None);
    assert!(off.await.unwrap().is_err());
}

#[tokio::test]
async fn an_administrator_requires_a_second_factor_of_one_user_only() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let ivy = app.user("ivy").await;
    app.user("jay").await;
    let writer = app.admin_token(&["admin:read", "admin:write"]).await;
    let path = format!("/users/{}", ivy.id);
    let shown = app.admin_call(Method::GET, &path, Some(&writer), None, &[]).await;
    assert_eq!(shown.json()["require_mfa"], false);
    let etag = shown.header("etag").unwrap().to_owned();
    let change = serde_json::json!({"require_mfa": true});
    let if_match = [("if-match", etag.as_str())];
    let patched = app.admin_call(Method::PATCH, &path, Some(&writer), Some(&change), &if_match);
    assert_eq!(patched.await.assert_ok()["require_mfa"], true);

    app.code_flow(&Browser::new(), &client, "jay", "openid").await;
    let browser = Browser::new();
    let claims = sign_in_adding_an_app(&app, &client, &browser, "ivy").await;
    assert_eq!(claims["amr"], serde_json::json!(["pwd", "otp", "mfa"]));
    let account = open_account(&app, &browser).await;
    assert!(!account.body.contains("Turn off two-step sign-in"), "required of her: no way off");
    let ivy = app.admin().user("ivy").await.unwrap();
    let off = app.provider.remove_own_totp(&ivy, keygate_core::Secret::new(PASSWORD), None);
    assert!(off.await.unwrap().is_err());

    // The console's user page shows and changes the same setting.
    crate::console::admin_user(&app, "root").await;
    let (console, _) = crate::console::console_session(&app, "root").await;
    let page = console.get(&app.url(&format!("/admin/users/{}", ivy.id))).await;
    assert!(page.body.contains("name=\"require_mfa\" value=\"yes\" checked"), "{}", page.body);
}

#[tokio::test]
async fn an_application_that_requires_a_second_factor_gets_one_and_others_do_not() {
    use keygate_core::client::ClientSpec;
    let app = TestApp::spawn().await;
    let plain = app.web_client(&["openid"]).await;
    let strict = app.web_client(&["openid"]).await;
    let current = app.admin().client(&strict.id).await.unwrap();
    let metadata = keygate_core::client::ClientMetadata { require_mfa: true, ..current.metadata };
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    app.admin().update_client(&strict.id, spec).await.unwrap();
    app.provider.sync().await.unwrap();
    app.user("sol").await;
    let browser = Browser::new();
    let first = app.code_flow(&browser, &plain, "sol", "openid").await;
    let first = tokens_after(&app, &plain, &browser, &first.callback, &first.verifier).await;
    let (_, first) = verify_with_jwks(&app, first["id_token"].as_str().unwrap()).await;
    assert_eq!(first["acr"], keygate_core::id_token::ACR_PASSWORD, "this application: a password");
    let claims = sign_in_adding_an_app(&app, &strict, &browser, "sol").await;
    assert_eq!(claims["acr"], keygate_core::id_token::ACR_MFA, "the strict one: a second factor");
    assert_eq!(claims["sid"], first["sid"], "the same session, stepped up");
}

#[tokio::test]
async fn with_second_factors_off_none_is_offered_or_asked() {
    use keygate_core::settings::MfaPolicy;
    use keygate_core::store::{MfaStore, TotpFactor};
    let app = TestApp::spawn_with(Backend::Sqlite, |s| s.mfa_policy = MfaPolicy::Off);
    let app = app.await.unwrap();
    let client = app.web_client(&["openid"]).await;
    let tom = app.user("tom").await;
    let factor = TotpFactor {
        user_id: tom.id.clone(),
        sealed_key: vec![1],
        last_step: 0,
        created_at: 0,
        last_used_at: None,
    };
    app.store.put_totp(&factor).await.unwrap();
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tom", "openid").await;
    let account = open_account(&app, &browser).await;
    assert!(!account.body.contains("Two-step sign-in"), "{}", account.body);
    let enrolment = app.provider.begin_totp(&tom).unwrap();
    let refused = app.provider.confirm_totp(&tom, &enrolment.ticket, "123456", None).await;
    assert!(refused.unwrap().is_err(), "no enrolment while off");
}
