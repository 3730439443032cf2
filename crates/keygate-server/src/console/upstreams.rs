//! Upstream identity providers: list, add (a preset, an OpenID Connect issuer or plain OAuth 2.0
//! endpoints), change, delete; and unlinking a user's upstream identity.

use std::collections::BTreeMap;

use axum::body::Bytes;
use axum::extract::{Path, State};
use axum::http::HeaderMap;
use axum::response::Response;
use keygate_core::Params;
use keygate_core::admin::AdminError;
use keygate_core::federation::{UpstreamKind, UpstreamProvider, UpstreamSpec};
use minijinja::context;

use super::session::Console;
use super::{Confirm, confirm, console_url, failure, form_errors, redirect_after, render, text};
use super::{urlencoding, v};
use crate::state::AppState;
use crate::ui::see_other;

const SECTION: &str = "upstreams";

/// What the pages show of an upstream.
fn describe(state: &AppState, u: &UpstreamProvider) -> minijinja::Value {
    let endpoint = match &u.kind {
        UpstreamKind::Oidc { issuer } => issuer.clone(),
        UpstreamKind::Oauth2 { authorization_endpoint, .. } => authorization_endpoint.clone(),
    };
    context! {
        id => &u.id, display_name => &u.display_name, kind => if u.is_oidc() { "OpenID Connect" } else { "OAuth 2.0" },
        endpoint, client_id => &u.client_id, enabled => u.enabled, jit_provisioning => u.jit_provisioning,
        link_verified_email => u.link_verified_email, upstream_logout => u.upstream_logout,
        scopes => u.scopes.join(" "), preset => &u.preset, from_config => u.from_config,
        redirect_uri => state.provider.federation_redirect_uri(&u.id),
    }
}

/// A checkbox: present means on.
fn checked(form: &Params, name: &'static str) -> bool {
    form.single(name).ok().flatten().is_some()
}

fn non_empty(value: String) -> Option<String> {
    (!value.is_empty()).then_some(value)
}

async fn list_page(
    state: &AppState,
    console: &Console,
    form: BTreeMap<&str, String>,
    problems: &[String],
) -> Response {
    or_respond!(console.reader(state));
    let all = match state.provider.upstream_providers().await {
        Ok(all) => all,
        Err(e) => return failure(state, e.into()),
    };
    let upstreams: Vec<_> = all.iter().map(|u| describe(state, u)).collect();
    let (errors, general, status) = form_errors(&form, problems);
    let presets = keygate_core::federation::presets::PRESETS;
    let callback_pattern = format!(
        "{}{}",
        state.provider.issuer(),
        crate::oauth::paths::FEDERATION_CALLBACK.replace("{id}", "ID")
    );
    let ctx = context! { title => "Upstream providers", upstreams, presets => v(presets), form, errors, general_errors => general, callback_pattern };
    render(state, console, SECTION, status, "upstreams.html", ctx)
}

/// `GET /admin/upstreams`.
pub async fn list(State(state): State<AppState>, console: Console) -> Response {
    list_page(&state, &console, BTreeMap::new(), &[]).await
}

/// `POST /admin/upstreams`.
pub async fn create(
    State(state): State<AppState>,
    console: Console,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let fields = [
        "id",
        "preset",
        "display_name",
        "issuer",
        "authorization_endpoint",
        "token_endpoint",
        "userinfo_endpoint",
        "client_id",
    ];
    let values: BTreeMap<&str, String> = fields.iter().map(|f| (*f, text(&form, f))).collect();
    let get = |name: &str| non_empty(values.get(name).cloned().unwrap_or_default());
    let spec = UpstreamSpec {
        id: get("id"),
        preset: get("preset"),
        display_name: get("display_name"),
        issuer: get("issuer"),
        authorization_endpoint: get("authorization_endpoint"),
        token_endpoint: get("token_endpoint"),
        userinfo_endpoint: get("userinfo_endpoint"),
        client_id: get("client_id"),
        client_secret: non_empty(text(&form, "client_secret")),
        ..Default::default()
    };
    let built = match spec.build() {
        Ok(u) if state.provider.settings().upstreams.iter().any(|c| c.id == u.id) => {
            Err(vec![format!("id: '{}' is defined in the configuration file", u.id)])
        }
        other => other,
    };
    let upstream = match built {
        Ok(u) => u,
        Err(problems) => return list_page(&state, &console, values, &problems).await,
    };
    match admin.create_upstream(upstream, state.provider.master_key()).await {
        Ok(u) => see_other(&console_url(&state, &format!("/upstreams/{}", urlencoding(&u.id)))),
        Err(AdminError::Invalid(problems)) => list_page(&state, &console, values, &problems).await,
        Err(AdminError::Conflict(what)) => {
            list_page(&state, &console, values, &[format!("id: {what}")]).await
        }
        Err(e) => failure(&state, e),
    }
}

