//! A user's second factors as administrators see them, and removing them when a phone is
//! lost: the user then signs in with the password alone and may enrol again.

use serde_json::json;

use super::{Admin, AdminError};
use crate::mfa::Factors;

impl Admin<'_> {
    /// The user's second factors (never the key or the codes).
    pub async fn second_factors(&self, user_id: &str) -> Result<Factors, AdminError> {
        let user = self.user(user_id).await?;
        Ok(Factors::of(self.store, &user.id).await?)
    }

    /// Removes the user's authenticator app, recovery codes and passkeys.
    pub async fn remove_second_factors(&self, user_id: &str) -> Result<(), AdminError> {
        let user = self.user(user_id).await?;
        let had_app = self.store.delete_totp(&user.id).await?;
        let codes = self.store.count_recovery_codes(&user.id).await?;
        let passkeys = self.store.delete_passkeys(&user.id, None).await?;
        if !had_app && codes == 0 && passkeys == 0 {
            return Err(AdminError::NotFound(format!("second factors of {}", user.username)));
        }
        self.store.replace_recovery_codes(&user.id, &[]).await?;
        let detail = json!({"passkeys": passkeys});
        self.record("user.mfa.remove", &format!("user:{}", user.id), detail).await
    }
}
