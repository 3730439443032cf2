//! Passkeys (WebAuthn Level 3) over real HTTP with a software authenticator: registration on
//! the account page (§7.1), passwordless sign-in and the second step after a password (§7.2),
//! each refusal the spec names (origin, RP ID, challenge, user verification, counter, backup
//! flags), the `amr`/`acr` of the tokens (RFC 8176), step-up to the phishing-resistant `acr`,
//! and management by the user and by administrators. On SQLite and PostgreSQL.

use keygate_core::id_token::{ACR_MFA, ACR_PHISHING_RESISTANT};
use keygate_core::signin_log::SignInOutcome;
use keygate_core::store::{PasskeyStore, SignInLogStore, SignInQuery, UserStore};
use keygate_testkit::{Backend, Browser, PASSWORD, Reply, SoftAuthenticator, TestApp, TestClient};
use keygate_testkit::{form_field, location, pkce};
use serde_json::{Value, json};

use crate::account_page::{open_account, post};
use crate::mfa::{between, code_now, enrol, second_step, to_second_step, tokens_after};
use crate::support::verify_with_jwks;

/// Undoes the page's HTML escaping of an attribute.
fn unescape(text: &str) -> String {
    text.replace("&quot;", "\"")
        .replace("&#x27;", "'")
        .replace("&#x2f;", "/")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&amp;", "&")
}

/// The passkey form of a page: its options and the fields it posts.
struct PasskeyForm {
    options: Value,
    action: String,
    fields: Vec<(String, String)>,
}

fn passkey_form(page: &Reply) -> PasskeyForm {
    let at = page.body.find("class=\"passkey\"").unwrap_or_else(|| panic!("{}", page.body));
    let head = &page.body[..at];
    let action = unescape(between(&head[head.rfind("action=\"").unwrap()..], "action=\"", "\""));
    let form = &page.body[at..at + page.body[at..].find("</form>").unwrap()];
    let options = unescape(between(form, "data-options=\"", "\""));
    let mut fields = Vec::new();
    for name in ["req", "csrf", "ticket", "passkey"] {
        if let Some(value) = form_field(form, name) {
            fields.push((name.to_owned(), unescape(&value)));
        }
    }
    PasskeyForm { options: serde_json::from_str(&options).unwrap(), action, fields }
}

/// The first form action of `body` ending in `suffix`.
fn action_ending(body: &str, suffix: &str) -> String {
    let suffix = suffix.replace('/', "&#x2f;");
    let at = body.find(&format!("{suffix}\"")).unwrap_or_else(|| panic!("{suffix}: {body}"));
    let start = body[..at].rfind('"').unwrap() + 1;
    unescape(&body[start..at + suffix.len()])
}

/// Posts `response` with the form's fields (and `extra`).
async fn answer(
    browser: &Browser,
    form: &PasskeyForm,
    response: &Value,
    extra: &[(&str, &str)],
) -> Reply {
    let response = response.to_string();
    let mut fields: Vec<(&str, &str)> =
        form.fields.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    fields.push(("response", &response));
    fields.extend_from_slice(extra);
    browser.post_form(&form.action, &fields).await
}

/// An authenticator on the app's origin and RP ID.
fn authenticator(app: &TestApp) -> SoftAuthenticator {
    let host = url::Url::parse(&app.issuer).unwrap().host_str().unwrap().to_owned();
    SoftAuthenticator::new(&app.issuer, &host)
}

/// Adds a passkey named `name` for the user signed in in `browser`.
async fn register(
    app: &TestApp,
    browser: &Browser,
    auth: &mut SoftAuthenticator,
    name: &str,
) -> Reply {
    let account = open_account(app, browser).await;
    assert!(account.body.contains("<h2>Passkeys</h2>"), "{}", account.body);
    let form = passkey_form(&account);
    assert_eq!(form.options["attestation"], "none");
    assert_eq!(form.options["authenticatorSelection"]["residentKey"], "required");
    assert_eq!(form.options["authenticatorSelection"]["userVerification"], "preferred");
    let created = auth.create(&form.options).unwrap();
    answer(browser, &form, &created, &[("name", name)]).await
}

