//! Nobody locks the operators out. Whichever door asks (console, admin API or CLI), an
//! administrator cannot disable or delete their own account, the last enabled administrator
//! keeps the role and the account, and the applications Keygate runs itself (its console) keep
//! what makes them work.

use super::{Admin, AdminError};
use crate::client::Client;
use crate::user::{ADMIN_ROLE, User};

/// The client id of the admin console's own application, which Keygate creates and maintains.
pub const CONSOLE_CLIENT_ID: &str = "keygate-console";

/// The actor Keygate itself uses when it maintains its own applications.
pub const SYSTEM_ACTOR: &str = "system";

/// Whether Keygate manages `client` itself (shown apart in the console, never deleted).
pub fn is_system_client(client: &Client) -> bool {
    client.client_id == CONSOLE_CLIENT_ID || client.client_id == ACCOUNT_CLIENT_ID
}

/// The account page's own client (first-party, registered at start).
pub const ACCOUNT_CLIENT_ID: &str = "keygate-account";

fn is_active_admin(user: &User) -> bool {
    user.has_role(ADMIN_ROLE) && !user.disabled
}

impl Admin<'_> {
    /// What is wrong with changing `before` into `after` (`None`: deleting the account).
    pub(super) async fn lockout_problems(
        &self,
        before: &User,
        after: Option<&User>,
    ) -> Result<Vec<String>, AdminError> {
        let is_self = self.actor.id == format!("user:{}", before.id);
        let mut problems = Vec::new();
        match after {
            // An administrator keeps the console reachable; other users may leave (the
            // account page, where the operator allows it).
            None if is_self && is_active_admin(before) => problems
                .push("You cannot delete your own account; another administrator can.".to_owned()),
            Some(after) if is_self && after.disabled && !before.disabled => problems
                .push("You cannot disable your own account; another administrator can.".to_owned()),
            _ => {}
        }
        let stays_admin = after.is_some_and(is_active_admin);
        if problems.is_empty() && is_active_admin(before) && !stays_admin {
            let users = self.store.list_users().await?;
            if !users.iter().any(|u| u.id != before.id && is_active_admin(u)) {
                let what = match after {
                    None => "be deleted",
                    Some(a) if a.disabled => "be disabled",
                    Some(_) => "lose the administrator role",
                };
                problems.push(format!(
                    "{} is the last administrator and cannot {what}; make another user an \
                     administrator first.",
                    before.username
                ));
            }
        }
        Ok(problems)
    }

    /// What is wrong with changing or deleting (`after` is `None`) a client Keygate manages.
    pub(super) fn system_client_problems(
        &self,
        before: &Client,
        after: Option<&Client>,
    ) -> Vec<String> {
        if !is_system_client(before) || self.actor.id == SYSTEM_ACTOR {
            return Vec::new();
        }
        let Some(after) = after else {
            return vec![format!(
                "{} is managed by Keygate and cannot be deleted: the console signs in with it.",
                before.name
            )];
        };
        let changed = before.redirect_uris != after.redirect_uris
            || before.post_logout_redirect_uris != after.post_logout_redirect_uris
            || before.grant_types != after.grant_types
            || before.auth_method != after.auth_method
            || before.client_type != after.client_type
            || before.scopes != after.scopes
            || before.resources != after.resources;
        if changed {
            vec![format!(
                "{} is managed by Keygate: its callback and logout URLs, grant types, \
                 authentication, scopes and APIs cannot be changed.",
                before.name
            )]
        } else {
            Vec::new()
        }
    }
}
