//! Applications that describe themselves with a Client ID Metadata Document: the ones users
//! signed in to, and blocks on one document URL, a host or a domain (asked first, since a block
//! revokes grants).

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Query, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keygate_core::admin::{AdminError, DocumentClientView, block_target};
use keygate_core::registration::document::covers;
use minijinja::context;
use serde::{Deserialize, Serialize};

use super::session::Console;
use super::{failure, form_errors, redirect_after, render, text, v, when};
use crate::state::AppState;

const SECTION: &str = "applications";
/// The page's path under the console.
pub const PATH: &str = "/client-documents";

/// A seen application as the page shows it.
#[derive(Serialize)]
struct Row {
    client_id: String,
    name: String,
    live_grants: i64,
    last_grant: String,
    blocked_by: Option<String>,
}

fn row(v: &DocumentClientView) -> Row {
    Row {
        client_id: v.client.client_id.clone(),
        name: v.client.name.clone().unwrap_or_default(),
        live_grants: v.client.live_grants,
        last_grant: when(v.client.last_grant_at),
        blocked_by: v.blocked_by.clone(),
    }
}

/// `?target=` of the block page.
#[derive(Deserialize)]
pub struct Target {
    #[serde(default)]
    target: String,
}

/// `?q=` of the list: text in the client id or name.
#[derive(Deserialize, Default)]
pub struct Search {
    #[serde(default)]
    q: String,
}

/// The most applications the page lists; a search narrows the rest down.
const SHOWN: usize = 100;

/// The applications the page lists: those matching `q`, most recent sign-in first, at most
/// [`SHOWN`]; and how many more matched.
fn shown(mut seen: Vec<DocumentClientView>, q: &str) -> (Vec<Row>, usize) {
    let q = q.trim().to_lowercase();
    seen.retain(|v| {
        let name = v.client.name.as_deref().unwrap_or_default().to_lowercase();
        q.is_empty() || v.client.client_id.to_lowercase().contains(&q) || name.contains(&q)
    });
    seen.sort_by_key(|v| std::cmp::Reverse(v.client.last_grant_at));
    let more = seen.len().saturating_sub(SHOWN);
    (seen.iter().take(SHOWN).map(row).collect(), more)
}

async fn list_page(
    state: &AppState,
    console: &Console,
    q: &str,
    target: &str,
    problems: &[String],
) -> Response {
    let admin = or_respond!(console.reader(state));
    let (seen, blocks) = match admin.document_clients_and_blocks().await {
        Ok(both) => both,
        Err(e) => return failure(state, e),
    };
    let blocks: Vec<_> = blocks
        .iter()
        .map(|b| context! { target => &b.target, reason => &b.reason, since => when(b.created_at), by => &b.created_by })
        .collect();
    let form = BTreeMap::from([("target", target.to_owned())]);
    let (errors, general, status) = form_errors(&form, problems);
    let policy = &state.provider.settings().client_metadata_documents;
    let (clients, more) = shown(seen, q);
    let ctx = context! {
        title => "Applications with metadata documents", clients => v(clients), more, q,
        blocks, form, errors, general_errors => general, enabled => policy.enabled,
        hosts => &policy.hosts,
    };
    render(state, console, SECTION, status, "documents.html", ctx)
}

/// `GET /admin/client-documents[?q=…]`.
pub async fn list(
    State(state): State<AppState>,
    console: Console,
    Query(Search { q }): Query<Search>,
) -> Response {
    list_page(&state, &console, &q, "", &[]).await
}

/// The block page for `target`: which seen applications it covers and how many grants end.
async fn block_page(
    state: &AppState,
    console: &Console,
    target: &str,
    reason: &str,
    problems: &[String],
) -> Response {
    let admin = or_respond!(console.reader(state));
    let (seen, preview) = match (admin.document_clients().await, admin.block_preview(target).await)
    {
        (Ok(seen), Ok(preview)) => (seen, preview),
        (Err(e), _) | (_, Err(e)) => return failure(state, e),
    };
    let (grants, registered) = preview;
    let covered: Vec<Row> =
        seen.iter().filter(|v| covers(target, &v.client.client_id)).map(row).collect();
    let form = BTreeMap::from([("reason", reason.to_owned())]);
    let (errors, general, status) = form_errors(&form, problems);
    let ctx = context! {
        title => format!("Block {target}?"), target, covered => v(&covered), grants, registered,
        form, errors, general_errors => general,
    };
    render(state, console, SECTION, status, "document_block.html", ctx)
}

/// `GET /admin/client-documents/block?target=…`: asks first, with a reason.
pub async fn confirm_block(
    State(state): State<AppState>,
    console: Console,
    Query(Target { target }): Query<Target>,
) -> Response {
    match block_target(&target) {
        Ok(target) => block_page(&state, &console, &target, "", &[]).await,
        Err(problems) => list_page(&state, &console, "", &target, &problems).await,
    }
}

/// `POST /admin/client-documents/block`.
pub async fn block(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let (target, reason) = (text(&form, "target"), text(&form, "reason"));
    match admin.block_documents(&target, &reason).await {
        Ok(_) => redirect_after(&state, Ok(()), PATH),
        Err(AdminError::Invalid(problems)) => {
            block_page(&state, &console, &target, &reason, &problems).await
        }
        Err(AdminError::Conflict(problem)) => {
            list_page(&state, &console, "", &target, &[format!("target: {problem}")]).await
        }
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/client-documents/unblock`.
pub async fn unblock(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let result = admin.unblock_documents(&text(&form, "target")).await;
    redirect_after(&state, result, PATH)
}

#[cfg(test)]
mod tests {
    use super::*;
    use keygate_core::store::SeenDocumentClient;

    fn seen(n: i64) -> DocumentClientView {
        let client = SeenDocumentClient {
            client_id: format!("https://app{n}.example/c.json"),
            host: format!("app{n}.example"),
            name: Some(format!("App {n}")),
            first_grant_at: n,
            last_grant_at: n,
            live_grants: 1,
        };
        DocumentClientView { client, blocked_by: None }
    }

    #[test]
    fn the_list_shows_the_most_recent_hundred_and_a_search_finds_the_rest() {
        let all: Vec<_> = (0..150).map(seen).collect();
        let (rows, more) = shown(all.clone(), "");
        assert_eq!((rows.len(), more), (100, 50));
        assert_eq!(rows[0].name, "App 149", "most recent sign-in first");
        let (rows, more) = shown(all, "app7.");
        assert_eq!((rows.len(), more), (1, 0));
        assert_eq!(rows[0].client_id, "https://app7.example/c.json");
    }
}
