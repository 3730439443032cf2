#![allow(clippy::unwrap_used, clippy::expect_used)]

use keygate_types::ClientMetadataRequest;
use serde_json::json;

use super::metadata::requested;
use super::{RegistrationError, registrable};
use crate::client::{AuthMethod, ClientSpec, ClientType, GrantType};

fn map(body: serde_json::Value) -> Result<(ClientType, ClientSpec), RegistrationError> {
    let req: ClientMetadataRequest = serde_json::from_value(body).unwrap();
    requested(&req, "cid", registrable(&[]))
}

fn metadata_error(body: serde_json::Value) -> String {
    match map(body) {
        Err(RegistrationError::InvalidClientMetadata(d)) => d,
        other => panic!("expected invalid_client_metadata, got {:?}", other.map(|r| r.0)),
    }
}

#[test]
fn rfc7591_2_defaults_are_code_grant_and_client_secret_basic() {
    let (t, spec) = map(json!({"redirect_uris": ["https://rp.example/cb"]})).unwrap();
    assert_eq!(t, ClientType::Web);
    assert_eq!(spec.auth_method, Some(AuthMethod::ClientSecretBasic));
    assert_eq!(spec.grant_types, Some(vec![GrantType::AuthorizationCode]));
    assert_eq!(spec.name.as_deref(), Some("cid"), "the id stands in for a missing name");
    assert_eq!(spec.first_party, Some(false));
    assert_eq!(spec.resources, Some(vec![]));
}

#[test]
fn rfc7591_2_unknown_members_and_nulls_are_ignored() {
    let body = json!({"redirect_uris": ["https://rp.example/cb"], "x_custom": 1, "logo_uri": null,
        "contacts": null, "software_id": "s", "software_version": "1"});
    assert!(map(body).is_ok());
}

#[test]
fn client_type_follows_auth_method_grants_and_application_type() {
    let public = json!({"redirect_uris": ["https://rp.example/cb"],
        "token_endpoint_auth_method": "none"});
    assert_eq!(map(public).unwrap().0, ClientType::Spa);
    let native = json!({"redirect_uris": ["com.example.app:/cb"], "application_type": "native",
        "token_endpoint_auth_method": "none"});
    assert_eq!(map(native).unwrap().0, ClientType::Native);
    let m2m = json!({"grant_types": ["client_credentials"]});
    assert_eq!(map(m2m).unwrap().0, ClientType::M2m);
}

#[test]
fn rfc8252_8_4_native_application_with_a_secret_is_refused() {
    let body = json!({"redirect_uris": ["http://127.0.0.1/cb"], "application_type": "native"});
    assert!(metadata_error(body).contains("public client"));
}

#[test]
fn rfc7591_2_1_response_types_must_match_grant_types() {
    let body = json!({"grant_types": ["client_credentials"], "response_types": ["code"]});
    assert!(metadata_error(body).contains("§2.1"));
    let implicit = json!({"redirect_uris": ["https://rp.example/cb"], "response_types": ["token"]});
    assert!(metadata_error(implicit).contains("not supported"));
}

#[test]
fn unsupported_values_are_all_reported() {
    let body = json!({"token_endpoint_auth_method": "client_secret_jwt",
        "grant_types": ["implicit"], "application_type": "desktop", "scope": "openid api:write",
        "id_token_signed_response_alg": "none"});
    let problems = metadata_error(body);
    for needle in ["client_secret_jwt", "implicit", "desktop", "api:write", "id_token_signed"] {
        assert!(problems.contains(needle), "{needle} missing from {problems}");
    }
}

#[test]
fn rfc7591_3_2_2_redirect_uri_problems_are_invalid_redirect_uri() {
    for body in [
        json!({}),
        json!({"redirect_uris": ["http://rp.example/cb"]}),
        json!({"redirect_uris": ["https://rp.example/cb"],
            "post_logout_redirect_uris": ["https://rp.example/out#x"]}),
    ] {
        assert!(matches!(map(body), Err(RegistrationError::InvalidRedirectUri(_))));
    }
}

#[test]
fn rfc9700_4_11_2_open_names_that_imitate_keygate_are_refused_by_word() {
    for bad in ["Keygate admin console", "KEY-GATE", "Admin", "the console"] {
        assert!(super::check_open_name(Some(bad)).is_err(), "{bad}");
    }
    for good in ["Badminton Club", "Photo Printer", "Consoles R Us"] {
        assert!(super::check_open_name(Some(good)).is_ok(), "{good}");
    }
}
