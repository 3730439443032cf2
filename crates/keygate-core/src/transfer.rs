//! `keygate export` / `import`: clients, APIs, users, upstream providers and linked identities
//! as one JSON document, for moving between backends (SQLite to PostgreSQL) or machines.
//! Secrets stay as they are stored: client secrets and passwords as hashes, upstream client
//! secrets sealed under the master key (the target needs the same master key to use them).
//! Sessions, grants and tokens are not moved: users sign in again.

use base64::Engine;
use base64::engine::general_purpose::STANDARD;
use serde::{Deserialize, Serialize};

use crate::api::Api;
use crate::client::Client;
use crate::secret::SecretHash;
use crate::store::{LinkedIdentity, Store, StoreError, StoredUpstream};
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
    for record in &users {
        links.extend(store.linked_identities(&record.user.id).await?);
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
    })
}

/// Writes `doc` into `store`. Rows that already exist are skipped and listed; any other
/// failure stops the import.
pub async fn import(store: &dyn Store, doc: Export) -> anyhow::Result<ImportReport> {
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
    for record in doc.users {
        let mut user = record.user;
        user.password_hash = record.password_hash;
        let result = store.insert_user(&user).await;
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
    Ok(report)
}
