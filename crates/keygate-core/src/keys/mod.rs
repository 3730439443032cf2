//! Signing keys: generation, at-rest encryption under the master key, JWS signing, and the
//! in-memory keyring that signs tokens and publishes the JWKS.

mod alg;
mod keyring;
mod master;
mod pair;

pub use alg::SigningAlg;
pub use keyring::{ACTIVATION_DELAY, Keyring, StoredKey};
pub use master::{MasterKey, write_private_file};
pub use pair::KeyPair;
