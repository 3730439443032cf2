//! Applications: list, create (secret shown once), edit, rotate secret, delete.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::Response;
use keygate_core::admin::{AdminError, NewClient};
use keygate_core::client::{Client, ClientSpec, ClientType};
use minijinja::context;

use super::access;
use super::form_errors;
use super::session::Console;
use super::{Confirm, confirm, console_url, failure, lines, number, place_errors, render, text, v};
use super::{flash, redirect_after, urlencoding};
use crate::state::AppState;
use crate::ui::see_other;
use keygate_core::Secret;

const SECTION: &str = "applications";

/// The settings form's checkboxes (an unticked box is not sent at all).
const CHECKBOXES: [&str; 7] = [
    "first_party",
    "pkce_optional",
    "require_mfa",
    "require_pushed_authorization_requests",
    "require_signed_request_object",
    "dpop_bound_access_tokens",
    "fapi2",
];

fn types() -> BTreeMap<&'static str, &'static str> {
    BTreeMap::from([
        ("web", "Regular web application"),
        ("spa", "Single-page application"),
        ("native", "Native or terminal application"),
        ("m2m", "Machine-to-machine"),
    ])
}

async fn list_page(
    state: &AppState,
    console: &Console,
    form: BTreeMap<&str, String>,
    errors: BTreeMap<String, Vec<String>>,
    general: Vec<String>,
) -> Response {
    let admin = match console.reader(state) {
        Ok(a) => a,
        Err(r) => return r,
    };
    let (system, mut clients): (Vec<_>, Vec<_>) = match admin.clients().await {
        Ok(c) => c.into_iter().partition(keygate_core::admin::is_system_client),
        Err(e) => return failure(state, e),
    };
    clients.sort_by_key(|c| c.name.to_lowercase());
    let status = if errors.is_empty() && general.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    let documents_enabled = state.provider.settings().client_metadata_documents.enabled;
    let ctx = context! { title => "Applications", clients => v(&clients), system => v(&system), types => types(), form, errors, general_errors => general, documents_enabled };
    render(state, console, SECTION, status, "apps.html", ctx)
}

/// `GET /admin/applications`.
pub async fn list(State(state): State<AppState>, console: Console) -> Response {
    let form = BTreeMap::from([("type", "web".to_owned())]);
    list_page(&state, &console, form, BTreeMap::new(), Vec::new()).await
}

/// `POST /admin/applications`: creates one and shows its id and secret once.
pub async fn create(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let values = BTreeMap::from([
        ("name", text(&form, "name")),
        ("type", text(&form, "type")),
        ("redirect_uris", text(&form, "redirect_uris")),
        ("post_logout_redirect_uris", text(&form, "post_logout_redirect_uris")),
    ]);
    let client_type: Result<ClientType, String> = values["type"].parse();
    let result = match client_type {
        Ok(client_type) => {
            let spec = ClientSpec {
                name: Some(values["name"].clone()),
                redirect_uris: (client_type != ClientType::M2m)
                    .then(|| lines(&values["redirect_uris"])),
                post_logout_redirect_uris: Some(lines(&values["post_logout_redirect_uris"])),
                ..Default::default()
            };
            admin
                .create_client(NewClient { client_type, client_id: None, secret: None, spec })
                .await
        }
        Err(e) => Err(AdminError::Invalid(vec![format!("type: {e}")])),
    };
    match result {
        Ok((client, secret)) => show_once(&state, &client.client_id, secret.as_ref(), "created"),
        Err(AdminError::Invalid(problems)) => {
            let fields: Vec<(&str, &str)> = values.iter().map(|(k, v)| (*k, v.as_str())).collect();
            let (errors, general) = place_errors(&problems, &fields);
            list_page(&state, &console, values.clone(), errors, general).await
        }
        Err(e) => failure(&state, e),
    }
}

/// A JWK Set as the form shows it.
fn pretty(jwks: &serde_json::Value) -> String {
    serde_json::to_string_pretty(jwks).unwrap_or_default()
}

