//! The cookies Keygate sets: the SSO session, the browser binding of pending requests, the
//! admin console's session and sign-in state, and the language picked on a page.
//! Both HttpOnly and SameSite=Lax; on an https issuer they are `Secure` and `__Host-` prefixed.

use axum::http::{HeaderMap, HeaderValue, header};
use axum::response::Response;

/// Cookie names for an issuer.
#[derive(Debug, Clone)]
pub struct CookieNames {
    /// The SSO session.
    pub session: &'static str,
    /// The browser binding.
    pub browser: &'static str,
    /// The admin console's sealed tokens.
    pub console: &'static str,
    /// The admin console's sign-in in progress (state and PKCE verifier).
    pub console_flow: &'static str,
    /// A secret the console shows once, between a POST and the page it redirects to.
    pub console_flash: &'static str,
    /// The account page's sealed tokens.
    pub account: &'static str,
    /// The account page's sign-in in progress.
    pub account_flow: &'static str,
    /// The language picked on a page ([`crate::ui::i18n`]).
    pub lang: &'static str,
    secure: bool,
}

impl CookieNames {
    /// Names and attributes for `issuer`.
    pub fn for_issuer(issuer: &str) -> Self {
        let secure = issuer.starts_with("https://");
        if secure {
            Self {
                session: "__Host-kg_session",
                browser: "__Host-kg_browser",
                console: "__Host-kg_console",
                console_flow: "__Host-kg_console_flow",
                console_flash: "__Host-kg_console_flash",
                account: "__Host-kg_account",
                account_flow: "__Host-kg_account_flow",
                lang: "__Host-kg_lang",
                secure,
            }
        } else {
            Self {
                session: "kg_session",
                browser: "kg_browser",
                console: "kg_console",
                console_flow: "kg_console_flow",
                console_flash: "kg_console_flash",
                account: "kg_account",
                account_flow: "kg_account_flow",
                lang: "kg_lang",
                secure,
            }
        }
    }

    /// A `Set-Cookie` value; `max_age` of `None` makes a browser-session cookie.
    pub fn set(&self, name: &str, value: &str, max_age: Option<i64>) -> String {
        let mut cookie = format!("{name}={value}; Path=/; HttpOnly; SameSite=Lax");
        if self.secure {
            cookie.push_str("; Secure");
        }
        if let Some(age) = max_age {
            cookie.push_str(&format!("; Max-Age={age}"));
        }
        cookie
    }

    /// A `Set-Cookie` value that deletes `name`.
    pub fn clear(&self, name: &str) -> String {
        self.set(name, "", Some(0))
    }
}

/// The value of cookie `name` in the request.
pub fn read<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    find(headers.get_all(header::COOKIE).iter(), name)
}

/// The value of cookie `name` in these `Cookie` header values (over HTTP/2 a browser may send
/// each cookie in its own header).
pub fn find<'a>(values: impl Iterator<Item = &'a HeaderValue>, name: &str) -> Option<&'a str> {
    values
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
        .filter(|v| !v.is_empty())
}

/// Appends a `Set-Cookie` header.
pub fn append(response: &mut Response, set_cookie: &str) {
    if let Ok(value) = HeaderValue::from_str(set_cookie) {
        response.headers_mut().append(header::SET_COOKIE, value);
    }
}
