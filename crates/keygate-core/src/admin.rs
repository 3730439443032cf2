//! Administrative operations on clients, users and keys. The CLI calls these now; the admin API
//! and console will call the same functions, so every interface validates alike.

use crate::client::{Client, ClientSpec, ClientType, defaults_for, validate_client};
use crate::clock::Clock;
use crate::keys::{MasterKey, SigningAlg, StoredKey};
use crate::secret::{Secret, SecretHash, random_id};
use crate::store::{KeyInsert, Store, StoreError};
use crate::user::{MIN_PASSWORD_LEN, PasswordPolicy, User, validate_email, validate_username};

/// Bits of randomness in generated client secrets (32 bytes).
pub const CLIENT_SECRET_BYTES: usize = 32;

/// Why an administrative operation failed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum AdminError {
    /// The input is invalid; every problem is listed.
    #[error("{}", .0.join("; "))]
    Invalid(Vec<String>),
    /// No such object.
    #[error("{0} not found")]
    NotFound(String),
    /// A unique value is taken.
    #[error("{0}")]
    Conflict(String),
    /// Storage or crypto failure.
    #[error(transparent)]
    Internal(#[from] anyhow::Error),
}

impl From<StoreError> for AdminError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::Conflict(what) => Self::Conflict(format!("{what} already exists")),
            StoreError::Backend(e) => Self::Internal(e),
        }
    }
}

/// A request to register a client.
#[derive(Debug)]
pub struct NewClient {
    /// The application type.
    pub client_type: ClientType,
    /// An explicit client id (for migrations and tests); generated when `None`.
    pub client_id: Option<String>,
    /// An explicit secret; generated for confidential clients when `None`.
    pub secret: Option<Secret>,
    /// The metadata; unset fields take the type's defaults.
    pub spec: ClientSpec,
}

/// A new user account.
#[derive(Debug)]
pub struct NewUser {
    /// Login name.
    pub username: String,
    /// Email address.
    pub email: String,
    /// Whether the email is verified.
    pub email_verified: bool,
    /// Full name.
    pub name: Option<String>,
    /// Given name.
    pub given_name: Option<String>,
    /// Family name.
    pub family_name: Option<String>,
}

/// Administrative operations over a store.
pub struct Admin<'a> {
    store: &'a dyn Store,
    clock: &'a dyn Clock,
}

impl<'a> Admin<'a> {
    /// Operations on `store` at the time `clock` tells.
    pub fn new(store: &'a dyn Store, clock: &'a dyn Clock) -> Self {
        Self { store, clock }
    }

    /// Registers a client. Returns it with its secret, which is shown once and never stored.
    pub async fn create_client(
        &self,
        new: NewClient,
    ) -> Result<(Client, Option<Secret>), AdminError> {
        let (grant_types, auth_method, scopes) = defaults_for(new.client_type);
        let now = self.clock.now();
        let spec = new.spec;
        let mut client = Client {
            client_id: new.client_id.unwrap_or_else(random_id),
            name: spec.name.clone().unwrap_or_default(),
            client_type: new.client_type,
            secret_hash: None,
            auth_method: spec.auth_method.unwrap_or(auth_method),
            redirect_uris: Vec::new(),
            post_logout_redirect_uris: Vec::new(),
            grant_types,
            scopes,
            resources: Vec::new(),
            first_party: false,
            id_token_alg: None,
            backchannel_logout_uri: None,
            created_at: now,
            updated_at: now,
        };
        apply_spec(&mut client, spec);
        let secret = if client.client_type.is_confidential() {
            Some(new.secret.unwrap_or_else(|| Secret::generate(CLIENT_SECRET_BYTES)))
        } else if new.secret.is_some() {
            return Err(AdminError::Invalid(vec![format!(
                "a {} client is public and cannot have a secret",
                client.client_type
            )]));
        } else {
            None
        };
        if secret.as_ref().is_some_and(|s| s.expose_secret().is_empty()) {
            return Err(AdminError::Invalid(vec!["the client secret must not be empty".into()]));
        }
        client.secret_hash = secret.as_ref().map(|s| SecretHash::of(s.expose_secret()));
        check(validate_client(&client))?;
        self.store.insert_client(&client).await?;
        Ok((client, secret))
    }

    /// One client.
    pub async fn client(&self, client_id: &str) -> Result<Client, AdminError> {
        self.store
            .find_client(client_id)
            .await?
            .ok_or_else(|| AdminError::NotFound(format!("client '{client_id}'")))
    }

    /// Every client.
    pub async fn clients(&self) -> Result<Vec<Client>, AdminError> {
        Ok(self.store.list_clients().await?)
    }

    /// Changes the given fields of a client.
    pub async fn update_client(
        &self,
        client_id: &str,
        spec: ClientSpec,
    ) -> Result<Client, AdminError> {
        let mut client = self.client(client_id).await?;
        apply_spec(&mut client, spec);
        client.updated_at = self.clock.now();
        check(validate_client(&client))?;
        self.save_client(&client).await?;
        Ok(client)
    }

    /// Replaces a confidential client's secret; the old one stops working at once.
    pub async fn rotate_client_secret(&self, client_id: &str) -> Result<Secret, AdminError> {
        let mut client = self.client(client_id).await?;
        if !client.client_type.is_confidential() {
            return Err(AdminError::Invalid(vec![format!(
                "client '{client_id}' is public and has no secret"
            )]));
        }
        let secret = Secret::generate(CLIENT_SECRET_BYTES);
        client.secret_hash = Some(SecretHash::of(secret.expose_secret()));
        client.updated_at = self.clock.now();
        self.save_client(&client).await?;
        Ok(secret)
    }

