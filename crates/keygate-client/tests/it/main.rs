//! keygate-client against a real Keygate over HTTP: the loopback sign-in with a test that
//! plays the browser, the device flow with a test that plays the user on `/device`, refresh,
//! rotation reuse, logout, and the encrypted file store.

#![allow(clippy::unwrap_used, clippy::expect_used, missing_docs)]

mod device;
mod dpop;
mod loopback;
mod session;
mod step_up;
mod store;
mod support;
