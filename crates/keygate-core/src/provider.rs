//! The provider: settings, storage, keys and caches in one value that the endpoints share.

use std::collections::HashSet;
use std::sync::{Arc, RwLock};

use crate::api::Api;
use crate::clock::Clock;
use crate::federation::UpstreamProvider;
use crate::keys::{Keyring, MasterKey, SigningAlg, StoredKey};
use crate::revision_cache::{Revision, RevisionCache};
use crate::settings::Settings;
use crate::store::{KeyInsert, Store, StoreError};
use crate::{Client, OAuthError};

/// How often, at most, the keyring is rebuilt even without a change (retired keys age out).
const KEYRING_MAX_AGE: i64 = 60;

/// One Keygate provider. Cheap to share behind an `Arc`.
pub struct Provider {
    settings: Settings,
    store: Arc<dyn Store>,
    clock: Arc<dyn Clock>,
    master: MasterKey,
    keyring: RwLock<(Arc<Keyring>, i64)>,
    clients: RevisionCache<String, Client>,
    apis: RevisionCache<(), Vec<Api>>,
    web_origins: RevisionCache<(), HashSet<String>>,
    revision: Revision,
    remote_jwks: crate::client_assertion::RemoteJwks,
    documents: crate::registration::document::DocumentCache,
    document_blocks: RevisionCache<(), Vec<crate::store::DocumentBlock>>,
    federation: crate::federation::Upstreams,
    verified_tokens: crate::token_cache::VerifiedTokens,
    revocation_watch: crate::revocation_watch::RevocationWatch,
    upstreams: RevisionCache<(), Vec<UpstreamProvider>>,
    hash_pool: crate::hashing::HashPool,
    mailer: crate::mail::sender::Mailer,
    mail_templates: crate::mail::templates::MailTemplates,
    catalogs: Arc<crate::i18n::Catalogs>,
}

impl std::fmt::Debug for Provider {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Provider").field("issuer", &self.settings.issuer).finish()
    }
}

