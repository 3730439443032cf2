//! `keygate export` / `import`: clients, APIs, users with their second factors (authenticator
//! apps, recovery codes, passkeys), upstream providers, linked identities and blocks on Client
//! ID Metadata Documents as one JSON document, for moving between backends (SQLite to
//! PostgreSQL) or machines. Secrets stay as they are stored: client secrets, passwords and
//! recovery codes as hashes, upstream client secrets and authenticator keys sealed under the
//! master key (the target needs the same master key to use them). Sessions, grants and tokens
//! are not moved: users sign in again. An existing user keeps their own factors: those of the
//! document are imported only with users the import creates.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::api::Api;
use crate::client::Client;
use crate::secret::SecretHash;
use crate::store::{
    DocumentBlock, LinkedIdentity, Passkey, Store, StoreError, StoredUpstream, TotpFactor,
};
use crate::user::User;

/// The document's `format`.
pub const FORMAT: &str = "keygate-export";
/// The document's `version`.
pub const VERSION: u32 = 1;

/// The export document.
#[derive(Debug, Serialize, Deserialize)]
pub struct Export {
    /// Always [`FORMAT`].
    pub format: String,
    /// [`VERSION`].
    pub version: u32,
    /// When it was made.
    pub exported_at: i64,
    /// Applications.
    pub clients: Vec<ClientRecord>,
    /// APIs.
    pub apis: Vec<Api>,
    /// Users.
    pub users: Vec<UserRecord>,
    /// Stored upstream identity providers (the configuration file's are not exported).
    #[serde(default)]
    pub upstreams: Vec<UpstreamRecord>,
    /// Upstream identities linked to users.
    #[serde(default)]
    pub linked_identities: Vec<LinkedIdentity>,
    /// Users' authenticator apps.
    #[serde(default)]
    pub totp: Vec<TotpRecord>,
    /// Users' unused recovery codes.
    #[serde(default)]
    pub recovery_codes: Vec<RecoveryCodesRecord>,
    /// Users' passkeys.
    #[serde(default)]
    pub passkeys: Vec<PasskeyRecord>,
    /// Blocks on Client ID Metadata Documents (the documents seen are not exported).
    #[serde(default)]
    pub document_blocks: Vec<DocumentBlock>,
}

/// A user's authenticator app, its key still sealed.
#[derive(Debug, Serialize, Deserialize)]
pub struct TotpRecord {
    /// The account.
    pub user_id: String,
    /// The sealed key, base64.
    pub sealed_key: String,
    /// The last time step accepted.
    pub last_step: i64,
    /// Enrolment time.
    pub created_at: i64,
    /// Last use.
    pub last_used_at: Option<i64>,
}

/// A user's unused recovery codes, as SHA-256 hashes.
#[derive(Debug, Serialize, Deserialize)]
pub struct RecoveryCodesRecord {
    /// The account.
    pub user_id: String,
    /// SHA-256 of each code, base64.
    pub hashes: Vec<String>,
}

/// A passkey (WebAuthn credential record); binary fields base64.
#[derive(Debug, Serialize, Deserialize)]
pub struct PasskeyRecord {
    /// The credential id, base64.
    pub id: String,
    /// The account.
    pub user_id: String,
    /// The user's name for it.
    pub name: String,
    /// COSE_Key, base64.
    pub public_key: String,
    /// Last signature counter.
    pub sign_count: i64,
    /// `uvInitialized`.
    pub uv_initialized: bool,
    /// Backup eligible (BE).
    pub backup_eligible: bool,
    /// Backed up (BS).
    pub backup_state: bool,
    /// Transports.
    pub transports: Vec<String>,
    /// AAGUID, base64.
    pub aaguid: String,
    /// Registration time.
    pub created_at: i64,
    /// Last use.
    pub last_used_at: Option<i64>,
}

/// A client with its stored hashes.
#[derive(Debug, Serialize, Deserialize)]
pub struct ClientRecord {
    /// The client.
    #[serde(flatten)]
    pub client: Client,
    /// SHA-256 of the secret, base64.
    pub secret_hash: Option<String>,
    /// SHA-256 of the RFC 7592 registration access token, base64.
    pub registration_token_hash: Option<String>,
}

/// A user with its password hash.
#[derive(Debug, Serialize, Deserialize)]
pub struct UserRecord {
    /// The user.
    #[serde(flatten)]
    pub user: User,
    /// The Argon2id PHC string.
    pub password_hash: Option<String>,
}

