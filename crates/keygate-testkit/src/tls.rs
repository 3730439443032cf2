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
}
