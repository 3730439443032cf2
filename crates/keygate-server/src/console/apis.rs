//! APIs: list, register, edit scopes, machine-to-machine access, delete.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keygate_core::admin::AdminError;
use keygate_core::api::{Api, ApiScope, ApiSpec};
use keygate_core::authorization_details::DetailsType;
use minijinja::context;

use super::form_errors;
use super::session::Console;
use super::{Confirm, confirm, console_url, failure, number, render, text, v};
use super::{flash, redirect_after, urlencoding};
use crate::state::AppState;
use crate::ui::see_other;

const SECTION: &str = "apis";

/// "name description" lines as scopes, and "name@tag description" lines as their words in
/// other languages; a line without a description is a problem.
fn parse_scopes(value: &str, problems: &mut Vec<String>) -> Vec<ApiScope> {
    let mut entries = Vec::new();
    for line in value.lines().map(str::trim).filter(|l| !l.is_empty()) {
        match line.split_once(char::is_whitespace) {
            Some((name, description)) => {
                entries.push((name.to_owned(), description.trim().to_owned()));
            }
            None => problems.push(format!("scopes: '{line}' needs a description after the scope")),
        }
    }
    keygate_core::api::scopes_from_entries(entries, problems)
}

/// RFC 9396 types as the form writes them: a type and its description on one line, then its
/// actions indented under it, each with the words the consent page shows.
fn parse_details(value: &str, problems: &mut Vec<String>) -> Vec<DetailsType> {
    let mut types: Vec<DetailsType> = Vec::new();
    for line in value.lines().filter(|l| !l.trim().is_empty()) {
        let indented = line.starts_with(char::is_whitespace);
        let Some((name, description)) = line.trim().split_once(char::is_whitespace) else {
            problems.push(format!("details_types: '{}' needs a description after it", line.trim()));
            continue;
        };
        let words = ApiScope::new(name.to_owned(), description.trim().to_owned());
        match (indented, types.last_mut()) {
            (true, Some(current)) => current.actions.push(words),
            (true, None) => problems.push(format!(
                "details_types: the action '{name}' comes before any type; write the type first, then its actions indented under it"
            )),
            (false, _) => types.push(DetailsType {
                name: words.name,
                description: words.description,
                actions: Vec::new(),
            }),
        }
    }
    types
}

fn details_text(api: &Api) -> String {
    let mut out = Vec::new();
    for t in &api.authorization_details_types {
        out.push(format!("{} {}", t.name, t.description));
        out.extend(t.actions.iter().map(|a| format!("  {} {}", a.name, a.description)));
    }
    out.join("\n")
}

fn scopes_text(api: &Api) -> String {
    keygate_core::api::scope_entries(&api.scopes)
        .iter()
        .map(|(name, words)| format!("{name} {words}"))
        .collect::<Vec<_>>()
        .join("\n")
}

async fn list_page(
    state: &AppState,
    console: &Console,
    form: BTreeMap<&str, String>,
    problems: &[String],
) -> Response {
    let admin = or_respond!(console.reader(state));
    let mut apis = match admin.apis().await {
        Ok(a) => a,
        Err(e) => return failure(state, e),
    };
    apis.sort_by_key(|a| a.name.to_lowercase());
    let (errors, general, status) = form_errors(&form, problems);
    let ctx =
        context! { title => "APIs", apis => v(&apis), form, errors, general_errors => general };
    render(state, console, SECTION, status, "apis.html", ctx)
}

/// `GET /admin/apis`.
pub async fn list(State(state): State<AppState>, console: Console) -> Response {
    list_page(&state, &console, BTreeMap::new(), &[]).await
}

/// `POST /admin/apis`.
pub async fn create(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let values = BTreeMap::from([
        ("name", text(&form, "name")),
        ("identifier", text(&form, "identifier")),
        ("scopes", text(&form, "scopes")),
    ]);
    let mut problems = Vec::new();
    let scopes = parse_scopes(&values["scopes"], &mut problems);
    if !problems.is_empty() {
        return list_page(&state, &console, values, &problems).await;
    }
    let spec = ApiSpec {
        identifier: Some(values["identifier"].clone()),
        name: Some(values["name"].clone()),
        scopes: Some(scopes),
        ..Default::default()
    };
    match admin.create_api(spec).await {
        Ok(api) => see_other(&console_url(&state, &format!("/apis/{}", api.id))),
        Err(AdminError::Invalid(problems)) => list_page(&state, &console, values, &problems).await,
        Err(AdminError::Conflict(what)) => {
            list_page(&state, &console, values, &[format!("identifier: {what}")]).await
        }
        Err(e) => failure(&state, e),
    }
}

