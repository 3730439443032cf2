//! The account page's passkeys: add one (WebAuthn L3 registration, §7.1), rename it, remove
//! it. Each passkey shows its name, when it was added and last used, and whether it is synced
//! to the user's other devices (backup eligible) or bound to one device.

use axum::extract::{Path, State};
use axum::response::Response;
use keygate_core::webauthn::b64url;
use minijinja::context;

use super::{AccountPost, AccountUser, after_check};
use crate::state::AppState;
use crate::ui::passkey::{Form, view};

/// The page's passkeys section: the list and the form adding one; `None` when passkeys are off.
pub(super) fn section(
    state: &AppState,
    account: &AccountUser,
    passkeys: &[keygate_core::store::Passkey],
) -> Option<minijinja::Value> {
    let provider = &state.provider;
    if !provider.passkeys_enabled() {
        return None;
    }
    let base = format!("{}/account/passkeys", provider.issuer());
    let list: Vec<_> = passkeys
        .iter()
        .map(|p| {
            let id = b64url(&p.id);
            context! {
                name => &p.name,
                added => crate::console::when(p.created_at),
                last_used => p.last_used_at.map(crate::console::when),
                synced => p.backup_eligible,
                rename => format!("{base}/{id}/rename"),
                remove => format!("{base}/{id}/remove"),
            }
        })
        .collect();
    let add = match provider.begin_passkey_registration(&account.user, passkeys) {
        Ok(ceremony) => {
            let label = "Add a passkey";
            let form = Form { mode: "create", action: &base, label, class: "", conditional: false };
            Some(view(ceremony, form))
        }
        Err(e) => {
            tracing::warn!(error = %e, "passkey registration unavailable");
            None
        }
    };
    Some(context! { list, add })
}

/// `POST /account/passkeys`: the new passkey the browser made.
pub async fn add(
    State(state): State<AppState>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let field = |name| form.single(name).ok().flatten().unwrap_or("");
    let provider = &state.provider;
    let ip = account.ip.clone();
    let (ticket, response, name) = (field("passkey"), field("response"), field("name"));
    let added = provider.finish_passkey_registration(&account.user, ticket, response, name, ip);
    let added = added.await.map(|done| done.map(|_| ()));
    after_check(&state, &account, added, "passkey").await
}

/// `POST /account/passkeys/{id}/rename`.
pub async fn rename(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AccountPost { account, form }: AccountPost,
) -> Response {
    let name = form.single("name").ok().flatten().unwrap_or("");
    let renamed = state.provider.rename_passkey(&account.user, &id, name).await;
    after_check(&state, &account, renamed, "passkey_renamed").await
}

/// `POST /account/passkeys/{id}/remove`.
pub async fn remove(
    State(state): State<AppState>,
    Path(id): Path<String>,
    AccountPost { account, .. }: AccountPost,
) -> Response {
    let ip = account.ip.clone();
    let removed = state.provider.remove_own_passkey(&account.user, &id, ip).await;
    after_check(&state, &account, removed, "passkey_removed").await
}