/// A stored upstream, its secret still sealed.
#[derive(Debug, Serialize, Deserialize)]
pub struct UpstreamRecord {
    /// Its id.
    pub id: String,
    /// Its settings, JSON.
    pub config: String,
    /// The sealed client secret, base64.
    pub sealed_secret: Option<String>,
    /// Creation time.
    pub created_at: i64,
    /// Last change.
    pub updated_at: i64,
}

/// What an import did.
#[derive(Debug, Default, Serialize)]
pub struct ImportReport {
    /// Rows inserted.
    pub imported: usize,
    /// Rows whose id (or unique value) already existed, left as they were.
    pub skipped: Vec<String>,
    /// Rows left out because they are not valid (a hand-edited document), with why.
    pub refused: Vec<String>,
}

fn hash_text(hash: &Option<SecretHash>) -> Option<String> {
    hash.as_ref().map(|h| STANDARD.encode(h.as_bytes()))
}

fn hash_value(text: &Option<String>) -> anyhow::Result<Option<SecretHash>> {
    text.as_deref()
        .map(|t| {
            let bytes = STANDARD.decode(t)?;
            SecretHash::from_bytes(&bytes).ok_or_else(|| anyhow::anyhow!("a hash is not 32 bytes"))
        })
        .transpose()
}

/// Reads everything exportable from `store`.
pub async fn export(store: &dyn Store, now: i64) -> anyhow::Result<Export> {
    let clients = store.list_clients().await?.into_iter().map(|client| ClientRecord {
        secret_hash: hash_text(&client.secret_hash),
        registration_token_hash: hash_text(&client.registration_token_hash),
        client,
    });
    let users: Vec<UserRecord> = store
        .list_users()
        .await?
        .into_iter()
        .map(|user| UserRecord { password_hash: user.password_hash.clone(), user })
        .collect();
    let mut links = Vec::new();
    let (mut totp, mut recovery_codes, mut passkeys) = (Vec::new(), Vec::new(), Vec::new());
    for record in &users {
        let id = &record.user.id;
        links.extend(store.linked_identities(id).await?);
        totp.extend(store.find_totp(id).await?.map(totp_record));
        let hashes = store.recovery_code_hashes(id).await?;
        if !hashes.is_empty() {
            let hashes = hashes.iter().map(|h| STANDARD.encode(h.as_bytes())).collect();
            recovery_codes.push(RecoveryCodesRecord { user_id: id.clone(), hashes });
        }
        passkeys.extend(store.list_passkeys(id).await?.into_iter().map(passkey_record));
    }
    let upstreams = store.list_upstreams().await?.into_iter().map(|u| UpstreamRecord {
        id: u.id,
        config: u.config,
        sealed_secret: u.sealed_secret.map(|s| STANDARD.encode(s)),
        created_at: u.created_at,
        updated_at: u.updated_at,
    });
    Ok(Export {
        format: FORMAT.to_owned(),
        version: VERSION,
        exported_at: now,
        clients: clients.collect(),
        apis: store.list_apis().await?,
        users,
        upstreams: upstreams.collect(),
        linked_identities: links,
        totp,
        recovery_codes,
        passkeys,
        document_blocks: store.list_document_blocks().await?,
    })
}

fn totp_record(f: TotpFactor) -> TotpRecord {
    TotpRecord {
        user_id: f.user_id,
        sealed_key: STANDARD.encode(f.sealed_key),
        last_step: f.last_step,
        created_at: f.created_at,
        last_used_at: f.last_used_at,
    }
}

fn passkey_record(p: Passkey) -> PasskeyRecord {
    PasskeyRecord {
        id: STANDARD.encode(p.id),
        user_id: p.user_id,
        name: p.name,
        public_key: STANDARD.encode(p.public_key),
        sign_count: p.sign_count,
        uv_initialized: p.uv_initialized,
        backup_eligible: p.backup_eligible,
        backup_state: p.backup_state,
        transports: p.transports,
        aaguid: STANDARD.encode(p.aaguid),
        created_at: p.created_at,
        last_used_at: p.last_used_at,
    }
}

