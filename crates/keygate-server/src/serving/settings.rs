//! The `[tls]`, `[proxy]` and `[metrics]` sections: as written, and resolved with every
//! problem reported.

use std::net::SocketAddr;
use std::path::PathBuf;

use serde::Deserialize;

use super::proxy::{ForwardedHeader, TrustedProxies};
use crate::config::bounded;

/// RFC 6797 §6.1.1: one year, the value browsers' preload lists ask for.
pub const DEFAULT_HSTS_MAX_AGE: u32 = 31_536_000;
/// Two years.
const MAX_HSTS_MAX_AGE: u32 = 63_072_000;

/// `[tls]`: HTTPS served by Keygate itself.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawTls {
    /// The certificate chain, PEM, leaf first.
    pub cert_file: Option<PathBuf>,
    /// The private key, PEM (PKCS#8, PKCS#1 or SEC1).
    pub key_file: Option<PathBuf>,
    /// `Strict-Transport-Security: max-age` in seconds, sent when the issuer is https.
    pub hsts_max_age: Option<i64>,
}

/// `[proxy]`: reverse proxies whose forwarded headers are believed.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawProxy {
    /// IP addresses and CIDR ranges (a list, or one comma-separated string from the environment).
    pub trusted: Option<AddressList>,
    /// The one header the proxies set: `x-forwarded-for` (default), `forwarded`, `x-real-ip`.
    pub header: Option<String>,
}

/// A list written as a TOML array or as one comma-separated string.
#[derive(Debug, Clone, Deserialize)]
#[serde(untagged)]
pub enum AddressList {
    /// `["10.0.0.0/8", "127.0.0.1"]`.
    List(Vec<String>),
    /// `"10.0.0.0/8, 127.0.0.1"`.
    Text(String),
}

impl AddressList {
    /// The entries, trimmed, without empty ones.
    pub fn entries(&self) -> Vec<String> {
        match self {
            Self::List(list) => list.iter().map(|e| e.trim().to_owned()).collect(),
            Self::Text(text) => text
                .split(',')
                .map(str::trim)
                .filter(|e| !e.is_empty())
                .map(str::to_owned)
                .collect(),
        }
    }
}

/// `[metrics]`: Prometheus metrics.
#[derive(Debug, Default, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RawMetrics {
    /// Serve `/metrics` (on the main listener unless `listen` is set).
    pub enabled: Option<bool>,
    /// A separate listener for `/metrics` only, e.g. `127.0.0.1:9090`.
    pub listen: Option<String>,
}

/// The three sections, borrowed from the raw configuration.
#[derive(Debug, Clone, Copy)]
pub struct RawServing<'a> {
    /// `[tls]`.
    pub tls: &'a RawTls,
    /// `[proxy]`.
    pub proxy: &'a RawProxy,
    /// `[metrics]`.
    pub metrics: &'a RawMetrics,
}

/// The certificate and key files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TlsFiles {
    /// The certificate chain, PEM.
    pub cert_file: PathBuf,
    /// The private key, PEM.
    pub key_file: PathBuf,
}

/// Where `/metrics` is served.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum MetricsExposure {
    /// Not served (the default).
    #[default]
    Off,
    /// On the main listener, beside the endpoints.
    Main,
    /// On a listener of its own, and not on the main one.
    Separate(SocketAddr),
}

/// The resolved serving settings.
#[derive(Debug, Clone)]
pub struct Serving {
    /// Serve HTTPS with these files; `None` serves plain HTTP (e.g. behind a TLS proxy).
    pub tls: Option<TlsFiles>,
    /// HSTS max-age, seconds; the header is sent only when the issuer is https.
    pub hsts_max_age: u32,
    /// Proxies whose forwarded headers are believed (none by default).
    pub trusted_proxies: TrustedProxies,
    /// Where `/metrics` is served.
    pub metrics: MetricsExposure,
}

impl Default for Serving {
    fn default() -> Self {
        Self {
            tls: None,
            hsts_max_age: DEFAULT_HSTS_MAX_AGE,
            trusted_proxies: TrustedProxies::default(),
            metrics: MetricsExposure::Off,
        }
    }
}

impl Serving {
    /// Resolves the three sections; `issuer` and `listen` are the resolved top-level values.
    pub(crate) fn resolve(
        raw: &RawServing<'_>,
        issuer: &str,
        listen: SocketAddr,
        problems: &mut Vec<String>,
    ) -> Self {
        let tls = resolve_tls(raw.tls, issuer, problems);
        let hsts_max_age = bounded(
            raw.tls.hsts_max_age,
            "tls.hsts_max_age",
            0..=i64::from(MAX_HSTS_MAX_AGE),
            i64::from(DEFAULT_HSTS_MAX_AGE),
            problems,
        );
        let hsts_max_age = u32::try_from(hsts_max_age).unwrap_or(DEFAULT_HSTS_MAX_AGE);
        let entries = raw.proxy.trusted.as_ref().map(AddressList::entries).unwrap_or_default();
        let trusted_proxies = TrustedProxies::parse(&entries).unwrap_or_else(|bad| {
            problems.extend(bad);
            TrustedProxies::default()
        });
        let header = match raw.proxy.header.as_deref() {
            None => ForwardedHeader::default(),
            Some(text) => ForwardedHeader::parse(text).unwrap_or_else(|| {
                problems.push(format!(
                    "proxy.header: '{text}' must be x-forwarded-for, forwarded or x-real-ip"
                ));
                ForwardedHeader::default()
            }),
        };
        let trusted_proxies = trusted_proxies.with_header(header);
        let metrics = resolve_metrics(raw.metrics, listen, problems);
        Self { tls, hsts_max_age, trusted_proxies, metrics }
    }
}

