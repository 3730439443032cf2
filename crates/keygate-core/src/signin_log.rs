//! The sign-in log: every interactive sign-in and its outcome, and every token refused because
//! it was used twice, with who, which application, from where and when. Operators read it in
//! the console, through the admin API and with `keygate events`; it is kept for
//! [`crate::settings::Settings::signin_log_retention`] and then deleted by the background
//! cleanup. It never holds a password, a token or what was typed as a username.

use serde::Serialize;

use crate::Provider;
use crate::store::SignInEvent;

/// The longest user agent kept, in characters.
pub const MAX_USER_AGENT: usize = 256;
/// The longest detail kept, in characters.
pub const MAX_DETAIL: usize = 256;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SignInOutcome {
    /// Signed in (password or upstream provider).
    Success,
    /// A known account with a wrong password.
    WrongPassword,
    /// A username, email or id that names no account.
    UnknownAccount,
    /// Refused unchecked: too many recent failures for the account or the address.
    Throttled,
    /// The right password for a disabled account.
    Disabled,
    /// The right password for an account whose email address is not confirmed yet, where the
    /// operator requires it.
    Unverified,
    /// Sign-in through an upstream provider failed.
    UpstreamFailure,
    /// The user declined the application's request on the consent page.
    ConsentDenied,
    /// A used authorization code or retired refresh token was presented again, and the grant
    /// was revoked (RFC 6749 §4.1.2, RFC 9700 §4.14.2).
    TokenReuse,
    /// The right password; the account's second factor was asked for next.
    SecondFactorNeeded,
    /// A wrong, used or expired code from an authenticator app, or a wrong recovery code.
    WrongCode,
    /// A passkey's answer was refused (wrong site, unknown key, counter gone backwards...).
    PasskeyRefused,
}

impl SignInOutcome {
    /// Every outcome, in the order the console lists them.
    pub const ALL: [SignInOutcome; 12] = [
        Self::Success,
        Self::WrongPassword,
        Self::UnknownAccount,
        Self::Throttled,
        Self::Disabled,
        Self::Unverified,
        Self::UpstreamFailure,
        Self::ConsentDenied,
        Self::TokenReuse,
        Self::SecondFactorNeeded,
        Self::WrongCode,
        Self::PasskeyRefused,
    ];

    /// The stored and filtered name.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Success => "success",
            Self::WrongPassword => "wrong_password",
            Self::UnknownAccount => "unknown_account",
            Self::Throttled => "throttled",
            Self::Disabled => "disabled",
            Self::Unverified => "unverified",
            Self::UpstreamFailure => "upstream_failure",
            Self::ConsentDenied => "consent_denied",
            Self::TokenReuse => "token_reuse",
            Self::SecondFactorNeeded => "second_factor_needed",
            Self::WrongCode => "wrong_code",
            Self::PasskeyRefused => "passkey_refused",
        }
    }

    /// The outcome a stored or typed name stands for.
    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|o| o.as_str() == name)
    }

    /// In plain words, for the console and the CLI.
    pub fn describe(self) -> &'static str {
        match self {
            Self::Success => "Signed in",
            Self::WrongPassword => "Wrong password",
            Self::UnknownAccount => "No such account",
            Self::Throttled => "Too many attempts",
            Self::Disabled => "Account disabled",
            Self::Unverified => "Email not confirmed",
            Self::UpstreamFailure => "Upstream provider failed",
            Self::ConsentDenied => "Consent denied",
            Self::TokenReuse => "Token used twice: access revoked",
            Self::SecondFactorNeeded => "Password right; second factor asked",
            Self::WrongCode => "Wrong second-factor code",
            Self::PasskeyRefused => "Passkey refused",
        }
    }

    /// Whether the outcome is a failure (shown as such).
    pub fn failed(self) -> bool {
        !matches!(self, Self::Success | Self::SecondFactorNeeded)
    }
}

/// Where a sign-in attempt came from.
#[derive(Debug, Clone, Copy, Default)]
pub struct Attempt<'a> {
    /// The client address, as the proxy policy determined it.
    pub ip: Option<&'a str>,
    /// The browser's `User-Agent`.
    pub user_agent: Option<&'a str>,
    /// The application the user was signing in to.
    pub client_id: Option<&'a str>,
}

impl Provider {
    /// Records one sign-in event. A failure to record is logged and never fails the sign-in.
    pub async fn record_signin(
        &self,
        outcome: SignInOutcome,
        user_id: Option<&str>,
        from: &Attempt<'_>,
        detail: Option<String>,
    ) {
        let event = SignInEvent {
            seq: 0,
            at: self.now(),
            outcome,
            user_id: user_id.map(str::to_owned),
            client_id: from.client_id.map(str::to_owned),
            ip: from.ip.map(str::to_owned),
            user_agent: from.user_agent.map(|ua| ua.chars().take(MAX_USER_AGENT).collect()),
            detail: detail.map(|d| d.chars().take(MAX_DETAIL).collect()),
        };
        if let Err(e) = self.store().append_signin(&event).await {
            tracing::warn!(error = %e, outcome = outcome.as_str(), "could not record a sign-in event");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_parses_back_from_its_name() {
        for outcome in SignInOutcome::ALL {
            assert_eq!(SignInOutcome::parse(outcome.as_str()), Some(outcome));
        }
        assert_eq!(SignInOutcome::parse("nonsense"), None);
    }
}