fn passkey_of(r: PasskeyRecord) -> anyhow::Result<Passkey> {
    Ok(Passkey {
        id: STANDARD.decode(r.id)?,
        user_id: r.user_id,
        name: r.name,
        public_key: STANDARD.decode(r.public_key)?,
        sign_count: r.sign_count,
        uv_initialized: r.uv_initialized,
        backup_eligible: r.backup_eligible,
        backup_state: r.backup_state,
        transports: r.transports,
        aaguid: STANDARD.decode(r.aaguid)?,
        created_at: r.created_at,
        last_used_at: r.last_used_at,
    })
}

/// Writes `doc` into `store` at `now`. Rows that already exist are skipped and listed, as are
/// blocks whose target is not one; any other failure stops the import.
pub async fn import(store: &dyn Store, doc: Export, now: i64) -> anyhow::Result<ImportReport> {
    anyhow::ensure!(
        doc.format == FORMAT && doc.version == VERSION,
        "not a Keygate export of version {VERSION} (format '{}', version {})",
        doc.format,
        doc.version
    );
    let mut report = ImportReport::default();
    let mut note = |what: String, result: Result<(), StoreError>| -> anyhow::Result<()> {
        match result {
            Ok(()) => report.imported += 1,
            Err(StoreError::Conflict(_)) => report.skipped.push(what),
            Err(e) => return Err(e.into()),
        }
        Ok(())
    };
    let mut created = std::collections::HashSet::new();
    for record in doc.users {
        let mut user = record.user;
        user.password_hash = record.password_hash;
        let result = store.insert_user(&user).await;
        if result.is_ok() {
            created.insert(user.id.clone());
        }
        note(format!("user {}", user.username), result)?;
    }
    for record in doc.clients {
        let mut client = record.client;
        client.secret_hash = hash_value(&record.secret_hash)?;
        client.registration_token_hash = hash_value(&record.registration_token_hash)?;
        let result = store.insert_client(&client).await;
        note(format!("client {}", client.client_id), result)?;
    }
    for api in doc.apis {
        let result = store.insert_api(&api).await;
        note(format!("api {}", api.identifier), result)?;
    }
    for u in doc.upstreams {
        let sealed_secret = u.sealed_secret.as_deref().map(|s| STANDARD.decode(s)).transpose()?;
        let stored = StoredUpstream {
            id: u.id,
            config: u.config,
            sealed_secret,
            created_at: u.created_at,
            updated_at: u.updated_at,
        };
        let result = store.insert_upstream(&stored).await;
        note(format!("upstream {}", stored.id), result)?;
    }
    for link in doc.linked_identities {
        let result = store.insert_linked_identity(&link).await;
        note(format!("linked identity {}/{}", link.provider_id, link.subject), result)?;
    }
    // Second factors only for the users this import created: an existing account keeps its own.
    for t in doc.totp.into_iter().filter(|t| created.contains(&t.user_id)) {
        let factor = TotpFactor {
            sealed_key: STANDARD.decode(&t.sealed_key)?,
            user_id: t.user_id,
            last_step: t.last_step,
            created_at: t.created_at,
            last_used_at: t.last_used_at,
        };
        note(format!("authenticator app of {}", factor.user_id), store.put_totp(&factor).await)?;
    }
    for r in doc.recovery_codes.into_iter().filter(|r| created.contains(&r.user_id)) {
        let hashes = r.hashes.into_iter().map(|h| hash_value(&Some(h)));
        let hashes: Vec<SecretHash> =
            hashes.filter_map(Result::transpose).collect::<Result<_, _>>()?;
        let result = store.replace_recovery_codes(&r.user_id, &hashes).await;
        note(format!("recovery codes of {}", r.user_id), result)?;
    }
    for p in doc.passkeys.into_iter().filter(|p| created.contains(&p.user_id)) {
        let passkey = passkey_of(p)?;
        let result = store.insert_passkey(&passkey).await;
        note(format!("passkey {} of {}", passkey.name, passkey.user_id), result)?;
    }
    let mut unusable = Vec::new();
    for mut block in doc.document_blocks {
        // Stored as the admin operations store it, so that it can be removed the same way.
        match crate::admin::block_target(&block.target) {
            Ok(target) => block.target = target,
            Err(_) => {
                unusable.push(format!("block on {}: not a URL, host or domain", block.target));
                continue;
            }
        }
        let result = store.insert_document_block(&block, now).await.map(|_| ());
        note(format!("block on {}", block.target), result)?;
    }
    report.refused = unusable;
    Ok(report)
}
