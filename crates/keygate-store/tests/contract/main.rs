//! The storage contract: every backend must pass every test here. Each test runs once on a
//! temporary SQLite file and once on a fresh PostgreSQL database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use keygate_core::client::{AuthMethod, Client, ClientType, GrantType};
use keygate_core::keys::{MasterKey, SigningAlg, StoredKey};
use keygate_core::secret::SecretHash;
#[allow(unused_imports)]
use keygate_core::store::{
    AuthRequestStore, ConsentStore, GrantStore, SessionStore, ThrottleStore,
};
use keygate_core::store::{
    ClientStore, KeyInsert, KeyStore, RevocationStore, Store, StoreError, UserStore,
};
use keygate_core::user::User;
use keygate_store::SqlStore;
use keygate_testkit::{Backend, test_store};

/// Runs `$body(store)` on each backend as two tests.
macro_rules! contract {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test]
            async fn sqlite() {
                let (store, _guard) = keygate_testkit::test_store(keygate_testkit::Backend::Sqlite)
                    .await
                    .unwrap();
                super::$name(store).await;
            }
            #[tokio::test]
            async fn postgres() {
                if let Some((store, _guard)) =
                    keygate_testkit::test_store(keygate_testkit::Backend::Postgres).await
                {
                    super::$name(store).await;
                }
            }
        }
    )*};
}

contract!(
    clients_round_trip,
    client_ids_are_unique,
    client_writes_bump_the_revision,
    users_round_trip_and_lookup,
    usernames_and_emails_are_unique_without_case,
    one_active_key_per_algorithm,
    rotation_retires_the_previous_key,
    revocations_are_idempotent,
    migrations_are_idempotent,
    pool_use_reports_the_pool,
    sessions_round_trip,
    pending_requests_round_trip,
    codes_are_consumed_once,
    a_new_grant_is_stored_with_its_first_code,
    concurrent_code_consumption_has_one_winner,
    concurrent_jti_records_have_one_winner,
    refresh_tokens_rotate_once_for_their_client,
    refresh_tokens_are_read_with_their_grant_and_user,
    refresh_token_successors_are_replaced_atomically,
    device_codes_are_decided_once,
    expired_rows_are_purged_in_batches,
    grants_are_revoked,
    revocations_reach_the_feed,
    consents_are_replaced,
    consents_expire_and_leave_with_their_client,
    unused_clients_are_purged_unless_used,
    throttle_counts_within_a_window,
    apis_round_trip_with_unique_identifiers,
    audit_log_filters_and_pages_newest_first,
    users_are_searched_and_paged,
    user_sessions_consents_and_grants_are_listed_and_revoked,
    initial_access_tokens_expire,
    upstreams_round_trip_and_bump_the_revision,
    linked_identities_are_unique_and_leave_with_their_user,
    federation_states_are_taken_once,
    signin_log_filters_pages_and_expires,
    a_totp_step_is_accepted_once_and_factors_leave_with_their_user,
    document_clients_are_noted_counted_and_forgotten,
    a_block_revokes_the_grants_and_consents_it_covers,
);

mod admin;
mod documents;
mod federation;
mod mfa;
mod signin;
use admin::*;
use documents::*;
use federation::*;
use mfa::*;
use signin::*;

fn client(id: &str) -> Client {
    Client {
        client_id: id.to_owned(),
        name: "Demo".to_owned(),
        client_type: ClientType::Web,
        secret_hash: Some(SecretHash::of("s3cret")),
        auth_method: AuthMethod::ClientSecretBasic,
        redirect_uris: vec!["https://app.example/cb".to_owned()],
        post_logout_redirect_uris: vec!["https://app.example/".to_owned()],
        grant_types: vec![GrantType::AuthorizationCode, GrantType::RefreshToken],
        scopes: vec!["openid".to_owned(), "todo:read".to_owned()],
        resources: vec!["https://api.example/".to_owned()],
        first_party: true,
        id_token_alg: Some(SigningAlg::EdDSA),
        backchannel_logout_uri: Some("https://app.example/bcl".to_owned()),
        metadata: keygate_core::client::ClientMetadata {
            logo_uri: Some("https://app.example/logo.png".to_owned()),
            web_origins: vec!["https://app.example".to_owned()],
            access_token_ttl: Some(600),
            ..Default::default()
        },
        registration_token_hash: Some(SecretHash::of("rat")),
        unused_until: None,
        created_at: 100,
        updated_at: 100,
    }
}

