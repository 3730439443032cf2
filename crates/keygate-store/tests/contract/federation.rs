//! Contract tests of the federation store.

use keygate_core::secret::SecretHash;
use keygate_core::store::{
    FederationState, FederationStore, LinkedIdentity, Store, StoreError, StoredUpstream, UserStore,
};
use keygate_store::SqlStore;

pub async fn upstreams_round_trip_and_bump_the_revision(store: SqlStore) {
    let before = store.revision().await.unwrap();
    let u = StoredUpstream {
        id: "corp".into(),
        config: r#"{"kind":"oidc"}"#.into(),
        sealed_secret: Some(vec![1, 2, 3]),
        created_at: 1,
        updated_at: 1,
    };
    store.insert_upstream(&u).await.unwrap();
    assert!(matches!(store.insert_upstream(&u).await, Err(StoreError::Conflict(_))));
    assert!(store.revision().await.unwrap() > before, "nodes drop their upstream caches");
    let changed = StoredUpstream { config: "{}".into(), sealed_secret: None, updated_at: 2, ..u };
    assert!(store.update_upstream(&changed).await.unwrap());
    assert_eq!(store.list_upstreams().await.unwrap(), vec![changed]);
    assert!(store.delete_upstream("corp").await.unwrap());
    assert!(!store.delete_upstream("corp").await.unwrap());
    assert!(store.list_upstreams().await.unwrap().is_empty());
}

pub async fn linked_identities_are_unique_and_leave_with_their_user(store: SqlStore) {
    store.insert_user(&super::user("u1", "ada", "ada@example.com")).await.unwrap();
    let link = LinkedIdentity {
        provider_id: "corp".into(),
        subject: "248289761001".into(),
        user_id: "u1".into(),
        email: Some("ada@example.com".into()),
        created_at: 5,
    };
    store.insert_linked_identity(&link).await.unwrap();
    let again = LinkedIdentity { user_id: "u2".into(), ..link.clone() };
    assert!(matches!(store.insert_linked_identity(&again).await, Err(StoreError::Conflict(_))));
    assert_eq!(
        store.find_linked_identity("corp", "248289761001").await.unwrap(),
        Some(link.clone())
    );
    assert_eq!(store.find_linked_identity("other", "248289761001").await.unwrap(), None);
    assert_eq!(store.linked_identities("u1").await.unwrap(), vec![link]);
    assert!(store.delete_user("u1").await.unwrap());
    assert!(store.linked_identities("u1").await.unwrap().is_empty(), "deleted with the user");
    assert_eq!(store.find_linked_identity("corp", "248289761001").await.unwrap(), None);
}

pub async fn federation_states_are_taken_once(store: SqlStore) {
    let state = FederationState { kind: "login".into(), data: "{}".into(), expires_at: 100 };
    let hash = SecretHash::of("state-token");
    store.put_federation_state(&hash, &state).await.unwrap();
    let (a, b) =
        tokio::join!(store.take_federation_state(&hash), store.take_federation_state(&hash));
    let taken: Vec<_> = [a.unwrap(), b.unwrap()].into_iter().flatten().collect();
    assert_eq!(taken, vec![state], "exactly one taker");
    assert_eq!(store.take_federation_state(&hash).await.unwrap(), None);
}