impl Provider {
    /// Opens the provider: makes the signing keys on first start and loads them.
    pub async fn new(
        settings: Settings,
        store: Arc<dyn Store>,
        clock: Arc<dyn Clock>,
        master: MasterKey,
    ) -> anyhow::Result<Self> {
        ensure_signing_keys(store.as_ref(), &master, clock.now()).await?;
        let revision = store.revision().await?;
        let keyring = load_keyring(store.as_ref(), &master, &settings, clock.now()).await?;
        let cores = std::thread::available_parallelism().map_or(1, |n| n.get());
        let hashing_threads = settings.passwords.hashing_threads(cores);
        let catalogs = Arc::new(crate::i18n::Catalogs::load(settings.ui.locales_dir.as_deref())?);
        let mail_templates = crate::mail::templates::MailTemplates::load(
            settings.mail.templates_dir.as_deref(),
            catalogs.clone(),
        )
        .map_err(|problems| anyhow::anyhow!(problems.join("; ")))?;
        Ok(Self {
            mailer: Default::default(),
            mail_templates,
            catalogs,
            keyring: RwLock::new((Arc::new(keyring), clock.now())),
            settings,
            store,
            clock,
            master,
            clients: RevisionCache::default(),
            apis: RevisionCache::default(),
            web_origins: RevisionCache::default(),
            revision: Revision::new(revision),
            remote_jwks: Default::default(),
            documents: Default::default(),
            document_blocks: RevisionCache::default(),
            federation: Default::default(),
            verified_tokens: Default::default(),
            revocation_watch: Default::default(),
            upstreams: RevisionCache::default(),
            hash_pool: crate::hashing::HashPool::new(hashing_threads),
        })
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The issuer identifier.
    pub fn issuer(&self) -> &str {
        &self.settings.issuer
    }

    /// The storage.
    pub fn store(&self) -> &dyn Store {
        self.store.as_ref()
    }

    /// The clock.
    pub fn clock(&self) -> &dyn Clock {
        self.clock.as_ref()
    }

    /// The current time.
    pub fn now(&self) -> i64 {
        self.clock.now()
    }

    /// The master key.
    pub fn master_key(&self) -> &MasterKey {
        &self.master
    }

    /// Clients' JWK Sets fetched from their `jwks_uri` (for `private_key_jwt`).
    pub fn remote_jwks(&self) -> &crate::client_assertion::RemoteJwks {
        &self.remote_jwks
    }

    /// Clients built from Client ID Metadata Documents.
    pub(crate) fn documents(&self) -> &crate::registration::document::DocumentCache {
        &self.documents
    }

    /// The operator's blocks on metadata documents, cached until the store's revision moves.
    pub(crate) fn document_block_cache(
        &self,
    ) -> (&RevisionCache<(), Vec<crate::store::DocumentBlock>>, &Revision) {
        (&self.document_blocks, &self.revision)
    }

    /// Access tokens this node has verified.
    pub fn verified_tokens(&self) -> &crate::token_cache::VerifiedTokens {
        &self.verified_tokens
    }

    /// What this node knows of revocations made anywhere (see [`crate::revocation_watch`]).
    pub fn revocation_watch(&self) -> &crate::revocation_watch::RevocationWatch {
        &self.revocation_watch
    }

    /// Revokes a grant, and with it every token issued under it, on every node: at once here,
    /// elsewhere as the revocation feed carries it.
    pub async fn revoke_grant(&self, id: &str) -> Result<(), StoreError> {
        self.store.revoke_grant(id, self.now()).await?;
        self.revocation_watch.note(crate::store::Revoked::Grant(id.to_owned()));
        Ok(())
    }

    /// This node's mail transport and sender signal ([`crate::mail`]).
    pub fn mailer(&self) -> &crate::mail::sender::Mailer {
        &self.mailer
    }

    /// The message templates ([`crate::mail::templates`]).
    pub fn mail_templates(&self) -> &crate::mail::templates::MailTemplates {
        &self.mail_templates
    }

    /// The languages of the pages and the emails ([`crate::i18n`]).
    pub fn catalogs(&self) -> &Arc<crate::i18n::Catalogs> {
        &self.catalogs
    }

    /// Outgoing HTTP and metadata for upstream identity providers.
    pub fn federation(&self) -> &crate::federation::Upstreams {
        &self.federation
    }

    /// The threads that run password hashing (one per core).
    pub fn hash_pool(&self) -> &crate::hashing::HashPool {
        &self.hash_pool
    }

    /// The current keyring.
    pub fn keyring(&self) -> Arc<Keyring> {
        match self.keyring.read() {
            Ok(guard) => guard.0.clone(),
            Err(poisoned) => poisoned.into_inner().0.clone(),
        }
    }

    /// Picks up changes made elsewhere (another node, the CLI): when the store's revision moved,
    /// cached clients are dropped and keys reloaded. Run every half second by the server.
    pub async fn sync(&self) -> anyhow::Result<()> {
        let revision = self.store.revision().await?;
        let activation_due = self.keyring().next_activation().is_some_and(|at| self.now() >= at);
        let stale_keyring =
            self.now() - self.keyring_loaded_at() >= KEYRING_MAX_AGE || activation_due;
        let caches: [&dyn crate::revision_cache::Clear; 5] =
            [&self.clients, &self.apis, &self.web_origins, &self.upstreams, &self.document_blocks];
        if !self.revision.advance(revision, &caches) && !stale_keyring {
            return Ok(());
        }
        let keyring = load_keyring(self.store(), &self.master, &self.settings, self.now()).await?;
        let mut slot = self.keyring.write().map_err(|_| anyhow::anyhow!("keyring poisoned"))?;
        *slot = (Arc::new(keyring), self.now());
        Ok(())
    }

    fn keyring_loaded_at(&self) -> i64 {
        match self.keyring.read() {
            Ok(guard) => guard.1,
            Err(poisoned) => poisoned.into_inner().1,
        }
    }

    /// A client by id, from the cache or the store.
    pub async fn client(&self, client_id: &str) -> Result<Option<Arc<Client>>, OAuthError> {
        let load = || async { Ok::<_, OAuthError>(self.store.find_client(client_id).await?) };
        let registered = self.clients.get_or_load(&self.revision, client_id, load).await?;
        // An operator may register a URL as a client id; otherwise the URL is resolved as a
        // Client ID Metadata Document.
        if registered.is_none() && self.is_document_client_id(client_id) {
            return self.document_client(client_id).await;
        }
        Ok(registered)
    }
}

impl Provider {
    /// Every registered API, from the cache or the store.
    pub async fn apis(&self) -> Result<Arc<Vec<Api>>, OAuthError> {
        let load = || async { Ok::<_, OAuthError>(Some(self.store.list_apis().await?)) };
        let apis = self.apis.get_or_load(&self.revision, &(), load).await?;
        Ok(apis.unwrap_or_default())
    }

