//! Validations per second on one core, next to the raw signature verification of the crypto
//! backend (aws-lc-rs) for the same token: the physical limit; then DPoP-bound tokens
//! (RFC 9449 §7), each request with a fresh proof: two signatures to verify. Run:
//! `cargo run --release -p keygate-resource --example validate_bench`.

// Wall-clock durations are what a benchmark measures.
#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)]

use std::sync::Arc;
use std::time::Instant;

use aws_lc_rs::signature::{self, UnparsedPublicKey};
use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use keygate_core::jwt::sign_jwt;
use keygate_core::keys::{KeyPair, SigningAlg};
use keygate_resource::Validator;
use serde_json::json;

const ISSUER: &str = "https://id.example";
const API: &str = "https://api.example/";
const ROUNDS: u32 = 20_000;

fn token(key: &KeyPair) -> String {
    let claims = json!({
        "iss": ISSUER, "sub": "user-1", "aud": API, "client_id": "app", "scope": "todo:read",
        "exp": 4_000_000_000_i64, "iat": 1_700_000_000, "jti": "x",
    });
    sign_jwt(key, "at+jwt", &claims).unwrap()
}

/// A token bound to `dpop`'s key, and `ROUNDS` fresh proofs for `GET /todos` with it.
fn bound(key: &KeyPair, dpop: &keygate_testkit::DpopKey) -> (String, Vec<String>) {
    let claims = json!({
        "iss": ISSUER, "sub": "user-1", "aud": API, "client_id": "app", "scope": "todo:read",
        "exp": 4_000_000_000_i64, "iat": 1_700_000_000, "jti": "x", "cnf": {"jkt": dpop.jkt()},
    });
    let token = sign_jwt(key, "at+jwt", &claims).unwrap();
    let now = i64::try_from(
        std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_secs(),
    )
    .unwrap();
    let url = format!("{}/todos", API.trim_end_matches('/'));
    let proofs = (0..ROUNDS).map(|_| dpop.proof("GET", &url, now, Some(&token))).collect();
    (token, proofs)
}

/// Verifies the token's signature directly with aws-lc-rs, `ROUNDS` times; returns per second.
fn raw_verify(key: &KeyPair, token: &str) -> f64 {
    let (input, sig) = token.rsplit_once('.').unwrap();
    let sig = B64.decode(sig).unwrap();
    let jwk = serde_json::to_value(key.public_jwk()).unwrap();
    let field = |name: &str| B64.decode(jwk[name].as_str().unwrap()).unwrap();
    let started = Instant::now();
    match key.alg() {
        SigningAlg::ES256 => {
            let mut point = vec![4u8];
            point.extend(field("x"));
            point.extend(field("y"));
            let public = UnparsedPublicKey::new(&signature::ECDSA_P256_SHA256_FIXED, point);
            for _ in 0..ROUNDS {
                public.verify(input.as_bytes(), &sig).unwrap();
            }
        }
        SigningAlg::RS256 => {
            let public = signature::RsaPublicKeyComponents { n: field("n"), e: field("e") };
            for _ in 0..ROUNDS {
                public
                    .verify(&signature::RSA_PKCS1_2048_8192_SHA256, input.as_bytes(), &sig)
                    .unwrap();
            }
        }
        SigningAlg::EdDSA => unreachable!("not measured"),
    }
    f64::from(ROUNDS) / started.elapsed().as_secs_f64()
}

async fn serve_jwks(keys: serde_json::Value) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let uri = format!("http://{}/jwks", listener.local_addr().unwrap());
    let app = axum::Router::new()
        .route("/jwks", axum::routing::get(move || async move { axum::Json(keys) }));
    tokio::spawn(async move { axum::serve(listener, app).await });
    uri
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    println!("{:<6} {:>16} {:>16} {:>7}", "alg", "validations/s", "raw verify/s", "ratio");
    for alg in [SigningAlg::ES256, SigningAlg::RS256] {
        let (key, _) = KeyPair::generate(alg).unwrap();
        let uri = serve_jwks(json!({ "keys": [key.public_jwk()] })).await;
        let validator =
            Arc::new(Validator::builder(ISSUER, API).jwks_uri(uri).build().await.unwrap());
        let token = token(&key);
        validator.validate(&token).await.unwrap(); // warm: fetch and parse the keys
        let started = Instant::now();
        for _ in 0..ROUNDS {
            validator.validate(&token).await.unwrap();
        }
        let validations = f64::from(ROUNDS) / started.elapsed().as_secs_f64();
        let raw = raw_verify(&key, &token);
        println!(
            "{:<6} {:>16.0} {:>16.0} {:>6.0}%",
            alg.as_str(),
            validations,
            raw,
            100.0 * validations / raw
        );
        // The same with DPoP: a fresh ES256 proof per request (made before the timing).
        let dpop = keygate_testkit::DpopKey::new(SigningAlg::ES256);
        let (token, proofs) = bound(&key, &dpop);
        let authorization = format!("DPoP {token}");
        let started = Instant::now();
        for proof in &proofs {
            let request = keygate_resource::Presentation {
                authorization: Some(&authorization),
                dpop: Some(proof),
                method: "GET",
                path: "/todos",
            };
            validator.validate_request(request).await.unwrap();
        }
        let bound = f64::from(ROUNDS) / started.elapsed().as_secs_f64();
        println!("{:<6} {:>16.0}   (DPoP-bound, ES256 proofs)", alg.as_str(), bound);
    }
}
