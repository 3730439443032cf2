//! The cost of DPoP at the token endpoint, measured in the provider on SQLite:
//! `cargo run --release -p keygate-testkit --example dpop_bench`. Prints client-credentials
//! tokens per second on this runtime, bearer and DPoP-bound (each request with a fresh ES256
//! proof made before the timing: its check, the jti recorded once, `cnf.jkt` in the token).

#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use keygate_core::Clock as _;
use keygate_core::Params;
use keygate_core::keys::SigningAlg;
use keygate_testkit::{DpopKey, TestApp, basic};

const ROUNDS: u32 = 5_000;

#[tokio::main]
async fn main() {
    let app = TestApp::spawn().await;
    let (id, secret) = app.m2m_client(&["read"], &[]).await;
    let authorization = basic(&id, &secret);
    let params = Params::parse(b"grant_type=client_credentials");
    let provider = &app.provider;
    provider.token(Some(&authorization), &params, None).await.unwrap(); // warm the caches

    let started = Instant::now();
    for _ in 0..ROUNDS {
        provider.token(Some(&authorization), &params, None).await.unwrap();
    }
    let bearer = f64::from(ROUNDS) / started.elapsed().as_secs_f64();

    let key = DpopKey::new(SigningAlg::ES256);
    let url = app.url("/token");
    let now = app.clock.now();
    let proofs: Vec<String> = (0..ROUNDS).map(|_| key.proof("POST", &url, now, None)).collect();
    let started = Instant::now();
    for proof in &proofs {
        let token = provider.token(Some(&authorization), &params, Some(proof)).await.unwrap();
        assert_eq!(token.token_type, "DPoP");
    }
    let bound = f64::from(ROUNDS) / started.elapsed().as_secs_f64();
    println!("client credentials on SQLite, tokens/s: bearer {bearer:.0}, DPoP-bound {bound:.0}");
    println!("per token: bearer {:.0} µs, DPoP-bound {:.0} µs", 1e6 / bearer, 1e6 / bound);
}
