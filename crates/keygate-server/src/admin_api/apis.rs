//! `/apis`: APIs (resource servers), their scopes and client grants.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::admin::AdminError;

use super::auth::AdminCaller;
use super::problem::{JsonBody, Problem};
use super::views::{ApiInput, ApiView, ClientGrantInput, Page, Paging, SecretView};
use super::{check_if_match, created, page_after, with_etag};
use crate::state::AppState;

/// Lists APIs, ordered by identifier.
#[utoipa::path(get, path = "/apis", tag = "apis", params(Paging),
    responses((status = 200, body = Page<ApiView>)), security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<ApiView>>, Problem> {
    let apis = caller.reader(&state)?.apis().await?;
    let q = paging.q.as_deref().map(str::to_lowercase);
    let matching = apis.iter().filter(|a| {
        q.as_ref().is_none_or(|q| {
            a.identifier.to_lowercase().contains(q) || a.name.to_lowercase().contains(q)
        })
    });
    Ok(Json(page_after(matching, &paging, |a| a.identifier.clone(), |a| ApiView::from(a))))
}

/// Registers an API.
#[utoipa::path(post, path = "/apis", tag = "apis", request_body = ApiInput,
    responses((status = 201, body = ApiView), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn create(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<ApiInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let api = admin.create_api(input.into_spec().map_err(AdminError::Invalid)?).await?;
    Ok(created(&state, &format!("apis/{}", api.id), &ApiView::from(&api)))
}

/// One API, by id or identifier.
#[utoipa::path(get, path = "/apis/{id}", tag = "apis",
    responses((status = 200, body = ApiView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let api = caller.reader(&state)?.api(&id).await?;
    Ok(with_etag(StatusCode::OK, &ApiView::from(&api)))
}

/// Changes an API; client grants keep only scopes it still defines.
#[utoipa::path(patch, path = "/apis/{id}", tag = "apis", request_body = ApiInput,
    responses((status = 200, body = ApiView), (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn patch(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<ApiInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    check_if_match(&headers, &ApiView::from(&admin.api(&id).await?))?;
    let api = admin.update_api(&id, input.into_spec().map_err(AdminError::Invalid)?).await?;
    Ok(with_etag(StatusCode::OK, &ApiView::from(&api)))
}

/// Deletes an API.
#[utoipa::path(delete, path = "/apis/{id}", tag = "apis",
    responses((status = 204), (status = 404, body = Problem)), security(("bearer" = ["admin:write"])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    check_if_match(&headers, &ApiView::from(&admin.api(&id).await?))?;
    admin.delete_api(&id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Allows a machine-to-machine client some of the API's scopes (client credentials grant).
#[utoipa::path(put, path = "/apis/{id}/clients/{client_id}", tag = "apis",
    request_body = ClientGrantInput,
    responses((status = 200, body = ApiView), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn put_grant(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((id, client_id)): Path<(String, String)>,
    JsonBody(input): JsonBody<ClientGrantInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let api = admin.set_api_client_grant(&id, &client_id, Some(input.scopes)).await?;
    Ok(with_etag(StatusCode::OK, &ApiView::from(&api)))
}

/// Removes a client's access to the API.
#[utoipa::path(delete, path = "/apis/{id}/clients/{client_id}", tag = "apis",
    responses((status = 200, body = ApiView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn delete_grant(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((id, client_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let api = caller.writer(&state)?.set_api_client_grant(&id, &client_id, None).await?;
    Ok(with_etag(StatusCode::OK, &ApiView::from(&api)))
}

/// Creates credentials the API authenticates with to introspect tokens issued for it
/// (RFC 7662 §4); the secret is shown this once.
#[utoipa::path(post, path = "/apis/{id}/credentials", tag = "apis",
    responses((status = 201, body = SecretView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn create_credentials(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(id): Path<String>,
) -> Result<Response, Problem> {
    let (api, client, secret) = caller.writer(&state)?.create_api_credentials(&id).await?;
    let view = SecretView {
        client_id: client.client_id,
        client_secret: secret.expose_secret().to_owned(),
    };
    Ok(created(&state, &format!("apis/{}", api.id), &view))
}

/// Deletes one of the API's introspection credentials.
#[utoipa::path(delete, path = "/apis/{id}/credentials/{client_id}", tag = "apis",
    responses((status = 200, body = ApiView), (status = 404, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn delete_credentials(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path((id, client_id)): Path<(String, String)>,
) -> Result<Response, Problem> {
    let api = caller.writer(&state)?.delete_api_credentials(&id, &client_id).await?;
    Ok(with_etag(StatusCode::OK, &ApiView::from(&api)))
}
