//! HTTPS served by Keygate itself: HTTP/2 by ALPN, certificates replaced without a restart,
//! and HSTS (RFC 6797).

use std::sync::Arc;
use std::time::Duration;

use keygate_server::serving::{Serving, Tls, TlsFiles, TrustedProxies};
use keygate_testkit::{Serve, TempDir, TestApp, TestCert};
use reqwest::{Client, Version};

const DISCOVERY: &str = "/.well-known/openid-configuration";

/// A server on HTTPS with `first`'s certificate, its files in `dir`, checked every 100 ms.
async fn https_app(dir: &TempDir, first: &TestCert) -> (TestApp, Arc<Tls>, TlsFiles) {
    let files = TlsFiles { cert_file: dir.0.join("cert.pem"), key_file: dir.0.join("key.pem") };
    first.write(&files.cert_file, &files.key_file);
    let tls = Tls::load(files.clone()).unwrap();
    let serve = Serve {
        tls: Some(tls.clone()),
        tls_poll: Some(Duration::from_millis(100)),
        ..Default::default()
    };
    (TestApp::spawn_serving(serve, |_| {}).await, tls, files)
}

/// A client trusting only `roots`.
fn client(roots: &[&TestCert]) -> reqwest::ClientBuilder {
    Client::builder().tls_certs_only(roots.iter().map(|c| c.root())).tls_info(true)
}

/// The certificate served to a new connection (a new client: HTTP/2 connections are shared).
async fn fresh_cert(url: &str, roots: &[&TestCert]) -> Vec<u8> {
    served_cert(&client(roots).build().unwrap().get(url).send().await.unwrap())
}

/// The certificate the server presented for `response`.
fn served_cert(response: &reqwest::Response) -> Vec<u8> {
    let info = response.extensions().get::<reqwest::tls::TlsInfo>().expect("TLS info");
    info.peer_certificate().expect("a peer certificate").to_vec()
}

#[tokio::test]
async fn rfc9113_3_2_https_negotiates_http2_by_alpn_and_still_speaks_http1() {
    let (dir, cert) = (TempDir::new("kgtls"), TestCert::new("first"));
    let (app, _tls, _) = https_app(&dir, &cert).await;
    assert!(app.issuer.starts_with("https://127.0.0.1:"), "{}", app.issuer);
    let h2 = client(&[&cert]).build().unwrap();
    let response = h2.get(app.url(DISCOVERY)).send().await.unwrap();
    assert_eq!(response.version(), Version::HTTP_2);
    assert_eq!(served_cert(&response), cert.der);
    let doc: serde_json::Value = response.json().await.unwrap();
    assert_eq!(doc["token_endpoint"], app.url("/token"));
    let h1 = client(&[&cert]).http1_only().build().unwrap();
    let response = h1.get(app.url(DISCOVERY)).send().await.unwrap();
    assert_eq!(response.version(), Version::HTTP_11);
    assert_eq!(response.status(), 200);
}

#[tokio::test]
async fn tls_certificate_files_are_reloaded_without_a_restart() {
    let dir = TempDir::new("kgtls");
    let (first, second) = (TestCert::new("first"), TestCert::new("second"));
    let (app, tls, files) = https_app(&dir, &first).await;
    let (url, roots) = (app.url("/healthz"), [&first, &second]);
    let open = client(&roots).build().unwrap();
    assert_eq!(served_cert(&open.get(&url).send().await.unwrap()), first.der);

    second.write(&files.cert_file, &files.key_file);
    let mut served = Vec::new();
    for _ in 0..50 {
        tokio::time::sleep(Duration::from_millis(100)).await;
        served = fresh_cert(&url, &roots).await;
        if served == second.der {
            break;
        }
    }
    assert_eq!(served, second.der, "the new certificate is served after the files change");
    let kept = open.get(&url).send().await.unwrap();
    assert_eq!(served_cert(&kept), first.der, "an open connection keeps its certificate");

    // A key that does not match its certificate is refused and the running one stays.
    std::fs::write(&files.key_file, &first.key_pem).unwrap();
    let refused = tls.reload().unwrap_err();
    assert!(format!("{refused:#}").contains("cannot be used with the certificate"), "{refused:#}");
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(fresh_cert(&url, &roots).await, second.der);
    assert_eq!(tls.current_certificate().unwrap().as_ref(), second.der.as_slice());
}

#[tokio::test]
async fn tls_load_names_the_file_at_fault() {
    let dir = TempDir::new("kgtls");
    let files = TlsFiles { cert_file: dir.0.join("missing.pem"), key_file: dir.0.join("key.pem") };
    let error = format!("{:#}", Tls::load(files.clone()).unwrap_err());
    assert!(error.contains("missing.pem"), "{error}");
    std::fs::write(&files.cert_file, TestCert::new("x").cert_pem).unwrap();
    std::fs::write(&files.key_file, "not a key").unwrap();
    let error = format!("{:#}", Tls::load(files).unwrap_err());
    assert!(error.contains("no private key") && error.contains("key.pem"), "{error}");
}

#[tokio::test]
async fn rfc6797_hsts_header_on_https() {
    let (dir, cert) = (TempDir::new("kgtls"), TestCert::new("hsts"));
    let (app, _tls, _) = https_app(&dir, &cert).await;
    let http = client(&[&cert]).build().unwrap();
    for path in [DISCOVERY, "/healthz", "/no-such-page"] {
        let response = http.get(app.url(path)).send().await.unwrap();
        let hsts = response.headers().get("strict-transport-security");
        assert_eq!(hsts.unwrap(), "max-age=31536000", "{path}");
    }
}

#[tokio::test]
async fn rfc6797_7_2_no_hsts_over_plain_http_issuers() {
    let app = TestApp::spawn().await;
    let response = app.get("/healthz").await;
    assert_eq!(response.header("strict-transport-security"), None);
}

/// Behind a TLS-terminating proxy: an https issuer on a plain listener sends HSTS, with the
/// configured max-age, except where the trusted proxy says the client came over plain http.
#[tokio::test]
async fn rfc6797_7_2_hsts_behind_a_proxy_follows_the_forwarded_scheme() {
    let serving = Serving {
        hsts_max_age: 600,
        trusted_proxies: TrustedProxies::parse(&["127.0.0.1".to_owned()]).unwrap(),
        ..Default::default()
    };
    let serve = Serve { serving, ..Default::default() };
    let app =
        TestApp::spawn_serving(serve, |s| s.issuer = s.issuer.replace("http:", "https:")).await;
    let plain = app.issuer.replace("https:", "http:");
    let hsts = |proto: Option<&'static str>| {
        let mut request = reqwest::Client::new().get(format!("{plain}/healthz"));
        if let Some(proto) = proto {
            request = request.header("x-forwarded-proto", proto);
        }
        async move {
            let response = request.send().await.unwrap();
            let value = response.headers().get("strict-transport-security");
            value.map(|v| v.to_str().unwrap().to_owned())
        }
    };
    assert_eq!(hsts(None).await.as_deref(), Some("max-age=600"));
    assert_eq!(hsts(Some("https")).await.as_deref(), Some("max-age=600"));
    assert_eq!(hsts(Some("http")).await, None, "never over plain http");
}
