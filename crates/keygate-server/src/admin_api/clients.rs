//! `/clients`: applications.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use keygate_core::Secret;
use keygate_core::admin::{AdminError, NewClient};

use super::auth::AdminCaller;
use super::problem::{JsonBody, Problem};
use super::views::{ClientCreated, ClientInput, ClientView, Page, Paging, SecretView};
use super::{check_if_match, created, page_after, with_etag};
use crate::state::AppState;

/// Lists applications, ordered by client id.
#[utoipa::path(get, path = "/clients", tag = "clients", params(Paging),
    responses((status = 200, body = Page<ClientView>), (status = 401, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<ClientView>>, Problem> {
    let clients = caller.reader(&state)?.clients().await?;
    let q = paging.q.as_deref().map(str::to_lowercase);
    let matching = clients.iter().filter(|c| {
        q.as_ref().is_none_or(|q| {
            c.client_id.to_lowercase().contains(q) || c.name.to_lowercase().contains(q)
        })
    });
    Ok(Json(page_after(matching, &paging, |c| c.client_id.clone(), |c| ClientView::from(c))))
}

/// Registers an application. The secret of a confidential one is in this response only.
#[utoipa::path(post, path = "/clients", tag = "clients", request_body = ClientInput,
    responses((status = 201, body = ClientCreated), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn create(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<ClientInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let client_type = input.application_type.as_deref().unwrap_or_default().parse();
    let client_id = input.client_id.clone();
    let spec = input.into_spec(&Default::default());
    let new = match (client_type, spec) {
        (Ok(client_type), Ok(spec)) => NewClient { client_type, client_id, secret: None, spec },
        (t, s) => {
            let problems = t.err().into_iter().chain(s.err().unwrap_or_default()).collect();
            return Err(AdminError::Invalid(problems).into());
        }
    };
    let (client, secret) = admin.create_client(new).await?;
    let body = ClientCreated {
        client: ClientView::from(&client),
        client_secret: secret.as_ref().map(|s| s.expose_secret().to_owned()),
    };
    Ok(created(&state, &format!("clients/{}", client.client_id), &body))
}

/// One application.
#[utoipa::path(get, path = "/clients/{client_id}", tag = "clients",
    responses((status = 200, body = ClientView, headers(("etag" = String))), (status = 404, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn get(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
) -> Result<Response, Problem> {
    let client = caller.reader(&state)?.client(&client_id).await?;
    Ok(with_etag(StatusCode::OK, &ClientView::from(&client)))
}

/// Changes an application. Send `If-Match` with the ETag you read to avoid lost updates.
#[utoipa::path(patch, path = "/clients/{client_id}", tag = "clients", request_body = ClientInput,
    responses((status = 200, body = ClientView), (status = 412, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn patch(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
    headers: HeaderMap,
    JsonBody(input): JsonBody<ClientInput>,
) -> Result<Response, Problem> {
    let admin = caller.writer(&state)?;
    let current = admin.client(&client_id).await?;
    check_if_match(&headers, &ClientView::from(&current))?;
    if input.application_type.is_some() || input.client_id.is_some() {
        return Err(AdminError::Invalid(vec![
            "application_type and client_id cannot change; register a new application".into(),
        ])
        .into());
    }
    let spec = input.into_spec(&current.metadata).map_err(AdminError::Invalid)?;
    let client = admin.update_client(&client_id, spec).await?;
    Ok(with_etag(StatusCode::OK, &ClientView::from(&client)))
}

/// Deletes an application; its tokens stop working.
#[utoipa::path(delete, path = "/clients/{client_id}", tag = "clients",
    responses((status = 204), (status = 404, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn delete(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
    headers: HeaderMap,
) -> Result<StatusCode, Problem> {
    let admin = caller.writer(&state)?;
    check_if_match(&headers, &ClientView::from(&admin.client(&client_id).await?))?;
    admin.delete_client(&client_id).await?;
    Ok(StatusCode::NO_CONTENT)
}

/// Replaces a confidential application's secret; the old one stops working at once.
#[utoipa::path(post, path = "/clients/{client_id}/secret", tag = "clients",
    responses((status = 200, body = SecretView), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn rotate_secret(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(client_id): Path<String>,
) -> Result<Response, Problem> {
    let secret: Secret = caller.writer(&state)?.rotate_client_secret(&client_id).await?;
    let body = SecretView { client_id, client_secret: secret.expose_secret().to_owned() };
    Ok(super::no_store(Json(body).into_response()))
}
