//! The cost of a passkey sign-in, measured: `cargo run --release -p keygate-testkit --example
//! passkey_bench`. Prints the microseconds per operation of
//! - WebAuthn L3 §7.2 verification alone (client data, authenticator data, ES256 signature);
//! - a whole passwordless ceremony in the provider on SQLite: options and sealed challenge,
//!   the answer's checks, the challenge consumed, the counter moved, the sign-in logged.
//!
//! The software authenticator's signing runs outside the timed part of the first figure and
//! inside the second (about 20 µs of ES256 signing).

#![allow(clippy::disallowed_methods, clippy::unwrap_used, clippy::expect_used)]

use std::time::Instant;

use keygate_core::signin_log::Attempt;
use keygate_core::webauthn::{Assertion, StoredCredential, verify_assertion};
use keygate_testkit::{SoftAuthenticator, TestApp};

#[tokio::main]
async fn main() {
    let app = TestApp::spawn().await;
    let user = app.user("bench").await;
    let host = url::Url::parse(&app.issuer).unwrap().host_str().unwrap().to_owned();
    let mut auth = SoftAuthenticator::new(&app.issuer, &host);
    let provider = &app.provider;
    let ceremony = provider.begin_passkey_registration(&user, &[]).unwrap();
    let created = auth.create(&ceremony.options).unwrap().to_string();
    let passkey = provider
        .finish_passkey_registration(&user, &ceremony.ticket, &created, "bench", None)
        .await
        .unwrap()
        .unwrap();

    // §7.2 verification alone.
    let rp = provider.relying_party();
    let ceremony = provider.begin_passkey_sign_in("bench", None).await.unwrap();
    let challenge =
        keygate_core::webauthn::b64url_decode(ceremony.options["challenge"].as_str().unwrap())
            .unwrap();
    let answer = auth.get(&ceremony.options).unwrap().to_string();
    let stored =
        StoredCredential { public_key: &passkey.public_key, sign_count: 0, backup_eligible: false };
    let n = 20_000;
    let start = Instant::now();
    for _ in 0..n {
        let assertion = Assertion::from_json(&answer).unwrap();
        verify_assertion(&assertion, stored, &challenge, &rp, true).unwrap();
    }
    let verify = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);

    // A whole passwordless ceremony on SQLite.
    let n = 2_000;
    let from = Attempt { ip: Some("127.0.0.1"), user_agent: None, client_id: None };
    let start = Instant::now();
    for _ in 0..n {
        let ceremony = provider.begin_passkey_sign_in("bench", None).await.unwrap();
        let answer = auth.get(&ceremony.options).unwrap().to_string();
        let done = provider.finish_passkey_sign_in(&ceremony.ticket, "bench", &answer, &from);
        done.await.unwrap().expect("accepted");
    }
    let ceremony = start.elapsed().as_secs_f64() * 1e6 / f64::from(n);
    println!("passkey assertion, WebAuthn §7.2 checks with ES256: {verify:8.1} µs/op");
    println!("passwordless ceremony in the provider (SQLite):   {ceremony:8.1} µs/op");
}
