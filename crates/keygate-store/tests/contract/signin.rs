//! Contract tests of the sign-in stores.

use keygate_core::secret::SecretHash;
use keygate_core::store::UserStore;
use keygate_core::store::{
    AuthRequestStore, AuthorizationCode, ClientStore, ConsentStore, Consumed, Grant, GrantStore,
    MaintenanceStore, PendingRequest, RefreshToken, RevocationStore, Session, SessionStore,
    ThrottleStore,
};
use keygate_store::SqlStore;

pub async fn sessions_round_trip(store: SqlStore) {
    let session = Session {
        sid: "sid-1".into(),
        user_id: "u1".into(),
        auth_time: 10,
        amr: vec!["fed".into()],
        created_at: 10,
        expires_at: 1000,
        idp: Some("corp".into()),
    };
    let hash = SecretHash::of("cookie");
    store.insert_session(&hash, &session).await.unwrap();
    assert_eq!(store.find_session(&hash).await.unwrap(), Some(session));
    assert_eq!(store.find_session(&SecretHash::of("other")).await.unwrap(), None);
    assert!(store.delete_session("sid-1").await.unwrap());
    assert_eq!(store.find_session(&hash).await.unwrap(), None);
}

pub async fn pending_requests_round_trip(store: SqlStore) {
    let r = PendingRequest {
        id: "req-1".into(),
        browser_hash: SecretHash::of("browser"),
        request: "{}".into(),
        expires_at: 99,
    };
    store.insert_auth_request(&r).await.unwrap();
    assert_eq!(store.find_auth_request("req-1").await.unwrap(), Some(r));
    store.delete_auth_request("req-1").await.unwrap();
    assert_eq!(store.find_auth_request("req-1").await.unwrap(), None);
}

