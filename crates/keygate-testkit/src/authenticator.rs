//! A software WebAuthn authenticator for tests: it makes ES256 passkeys and answers
//! `navigator.credentials.create`/`get` options with the JSON a browser would send (WebAuthn L3
//! §5.1's `toJSON` forms). Its origin, RP ID, flags and counter are settable, so tests can send
//! exactly the wrong answer they mean to.

use aws_lc_rs::digest::{SHA256, digest};
use aws_lc_rs::rand::SystemRandom;
use aws_lc_rs::signature::{ECDSA_P256_SHA256_ASN1_SIGNING, EcdsaKeyPair, KeyPair};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use coset::cbor::value::Value as Cbor;
use coset::{CborSerializable, CoseKeyBuilder, iana};
use serde_json::{Value, json};

/// One passkey the authenticator holds.
pub struct SoftCredential {
    /// The credential id.
    pub id: Vec<u8>,
    key: EcdsaKeyPair,
    /// The user handle it was made for.
    pub user_handle: Vec<u8>,
    /// Its signature counter.
    pub counter: u32,
}

/// A software authenticator.
pub struct SoftAuthenticator {
    /// The origin it reports in client data (a browser reports the page's).
    pub origin: String,
    /// The RP ID whose hash it puts in authenticator data.
    pub rp_id: String,
    /// Whether it verifies the user (UV).
    pub user_verified: bool,
    /// Whether it says the user was present (UP).
    pub user_present: bool,
    /// BE and BS.
    pub backup: (bool, bool),
    /// How much the counter grows per use (0: the counter stays 0).
    pub counter_step: u32,
    /// Send a `packed` self-attestation instead of `none`.
    pub packed: bool,
    /// The passkeys made so far.
    pub credentials: Vec<SoftCredential>,
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

fn unb64(text: &str) -> Vec<u8> {
    URL_SAFE_NO_PAD.decode(text).unwrap_or_default()
}

fn cbor(value: &Cbor) -> Vec<u8> {
    let mut out = Vec::new();
    coset::cbor::ser::into_writer(value, &mut out).unwrap_or_default();
    out
}

impl SoftAuthenticator {
    /// An authenticator that answers like a browser on `origin` for `rp_id`, verifying the user.
    pub fn new(origin: &str, rp_id: &str) -> Self {
        Self {
            origin: origin.to_owned(),
            rp_id: rp_id.to_owned(),
            user_verified: true,
            user_present: true,
            backup: (false, false),
            counter_step: 1,
            packed: false,
            credentials: Vec::new(),
        }
    }

    fn flags(&self, attested: bool) -> u8 {
        let mut flags = 0;
        let bits = [
            (self.user_present, 0x01),
            (self.user_verified, 0x04),
            (self.backup.0, 0x08),
            (self.backup.1, 0x10),
            (attested, 0x40),
        ];
        for (on, bit) in bits {
            if on {
                flags |= bit;
            }
        }
        flags
    }

    fn client_data(&self, kind: &str, options: &Value) -> Vec<u8> {
        let challenge = options["challenge"].as_str().unwrap_or("");
        let data = json!({"type": kind, "challenge": challenge, "origin": self.origin, "crossOrigin": false});
        data.to_string().into_bytes()
    }

    /// Answers `PublicKeyCredentialCreationOptionsJSON` with a new passkey.
    pub fn create(&mut self, options: &Value) -> anyhow::Result<Value> {
        let rng = SystemRandom::new();
        let pkcs8 = EcdsaKeyPair::generate_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, &rng)?;
        let key = EcdsaKeyPair::from_pkcs8(&ECDSA_P256_SHA256_ASN1_SIGNING, pkcs8.as_ref())?;
        let point = key.public_key().as_ref().to_vec();
        let cose = CoseKeyBuilder::new_ec2_pub_key(
            iana::EllipticCurve::P_256,
            point[1..33].to_vec(),
            point[33..65].to_vec(),
        )
        .algorithm(iana::Algorithm::ES256)
        .build()
        .to_vec()
        .map_err(|e| anyhow::anyhow!("{e:?}"))?;
        let id = aws_lc_rs::rand::generate::<[u8; 16]>(&rng)?.expose().to_vec();
        let counter = self.counter_step;
        let mut auth = digest(&SHA256, self.rp_id.as_bytes()).as_ref().to_vec();
        auth.push(self.flags(true));
        auth.extend_from_slice(&counter.to_be_bytes());
        auth.extend_from_slice(&[0; 16]);
        auth.extend_from_slice(&u16::try_from(id.len())?.to_be_bytes());
        auth.extend_from_slice(&id);
        auth.extend_from_slice(&cose);
        let client_data = self.client_data("webauthn.create", options);
        let statement = if self.packed {
            let signed = [auth.as_slice(), digest(&SHA256, &client_data).as_ref()].concat();
            let sig = key.sign(&rng, &signed)?;
            Cbor::Map(vec![
                (Cbor::Text("alg".into()), Cbor::Integer((-7).into())),
                (Cbor::Text("sig".into()), Cbor::Bytes(sig.as_ref().to_vec())),
            ])
        } else {
            Cbor::Map(vec![])
        };
        let object = Cbor::Map(vec![
            (
                Cbor::Text("fmt".into()),
                Cbor::Text(if self.packed { "packed" } else { "none" }.into()),
            ),
            (Cbor::Text("attStmt".into()), statement),
            (Cbor::Text("authData".into()), Cbor::Bytes(auth)),
        ]);
        let user_handle = unb64(options["user"]["id"].as_str().unwrap_or(""));
        self.credentials.push(SoftCredential { id: id.clone(), key, user_handle, counter });
        Ok(json!({
            "id": b64(&id),
            "rawId": b64(&id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&client_data),
                "attestationObject": b64(&cbor(&object)),
                "transports": ["internal"],
            },
            "clientExtensionResults": {},
        }))
    }

    /// Answers `PublicKeyCredentialRequestOptionsJSON` with the first allowed passkey (any, if
    /// none is listed), moving its counter by `counter_step`.
    pub fn get(&mut self, options: &Value) -> anyhow::Result<Value> {
        let allowed: Vec<Vec<u8>> = options["allowCredentials"]
            .as_array()
            .map(|a| a.iter().map(|c| unb64(c["id"].as_str().unwrap_or(""))).collect())
            .unwrap_or_default();
        let flags = self.flags(false);
        let client_data = self.client_data("webauthn.get", options);
        let rp_hash = digest(&SHA256, self.rp_id.as_bytes());
        let step = self.counter_step;
        let credential = self
            .credentials
            .iter_mut()
            .find(|c| allowed.is_empty() || allowed.contains(&c.id))
            .ok_or_else(|| anyhow::anyhow!("no passkey for these options"))?;
        credential.counter += step;
        let mut auth = rp_hash.as_ref().to_vec();
        auth.push(flags);
        auth.extend_from_slice(&credential.counter.to_be_bytes());
        let signed = [auth.as_slice(), digest(&SHA256, &client_data).as_ref()].concat();
        let sig = credential.key.sign(&SystemRandom::new(), &signed)?;
        Ok(json!({
            "id": b64(&credential.id),
            "rawId": b64(&credential.id),
            "type": "public-key",
            "response": {
                "clientDataJSON": b64(&client_data),
                "authenticatorData": b64(&auth),
                "signature": b64(sig.as_ref()),
                "userHandle": b64(&credential.user_handle),
            },
            "clientExtensionResults": {},
        }))
    }
}
