//! Contract tests of the administration stores: APIs, the audit log, user search, a user's
//! sessions and consents, initial access tokens.

use std::collections::BTreeMap;

use keygate_core::api::{Api, ApiScope};
use keygate_core::secret::SecretHash;
use keygate_core::store::{
    ApiStore, AuditEvent, AuditQuery, AuditStore, ConsentStore, GrantStore, RegistrationStore,
    Session, SessionStore, Store, StoreError, UserQuery, UserStore,
};
use keygate_store::SqlStore;
use serde_json::json;

fn api(id: &str, identifier: &str) -> Api {
    Api {
        id: id.into(),
        identifier: identifier.into(),
        name: "To-do".into(),
        scopes: vec![ApiScope::new("todo:read", "Read")],
        authorization_details_types: vec![keygate_core::authorization_details::DetailsType {
            name: format!("{id}_access"),
            description: "Lists".into(),
            actions: vec![ApiScope::new("read", "Read")],
        }],
        access_token_ttl: Some(600),
        signing_alg: Some(keygate_core::keys::SigningAlg::RS256),
        client_grants: BTreeMap::from([("m2m".to_owned(), vec!["todo:read".to_owned()])]),
        introspection_clients: Vec::new(),
        open: false,
        created_at: 1,
        updated_at: 2,
    }
}

pub async fn apis_round_trip_with_unique_identifiers(store: SqlStore) {
    let r0 = store.revision().await.unwrap();
    let mut a = api("a1", "https://todo.example/");
    store.insert_api(&a).await.unwrap();
    assert!(store.revision().await.unwrap() > r0, "API writes bump the revision");
    assert_eq!(store.list_apis().await.unwrap(), vec![a.clone()]);
    let err = store.insert_api(&api("a2", "https://todo.example/")).await.unwrap_err();
    assert!(matches!(err, StoreError::Conflict(_)), "{err:?}");
    a.access_token_ttl = None;
    a.signing_alg = None;
    a.client_grants.clear();
    assert!(store.update_api(&a).await.unwrap());
    assert_eq!(store.list_apis().await.unwrap(), vec![a.clone()]);
    assert!(store.delete_api("a1").await.unwrap());
    assert!(!store.delete_api("a1").await.unwrap());
    assert!(!store.update_api(&a).await.unwrap());
}

fn event(actor: &str, action: &str, target: &str) -> AuditEvent {
    AuditEvent {
        seq: 0,
        at: 5,
        actor: actor.into(),
        action: action.into(),
        target: target.into(),
        ip: Some("192.0.2.1".into()),
        details: json!({"k": 1}),
    }
}

pub async fn audit_log_filters_and_pages_newest_first(store: SqlStore) {
    store.append_audit(&event("cli", "client.create", "client:a")).await.unwrap();
    store.append_audit(&event("user:u", "client.update", "client:a")).await.unwrap();
    store.append_audit(&event("user:u", "user.create", "user:b")).await.unwrap();
    let all = store.list_audit(&AuditQuery { limit: 10, ..Default::default() }).await.unwrap();
    let actions: Vec<&str> = all.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, ["user.create", "client.update", "client.create"]);
    assert_eq!(all[0].details, json!({"k": 1}));
    assert_eq!(all[0].ip.as_deref(), Some("192.0.2.1"));
    let page2 = AuditQuery { before: Some(all[0].seq), limit: 1, ..Default::default() };
    let page2 = store.list_audit(&page2).await.unwrap();
    assert_eq!(page2.len(), 1);
    assert_eq!(page2[0].action, "client.update");
    let prefix = AuditQuery { action: Some("client.".into()), limit: 10, ..Default::default() };
    assert_eq!(store.list_audit(&prefix).await.unwrap().len(), 2);
    let by_actor = AuditQuery { actor: Some("cli".into()), limit: 10, ..Default::default() };
    assert_eq!(store.list_audit(&by_actor).await.unwrap().len(), 1);
    let by_target = AuditQuery { target: Some("user:b".into()), limit: 10, ..Default::default() };
    assert_eq!(store.list_audit(&by_target).await.unwrap().len(), 1);
}

pub async fn users_are_searched_and_paged(store: SqlStore) {
    for (id, name) in [("1", "alice"), ("2", "Bob"), ("3", "carol"), ("4", "al_x")] {
        store.insert_user(&super::user(id, name, &format!("{name}@example.com"))).await.unwrap();
    }
    let names = |users: Vec<keygate_core::User>| -> Vec<String> {
        users.into_iter().map(|u| u.username).collect()
    };
    let page = UserQuery { limit: 2, ..Default::default() };
    assert_eq!(names(store.search_users(&page).await.unwrap()), ["al_x", "alice"]);
    let next = UserQuery { after: Some("alice".into()), limit: 2, ..Default::default() };
    assert_eq!(names(store.search_users(&next).await.unwrap()), ["Bob", "carol"]);
    let text = UserQuery { text: Some("BOB@".into()), limit: 10, ..Default::default() };
    assert_eq!(names(store.search_users(&text).await.unwrap()), ["Bob"]);
    let wildcard = UserQuery { text: Some("l_".into()), limit: 10, ..Default::default() };
    assert_eq!(names(store.search_users(&wildcard).await.unwrap()), ["al_x"], "_ is literal");
    let by_id = UserQuery { text: Some("3".into()), limit: 10, ..Default::default() };
    assert_eq!(names(store.search_users(&by_id).await.unwrap()), ["carol"]);
}

