#![allow(clippy::unwrap_used)]

use std::collections::BTreeMap;

use super::*;

const STORAGE: &str = "https://storage.example/";

fn storage_api() -> Api {
    let action = |n: &str, d: &str| ApiScope::new(n, d);
    Api {
        id: "s".into(),
        identifier: STORAGE.into(),
        name: "Drive".into(),
        scopes: vec![],
        authorization_details_types: vec![DetailsType {
            name: "folder_access".into(),
            description: "Folders in your drive".into(),
            actions: vec![action("read", "open your files"), action("write", "save files")],
        }],
        access_token_ttl: None,
        signing_alg: None,
        client_grants: BTreeMap::new(),
        introspection_clients: Vec::new(),
        open: false,
        created_at: 0,
        updated_at: 0,
    }
}

fn parse_one(text: &str) -> Result<Vec<AuthorizationDetail>, OAuthError> {
    parse(text, &[storage_api()], |_| true)
}

const DIAGRAMS: &str = r#"[{"type":"folder_access",
    "locations":["https://storage.example/folders/diagrams"],"actions":["read","write"]}]"#;

#[test]
fn rfc9396_2_registered_type_parses() {
    let details = parse_one(DIAGRAMS).unwrap();
    assert_eq!(details[0].kind, "folder_access");
    assert_eq!(details[0].locations, ["https://storage.example/folders/diagrams"]);
    assert_eq!(audiences(&details, &[storage_api()]), [STORAGE]);
}

#[test]
fn rfc9396_5_nonconforming_details_are_invalid_authorization_details() {
    for bad in [
        "not json",
        "{}",
        "[]",
        r#"[{"locations":["https://storage.example/folders/a"],"actions":["read"]}]"#,
        r#"[{"type":"payment_initiation","actions":["read"]}]"#,
        r#"[{"type":"folder_access","locations":["https://storage.example/folders/a"]}]"#,
        r#"[{"type":"folder_access","locations":["https://storage.example/folders/a"],"actions":["delete"]}]"#,
        r#"[{"type":"folder_access","locations":["https://other.example/folders/a"],"actions":["read"]}]"#,
        r#"[{"type":"folder_access","locations":["https://storage.example/folders/a/../b"],"actions":["read"]}]"#,
        r#"[{"type":"folder_access","locations":["https://storage.example/folders/a"],"actions":["read"],"amount":"1"}]"#,
        r#"[{"type":"folder_access","locations":[7],"actions":["read"]}]"#,
    ] {
        let err = parse_one(bad).unwrap_err();
        assert!(matches!(err, OAuthError::InvalidAuthorizationDetails(_)), "{bad}");
    }
}

#[test]
fn rfc9396_5_client_not_allowed_for_the_api_is_refused() {
    let err = parse(DIAGRAMS, &[storage_api()], |_| false).unwrap_err();
    assert!(err.to_string().contains("may not ask"), "{err}");
}

#[test]
fn rfc9396_6_1_token_request_may_narrow_never_widen() {
    let granted = parse_one(DIAGRAMS).unwrap();
    assert_eq!(narrow(None, &granted, &[storage_api()]).unwrap(), granted);
    let read_only = r#"[{"type":"folder_access",
        "locations":["https://storage.example/folders/diagrams"],"actions":["read"]}]"#;
    let narrowed = narrow(Some(read_only), &granted, &[storage_api()]).unwrap();
    assert_eq!(narrowed[0].actions, ["read"]);
    let other = r#"[{"type":"folder_access",
        "locations":["https://storage.example/folders/photos"],"actions":["read"]}]"#;
    assert!(narrow(Some(other), &granted, &[storage_api()]).is_err());
}

#[test]
fn consent_lines_are_plain_words() {
    let lines = describe(&parse_one(DIAGRAMS).unwrap(), &[storage_api()]);
    assert_eq!(lines[0].api, "Drive");
    assert_eq!(lines[0].actions, ["open your files", "save files"]);
    assert_eq!(lines[0].locations, ["/folders/diagrams"]);
}

#[test]
fn type_definitions_are_checked() {
    let mut t = storage_api().authorization_details_types;
    assert!(type_problems(&t).is_empty());
    t.push(t[0].clone());
    t.push(DetailsType { name: "a b".into(), description: " ".into(), actions: vec![] });
    assert_eq!(type_problems(&t).len(), 4, "{:?}", type_problems(&t));
}
