//! Contract tests of the Client ID Metadata Document clients and the blocks on them.

use keygate_core::store::{
    ClientStore, ConsentStore, DocumentBlock, DocumentClientStore, Grant, GrantStore,
    MaintenanceStore, Store, StoreError,
};
use keygate_store::SqlStore;

const A: &str = "https://app.example/a.json";
const B: &str = "https://app.example:8443/b.json";
const OTHER: &str = "https://other.example/c.json";

fn block(target: &str) -> DocumentBlock {
    DocumentBlock {
        target: target.into(),
        reason: "phishing".into(),
        created_at: 30,
        created_by: "cli".into(),
    }
}

async fn revoked_at(store: &SqlStore, id: &str) -> Option<i64> {
    store.find_grant(id).await.unwrap().unwrap().revoked_at
}

pub async fn document_clients_are_noted_counted_and_forgotten(store: SqlStore) {
    store.note_document_client(A, "app.example", Some("A"), 10).await.unwrap();
    store.note_document_client(A, "app.example", Some("A, renamed"), 20).await.unwrap();
    store.note_document_client(OTHER, "other.example", None, 15).await.unwrap();
    store.note_document_client("https://lone.example/x", "lone.example", None, 5).await.unwrap();
    let grant = Grant { client_id: A.into(), ..super::grant("ga") };
    store.insert_grant(&grant).await.unwrap();
    let seen = store.list_document_clients().await.unwrap();
    let ids: Vec<&str> = seen.iter().map(|s| s.client_id.as_str()).collect();
    assert_eq!(ids, [A, "https://lone.example/x", OTHER], "by client id");
    let a = &seen[0];
    assert_eq!((a.first_grant_at, a.last_grant_at), (10, 20), "first kept, last moved");
    assert_eq!(a.name.as_deref(), Some("A, renamed"));
    assert_eq!((a.live_grants, seen[2].live_grants), (1, 0));
    // Forgotten once not fetched for a while, unless a grant (even a revoked one) remains.
    let mut cutoffs = super::cutoffs(100, None);
    cutoffs.document_clients = 25;
    assert_eq!(store.purge_expired(&cutoffs, 10).await.unwrap(), Some(2));
    let left: Vec<String> =
        store.list_document_clients().await.unwrap().into_iter().map(|s| s.client_id).collect();
    assert_eq!(left, [A]);
}

pub async fn a_block_revokes_the_grants_and_consents_it_covers(store: SqlStore) {
    for (url, host) in [(A, "app.example"), (B, "app.example"), (OTHER, "other.example")] {
        store.note_document_client(url, host, None, 10).await.unwrap();
        let grant = Grant { client_id: url.into(), ..super::grant(&format!("g-{host}-{url}")) };
        store.insert_grant(&grant).await.unwrap();
        store.save_consent("u", url, &["openid".into()], 10).await.unwrap();
    }
    // Registered clients are never document clients, even with a URL as their id.
    let named = Grant { client_id: "app.example".into(), ..super::grant("named") };
    store.insert_grant(&named).await.unwrap();
    let registered = "https://app.example/registered";
    store.insert_client(&super::client(registered)).await.unwrap();
    let reg = Grant { client_id: registered.into(), ..super::grant("reg") };
    store.insert_grant(&reg).await.unwrap();
    // A grant of a document client that was never listed (before the list existed) is covered.
    let old = Grant { client_id: "https://APP.example./old.json".into(), ..super::grant("old") };
    store.insert_grant(&old).await.unwrap();
    let before = store.revision().await.unwrap();
    assert_eq!(store.insert_document_block(&block("app.example"), 30).await.unwrap(), 3);
    assert!(store.revision().await.unwrap() > before, "every node reloads its blocks");
    assert_eq!(revoked_at(&store, &format!("g-app.example-{A}")).await, Some(30));
    assert_eq!(revoked_at(&store, &format!("g-app.example-{B}")).await, Some(30));
    assert_eq!(revoked_at(&store, &format!("g-other.example-{OTHER}")).await, None);
    assert_eq!(revoked_at(&store, "named").await, None);
    assert_eq!(revoked_at(&store, "reg").await, None);
    assert_eq!(revoked_at(&store, "old").await, Some(30));
    let consents: Vec<String> =
        store.consents_for_user("u").await.unwrap().into_iter().map(|c| c.client_id).collect();
    assert_eq!(consents, [OTHER]);
    let again = store.insert_document_block(&block("app.example"), 31).await;
    assert!(matches!(again, Err(StoreError::Conflict(_))));
    assert_eq!(store.insert_document_block(&block(OTHER), 32).await.unwrap(), 1, "one URL");
    let targets: Vec<String> =
        store.list_document_blocks().await.unwrap().into_iter().map(|b| b.target).collect();
    assert_eq!(targets, ["app.example", OTHER]);
    assert_eq!(store.list_document_blocks().await.unwrap()[0], block("app.example"));
    // A grant and consent made while the block travelled to every node end when it is removed.
    store.save_consent("late", A, &["openid".into()], 40).await.unwrap();
    store.insert_grant(&Grant { client_id: A.into(), ..super::grant("late") }).await.unwrap();
    assert_eq!(store.live_grants_covered("app.example").await.unwrap(), 1);
    assert_eq!(store.live_grants_covered("*.example").await.unwrap(), 1);
    assert_eq!(store.live_grants_covered("other.example").await.unwrap(), 0);
    let before = store.revision().await.unwrap();
    assert!(store.delete_document_block("app.example", 41).await.unwrap());
    assert!(store.consents_for_user("late").await.unwrap().is_empty());
    assert_eq!(revoked_at(&store, "late").await, Some(41));
    assert!(store.revision().await.unwrap() > before);
    let before = store.revision().await.unwrap();
    assert!(!store.delete_document_block("app.example", 42).await.unwrap());
    assert_eq!(store.revision().await.unwrap(), before, "nothing removed, nothing to reload");
    assert_eq!(store.list_document_blocks().await.unwrap().len(), 1);
}