/// Both files or neither; and serving HTTPS under an `http` issuer would advertise endpoints
/// that this listener cannot answer.
fn resolve_tls(raw: &RawTls, issuer: &str, problems: &mut Vec<String>) -> Option<TlsFiles> {
    let files = match (&raw.cert_file, &raw.key_file) {
        (None, None) => return None,
        (Some(cert_file), Some(key_file)) => {
            TlsFiles { cert_file: cert_file.clone(), key_file: key_file.clone() }
        }
        _ => {
            problems.push("tls.cert_file and tls.key_file must be set together".to_owned());
            return None;
        }
    };
    if !issuer.starts_with("https://") {
        problems.push(format!(
            "issuer '{issuer}' must be https:// when [tls] is set: Keygate then serves HTTPS only"
        ));
    }
    Some(files)
}

fn resolve_metrics(
    raw: &RawMetrics,
    main: SocketAddr,
    problems: &mut Vec<String>,
) -> MetricsExposure {
    let listen = raw.listen.as_deref().and_then(|text| match text.parse::<SocketAddr>() {
        Ok(addr) if addr == main && addr.port() != 0 => {
            problems.push(format!("metrics.listen '{text}' is the main listener's address"));
            None
        }
        Ok(addr) => Some(addr),
        Err(_) => {
            problems
                .push(format!("metrics.listen: '{text}' is not an address like 127.0.0.1:9090"));
            None
        }
    });
    match (raw.enabled, listen) {
        (Some(false), Some(_)) => {
            problems.push("metrics.listen is set but metrics.enabled = false".to_owned());
            MetricsExposure::Off
        }
        (_, Some(addr)) => MetricsExposure::Separate(addr),
        (Some(true), None) => MetricsExposure::Main,
        _ => MetricsExposure::Off,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::{Config, RawConfig};

    fn resolve(raw: RawConfig) -> Result<Serving, Vec<String>> {
        Config::resolve(raw).map(|c| c.serving)
    }

    #[test]
    fn defaults_serve_plain_http_trust_no_proxy_and_hide_metrics() {
        let serving = resolve(RawConfig::default()).ok();
        let serving = serving.as_ref();
        assert_eq!(serving.map(|s| s.tls.is_none()), Some(true));
        assert_eq!(serving.map(|s| s.trusted_proxies.is_empty()), Some(true));
        assert_eq!(serving.map(|s| s.metrics), Some(MetricsExposure::Off));
        assert_eq!(serving.map(|s| s.hsts_max_age), Some(DEFAULT_HSTS_MAX_AGE));
    }

    #[test]
    fn tls_needs_both_files_and_an_https_issuer() {
        let raw = RawConfig {
            tls: RawTls { cert_file: Some("c.pem".into()), ..Default::default() },
            ..Default::default()
        };
        let problems = resolve(raw).err().unwrap_or_default();
        assert!(problems.iter().any(|p| p.contains("set together")), "{problems:?}");
        let raw = RawConfig {
            tls: RawTls {
                cert_file: Some("c.pem".into()),
                key_file: Some("k.pem".into()),
                hsts_max_age: Some(-1),
            },
            ..Default::default()
        };
        let problems = resolve(raw).err().unwrap_or_default();
        assert_eq!(problems.len(), 2, "{problems:?}");
        assert!(problems.iter().any(|p| p.contains("must be https://")), "{problems:?}");
        let raw = RawConfig {
            issuer: Some("https://localhost:8443".into()),
            tls: RawTls {
                cert_file: Some("c.pem".into()),
                key_file: Some("k.pem".into()),
                hsts_max_age: Some(600),
            },
            ..Default::default()
        };
        let serving = resolve(raw).ok();
        assert_eq!(serving.as_ref().map(|s| s.hsts_max_age), Some(600));
        assert!(serving.is_some_and(|s| s.tls.is_some()));
    }

    #[test]
    fn trusted_proxies_take_a_list_or_a_comma_separated_string() {
        let raw = RawConfig {
            proxy: RawProxy {
                trusted: Some(AddressList::Text("10.0.0.0/8, 127.0.0.1".into())),
                header: Some("forwarded".into()),
            },
            ..Default::default()
        };
        let trusted = resolve(raw).ok().map(|s| s.trusted_proxies);
        assert!(
            trusted.as_ref().is_some_and(|t| t.contains(std::net::IpAddr::from([10, 1, 2, 3])))
        );
        assert_eq!(trusted.map(|t| t.header()), Some(ForwardedHeader::Forwarded));
        let raw = RawConfig {
            proxy: RawProxy {
                trusted: Some(AddressList::List(vec!["10.0.0.0/33".into(), "proxy".into()])),
                header: Some("x-client-ip".into()),
            },
            ..Default::default()
        };
        assert_eq!(resolve(raw).err().map(|p| p.len()), Some(3));
    }

    #[test]
    fn metrics_are_off_unless_enabled_and_a_separate_listener_implies_enabled() {
        let with = |enabled, listen: Option<&str>| RawConfig {
            metrics: RawMetrics { enabled, listen: listen.map(str::to_owned) },
            ..Default::default()
        };
        let exposure = |raw| resolve(raw).ok().map(|s| s.metrics);
        assert_eq!(exposure(with(Some(true), None)), Some(MetricsExposure::Main));
        let addr = "127.0.0.1:9090".parse().ok();
        assert_eq!(
            exposure(with(None, Some("127.0.0.1:9090"))),
            addr.map(MetricsExposure::Separate)
        );
        assert!(resolve(with(Some(false), Some("127.0.0.1:9090"))).is_err());
        assert!(resolve(with(None, Some("127.0.0.1:8080"))).is_err(), "the main listener");
        assert!(resolve(with(None, Some("nine"))).is_err());
    }
}