async fn show_page(
    state: &AppState,
    console: &Console,
    api: &Api,
    form: BTreeMap<&str, String>,
    problems: &[String],
    notice: Option<&str>,
) -> Response {
    show_page_with(state, console, api, (form, problems), notice, None).await
}

/// [`show_page`], and new introspection credentials (client id, secret) to show once.
async fn show_page_with(
    state: &AppState,
    console: &Console,
    api: &Api,
    (form, problems): (BTreeMap<&str, String>, &[String]),
    notice: Option<&str>,
    created: Option<(String, String)>,
) -> Response {
    let (errors, general, status) = form_errors(&form, problems);
    let grant_form = BTreeMap::from([
        ("client_id", form.get("client_id").cloned().unwrap_or_default()),
        ("grant_scopes", form.get("grant_scopes").cloned().unwrap_or_default()),
    ]);
    let created = created.map(|(client_id, secret)| context! { client_id, secret });
    let clients = match console.reader(state) {
        Ok(admin) => admin.clients().await.unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    let client_names: BTreeMap<String, String> =
        clients.iter().map(|c| (c.client_id.clone(), c.name.clone())).collect();
    let (grantable, callers) = super::access::api_sides(api, &clients);
    let granted_scopes: Vec<String> = form
        .get("grant_scopes")
        .map(|s| s.split_whitespace().map(str::to_owned).collect())
        .unwrap_or_default();
    let ctx = context! { title => &api.name, api => v(api), form, grant_form, errors, general_errors => general, notice, created, client_names, grantable, callers, granted_scopes };
    render(state, console, SECTION, status, "api.html", ctx)
}

fn form_of(api: &Api) -> BTreeMap<&'static str, String> {
    BTreeMap::from([
        ("name", api.name.clone()),
        ("identifier", api.identifier.clone()),
        ("scopes", scopes_text(api)),
        ("details_types", details_text(api)),
        ("access_token_ttl", api.access_token_ttl.map(|t| t.to_string()).unwrap_or_default()),
        ("open", if api.open { "yes".into() } else { String::new() }),
    ])
}

/// `GET /admin/apis/{id}`.
pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    let admin = or_respond!(console.reader(&state));
    let api = match admin.api(&id).await {
        Ok(api) => api,
        Err(e) => return failure(&state, e),
    };
    // New introspection credentials wait in the flash cookie: shown this once.
    let created = flash::take(&state, &headers, &credentials_key(&api.id)).and_then(|both| {
        both.split_once('\n').map(|(id, secret)| (id.to_owned(), secret.to_owned()))
    });
    let notice = created.as_ref().map(|_| "Credentials created.");
    let form = (form_of(&api), &[][..]);
    let mut response = show_page_with(&state, &console, &api, form, notice, created).await;
    if notice.is_some() {
        response.headers_mut().insert(
            axum::http::header::CACHE_CONTROL,
            axum::http::HeaderValue::from_static("no-store"),
        );
        flash::clear(&state, &mut response);
    }
    response
}

fn credentials_key(api_id: &str) -> String {
    format!("api-credentials:{api_id}")
}

