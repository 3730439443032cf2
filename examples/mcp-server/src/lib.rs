//! An MCP server (Model Context Protocol, Streamable HTTP transport) whose tools are a to-do
//! list per user, protected by Keygate as the MCP authorization specification asks:
//!
//! - RFC 9728 protected resource metadata at `/.well-known/oauth-protected-resource/mcp`,
//!   naming Keygate; a request without a valid token gets `401` with `WWW-Authenticate:
//!   Bearer resource_metadata="...", scope="todo:read"`, so an MCP client discovers where to
//!   sign in and asks only for what listing needs;
//! - tokens must name this server's URL as their audience (RFC 8707 `resource`);
//! - `tools/call` of a tool needs its scope: `todo:read` to list, `todo:write` to change. A
//!   token without it gets `403` `insufficient_scope` naming the scope, so the client can ask
//!   the user for more (step-up).
//!
//! JSON-RPC 2.0 over `POST /mcp`, answered with `application/json`; notifications get `202`.
//! No server-sent events: `GET /mcp` is `405`, as the transport allows.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::body::Bytes;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::post;
use axum::{Json, Router};
use keygate_resource::{
    BearerLayer, Caller, ProtectedResourceMetadata, Validator, ValidatorBuilder, metadata_router,
    require_scope,
};
use serde_json::{Value, json};

/// Where the server listens unless `PORT` says otherwise.
pub const DEFAULT_PORT: u16 = 3006;
/// The scope that reads the list.
pub const READ: &str = "todo:read";
/// The scope that changes it.
pub const WRITE: &str = "todo:write";
/// The MCP revisions this server speaks, newest first.
pub const PROTOCOL_VERSIONS: [&str; 3] = ["2025-11-25", "2025-06-18", "2025-03-26"];

/// JSON-RPC 2.0 error codes (§5.1).
const INVALID_REQUEST: i64 = -32600;
const METHOD_NOT_FOUND: i64 = -32601;
const INVALID_PARAMS: i64 = -32602;
const PARSE_ERROR: i64 = -32700;

/// One to-do: its number, title, and whether it is done.
type Todo = (u64, String, bool);

#[derive(Clone)]
struct AppState {
    validator: Arc<Validator>,
    /// The lists, by user (`sub`).
    lists: Arc<Mutex<HashMap<String, Vec<Todo>>>>,
}

/// The server for `validator`'s resource, with its metadata.
pub fn app(validator: Arc<Validator>, metadata: ProtectedResourceMetadata) -> Router {
    let state = AppState { validator: validator.clone(), lists: Arc::default() };
    let mcp = Router::new()
        .route("/mcp", post(rpc).get(no_stream).delete(no_stream))
        .layer(BearerLayer::new(validator))
        .with_state(state);
    Router::new().merge(mcp).merge(metadata_router(metadata))
}

/// The validator and metadata for the MCP server at `resource` (its full URL, the audience
/// tokens must name) protected by `issuer`.
pub async fn protect(
    issuer: &str,
    resource: &str,
) -> anyhow::Result<(Arc<Validator>, ProtectedResourceMetadata)> {
    let (builder, metadata) = validator(issuer, resource);
    Ok((Arc::new(builder.build().await?), metadata))
}

/// [`protect`]'s validator settings, to adjust before building: challenges in the realm `mcp`
/// naming the metadata and, in a `401`, `todo:read` (what listing needs; a client asks for
/// `todo:write` when a tool's `403` names it).
pub fn validator(issuer: &str, resource: &str) -> (ValidatorBuilder, ProtectedResourceMetadata) {
    let metadata = ProtectedResourceMetadata::new(resource, issuer, &[READ, WRITE]);
    let builder = Validator::builder(issuer, resource)
        .realm("mcp")
        .resource_metadata(metadata.url())
        .challenge_scope(READ);
    (builder, metadata)
}

/// No server-sent event stream and no sessions to end: `405` (Streamable HTTP allows it).
async fn no_stream() -> StatusCode {
    StatusCode::METHOD_NOT_ALLOWED
}