    /// Every upstream identity provider ([`crate::federation::merge_upstreams`] of the
    /// configuration file's and the stored ones), cached until the store's revision moves.
    pub async fn upstream_providers(&self) -> Result<Arc<Vec<UpstreamProvider>>, OAuthError> {
        let load = || async {
            let mut stored = Vec::new();
            for row in self.store.list_upstreams().await? {
                match UpstreamProvider::from_stored(&row, &self.master) {
                    Ok(upstream) => stored.push(upstream),
                    Err(e) => {
                        tracing::error!(upstream = %row.id, error = %e, "unreadable upstream")
                    }
                }
            }
            let merged = crate::federation::merge_upstreams(&self.settings.upstreams, stored);
            Ok::<_, OAuthError>(Some(merged))
        };
        let list = self.upstreams.get_or_load(&self.revision, &(), load).await?;
        Ok(list.unwrap_or_default())
    }

    /// One upstream identity provider by id.
    pub async fn upstream(&self, id: &str) -> Result<Option<UpstreamProvider>, OAuthError> {
        Ok(self.upstream_providers().await?.iter().find(|u| u.id == id).cloned())
    }

    /// Whether some application registered `origin` as a web origin (CORS for browser clients).
    pub async fn is_web_origin(&self, origin: &str) -> Result<bool, OAuthError> {
        let load = || async {
            let clients = self.store.list_clients().await?;
            let origins: HashSet<String> =
                clients.into_iter().flat_map(|c| c.metadata.web_origins).collect();
            Ok::<_, OAuthError>(Some(origins))
        };
        let origins = self.web_origins.get_or_load(&self.revision, &(), load).await?;
        Ok(origins.is_some_and(|o| o.contains(origin)))
    }

    /// The consent page's words for each scope: Keygate's own words for the OpenID Connect
    /// scopes, else the description given by an API the request is for (an API the client does
    /// not ask for never speaks on its consent page), else a generic line.
    pub async fn describe_scopes(
        &self,
        scope: &[String],
        resources: &[String],
    ) -> Result<Vec<String>, OAuthError> {
        let lines = self.scope_lines(scope, resources).await?;
        Ok(lines
            .into_iter()
            .map(|l| {
                l.api_words.unwrap_or_else(|| crate::scope::describe_scope(&l.scope).into_owned())
            })
            .collect())
    }

    /// Each scope with the words its API gives it, if any (reserved scopes never take an
    /// API's words): what pages show, in the user's language for Keygate's own scopes.
    pub async fn scope_lines(
        &self,
        scope: &[String],
        resources: &[String],
    ) -> Result<Vec<crate::scope::ScopeLine>, OAuthError> {
        let apis = self.apis().await?;
        let targeted: Vec<&Api> =
            apis.iter().filter(|a| resources.contains(&a.identifier)).collect();
        Ok(scope
            .iter()
            .map(|s| {
                let defined = (!crate::scope::is_reserved_scope(s))
                    .then(|| targeted.iter().find_map(|api| api.scope(s)))
                    .flatten();
                crate::scope::ScopeLine {
                    scope: s.clone(),
                    api_words: defined.map(|d| d.description.clone()),
                    translations: defined.map(|d| d.translations.clone()).unwrap_or_default(),
                }
            })
            .collect())
    }

    /// RFC 9396 authorization details in plain words, for the consent page.
    pub async fn describe_authorization_details(
        &self,
        details: &[keygate_types::AuthorizationDetail],
    ) -> Result<Vec<crate::authorization_details::ConsentLine>, OAuthError> {
        if details.is_empty() {
            return Ok(Vec::new());
        }
        Ok(crate::authorization_details::describe(details, &self.apis().await?))
    }
}

/// Makes the first key for every algorithm that has no active key. Several nodes starting at
/// once may race: the store lets one key per algorithm win, and the losers use it.
pub async fn ensure_signing_keys(
    store: &dyn Store,
    master: &MasterKey,
    now: i64,
) -> anyhow::Result<()> {
    let keys = store.list_keys().await?;
    for alg in SigningAlg::ALL {
        if keys.iter().any(|k| k.alg == alg && k.retired_at.is_none()) {
            continue;
        }
        let key = StoredKey::generate(alg, master, now)?;
        match store.insert_key(&key, KeyInsert::First).await {
            Ok(()) => tracing::info!(kid = %key.kid, %alg, "generated signing key"),
            Err(StoreError::Conflict(_)) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(())
}

async fn load_keyring(
    store: &dyn Store,
    master: &MasterKey,
    settings: &Settings,
    now: i64,
) -> anyhow::Result<Keyring> {
    let keys = store.list_keys().await?;
    Keyring::load(&keys, master, now, settings.key_retention())
}
