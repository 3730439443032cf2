//! A second Keygate as the upstream OpenID Provider.

use std::sync::atomic::Ordering;

use keygate_testkit::{Browser, PASSWORD, form_field, location, pkce};

use super::{Federation, UPSTREAM};
use crate::support::verify_with_jwks;

#[tokio::test]
async fn first_upstream_sign_in_provisions_a_user_and_the_second_finds_it() {
    let fed = Federation::start(|_| {}).await;
    fed.up.user("ada").await;
    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "ada").await;
    assert!(location(&reply).starts_with(&fed.down.url("/consent")), "{}", reply.body);
    let tokens = fed.finish(&browser, &reply, &verifier).await;

    let users = fed.down.admin().users().await.unwrap();
    assert_eq!(users.len(), 1, "just-in-time provisioning made one user");
    let user = &users[0];
    assert_eq!(user.username, "ada");
    assert_eq!(user.email, "ada@example.com");
    assert!(user.email_verified, "the upstream verified it");
    assert!(user.password_hash.is_none(), "a federated account has no password");
    let up_user = fed.up.admin().user("ada").await.unwrap();
    let links = fed.down.admin().linked_identities(&user.id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(
        (links[0].provider_id.as_str(), links[0].subject.as_str()),
        (UPSTREAM, up_user.id.as_str())
    );

    let (_, claims) = verify_with_jwks(&fed.down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["iss"], fed.down.issuer.as_str());
    assert_eq!(claims["sub"], user.id.as_str(), "Keygate's own sub, not the upstream's");
    assert_ne!(claims["sub"], up_user.id.as_str());
    assert_eq!(claims["amr"], serde_json::json!(["fed", "pwd"]), "federation, then the upstream's");
    assert_eq!(claims["acr"], "urn:keygate:acr:federated");
    assert!(claims.get("idp").is_none(), "the idp claim is off by default");

    // A new browser, the same upstream user: the same Keygate user, no new account.
    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "ada").await;
    let tokens = fed.finish(&browser, &reply, &verifier).await;
    let (_, claims) = verify_with_jwks(&fed.down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], user.id.as_str());
    assert_eq!(fed.down_users().await, 1);
}

#[tokio::test]
async fn oidc_core_3_1_3_7_a_bad_upstream_signature_is_refused() {
    let fed = Federation::start(|_| {}).await;
    fed.up.user("ada").await;
    fed.tamper.store(true, Ordering::SeqCst);
    let browser = Browser::new();
    let (reply, _) = fed.via_upstream(&browser, "ada").await;
    assert_eq!(reply.status, 502, "{}", reply.body);
    assert!(reply.body.contains("did not answer as expected"), "{}", reply.body);
    assert_eq!(fed.down_users().await, 0, "no account is created");
    assert!(browser_has_no_session(&fed, &browser).await);
}

/// Whether `down` would ask this browser to sign in again.
async fn browser_has_no_session(fed: &Federation, browser: &Browser) -> bool {
    let (_, challenge) = pkce();
    let url = fed.down.authorize_url(&fed.client, "openid", &challenge, &[]);
    location(&browser.get(&url).await).starts_with(&fed.down.url("/login"))
}