/// One JSON-RPC message.
async fn rpc(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let version = headers.get("mcp-protocol-version").and_then(|v| v.to_str().ok());
    if version.is_some_and(|v| !PROTOCOL_VERSIONS.contains(&v)) {
        return (StatusCode::BAD_REQUEST, "unsupported MCP-Protocol-Version").into_response();
    }
    let Ok(message) = serde_json::from_slice::<Value>(&body) else {
        return error(Value::Null, PARSE_ERROR, "the body is not JSON");
    };
    let Some(method) = message.get("method").and_then(Value::as_str) else {
        // A response to a request of ours (we send none) or not JSON-RPC at all.
        return if message.is_object() && message.get("id").is_some() {
            StatusCode::ACCEPTED.into_response()
        } else {
            error(Value::Null, INVALID_REQUEST, "not a JSON-RPC request")
        };
    };
    let Some(id) = message.get("id").cloned() else {
        return StatusCode::ACCEPTED.into_response(); // a notification
    };
    let params = message.get("params").cloned().unwrap_or(Value::Null);
    match method {
        "initialize" => result(id, initialize(&params)),
        "ping" => result(id, json!({})),
        "tools/list" => result(id, json!({ "tools": tools() })),
        "tools/call" => call_tool(&state, &caller, id, &params),
        _ => error(id, METHOD_NOT_FOUND, "method not found"),
    }
}

/// The client's revision when this server speaks it, else the newest this server speaks.
fn initialize(params: &Value) -> Value {
    let asked = params.get("protocolVersion").and_then(Value::as_str);
    let version = asked.filter(|v| PROTOCOL_VERSIONS.contains(v)).unwrap_or(PROTOCOL_VERSIONS[0]);
    json!({
        "protocolVersion": version,
        "capabilities": { "tools": { "listChanged": false } },
        "serverInfo": { "name": "keygate-todo-mcp", "version": env!("CARGO_PKG_VERSION") },
        "instructions": "A to-do list per signed-in user.",
    })
}

fn tools() -> Value {
    json!([
        { "name": "list_todos", "description": "List your to-dos (needs todo:read).",
          "inputSchema": { "type": "object", "properties": {} } },
        { "name": "add_todo", "description": "Add a to-do (needs todo:write).",
          "inputSchema": { "type": "object", "properties": { "title": { "type": "string" } },
                           "required": ["title"] } },
        { "name": "complete_todo", "description": "Mark a to-do done (needs todo:write).",
          "inputSchema": { "type": "object", "properties": { "id": { "type": "integer" } },
                           "required": ["id"] } },
    ])
}

/// `tools/call`: the tool's scope first (a `403` the client can step up from), then the tool.
fn call_tool(state: &AppState, caller: &Caller, id: Value, params: &Value) -> Response {
    let name = params.get("name").and_then(Value::as_str).unwrap_or_default();
    let args = params.get("arguments").cloned().unwrap_or(json!({}));
    let scope = match name {
        "list_todos" => READ,
        "add_todo" | "complete_todo" => WRITE,
        _ => return error(id, INVALID_PARAMS, "unknown tool"),
    };
    if let Err(rejection) = require_scope(caller, scope, &state.validator) {
        return rejection.into_response();
    }
    let Ok(mut lists) = state.lists.lock() else {
        return error(id, INVALID_REQUEST, "the list is unavailable");
    };
    let list = lists.entry(caller.sub.clone()).or_default();
    let text = match name {
        "list_todos" if list.is_empty() => "You have no to-dos.".to_owned(),
        "list_todos" => list
            .iter()
            .map(|(n, title, done)| format!("#{n} [{}] {title}", if *done { "x" } else { " " }))
            .collect::<Vec<_>>()
            .join("\n"),
        "add_todo" => match args.get("title").and_then(Value::as_str) {
            Some(title) if !title.trim().is_empty() => {
                let n = list.iter().map(|(n, _, _)| *n).max().unwrap_or(0) + 1;
                list.push((n, title.trim().to_owned(), false));
                format!("Added #{n}: {}", title.trim())
            }
            _ => return error(id, INVALID_PARAMS, "add_todo needs a title"),
        },
        _ => {
            let wanted = args.get("id").and_then(Value::as_u64);
            match list.iter_mut().find(|(n, _, _)| Some(*n) == wanted) {
                Some(todo) => {
                    todo.2 = true;
                    format!("Completed #{}: {}", todo.0, todo.1)
                }
                None => return result(id, tool_text("No such to-do.", true)),
            }
        }
    };
    result(id, tool_text(&text, false))
}

fn tool_text(text: &str, is_error: bool) -> Value {
    json!({ "content": [{ "type": "text", "text": text }], "isError": is_error })
}

fn result(id: Value, result: Value) -> Response {
    Json(json!({ "jsonrpc": "2.0", "id": id, "result": result })).into_response()
}

fn error(id: Value, code: i64, message: &str) -> Response {
    let body = json!({ "jsonrpc": "2.0", "id": id, "error": { "code": code, "message": message } });
    Json(body).into_response()
}
