//! Redirect URI matching: exact string comparison (RFC 9700 §4.1.3, OAuth 2.1 §2.3.1), with one
//! exception for native apps: a loopback IP redirect URI registered without a port matches any
//! port (RFC 8252 §7.3), since the app picks an ephemeral port at run time.

use url::{Host, Url};

use crate::client::{Client, ClientType};

/// Whether `requested` is a registered redirect URI of `client`.
pub fn redirect_uri_matches(client: &Client, requested: &str) -> bool {
    client.redirect_uris.iter().any(|registered| {
        registered == requested
            || (client.client_type == ClientType::Native && loopback_matches(registered, requested))
    })
}

/// RFC 8252 §7.3: `http`, a loopback IP literal (`127.0.0.1` or `[::1]`, not `localhost`, which
/// §8.3 advises against), no registered port; everything but the port must be equal.
fn loopback_matches(registered: &str, requested: &str) -> bool {
    let (Ok(reg), Ok(req)) = (Url::parse(registered), Url::parse(requested)) else {
        return false;
    };
    let loopback_ip = |u: &Url| match u.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        _ => false,
    };
    reg.scheme() == "http"
        && req.scheme() == "http"
        && loopback_ip(&reg)
        && reg.port().is_none()
        && reg.host() == req.host()
        && reg.path() == req.path()
        && reg.query() == req.query()
        && req.fragment().is_none()
        && req.username().is_empty()
        && req.password().is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn client(kind: ClientType, uris: &[&str]) -> Client {
        Client {
            client_id: "c".into(),
            name: "c".into(),
            client_type: kind,
            secret_hash: None,
            auth_method: crate::client::AuthMethod::None,
            redirect_uris: uris.iter().map(|s| (*s).to_owned()).collect(),
            post_logout_redirect_uris: vec![],
            grant_types: vec![],
            scopes: vec![],
            resources: vec![],
            first_party: false,
            id_token_alg: None,
            backchannel_logout_uri: None,
            metadata: Default::default(),
            registration_token_hash: None,
            unused_until: None,
            created_at: 0,
            updated_at: 0,
        }
    }

    #[test]
    fn rfc9700_4_1_3_exact_string_match() {
        let c = client(ClientType::Web, &["https://app.example/cb"]);
        assert!(redirect_uri_matches(&c, "https://app.example/cb"));
        for other in [
            "https://app.example/cb/",
            "https://app.example/CB",
            "https://app.example/cb?x=1",
            "https://app.example:443/cb",
            "https://app.example.evil/cb",
        ] {
            assert!(!redirect_uri_matches(&c, other), "{other}");
        }
    }

    #[test]
    fn rfc8252_7_3_loopback_matches_any_port_for_native_apps() {
        let c = client(ClientType::Native, &["http://127.0.0.1/callback", "http://[::1]/callback"]);
        assert!(redirect_uri_matches(&c, "http://127.0.0.1:51004/callback"));
        assert!(redirect_uri_matches(&c, "http://[::1]:8080/callback"));
        assert!(!redirect_uri_matches(&c, "http://127.0.0.1:51004/other"));
        assert!(!redirect_uri_matches(&c, "http://localhost:51004/callback"));
        assert!(!redirect_uri_matches(&c, "https://127.0.0.1:51004/callback"));
    }

    #[test]
    fn rfc8252_7_3_port_rule_is_only_for_native_apps_and_portless_registrations() {
        let web = client(ClientType::Web, &["http://127.0.0.1/callback"]);
        assert!(!redirect_uri_matches(&web, "http://127.0.0.1:51004/callback"));
        let fixed = client(ClientType::Native, &["http://127.0.0.1:7000/callback"]);
        assert!(!redirect_uri_matches(&fixed, "http://127.0.0.1:7001/callback"));
        assert!(redirect_uri_matches(&fixed, "http://127.0.0.1:7000/callback"));
    }
}
