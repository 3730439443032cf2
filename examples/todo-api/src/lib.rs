//! A to-do list per user (`sub`): reading needs `todo:read`; creating, changing and deleting
//! need `todo:write`. A token without the scope gets 403 `insufficient_scope` naming it
//! (RFC 6750 §3.1). The lists live in memory.
//!
//! Browser applications on other origins (single-page apps) may call it when their origin is
//! listed for [`cors`]; no other origin can read its answers.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Path, State};
use axum::http::header::{AUTHORIZATION, CONTENT_TYPE, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, patch};
use axum::{Json, Router};
use keygate_resource::{
    BearerLayer, Caller, ProtectedResourceMetadata, Rejection, Validator, metadata_router,
    require_scope,
};
use serde::{Deserialize, Serialize};
use tower_http::cors::{AllowOrigin, CorsLayer};

/// Where the API listens unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3002;
/// The scope that reads the list.
pub const READ: &str = "todo:read";
/// The scope that changes it.
pub const WRITE: &str = "todo:write";

/// One to-do.
#[derive(Debug, Clone, Serialize)]
pub struct Todo {
    id: u64,
    title: String,
    done: bool,
}

/// A new to-do, or a change to one.
#[derive(Debug, Deserialize)]
pub struct TodoInput {
    title: Option<String>,
    done: Option<bool>,
}

#[derive(Clone)]
struct AppState {
    validator: Arc<Validator>,
    lists: Arc<Mutex<HashMap<String, Vec<Todo>>>>,
    next_id: Arc<std::sync::atomic::AtomicU64>,
}

/// The application for `validator`'s API.
pub fn app(validator: Arc<Validator>, metadata: ProtectedResourceMetadata) -> Router {
    let state = AppState {
        validator: validator.clone(),
        lists: Arc::default(),
        next_id: Arc::new(std::sync::atomic::AtomicU64::new(1)),
    };
    Router::new()
        .route("/todos", get(list).post(create))
        .route("/todos/{id}", patch(update).delete(remove))
        .layer(BearerLayer::new(validator))
        .with_state(state)
        .merge(metadata_router(metadata))
}

fn need(state: &AppState, caller: &Caller, scope: &str) -> Result<(), Rejection> {
    require_scope(caller, scope, &state.validator)
}

fn lists(state: &AppState) -> std::sync::MutexGuard<'_, HashMap<String, Vec<Todo>>> {
    state.lists.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
}

async fn list(State(state): State<AppState>, caller: Caller) -> Result<Json<Vec<Todo>>, Rejection> {
    need(&state, &caller, READ)?;
    Ok(Json(lists(&state).get(&caller.sub).cloned().unwrap_or_default()))
}

async fn create(
    State(state): State<AppState>,
    caller: Caller,
    Json(input): Json<TodoInput>,
) -> Result<Response, Rejection> {
    need(&state, &caller, WRITE)?;
    let Some(title) = input.title.filter(|t| !t.trim().is_empty()) else {
        return Ok((StatusCode::UNPROCESSABLE_ENTITY, "a to-do needs a title").into_response());
    };
    let id = state.next_id.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let todo = Todo { id, title, done: input.done.unwrap_or(false) };
    lists(&state).entry(caller.sub.clone()).or_default().push(todo.clone());
    Ok((StatusCode::CREATED, Json(todo)).into_response())
}

async fn update(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<u64>,
    Json(input): Json<TodoInput>,
) -> Result<Response, Rejection> {
    need(&state, &caller, WRITE)?;
    let mut lists = lists(&state);
    let Some(todo) = lists.get_mut(&caller.sub).and_then(|l| l.iter_mut().find(|t| t.id == id))
    else {
        return Ok(StatusCode::NOT_FOUND.into_response());
    };
    if let Some(title) = input.title {
        todo.title = title;
    }
    if let Some(done) = input.done {
        todo.done = done;
    }
    Ok(Json(todo.clone()).into_response())
}

async fn remove(
    State(state): State<AppState>,
    caller: Caller,
    Path(id): Path<u64>,
) -> Result<StatusCode, Rejection> {
    need(&state, &caller, WRITE)?;
    let mut lists = lists(&state);
    let list = lists.entry(caller.sub.clone()).or_default();
    let before = list.len();
    list.retain(|t| t.id != id);
    Ok(if list.len() < before { StatusCode::NO_CONTENT } else { StatusCode::NOT_FOUND })
}

/// The validator and metadata for `audience` protected by `issuer`.
pub async fn protect(
    issuer: &str,
    audience: &str,
) -> anyhow::Result<(Arc<Validator>, ProtectedResourceMetadata)> {
    let metadata = ProtectedResourceMetadata::new(audience, issuer, &[READ, WRITE]);
    let validator = Validator::builder(issuer, audience)
        .realm("todo-api")
        .resource_metadata(metadata.url())
        .build()
        .await?;
    Ok((Arc::new(validator), metadata))
}

/// CORS for browser applications served from `origins` (e.g. `http://localhost:3005`): they may
/// send `Authorization` and JSON bodies and read the answers, including the `WWW-Authenticate`
/// challenge of a 401. No credentials (cookies) are involved: the token travels in the header.
/// An empty list allows no origin. Fails on an origin that is not a valid header value.
pub fn cors<S: AsRef<str>>(origins: &[S]) -> anyhow::Result<CorsLayer> {
    let origins = origins
        .iter()
        .map(|o| HeaderValue::from_str(o.as_ref().trim_end_matches('/')))
        .collect::<Result<Vec<_>, _>>()?;
    Ok(CorsLayer::new()
        .allow_origin(AllowOrigin::list(origins))
        .allow_methods([Method::GET, Method::POST, Method::PATCH, Method::DELETE])
        .allow_headers([AUTHORIZATION, CONTENT_TYPE])
        .expose_headers([WWW_AUTHENTICATE])
        .max_age(std::time::Duration::from_secs(600)))
}
