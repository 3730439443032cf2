//! `keygate backup`, `restore`, `export` and `import`.

use keygate_core::secret::SecretHash;
use keygate_core::store::{Passkey, TotpFactor};
use keygate_testkit::{PgDatabase, TempDir};

use crate::{keygate, run, run_json, text};

/// A data directory with an application, a user and an API.
fn populated() -> TempDir {
    let dir = TempDir::new("kgdata");
    let args = [
        "clients",
        "create",
        "--name",
        "Shop",
        "--type",
        "web",
        "--client-id",
        "shop",
        "--client-secret-stdin",
        "--redirect-uri",
        "https://shop.example/cb",
        "--json",
    ];
    run_json(keygate(&dir.0), &args, "shop-secret\n");
    let args = [
        "users",
        "create",
        "--username",
        "ada",
        "--email",
        "ada@example.com",
        "--password-stdin",
        "--json",
    ];
    run_json(keygate(&dir.0), &args, "correct horse battery\n");
    let args = [
        "apis",
        "create",
        "--identifier",
        "https://api.example/",
        "--name",
        "API",
        "--scope",
        "read=Read",
        "--json",
    ];
    run_json(keygate(&dir.0), &args, "");
    let args = ["clients", "documents", "block", "spam.example", "--reason", "spam", "--json"];
    run_json(keygate(&dir.0), &args, "");
    dir
}

#[test]
fn backup_then_restore_into_another_data_directory() {
    let source = populated();
    let backup = source.0.join("backup.db");
    let out = run(keygate(&source.0), &["backup", backup.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out).1);
    let again = run(keygate(&source.0), &["backup", backup.to_str().unwrap()], "");
    assert!(!again.status.success(), "never overwrites");

    let target = TempDir::new("kgdata");
    let out = run(keygate(&target.0), &["restore", backup.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out).1);
    let clients = run_json(keygate(&target.0), &["clients", "list", "--json"], "");
    assert_eq!(clients[0]["client_id"], "shop");
    let users = run_json(keygate(&target.0), &["users", "list", "--json"], "");
    assert_eq!(users[0]["username"], "ada");

    let out = run(keygate(&target.0), &["restore", backup.to_str().unwrap()], "");
    assert!(!out.status.success(), "an existing database needs --force");
    assert!(text(&out).1.contains("--force"));
    let out = run(keygate(&target.0), &["restore", backup.to_str().unwrap(), "--force"], "");
    assert!(out.status.success(), "{}", text(&out).1);

    let junk = target.0.join("junk.db");
    std::fs::write(&junk, b"not a database").unwrap();
    let out = run(keygate(&target.0), &["restore", junk.to_str().unwrap(), "--force"], "");
    assert!(!out.status.success());
    let clients = run_json(keygate(&target.0), &["clients", "list", "--json"], "");
    assert_eq!(clients[0]["client_id"], "shop", "a failed restore changes nothing");
}

/// Gives `ada` of `populated` an authenticator app, two recovery codes (one used) and a passkey.
async fn second_factors(dir: &TempDir) -> (TotpFactor, Passkey) {
    use keygate_core::store::{MfaStore, PasskeyStore, UserStore};
    let url = format!("sqlite://{}?mode=rw", dir.0.join("keygate.db").display());
    let store = keygate_store::SqlStore::open(&url, 2).await.unwrap();
    let ada = store.find_user("ada").await.unwrap().unwrap();
    let totp = TotpFactor {
        user_id: ada.id.clone(),
        sealed_key: vec![7; 48],
        last_step: 1234,
        created_at: 5,
        last_used_at: Some(6),
    };
    store.put_totp(&totp).await.unwrap();
    let codes = ["code-0", "code-1", "code-2"].map(SecretHash::of);
    store.replace_recovery_codes(&ada.id, &codes).await.unwrap();
    store.use_recovery_code(&ada.id, &codes[0], 7).await.unwrap();
    let passkey = Passkey {
        id: vec![1, 2, 3],
        user_id: ada.id.clone(),
        name: "Laptop".into(),
        public_key: vec![0xa5; 77],
        sign_count: 3,
        uv_initialized: true,
        backup_eligible: true,
        backup_state: false,
        transports: vec!["internal".into()],
        aaguid: vec![0; 16],
        created_at: 8,
        last_used_at: None,
    };
    store.insert_passkey(&passkey).await.unwrap();
    store.close().await;
    (totp, passkey)
}

