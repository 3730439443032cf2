//! The client's address and scheme behind reverse proxies (RFC 7239 `Forwarded`, and the
//! de-facto `X-Forwarded-For` / `X-Forwarded-Proto`).
//!
//! Forwarded headers are believed only when the TCP peer is a configured trusted proxy, and
//! only the one header the operator names (`[proxy] header`): a proxy that sets
//! `X-Forwarded-For` passes a client's own `Forwarded` header through untouched, so reading any
//! other header would let the client pick its address. The hops are read from the right
//! (nearest) and the client is the right-most hop that is not itself a trusted proxy. Anyone can
//! write these headers, so nothing else is safe: a client that could choose its own address
//! could escape the per-address limits (login, RFC 8628 §5.1 user codes) and forge the audit log.

use std::net::{IpAddr, Ipv6Addr};

use axum::http::HeaderMap;
use ipnet::IpNet;

/// The one header the trusted proxies set to name the client.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum ForwardedHeader {
    /// `X-Forwarded-For` (with `X-Forwarded-Proto`), as nginx's `$proxy_add_x_forwarded_for`.
    #[default]
    XForwardedFor,
    /// RFC 7239 `Forwarded`.
    Forwarded,
    /// `X-Real-IP`: one address, written by the nearest proxy (with `X-Forwarded-Proto`).
    XRealIp,
}

impl ForwardedHeader {
    /// The configuration words: `x-forwarded-for`, `forwarded`, `x-real-ip`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "x-forwarded-for" => Some(Self::XForwardedFor),
            "forwarded" => Some(Self::Forwarded),
            "x-real-ip" => Some(Self::XRealIp),
            _ => None,
        }
    }

    /// The header's name.
    pub fn name(self) -> &'static str {
        match self {
            Self::XForwardedFor => "x-forwarded-for",
            Self::Forwarded => "forwarded",
            Self::XRealIp => "x-real-ip",
        }
    }
}

/// Addresses whose forwarded header is believed, and which header that is. No addresses (the
/// default) trusts no one.
#[derive(Debug, Clone, Default)]
pub struct TrustedProxies {
    nets: Vec<IpNet>,
    header: ForwardedHeader,
}

impl TrustedProxies {
    /// Parses IP addresses (`127.0.0.1`, `::1`) and CIDR ranges (`10.0.0.0/8`); every entry
    /// that is neither is reported.
    pub fn parse(entries: &[String]) -> Result<Self, Vec<String>> {
        let mut nets = Vec::new();
        let mut problems = Vec::new();
        for entry in entries {
            match entry.parse::<IpNet>().or_else(|_| entry.parse::<IpAddr>().map(IpNet::from)) {
                Ok(net) => nets.push(net),
                Err(_) => problems.push(format!(
                    "proxy.trusted: '{entry}' is not an IP address or a CIDR range like 10.0.0.0/8"
                )),
            }
        }
        if problems.is_empty() {
            Ok(Self { nets, header: ForwardedHeader::default() })
        } else {
            Err(problems)
        }
    }

    /// The same proxies, read through `header`.
    pub fn with_header(self, header: ForwardedHeader) -> Self {
        Self { header, ..self }
    }

    /// The header that is read.
    pub fn header(&self) -> ForwardedHeader {
        self.header
    }

    /// Whether `ip` is a trusted proxy (IPv4-mapped IPv6 addresses count as IPv4).
    pub fn contains(&self, ip: IpAddr) -> bool {
        let ip = ip.to_canonical();
        self.nets.iter().any(|net| net.contains(&ip))
    }

    /// Whether no proxy is trusted.
    pub fn is_empty(&self) -> bool {
        self.nets.is_empty()
    }

    /// How many addresses and ranges are trusted.
    pub fn len(&self) -> usize {
        self.nets.len()
    }
}

/// The scheme a client used, as a trusted proxy reported it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scheme {
    /// Plain HTTP.
    Http,
    /// HTTPS.
    Https,
}

impl Scheme {
    fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "http" => Some(Self::Http),
            "https" => Some(Self::Https),
            _ => None,
        }
    }
}

/// Who sent a request, as far as Keygate can tell.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClientAddr {
    /// The client's IP address: the TCP peer, or what a trusted proxy reported.
    pub ip: IpAddr,
    /// The scheme the client used, when a trusted proxy reported it.
    pub scheme: Option<Scheme>,
}