/// From the application's request to the login page.
async fn login_page(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
    extra: &[(&str, &str)],
) -> (Reply, String) {
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(client, "openid", &challenge, extra);
    let login = location(&browser.get(&url).await);
    (browser.get(&login).await, verifier)
}

/// Signs in without a password; the reply to the passkey's answer.
async fn passwordless(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
    auth: &mut SoftAuthenticator,
) -> (Reply, String) {
    let (page, verifier) = login_page(app, client, browser, &[]).await;
    assert!(page.body.contains("autocomplete=\"username webauthn\""), "passkey autofill");
    let form = passkey_form(&page);
    assert_eq!(form.options["userVerification"], "required");
    assert_eq!(form.options["allowCredentials"], json!([]), "discoverable: no list");
    let asserted = auth.get(&form.options).unwrap();
    (answer(browser, &form, &asserted, &[]).await, verifier)
}

async fn id_token_claims(
    app: &TestApp,
    client: &TestClient,
    browser: &Browser,
    signed_in: &Reply,
    verifier: &str,
) -> Value {
    assert_eq!(signed_in.status, 303, "{}", signed_in.body);
    let tokens = tokens_after(app, client, browser, &location(signed_in), verifier).await;
    verify_with_jwks(app, tokens["id_token"].as_str().unwrap()).await.1
}

async fn passwordless_sign_in(backend: Backend) {
    let Some(app) = TestApp::spawn_on(backend).await else { return };
    let client = app.web_client(&["openid"]).await;
    let tess = app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let mut auth = authenticator(&app);
    let added = register(&app, &browser, &mut auth, "Work laptop").await;
    assert_eq!(added.status, 303, "{}", added.body);
    let account = browser.get(&app.url("/account")).await;
    assert!(
        account.body.contains("<strong>Work laptop</strong> · on one device"),
        "{}",
        account.body
    );
    assert!(account.body.contains("not used yet"));

    let phone = Browser::new();
    let (signed_in, verifier) = passwordless(&app, &client, &phone, &mut auth).await;
    let claims = id_token_claims(&app, &client, &phone, &signed_in, &verifier).await;
    assert_eq!(claims["sub"], tess.id.as_str());
    assert_eq!(claims["amr"], json!(["hwk", "user", "mfa"]), "RFC 8176 §2");
    assert_eq!(claims["acr"], ACR_PHISHING_RESISTANT);
    let stored = app.store.list_passkeys(&tess.id).await.unwrap();
    assert_eq!(stored[0].sign_count, 2, "the counter moved to the assertion's");
    assert!(stored[0].last_used_at.is_some());

    let log = app.store.list_signins(&SignInQuery { limit: 50, ..Default::default() }).await;
    let details: Vec<String> = log.unwrap().iter().filter_map(|e| e.detail.clone()).collect();
    assert!(details.iter().any(|d| d == "passkey \"Work laptop\""), "{details:?}");
    assert!(details.iter().any(|d| d == "password"), "sign-ins record the factors used");
    let query = keygate_core::store::AuditQuery { limit: 50, ..Default::default() };
    let audit = app.admin().audit(&query).await.unwrap();
    assert!(audit.iter().any(|e| e.action == "user.mfa.passkey_add"));
}

#[tokio::test]
async fn webauthn_7_1_registration_and_7_2_passwordless_sign_in_sqlite() {
    passwordless_sign_in(Backend::Sqlite).await;
}

#[tokio::test]
async fn webauthn_7_1_registration_and_7_2_passwordless_sign_in_postgres() {
    passwordless_sign_in(Backend::Postgres).await;
}

/// A signed-in browser with one passkey registered, and the authenticator.
async fn with_passkey(app: &TestApp) -> (TestClient, SoftAuthenticator) {
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let mut auth = authenticator(app);
    assert_eq!(register(app, &browser, &mut auth, "Key").await.status, 303);
    (client, auth)
}

