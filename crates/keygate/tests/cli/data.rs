//! `keygate backup`, `restore`, `export` and `import`.

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

#[tokio::test]
async fn export_from_sqlite_and_import_into_postgresql() {
    let Some(db) = PgDatabase::create().await else { return };
    let source = populated();
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
    assert!(text(&out).0.contains("Imported 3 rows"), "{}", text(&out).0);
    let clients = run_json(pg(), &["clients", "list", "--json"], "");
    assert_eq!(clients[0]["client_id"], "shop");
    let apis = run_json(pg(), &["apis", "list", "--json"], "");
    assert_eq!(apis[0]["identifier"], "https://api.example/");

    // The password and the client secret still work: the hashes moved.
    let store = keygate_store::SqlStore::open(&db.url, 1).await.unwrap();
    use keygate_core::store::{ClientStore, UserStore};
    let ada = store.find_user("ada").await.unwrap().unwrap();
    let policy = keygate_core::user::PasswordPolicy::default();
    assert!(policy.verify(
        &keygate_core::Secret::new("correct horse battery"),
        ada.password_hash.as_deref().unwrap()
    ));
    let shop = store.find_client("shop").await.unwrap().unwrap();
    assert!(shop.secret_hash.unwrap().verify("shop-secret"));
    store.close().await;

    let out = run(pg(), &["import", export.to_str().unwrap()], "");
    assert!(out.status.success());
    assert!(
        text(&out).0.contains("Imported 0 rows")
            && text(&out).0.contains("kept existing client shop")
    );
}