/// One proxy hop as reported: the address it received from (if readable) and the scheme.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hop {
    ip: Option<IpAddr>,
    scheme: Option<Scheme>,
}

/// The client of a request that arrived from `peer` with `headers`.
pub fn client_addr(peer: IpAddr, headers: &HeaderMap, trusted: &TrustedProxies) -> ClientAddr {
    let peer = peer.to_canonical();
    let direct = ClientAddr { ip: peer, scheme: None };
    if !trusted.contains(peer) {
        return direct;
    }
    let hops = match trusted.header {
        ForwardedHeader::Forwarded => forwarded_hops(headers),
        ForwardedHeader::XForwardedFor => x_forwarded_hops(headers, "x-forwarded-for"),
        ForwardedHeader::XRealIp => x_forwarded_hops(headers, "x-real-ip"),
    };
    let Some(hops) = hops else { return direct };
    // Until a hop names the client, the nearest proxy's word on the scheme stands.
    let mut client = ClientAddr { ip: peer, scheme: hops.last().and_then(|h| h.scheme) };
    for hop in hops.iter().rev() {
        // An unreadable hop (`unknown`, an obfuscated name) ends the chain: the last address a
        // trusted proxy vouched for stands.
        let Some(ip) = hop.ip else { break };
        client = ClientAddr { ip: ip.to_canonical(), scheme: hop.scheme };
        if !trusted.contains(ip) {
            break;
        }
    }
    client
}

/// Every `Forwarded` element in order (RFC 7239 §4: several headers form one list), or `None`
/// when there is no such header.
fn forwarded_hops(headers: &HeaderMap) -> Option<Vec<Hop>> {
    let mut hops = Vec::new();
    for value in headers.get_all("forwarded") {
        let Ok(text) = value.to_str() else { return Some(vec![Hop { ip: None, scheme: None }]) };
        for element in split_unquoted(text, ',') {
            let mut hop = Hop { ip: None, scheme: None };
            for pair in split_unquoted(element, ';') {
                let Some((name, value)) = pair.split_once('=') else { continue };
                let value = unquote(value.trim());
                match name.trim().to_ascii_lowercase().as_str() {
                    "for" => hop.ip = node_ip(&value),
                    "proto" => hop.scheme = Scheme::parse(&value),
                    _ => {}
                }
            }
            hops.push(hop);
        }
    }
    (!hops.is_empty()).then_some(hops)
}

/// `X-Forwarded-For` (or `X-Real-IP`) hops, each with the `X-Forwarded-Proto` entry at the
/// same place counted from the right, else the right-most one (written by the nearest proxy).
fn x_forwarded_hops(headers: &HeaderMap, header: &str) -> Option<Vec<Hop>> {
    let list = |name: &str| -> Vec<String> {
        headers
            .get_all(name)
            .iter()
            .flat_map(|v| v.to_str().unwrap_or("unknown").split(','))
            .map(|s| s.trim().to_owned())
            .filter(|s| !s.is_empty())
            .collect()
    };
    let addresses = list(header);
    let protos = list("x-forwarded-proto");
    if addresses.is_empty() {
        let scheme = protos.last().and_then(|p| Scheme::parse(p));
        return scheme.map(|scheme| vec![Hop { ip: None, scheme: Some(scheme) }]);
    }
    let n = addresses.len();
    let hops = addresses
        .iter()
        .enumerate()
        .map(|(i, address)| {
            let from_right = n - 1 - i;
            let proto = protos.len().checked_sub(1 + from_right).and_then(|j| protos.get(j));
            let proto = proto.or(protos.last());
            Hop { ip: node_ip(address), scheme: proto.and_then(|p| Scheme::parse(p)) }
        })
        .collect();
    Some(hops)
}

/// RFC 7239 §6: `192.0.2.43`, `192.0.2.43:47011`, `[2001:db8::17]`, `[2001:db8::17]:4711`.
/// `unknown` and obfuscated identifiers (`_hidden`) have no address.
fn node_ip(node: &str) -> Option<IpAddr> {
    let node = node.trim();
    if let Ok(ip) = node.parse::<IpAddr>() {
        return Some(ip);
    }
    if let Some(rest) = node.strip_prefix('[') {
        let (inside, _) = rest.split_once(']')?;
        return inside.parse::<Ipv6Addr>().ok().map(IpAddr::V6);
    }
    let (host, port) = node.rsplit_once(':')?;
    port.bytes().all(|b| b.is_ascii_digit()).then_some(())?;
    host.parse::<std::net::Ipv4Addr>().ok().map(IpAddr::V4)
}