/// `POST /admin/apis/{id}`.
pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let current = match admin.api(&id).await {
        Ok(a) => a,
        Err(e) => return failure(&state, e),
    };
    let values = BTreeMap::from([
        ("name", text(&form, "name")),
        ("identifier", text(&form, "identifier")),
        ("scopes", text(&form, "scopes")),
        (
            "details_types",
            raw_text(&form, "details_types").unwrap_or_else(|| details_text(&current)),
        ),
        ("access_token_ttl", text(&form, "access_token_ttl")),
        ("open", text(&form, "open")),
    ]);
    let mut problems = Vec::new();
    let scopes = parse_scopes(&values["scopes"], &mut problems);
    let details_types = parse_details(&values["details_types"], &mut problems);
    let ttl = number(&form, "access_token_ttl", &mut problems);
    if !problems.is_empty() {
        return show_page(&state, &console, &current, values, &problems, None).await;
    }
    let spec = ApiSpec {
        identifier: Some(values["identifier"].clone()),
        name: Some(values["name"].clone()),
        scopes: Some(scopes),
        authorization_details_types: Some(details_types),
        access_token_ttl: Some(ttl),
        open: Some(!values["open"].is_empty()),
        ..Default::default()
    };
    match admin.update_api(&id, spec).await {
        Ok(api) => {
            show_page(&state, &console, &api, form_of(&api), &[], Some("Changes saved.")).await
        }
        Err(AdminError::Invalid(problems)) => {
            show_page(&state, &console, &current, values, &problems, None).await
        }
        Err(e) => failure(&state, e),
    }
}

/// A textarea's value with its indentation kept (only trailing blanks go); `None` when the
/// form did not have the field.
fn raw_text(form: &keygate_core::Params, name: &'static str) -> Option<String> {
    form.single(name).ok().flatten().map(|v| v.trim_end().to_owned())
}

/// `POST /admin/apis/{id}/grants`: lets a machine-to-machine client get some scopes.
pub async fn add_grant(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let client_id = text(&form, "client_id");
    // Ticked scope boxes arrive one value each (or, from a script, one space-separated value).
    let scopes_value = form.all("grant_scopes").collect::<Vec<_>>().join(" ");
    let scopes = scopes_value.split_whitespace().map(str::to_owned).collect();
    match admin.set_api_client_grant(&id, &client_id, Some(scopes)).await {
        // Post/Redirect/Get: reloading the page does not post the grant again.
        Ok(api) => see_other(&console_url(&state, &format!("/apis/{}", urlencoding(&api.id)))),
        Err(AdminError::Invalid(problems)) => {
            let current = match admin.api(&id).await {
                Ok(a) => a,
                Err(e) => return failure(&state, e),
            };
            let mut values = form_of(&current);
            values.insert("client_id", client_id);
            values.insert("grant_scopes", scopes_value);
            let problems: Vec<String> = problems
                .into_iter()
                .map(|p| if p.starts_with("client '") { format!("grant_scopes: {p}") } else { p })
                .collect();
            show_page(&state, &console, &current, values, &problems, None).await
        }
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/apis/{id}/grants/{client_id}/delete`.
pub async fn remove_grant(
    State(state): State<AppState>,
    console: Console,
    Path((id, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    match admin.set_api_client_grant(&id, &client_id, None).await {
        Ok(api) => see_other(&console_url(&state, &format!("/apis/{}", urlencoding(&api.id)))),
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/apis/{id}/credentials`: new introspection credentials, the secret shown once.
pub async fn create_credentials(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    match admin.create_api_credentials(&id).await {
        Ok((api, client, secret)) => {
            // Post/Redirect/Get: the API's page shows the secret once.
            let location = console_url(&state, &format!("/apis/{}", urlencoding(&api.id)));
            let both = format!("{}\n{}", client.client_id, secret.expose_secret());
            flash::redirect_with(&state, &location, &credentials_key(&api.id), &both)
        }
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/apis/{id}/credentials/{client_id}/delete`.
pub async fn delete_credentials(
    State(state): State<AppState>,
    console: Console,
    Path((id, client_id)): Path<(String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    match admin.delete_api_credentials(&id, &client_id).await {
        Ok(api) => {
            show_page(&state, &console, &api, form_of(&api), &[], Some("Credentials deleted."))
                .await
        }
        Err(e) => failure(&state, e),
    }
}

/// `GET /admin/apis/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/apis/{}", urlencoding(&id));
    confirm(&state, &console, Confirm {
        title: "Delete this API?".into(),
        message: "Applications can no longer get tokens for it, and its scopes lose their descriptions. Tokens already issued stay valid until they expire.".into(),
        action: console_url(&state, &format!("{path}/delete")),
        cancel: console_url(&state, &path),
        button: "Delete API",
        section: SECTION,
    })
}

/// `POST /admin/apis/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    redirect_after(&state, admin.delete_api(&id).await, "/apis")
}