#[tokio::test]
async fn webauthn_7_1_steps_9_and_13_registration_from_another_origin_or_rp_id_is_refused() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let tess = app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let mut evil = authenticator(&app);
    evil.origin = "https://evil.example".to_owned();
    let refused = register(&app, &browser, &mut evil, "x").await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("used on another site (https:&#x2f;&#x2f;evil.example)"),
        "{}",
        refused.body
    );
    let mut other_rp = authenticator(&app);
    other_rp.rp_id = "evil.example".to_owned();
    let refused = register(&app, &browser, &mut other_rp, "x").await;
    assert!(refused.body.contains("belongs to another site"), "{}", refused.body);
    assert!(app.store.list_passkeys(&tess.id).await.unwrap().is_empty());

    // A packed self-attestation (§8.2) is verified and accepted.
    let mut packed = authenticator(&app);
    packed.packed = true;
    assert_eq!(register(&app, &browser, &mut packed, "packed").await.status, 303);
}

#[tokio::test]
async fn webauthn_7_1_step_26_a_credential_id_is_registered_once() {
    let app = TestApp::spawn().await;
    let (_, _) = with_passkey(&app).await;
    let tess = app.store.find_user("tess").await.unwrap().unwrap();
    let mut copy = app.store.list_passkeys(&tess.id).await.unwrap().remove(0);
    copy.user_id = "someone-else".to_owned();
    let again = app.store.insert_passkey(&copy).await;
    assert!(matches!(again, Err(keygate_core::store::StoreError::Conflict(_))), "{again:?}");
}

#[tokio::test]
async fn webauthn_7_2_steps_13_and_15_assertions_for_another_origin_or_rp_id_are_refused() {
    let app = TestApp::spawn().await;
    let (client, mut auth) = with_passkey(&app).await;
    auth.origin = "http://127.0.0.1:1".to_owned();
    let (refused, _) = passwordless(&app, &client, &Browser::new(), &mut auth).await;
    assert_eq!(refused.status, 400, "{}", refused.body);
    assert!(refused.body.contains("used on another site"), "{}", refused.body);
    auth.origin = app.issuer.clone();
    auth.rp_id = "localhost".to_owned();
    let (refused, _) = passwordless(&app, &client, &Browser::new(), &mut auth).await;
    assert!(refused.body.contains("belongs to another site"), "{}", refused.body);
    let log = app.store.list_signins(&SignInQuery { limit: 50, ..Default::default() }).await;
    let outcomes: Vec<SignInOutcome> = log.unwrap().iter().map(|e| e.outcome).collect();
    assert!(outcomes.contains(&SignInOutcome::PasskeyRefused));
}

#[tokio::test]
async fn webauthn_7_2_step_12_an_answer_is_for_one_challenge_and_used_once() {
    let app = TestApp::spawn().await;
    let (client, mut auth) = with_passkey(&app).await;
    let browser = Browser::new();
    let (page, _) = login_page(&app, &client, &browser, &[]).await;
    let form = passkey_form(&page);
    let asserted = auth.get(&form.options).unwrap();
    // The same answer posted with another page's ticket: another challenge.
    let (other_page, _) = login_page(&app, &client, &browser, &[]).await;
    let other = passkey_form(&other_page);
    let moved = answer(&browser, &other, &asserted, &[]).await;
    assert!(moved.body.contains("answered a different challenge"), "{}", moved.body);
    let first = answer(&browser, &form, &asserted, &[]).await;
    assert_eq!(first.status, 303, "{}", first.body);
    let replayed = answer(&Browser::new(), &form, &asserted, &[]).await;
    assert_ne!(replayed.status, 303);
}

