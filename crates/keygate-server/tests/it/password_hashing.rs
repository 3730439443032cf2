//! Password hashes follow the policy's Argon2id costs: a hash made with other costs (an older
//! default, or an operator's change) still verifies, and is replaced at the next successful
//! sign-in, on SQLite and PostgreSQL.

use keygate_core::login::LoginFailure;
use keygate_core::password_policy::PasswordPolicy;
use keygate_core::secret::Secret;
use keygate_core::signin_log::Attempt;
use keygate_testkit::{Backend, PASSWORD, TestApp};

fn stored_hash(user: &keygate_core::User) -> String {
    user.password_hash.clone().expect("a password hash")
}

#[tokio::test]
async fn a_hash_with_other_costs_verifies_and_is_rehashed_at_the_next_sign_in() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn_on(backend).await else { continue };
        let mut user = app.user("ada").await;
        let policy = app.provider.settings().passwords;
        let older = PasswordPolicy { memory_kib: 2048, iterations: 2, ..policy };
        let old_hash = older.hash(&Secret::new(PASSWORD)).expect("hashed");
        assert!(policy.needs_rehash(&old_hash) && !policy.needs_rehash(&stored_hash(&user)));
        user.password_hash = Some(old_hash.clone());
        assert!(app.provider.store().update_user(&user).await.expect("stored"));

        let from = Attempt { ip: Some("192.0.2.1"), ..Attempt::default() };
        let wrong = app.provider.password_login("ada", Secret::new("wrong"), &from).await;
        assert_eq!(
            wrong.expect("no server error").map(|_| ()),
            Err(LoginFailure::InvalidCredentials)
        );
        let after_wrong = app.admin().user("ada").await.expect("ada");
        assert_eq!(
            stored_hash(&after_wrong),
            old_hash,
            "{backend:?}: a wrong password changes nothing"
        );

        let right = app.provider.password_login("ada", Secret::new(PASSWORD), &from).await;
        assert!(
            right.expect("no server error").is_ok(),
            "{backend:?}: the old hash still verifies"
        );
        let rehashed = stored_hash(&app.admin().user("ada").await.expect("ada"));
        assert_ne!(rehashed, old_hash, "{backend:?}");
        assert!(!policy.needs_rehash(&rehashed), "{backend:?}: now with the policy's costs");
        assert!(policy.verify(&Secret::new(PASSWORD), &rehashed));
        let again = app.provider.password_login("ada", Secret::new(PASSWORD), &from).await;
        assert!(again.expect("no server error").is_ok());
        assert_eq!(stored_hash(&app.admin().user("ada").await.expect("ada")), rehashed);
    }
}

#[tokio::test]
async fn a_rehash_never_overwrites_a_password_changed_in_between() {
    let app = TestApp::spawn().await;
    let user = app.user("ada").await;
    let current = stored_hash(&user);
    let store = app.provider.store();
    assert!(
        !store
            .rehash_password(&user.id, "$argon2id$v=19$m=8,t=1,p=1$c2FsdHNhbHQ$aGFzaA", "x")
            .await
            .expect("ran")
    );
    assert_eq!(stored_hash(&app.admin().user("ada").await.expect("ada")), current);
}
