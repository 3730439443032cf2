//! `/upstreams`: upstream identity providers ("sign in with ..."), and `/users/{id}/identities`:
//! the upstream identities linked to a user. Upstreams from the configuration file are listed
//! read-only.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::admin::AdminError;
use keygate_core::federation::{UpstreamKind, UpstreamProvider, UpstreamSpec};
use keygate_core::store::LinkedIdentity;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::AdminCaller;
use super::problem::{JsonBody, Problem};
use super::{check_if_match, created, with_etag};
use crate::state::AppState;

/// An upstream identity provider; the client secret is never shown.
#[derive(Debug, Serialize, ToSchema)]
pub struct UpstreamView {
    pub id: String,
    pub display_name: String,
    /// `oidc` or `oauth2`.
    pub kind: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub authorization_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub userinfo_endpoint: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emails_endpoint: Option<String>,
    pub client_id: String,
    pub has_client_secret: bool,
    /// `client_secret_basic` or `client_secret_post`.
    pub token_auth: String,
    pub scopes: Vec<String>,
    pub pkce: bool,
    pub enabled: bool,
    pub jit_provisioning: bool,
    pub link_verified_email: bool,
    pub upstream_logout: bool,
    /// Where each claim comes from in the upstream's JSON.
    #[schema(value_type = Object)]
    pub mapping: serde_json::Value,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub preset: Option<String>,
    /// `config` (read-only here) or `store`.
    pub source: String,
    /// The redirect URI to register at the upstream.
    pub redirect_uri: String,
}

impl UpstreamView {
    fn new(u: &UpstreamProvider, redirect_uri: String) -> Self {
        let (kind, issuer, endpoints) = match &u.kind {
            UpstreamKind::Oidc { issuer } => {
                ("oidc", Some(issuer.clone()), [None, None, None, None])
            }
            UpstreamKind::Oauth2 {
                authorization_endpoint,
                token_endpoint,
                userinfo_endpoint,
                emails_endpoint,
            } => (
                "oauth2",
                None,
                [
                    Some(authorization_endpoint.clone()),
                    Some(token_endpoint.clone()),
                    Some(userinfo_endpoint.clone()),
                    emails_endpoint.clone(),
                ],
            ),
        };
        let [authorization_endpoint, token_endpoint, userinfo_endpoint, emails_endpoint] =
            endpoints;
        Self {
            id: u.id.clone(),
            display_name: u.display_name.clone(),
            kind: kind.to_owned(),
            issuer,
            authorization_endpoint,
            token_endpoint,
            userinfo_endpoint,
            emails_endpoint,
            client_id: u.client_id.clone(),
            has_client_secret: u.client_secret.is_some(),
            token_auth: serde_json::to_value(u.token_auth)
                .ok()
                .and_then(|v| v.as_str().map(str::to_owned))
                .unwrap_or_default(),
            scopes: u.scopes.clone(),
            pkce: u.pkce,
            enabled: u.enabled,
            jit_provisioning: u.jit_provisioning,
            link_verified_email: u.link_verified_email,
            upstream_logout: u.upstream_logout,
            mapping: serde_json::to_value(&u.mapping).unwrap_or_default(),
            preset: u.preset.clone(),
            source: if u.from_config { "config" } else { "store" }.to_owned(),
            redirect_uri,
        }
    }
}

/// The fields of an upstream to set: a `preset` with `client_id` and `client_secret` is
/// enough; absent fields keep their value (or the preset's).
#[derive(Debug, Default, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpstreamInput {
    pub id: Option<String>,
    /// `google`, `microsoft`, `facebook`, `github` or `gitlab`.
    pub preset: Option<String>,
    /// Microsoft's tenant (default `common`).
    pub tenant: Option<String>,
    pub display_name: Option<String>,
    /// An OpenID Provider's issuer.
    pub issuer: Option<String>,
    pub authorization_endpoint: Option<String>,
    pub token_endpoint: Option<String>,
    pub userinfo_endpoint: Option<String>,
    pub emails_endpoint: Option<String>,
    pub client_id: Option<String>,
    pub client_secret: Option<String>,
    /// `client_secret_basic` or `client_secret_post`.
    pub token_auth: Option<String>,
    pub scopes: Option<Vec<String>>,
    pub pkce: Option<bool>,
    pub enabled: Option<bool>,
    pub jit_provisioning: Option<bool>,
    pub link_verified_email: Option<bool>,
    pub upstream_logout: Option<bool>,
    #[schema(value_type = Option<Object>)]
    pub mapping: Option<serde_json::Value>,
}

impl UpstreamInput {
    fn into_spec(self) -> Result<UpstreamSpec, AdminError> {
        let invalid =
            |what: &str, e: serde_json::Error| AdminError::Invalid(vec![format!("{what}: {e}")]);
        let token_auth = self
            .token_auth
            .map(|t| serde_json::from_value(serde_json::Value::String(t)))
            .transpose()
            .map_err(|e| invalid("token_auth", e))?;
        let mapping = self
            .mapping
            .map(serde_json::from_value)
            .transpose()
            .map_err(|e| invalid("mapping", e))?;
        Ok(UpstreamSpec {
            id: self.id,
            preset: self.preset,
            tenant: self.tenant,
            display_name: self.display_name,
            issuer: self.issuer,
            authorization_endpoint: self.authorization_endpoint,
            token_endpoint: self.token_endpoint,
            userinfo_endpoint: self.userinfo_endpoint,
            emails_endpoint: self.emails_endpoint,
            client_id: self.client_id,
            client_secret: self.client_secret,
            client_secret_env: None,
            token_auth,
            scopes: self.scopes,
            pkce: self.pkce,
            enabled: self.enabled,
            jit_provisioning: self.jit_provisioning,
            link_verified_email: self.link_verified_email,
            upstream_logout: self.upstream_logout,
            mapping,
        })
    }
}