pub fn grant(id: &str) -> Grant {
    Grant {
        id: id.into(),
        client_id: "c".into(),
        user_id: "u".into(),
        scope: vec!["openid".into(), "email".into()],
        resources: vec!["https://api.example/".into()],
        claims: Some(r#"{"userinfo":{}}"#.into()),
        sid: Some("sid".into()),
        auth_time: 5,
        amr: vec!["pwd".into()],
        created_at: 6,
        revoked_at: None,
        authorization_details: vec![keygate_core::authorization_details::AuthorizationDetail {
            kind: "folder_access".into(),
            locations: vec!["https://api.example/folders/a".into()],
            actions: vec!["read".into()],
        }],
        idp: Some("corp".into()),
    }
}

fn code(grant_id: &str) -> AuthorizationCode {
    AuthorizationCode {
        grant_id: grant_id.into(),
        client_id: "c".into(),
        redirect_uri: "https://app.example/cb".into(),
        code_challenge: Some("challenge".into()),
        nonce: None,
        dpop_jkt: None,
        expires_at: 70,
    }
}

pub async fn codes_are_consumed_once(store: SqlStore) {
    let hash = SecretHash::of("code");
    store.insert_code(&hash, &code("g1")).await.unwrap();
    let other_client = store.consume_code(&hash, "other", 19).await.unwrap();
    assert_eq!(other_client, Consumed::AlreadyUsed(code("g1")), "another client consumes nothing");
    assert_eq!(store.consume_code(&hash, "c", 20).await.unwrap(), Consumed::Fresh(code("g1")));
    let again = store.consume_code(&hash, "c", 21).await.unwrap();
    assert_eq!(again, Consumed::AlreadyUsed(code("g1")));
    let nope = store.consume_code(&SecretHash::of("nope"), "c", 21).await.unwrap();
    assert_eq!(nope, Consumed::Missing);
}

pub async fn a_new_grant_is_stored_with_its_first_code(store: SqlStore) {
    let hash = SecretHash::of("first");
    store.insert_grant_with_code(&grant("g9"), &hash, &code("g9")).await.unwrap();
    assert_eq!(store.find_grant("g9").await.unwrap(), Some(grant("g9")));
    assert_eq!(store.consume_code(&hash, "c", 20).await.unwrap(), Consumed::Fresh(code("g9")));
    // A code whose hash is taken stores nothing more on SQLite, where both go in one commit.
    let again = store.insert_grant_with_code(&grant("g10"), &hash, &code("g10")).await;
    assert!(again.is_err());
}

pub async fn concurrent_code_consumption_has_one_winner(store: SqlStore) {
    let hash = SecretHash::of("race");
    store.insert_code(&hash, &code("g2")).await.unwrap();
    let (a, b, c) = tokio::join!(
        store.consume_code(&hash, "c", 1),
        store.consume_code(&hash, "c", 1),
        store.consume_code(&hash, "c", 1)
    );
    let fresh = [a.unwrap(), b.unwrap(), c.unwrap()]
        .iter()
        .filter(|r| matches!(r, Consumed::Fresh(_)))
        .count();
    assert_eq!(fresh, 1);
}

/// RFC 7523 §3 item 7: a client assertion's `jti` is accepted once, even under concurrency.
pub async fn concurrent_jti_records_have_one_winner(store: SqlStore) {
    let mut racers = tokio::task::JoinSet::new();
    for _ in 0..40 {
        let store = store.clone();
        racers.spawn(async move { store.revoke_jti("assertion:c:j1", "c", 100).await.unwrap() });
    }
    let firsts = racers.join_all().await.into_iter().filter(|first| *first).count();
    assert_eq!(firsts, 1);
}

pub async fn refresh_tokens_rotate_once_for_their_client(store: SqlStore) {
    let token = RefreshToken {
        grant_id: "g".into(),
        client_id: "c".into(),
        scope: vec!["openid".into(), "offline_access".into()],
        created_at: 1,
        expires_at: 100,
        used_at: None,
        successor: None,
        superseded_at: None,
        dpop_jkt: None,
    };
    let (hash, next) = (SecretHash::of("rt"), SecretHash::of("rt2"));
    store.insert_refresh_token(&hash, &token).await.unwrap();
    assert_eq!(store.find_refresh_token(&hash).await.unwrap(), Some(token.clone()));
    let successor = RefreshToken { created_at: 5, expires_at: 105, ..token.clone() };
    let with_successor = (&next, Some(&successor));
    let other_client = store.rotate_refresh_token(&hash, "other", with_successor, 4).await.unwrap();
    assert_eq!(
        other_client,
        Consumed::AlreadyUsed(token.clone()),
        "another client consumes nothing"
    );
    assert_eq!(store.find_refresh_token(&next).await.unwrap(), None, "nor stores a successor");
    let used = RefreshToken { used_at: Some(5), successor: Some(next.clone()), ..token };
    let rotated = store.rotate_refresh_token(&hash, "c", with_successor, 5).await.unwrap();
    assert_eq!(rotated, Consumed::Fresh(used.clone()));
    assert_eq!(store.find_refresh_token(&next).await.unwrap(), Some(successor.clone()));
    let rt3 = SecretHash::of("rt3");
    let again = store.rotate_refresh_token(&hash, "c", (&rt3, Some(&successor)), 6).await.unwrap();
    assert_eq!(again, Consumed::AlreadyUsed(used.clone()));
    assert_eq!(store.find_refresh_token(&rt3).await.unwrap(), None);
    let without = store.rotate_refresh_token(&next, "c", (&rt3, None), 7).await.unwrap();
    assert!(matches!(without, Consumed::Fresh(_)), "a rotation may store no successor");
    assert_eq!(store.find_refresh_token(&rt3).await.unwrap(), None);
    assert_eq!(store.find_refresh_token(&hash).await.unwrap(), Some(used));
    assert_eq!(store.find_refresh_token(&SecretHash::of("other")).await.unwrap(), None);
}

/// The refresh grant's one read: token, grant and user joined, each missing part `None`.
pub async fn refresh_tokens_are_read_with_their_grant_and_user(store: SqlStore) {
    let token = |grant: &str| RefreshToken {
        grant_id: grant.into(),
        client_id: "c".into(),
        scope: vec!["openid".into()],
        created_at: 1,
        expires_at: 100,
        used_at: None,
        successor: Some(SecretHash::of("next")),
        superseded_at: None,
        dpop_jkt: None,
    };
    let u = super::user("u", "ann", "ann@example.com");
    store.insert_user(&u).await.unwrap();
    store.insert_grant(&grant("g")).await.unwrap();
    let orphan = Grant { user_id: "gone".into(), ..grant("g2") };
    store.insert_grant(&orphan).await.unwrap();
    for (hash, of) in [("r1", "g"), ("r2", "g2"), ("r3", "purged")] {
        store.insert_refresh_token(&SecretHash::of(hash), &token(of)).await.unwrap();
    }
    let full = store.find_refresh_with_grant(&SecretHash::of("r1")).await.unwrap().unwrap();
    assert_eq!(full, (token("g"), Some((grant("g"), Some(u.clone())))));
    let no_user = store.find_refresh_with_grant(&SecretHash::of("r2")).await.unwrap().unwrap();
    assert_eq!(no_user, (token("g2"), Some((orphan.clone(), None))));
    let no_grant = store.find_refresh_with_grant(&SecretHash::of("r3")).await.unwrap().unwrap();
    assert_eq!(no_grant, (token("purged"), None));
    assert_eq!(store.find_refresh_with_grant(&SecretHash::of("r4")).await.unwrap(), None);
    assert_eq!(store.find_grant_with_user("g").await.unwrap(), Some((grant("g"), Some(u))));
    assert_eq!(store.find_grant_with_user("g2").await.unwrap(), Some((orphan, None)));
    assert_eq!(store.find_grant_with_user("nope").await.unwrap(), None);
}

/// RFC 9700 §4.14.2: a reuse inside the grace window retires the successor, stored or not yet
/// stored, and fails once the successor itself was used.
pub async fn refresh_token_successors_are_replaced_atomically(store: SqlStore) {
    let token = |used_at: Option<i64>, successor: Option<&str>| RefreshToken {
        grant_id: "g".into(),
        client_id: "c".into(),
        scope: vec!["offline_access".into()],
        created_at: 1,
        expires_at: 100,
        used_at,
        successor: successor.map(SecretHash::of),
        superseded_at: None,
        dpop_jkt: None,
    };
    let h = SecretHash::of;
    store.insert_refresh_token(&h("r1"), &token(Some(5), Some("r2"))).await.unwrap();
    store.insert_refresh_token(&h("r2"), &token(None, None)).await.unwrap();
    assert!(store.replace_refresh_successor(&h("r1"), &h("r2"), &h("r3"), 6).await.unwrap());
    let r2 = store.find_refresh_token(&h("r2")).await.unwrap().unwrap();
    assert_eq!((r2.used_at, r2.superseded_at), (Some(6), Some(6)), "r2 retired");
    assert!(!store.replace_refresh_successor(&h("r1"), &h("r2"), &h("r4"), 7).await.unwrap());
    // r3's rotation has not stored it yet: it is stored retired, and stays so when it arrives.
    assert!(store.replace_refresh_successor(&h("r1"), &h("r3"), &h("r5"), 7).await.unwrap());
    store.insert_refresh_token(&h("r3"), &token(None, None)).await.unwrap();
    assert_eq!(store.find_refresh_token(&h("r3")).await.unwrap().unwrap().superseded_at, Some(7));
    // r5 was used (the chain moved on): r1 can no longer take it over.
    store.insert_refresh_token(&h("r5"), &token(Some(8), Some("r6"))).await.unwrap();
    assert!(!store.replace_refresh_successor(&h("r1"), &h("r5"), &h("r7"), 9).await.unwrap());
    let r1 = store.find_refresh_token(&h("r1")).await.unwrap().unwrap();
    assert_eq!(r1.successor, Some(h("r5")), "a failed replacement changes nothing");
}

pub async fn grants_are_revoked(store: SqlStore) {
    store.insert_grant(&grant("g1")).await.unwrap();
    assert_eq!(store.find_grant("g1").await.unwrap(), Some(grant("g1")));
    store.revoke_grant("g1", 50).await.unwrap();
    store.revoke_grant("g1", 60).await.unwrap();
    assert_eq!(store.find_grant("g1").await.unwrap().unwrap().revoked_at, Some(50));
}

/// `keygate_core::revocation_watch`: every revocation committed after a feed starts reaches it,
/// whichever connection made it; replay keys of client assertions do not.
pub async fn revocations_reach_the_feed(store: SqlStore) {
    use keygate_core::store::{RevocationStore, Revoked};
    store.revoke_jti("before", "c", 100).await.unwrap();
    let mut feed = store.revocation_feed().await.unwrap();
    let other = store.clone(); // writes from the pool; the PostgreSQL listener has its own
    other.revoke_jti("assertion:c:j", "c", 100).await.unwrap();
    other.revoke_jti("t1", "c", 100).await.unwrap();
    other.revoke_jti("t1", "c", 100).await.unwrap();
    store.insert_grant(&grant("g1")).await.unwrap();
    store.insert_grant(&grant("g2")).await.unwrap();
    other.revoke_grant("g1", 50).await.unwrap();
    other.revoke_grant("g1", 60).await.unwrap();
    other.revoke_user_grants("u", Some("c"), 70).await.unwrap();
    let mut seen = Vec::new();
    for _ in 0..3 {
        let next = tokio::time::timeout(std::time::Duration::from_secs(5), feed.next());
        seen.push(next.await.expect("a revocation within 5 s").unwrap());
    }
    assert_eq!(
        seen,
        [Revoked::Token("t1".into()), Revoked::Grant("g1".into()), Revoked::Grant("g2".into())]
    );
    let more = tokio::time::timeout(std::time::Duration::from_millis(600), feed.next()).await;
    assert!(more.is_err(), "nothing else: {more:?}");
}

pub async fn consents_are_replaced(store: SqlStore) {
    assert_eq!(store.find_consent("u", "c", i64::MIN).await.unwrap(), None);
    store.save_consent("u", "c", &["openid".into()], 1).await.unwrap();
    store.save_consent("u", "c", &["openid".into(), "email".into()], 2).await.unwrap();
    assert_eq!(
        store.find_consent("u", "c", i64::MIN).await.unwrap(),
        Some(vec!["openid".into(), "email".into()])
    );
}

/// A consent given at 10 has expired for a lookup that wants one given after 10, and is purged
/// once consents expire at 10; without a consent lifetime it stays.
pub async fn consents_expire_and_leave_with_their_client(store: SqlStore) {
    store.save_consent("u", "c", &["openid".into()], 10).await.unwrap();
    store.save_consent("u2", "c", &["openid".into()], 20).await.unwrap();
    assert!(store.find_consent("u", "c", 9).await.unwrap().is_some());
    assert_eq!(store.find_consent("u", "c", 10).await.unwrap(), None, "expired");
    assert_eq!(store.purge_expired(&cutoffs(100, None), 10).await.unwrap(), Some(0));
    assert_eq!(store.purge_expired(&cutoffs(100, Some(10)), 10).await.unwrap(), Some(1));
    assert!(store.consents_for_user("u").await.unwrap().is_empty());
    assert_eq!(store.consents_for_user("u2").await.unwrap().len(), 1);

    store.insert_client(&crate::client("c")).await.unwrap();
    store.insert_grant(&grant("of-c")).await.unwrap();
    assert!(store.delete_client("c", 1).await.unwrap());
    assert!(store.consents_for_user("u2").await.unwrap().is_empty(), "gone with the client");
    let revoked = store.find_grant("of-c").await.unwrap().unwrap().revoked_at;
    assert_eq!(revoked, Some(1), "its grants are revoked with it");
}

/// RFC 9700 §4.11.2: a client with `unused_until` is purged at that time like a deleted client,
/// unless it was marked used; marking it used moves the revision once.
pub async fn unused_clients_are_purged_unless_used(store: SqlStore) {
    use keygate_core::store::Store;
    let mut unused = crate::client("unused");
    unused.unused_until = Some(200);
    store.insert_client(&unused).await.unwrap();
    let mut used = crate::client("used");
    used.unused_until = Some(200);
    store.insert_client(&used).await.unwrap();
    store.insert_client(&crate::client("kept")).await.unwrap();
    store.insert_grant(&Grant { client_id: "unused".into(), ..grant("of-unused") }).await.unwrap();
    assert_eq!(store.find_client("unused").await.unwrap().unwrap().unused_until, Some(200));

    let before = store.revision().await.unwrap();
    store.mark_client_used("used").await.unwrap();
    assert_eq!(store.find_client("used").await.unwrap().unwrap().unused_until, None);
    let marked = store.revision().await.unwrap();
    assert!(marked > before, "cached copies reload");
    store.mark_client_used("used").await.unwrap();
    assert_eq!(store.revision().await.unwrap(), marked, "a second mark changes nothing");
    // An update never brings a deadline back.
    store.update_client(&used).await.unwrap();
    assert_eq!(store.find_client("used").await.unwrap().unwrap().unused_until, None);

    assert_eq!(store.purge_expired(&cutoffs(199, None), 10).await.unwrap(), Some(0));
    assert_eq!(store.purge_expired(&cutoffs(200, None), 10).await.unwrap(), Some(1));
    assert_eq!(store.find_client("unused").await.unwrap(), None);
    let revoked = store.find_grant("of-unused").await.unwrap().unwrap().revoked_at;
    assert_eq!(revoked, Some(200), "deleted like any client: its grants end");
    assert!(store.find_client("used").await.unwrap().is_some());
    assert!(store.find_client("kept").await.unwrap().is_some());
    assert!(store.revision().await.unwrap() > marked, "every node forgets it");
}

/// Cutoffs at `now` with the standard code grace and throttle window.
pub fn cutoffs(now: i64, consent: Option<i64>) -> keygate_core::store::Cutoffs {
    keygate_core::store::Cutoffs {
        now,
        grace: now - 3600,
        throttle: 50,
        consent,
        signin_log: 50,
        document_clients: 50,
    }
}

pub async fn throttle_counts_within_a_window(store: SqlStore) {
    assert_eq!(store.record_failure("k", 100, 0).await.unwrap(), 1);
    assert_eq!(store.record_failure("k", 101, 0).await.unwrap(), 2);
    assert_eq!(store.failures("k", 0).await.unwrap(), 2);
    // A window that started at or before `window_start_after` is over: counting starts again.
    assert_eq!(store.failures("k", 100).await.unwrap(), 0);
    assert_eq!(store.record_failure("k", 1000, 100).await.unwrap(), 1);
    assert_eq!(store.record_failure("k", 1001, 100).await.unwrap(), 2);
    store.release_attempt("k").await.unwrap();
    assert_eq!(store.failures("k", 100).await.unwrap(), 1);
    store.clear_failures("k").await.unwrap();
    assert_eq!(store.failures("k", 0).await.unwrap(), 0);
}

pub async fn device_codes_are_decided_once(store: SqlStore) {
    use keygate_core::store::{DeviceAuthorization, DeviceStatus, DeviceStore};
    let device = DeviceAuthorization {
        user_code: "BCDFGHJK".into(),
        client_id: "c".into(),
        scope: vec!["openid".into()],
        resources: vec!["https://api.example/".into()],
        expires_at: 100,
        interval: 5,
        last_polled_at: None,
        status: DeviceStatus::Pending,
    };
    let hash = SecretHash::of("device-code");
    store.insert_device_code(&hash, &device).await.unwrap();
    assert_eq!(store.find_device_code(&hash).await.unwrap(), Some(device.clone()));
    let (found_hash, found) = store.find_device_by_user_code("BCDFGHJK").await.unwrap().unwrap();
    assert_eq!((found_hash.as_bytes(), &found), (hash.as_bytes(), &device));
    store.record_device_poll(&hash, 7, 10).await.unwrap();
    let polled = store.find_device_code(&hash).await.unwrap().unwrap();
    assert_eq!((polled.last_polled_at, polled.interval), (Some(7), 10));
    let approved = DeviceStatus::Approved { grant_id: "g".into() };
    assert!(store.decide_device_code(&hash, &approved).await.unwrap());
    assert!(!store.decide_device_code(&hash, &DeviceStatus::Denied).await.unwrap(), "once");
    assert_eq!(store.find_device_code(&hash).await.unwrap().unwrap().status, approved);
    assert!(store.delete_device_code(&hash).await.unwrap());
    assert!(!store.delete_device_code(&hash).await.unwrap(), "tokens are issued once");
    assert_eq!(store.find_device_by_user_code("BCDFGHJK").await.unwrap(), None);
}

pub async fn expired_rows_are_purged_in_batches(store: SqlStore) {
    use keygate_core::store::MaintenanceStore;
    let session = |sid: &str, expires_at: i64| Session {
        sid: sid.into(),
        user_id: "u".into(),
        auth_time: 0,
        amr: vec![],
        created_at: 0,
        expires_at,
        idp: None,
    };
    for (i, expires_at) in [10, 20, 1000].into_iter().enumerate() {
        let hash = SecretHash::of(&format!("s{i}"));
        store.insert_session(&hash, &session(&format!("sid{i}"), expires_at)).await.unwrap();
    }
    let token = RefreshToken {
        grant_id: "g".into(),
        client_id: "c".into(),
        scope: vec![],
        created_at: 0,
        expires_at: 50,
        used_at: None,
        successor: None,
        superseded_at: None,
        dpop_jkt: None,
    };
    store.insert_refresh_token(&SecretHash::of("old"), &token).await.unwrap();
    store.insert_code(&SecretHash::of("code"), &code("g")).await.unwrap();
    store.record_failure("ip:1", 5, 0).await.unwrap();
    store.insert_grant(&grant("live")).await.unwrap();
    store.insert_grant(&grant("revoked")).await.unwrap();
    store.revoke_grant("revoked", 90).await.unwrap();

    // At 100, with one row per table per run: one session, the refresh token, the throttle
    // window; the code is kept for the grace period (its expiry plus 3600).
    let first = store.purge_expired(&cutoffs(100, None), 1).await.unwrap();
    assert_eq!(first, Some(3));
    assert_eq!(
        store.purge_expired(&cutoffs(100, None), 1).await.unwrap(),
        Some(1),
        "the next session"
    );
    assert_eq!(store.purge_expired(&cutoffs(100, None), 1).await.unwrap(), Some(0));
    assert!(store.find_session(&SecretHash::of("s2")).await.unwrap().is_some(), "still valid");
    assert_eq!(store.find_refresh_token(&SecretHash::of("old")).await.unwrap(), None);
    // Later: the code and the grant revoked more than the grace period ago; live grants stay.
    assert_eq!(store.purge_expired(&cutoffs(100_000, None), 10).await.unwrap(), Some(3));
    assert_eq!(store.find_grant("revoked").await.unwrap(), None);
    assert!(store.find_grant("live").await.unwrap().is_some());
}
