//! Checks made independently of Keygate's own code: JWTs are verified with `jsonwebtoken`
//! against the JWKS fetched over HTTP.

use jsonwebtoken::jwk::JwkSet;
use jsonwebtoken::{DecodingKey, Validation, decode, decode_header};
use keygate_testkit::TestApp;
use serde_json::Value;

/// Verifies `token` against the published JWKS; returns its header and claims.
pub async fn verify_with_jwks(app: &TestApp, token: &str) -> (jsonwebtoken::Header, Value) {
    let header = decode_header(token).expect("header");
    let jwks: JwkSet = serde_json::from_str(&app.get("/jwks").await.body).expect("jwks");
    let kid = header.kid.clone().expect("kid");
    let jwk = jwks.find(&kid).unwrap_or_else(|| panic!("kid {kid} not in the JWKS"));
    let key = DecodingKey::from_jwk(jwk).expect("decoding key");
    let mut validation = Validation::new(header.alg);
    validation.validate_exp = false; // the test clock is not the system clock
    validation.validate_aud = false;
    let data = decode::<Value>(token, &key, &validation).expect("signature verifies");
    (header, data.claims)
}