fn user(id: &str, username: &str, email: &str) -> User {
    User {
        id: id.to_owned(),
        username: username.to_owned(),
        email: email.to_owned(),
        email_verified: true,
        name: Some("Ada Lovelace".to_owned()),
        given_name: Some("Ada".to_owned()),
        family_name: None,
        password_hash: Some("$argon2id$...".to_owned()),
        disabled: false,
        require_mfa: false,
        roles: vec!["admin".to_owned()],
        claims: serde_json::json!({"locale": "en-GB"}).as_object().cloned().unwrap(),
        created_at: 1,
        updated_at: 2,
    }
}

async fn clients_round_trip(store: SqlStore) {
    let mut c = client("app-1");
    store.insert_client(&c).await.unwrap();
    assert_eq!(store.find_client("app-1").await.unwrap(), Some(c.clone()));
    c.name = "Renamed".to_owned();
    c.secret_hash = None;
    c.first_party = false;
    c.id_token_alg = None;
    c.backchannel_logout_uri = None;
    c.metadata = Default::default();
    c.registration_token_hash = None;
    assert!(store.update_client(&c).await.unwrap());
    assert_eq!(store.find_client("app-1").await.unwrap(), Some(c.clone()));
    store.insert_client(&client("app-0")).await.unwrap();
    let ids: Vec<String> =
        store.list_clients().await.unwrap().into_iter().map(|c| c.client_id).collect();
    assert_eq!(ids, ["app-0", "app-1"]);
    assert!(store.delete_client("app-1", 1).await.unwrap());
    assert!(!store.delete_client("app-1", 1).await.unwrap());
    assert_eq!(store.find_client("app-1").await.unwrap(), None);
    assert!(!store.update_client(&c).await.unwrap());
}

async fn client_ids_are_unique(store: SqlStore) {
    store.insert_client(&client("dup")).await.unwrap();
    let err = store.insert_client(&client("dup")).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
}

async fn client_writes_bump_the_revision(store: SqlStore) {
    let r0 = store.revision().await.unwrap();
    store.insert_client(&client("a")).await.unwrap();
    let r1 = store.revision().await.unwrap();
    store.update_client(&client("a")).await.unwrap();
    let r2 = store.revision().await.unwrap();
    store.delete_client("a", 1).await.unwrap();
    let r3 = store.revision().await.unwrap();
    assert!(r0 < r1 && r1 < r2 && r2 < r3);
}

async fn users_round_trip_and_lookup(store: SqlStore) {
    let mut u = user("u1", "Ada", "Ada@Example.com");
    store.insert_user(&u).await.unwrap();
    for login in ["u1", "ada", "ADA", "ada@example.com"] {
        assert_eq!(store.find_user(login).await.unwrap(), Some(u.clone()), "{login}");
    }
    assert_eq!(store.find_user("nobody").await.unwrap(), None);
    u.disabled = true;
    u.email_verified = false;
    u.name = None;
    assert!(store.update_user(&u).await.unwrap());
    assert_eq!(store.find_user("u1").await.unwrap(), Some(u.clone()));
    store.insert_user(&user("u0", "bob", "bob@example.com")).await.unwrap();
    let names: Vec<String> =
        store.list_users().await.unwrap().into_iter().map(|u| u.username).collect();
    assert_eq!(names, ["Ada", "bob"]);
    // Usernames by id in one query: unknown ids are left out, a username is not an id.
    let mut found = store.usernames(&["u0", "u1", "nobody", "bob"]).await.unwrap();
    found.sort();
    assert_eq!(found, [("u0".into(), "bob".into()), ("u1".into(), "Ada".into())]);
    assert!(store.usernames(&[]).await.unwrap().is_empty());
    let many: Vec<String> = (0..140).map(|n| format!("x{n}")).collect();
    let mut ids: Vec<&str> = many.iter().map(String::as_str).collect();
    ids.push("u0");
    assert_eq!(store.usernames(&ids).await.unwrap(), [("u0".into(), "bob".into())]);
    assert!(store.delete_user("u1").await.unwrap());
    assert!(!store.delete_user("u1").await.unwrap());
}