#[tokio::test]
async fn unverified_upstream_email_does_not_link_to_an_existing_account() {
    // Even with linking by verified email allowed, an unverified email links nothing.
    let fed = Federation::start(|s| s.link_verified_email = Some(true)).await;
    let grace = fed.down.user("grace").await; // grace@example.com at the downstream
    fed.upstream_user("mallory", "grace@example.com", false).await;
    let browser = Browser::new();
    let (reply, _) = fed.via_upstream(&browser, "mallory").await;
    assert_eq!(reply.status, 200, "the login page asks for the account's password");
    assert!(reply.body.contains("already exists"), "{}", reply.body);
    // The page names the upstream account that would be linked, and its provider.
    assert!(
        reply.body.contains("Corp account <strong>grace@example.com</strong>"),
        "{}",
        reply.body
    );
    assert!(!reply.body.contains("Sign in with Corp"), "only the password can link");
    assert_eq!(fed.down_users().await, 1, "no second account");
    assert!(fed.down.admin().linked_identities(&grace.id).await.unwrap().is_empty());
    assert!(browser_has_no_session(&fed, &browser).await, "not signed in as grace");

    // A wrong password links nothing either.
    let ticket = form_field(&reply.body, "link").unwrap();
    let req = form_field(&reply.body, "req").unwrap();
    let csrf = form_field(&reply.body, "csrf").unwrap();
    let wrong = [
        ("req", req.as_str()),
        ("csrf", &csrf),
        ("link", &ticket),
        ("username", "grace"),
        ("password", "nope"),
    ];
    let again = browser.post_form(&fed.down.url("/login"), &wrong).await;
    assert_eq!(again.status, 200);
    assert!(again.body.contains("incorrect"));
    assert!(fed.down.admin().linked_identities(&grace.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn a_password_sign_in_links_the_upstream_identity_for_next_time() {
    let fed = Federation::start(|_| {}).await;
    let grace = fed.down.user("grace").await;
    fed.upstream_user("grace-up", "grace@example.com", true).await;
    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "grace-up").await;
    assert_eq!(reply.status, 200, "linking by email is off by default: {}", reply.body);
    let ticket = form_field(&reply.body, "link").unwrap();
    let req = form_field(&reply.body, "req").unwrap();
    let csrf = form_field(&reply.body, "csrf").unwrap();
    let form = [
        ("req", req.as_str()),
        ("csrf", &csrf),
        ("link", &ticket),
        ("username", "grace"),
        ("password", PASSWORD),
    ];
    let signed_in = browser.post_form(&fed.down.url("/login"), &form).await;
    fed.finish(&browser, &signed_in, &verifier).await;
    let links = fed.down.admin().linked_identities(&grace.id).await.unwrap();
    assert_eq!(links.len(), 1, "linked after proving the password");

    // The ticket is single-use.
    let replay = browser.post_form(&fed.down.url("/login"), &form).await;
    assert_ne!(replay.status, 500);

    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "grace-up").await;
    let tokens = fed.finish(&browser, &reply, &verifier).await;
    let (_, claims) = verify_with_jwks(&fed.down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], grace.id.as_str(), "the upstream alone signs grace in now");
    assert_eq!(fed.down_users().await, 1);
}

#[tokio::test]
async fn verified_upstream_email_links_when_the_operator_allows_it() {
    let fed = Federation::start(|s| s.link_verified_email = Some(true)).await;
    let grace = fed.down.user("grace").await;
    fed.upstream_user("grace-up", "GRACE@example.com", true).await;
    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "grace-up").await;
    let tokens = fed.finish(&browser, &reply, &verifier).await;
    let (_, claims) = verify_with_jwks(&fed.down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], grace.id.as_str());
    assert_eq!(fed.down_users().await, 1);
}

#[tokio::test]
async fn without_jit_provisioning_an_unknown_user_gets_no_account() {
    let fed = Federation::start(|s| s.jit_provisioning = Some(false)).await;
    fed.up.user("ada").await;
    let browser = Browser::new();
    let (reply, _) = fed.via_upstream(&browser, "ada").await;
    assert_eq!(reply.status, 200);
    assert!(reply.body.contains("No account is linked"), "{}", reply.body);
    assert_eq!(fed.down_users().await, 0);
}