fn view(state: &AppState, u: &UpstreamProvider) -> UpstreamView {
    UpstreamView::new(u, state.provider.federation_redirect_uri(&u.id))
}

/// Every upstream, the configuration file's first.
#[utoipa::path(get, path = "/upstreams", tag = "upstreams",
    responses((status = 200, body = Vec<UpstreamView>)), security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
) -> Result<Json<Vec<UpstreamView>>, Problem> {
    caller.reader(&state)?;
    let all = state.provider.upstream_providers().await.map_err(AdminError::from)?;
    Ok(Json(all.iter().map(|u| view(&state, u)).collect()))
}

/// Adds an upstream.
#[utoipa::path(post, path = "/upstreams", tag = "upstreams", request_body = UpstreamInput,
    responses((status = 201, body = UpstreamView), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn create(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<UpstreamInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let upstream = input.into_spec()?.build().map_err(AdminError::Invalid)?;
    if state.provider.settings().upstreams.iter().any(|u| u.id == upstream.id) {
        return Err(AdminError::Conflict(format!(
            "upstream '{}' is in the configuration file",
            upstream.id
        ))
        .into());
    }
    let upstream = admin.create_upstream(upstream, state.provider.master_key()).await?;
    Ok(created(&state, &format!("upstreams/{}", upstream.id), &view(&state, &upstream)))
}

async fn find(state: &AppState, id: &str) -> Result<UpstreamProvider, Problem> {
    let found = state.provider.upstream(id).await.map_err(AdminError::from)?;
    Ok(found.ok_or_else(|| AdminError::NotFound(format!("upstream '{id}'")))?)
}

fn writable(u: &UpstreamProvider) -> Result<(), Problem> {
    if u.from_config {
        return Err(AdminError::Conflict(format!(
            "upstream '{}' is defined in the configuration file; change it there",
            u.id
        ))
        .into());
    }
    Ok(())
}

/// One upstream.
#[utoipa::path(get, path = "/upstreams/{id}", tag = "upstreams",
    responses((status = 200, body = UpstreamView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    caller.reader(&state)?;
    Ok(with_etag(StatusCode::OK, &view(&state, &find(&state, &id).await?)))
}

/// Changes a stored upstream; without `client_secret` the secret stays.
#[utoipa::path(patch, path = "/upstreams/{id}", tag = "upstreams", request_body = UpstreamInput,
    responses((status = 200, body = UpstreamView), (status = 409, body = Problem), (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn patch(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<UpstreamInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let current = find(&state, &id).await?;
    writable(&current)?;
    check_if_match(&headers, &view(&state, &current))?;
    let mut spec = input.into_spec()?;
    if spec.id.as_deref().is_some_and(|new| new != id) {
        return Err(AdminError::Invalid(vec!["an upstream's id cannot change".into()]).into());
    }
    spec.preset = None;
    let changed = spec.apply(current).map_err(AdminError::Invalid)?;
    let updated = admin.update_upstream(changed, state.provider.master_key()).await?;
    Ok(with_etag(StatusCode::OK, &view(&state, &updated)))
}

/// Removes a stored upstream (identities linked through it stay linked).
#[utoipa::path(delete, path = "/upstreams/{id}", tag = "upstreams",
    responses((status = 204), (status = 404, body = Problem), (status = 409, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    writable(&find(&state, &id).await?)?;
    admin.delete_upstream(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// An upstream identity linked to a user.
#[derive(Debug, Serialize, ToSchema)]
pub struct IdentityView {
    pub provider_id: String,
    pub subject: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    pub created_at: i64,
}

impl From<&LinkedIdentity> for IdentityView {
    fn from(l: &LinkedIdentity) -> Self {
        Self {
            provider_id: l.provider_id.clone(),
            subject: l.subject.clone(),
            email: l.email.clone(),
            created_at: l.created_at,
        }
    }
}

/// A user's linked upstream identities.
#[utoipa::path(get, path = "/users/{id}/identities", tag = "users",
    responses((status = 200, body = Vec<IdentityView>), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn identities(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Json<Vec<IdentityView>>, Problem> {
    let admin = caller.reader(&state)?;
    let user = admin.user(&id).await?;
    let links = admin.linked_identities(&user.id).await?;
    Ok(Json(links.iter().map(IdentityView::from).collect()))
}

/// Unlinks an upstream identity from a user.
#[utoipa::path(delete, path = "/users/{id}/identities/{provider}/{subject}", tag = "users",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn unlink(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((id, provider, subject)): Path<(String, String, String)>,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    let user = admin.user(&id).await?;
    admin.unlink_identity(&user.id, &provider, &subject).await?;
    Ok(StatusCode::NO_CONTENT)
}
