//! Nobody locks themselves out. The rules live in core (`admin/lockout.rs`), so the console,
//! the admin API and the CLI (the core `Admin` acting as `cli`) refuse alike, in plain words.

use keygate_core::admin::{Actor, AdminError, CONSOLE_CLIENT_ID, UserSpec};
use keygate_testkit::{TestApp, form_field, location};
use reqwest::Method;
use serde_json::json;

use crate::console::{admin_user, console_session};

fn refused(result: Result<impl std::fmt::Debug, AdminError>, words: &str) {
    match result {
        Err(AdminError::Invalid(problems)) => {
            assert!(problems.iter().any(|p| p.contains(words)), "{problems:?}")
        }
        other => panic!("expected a refusal saying '{words}', got {other:?}"),
    }
}

#[tokio::test]
async fn the_consoles_own_application_cannot_be_deleted_or_rewired() {
    let app = TestApp::spawn().await;
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let path = format!("/clients/{CONSOLE_CLIENT_ID}");
    let delete = app.admin_call(Method::DELETE, &path, Some(&token), None, &[]).await;
    assert_eq!(delete.status, 422, "{}", delete.body);
    assert!(delete.body.contains("cannot be deleted"), "{}", delete.body);
    let rewire = json!({"redirect_uris": ["https://evil.example/cb"]});
    let patch = app.admin_call(Method::PATCH, &path, Some(&token), Some(&rewire), &[]).await;
    assert_eq!(patch.status, 422, "{}", patch.body);
    assert!(patch.body.contains("cannot be changed"), "{}", patch.body);
    let rename = json!({"client_name": "Our console"});
    app.admin_call(Method::PATCH, &path, Some(&token), Some(&rename), &[]).await.assert_ok();
    // The CLI's door is the same core function.
    refused(app.admin().delete_client(CONSOLE_CLIENT_ID).await, "cannot be deleted");

    // The console still signs in, and shows its application apart, without a delete button.
    admin_user(&app, "root").await;
    let (browser, landed) = console_session(&app, "root").await;
    assert_eq!(location(&landed), app.url("/admin"));
    let list = browser.get(&app.url("/admin/applications")).await;
    assert!(list.body.contains("Managed by Keygate"), "{}", list.body);
    let page = browser.get(&app.url(&format!("/admin/applications/{CONSOLE_CLIENT_ID}"))).await;
    assert!(page.body.contains("System"));
    assert!(!page.body.contains("Delete application"));
}

#[tokio::test]
async fn an_administrator_cannot_disable_or_delete_their_own_account() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    admin_user(&app, "other").await;
    let root = app.admin().user("root").await.unwrap();
    let me = app.admin().acting_as(Actor { id: format!("user:{}", root.id), ip: None });
    refused(me.set_disabled("root", true).await, "cannot disable your own account");
    let disable = UserSpec { disabled: Some(true), ..Default::default() };
    refused(me.update_user("root", disable).await, "cannot disable your own account");
    refused(me.delete_user("root").await, "cannot delete your own account");
    assert!(!app.admin().user("root").await.unwrap().disabled);
    // Another administrator's account is theirs to change.
    me.set_disabled("other", true).await.unwrap();

    // Through the console: the problem shows on the form, and nothing changes.
    let (browser, _) = console_session(&app, "root").await;
    let url = app.url(&format!("/admin/users/{}", root.id));
    let page = browser.get(&url).await;
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [
        ("csrf", csrf.as_str()),
        ("username", "root"),
        ("email", "root@example.com"),
        ("admin", "yes"),
        ("disabled", "yes"),
    ];
    let reply = browser.post_form(&url, &form).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("You cannot disable your own account"), "{}", reply.body);
    assert!(!app.admin().user("root").await.unwrap().disabled);
}

#[tokio::test]
async fn the_last_administrator_keeps_the_role_and_the_account() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    app.user("ada").await;
    let cli = app.admin();
    let demote = UserSpec { roles: Some(vec![]), ..Default::default() };
    refused(cli.update_user("root", demote.clone()).await, "last administrator");
    refused(cli.set_disabled("root", true).await, "last administrator");
    refused(cli.delete_user("root").await, "last administrator");
    // Through the admin API too.
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let root = cli.user("root").await.unwrap();
    let path = format!("/users/{}", root.id);
    let demote_body = json!({"roles": []});
    let patch = app.admin_call(Method::PATCH, &path, Some(&token), Some(&demote_body), &[]).await;
    assert_eq!(patch.status, 422, "{}", patch.body);
    assert!(patch.body.contains("root is the last administrator"), "{}", patch.body);
    // With a second administrator, the first may step down.
    let promote = UserSpec { roles: Some(vec!["admin".into()]), ..Default::default() };
    cli.update_user("ada", promote).await.unwrap();
    cli.update_user("root", demote).await.unwrap();
    refused(cli.delete_user("ada").await, "last administrator");
}
