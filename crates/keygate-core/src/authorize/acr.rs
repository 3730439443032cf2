//! Authentication context classes a request asks for: voluntarily with `acr_values` (OIDC
//! Core §3.1.2.1, in order of preference) or as an essential `acr` claim (§5.5.1.1). Keygate's
//! values rank a password or an upstream sign-in below a second factor, and that below a
//! passkey (phishing-resistant); a session that lacks what is asked is stepped up with the
//! user's second factor, and an essential value that cannot be met fails the request
//! (`access_denied`).

use serde::{Deserialize, Serialize};

use crate::id_token::{ACR_FEDERATED, ACR_MFA, ACR_PASSWORD, ACR_PHISHING_RESISTANT, acr_of};

/// The `acr` values Keygate asserts, for `acr_values_supported` (OIDC Discovery §3).
pub const ACR_VALUES_SUPPORTED: [&str; 4] =
    [ACR_PASSWORD, ACR_FEDERATED, ACR_MFA, ACR_PHISHING_RESISTANT];

/// What a request asks of the authentication.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AcrRequest {
    /// The values asked for, in order of preference.
    pub values: Vec<String>,
    /// Asked as an essential claim: a sign-in that cannot meet one of them fails.
    pub essential: bool,
}

/// What the request's `acr` needs of a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AcrNeed {
    /// The session meets it (or nothing was asked, or a voluntary ask cannot be met).
    Met,
    /// The user's second factor is needed.
    SecondFactor,
    /// Essential and beyond this user: the request fails.
    Unmet,
}

/// How strong a value is; `None` for values Keygate does not know.
fn rank(acr: &str) -> Option<u8> {
    match acr {
        ACR_PASSWORD | ACR_FEDERATED => Some(1),
        ACR_MFA => Some(2),
        ACR_PHISHING_RESISTANT => Some(3),
        _ => None,
    }
}

impl AcrRequest {
    /// The request's ask: an essential `acr` claim in `claims` (its `value` or `values`),
    /// else `acr_values`.
    pub fn from_request(acr_values: Option<&str>, claims: Option<&str>) -> Self {
        let claim = claims
            .and_then(|c| serde_json::from_str::<serde_json::Value>(c).ok())
            .and_then(|c| c.get("id_token")?.get("acr").cloned());
        if let Some(claim) = claim.filter(|c| c.get("essential") == Some(&true.into())) {
            let mut values: Vec<String> = claim
                .get("values")
                .and_then(|v| v.as_array())
                .map(|a| a.iter().filter_map(|v| v.as_str().map(str::to_owned)).collect())
                .unwrap_or_default();
            values.extend(claim.get("value").and_then(|v| v.as_str()).map(str::to_owned));
            if !values.is_empty() {
                return Self { values, essential: true };
            }
        }
        let values = acr_values.unwrap_or("").split_whitespace().map(str::to_owned).collect();
        Self { values, essential: false }
    }

    /// Whether only a passkey meets this: every known value asked is phishing-resistant.
    pub fn needs_passkey(&self) -> bool {
        let known: Vec<u8> = self.values.iter().filter_map(|v| rank(v)).collect();
        !known.is_empty() && known.iter().all(|r| *r >= 3)
    }

    /// What a session with `amr` needs to meet this, for a user whose factors reach `best` at
    /// most (`None`: no second factor). Any asked value no stronger than the session's meets it.
    pub fn need(&self, amr: &[String], best: Option<&str>) -> AcrNeed {
        let known: Vec<u8> = self.values.iter().filter_map(|v| rank(v)).collect();
        if self.values.is_empty() {
            return AcrNeed::Met;
        }
        let current = rank(acr_of(amr)).unwrap_or(0);
        if known.iter().any(|r| *r <= current) {
            return AcrNeed::Met;
        }
        let reachable = best.and_then(rank).unwrap_or(0).max(current);
        match (known.iter().any(|r| *r <= reachable), self.essential) {
            (true, _) => AcrNeed::SecondFactor,
            (false, true) => AcrNeed::Unmet,
            (false, false) => AcrNeed::Met,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn amr(values: &[&str]) -> Vec<String> {
        values.iter().map(|v| (*v).to_owned()).collect()
    }

    #[test]
    fn oidc_core_3_1_2_1_acr_values_are_voluntary_and_5_5_1_1_an_essential_acr_is_not() {
        let voluntary = AcrRequest::from_request(Some(ACR_MFA), None);
        assert_eq!(voluntary, AcrRequest { values: vec![ACR_MFA.into()], essential: false });
        let pwd = amr(&["pwd"]);
        assert_eq!(voluntary.need(&pwd, Some(ACR_MFA)), AcrNeed::SecondFactor);
        assert_eq!(voluntary.need(&pwd, None), AcrNeed::Met, "voluntary: what the user has");
        assert_eq!(voluntary.need(&amr(&["pwd", "otp", "mfa"]), None), AcrNeed::Met);

        let claims =
            format!(r#"{{"id_token":{{"acr":{{"essential":true,"values":["{ACR_MFA}"]}}}}}}"#);
        let essential = AcrRequest::from_request(Some(ACR_PASSWORD), Some(&claims));
        assert!(essential.essential, "the essential claim wins over acr_values");
        assert_eq!(essential.need(&pwd, Some(ACR_MFA)), AcrNeed::SecondFactor);
        assert_eq!(essential.need(&pwd, None), AcrNeed::Unmet);
        let unknown = r#"{"id_token":{"acr":{"essential":true,"value":"urn:other:loa:4"}}}"#;
        let unknown = AcrRequest::from_request(None, Some(unknown));
        assert_eq!(unknown.need(&amr(&["pwd", "otp", "mfa"]), Some(ACR_MFA)), AcrNeed::Unmet);

        let weaker = AcrRequest::from_request(Some(ACR_PASSWORD), None);
        assert_eq!(
            weaker.need(&amr(&["pwd", "otp", "mfa"]), Some(ACR_MFA)),
            AcrNeed::Met,
            "more is fine"
        );
        assert_eq!(AcrRequest::default().need(&pwd, Some(ACR_MFA)), AcrNeed::Met);
        let not_essential = r#"{"id_token":{"acr":{"values":["x"]}}}"#;
        assert!(!AcrRequest::from_request(None, Some(not_essential)).essential);
    }

    #[test]
    fn phishing_resistant_acr_needs_a_passkey_and_a_passkey_session_meets_every_value() {
        let phr = AcrRequest::from_request(Some(ACR_PHISHING_RESISTANT), None);
        assert!(phr.needs_passkey());
        assert!(!AcrRequest::from_request(Some(ACR_MFA), None).needs_passkey());
        let otp = amr(&["pwd", "otp", "mfa"]);
        assert_eq!(phr.need(&otp, Some(ACR_PHISHING_RESISTANT)), AcrNeed::SecondFactor);
        assert_eq!(phr.need(&otp, Some(ACR_MFA)), AcrNeed::Met, "voluntary: beyond this user");
        let passkey = amr(&["hwk", "user", "mfa"]);
        assert_eq!(acr_of(&passkey), ACR_PHISHING_RESISTANT);
        assert_eq!(acr_of(&amr(&["pwd", "swk", "user", "mfa"])), ACR_PHISHING_RESISTANT);
        for asked in ACR_VALUES_SUPPORTED {
            let request = AcrRequest { values: vec![asked.into()], essential: true };
            assert_eq!(request.need(&passkey, None), AcrNeed::Met, "{asked}");
        }
    }
}
