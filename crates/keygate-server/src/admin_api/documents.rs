//! `/client-documents`: the applications that described themselves with a Client ID Metadata
//! Document, and blocks on one document URL or every document of a host.
#![allow(missing_docs)] // Field names are those of the core types and the OpenAPI document.

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use keygate_core::admin::DocumentClientView;
use keygate_core::store::DocumentBlock;
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

use super::auth::AdminCaller;
use super::problem::{JsonBody, Problem};
use super::views::{Page, Paging};
use super::{created, page_after};
use crate::state::AppState;

/// An application known by its metadata document that users signed in to.
#[derive(Debug, Serialize, ToSchema)]
pub struct DocumentClientJson {
    /// The document's URL, which is the client id.
    pub client_id: String,
    pub host: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_name: Option<String>,
    pub first_grant_at: i64,
    pub last_grant_at: i64,
    /// Its grants not revoked (users signed in to it).
    pub live_grants: i64,
    /// The block that refuses it: its URL, its host or its domain (`*.domain`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub blocked_by: Option<String>,
}

impl From<&DocumentClientView> for DocumentClientJson {
    fn from(v: &DocumentClientView) -> Self {
        Self {
            client_id: v.client.client_id.clone(),
            host: v.client.host.clone(),
            client_name: v.client.name.clone(),
            first_grant_at: v.client.first_grant_at,
            last_grant_at: v.client.last_grant_at,
            live_grants: v.client.live_grants,
            blocked_by: v.blocked_by.clone(),
        }
    }
}

/// A block on metadata documents.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockJson {
    /// A document URL (without its query), a host (every document on it, whatever the port),
    /// or `*.domain` (the domain and its subdomains).
    pub target: String,
    pub reason: String,
    pub created_at: i64,
    pub created_by: String,
}

impl From<&DocumentBlock> for BlockJson {
    fn from(b: &DocumentBlock) -> Self {
        Self {
            target: b.target.clone(),
            reason: b.reason.clone(),
            created_at: b.created_at,
            created_by: b.created_by.clone(),
        }
    }
}

/// A block to make.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct BlockInput {
    /// A document URL, a host name without port, or `*.` and a domain; stored normalized
    /// (lower case, no trailing dot, a URL without its query).
    pub target: String,
    /// Why, for the other operators (at most 500 characters).
    #[serde(default)]
    pub reason: String,
}

/// A block made, and the grants it revoked.
#[derive(Debug, Serialize, ToSchema)]
pub struct BlockCreated {
    #[serde(flatten)]
    pub block: BlockJson,
    pub revoked_grants: u64,
}

/// Lists the applications known by their metadata document that users signed in to, by
/// client id.
#[utoipa::path(get, path = "/client-documents", tag = "clients", params(Paging),
    responses((status = 200, body = Page<DocumentClientJson>), (status = 401, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn list(
    State(state): State<AppState>,
    caller: AdminCaller,
    Query(paging): Query<Paging>,
) -> Result<Json<Page<DocumentClientJson>>, Problem> {
    let seen = caller.reader(&state)?.document_clients().await?;
    let q = paging.q.as_deref().map(str::to_lowercase);
    let matching = seen.iter().filter(|v| {
        q.as_ref().is_none_or(|q| {
            v.client.client_id.to_lowercase().contains(q)
                || v.client.name.as_ref().is_some_and(|n| n.to_lowercase().contains(q))
        })
    });
    let key = |v: &DocumentClientView| v.client.client_id.clone();
    Ok(Json(page_after(matching, &paging, key, |v| DocumentClientJson::from(v))))
}

/// Lists the blocks, by target.
#[utoipa::path(get, path = "/client-documents/blocks", tag = "clients",
    responses((status = 200, body = Vec<BlockJson>), (status = 401, body = Problem)),
    security(("bearer" = ["admin:read"])))]
pub async fn blocks(
    State(state): State<AppState>,
    caller: AdminCaller,
) -> Result<Json<Vec<BlockJson>>, Problem> {
    let blocks = caller.reader(&state)?.document_blocks().await?;
    Ok(Json(blocks.iter().map(BlockJson::from).collect()))
}

/// Blocks a document URL, a host or a domain: every node refuses its documents within a second,
/// and the grants of the applications it covers are revoked and their consents deleted.
#[utoipa::path(post, path = "/client-documents/blocks", tag = "clients", request_body = BlockInput,
    responses((status = 201, body = BlockCreated), (status = 409, body = Problem), (status = 422, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn block(
    State(state): State<AppState>,
    caller: AdminCaller,
    JsonBody(input): JsonBody<BlockInput>,
) -> Result<Response, Problem> {
    let made = caller.writer(&state)?.block_documents(&input.target, &input.reason).await?;
    let path =
        format!("client-documents/blocks/{}", crate::console::urlencoding(&made.block.target));
    let body =
        BlockCreated { block: BlockJson::from(&made.block), revoked_grants: made.revoked_grants };
    Ok(created(&state, &path, &body))
}

/// Removes a block (the target percent-encoded in the path): its documents are accepted again.
#[utoipa::path(delete, path = "/client-documents/blocks/{target}", tag = "clients",
    responses((status = 204), (status = 404, body = Problem)),
    security(("bearer" = ["admin:write"])))]
pub async fn unblock(
    State(state): State<AppState>,
    caller: AdminCaller,
    Path(target): Path<String>,
) -> Result<StatusCode, Problem> {
    caller.writer(&state)?.unblock_documents(&target).await?;
    Ok(StatusCode::NO_CONTENT)
}
