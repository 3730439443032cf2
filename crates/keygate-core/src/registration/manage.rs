//! The client configuration endpoint (RFC 7592 §2): read, replace and delete a registration
//! with its registration access token.

use keygate_types::ClientInformation;
use serde_json::json;

use super::{Caller, RegistrationError, TOKEN_BYTES, admin, metadata, parse, registrable};
use super::{summary, target};
use crate::Provider;
use crate::admin::NewClient;
use crate::client::{Client, validate_client};
use crate::secret::{Secret, SecretHash};

/// RFC 7592 §2.1: the current registration. The secret is not repeated (only its hash is
/// kept); the registration access token is the one presented, still valid.
pub async fn read(
    provider: &Provider,
    caller: Caller<'_>,
    client_id: &str,
) -> Result<ClientInformation, RegistrationError> {
    let (client, token) = authorized(provider, &caller, client_id).await?;
    Ok(metadata::information(&client, provider.issuer(), token, None))
}

/// RFC 7592 §2.2: replaces the registration with the metadata in `body`. The body names the
/// client (`client_id`); a `client_secret`, if sent, must be the current one (a client cannot
/// choose its secret). Omitted fields take their defaults. What an operator set beyond the
/// metadata (API audiences, first-party, web origins, lifetimes) is kept, as are scopes the
/// operator allowed. The registration access token is rotated: the response carries the new
/// one, and a new secret only when the client newly needs one.
pub async fn update(
    provider: &Provider,
    caller: Caller<'_>,
    client_id: &str,
    body: &[u8],
) -> Result<ClientInformation, RegistrationError> {
    let (old, _) = authorized(provider, &caller, client_id).await?;
    let request = parse(body)?;
    if request.client_id.as_deref() != Some(client_id) {
        return Err(RegistrationError::InvalidClientMetadata(
            "the body must carry the client_id of the client being updated (RFC 7592 §2.2)".into(),
        ));
    }
    if let Some(sent) = request.client_secret.as_deref().filter(|s| !s.is_empty())
        && !old.secret_hash.as_ref().is_some_and(|h| h.verify(sent))
    {
        return Err(RegistrationError::InvalidClientMetadata(
            "client_secret does not match the issued secret (RFC 7592 §2.2)".into(),
        ));
    }
    let apis = provider.apis().await?;
    let registrable = registrable(&apis);
    let allowed = |scope: &str| registrable(scope) || old.scopes.iter().any(|s| s == scope);
    let (client_type, spec) = metadata::requested(&request, client_id, allowed)?;
    let admin = admin(provider, caller.ip);
    let new = NewClient { client_type, client_id: Some(client_id.to_owned()), secret: None, spec };
    let (mut client, mut secret) = admin.build_client(new)?;
    // A client that still authenticates with a secret keeps the one it has.
    if client.secret_hash.is_some() && old.secret_hash.is_some() {
        client.secret_hash = old.secret_hash.clone();
        secret = None;
    }
    keep_operator_settings(&mut client, &old);
    if client.metadata.unverified {
        super::check_open_name(Some(&client.name))?;
    }
    let problems = validate_client(&client);
    if !problems.is_empty() {
        return Err(RegistrationError::InvalidClientMetadata(problems.join("; ")));
    }
    let token = Secret::generate(TOKEN_BYTES);
    client.registration_token_hash = Some(SecretHash::of(token.expose_secret()));
    admin.save_client(&client).await?;
    admin.record("client.register_update", &target(&client), summary(&client)).await?;
    let issuer = provider.issuer();
    Ok(metadata::information(&client, issuer, token.expose_secret(), secret.as_ref()))
}

/// RFC 7592 §2.3: deletes the client; its grants and tokens stop working with it.
pub async fn delete(
    provider: &Provider,
    caller: Caller<'_>,
    client_id: &str,
) -> Result<(), RegistrationError> {
    let (client, _) = authorized(provider, &caller, client_id).await?;
    let admin = admin(provider, caller.ip);
    admin.remove_client(client_id).await?;
    admin.record("client.register_delete", &target(&client), json!({})).await?;
    Ok(())
}

/// RFC 7592 §2: the caller must present the client's registration access token, compared in
/// constant time. A missing client, one registered without the protocol (no token), and a
/// wrong token all get the same 401 (RFC 7592 §2.1).
async fn authorized<'a>(
    provider: &Provider,
    caller: &Caller<'a>,
    client_id: &str,
) -> Result<(Client, &'a str), RegistrationError> {
    let token = caller.bearer.ok_or(RegistrationError::MissingToken)?;
    let client = provider.store().find_client(client_id).await?;
    match client {
        Some(c) if c.registration_token_hash.as_ref().is_some_and(|h| h.verify(token)) => {
            Ok((c, token))
        }
        _ => Err(RegistrationError::InvalidToken),
    }
}

/// Settings that only an operator changes survive an RFC 7592 update, as does the creation time.
fn keep_operator_settings(client: &mut Client, old: &Client) {
    client.resources = old.resources.clone();
    client.first_party = old.first_party;
    client.metadata.web_origins = old.metadata.web_origins.clone();
    client.metadata.access_token_ttl = old.metadata.access_token_ttl;
    client.metadata.refresh_token_ttl = old.metadata.refresh_token_ttl;
    client.metadata.unverified = old.metadata.unverified;
    client.created_at = old.created_at;
}