/// The edit form's values for a client.
fn form_of(c: &Client, apis: &[keygate_core::api::Api]) -> BTreeMap<&'static str, String> {
    let (resources, scopes) = access::merged(c, apis);
    let opt = |v: &Option<String>| v.clone().unwrap_or_default();
    let num = |v: Option<i64>| v.map(|n| n.to_string()).unwrap_or_default();
    let yes = |v: bool| if v { "yes".to_owned() } else { String::new() };
    BTreeMap::from([
        ("name", c.name.clone()),
        ("redirect_uris", c.redirect_uris.join("\n")),
        ("post_logout_redirect_uris", c.post_logout_redirect_uris.join("\n")),
        ("backchannel_logout_uri", opt(&c.backchannel_logout_uri)),
        ("web_origins", c.metadata.web_origins.join("\n")),
        ("scopes", scopes.join(" ")),
        ("resources", resources.join("\n")),
        ("first_party", if c.first_party { "yes".into() } else { String::new() }),
        ("logo_uri", opt(&c.metadata.logo_uri)),
        ("primary_color", opt(&c.metadata.primary_color)),
        ("background_uri", opt(&c.metadata.background_uri)),
        ("policy_uri", opt(&c.metadata.policy_uri)),
        ("tos_uri", opt(&c.metadata.tos_uri)),
        ("access_token_ttl", num(c.metadata.access_token_ttl)),
        ("refresh_token_ttl", num(c.metadata.refresh_token_ttl)),
        ("pkce_optional", if c.metadata.pkce_optional { "yes".into() } else { String::new() }),
        ("require_mfa", if c.metadata.require_mfa { "yes".into() } else { String::new() }),
        (
            "require_pushed_authorization_requests",
            yes(c.metadata.require_pushed_authorization_requests),
        ),
        ("require_signed_request_object", yes(c.metadata.require_signed_request_object)),
        ("dpop_bound_access_tokens", yes(c.metadata.dpop_bound_access_tokens)),
        ("fapi2", yes(c.metadata.fapi2)),
        ("request_object_signing_alg", opt(&c.metadata.request_object_signing_alg)),
        ("grant_types", c.grant_types.iter().map(|g| g.as_str()).collect::<Vec<_>>().join(" ")),
        ("auth_method", c.auth_method.as_str().to_owned()),
        ("id_token_alg", c.id_token_alg.map(|a| a.as_str().to_owned()).unwrap_or_default()),
        ("jwks_uri", opt(&c.metadata.jwks_uri)),
        ("jwks", c.metadata.jwks.as_ref().map(pretty).unwrap_or_default()),
    ])
}

async fn show_page(
    state: &AppState,
    console: &Console,
    client: &Client,
    form: BTreeMap<&str, String>,
    problems: &[String],
    notice: Option<&str>,
) -> Response {
    let apis = match console.reader(state) {
        Ok(admin) => admin.apis().await.unwrap_or_default(),
        Err(r) => return r,
    };
    let resources = lines(&form["resources"]);
    let scopes: Vec<String> = form["scopes"].split_whitespace().map(str::to_owned).collect();
    let access = access::choices(&resources, &scopes, &apis, &client.client_id);
    let (errors, general, status) = form_errors(&form, problems);
    let ctx = context! {
        access,
        title => &client.name, client => v(client), form, errors, general_errors => general, types => types(),
        confidential => client.client_type.is_confidential(), notice,
        system => keygate_core::admin::is_system_client(client),
        grant_choices => keygate_core::client::GrantType::ALL.map(|g| (g.as_str(), g.description())),
        auth_choices => [
            ("client_secret_basic", "Client secret, HTTP Basic"),
            ("client_secret_post", "Client secret, in the form"),
            ("private_key_jwt", "Private key JWT"),
            ("none", "None (public application)"),
        ],
        algs => keygate_core::keys::SigningAlg::ALL.map(|a| a.as_str()),
        default_alg => state.provider.settings().id_token_alg.as_str(),
    };
    render(state, console, SECTION, status, "app.html", ctx)
}

/// `GET /admin/applications/{id}`.
pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let admin = match console.reader(&state) {
        Ok(a) => a,
        Err(r) => return r,
    };
    match admin.client(&id).await {
        Ok(client) => {
            let apis = admin.apis().await.unwrap_or_default();
            show_page(&state, &console, &client, form_of(&client, &apis), &[], None).await
        }
        Err(e) => failure(&state, e),
    }
}

