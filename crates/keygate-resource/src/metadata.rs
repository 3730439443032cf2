//! RFC 9728 OAuth 2.0 Protected Resource Metadata: how a client (an MCP client, say) learns
//! which authorization server protects this API and which scopes it knows.

use serde::{Deserialize, Serialize};

/// RFC 9728 §2: the metadata document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProtectedResourceMetadata {
    /// The resource identifier (the token audience).
    pub resource: String,
    /// Issuers whose tokens the resource accepts.
    pub authorization_servers: Vec<String>,
    /// Scopes the resource understands.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scopes_supported: Vec<String>,
    /// How tokens may be sent: `header` only (RFC 6750 §2.1).
    pub bearer_methods_supported: Vec<String>,
    /// A name for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub resource_name: Option<String>,
}

impl ProtectedResourceMetadata {
    /// Metadata for `resource` protected by `issuer`, with `scopes`.
    pub fn new(resource: &str, issuer: &str, scopes: &[&str]) -> Self {
        Self {
            resource: resource.to_owned(),
            authorization_servers: vec![issuer.to_owned()],
            scopes_supported: scopes.iter().map(|s| (*s).to_owned()).collect(),
            bearer_methods_supported: vec!["header".to_owned()],
            resource_name: None,
        }
    }

    /// RFC 9728 §3.1: the well-known path, with the resource's own path appended.
    pub fn path(&self) -> String {
        let path = self
            .resource
            .split_once("://")
            .and_then(|(_, rest)| {
                rest.find('/').map(|i| rest[i..].trim_end_matches('/').to_owned())
            })
            .unwrap_or_default();
        format!("/.well-known/oauth-protected-resource{path}")
    }

    /// The document's URL, for the `resource_metadata` challenge parameter (RFC 9728 §5.1).
    pub fn url(&self) -> String {
        let origin = match self.resource.split_once("://") {
            Some((scheme, rest)) => {
                format!("{scheme}://{}", rest.split('/').next().unwrap_or(rest))
            }
            None => self.resource.clone(),
        };
        format!("{origin}{}", self.path())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc9728_3_1_well_known_path_keeps_the_resource_path() {
        let m =
            ProtectedResourceMetadata::new("https://api.example/todo", "https://id.example", &[]);
        assert_eq!(m.path(), "/.well-known/oauth-protected-resource/todo");
        assert_eq!(m.url(), "https://api.example/.well-known/oauth-protected-resource/todo");
        let root =
            ProtectedResourceMetadata::new("https://api.example/", "https://id.example", &[]);
        assert_eq!(root.path(), "/.well-known/oauth-protected-resource");
    }
}
