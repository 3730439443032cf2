#![allow(clippy::unwrap_used, clippy::expect_used)]

use serde_json::json;

use super::presets::{PRESETS, preset};
use super::*;

#[test]
fn every_preset_is_valid_with_only_a_client_id() {
    for name in PRESETS {
        let p = preset(name, "client-123", None).unwrap_or_else(|| panic!("{name}"));
        assert!(p.problems().is_empty(), "{name}: {:?}", p.problems());
        assert_eq!(p.preset.as_deref(), Some(name));
    }
    assert!(preset("myspace", "x", None).is_none());
}

#[test]
fn microsoft_preset_uses_the_tenant() {
    let p = preset("microsoft", "c", Some("contoso.onmicrosoft.com")).unwrap();
    assert_eq!(
        p.kind,
        UpstreamKind::Oidc {
            issuer: "https://login.microsoftonline.com/contoso.onmicrosoft.com/v2.0".into()
        }
    );
}

#[test]
fn rfc9700_2_6_upstream_endpoints_must_be_https_except_loopback() {
    let mut p = UpstreamProvider::new(
        "corp",
        "Corp",
        UpstreamKind::Oidc { issuer: "http://idp.example.com".into() },
        "c",
    );
    assert!(p.problems().iter().any(|e| e.contains("https")));
    p.kind = UpstreamKind::Oidc { issuer: "http://127.0.0.1:9000".into() };
    assert!(p.problems().is_empty());
    p.id = "Bad Id".into();
    assert!(p.problems().iter().any(|e| e.contains("upstream id")));
}

#[test]
fn oidc_upstream_needs_the_openid_scope() {
    let mut p = preset("google", "c", None).unwrap();
    p.scopes = vec!["email".into()];
    assert!(p.problems().iter().any(|e| e.contains("openid")));
}

#[test]
fn mapping_reads_nested_paths_and_numbers() {
    let mapping = preset("facebook", "c", None).unwrap().mapping;
    let claims = json!({
        "id": 12345, "name": "Ada", "email": "ada@example.com",
        "picture": { "data": { "url": "https://cdn.example/ada.png" } }
    });
    let identity = mapping.apply("facebook", &claims).unwrap();
    assert_eq!(identity.subject, "12345");
    assert_eq!(identity.picture.as_deref(), Some("https://cdn.example/ada.png"));
    assert!(!identity.email_verified, "an unmapped email_verified is never true");
    assert!(mapping.apply("facebook", &json!({ "name": "no id" })).is_none());
    assert!(mapping.apply("facebook", &json!({ "id": "" })).is_none());
}

#[test]
fn email_verified_must_be_true_not_just_present() {
    let mapping = ClaimMapping::default();
    for (value, expected) in
        [(json!(true), true), (json!("true"), true), (json!(false), false), (json!("yes"), false)]
    {
        let claims = json!({ "sub": "1", "email": "a@b.example", "email_verified": value });
        assert_eq!(mapping.apply("x", &claims).unwrap().email_verified, expected);
    }
}

#[test]
fn stored_round_trip_keeps_the_secret_sealed() {
    let master = crate::keys::MasterKey::from_base64(&base64::Engine::encode(
        &base64::engine::general_purpose::STANDARD,
        [7u8; 32],
    ))
    .unwrap();
    let mut p = preset("github", "gh-client", None).unwrap();
    p.client_secret = Some(crate::Secret::new("gh-secret"));
    let stored = p.to_stored(&master, 1, 2).unwrap();
    assert!(!stored.config.contains("gh-secret"));
    let sealed = stored.sealed_secret.clone().unwrap();
    assert!(!String::from_utf8_lossy(&sealed).contains("gh-secret"));
    let back = UpstreamProvider::from_stored(&stored, &master).unwrap();
    assert_eq!(back.client_secret.unwrap().expose_secret(), "gh-secret");
    assert_eq!(back.kind, p.kind);
    assert_eq!(back.mapping, p.mapping);
}
