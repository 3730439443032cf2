//! Linking an upstream sign-in from the account page: the user, signed in to Keygate, signs in
//! at the upstream too, and the identity becomes theirs; it then signs them in alone. The
//! callback must come back to the browser that started it (RFC 9700 §4.7), and an identity
//! another account has stays with that account.

use keygate_core::store::AuditQuery;
use keygate_testkit::{Browser, form_field, location};

use super::{Federation, UPSTREAM};
use crate::account_page::{open_account, post};
use crate::support::verify_with_jwks;

/// Signs `username` in to `down` in `browser`, opens the account page and presses *Link a
/// Corp account*; returns the redirect to the upstream.
async fn start_link(fed: &Federation, browser: &Browser, username: &str) -> String {
    fed.down.code_flow(browser, &fed.client, username, "openid").await;
    let page = open_account(&fed.down, browser).await;
    assert!(page.body.contains("Link a Corp account"), "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let url = fed.down.url(&format!("/account/identities/{UPSTREAM}/link"));
    let started = post(browser, &url, &csrf, &[]).await;
    assert_eq!(started.status, 303, "{}", started.body);
    location(&started)
}

#[tokio::test]
async fn the_account_page_links_an_upstream_sign_in_that_then_signs_the_user_in() {
    let fed = Federation::start(|_| {}).await;
    let ada = fed.down.user("ada").await;
    fed.upstream_user("ada-up", "ada.elsewhere@example.com", false).await;
    let browser = Browser::new();
    let authorize = start_link(&fed, &browser, "ada").await;
    let callback = fed.at_upstream(&browser, &authorize, "ada-up").await;
    let back = browser.get(&callback).await;
    assert_eq!(location(&back), fed.down.url("/account?done=linked"));
    let page = browser.get(&location(&back)).await;
    assert!(page.body.contains("You can now sign in with that account too"), "{}", page.body);
    assert!(page.body.contains("ada.elsewhere@example.com"), "listed with its address");
    let links = fed.down.admin().linked_identities(&ada.id).await.unwrap();
    assert_eq!(links.len(), 1);
    assert_eq!(links[0].provider_id, UPSTREAM);
    let query = AuditQuery { action: Some("identity.link".into()), limit: 5, ..Default::default() };
    let audit = fed.down.admin().audit(&query).await.unwrap();
    let linked = audit.first().expect("audited");
    assert_eq!(linked.actor, format!("user:{}", ada.id), "as the user's own change");

    let elsewhere = Browser::new();
    let (reply, verifier) = fed.via_upstream(&elsewhere, "ada-up").await;
    let tokens = fed.finish(&elsewhere, &reply, &verifier).await;
    let (_, claims) = verify_with_jwks(&fed.down, tokens["id_token"].as_str().unwrap()).await;
    assert_eq!(claims["sub"], ada.id.as_str(), "the upstream alone signs ada in now");
    assert_eq!(fed.down_users().await, 1, "no account was created");
}

#[tokio::test]
async fn an_upstream_identity_another_account_has_is_not_linked_again() {
    let fed = Federation::start(|_| {}).await;
    let ada = fed.down.user("ada").await;
    let bob = fed.down.user("bob").await;
    fed.upstream_user("shared-up", "shared@example.com", false).await;
    for (who, expected) in [("ada", 303), ("bob", 409)] {
        let browser = Browser::new();
        let authorize = start_link(&fed, &browser, who).await;
        let callback = fed.at_upstream(&browser, &authorize, "shared-up").await;
        let answer = browser.get(&callback).await;
        assert_eq!(answer.status, expected, "{who}: {}", answer.body);
        if expected == 409 {
            assert!(answer.body.contains("linked to another account"), "{}", answer.body);
        }
    }
    assert_eq!(fed.down.admin().linked_identities(&ada.id).await.unwrap().len(), 1);
    assert!(fed.down.admin().linked_identities(&bob.id).await.unwrap().is_empty());
}

#[tokio::test]
async fn rfc9700_4_7_a_link_callback_in_another_browser_links_nothing() {
    let fed = Federation::start(|_| {}).await;
    let ada = fed.down.user("ada").await;
    fed.upstream_user("mallory-up", "mallory@example.com", false).await;
    let authorize = start_link(&fed, &Browser::new(), "ada").await;
    // Someone else completes the upstream sign-in and sends the callback elsewhere.
    let other = Browser::new();
    let callback = fed.at_upstream(&other, &authorize, "mallory-up").await;
    let refused = other.get(&callback).await;
    assert_eq!(refused.status, 403, "{}", refused.body);
    assert!(refused.body.contains("started by another sign-in"));
    assert!(fed.down.admin().linked_identities(&ada.id).await.unwrap().is_empty());
}