async fn usernames_and_emails_are_unique_without_case(store: SqlStore) {
    store.insert_user(&user("u1", "ada", "ada@example.com")).await.unwrap();
    let same_name = store.insert_user(&user("u2", "ADA", "other@example.com")).await;
    assert!(matches!(same_name, Err(StoreError::Conflict(_))));
    let same_email = store.insert_user(&user("u3", "other", "ADA@example.com")).await;
    assert!(matches!(same_email, Err(StoreError::Conflict(_))));
}

fn master() -> MasterKey {
    MasterKey::from_base64("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=").unwrap()
}

async fn one_active_key_per_algorithm(store: SqlStore) {
    let first = StoredKey::generate(SigningAlg::ES256, &master(), 10).unwrap();
    store.insert_key(&first, KeyInsert::First).await.unwrap();
    let second = StoredKey::generate(SigningAlg::ES256, &master(), 11).unwrap();
    let err = store.insert_key(&second, KeyInsert::First).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    let other_alg = StoredKey::generate(SigningAlg::EdDSA, &master(), 12).unwrap();
    store.insert_key(&other_alg, KeyInsert::First).await.unwrap();
    let keys = store.list_keys().await.unwrap();
    assert_eq!(keys, vec![other_alg, first], "newest first, stored exactly");
}

async fn rotation_retires_the_previous_key(store: SqlStore) {
    let r0 = store.revision().await.unwrap();
    let old = StoredKey::generate(SigningAlg::ES256, &master(), 10).unwrap();
    store.insert_key(&old, KeyInsert::First).await.unwrap();
    let new = StoredKey::generate(SigningAlg::ES256, &master(), 20).unwrap();
    store.insert_key(&new, KeyInsert::Rotate { now: 20 }).await.unwrap();
    let keys = store.list_keys().await.unwrap();
    assert_eq!(keys[0].kid, new.kid);
    assert_eq!(keys[0].retired_at, None);
    assert_eq!(keys[1].kid, old.kid);
    assert_eq!(keys[1].retired_at, Some(20));
    assert!(store.revision().await.unwrap() >= r0 + 2);
}

async fn revocations_are_idempotent(store: SqlStore) {
    assert!(!store.is_jti_revoked("j1").await.unwrap());
    assert!(store.revoke_jti("j1", "c", 100).await.unwrap(), "first");
    assert!(!store.revoke_jti("j1", "c", 100).await.unwrap(), "recorded before");
    assert!(store.is_jti_revoked("j1").await.unwrap());
    assert!(!store.is_jti_revoked("j2").await.unwrap());
}

async fn migrations_are_idempotent(store: SqlStore) {
    assert_eq!(store.migrate().await.unwrap(), 0);
}

/// The pool gauges of `/metrics`: the test stores open at most 4 connections.
async fn pool_use_reports_the_pool(store: SqlStore) {
    store.revision().await.unwrap();
    let pool = store.pool_use().unwrap();
    assert_eq!(pool.max, 4);
    assert!(pool.size >= 1 && pool.size <= 4 && pool.idle <= pool.size, "{pool:?}");
}

#[tokio::test]
async fn postgres_is_reachable_in_ci() {
    // Fails under CI=true when PostgreSQL is down; reports a skip elsewhere.
    let available = keygate_testkit::postgres_available().await;
    if available {
        let (store, _guard) = test_store(Backend::Postgres).await.unwrap();
        assert_eq!(Store::backend(&store), "postgres");
    }
}