/// `POST /admin/applications/{id}`: saves the settings.
pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let current = match admin.client(&id).await {
        Ok(c) => c,
        Err(e) => return failure(&state, e),
    };
    let apis = admin.apis().await.unwrap_or_default();
    let mut values = form_of(&current, &apis);
    // The access section's boxes: present (maybe none ticked) when the section was on the form.
    let listed = form.single("access").ok().flatten().is_some();
    // The boxes the page showed (a box it did not show keeps its value); all, for a form
    // that does not say (a script).
    let shown: Vec<&str> = form.all("shown_box").collect();
    let was_shown = |key: &str| shown.is_empty() || shown.contains(&key);
    for (key, value) in values.iter_mut() {
        let submitted = form.single(key).ok().flatten();
        *value = match (*key, submitted) {
            // Unticked boxes are not sent; an empty name is sent as nothing at all.
            (key, None) if CHECKBOXES.contains(&key) && was_shown(key) => String::new(),
            ("name", None) => String::new(),
            // Ticked grant types, APIs and scopes arrive one value each.
            ("grant_types", _) => form.all("grant_types").collect::<Vec<_>>().join(" "),
            ("scopes", _) if listed => form.all("scopes").collect::<Vec<_>>().join(" "),
            ("resources", _) if listed => form.all("resources").collect::<Vec<_>>().join("\n"),
            (_, Some(v)) => v.trim().to_owned(),
            (_, None) => value.clone(),
        };
    }
    let plan = if listed {
        let shown: Vec<String> = form.all("shown_grant").map(str::to_owned).collect();
        let ticked_scopes = values["scopes"].split_whitespace().map(str::to_owned).collect();
        access::plan(&current, &apis, lines(&values["resources"]), ticked_scopes, &shown)
    } else {
        // A form without the access section (a script): the fields as sent, else unchanged.
        let sent = |name| form.single(name).ok().flatten().map(str::to_owned);
        access::Plan {
            resources: sent("resources").map_or(current.resources.clone(), |v| lines(&v)),
            scopes: sent("scopes").map_or(current.scopes.clone(), |v| {
                v.split_whitespace().map(str::to_owned).collect()
            }),
            grants: Vec::new(),
        }
    };
    let mut problems = Vec::new();
    let mut metadata = current.metadata.clone();
    let opt = |v: &str| (!v.is_empty()).then(|| v.to_owned());
    metadata.web_origins = lines(&values["web_origins"]);
    metadata.logo_uri = opt(&values["logo_uri"]);
    metadata.primary_color = opt(&values["primary_color"]);
    metadata.background_uri = opt(&values["background_uri"]);
    metadata.policy_uri = opt(&values["policy_uri"]);
    metadata.tos_uri = opt(&values["tos_uri"]);
    metadata.access_token_ttl = number(&form, "access_token_ttl", &mut problems);
    metadata.refresh_token_ttl = number(&form, "refresh_token_ttl", &mut problems);
    metadata.pkce_optional = !values["pkce_optional"].is_empty();
    metadata.require_mfa = !values["require_mfa"].is_empty();
    metadata.require_pushed_authorization_requests =
        !values["require_pushed_authorization_requests"].is_empty();
    metadata.require_signed_request_object = !values["require_signed_request_object"].is_empty();
    metadata.dpop_bound_access_tokens = !values["dpop_bound_access_tokens"].is_empty();
    metadata.fapi2 = !values["fapi2"].is_empty();
    metadata.request_object_signing_alg = opt(&values["request_object_signing_alg"]);
    metadata.jwks_uri = opt(&values["jwks_uri"]);
    metadata.jwks = match values["jwks"].as_str() {
        "" => None,
        text => serde_json::from_str(text)
            .map_err(|e| problems.push(format!("jwks: this is not JSON ({e})")))
            .ok(),
    };
    let grant_types = parsed_list(&values["grant_types"], "grant_types", &mut problems);
    let auth_method = parsed(&values["auth_method"], "auth_method", &mut problems);
    let id_token_alg = match values["id_token_alg"].as_str() {
        "" => Some(None),
        alg => parsed(alg, "id_token_alg", &mut problems).map(Some),
    };
    let keeps_m2m = grant_types
        .as_ref()
        .map_or(current.allows_grant(keygate_core::client::GrantType::ClientCredentials), |g| {
            g.contains(&keygate_core::client::GrantType::ClientCredentials)
        });
    if plan.grants.iter().any(|(_, scopes)| scopes.is_some()) && !keeps_m2m {
        problems.push("grant_types: machine-to-machine access granted on an API's page needs the client credentials grant; keep it, or untick those APIs".to_owned());
    }
    let spec = ClientSpec {
        name: Some(values["name"].clone()),
        redirect_uris: Some(lines(&values["redirect_uris"])),
        post_logout_redirect_uris: Some(lines(&values["post_logout_redirect_uris"])),
        backchannel_logout_uri: Some(values["backchannel_logout_uri"].clone()),
        scopes: Some(plan.scopes.clone()),
        resources: Some(plan.resources.clone()),
        first_party: Some(!values["first_party"].is_empty()),
        metadata: Some(metadata),
        grant_types,
        auth_method,
        id_token_alg: id_token_alg.flatten(),
    };
    if !problems.is_empty() {
        // Report the form's own problems with every other one, in one round.
        match admin.client_update_problems(&id, spec).await {
            Ok(more) => problems.extend(more),
            Err(e) => return failure(&state, e),
        }
        return show_page(&state, &console, &current, values, &problems, None).await;
    }
    match admin.update_client(&id, spec).await {
        Ok(client) => {
            if let Err(e) = access::apply_grants(&admin, &client.client_id, &plan.grants).await {
                return failure(&state, e);
            }
            let apis = admin.apis().await.unwrap_or_default();
            let saved = form_of(&client, &apis);
            show_page(&state, &console, &client, saved, &[], Some("Changes saved.")).await
        }
        Err(AdminError::Invalid(problems)) => {
            show_page(&state, &console, &current, values, &problems, None).await
        }
        Err(e) => failure(&state, e),
    }
}

