//! Sealed tickets: short-lived values a page carries in a form field (a resend button, a
//! sign-in waiting for its second factor, a key being enrolled). Encrypted and authenticated
//! with the master key, bound to their purpose, and dead after their time; nothing is stored.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;

use crate::{OAuthError, Provider};

impl Provider {
    /// Seals `fields` for `purpose`, working for `ttl` seconds. Fields may not hold newlines.
    pub fn seal_ticket(
        &self,
        purpose: &str,
        fields: &[&str],
        ttl: i64,
    ) -> Result<String, OAuthError> {
        let mut plain = (self.now() + ttl).to_string();
        for field in fields {
            plain.push('\n');
            plain.push_str(field);
        }
        let sealed =
            self.master_key().seal(plain.as_bytes(), purpose).map_err(OAuthError::Server)?;
        Ok(URL_SAFE_NO_PAD.encode(sealed))
    }

    /// The fields of a ticket sealed for `purpose`, while it works; `None` for anything else.
    pub fn open_ticket(&self, purpose: &str, ticket: &str) -> Option<Vec<String>> {
        let sealed = URL_SAFE_NO_PAD.decode(ticket).ok()?;
        let plain = self.master_key().open(&sealed, purpose).ok()?;
        let plain = String::from_utf8(plain).ok()?;
        let mut parts = plain.split('\n');
        let until: i64 = parts.next()?.parse().ok()?;
        (until > self.now()).then(|| parts.map(str::to_owned).collect())
    }
}