#[tokio::test]
async fn webauthn_7_2_step_17_passwordless_needs_user_verification_a_second_step_does_not() {
    let app = TestApp::spawn().await;
    let (client, mut auth) = with_passkey(&app).await;
    auth.user_verified = false;
    let (refused, _) = passwordless(&app, &client, &Browser::new(), &mut auth).await;
    assert!(refused.body.contains("did not verify you"), "{}", refused.body);

    // After the password, the passkey is the second step and presence is enough.
    let browser = Browser::new();
    let (asked, verifier) = to_second_step(&app, &client, &browser).await;
    assert!(asked.body.contains("Confirm it is you with one of your passkeys"), "{}", asked.body);
    assert!(!asked.body.contains("name=\"code\""), "no app: no code field");
    let form = passkey_form(&asked);
    assert_eq!(form.options["userVerification"], "preferred");
    assert_eq!(form.options["allowCredentials"].as_array().unwrap().len(), 1);
    let asserted = auth.get(&form.options).unwrap();
    let signed_in = answer(&browser, &form, &asserted, &[]).await;
    let claims = id_token_claims(&app, &client, &browser, &signed_in, &verifier).await;
    assert_eq!(claims["amr"], json!(["pwd", "hwk", "user", "mfa"]));
    assert_eq!(claims["acr"], ACR_PHISHING_RESISTANT);
}

#[tokio::test]
async fn webauthn_7_2_step_23_a_counter_that_does_not_grow_is_refused_and_0_means_none() {
    let app = TestApp::spawn().await;
    let (client, mut auth) = with_passkey(&app).await;
    let (first, _) = passwordless(&app, &client, &Browser::new(), &mut auth).await;
    assert_eq!(first.status, 303);
    auth.credentials[0].counter = 0; // a clone, one use behind
    let (cloned, _) = passwordless(&app, &client, &Browser::new(), &mut auth).await;
    assert!(cloned.body.contains("counter went backwards"), "{}", cloned.body);

    // An authenticator without a counter (always 0) is fine.
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let mut no_counter = authenticator(&app);
    no_counter.counter_step = 0;
    assert_eq!(register(&app, &browser, &mut no_counter, "synced").await.status, 303);
    for _ in 0..2 {
        let (ok, _) = passwordless(&app, &client, &Browser::new(), &mut no_counter).await;
        assert_eq!(ok.status, 303, "{}", ok.body);
    }
}

#[tokio::test]
async fn webauthn_7_2_step_19_backup_eligibility_is_fixed_and_synced_keys_say_swk() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let mut synced = authenticator(&app);
    synced.backup = (true, true);
    assert_eq!(register(&app, &browser, &mut synced, "Phone").await.status, 303);
    let account = browser.get(&app.url("/account")).await;
    assert!(account.body.contains("synced across your devices"));
    let phone = Browser::new();
    let (signed_in, verifier) = passwordless(&app, &client, &phone, &mut synced).await;
    let claims = id_token_claims(&app, &client, &phone, &signed_in, &verifier).await;
    assert_eq!(claims["amr"], json!(["swk", "user", "mfa"]));
    synced.backup = (false, false);
    let (refused, _) = passwordless(&app, &client, &Browser::new(), &mut synced).await;
    assert!(refused.body.contains("backup flags are inconsistent"), "{}", refused.body);
    synced.backup = (false, true);
    let (refused, _) = passwordless(&app, &client, &Browser::new(), &mut synced).await;
    assert!(refused.body.contains("backup flags are inconsistent"), "BS without BE");
}

