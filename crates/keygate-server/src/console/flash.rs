//! Post/Redirect/Get for secrets shown once. The POST that creates a secret seals it into a
//! short-lived cookie and redirects to the page that shows it; that page takes it and clears
//! the cookie. A reload, or Back, shows no secret and creates nothing.

use axum::http::HeaderMap;
use axum::response::Response;
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use serde::{Deserialize, Serialize};

use crate::state::AppState;
use crate::ui::cookies;

/// The sealing context of the flash cookie.
const SEAL_CONTEXT: &str = "keygate-console-flash";
/// Seconds the secret waits for its page.
const TTL: i64 = 60;

#[derive(Serialize, Deserialize)]
struct Flash {
    /// What the secret belongs to, e.g. `client:ID`: a page shows only its own.
    key: String,
    secret: String,
    expires_at: i64,
}

/// Redirects to `location` with `secret` for `key` waiting in a sealed cookie.
pub fn redirect_with(state: &AppState, location: &str, key: &str, secret: &str) -> Response {
    let flash = Flash {
        key: key.to_owned(),
        secret: secret.to_owned(),
        expires_at: state.provider.now() + TTL,
    };
    let sealed = serde_json::to_vec(&flash)
        .map_err(anyhow::Error::from)
        .and_then(|json| state.provider.master_key().seal(&json, SEAL_CONTEXT));
    let mut response = crate::ui::see_other(location);
    match sealed {
        Ok(sealed) => {
            let value = URL_SAFE_NO_PAD.encode(sealed);
            let cookie = state.cookies.set(state.cookies.console_flash, &value, Some(TTL));
            cookies::append(&mut response, &cookie);
        }
        Err(e) => tracing::error!(error = %e, "could not seal a secret to show once"),
    }
    response
}

/// The secret waiting for `key`, if any; the response must then clear the cookie
/// ([`clear`]), so that it is shown once.
pub fn take(state: &AppState, headers: &HeaderMap, key: &str) -> Option<String> {
    let value = cookies::read(headers, state.cookies.console_flash)?;
    let sealed = URL_SAFE_NO_PAD.decode(value).ok()?;
    let json = state.provider.master_key().open(&sealed, SEAL_CONTEXT).ok()?;
    let flash: Flash = serde_json::from_slice(&json).ok()?;
    (flash.key == key && flash.expires_at > state.provider.now()).then_some(flash.secret)
}

/// Deletes the flash cookie from the browser.
pub fn clear(state: &AppState, response: &mut Response) {
    cookies::append(response, &state.cookies.clear(state.cookies.console_flash));
}
