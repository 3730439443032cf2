//! One policy for every request Keygate makes to a URL someone else supplied: a client's
//! `jwks_uri` and `backchannel_logout_uri`, and upstream providers' discovery, JWKS, token and
//! userinfo endpoints. Without it, anyone who may register a client (open dynamic registration)
//! could make Keygate GET and POST internal addresses (server-side request forgery, RFC 9700
//! §4.16 and OWASP's SSRF guidance).
//!
//! - `https` only; plain `http` only when Keygate's own issuer is a loopback development issuer.
//! - Loopback, private, link-local, unique-local, CGNAT, multicast, unspecified and cloud
//!   metadata addresses are refused, checked on the addresses DNS returns (the connection goes
//!   to a checked address, so a name that re-resolves cannot slip through) and on IP literals.
//! - Redirects are never followed; connect and total timeouts; no cookies. Each caller caps
//!   the size of the answer it reads.
//! - Operators allow-list hosts or ranges (`[outbound] allow`) for internal identity providers,
//!   and may trust certificate authorities besides the system's (`[outbound] ca_file`).

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use ipnet::IpNet;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// How long a connection may take to open.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(5);
/// The longest any outbound request may take.
const TOTAL_TIMEOUT: Duration = Duration::from_secs(15);

/// Hosts and ranges an operator allowed, whether plain http is allowed, and extra roots.
#[derive(Debug, Clone, Default)]
pub struct OutboundPolicy {
    hosts: Vec<String>,
    nets: Vec<IpNet>,
    allow_http: bool,
    roots: Vec<reqwest::Certificate>,
}

impl OutboundPolicy {
    /// The policy for `issuer` with the operator's `allow` entries (host names, IP addresses or
    /// CIDR ranges).
    pub fn new(issuer: &str, allow: &[String]) -> Self {
        let mut policy = Self { allow_http: is_loopback_issuer(issuer), ..Self::default() };
        for entry in allow {
            match entry.parse::<IpNet>().or_else(|_| entry.parse::<IpAddr>().map(IpNet::from)) {
                Ok(net) => policy.nets.push(net),
                Err(_) => policy.hosts.push(entry.trim().to_ascii_lowercase()),
            }
        }
        policy
    }

    /// The policy of `settings`: the issuer, `[outbound] allow` and `[outbound] ca_file`.
    pub fn for_settings(settings: &keygate_core::Settings) -> anyhow::Result<Self> {
        let mut policy = Self::new(&settings.issuer, &settings.outbound_allow);
        if let Some(pem) = &settings.outbound_ca_pem {
            policy.roots = reqwest::Certificate::from_pem_bundle(pem)?;
        }
        Ok(policy)
    }

    /// Whether a request to `url` may be made at all (scheme, and the address of an IP
    /// literal); names are checked again when they resolve.
    pub fn check_url(&self, url: &str) -> Result<(), String> {
        let parsed = url::Url::parse(url).map_err(|_| format!("'{url}' is not a URL"))?;
        match parsed.scheme() {
            "https" => {}
            "http" if self.allow_http => {}
            other => return Err(format!("{other}: URLs are refused (https only)")),
        }
        match parsed.host() {
            Some(url::Host::Ipv4(ip)) => self.check_ip(IpAddr::V4(ip)),
            Some(url::Host::Ipv6(ip)) => self.check_ip(IpAddr::V6(ip)),
            Some(url::Host::Domain(_)) => Ok(()),
            None => Err(format!("'{url}' has no host")),
        }
    }

    fn host_allowed(&self, host: &str) -> bool {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        self.hosts.contains(&host)
    }

    fn check_ip(&self, ip: IpAddr) -> Result<(), String> {
        let ip = ip.to_canonical();
        if self.nets.iter().any(|net| net.contains(&ip)) || is_public(ip) {
            Ok(())
        } else {
            Err(format!("{ip} is an internal address (allow it under [outbound] allow)"))
        }
    }

    /// The outgoing HTTP client bound to this policy.
    pub fn client(self) -> anyhow::Result<reqwest::Client> {
        Ok(reqwest::Client::builder()
            .tls_certs_merge(self.roots.clone())
            .redirect(reqwest::redirect::Policy::none())
            .connect_timeout(CONNECT_TIMEOUT)
            .timeout(TOTAL_TIMEOUT)
            .user_agent("keygate")
            .dns_resolver(Arc::new(self))
            .build()?)
    }
}