/// Splits on `sep` outside double quotes (RFC 7230 quoted-string, with backslash escapes).
fn split_unquoted(text: &str, sep: char) -> Vec<&str> {
    let mut parts = Vec::new();
    let (mut start, mut quoted, mut escaped) = (0, false, false);
    for (i, c) in text.char_indices() {
        match c {
            _ if escaped => escaped = false,
            '\\' if quoted => escaped = true,
            '"' => quoted = !quoted,
            c if c == sep && !quoted => {
                parts.push(text[start..i].trim());
                start = i + c.len_utf8();
            }
            _ => {}
        }
    }
    parts.push(text[start..].trim());
    parts.into_iter().filter(|p| !p.is_empty()).collect()
}

/// A token or a quoted-string's content.
fn unquote(value: &str) -> String {
    let Some(inner) = value.strip_prefix('"').and_then(|v| v.strip_suffix('"')) else {
        return value.to_owned();
    };
    let mut out = String::with_capacity(inner.len());
    let mut escaped = false;
    for c in inner.chars() {
        if !escaped && c == '\\' {
            escaped = true;
        } else {
            out.push(c);
            escaped = false;
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().unwrap_or(IpAddr::V4(std::net::Ipv4Addr::UNSPECIFIED))
    }

    fn trusted(entries: &[&str]) -> TrustedProxies {
        let entries: Vec<String> = entries.iter().map(|e| (*e).to_owned()).collect();
        TrustedProxies::parse(&entries).unwrap_or_default()
    }

    fn trusted_via(entries: &[&str], header: ForwardedHeader) -> TrustedProxies {
        trusted(entries).with_header(header)
    }

    fn headers(pairs: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(*name, HeaderValue::from_static(value));
        }
        map
    }

    #[test]
    fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
        let h = headers(&[("x-forwarded-for", "198.51.100.7"), ("forwarded", "for=198.51.100.8")]);
        let got = client_addr(ip("203.0.113.9"), &h, &trusted(&["10.0.0.0/8"]));
        assert_eq!(got, ClientAddr { ip: ip("203.0.113.9"), scheme: None });
        let got = client_addr(ip("10.0.0.1"), &h, &TrustedProxies::default());
        assert_eq!(got.ip, ip("10.0.0.1"), "nothing is trusted by default");
    }

    #[test]
    fn rfc7239_4_forwarded_right_most_untrusted_hop_is_the_client() {
        let h = headers(&[
            ("forwarded", "for=192.0.2.60;proto=http, for=\"198.51.100.17:4711\";proto=https"),
            ("forwarded", "for=10.0.0.5;proto=http"),
        ]);
        let got = client_addr(
            ip("10.0.0.9"),
            &h,
            &trusted_via(&["10.0.0.0/8"], ForwardedHeader::Forwarded),
        );
        assert_eq!(got, ClientAddr { ip: ip("198.51.100.17"), scheme: Some(Scheme::Https) });
    }

    #[test]
    fn rfc7239_6_node_forms_are_read() {
        assert_eq!(node_ip("192.0.2.43"), Some(ip("192.0.2.43")));
        assert_eq!(node_ip("192.0.2.43:47011"), Some(ip("192.0.2.43")));
        assert_eq!(node_ip("[2001:db8:cafe::17]"), Some(ip("2001:db8:cafe::17")));
        assert_eq!(node_ip("[2001:db8:cafe::17]:4711"), Some(ip("2001:db8:cafe::17")));
        assert_eq!(node_ip("unknown"), None);
        assert_eq!(node_ip("_hidden"), None);
        let h = headers(&[("forwarded", "For=\"[2001:db8:cafe::17]:4711\";Proto=HTTPS")]);
        let got = client_addr(
            ip("127.0.0.1"),
            &h,
            &trusted_via(&["127.0.0.1"], ForwardedHeader::Forwarded),
        );
        assert_eq!(got, ClientAddr { ip: ip("2001:db8:cafe::17"), scheme: Some(Scheme::Https) });
    }

    #[test]
    fn an_unreadable_hop_leaves_the_last_vouched_address() {
        let h = headers(&[("forwarded", "for=198.51.100.1, for=unknown, for=10.1.1.1")]);
        let got = client_addr(
            ip("10.0.0.9"),
            &h,
            &trusted_via(&["10.0.0.0/8"], ForwardedHeader::Forwarded),
        );
        assert_eq!(got.ip, ip("10.1.1.1"));
    }

    #[test]
    fn x_forwarded_for_right_most_untrusted_hop_is_the_client() {
        // The client wrote the first entry itself; the proxies appended the rest.
        let h = headers(&[
            ("x-forwarded-for", "6.6.6.6, 198.51.100.7"),
            ("x-forwarded-for", "10.0.0.3"),
            ("x-forwarded-proto", "https"),
        ]);
        let got = client_addr(ip("10.0.0.9"), &h, &trusted(&["10.0.0.0/8"]));
        assert_eq!(got, ClientAddr { ip: ip("198.51.100.7"), scheme: Some(Scheme::Https) });
        let all_trusted = headers(&[("x-forwarded-for", "10.0.0.1, 10.0.0.2")]);
        let got = client_addr(ip("10.0.0.9"), &all_trusted, &trusted(&["10.0.0.0/8"]));
        assert_eq!(got.ip, ip("10.0.0.1"), "the left-most when every hop is a proxy");
    }

    #[test]
    fn a_scheme_alone_is_taken_from_the_nearest_proxy() {
        let h = headers(&[("x-forwarded-proto", "http")]);
        let got = client_addr(ip("127.0.0.1"), &h, &trusted(&["127.0.0.1"]));
        assert_eq!(got, ClientAddr { ip: ip("127.0.0.1"), scheme: Some(Scheme::Http) });
        let h = headers(&[("forwarded", "proto=https")]);
        let got = client_addr(
            ip("127.0.0.1"),
            &h,
            &trusted_via(&["127.0.0.1"], ForwardedHeader::Forwarded),
        );
        assert_eq!(got, ClientAddr { ip: ip("127.0.0.1"), scheme: Some(Scheme::Https) });
    }

    #[test]
    fn only_the_configured_header_is_read_spoofed_others_are_ignored() {
        // nginx sets X-Forwarded-For and passes the client's own Forwarded and X-Real-IP through.
        let h = headers(&[
            ("forwarded", "for=6.6.6.6;proto=https"),
            ("x-real-ip", "6.6.6.7"),
            ("x-forwarded-for", "6.6.6.8, 198.51.100.1"),
        ]);
        let proxies = ["127.0.0.0/8"];
        let xff = client_addr(
            ip("127.0.0.1"),
            &h,
            &trusted_via(&proxies, ForwardedHeader::XForwardedFor),
        );
        assert_eq!(xff.ip, ip("198.51.100.1"), "right to left, not the client's own entries");
        let fwd =
            client_addr(ip("127.0.0.1"), &h, &trusted_via(&proxies, ForwardedHeader::Forwarded));
        assert_eq!(fwd.ip, ip("6.6.6.6"), "what the operator said their proxy sets");
        let real =
            client_addr(ip("127.0.0.1"), &h, &trusted_via(&proxies, ForwardedHeader::XRealIp));
        assert_eq!(real.ip, ip("6.6.6.7"));
        // With the header missing, the peer stands; another header never stands in for it.
        let only_forwarded = headers(&[("forwarded", "for=6.6.6.6")]);
        let got = client_addr(ip("127.0.0.1"), &only_forwarded, &trusted(&proxies));
        assert_eq!(got.ip, ip("127.0.0.1"));
    }

    #[test]
    fn header_names_parse() {
        assert_eq!(ForwardedHeader::parse("X-Forwarded-For"), Some(ForwardedHeader::XForwardedFor));
        assert_eq!(ForwardedHeader::parse("forwarded"), Some(ForwardedHeader::Forwarded));
        assert_eq!(ForwardedHeader::parse("x-real-ip"), Some(ForwardedHeader::XRealIp));
        assert_eq!(ForwardedHeader::parse("x-client-ip"), None);
    }

    #[test]
    fn ipv4_mapped_peers_match_ipv4_ranges() {
        let h = headers(&[("x-forwarded-for", "198.51.100.1")]);
        let got = client_addr(ip("::ffff:10.0.0.1"), &h, &trusted(&["10.0.0.0/8"]));
        assert_eq!(got.ip, ip("198.51.100.1"));
    }

    #[test]
    fn quoted_strings_keep_their_separators() {
        assert_eq!(split_unquoted("a=\"x,y\", b=1", ','), vec!["a=\"x,y\"", "b=1"]);
        assert_eq!(unquote("\"a\\\"b\""), "a\"b");
    }
}