async fn find(state: &AppState, id: &str) -> Result<UpstreamProvider, Response> {
    match state.provider.upstream(id).await {
        Ok(Some(u)) => Ok(u),
        Ok(None) => Err(failure(state, AdminError::NotFound(format!("upstream '{id}'")))),
        Err(e) => Err(failure(state, e.into())),
    }
}

fn show_page(
    state: &AppState,
    console: &Console,
    u: &UpstreamProvider,
    problems: &[String],
    notice: Option<&str>,
) -> Response {
    let form = BTreeMap::from([
        ("display_name", u.display_name.clone()),
        ("client_id", u.client_id.clone()),
        ("scopes", u.scopes.join(" ")),
    ]);
    let (errors, general, status) = form_errors(&form, problems);
    let ctx = context! { title => &u.display_name, upstream => describe(state, u), form, errors, general_errors => general, notice };
    render(state, console, SECTION, status, "upstream.html", ctx)
}

/// `GET /admin/upstreams/{id}`.
pub async fn show(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    or_respond!(console.reader(&state));
    let u = or_respond!(find(&state, &id).await);
    show_page(&state, &console, &u, &[], None)
}

/// `POST /admin/upstreams/{id}`: name, client, scopes and switches; an empty secret keeps it.
pub async fn update(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (form, admin) = or_respond!(console.post(&state, &headers, &body));
    let current = or_respond!(find(&state, &id).await);
    if current.from_config {
        let problems =
            ["This provider is defined in the configuration file; change it there.".to_owned()];
        return show_page(&state, &console, &current, &problems, None);
    }
    let spec = UpstreamSpec {
        display_name: Some(text(&form, "display_name")),
        client_id: Some(text(&form, "client_id")),
        client_secret: non_empty(text(&form, "client_secret")),
        scopes: Some(text(&form, "scopes").split_whitespace().map(str::to_owned).collect()),
        enabled: Some(checked(&form, "enabled")),
        jit_provisioning: Some(checked(&form, "jit_provisioning")),
        link_verified_email: Some(checked(&form, "link_verified_email")),
        upstream_logout: Some(checked(&form, "upstream_logout")),
        ..Default::default()
    };
    let changed = match spec.apply(current.clone()) {
        Ok(u) => u,
        Err(problems) => return show_page(&state, &console, &current, &problems, None),
    };
    match admin.update_upstream(changed, state.provider.master_key()).await {
        Ok(u) => show_page(&state, &console, &u, &[], Some("Changes saved.")),
        Err(AdminError::Invalid(problems)) => {
            show_page(&state, &console, &current, &problems, None)
        }
        Err(e) => failure(&state, e),
    }
}

/// `GET /admin/upstreams/{id}/delete`: asks first.
pub async fn confirm_delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
) -> Response {
    let path = format!("/upstreams/{}", urlencoding(&id));
    confirm(&state, &console, Confirm {
        title: "Remove this provider?".into(),
        message: "Its button leaves the login page. Users keep their accounts, and identities linked through it stay linked in case it is added again.".into(),
        action: console_url(&state, &format!("{path}/delete")),
        cancel: console_url(&state, &path),
        button: "Remove provider",
        section: SECTION,
    })
}

/// `POST /admin/upstreams/{id}/delete`.
pub async fn delete(
    State(state): State<AppState>,
    console: Console,
    Path(id): Path<String>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    redirect_after(&state, admin.delete_upstream(&id).await, "/upstreams")
}

/// `POST /admin/users/{id}/identities/{provider}/{subject}/unlink`.
pub async fn unlink(
    State(state): State<AppState>,
    console: Console,
    Path((id, provider, subject)): Path<(String, String, String)>,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let (_, admin) = or_respond!(console.post(&state, &headers, &body));
    let result = admin.unlink_identity(&id, &provider, &subject).await;
    redirect_after(&state, result, &format!("/users/{}", urlencoding(&id)))
}