pub async fn user_sessions_consents_and_grants_are_listed_and_revoked(store: SqlStore) {
    for (n, sid) in ["s1", "s2"].iter().enumerate() {
        let session = Session {
            sid: (*sid).into(),
            user_id: "u1".into(),
            auth_time: 10,
            amr: vec!["pwd".into()],
            created_at: 10 + n as i64,
            expires_at: 1000,
            idp: None,
        };
        store.insert_session(&SecretHash::of(sid), &session).await.unwrap();
    }
    let sids: Vec<String> =
        store.sessions_for_user("u1").await.unwrap().into_iter().map(|s| s.sid).collect();
    assert_eq!(sids, ["s2", "s1"]);
    assert!(store.sessions_for_user("u2").await.unwrap().is_empty());

    store.save_consent("u1", "app", &["openid".into()], 7).await.unwrap();
    let consents = store.consents_for_user("u1").await.unwrap();
    assert_eq!(consents.len(), 1);
    assert_eq!(consents[0].client_id, "app");
    assert!(store.delete_consent("u1", "app").await.unwrap());
    assert!(!store.delete_consent("u1", "app").await.unwrap());

    let mut g1 = super::signin::grant("g1");
    g1.user_id = "u1".into();
    let mut g2 = super::signin::grant("g2");
    g2.user_id = "u1".into();
    g2.client_id = "other".into();
    store.insert_grant(&g1).await.unwrap();
    store.insert_grant(&g2).await.unwrap();
    let client = g1.client_id.clone();
    assert_eq!(store.revoke_user_grants("u1", Some(&client), 50).await.unwrap(), 1);
    assert_eq!(store.find_grant("g2").await.unwrap().unwrap().revoked_at, None);
    assert_eq!(store.revoke_user_grants("u1", None, 60).await.unwrap(), 1);
    assert_eq!(store.find_grant("g1").await.unwrap().unwrap().revoked_at, Some(50));
    assert_eq!(store.find_grant("g2").await.unwrap().unwrap().revoked_at, Some(60));
}

pub async fn initial_access_tokens_expire(store: SqlStore) {
    let forever = SecretHash::of("iat-1");
    let brief = SecretHash::of("iat-2");
    store.insert_initial_token(&forever, "ci", 1, None).await.unwrap();
    store.insert_initial_token(&brief, "dev", 1, Some(100)).await.unwrap();
    assert!(store.initial_token_valid(&forever, 1_000_000).await.unwrap());
    assert!(store.initial_token_valid(&brief, 99).await.unwrap());
    assert!(!store.initial_token_valid(&brief, 100).await.unwrap());
    assert!(!store.initial_token_valid(&SecretHash::of("nope"), 1).await.unwrap());
}

pub async fn signin_log_filters_pages_and_expires(store: SqlStore) {
    use keygate_core::signin_log::SignInOutcome::{Success, TokenReuse, WrongPassword};
    use keygate_core::store::{MaintenanceStore, SignInEvent, SignInLogStore, SignInQuery};
    let event = |at: i64, outcome, user: &str, client: &str| SignInEvent {
        seq: 0,
        at,
        outcome,
        user_id: Some(user.to_owned()),
        client_id: Some(client.to_owned()),
        ip: Some("192.0.2.1".to_owned()),
        user_agent: Some("Firefox".to_owned()),
        detail: None,
    };
    store.append_signin(&event(10, WrongPassword, "u1", "app")).await.unwrap();
    store.append_signin(&event(20, Success, "u1", "app")).await.unwrap();
    store.append_signin(&event(30, Success, "u2", "other")).await.unwrap();
    store.append_signin(&event(40, TokenReuse, "u2", "app")).await.unwrap();
    let list = |q: SignInQuery| {
        let store = store.clone();
        async move {
            let q = SignInQuery { limit: if q.limit == 0 { 100 } else { q.limit }, ..q };
            store.list_signins(&q).await.unwrap().into_iter().map(|e| e.at).collect::<Vec<_>>()
        }
    };
    assert_eq!(list(SignInQuery::default()).await, [40, 30, 20, 10], "newest first");
    let u1 = SignInQuery { user_id: Some("u1".into()), ..Default::default() };
    assert_eq!(list(u1).await, [20, 10]);
    let app = SignInQuery { client_id: Some("app".into()), ..Default::default() };
    assert_eq!(list(app).await, [40, 20, 10]);
    let failures = SignInQuery { outcomes: vec![WrongPassword, TokenReuse], ..Default::default() };
    assert_eq!(list(failures).await, [40, 10]);
    let window = SignInQuery { since: Some(20), until: Some(40), ..Default::default() };
    assert_eq!(list(window).await, [30, 20], "since inclusive, until exclusive");
    let two = SignInQuery { limit: 2, ..Default::default() };
    let first_page = store.list_signins(&two).await.unwrap();
    assert_eq!(first_page[0].ip.as_deref(), Some("192.0.2.1"));
    assert_eq!(first_page[0].user_agent.as_deref(), Some("Firefox"));
    let older = SignInQuery { before: Some(first_page[1].seq), ..Default::default() };
    assert_eq!(list(older).await, [20, 10], "the cursor pages on");

    let mut cutoffs = super::signin::cutoffs(1_000, None);
    cutoffs.signin_log = 20;
    store.purge_expired(&cutoffs, 10).await.unwrap();
    assert_eq!(list(SignInQuery::default()).await, [40, 30], "entries at or before the cutoff go");
}
