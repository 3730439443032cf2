//! Certificates made at test time, for HTTPS tests.

/// A self-signed certificate for `localhost` and `127.0.0.1`, with its key.
pub struct TestCert {
    /// The certificate, PEM.
    pub cert_pem: String,
    /// The private key, PEM (PKCS#8).
    pub key_pem: String,
    /// The certificate, DER, to compare with what a server presents.
    pub der: Vec<u8>,
}

impl TestCert {
    /// A new key and certificate; `name` is the subject's common name.
    pub fn new(name: &str) -> Self {
        let key = rcgen::KeyPair::generate().expect("key pair");
        let mut params =
            rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .expect("certificate parameters");
        params.distinguished_name.push(rcgen::DnType::CommonName, name);
        let cert = params.self_signed(&key).expect("self-signed certificate");
        Self { cert_pem: cert.pem(), key_pem: key.serialize_pem(), der: cert.der().to_vec() }
    }

    /// Writes the certificate and key to `cert_file` and `key_file`.
    pub fn write(&self, cert_file: &std::path::Path, key_file: &std::path::Path) {
        std::fs::write(cert_file, &self.cert_pem).expect("write certificate");
        std::fs::write(key_file, &self.key_pem).expect("write key");
    }

    /// The certificate as a root a `reqwest` client trusts.
    pub fn root(&self) -> reqwest::Certificate {
        reqwest::Certificate::from_pem(self.cert_pem.as_bytes()).expect("PEM certificate")
    }

    /// Serves `router` over https with this certificate on a new loopback port (Keygate's own
    /// TLS listener); returns `https://127.0.0.1:PORT`.
    pub async fn serve(&self, router: axum::Router) -> String {
        let dir = crate::TempDir::new("kgcert");
        let files = keygate_server::serving::TlsFiles {
            cert_file: dir.0.join("cert.pem"),
            key_file: dir.0.join("key.pem"),
        };
        self.write(&files.cert_file, &files.key_file);
        let tls = keygate_server::serving::Tls::load(files).expect("TLS from the certificate");
        let tcp = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind loopback");
        let base = format!("https://{}", tcp.local_addr().expect("local address"));
        tokio::spawn(async move { axum::serve(tls.listener(tcp), router).await });
        base
    }
}
