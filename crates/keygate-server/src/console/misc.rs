//! The overview, signing keys and the audit log.

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::store::{AuditEvent, AuditQuery, UserQuery};
use minijinja::{Value, context};
use serde::Deserialize;

use super::redirect_after;
use super::session::Console;
use super::{Confirm, confirm, console_url, failure, render, urlencoding, when};
use crate::state::AppState;
use keygate_core::admin::Admin;
use std::collections::BTreeMap;

/// The rows of an audit table: who and what by name, linked to their pages (the raw
/// reference on hover, or alone when the object is gone). Two queries, whatever the rows.
async fn event_rows(state: &AppState, admin: &Admin<'_>, events: &[AuditEvent]) -> Vec<Value> {
    let references = || events.iter().flat_map(|e| [e.actor.as_str(), e.target.as_str()]);
    let user_ids = references().filter_map(|r| r.strip_prefix("user:"));
    let users = admin.usernames(user_ids).await.unwrap_or_default();
    let client_ids = references().filter_map(|r| r.strip_prefix("client:"));
    let clients = admin.client_names(client_ids).await.unwrap_or_default();
    let label = |reference: &str| label(state, &users, &clients, reference);
    events
        .iter()
        .map(|e| {
            let (actor_label, target_label) = (label(&e.actor), label(&e.target));
            context! { when => when(e.at), actor => &e.actor, action => &e.action, target => &e.target, ip => &e.ip, actor_label, target_label }
        })
        .collect()
}

/// The name of a `user:<id>` or `client:<id>` reference and its console page (for a
/// `document:<target>` block, the page of blocks).
fn label(
    state: &AppState,
    users: &BTreeMap<String, String>,
    clients: &BTreeMap<String, String>,
    reference: &str,
) -> Value {
    if reference.starts_with("document:") {
        let href = console_url(state, super::documents::PATH);
        return context! { name => reference, href };
    }
    let named = match reference.split_once(':') {
        Some(("user", id)) => users.get(id).map(|name| (name, "users", id)),
        Some(("client", id)) => clients.get(id).map(|name| (name, "applications", id)),
        _ => None,
    };
    match named {
        Some((name, pages, id)) => {
            context! { name, href => console_url(state, &format!("/{pages}/{}", urlencoding(id))) }
        }
        None => context! { name => reference },
    }
}

/// `GET /admin`: counts and recent changes.
pub async fn dashboard(State(state): State<AppState>, console: Console) -> Response {
    let admin = or_respond!(console.reader(&state));
    let recent = AuditQuery { limit: 10, ..Default::default() };
    let users = UserQuery { limit: 1000, ..Default::default() };
    let (clients, apis, users, keys, events) = match (
        admin.clients().await,
        admin.apis().await,
        admin.search_users(&users).await,
        admin.keys().await,
        admin.audit(&recent).await,
    ) {
        (Ok(c), Ok(a), Ok(u), Ok(k), Ok(e)) => (c, a, u, k, e),
        (Err(e), ..) | (_, Err(e), ..) | (_, _, Err(e), ..) | (.., Err(e), _) | (.., Err(e)) => {
            return failure(&state, e);
        }
    };
    let users = if users.len() >= 1000 { "1000+".to_owned() } else { users.len().to_string() };
    let counts = context! {
        applications => clients.len(), apis => apis.len(), users,
        keys => keys.iter().filter(|k| k.retired_at.is_none()).count(),
    };
    let events = event_rows(&state, &admin, &events).await;
    let ctx = context! { title => "Overview", counts, events };
    render(&state, &console, "overview", StatusCode::OK, "dashboard.html", ctx)
}

/// `GET /admin/keys`.
pub async fn keys(State(state): State<AppState>, console: Console) -> Response {
    let admin = or_respond!(console.reader(&state));
    let keys = match admin.keys().await {
        Ok(k) => k,
        Err(e) => return failure(&state, e),
    };
    let rows: Vec<Value> = keys
        .iter()
        .map(|k| context! { kid => &k.kid, alg => k.alg.as_str(), created => when(k.created_at), retired => k.retired_at.map(when) })
        .collect();
    render(
        &state,
        &console,
        "keys",
        StatusCode::OK,
        "keys.html",
        context! { title => "Signing keys", keys => rows },
    )
}

/// `GET /admin/keys/rotate`: asks first.
pub async fn confirm_rotate_keys(State(state): State<AppState>, console: Console) -> Response {
    confirm(&state, &console, Confirm {
        title: "Rotate the signing keys?".into(),
        message: "A new key per algorithm starts signing now. Tokens signed by the old keys keep verifying until they expire.".into(),
        action: console_url(&state, "/keys/rotate"),
        cancel: console_url(&state, "/keys"),
        button: "Rotate keys",
        section: "keys",
    })
}

/// `POST /admin/keys/rotate`.
pub async fn rotate_keys(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    let rotated = admin.rotate_keys(state.provider.master_key()).await.map(drop);
    if let Err(e) = state.provider.sync().await {
        tracing::warn!(error = %e, "could not reload keys after rotation");
    }
    redirect_after(&state, rotated, "/keys")
}

/// Audit log filters.
#[derive(Debug, Deserialize)]
pub struct Filter {
    actor: Option<String>,
    action: Option<String>,
    target: Option<String>,
    cursor: Option<String>,
}

/// `GET /admin/audit`.
pub async fn audit(
    State(state): State<AppState>,
    console: Console,
    Query(filter): Query<Filter>,
) -> Response {
    let admin = or_respond!(console.reader(&state));
    let nonempty = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
    let query = AuditQuery {
        actor: nonempty(&filter.actor),
        action: nonempty(&filter.action),
        target: nonempty(&filter.target),
        before: filter.cursor.as_deref().and_then(|c| c.parse().ok()),
        limit: 51,
    };
    let mut events = match admin.audit(&query).await {
        Ok(e) => e,
        Err(e) => return failure(&state, e),
    };
    let next_cursor = crate::admin_api::next_page(&mut events, 50, |e| e.seq.to_string());
    let filter = context! { actor => query.actor, action => query.action, target => query.target };
    let events = event_rows(&state, &admin, &events).await;
    let ctx = context! { title => "Audit log", events, next_cursor, filter };
    render(&state, &console, "audit", StatusCode::OK, "audit.html", ctx)
}
