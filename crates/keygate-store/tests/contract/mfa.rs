//! Contract tests of the second-factor store.

use keygate_core::secret::SecretHash;
use keygate_core::store::{MfaStore, TotpFactor, UserStore};
use keygate_store::SqlStore;

pub async fn a_totp_step_is_accepted_once_and_factors_leave_with_their_user(store: SqlStore) {
    store.insert_user(&super::user("u1", "ada", "ada@example.com")).await.unwrap();
    assert_eq!(store.find_totp("u1").await.unwrap(), None);
    let factor = TotpFactor {
        user_id: "u1".into(),
        sealed_key: vec![1, 2, 3],
        last_step: 100,
        created_at: 5,
        last_used_at: None,
    };
    store.put_totp(&factor).await.unwrap();
    assert_eq!(store.find_totp("u1").await.unwrap(), Some(factor.clone()));
    assert!(!store.use_totp_step("u1", 100, 6).await.unwrap(), "the enrolment's step is spent");
    assert!(store.use_totp_step("u1", 101, 6).await.unwrap());
    assert!(!store.use_totp_step("u1", 101, 7).await.unwrap(), "RFC 6238 §5.2: once");
    assert!(!store.use_totp_step("u1", 99, 7).await.unwrap(), "never an older step");
    let stored = store.find_totp("u1").await.unwrap().unwrap();
    assert_eq!((stored.last_step, stored.last_used_at), (101, Some(6)));
    let replaced = TotpFactor { sealed_key: vec![9], last_step: 7, ..factor };
    store.put_totp(&replaced).await.unwrap();
    assert_eq!(store.find_totp("u1").await.unwrap(), Some(replaced));

    let codes: Vec<SecretHash> = (0..3).map(|i| SecretHash::of(&format!("code{i}"))).collect();
    store.replace_recovery_codes("u1", &codes).await.unwrap();
    assert_eq!(store.count_recovery_codes("u1").await.unwrap(), 3);
    assert_eq!(store.use_recovery_code("u1", &codes[1], 8).await.unwrap(), Some(2));
    assert_eq!(store.use_recovery_code("u1", &codes[1], 9).await.unwrap(), None, "used once");
    assert_eq!(store.use_recovery_code("u2", &codes[0], 9).await.unwrap(), None, "not u2's");
    store.replace_recovery_codes("u1", &codes[..1]).await.unwrap();
    assert_eq!(store.count_recovery_codes("u1").await.unwrap(), 1, "the old ones are void");

    assert!(store.delete_user("u1").await.unwrap());
    assert_eq!(store.find_totp("u1").await.unwrap(), None);
    assert_eq!(store.count_recovery_codes("u1").await.unwrap(), 0);
    assert!(!store.delete_totp("u1").await.unwrap());
}
