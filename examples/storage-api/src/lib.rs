//! The cloud-drive scenario: a user's drive holds folders of files, and an application may use
//! only the folders, and only in the ways, that the user granted it through RFC 9396
//! authorization details of type [`FOLDER_ACCESS`], e.g.
//!
//! ```json
//! [{"type": "folder_access",
//!   "locations": ["http://localhost:3003/folders/diagrams"],
//!   "actions": ["read", "write"]}]
//! ```
//!
//! A folder's location is the API's identifier followed by `folders/<name>`. Listing and
//! reading need `read` there, saving needs `write`; anything else is a 403 (RFC 6750 §3.1
//! `insufficient_scope`, with a description naming the folder). Files live in memory.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use axum::Router;
use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use keygate_resource::{
    BearerLayer, Caller, ProtectedResourceMetadata, Rejection, Validator, metadata_router,
};

/// Where the API listens unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3003;
/// The authorization details type this API defines in Keygate.
pub const FOLDER_ACCESS: &str = "folder_access";
/// The action that lists and reads files.
pub const READ: &str = "read";
/// The action that saves files.
pub const WRITE: &str = "write";
/// The largest file accepted, in bytes.
pub const MAX_FILE: usize = 1024 * 1024;

/// Files by (user, folder), then by name.
type Drives = HashMap<(String, String), BTreeMap<String, Bytes>>;

#[derive(Clone)]
struct AppState {
    validator: Arc<Validator>,
    /// The API's identifier without a trailing slash: folder locations start with it.
    base: Arc<str>,
    drives: Arc<Mutex<Drives>>,
}

/// The application for `validator`'s API, whose identifier (audience) is `audience`.
pub fn app(
    validator: Arc<Validator>,
    metadata: ProtectedResourceMetadata,
    audience: &str,
) -> Router {
    let state = AppState {
        validator: validator.clone(),
        base: audience.trim_end_matches('/').into(),
        drives: Arc::default(),
    };
    Router::new()
        .route("/folders/{folder}/files", get(list))
        .route("/folders/{folder}/files/{name}", get(read).put(save))
        .layer(BearerLayer::new(validator))
        .with_state(state)
        .merge(metadata_router(metadata))
}

/// The location of `folder`, as the authorization details name it.
pub fn folder_location(audience: &str, folder: &str) -> String {
    format!("{}/folders/{folder}", audience.trim_end_matches('/'))
}

/// 403 unless the token's authorization details allow `action` in `folder`.
fn need(state: &AppState, caller: &Caller, folder: &str, action: &str) -> Result<(), Rejection> {
    let location = folder_location(&state.base, folder);
    caller
        .require_authorization(FOLDER_ACCESS, &location, action)
        .map_err(|e| Rejection::new(e, &state.validator))
}

fn drives(state: &AppState) -> MutexGuard<'_, Drives> {
    state.drives.lock().unwrap_or_else(PoisonError::into_inner)
}

/// A folder or file name: one path segment of visible characters.
fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name.len() <= 200
        && name != "."
        && name != ".."
        && name.chars().all(|c| c.is_alphanumeric() || "-_. ".contains(c))
}

async fn list(
    State(state): State<AppState>,
    caller: Caller,
    Path(folder): Path<String>,
) -> Result<Response, Rejection> {
    need(&state, &caller, &folder, READ)?;
    let names: Vec<String> = drives(&state)
        .get(&(caller.sub.clone(), folder))
        .map(|files| files.keys().cloned().collect())
        .unwrap_or_default();
    Ok(axum::Json(names).into_response())
}

async fn read(
    State(state): State<AppState>,
    caller: Caller,
    Path((folder, name)): Path<(String, String)>,
) -> Result<Response, Rejection> {
    need(&state, &caller, &folder, READ)?;
    let file =
        drives(&state).get(&(caller.sub.clone(), folder)).and_then(|f| f.get(&name)).cloned();
    Ok(match file {
        Some(bytes) => bytes.into_response(),
        None => StatusCode::NOT_FOUND.into_response(),
    })
}

async fn save(
    State(state): State<AppState>,
    caller: Caller,
    Path((folder, name)): Path<(String, String)>,
    body: Bytes,
) -> Result<Response, Rejection> {
    need(&state, &caller, &folder, WRITE)?;
    if !valid_name(&folder) || !valid_name(&name) {
        return Ok((StatusCode::BAD_REQUEST, "names are letters, digits, '-', '_', '.', ' '")
            .into_response());
    }
    if body.len() > MAX_FILE {
        return Ok(StatusCode::PAYLOAD_TOO_LARGE.into_response());
    }
    let mut drives = drives(&state);
    let files = drives.entry((caller.sub.clone(), folder)).or_default();
    let status = if files.insert(name, body).is_some() {
        StatusCode::NO_CONTENT
    } else {
        StatusCode::CREATED
    };
    Ok(status.into_response())
}

/// The validator and metadata for `audience` protected by `issuer`.
pub async fn protect(
    issuer: &str,
    audience: &str,
) -> anyhow::Result<(Arc<Validator>, ProtectedResourceMetadata)> {
    let metadata = ProtectedResourceMetadata::new(audience, issuer, &[]);
    let validator = Validator::builder(issuer, audience)
        .realm("storage-api")
        .resource_metadata(metadata.url())
        .build()
        .await?;
    Ok((Arc::new(validator), metadata))
}