/// `GET /admin/applications/{id}/rotate`: asks first.
pub async fn confirm_rotate(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/applications/{}", urlencoding(&id));
    confirm(&state, &console, Confirm {
        title: "Rotate the client secret?".into(),
        message: "A new secret is made and shown once. The current secret stops working at once: update the application before it next needs a token.".into(),
        action: console_url(&state, &format!("{path}/rotate")),
        cancel: console_url(&state, &path),
        button: "Rotate secret",
        section: SECTION,
    })
}

/// `POST /admin/applications/{id}/rotate`.
pub async fn rotate(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    let result = match admin.rotate_client_secret(&id).await {
        Ok(secret) => admin.client(&id).await.map(|c| (c, secret)),
        Err(e) => Err(e),
    };
    match result {
        Ok((client, secret)) => show_once(&state, &client.client_id, Some(&secret), "new-secret"),
        Err(e) => failure(&state, e),
    }
}

/// Post/Redirect/Get: to the page that shows the client's id and secret once.
fn show_once(state: &AppState, client_id: &str, secret: Option<&Secret>, page: &str) -> Response {
    let location = console_url(state, &format!("/applications/{}/{page}", urlencoding(client_id)));
    match secret {
        Some(secret) => {
            flash::redirect_with(state, &location, &flash_key(client_id), secret.expose_secret())
        }
        None => see_other(&location),
    }
}

fn flash_key(client_id: &str) -> String {
    format!("client:{client_id}")
}

/// `GET /admin/applications/{id}/created`.
pub async fn created(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    shown_once(&state, &console, &id, &headers, "Application created").await
}

/// `GET /admin/applications/{id}/new-secret`.
pub async fn new_secret(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
) -> Response {
    shown_once(&state, &console, &id, &headers, "New secret").await
}

/// The client's id, and its secret if it is still waiting: only the first time, so a reload
/// shows how to get a new one instead.
async fn shown_once(
    state: &AppState,
    console: &Console,
    id: &str,
    headers: &HeaderMap,
    title: &str,
) -> Response {
    let state = state.clone();
    let admin = or_respond!(console.reader(&state));
    let client = match admin.client(id).await {
        Ok(client) => client,
        Err(e) => return failure(&state, e),
    };
    let secret = flash::take(&state, headers, &flash_key(id));
    let ctx = context! {
        title, client => v(&client), secret,
        confidential => client.client_type.is_confidential(),
    };
    let mut response = render(&state, console, SECTION, StatusCode::OK, "app_created.html", ctx);
    response.headers_mut().insert(
        axum::http::header::CACHE_CONTROL,
        axum::http::HeaderValue::from_static("no-store"),
    );
    flash::clear(&state, &mut response);
    response
}

/// `GET /admin/applications/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/applications/{}", urlencoding(&id));
    confirm(
        &state,
        &console,
        Confirm {
            title: "Delete this application?".into(),
            message: format!(
                "Application {id} will be deleted. Its users are signed out of it and its tokens stop working. This cannot be undone."
            ),
            action: console_url(&state, &format!("{path}/delete")),
            cancel: console_url(&state, &path),
            button: "Delete application",
            section: SECTION,
        },
    )
}

/// `POST /admin/applications/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    redirect_after(&state, admin.delete_client(&id).await, "/applications")
}

/// A value of a select, parsed; a problem for its field otherwise.
fn parsed<T: std::str::FromStr>(value: &str, field: &str, problems: &mut Vec<String>) -> Option<T> {
    let parsed = value.parse().ok();
    if parsed.is_none() {
        problems.push(format!("{field}: '{value}' is not one of the choices"));
    }
    parsed
}

/// Space-separated values of a group of checkboxes, parsed.
fn parsed_list<T: std::str::FromStr>(
    values: &str,
    field: &str,
    problems: &mut Vec<String>,
) -> Option<Vec<T>> {
    values.split_whitespace().map(|v| parsed(v, field, problems)).collect()
}
