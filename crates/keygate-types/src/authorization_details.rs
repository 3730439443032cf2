//! RFC 9396 Rich Authorization Requests: one authorization details object as it travels in
//! requests, token responses, access tokens and introspection responses.

use serde::{Deserialize, Serialize};

/// One entry of `authorization_details` (RFC 9396 §2) of the kind Keygate's APIs define: a
/// `type`, the `locations` it applies to and the `actions` allowed there (RFC 9396 §2.2).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AuthorizationDetail {
    /// The authorization details type (RFC 9396 §2), e.g. `folder_access`.
    #[serde(rename = "type")]
    pub kind: String,
    /// Where the access applies: URIs of the resources (RFC 9396 §2.2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub locations: Vec<String>,
    /// What may be done there (RFC 9396 §2.2).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub actions: Vec<String>,
}

impl AuthorizationDetail {
    /// Whether this entry allows `action` at `location` for the type `kind`.
    pub fn allows(&self, kind: &str, location: &str, action: &str) -> bool {
        self.kind == kind
            && self.locations.iter().any(|l| l == location)
            && self.actions.iter().any(|a| a == action)
    }

    /// Whether this entry asks for no more than `granted` does: same type, and its locations
    /// and actions among the granted ones (how Keygate compares details, RFC 9396 §6.1).
    pub fn within(&self, granted: &AuthorizationDetail) -> bool {
        self.kind == granted.kind
            && self.locations.iter().all(|l| granted.locations.contains(l))
            && self.actions.iter().all(|a| granted.actions.contains(a))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detail(locations: &[&str], actions: &[&str]) -> AuthorizationDetail {
        AuthorizationDetail {
            kind: "folder_access".into(),
            locations: locations.iter().map(|s| (*s).to_owned()).collect(),
            actions: actions.iter().map(|s| (*s).to_owned()).collect(),
        }
    }

    #[test]
    fn rfc9396_6_1_narrower_details_are_within_the_granted_ones() {
        let granted = detail(&["https://s/folders/a", "https://s/folders/b"], &["read", "write"]);
        assert!(detail(&["https://s/folders/a"], &["read"]).within(&granted));
        assert!(!detail(&["https://s/folders/c"], &["read"]).within(&granted));
        assert!(!detail(&["https://s/folders/a"], &["delete"]).within(&granted));
    }

    #[test]
    fn rfc9396_2_wire_form_uses_type() {
        let d = detail(&["https://s/folders/a"], &["read"]);
        let json = serde_json::to_value(&d).ok();
        assert_eq!(json.as_ref().and_then(|j| j["type"].as_str()), Some("folder_access"));
        assert!(d.allows("folder_access", "https://s/folders/a", "read"));
        assert!(!d.allows("folder_access", "https://s/folders/a", "write"));
    }
}