impl Resolve for OutboundPolicy {
    fn resolve(&self, name: Name) -> Resolving {
        let policy = self.clone();
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let found: Vec<SocketAddr> =
                tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            let allowed_host = policy.host_allowed(&host);
            let kept: Vec<SocketAddr> = found
                .into_iter()
                .filter(|a| allowed_host || policy.check_ip(a.ip()).is_ok())
                .collect();
            if kept.is_empty() {
                let text = format!("{host} resolves only to internal addresses (refused)");
                return Err(text.into());
            }
            let addrs: Addrs = Box::new(kept.into_iter());
            Ok(addrs)
        })
    }
}

/// `http://localhost…`, `http://127.x…` or `http://[::1]…`: a development issuer.
fn is_loopback_issuer(issuer: &str) -> bool {
    let Ok(url) = url::Url::parse(issuer) else { return false };
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

/// Whether `ip` is a public unicast address: not loopback, private (RFC 1918), link-local
/// (incl. the 169.254.169.254 cloud metadata service), CGNAT (RFC 6598), unique-local
/// (RFC 4193), documentation, benchmarking, multicast, broadcast or unspecified.
pub fn is_public(ip: IpAddr) -> bool {
    match ip.to_canonical() {
        IpAddr::V4(v4) => {
            let [a, b, ..] = v4.octets();
            !(v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_multicast()
                || v4.is_broadcast()
                || v4.is_unspecified()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 198 && (b == 18 || b == 19))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            let first = v6.segments()[0];
            !(v6.is_loopback()
                || v6.is_unspecified()
                || v6.is_multicast()
                || (first & 0xfe00) == 0xfc00
                || (first & 0xffc0) == 0xfe80
                || first == 0x2001 && v6.segments()[1] == 0x0db8
                || first == 0x0064 && v6.segments()[1] == 0xff9b)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0]))
    }

    #[test]
    fn internal_addresses_are_refused() {
        for addr in [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "::1",
            "fd00::1",
            "fe80::1",
            "::ffff:127.0.0.1",
            "::ffff:169.254.169.254",
            "224.0.0.1",
        ] {
            assert!(!is_public(ip(addr)), "{addr}");
        }
        for addr in ["93.184.215.14", "8.8.8.8", "2606:4700::1111"] {
            assert!(is_public(ip(addr)), "{addr}");
        }
    }

    #[test]
    fn https_only_unless_the_issuer_is_a_loopback_development_issuer() {
        let prod = OutboundPolicy::new("https://id.example.com", &[]);
        assert!(prod.check_url("http://idp.example.com/jwks").is_err());
        assert!(prod.check_url("https://idp.example.com/jwks").is_ok());
        assert!(prod.check_url("file:///etc/passwd").is_err());
        let dev = OutboundPolicy::new("http://localhost:8080", &[]);
        assert!(dev.check_url("http://idp.example.com/jwks").is_ok());
        assert!(dev.check_url("http://127.0.0.1:9000/jwks").is_err(), "loopback still refused");
    }

    #[test]
    fn ip_literals_are_checked_and_operators_may_allow_ranges() {
        let policy = OutboundPolicy::new("https://id.example.com", &[]);
        assert!(policy.check_url("https://169.254.169.254/latest/meta-data").is_err());
        assert!(policy.check_url("https://[::1]/").is_err());
        let allowing = OutboundPolicy::new("https://id.example.com", &["10.0.0.0/8".into()]);
        assert!(allowing.check_url("https://10.2.3.4/").is_ok());
        assert!(allowing.check_url("https://192.168.0.1/").is_err());
        let named = OutboundPolicy::new("https://id.example.com", &["IdP.Corp.Internal".into()]);
        assert!(named.host_allowed("idp.corp.internal"));
    }
}

/// The outgoing HTTP client and its policy: every request's URL is checked before it is sent.
#[derive(Debug, Clone)]
pub struct Outbound {
    client: reqwest::Client,
    policy: OutboundPolicy,
}

impl Outbound {
    /// A client under `policy`.
    pub fn new(policy: OutboundPolicy) -> anyhow::Result<Self> {
        Ok(Self { client: policy.clone().client()?, policy })
    }

    /// A GET of `url`, if the policy allows it.
    pub fn get(&self, url: &str) -> anyhow::Result<reqwest::RequestBuilder> {
        self.policy.check_url(url).map_err(|e| anyhow::anyhow!("outbound request refused: {e}"))?;
        Ok(self.client.get(url))
    }

    /// A POST to `url`, if the policy allows it.
    pub fn post(&self, url: &str) -> anyhow::Result<reqwest::RequestBuilder> {
        self.policy.check_url(url).map_err(|e| anyhow::anyhow!("outbound request refused: {e}"))?;
        Ok(self.client.post(url))
    }
}