#[tokio::test]
async fn denied_at_the_upstream_shows_a_page_and_changes_nothing() {
    let fed = Federation::start(|_| {}).await;
    fed.up.user("ada").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let url = fed.down.authorize_url(&fed.client, "openid email", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let up_authorize = location(&fed.press_button(&browser, &login).await);
    let up_login = location(&browser.get(&up_authorize).await);
    let consent = location(&fed.up.submit_login(&browser, &up_login, "ada", PASSWORD).await);
    let callback = location(&fed.up.submit_consent(&browser, &consent, "deny").await);
    let reply = browser.get(&callback).await;
    assert_eq!(reply.status, 403);
    assert!(reply.body.contains("Sign-in cancelled"), "{}", reply.body);
    assert_eq!(fed.down_users().await, 0);

    // RFC 9700 §4.7: the state is single-use; a replayed callback is refused.
    let replay = browser.get(&callback).await;
    assert_eq!(replay.status, 400);
    assert!(replay.body.contains("expired"), "{}", replay.body);
}

#[tokio::test]
async fn rfc9700_4_7_a_callback_from_another_browser_is_refused() {
    let fed = Federation::start(|_| {}).await;
    fed.up.user("ada").await;
    let victim = Browser::new();
    let (_, challenge) = pkce();
    let url = fed.down.authorize_url(&fed.client, "openid", &challenge, &[]);
    let login = location(&victim.get(&url).await);
    let up_authorize = location(&fed.press_button(&victim, &login).await);
    // The attacker finishes at the upstream and hands the callback to another browser.
    let attacker = Browser::new();
    let callback = fed.at_upstream(&attacker, &up_authorize, "ada").await;
    let reply = attacker.get(&callback).await;
    assert_eq!(reply.status, 400, "{}", reply.body);
    assert_eq!(fed.down_users().await, 0);
}

#[tokio::test]
async fn an_unreachable_upstream_shows_a_page() {
    let fed = Federation::start(|s| s.issuer = Some("http://127.0.0.1:9".into())).await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let url = fed.down.authorize_url(&fed.client, "openid", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let reply = fed.press_button(&browser, &login).await;
    assert_eq!(reply.status, 502, "{}", reply.body);
    assert!(reply.body.contains("did not answer as expected"));
}

#[tokio::test]
async fn idp_hint_goes_straight_to_the_upstream() {
    let fed = Federation::start(|_| {}).await;
    let browser = Browser::new();
    for param in ["kc_idp_hint", "idp_hint"] {
        let (_, challenge) = pkce();
        let url = fed.down.authorize_url(&fed.client, "openid", &challenge, &[(param, UPSTREAM)]);
        let login = location(&browser.get(&url).await);
        let next = location(&browser.get(&login).await);
        assert!(next.starts_with(&fed.up.url("/authorize")), "{param}: {next}");
        assert_eq!(
            keygate_testkit::query_param(&next, "redirect_uri").as_deref(),
            Some(fed.down.provider.federation_redirect_uri(UPSTREAM).as_str())
        );
        assert_eq!(
            keygate_testkit::query_param(&next, "code_challenge_method").as_deref(),
            Some("S256")
        );
        assert!(keygate_testkit::query_param(&next, "nonce").is_some());
    }
}

#[tokio::test]
async fn idp_claim_names_the_upstream_when_enabled() {
    let fed = Federation::start_with(|s| s.idp_claim = true, |_| {}).await;
    fed.up.user("ada").await;
    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "ada").await;
    let tokens = fed.finish(&browser, &reply, &verifier).await;
    let (_, claims) = verify_with_jwks(&fed.down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["idp"], UPSTREAM);
}

#[tokio::test]
async fn rp_initiated_logout_also_logs_out_at_the_upstream_when_enabled() {
    let fed = Federation::start(|s| s.upstream_logout = Some(true)).await;
    fed.up.user("ada").await;
    let browser = Browser::new();
    let (reply, verifier) = fed.via_upstream(&browser, "ada").await;
    let tokens = fed.finish(&browser, &reply, &verifier).await;
    let id_token = tokens["id_token"].as_str().unwrap();
    let mut logout = url::Url::parse(&fed.down.url("/logout")).unwrap();
    logout
        .query_pairs_mut()
        .append_pair("id_token_hint", id_token)
        .append_pair("post_logout_redirect_uri", keygate_testkit::SIGNED_OUT_URI)
        .append_pair("state", "bye");
    let to_upstream = location(&browser.get(logout.as_str()).await);
    assert!(to_upstream.starts_with(&fed.up.url("/logout")), "{to_upstream}");
    // The upstream asks its user to confirm (Keygate is not trusted by an id_token_hint there).
    let page = browser.get(&to_upstream).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let mut form: Vec<(String, String)> =
        vec![("csrf".into(), csrf), ("decision".into(), "logout".into())];
    for name in ["client_id", "post_logout_redirect_uri", "state"] {
        if let Some(v) = form_field(&page.body, name) {
            form.push((name.into(), v));
        }
    }
    let pairs: Vec<(&str, &str)> = form.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
    let back = location(&browser.post_form(&fed.up.url("/logout/confirm"), &pairs).await);
    assert!(back.starts_with(&fed.down.url("/federation/logged-out")), "{back}");
    let end = location(&browser.get(&back).await);
    assert_eq!(end, format!("{}?state=bye", keygate_testkit::SIGNED_OUT_URI));
    assert!(browser_has_no_session(&fed, &browser).await);
}

#[tokio::test]
async fn with_passwords_off_the_login_page_offers_only_the_providers() {
    let fed = Federation::start_with(|s| s.password_login = false, |_| {}).await;
    fed.down.user("grace").await;
    let browser = Browser::new();
    let (_, challenge) = pkce();
    let url = fed.down.authorize_url(&fed.client, "openid", &challenge, &[]);
    let login = location(&browser.get(&url).await);
    let page = browser.get(&login).await;
    assert!(page.body.contains("Sign in with Corp"));
    assert!(!page.body.contains("type=\"password\""), "{}", page.body);
    let req = form_field(&page.body, "req").unwrap();
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form =
        [("req", req.as_str()), ("csrf", &csrf), ("username", "grace"), ("password", PASSWORD)];
    let refused = browser.post_form(&fed.down.url("/login"), &form).await;
    assert_eq!(refused.status, 400, "a password cannot be used");
    assert!(browser_has_no_session(&fed, &browser).await);
}
