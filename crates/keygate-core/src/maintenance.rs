//! Housekeeping: expired rows are deleted in bounded batches, and readiness is checked.

use crate::store::Cutoffs;
use crate::{OAuthError, Provider};

/// How long used or expired authorization and device codes are kept, in seconds, so that a
/// late replay is still recognised as one (RFC 6749 §4.1.2, RFC 9700 §4.5).
pub const CODE_GRACE: i64 = 3600;
/// The most rows deleted per table and run.
pub const PURGE_BATCH: i64 = 1000;

impl Provider {
    /// Deletes at most [`PURGE_BATCH`] expired rows per table; `None` when another node is
    /// cleaning up at the moment.
    pub async fn purge_expired(&self) -> Result<Option<u64>, OAuthError> {
        let now = self.now();
        let cutoffs = Cutoffs {
            now,
            grace: now - CODE_GRACE,
            throttle: now - self.settings().login_window,
            consent: self.settings().consent_ttl.map(|ttl| now - ttl),
            signin_log: now - self.settings().signin_log_retention,
            document_clients: now - crate::registration::document::REMEMBERED,
        };
        Ok(self.store().purge_expired(&cutoffs, PURGE_BATCH).await?)
    }

    /// Why the provider cannot serve, if it cannot: the database does not answer, or a signing
    /// key for the configured algorithms is missing.
    pub async fn not_ready(&self) -> Option<String> {
        if let Err(e) = self.store().revision().await {
            tracing::warn!(error = %e, "readiness: the database does not answer");
            return Some("the database does not answer".to_owned());
        }
        let keyring = self.keyring();
        let settings = self.settings();
        for alg in [settings.access_token_alg, settings.id_token_alg] {
            if keyring.signer(alg).is_none() {
                return Some(format!("no active {alg} signing key"));
            }
        }
        None
    }
}