#[tokio::test]
async fn export_from_sqlite_and_import_into_postgresql() {
    let Some(db) = PgDatabase::create().await else { return };
    let source = populated();
    let factors = second_factors(&source).await;
    let export = source.0.join("export.json");
    let out = run(keygate(&source.0), &["export", "--output", export.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out).1);
    let doc: serde_json::Value = serde_json::from_slice(&std::fs::read(&export).unwrap()).unwrap();
    assert_eq!(doc["format"], "keygate-export");
    assert!(!doc.to_string().contains("shop-secret"), "secrets only as hashes");
    assert!(doc["users"][0]["password_hash"].as_str().unwrap().starts_with("$argon2id$"));
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(&export).unwrap().permissions().mode();
        assert_eq!(mode & 0o777, 0o600);
    }

    let pg = || {
        let mut cmd = keygate(&source.0);
        cmd.env("KEYGATE_DATABASE_URL", &db.url);
        cmd
    };
    let out = run(pg(), &["import", export.to_str().unwrap()], "");
    assert!(out.status.success(), "{}", text(&out).1);
    assert!(text(&out).0.contains("Imported 7 rows"), "{}", text(&out).0);
    let blocks = run_json(pg(), &["clients", "documents", "blocks", "--json"], "");
    assert_eq!(blocks[0]["target"], "spam.example", "{blocks}");
    assert_eq!(blocks[0]["reason"], "spam");
    let clients = run_json(pg(), &["clients", "list", "--json"], "");
    assert_eq!(clients[0]["client_id"], "shop");
    let apis = run_json(pg(), &["apis", "list", "--json"], "");
    assert_eq!(apis[0]["identifier"], "https://api.example/");

    // The password and the client secret still work: the hashes moved.
    let store = keygate_store::SqlStore::open(&db.url, 1).await.unwrap();
    use keygate_core::store::{ClientStore, UserStore};
    let ada = store.find_user("ada").await.unwrap().unwrap();
    let policy = keygate_core::password_policy::PasswordPolicy::default();
    assert!(policy.verify(
        &keygate_core::Secret::new("correct horse battery"),
        ada.password_hash.as_deref().unwrap()
    ));
    let shop = store.find_client("shop").await.unwrap().unwrap();
    assert!(shop.secret_hash.unwrap().verify("shop-secret"));
    // Second factors moved with the user: authenticator app, unused recovery codes, passkeys.
    use keygate_core::store::{MfaStore, PasskeyStore};
    let (totp, passkey) = factors;
    assert_eq!(
        store.find_totp(&ada.id).await.unwrap(),
        Some(TotpFactor { user_id: ada.id.clone(), ..totp })
    );
    assert_eq!(store.count_recovery_codes(&ada.id).await.unwrap(), 2);
    assert_eq!(
        store.use_recovery_code(&ada.id, &SecretHash::of("code-1"), 9).await.unwrap(),
        Some(1)
    );
    let passkeys = store.list_passkeys(&ada.id).await.unwrap();
    assert_eq!(passkeys, [Passkey { user_id: ada.id.clone(), ..passkey }]);
    store.close().await;

    let out = run(pg(), &["import", export.to_str().unwrap()], "");
    assert!(out.status.success());
    assert!(
        text(&out).0.contains("Imported 0 rows")
            && text(&out).0.contains("kept existing client shop")
    );
}
