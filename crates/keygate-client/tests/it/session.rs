//! Refresh shortly before expiry, rotation reuse leading to re-login, and logout (RFC 7009
//! revocation, RP-Initiated Logout URL, stored tokens deleted).

use std::sync::Arc;

use keygate_client::store::KdfParams;
use keygate_client::{
    Client, EncryptedFileStore, Error, FileKey, Passphrase, Session, TokenStore, Tokens,
};
use keygate_testkit::{TempDir, TestApp, TestClient};

use crate::support::{param, setup, sign_in};

/// A signed-in session over an encrypted file store (cheap Argon2 costs for speed).
struct SignedIn {
    app: TestApp,
    registered: TestClient,
    client: Client,
    store: Arc<EncryptedFileStore>,
    session: Session,
    first: Tokens,
    /// Kept alive: the token file lives in it.
    _dir: TempDir,
}

async fn signed_in() -> SignedIn {
    let (app, registered, client, _clock) = setup().await;
    let dir = TempDir::new("kgclient");
    let params = KdfParams { m_cost: 1024, t_cost: 1, p_cost: 1 };
    let key = FileKey::Passphrase(Passphrase::new("correct horse"), params);
    let store = Arc::new(EncryptedFileStore::with_key(dir.0.join("tokens.enc"), key).unwrap());
    let session = Session::new(client.clone(), store.clone());
    let first = sign_in(&app, &client).await;
    session.save(first.clone()).await.unwrap();
    SignedIn { app, registered, client, store, session, first, _dir: dir }
}

#[tokio::test]
async fn rfc6749_6_access_token_is_refreshed_shortly_before_expiry() {
    let SignedIn { app, store, session, first, _dir, .. } = signed_in().await;

    assert_eq!(session.access_token().await.unwrap(), first.access_token, "still fresh");
    app.clock.advance(3600 - 90);
    assert_eq!(session.access_token().await.unwrap(), first.access_token, "90 s left");
    app.clock.advance(40);
    let fresh = session.access_token().await.unwrap();
    assert_ne!(fresh, first.access_token, "50 s left: refreshed");
    let stored = store.load().unwrap().unwrap();
    assert_eq!(stored.access_token, fresh);
    assert_ne!(stored.refresh_token, first.refresh_token, "rotated");
    assert_eq!(stored.claims.as_ref().unwrap().sub, first.claims.as_ref().unwrap().sub);
    assert_eq!(session.access_token().await.unwrap(), fresh, "no second refresh");
}

#[tokio::test]
async fn rfc9700_4_14_2_rotation_reuse_leads_to_login_again() {
    let SignedIn { app, client, store, session, first, _dir, .. } = signed_in().await;
    session.refresh().await.unwrap();

    // Later (past Keygate's 10-second grace for racing tabs), someone presents the
    // rotated-out refresh token: Keygate revokes the whole grant.
    app.clock.advance(11);
    let reuse = client.refresh(&first).await.unwrap_err();
    assert!(matches!(reuse, Error::OAuth { .. }), "{reuse}");

    app.clock.advance(3600);
    let err = session.access_token().await.unwrap_err();
    assert!(err.is_login_required(), "{err}");
    let message = err.to_string();
    assert!(message.contains("please log in again"), "{message}");
    assert!(message.contains("refused the refresh token"), "{message}");
    assert!(store.load().unwrap().is_none(), "the dead tokens are deleted");
    assert!(session.access_token().await.unwrap_err().to_string().contains("not logged in"));
}

#[tokio::test]
async fn rfc7009_logout_revokes_the_refresh_token_and_deletes_the_tokens() {
    let SignedIn { app, registered, client, store, session, first: tokens, _dir } =
        signed_in().await;

    let logout = session.logout().await.unwrap();
    assert!(logout.was_signed_in);
    logout.revocation.unwrap();
    assert!(store.load().unwrap().is_none());
    let url = logout.end_session_url.unwrap().to_string();
    assert!(url.starts_with(&app.url("/logout?")) || url.contains("logout"), "{url}");
    assert_eq!(param(&url, "id_token_hint"), tokens.id_token);
    assert_eq!(param(&url, "client_id").as_deref(), Some(registered.id.as_str()));

    let refreshed = client.refresh(&tokens).await.unwrap_err();
    assert!(matches!(refreshed, Error::OAuth { .. }), "{refreshed}");
    assert!(client.userinfo(&tokens).await.is_err(), "the grant is revoked");
}

#[tokio::test]
async fn rfc9700_4_14_2_concurrent_refreshes_share_one_rotation() {
    // Two processes (here: two sessions) sharing the token file find the access token expired
    // at once. The store's lock makes the second wait and reuse the first's refresh, instead
    // of presenting the rotated-out refresh token (which Keygate would treat as theft once its
    // grace window has passed).
    let SignedIn { app, client, store, session, first, _dir, .. } = signed_in().await;
    let other = Session::new(client.clone(), store.clone());
    app.clock.advance(3600);
    let (a, b) = tokio::join!(session.access_token(), other.access_token());
    let (a, b) = (a.unwrap(), b.unwrap());
    assert_ne!(a, first.access_token);
    assert_eq!(a, b, "one refresh, shared");
    // The grant is alive: the next refresh works.
    app.clock.advance(3600);
    session.access_token().await.unwrap();
}
