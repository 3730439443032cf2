//! Property tests of the parsers that take hostile input: whatever arrives, they return the
//! right class of error and never panic. Bounded (256 cases each) so CI stays quick.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use base64::Engine;
use keygate_core::authorization_details;
use keygate_core::claims::user_claims;
use keygate_core::client::ClientType;
use keygate_core::jwt::verify_jwt;
use keygate_core::keys::{Keyring, MasterKey, SigningAlg, StoredKey};
use keygate_core::params::Params;
use keygate_core::redirect::validate_redirect_uri;
use keygate_core::{OAuthError, User};
use proptest::prelude::*;

fn config() -> ProptestConfig {
    ProptestConfig { cases: 256, failure_persistence: None, ..ProptestConfig::default() }
}

/// Text that looks like what attackers send: URL-ish, JSON-ish, or anything at all.
fn hostile_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[a-z]{0,8}://[a-zA-Z0-9.:@\\[\\]%#?/&=*-]{0,40}",
        "[\\[\\]{}\":,0-9a-z_ .-]{0,60}",
    ]
}

fn keyring() -> Keyring {
    let encoded = base64::engine::general_purpose::STANDARD.encode([7u8; 32]);
    let master = MasterKey::from_base64(&encoded).unwrap();
    let key = StoredKey::generate(SigningAlg::ES256, &master, 0).unwrap();
    Keyring::load(&[key], &master, 10, 3600).unwrap()
}

fn user() -> User {
    User {
        id: "u1".into(),
        username: "ada".into(),
        email: "ada@example.com".into(),
        email_verified: true,
        name: Some("Ada".into()),
        given_name: None,
        family_name: None,
        password_hash: None,
        disabled: false,
        require_mfa: false,
        roles: vec![],
        claims: serde_json::Map::new(),
        created_at: 0,
        updated_at: 0,
    }
}

proptest! {
    #![proptest_config(config())]

    /// RFC 6749 §3.1.2: a registered redirect URI is accepted or refused with a reason.
    #[test]
    fn redirect_uris_are_accepted_or_refused_never_panic(uri in hostile_text()) {
        for kind in [ClientType::Web, ClientType::Spa, ClientType::Native] {
            if let Err(reason) = validate_redirect_uri(&uri, kind) {
                prop_assert!(!reason.is_empty());
            }
        }
    }

    /// RFC 6749 §3.2: any body decodes; a lookup fails only with `invalid_request` (repeats).
    #[test]
    fn form_bodies_decode_and_fail_only_as_invalid_request(
        body in proptest::collection::vec(any::<u8>(), 0..200)
    ) {
        let params = Params::parse(&body);
        for name in ["scope", "grant_type", "code"] {
            if let Err(e) = params.single(name) {
                prop_assert!(matches!(e, OAuthError::InvalidRequest(_)));
            }
        }
    }

    /// RFC 7515: compact JWS that does not verify is `None`, whatever its shape.
    #[test]
    fn compact_jws_that_does_not_verify_is_none(
        header in hostile_text(), payload in hostile_text(), signature in hostile_text()
    ) {
        let b64 = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        let ring = keyring();
        for token in [
            format!("{}.{}.{}", b64(&header), b64(&payload), b64(&signature)),
            format!("{header}.{payload}.{signature}"),
            header.clone(),
        ] {
            let verified: Option<serde_json::Value> =
                verify_jwt(&ring, &token, &["at+jwt", "JWT"], "https://id.example");
            prop_assert!(verified.is_none());
        }
    }

    /// RFC 9396 §2, §5: details that are not well-formed and registered are
    /// `invalid_authorization_details`.
    #[test]
    fn authorization_details_are_parsed_or_invalid(text in hostile_text()) {
        match authorization_details::parse(&text, &[], |_| true) {
            Ok(details) => prop_assert!(!details.is_empty()),
            Err(e) => prop_assert_eq!(e.code().as_str(), "invalid_authorization_details"),
        }
    }

    /// OIDC Core §5.5: any `claims` value releases nothing beyond the granted scopes.
    #[test]
    fn claims_requests_release_nothing_beyond_the_scopes(text in hostile_text()) {
        let released = user_claims(&user(), &["openid".to_owned()], Some(&text), "id_token");
        prop_assert!(released.is_empty(), "{:?}", released);
    }
}
