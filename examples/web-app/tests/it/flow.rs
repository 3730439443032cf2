//! The web app over HTTP, with a cookie-keeping client walking Keygate's pages.

use keygate_core::Clock as _;
use keygate_core::client::{ClientMetadata, ClientSpec};
use keygate_testkit::{Auth, Browser, PASSWORD, form_field, location, query_param};

use crate::{setup, sign_in};

#[tokio::test]
async fn sign_in_uses_the_code_flow_with_pkce_and_the_profile_shows_the_id_token() {
    let s = setup().await;
    let browser = Browser::new();
    let home = browser.get(&s.url("/")).await;
    assert!(home.body.contains("href=\"/login\""), "{}", home.body);

    let start = browser.get(&s.url("/login")).await;
    let authorize = location(&start);
    assert!(authorize.starts_with(&s.app.url("/authorize?")), "{authorize}");
    assert_eq!(query_param(&authorize, "code_challenge_method").as_deref(), Some("S256"));
    assert_eq!(query_param(&authorize, "code_challenge").unwrap().len(), 43);
    assert!(
        query_param(&authorize, "state").is_some() && query_param(&authorize, "nonce").is_some()
    );
    assert_eq!(query_param(&authorize, "scope").as_deref(), Some(web_app::SCOPE));
    assert_eq!(query_param(&authorize, "resource").as_deref(), Some(crate::AUDIENCE));
    let cookie = start.header("set-cookie").unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Lax"), "{cookie}");

    let id = sign_in(&s, &browser).await;
    assert_eq!(id.len(), 43, "the cookie is a random id");
    let home = browser.get(&s.url("/")).await;
    assert!(home.body.contains("ada Example"), "{}", home.body);
    let profile = browser.get(&s.url("/profile")).await;
    assert_eq!(profile.status, 200);
    let issuer = s.app.issuer.replace('/', "&#x2f;"); // as HTML-escaped in the page
    for expected in [issuer.as_str(), s.client.id.as_str(), "ada@example.com", "nonce"] {
        assert!(profile.body.contains(expected), "{expected} missing: {}", profile.body);
    }
    assert_eq!(profile.header("cache-control"), Some("no-store"));
}

#[tokio::test]
async fn tokens_stay_on_the_server_sealed() {
    let s = setup().await;
    let browser = Browser::new();
    let id = sign_in(&s, &browser).await;
    let now = (s.app.clock.as_ref() as &dyn keygate_core::Clock).now();
    let session = s.webapp.sessions().load(&id, now).unwrap();
    let user = session.user.unwrap();
    let sealed = s.webapp.sessions().sealed_bytes(&id).unwrap();
    let secrets = [
        user.tokens.access_token.as_str(),
        user.tokens.refresh_token.as_deref().unwrap(),
        user.id_token.as_str(),
        "ada@example.com",
    ];
    for secret in secrets {
        let needle = &secret.as_bytes()[..16.min(secret.len())];
        assert!(!sealed.windows(needle.len()).any(|w| w == needle), "{secret} stored in clear");
        assert_ne!(id, secret);
    }
    // Pages never carry a token either.
    for path in ["/", "/profile", "/todos"] {
        let page = browser.get(&s.url(path)).await;
        assert!(!page.body.contains(&user.tokens.access_token), "{path}");
        assert!(!page.body.contains(user.tokens.refresh_token.as_deref().unwrap()), "{path}");
    }
}

#[tokio::test]
async fn todos_are_listed_and_added_through_todo_api_with_a_csrf_token() {
    let s = setup().await;
    let browser = Browser::new();
    assert_eq!(location(&browser.get(&s.url("/todos")).await), "/login", "sign in first");
    sign_in(&s, &browser).await;
    let page = browser.get(&s.url("/todos")).await;
    assert!(page.body.contains("Nothing to do yet"), "{}", page.body);
    let csrf = form_field(&page.body, "csrf").unwrap();

    let forged =
        browser.post_form(&s.url("/todos"), &[("csrf", "forged"), ("title", "Evil")]).await;
    assert_eq!(forged.status, 403);
    let added =
        browser.post_form(&s.url("/todos"), &[("csrf", &csrf), ("title", "Buy milk")]).await;
    assert_eq!(location(&added), "/todos");
    let page = browser.get(&s.url("/todos")).await;
    assert!(page.body.contains("Buy milk") && !page.body.contains("Evil"), "{}", page.body);
}

/// The current refresh token in the web app's session.
fn refresh_token(s: &crate::Setup, id: &str) -> String {
    let now = (s.app.clock.as_ref() as &dyn keygate_core::Clock).now();
    let session =
        s.webapp.sessions().load(id, now - s.lag.load(std::sync::atomic::Ordering::SeqCst));
    session.unwrap().user.unwrap().tokens.refresh_token.unwrap()
}

