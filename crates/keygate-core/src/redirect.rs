//! Validation of registered redirect URIs (RFC 6749 §3.1.2, RFC 8252 §7, RFC 9700 §2.1).

use url::{Host, Url};

use crate::client::ClientType;

/// Whether `url` points at the loopback interface (`localhost`, `127.0.0.0/8`, `[::1]`).
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Checks one redirect URI for a client of `client_type`:
/// absolute, no fragment (RFC 6749 §3.1.2), no wildcard (RFC 9700 §2.1: exact matching),
/// `https` or loopback `http`; native apps may also use a private-use scheme with a
/// reverse-domain name (RFC 8252 §7.1).
pub fn validate_redirect_uri(uri: &str, client_type: ClientType) -> Result<(), String> {
    let url = Url::parse(uri).map_err(|e| format!("redirect URI '{uri}' is not absolute: {e}"))?;
    if url.fragment().is_some() || uri.contains('#') {
        return Err(format!("redirect URI '{uri}' must not contain a fragment (RFC 6749 §3.1.2)"));
    }
    if uri.contains('*') {
        return Err(format!("redirect URI '{uri}' must not contain a wildcard"));
    }
    match url.scheme() {
        "https" => Ok(()),
        "http" if is_loopback(&url) => Ok(()),
        "http" => Err(format!(
            "redirect URI '{uri}' must use https (http is only allowed for loopback addresses)"
        )),
        scheme if client_type == ClientType::Native && scheme.contains('.') => Ok(()),
        scheme => Err(format!(
            "redirect URI '{uri}' uses scheme '{scheme}': only https, loopback http, and for native \
             apps a reverse-domain private-use scheme (RFC 8252 §7.1) are allowed"
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc6749_3_1_2_redirect_uri_must_not_have_fragment() {
        assert!(validate_redirect_uri("https://app.example/cb#x", ClientType::Web).is_err());
    }

    #[test]
    fn rfc9700_2_1_wildcards_are_refused() {
        assert!(validate_redirect_uri("https://*.example/cb", ClientType::Web).is_err());
    }

    #[test]
    fn http_only_on_loopback() {
        assert!(validate_redirect_uri("http://app.example/cb", ClientType::Web).is_err());
        assert!(validate_redirect_uri("http://127.0.0.1/cb", ClientType::Native).is_ok());
        assert!(validate_redirect_uri("http://[::1]:8080/cb", ClientType::Web).is_ok());
        assert!(validate_redirect_uri("https://app.example/cb", ClientType::Spa).is_ok());
    }

    #[test]
    fn rfc8252_7_1_private_use_scheme_only_for_native_apps() {
        assert!(validate_redirect_uri("com.example.app:/cb", ClientType::Native).is_ok());
        assert!(validate_redirect_uri("com.example.app:/cb", ClientType::Web).is_err());
        assert!(validate_redirect_uri("myapp:/cb", ClientType::Native).is_err());
    }
}