#[tokio::test]
async fn oidc_core_5_5_1_1_an_essential_phishing_resistant_acr_steps_up_with_a_passkey_only() {
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let (key, _) = enrol(&app, &browser).await;
    let claims = format!(
        r#"{{"id_token":{{"acr":{{"essential":true,"value":"{ACR_PHISHING_RESISTANT}"}}}}}}"#
    );
    // With an authenticator app only, the essential value cannot be met.
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("claims", &claims)]);
    let denied = location(&browser.get(&url).await);
    assert!(denied.contains("error=access_denied"), "{denied}");
    let _ = verifier;

    let mut auth = authenticator(&app);
    assert_eq!(register(&app, &browser, &mut auth, "Key").await.status, 303);
    // A new sign-in with password and app code: mfa, not phishing-resistant.
    let laptop = Browser::new();
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[]);
    let login = location(&laptop.get(&url).await);
    let asked = app.submit_login(&laptop, &login, "tess", PASSWORD).await;
    assert!(
        asked.body.contains("Use one of your passkeys, or enter the 6-digit code"),
        "{}",
        asked.body
    );
    app.clock.advance(keygate_core::mfa::totp::PERIOD);
    let signed_in = second_step(&app, &laptop, &asked, &code_now(&app, &key)).await;
    let claims_mfa = id_token_claims(&app, &client, &laptop, &signed_in, &verifier).await;
    assert_eq!(claims_mfa["acr"], ACR_MFA);

    // The essential phishing-resistant acr: the same session is asked for a passkey alone.
    app.clock.advance(60);
    let (verifier, challenge) = pkce();
    let url = app.authorize_url(&client, "openid", &challenge, &[("claims", &claims)]);
    let step_up = location(&laptop.get(&url).await);
    assert!(step_up.starts_with(&app.url("/login/mfa")), "{step_up}");
    let page = laptop.get(&step_up).await;
    assert!(page.body.contains("Confirm it is you with one of your passkeys"), "{}", page.body);
    assert!(!page.body.contains("name=\"code\""), "a code does not meet it");
    let form = passkey_form(&page);
    let asserted = auth.get(&form.options).unwrap();
    let stepped = answer(&laptop, &form, &asserted, &[]).await;
    let claims_phr = id_token_claims(&app, &client, &laptop, &stepped, &verifier).await;
    assert_eq!(claims_phr["acr"], ACR_PHISHING_RESISTANT);
    assert_eq!(claims_phr["amr"], json!(["pwd", "otp", "mfa", "hwk", "user"]));
    assert!(
        claims_phr["auth_time"].as_i64() > claims_mfa["auth_time"].as_i64(),
        "a new authentication"
    );
}

#[tokio::test]
async fn users_rename_and_remove_passkeys_but_not_their_last_way_to_sign_in() {
    use reqwest::Method;
    let app = TestApp::spawn().await;
    let client = app.web_client(&["openid"]).await;
    let tess = app.user("tess").await;
    let browser = Browser::new();
    app.code_flow(&browser, &client, "tess", "openid").await;
    let mut auth = authenticator(&app);
    assert_eq!(register(&app, &browser, &mut auth, "Key").await.status, 303);
    assert_eq!(register(&app, &browser, &mut auth, "Second").await.status, 303);
    let account = open_account(&app, &browser).await;
    let csrf = form_field(&account.body, "csrf").unwrap();
    let rename = action_ending(&account.body, "/rename");
    let renamed = post(&browser, &rename, &csrf, &[("name", "Desk key")]).await;
    assert_eq!(renamed.status, 303, "{}", renamed.body);
    let names: Vec<String> =
        app.store.list_passkeys(&tess.id).await.unwrap().iter().map(|p| p.name.clone()).collect();
    assert!(names.contains(&"Desk key".to_owned()), "{names:?}");
    let removed = post(&browser, &rename.replace("/rename", "/remove"), &csrf, &[]).await;
    assert_eq!(removed.status, 303);
    let left = app.store.list_passkeys(&tess.id).await.unwrap();
    assert_eq!(left.len(), 1);
    assert_ne!(left[0].name, "Desk key", "the renamed one was removed");

    // Without a password, the last passkey stays.
    let mut user = tess.clone();
    user.password_hash = None;
    app.store.update_user(&user).await.unwrap();
    let account = browser.get(&app.url("/account")).await;
    let remove = action_ending(&account.body, "/remove");
    let kept = post(&browser, &remove, &csrf, &[]).await;
    assert_eq!(kept.status, 422);
    assert!(kept.body.contains("only way to sign in"), "{}", kept.body);

    // Administrators see the passkeys and remove them (a lost device).
    let writer = app.admin_token(&["admin:read", "admin:write"]).await;
    let path = format!("/users/{}/factors", tess.id);
    let seen = app.admin_call(Method::GET, &path, Some(&writer), None, &[]).await;
    assert_eq!(seen.json()["passkeys"][0]["name"], left[0].name.as_str());
    let gone = app.admin_call(Method::DELETE, &path, Some(&writer), None, &[]).await;
    assert_eq!(gone.status, 204, "{}", gone.body);
    assert!(app.store.list_passkeys(&tess.id).await.unwrap().is_empty());
}