    async fn save_client(&self, client: &Client) -> Result<(), AdminError> {
        if self.store.update_client(client).await? {
            Ok(())
        } else {
            Err(AdminError::NotFound(format!("client '{}'", client.client_id)))
        }
    }

    /// Deletes a client; its tokens stop introspecting as active.
    pub async fn delete_client(&self, client_id: &str) -> Result<(), AdminError> {
        match self.store.delete_client(client_id).await? {
            true => Ok(()),
            false => Err(AdminError::NotFound(format!("client '{client_id}'"))),
        }
    }

    /// Creates a user with a password (hashed with Argon2id).
    pub async fn create_user(
        &self,
        new: NewUser,
        password: &Secret,
        policy: &PasswordPolicy,
    ) -> Result<User, AdminError> {
        let mut problems = Vec::new();
        problems.extend(validate_username(&new.username).err());
        problems.extend(validate_email(&new.email).err());
        problems.extend(password_problem(password));
        check(problems)?;
        let now = self.clock.now();
        let user = User {
            id: random_id(),
            username: new.username,
            email: new.email,
            email_verified: new.email_verified,
            name: new.name,
            given_name: new.given_name,
            family_name: new.family_name,
            password_hash: Some(policy.hash(password).map_err(anyhow::Error::msg)?),
            disabled: false,
            created_at: now,
            updated_at: now,
        };
        self.store.insert_user(&user).await?;
        Ok(user)
    }

    /// One user, by id, username or email.
    pub async fn user(&self, id_or_login: &str) -> Result<User, AdminError> {
        self.store
            .find_user(id_or_login)
            .await?
            .ok_or_else(|| AdminError::NotFound(format!("user '{id_or_login}'")))
    }

    /// Every user.
    pub async fn users(&self) -> Result<Vec<User>, AdminError> {
        Ok(self.store.list_users().await?)
    }

    /// Sets a user's password.
    pub async fn set_password(
        &self,
        id_or_login: &str,
        password: &Secret,
        policy: &PasswordPolicy,
    ) -> Result<User, AdminError> {
        check(password_problem(password).into_iter().collect())?;
        let mut user = self.user(id_or_login).await?;
        user.password_hash = Some(policy.hash(password).map_err(anyhow::Error::msg)?);
        self.save_user(user).await
    }

    /// Disables or re-enables a user.
    pub async fn set_disabled(
        &self,
        id_or_login: &str,
        disabled: bool,
    ) -> Result<User, AdminError> {
        let mut user = self.user(id_or_login).await?;
        user.disabled = disabled;
        self.save_user(user).await
    }

    async fn save_user(&self, mut user: User) -> Result<User, AdminError> {
        user.updated_at = self.clock.now();
        match self.store.update_user(&user).await? {
            true => Ok(user),
            false => Err(AdminError::NotFound(format!("user '{}'", user.id))),
        }
    }

    /// Deletes a user.
    pub async fn delete_user(&self, id_or_login: &str) -> Result<(), AdminError> {
        let user = self.user(id_or_login).await?;
        match self.store.delete_user(&user.id).await? {
            true => Ok(()),
            false => Err(AdminError::NotFound(format!("user '{id_or_login}'"))),
        }
    }

    /// Every stored signing key, newest first.
    pub async fn keys(&self) -> Result<Vec<StoredKey>, AdminError> {
        Ok(self.store.list_keys().await?)
    }

    /// Makes a new key the signer for every algorithm. The old public keys stay published until
    /// every token they signed has expired ([`crate::Settings::key_retention`]).
    pub async fn rotate_keys(&self, master: &MasterKey) -> Result<Vec<StoredKey>, AdminError> {
        let now = self.clock.now();
        let mut made = Vec::new();
        for alg in SigningAlg::ALL {
            let key = StoredKey::generate(alg, master, now)?;
            self.store.insert_key(&key, KeyInsert::Rotate { now }).await?;
            made.push(key);
        }
        Ok(made)
    }
}

fn apply_spec(client: &mut Client, spec: ClientSpec) {
    let ClientSpec {
        name,
        redirect_uris,
        post_logout_redirect_uris,
        grant_types,
        scopes,
        resources,
        auth_method,
        first_party,
        id_token_alg,
        backchannel_logout_uri,
    } = spec;
    if let Some(v) = name {
        client.name = v;
    }
    if let Some(v) = redirect_uris {
        client.redirect_uris = v;
    }
    if let Some(v) = post_logout_redirect_uris {
        client.post_logout_redirect_uris = v;
    }
    if let Some(v) = grant_types {
        client.grant_types = v;
    }
    if let Some(v) = scopes {
        client.scopes = v;
    }
    if let Some(v) = resources {
        client.resources = v;
    }
    if let Some(v) = auth_method {
        client.auth_method = v;
    }
    if let Some(v) = first_party {
        client.first_party = v;
    }
    if let Some(v) = id_token_alg {
        client.id_token_alg = Some(v);
    }
    if let Some(v) = backchannel_logout_uri {
        client.backchannel_logout_uri = (!v.is_empty()).then_some(v);
    }
}

fn password_problem(password: &Secret) -> Option<String> {
    (password.expose_secret().chars().count() < MIN_PASSWORD_LEN)
        .then(|| format!("the password must have at least {MIN_PASSWORD_LEN} characters"))
}

fn check(problems: Vec<String>) -> Result<(), AdminError> {
    if problems.is_empty() { Ok(()) } else { Err(AdminError::Invalid(problems)) }
}