#[tokio::test]
async fn an_expired_access_token_is_refreshed_and_the_rotated_refresh_token_kept() {
    let s = setup().await;
    let browser = Browser::new();
    let id = sign_in(&s, &browser).await;
    let first = refresh_token(&s, &id);
    s.advance(3601); // past expires_in for the app, past exp for todo-api
    let page = browser.get(&s.url("/todos")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    let second = refresh_token(&s, &id);
    assert_ne!(first, second, "rotated");
    // Keygate revokes the whole grant when a used refresh token comes back after the grace
    // window: a second refresh works only if the app kept the new one.
    s.advance(3601);
    let page = browser.get(&s.url("/todos")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert_ne!(refresh_token(&s, &id), second);
}

#[tokio::test]
async fn a_401_from_todo_api_is_answered_with_one_refresh_and_a_retry() {
    let s = setup().await;
    let browser = Browser::new();
    let id = sign_in(&s, &browser).await;
    let first = refresh_token(&s, &id);
    // The app's clock stays behind: it believes the token is fresh; todo-api does not (past
    // its leeway too).
    s.set_lag(3700);
    s.advance(3700);
    let page = browser.get(&s.url("/todos")).await;
    assert_eq!(page.status, 200, "{}", page.body);
    assert!(page.body.contains("Nothing to do yet"), "{}", page.body);
    assert_ne!(refresh_token(&s, &id), first, "refreshed after the 401");
}

#[tokio::test]
async fn a_refused_refresh_sends_the_user_to_sign_in_again() {
    let s = setup().await;
    let metadata = ClientMetadata { refresh_token_ttl: Some(3600), ..Default::default() };
    let spec = ClientSpec { metadata: Some(metadata), ..Default::default() };
    s.app.admin().update_client(&s.client.id, spec).await.unwrap();
    s.app.provider.sync().await.unwrap();
    let browser = Browser::new();
    sign_in(&s, &browser).await;
    s.advance(3700); // the access token and the refresh token have both expired
    let page = browser.get(&s.url("/todos")).await;
    assert_eq!(location(&page), "/login");
    let home = browser.get(&s.url("/")).await;
    assert!(!home.body.contains("ada Example"), "signed out locally: {}", home.body);
}

#[tokio::test]
async fn sign_out_ends_the_local_and_the_keygate_session() {
    let s = setup().await;
    let browser = Browser::new();
    let id = sign_in(&s, &browser).await;
    let home = browser.get(&s.url("/")).await;
    let csrf = form_field(&home.body, "csrf").unwrap();
    let now = s.app.clock.now();
    let session = s.webapp.sessions().load(&id, now).unwrap();
    let refresh = session.user.unwrap().tokens.refresh_token.unwrap();
    let forged = browser.post_form(&s.url("/logout"), &[("csrf", "forged")]).await;
    assert_eq!(forged.status, 403, "no sign-out from another site");

    let out = browser.post_form(&s.url("/logout"), &[("csrf", &csrf)]).await;
    let end_session = location(&out);
    assert!(end_session.starts_with(&s.app.url("/logout?")), "{end_session}");
    assert!(query_param(&end_session, "id_token_hint").is_some());
    assert_eq!(query_param(&end_session, "post_logout_redirect_uri").unwrap(), s.url("/"));
    let state = query_param(&end_session, "state").unwrap();
    assert!(s.webapp.sessions().sealed_bytes(&id).is_none(), "the local session is gone");
    // RFC 7009: the app revoked its refresh token, so the grant is gone at Keygate too.
    let form = [("grant_type", "refresh_token"), ("refresh_token", refresh.as_str())];
    let auth = Auth::Basic(&s.client.id, &s.client.secret);
    s.app.post_form("/token", auth, &form).await.assert_oauth_error(400, "invalid_grant");

    let back = location(&browser.get(&end_session).await);
    assert_eq!(query_param(&back, "state").as_deref(), Some(state.as_str()), "{back}");
    let home = browser.get(&back).await;
    assert!(home.body.contains("You have signed out"), "{}", home.body);
    assert_eq!(location(&browser.get(&s.url("/todos")).await), "/login");

    // Signing in again asks for the password: Keygate's session ended too.
    let authorize = location(&browser.get(&s.url("/login")).await);
    let login = location(&browser.get(&authorize).await);
    assert!(login.starts_with(&s.app.url("/login")), "{login}");
    let page = browser.get(&login).await;
    assert!(page.body.contains("password"), "{}", page.body);
}

#[tokio::test]
async fn errors_from_keygate_and_forged_callbacks_show_a_page() {
    let s = setup().await;
    let browser = Browser::new();
    let unknown = browser.get(&s.url("/callback?code=x&state=y")).await;
    assert_eq!(unknown.status, 400);
    assert!(unknown.body.contains("does not belong"), "{}", unknown.body);

    let authorize = location(&browser.get(&s.url("/login")).await);
    let login = location(&browser.get(&authorize).await);
    let consent = location(&s.app.submit_login(&browser, &login, "ada", PASSWORD).await);
    let denied = location(&s.app.submit_consent(&browser, &consent, "deny").await);
    assert!(denied.starts_with(&s.url("/callback?")), "{denied}");
    let page = browser.get(&denied).await;
    assert_eq!(page.status, 400);
    assert!(
        page.body.contains("access_denied") && page.body.contains("Sign in again"),
        "{}",
        page.body
    );
    let replay = browser.get(&denied).await;
    assert!(replay.body.contains("does not belong"), "a pending sign-in is used once");
}
