//! Token storage: the encrypted file store (round trip, wrong passphrase, mode 0600, no token
//! in the bytes on disk) and the default store's choice on this machine.

use keygate_client::store::{
    DefaultStoreOptions, KdfParams, StorePreference, choose_store, probe_keychain,
};
use keygate_client::{
    EncryptedFileStore, Error, FileKey, Passphrase, TokenStore, Tokens, open_default_store,
};
use keygate_testkit::TempDir;

/// One key for every `tokens()`, so that stored and expected tokens compare equal.
static DPOP_KEY: std::sync::LazyLock<keygate_client::DpopKey> =
    std::sync::LazyLock::new(|| keygate_client::DpopKey::generate().unwrap());

fn tokens() -> Tokens {
    Tokens {
        issuer: "https://id.example".to_owned(),
        client_id: "cli".to_owned(),
        access_token: "AT-eyJhbGciOiJFUzI1NiJ9.secret-access".to_owned(),
        token_type: keygate_client::TokenType::Dpop,
        dpop_key: Some(DPOP_KEY.clone()),
        expires_at: 1_767_229_200,
        refresh_token: Some("RT-secret-refresh-token-value".to_owned()),
        id_token: Some("IDT-secret-id-token-value".to_owned()),
        claims: None,
        scope: Some("openid offline_access".to_owned()),
    }
}

fn store(dir: &TempDir, passphrase: &str) -> EncryptedFileStore {
    // The default Argon2id costs (19 MiB, t=2) are what users get; this test uses the same.
    let key = FileKey::Passphrase(Passphrase::new(passphrase), KdfParams::default());
    EncryptedFileStore::with_key(dir.0.join("sub").join("tokens.enc"), key).unwrap()
}

#[tokio::test]
async fn encrypted_file_store_round_trip() {
    let dir = TempDir::new("kgstore");
    let store = store(&dir, "correct horse battery staple");
    assert!(store.load().unwrap().is_none(), "nothing stored yet");
    store.save(&tokens()).unwrap();
    assert_eq!(store.load().unwrap().unwrap(), tokens());
    // Each save seals afresh: new salt and nonce.
    let before = std::fs::read(store.path()).unwrap();
    store.save(&tokens()).unwrap();
    assert_ne!(std::fs::read(store.path()).unwrap(), before);
    store.clear().unwrap();
    assert!(store.load().unwrap().is_none());
    store.clear().unwrap();
}

#[tokio::test]
async fn encrypted_file_store_keeps_no_token_on_disk_in_clear() {
    let dir = TempDir::new("kgstore");
    let store = store(&dir, "correct horse battery staple");
    store.save(&tokens()).unwrap();
    let bytes = std::fs::read(store.path()).unwrap();
    assert!(bytes.starts_with(b"KGTOKEN1"));
    let haystack = String::from_utf8_lossy(&bytes);
    let private_key = serde_json::to_string(&*DPOP_KEY).unwrap();
    let private_key = &private_key[1..40];
    for needle in ["secret", "AT-", "RT-", "IDT-", "eyJ", "id.example", "openid", "cli", "dpop"] {
        assert!(!haystack.contains(private_key), "the DPoP private key is in the file");
        assert!(!haystack.contains(needle), "{needle} found in the file");
    }
    assert!(!format!("{:?}", tokens()).contains("secret"), "Debug redacts the tokens");
}

#[cfg(unix)]
#[tokio::test]
async fn encrypted_file_store_file_is_mode_0600() {
    use std::os::unix::fs::PermissionsExt;
    let dir = TempDir::new("kgstore");
    let store = store(&dir, "correct horse battery staple");
    store.save(&tokens()).unwrap();
    let mode = std::fs::metadata(store.path()).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
    let parent = std::fs::metadata(store.path().parent().unwrap()).unwrap().permissions().mode();
    assert_eq!(parent & 0o777, 0o700, "the directory it created is private too");
}

#[tokio::test]
async fn encrypted_file_store_wrong_passphrase_fails_cleanly() {
    let dir = TempDir::new("kgstore");
    store(&dir, "correct horse battery staple").save(&tokens()).unwrap();
    let err = store(&dir, "incorrect horse").load().unwrap_err();
    assert!(matches!(err, Error::Storage(_)), "{err}");
    assert!(err.to_string().contains("wrong passphrase"), "{err}");
    // Tampering is caught the same way.
    let path = store(&dir, "x").path().to_owned();
    let mut bytes = std::fs::read(&path).unwrap();
    let last = bytes.len() - 1;
    bytes[last] ^= 1;
    std::fs::write(&path, &bytes).unwrap();
    assert!(store(&dir, "correct horse battery staple").load().is_err());
    // An empty passphrase is no protection: refused.
    let empty = EncryptedFileStore::new(dir.0.join("e"), Passphrase::new(""));
    assert!(empty.is_err());
}

#[tokio::test]
async fn encrypted_file_store_with_a_raw_key() {
    let dir = TempDir::new("kgstore");
    let key = FileKey::Key([7u8; 32]);
    let store = EncryptedFileStore::with_key(dir.0.join("t.enc"), key).unwrap();
    store.save(&tokens()).unwrap();
    assert_eq!(store.load().unwrap().unwrap(), tokens());
    let passphrase_store =
        EncryptedFileStore::new(dir.0.join("t.enc"), Passphrase::new("p")).unwrap();
    assert!(passphrase_store.load().is_err(), "a file sealed with a key needs that key");
}

#[tokio::test]
async fn default_store_falls_back_to_the_encrypted_file_when_no_keychain_answers() {
    let dir = TempDir::new("kgstore");
    let options = DefaultStoreOptions {
        service: "keygate-client-test".to_owned(),
        account: "probe".to_owned(),
        file: dir.0.join("tokens.enc"),
        preference: StorePreference::Auto,
    };
    let probe = probe_keychain(&options.service, &options.account);
    let mut asked = false;
    let (store, said) = open_default_store(&options, || {
        asked = true;
        Ok(Passphrase::new("correct horse"))
    })
    .unwrap();
    match probe {
        Ok(()) => {
            // A desktop with a keychain: it is used, and no passphrase is asked for.
            assert!(!asked);
            assert!(said.contains("OS keychain"), "{said}");
        }
        Err(why) => {
            // This machine and CI: no Secret Service.
            assert!(asked, "the passphrase is asked only for the file store");
            assert!(said.contains("encrypted file"), "{said}");
            assert!(said.contains(&why), "{said} should say why: {why}");
            store.save(&tokens()).unwrap();
            assert!(dir.0.join("tokens.enc").exists());
        }
    }
    let file_only = DefaultStoreOptions { preference: StorePreference::File, ..options.clone() };
    let (_, said) = open_default_store(&file_only, || Ok(Passphrase::new("p"))).unwrap();
    assert!(said.contains("encrypted file"), "{said}");
    assert!(choose_store(StorePreference::Keychain, Err("none".into())).is_err());
}
