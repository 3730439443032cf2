//! Access chosen from lists (issue 16): an application's page ticks the registered APIs and
//! their scopes; an API's page grants machine-to-machine access to an application chosen from
//! a list; both pages show the same grants; a made-up scope or API is refused by all three
//! doors.

use keygate_core::api::{ApiScope, ApiSpec};
use keygate_core::client::{AuthMethod, ClientSpec, ClientType};
use keygate_testkit::{TestApp, form_field};
use reqwest::Method;
use serde_json::json;

use crate::console::{admin_user, console_session};

const TODO: &str = "https://todo.example/";

async fn todo_api(app: &TestApp) -> keygate_core::api::Api {
    let scope = |name: &str, description: &str| ApiScope::new(name, description);
    let spec = ApiSpec {
        identifier: Some(TODO.into()),
        name: Some("To-do".into()),
        scopes: Some(vec![
            scope("todo:read", "Read your lists"),
            scope("todo:write", "Change them"),
        ]),
        ..Default::default()
    };
    app.admin().create_api(spec).await.expect("API")
}

#[tokio::test]
async fn unknown_scopes_and_unregistered_apis_are_refused_by_core_the_api_and_the_cli_alike() {
    let app = TestApp::spawn().await;
    todo_api(&app).await;
    let client = app.web_client(&["openid"]).await;
    let spec = |scopes: &[&str], resources: &[&str]| ClientSpec {
        scopes: Some(scopes.iter().map(|s| (*s).to_owned()).collect()),
        resources: Some(resources.iter().map(|s| (*s).to_owned()).collect()),
        ..Default::default()
    };
    let made_up =
        app.admin().update_client(&client.id, spec(&["openid", "todo:delete"], &[TODO])).await;
    let Err(keygate_core::admin::AdminError::Invalid(problems)) = made_up else {
        panic!("a made-up scope is refused");
    };
    assert!(problems[0].contains("'todo:delete'"), "{problems:?}");
    let not_callable = app.admin().update_client(&client.id, spec(&["todo:read"], &[])).await;
    assert!(not_callable.is_err(), "a scope of an API the application may not call is refused");
    let unregistered =
        app.admin().update_client(&client.id, spec(&[], &["https://nope.example/"])).await;
    assert!(format!("{unregistered:?}").contains("not a registered API"));
    let fine = app.admin().update_client(&client.id, spec(&["openid", "todo:read"], &[TODO])).await;
    assert!(fine.is_ok(), "{fine:?}");
    // The API goes away: a change that leaves its scope alone is not refused for it.
    let todo = app.admin().api(TODO).await.unwrap();
    app.admin().delete_api(&todo.id).await.unwrap();
    let rename = ClientSpec { name: Some("Renamed".into()), ..Default::default() };
    let renamed = app.admin().update_client(&client.id, rename).await;
    assert!(renamed.is_ok(), "only problems the change brings are refused: {renamed:?}");
    todo_api(&app).await;
    let admin_api = format!("{}/admin/api", app.issuer);
    let own = app.admin().update_client(&client.id, spec(&["admin:read"], &[&admin_api])).await;
    assert!(own.is_ok(), "Keygate's own admin API and scopes exist: {own:?}");

    let token = app.admin_token(&["admin:write"]).await;
    let body = json!({"client_name": "Robot", "application_type": "m2m", "scopes": ["sideways"]});
    let path = "/clients";
    let reply = app.admin_call(Method::POST, path, Some(&token), Some(&body), &[]).await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("'sideways'"), "{}", reply.body);
}

#[tokio::test]
async fn an_application_page_ticks_apis_and_scopes_and_shows_grants_made_on_the_api_page() {
    let app = TestApp::spawn().await;
    let api = todo_api(&app).await;
    admin_user(&app, "root").await;
    let (robot, _) =
        app.client_with(ClientType::M2m, AuthMethod::ClientSecretBasic, &[], &[]).await;
    let (browser, _) = console_session(&app, "root").await;

    // The API's page offers the application by name and the API's scopes as boxes.
    let api_url = app.url(&format!("/admin/apis/{}", api.id));
    let page = browser.get(&api_url).await;
    assert!(
        page.body.contains(&format!("<option value=\"{robot}\">test m2m client</option>")),
        "{}",
        page.body
    );
    assert!(page.body.contains("name=\"grant_scopes\" value=\"todo:read\""));
    let csrf = form_field(&page.body, "csrf").unwrap();
    let grant =
        [("csrf", csrf.as_str()), ("client_id", robot.as_str()), ("grant_scopes", "todo:read")];
    let granted = browser.post_form(&format!("{api_url}/grants"), &grant).await;
    assert_eq!(granted.status, 303, "Post/Redirect/Get: {}", granted.body);
    let granted = browser.get(&keygate_testkit::location(&granted)).await;
    assert!(granted.body.contains(">test m2m client</a>"), "the grant is listed by name");

    // The application's page shows the same grant, ticked.
    let app_url = app.url(&format!("/admin/applications/{robot}"));
    let page = browser.get(&app_url).await;
    let body = page.body.replace("&#x2f;", "/");
    assert!(body.contains(&format!("name=\"resources\" value=\"{TODO}\" checked")), "{body}");
    assert!(body.contains("name=\"scopes\" value=\"todo:read\" checked"), "{body}");
    assert!(body.contains("name=\"scopes\" value=\"todo:write\">"), "not granted, not ticked");

    // Ticking write there grants it on the API too; unticking the API withdraws the grant,
    // which stays a grant (the API's page can still withdraw it).
    let csrf = form_field(&page.body, "csrf").unwrap();
    let save = |ticks: Vec<(&'static str, &'static str)>| {
        let mut form = vec![
            ("csrf", csrf.clone()),
            ("name", "test m2m client".to_owned()),
            ("access", "1".to_owned()),
        ];
        form.push(("grant_types", "client_credentials".to_owned()));
        form.push(("auth_method", "client_secret_basic".to_owned()));
        form.extend(ticks.into_iter().map(|(k, v)| (k, v.to_owned())));
        form
    };
    assert!(body.contains(&format!("name=\"shown_grant\" value=\"{TODO}\"")), "{body}");
    let ticks = vec![
        ("resources", TODO),
        ("shown_grant", TODO),
        ("scopes", "todo:read"),
        ("scopes", "todo:write"),
    ];
    let form = save(ticks);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = browser.post_form(&app_url, &form).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let stored = app.admin().api(&api.id).await.unwrap();
    assert_eq!(stored.client_grants[&robot], ["todo:read", "todo:write"]);
    let client = app.admin().client(&robot).await.unwrap();
    assert!(client.resources.is_empty() && client.scopes.is_empty(), "a grant stays a grant");

    // A page loaded before a grant was made leaves that grant alone.
    let form = save(vec![]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    assert_eq!(browser.post_form(&app_url, &form).await.status, 200);
    assert!(app.admin().api(&api.id).await.unwrap().client_grants.contains_key(&robot));

    let form = save(vec![("shown_grant", TODO), ("scopes", "todo:write")]);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = browser.post_form(&app_url, &form).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    assert!(!app.admin().api(&api.id).await.unwrap().client_grants.contains_key(&robot));
    let client = app.admin().client(&robot).await.unwrap();
    assert!(client.resources.is_empty() && client.scopes.is_empty(), "{client:?}");

    // A scope that exists nowhere, kept from before, is shown and refused at the section.
    let legacy = form_field(&browser.get(&app_url).await.body, "csrf").unwrap();
    let form = [
        ("csrf", legacy.as_str()),
        ("name", "test m2m client"),
        ("access", "1"),
        ("grant_types", "client_credentials"),
        ("auth_method", "client_secret_basic"),
        ("scopes", "made:up"),
    ];
    let refused = browser.post_form(&app_url, &form).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"e-access\""), "{}", refused.body);
}

#[tokio::test]
async fn rfc9396_an_api_page_shows_and_edits_its_types_and_actions() {
    let app = TestApp::spawn().await;
    let api = todo_api(&app).await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let url = app.url(&format!("/admin/apis/{}", api.id));
    let csrf = form_field(&browser.get(&url).await.body, "csrf").unwrap();
    let types = "list_access Lists you keep\n  read See the list\n  share Share it with others";
    let scopes = "todo:read Read your lists\ntodo:write Change them";
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "To-do"),
        ("identifier", TODO),
        ("scopes", scopes),
        ("details_types", types),
    ];
    let saved = browser.post_form(&url, &form).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let stored = app.admin().api(&api.id).await.unwrap();
    assert_eq!(stored.authorization_details_types.len(), 1);
    let t = &stored.authorization_details_types[0];
    assert_eq!((t.name.as_str(), t.description.as_str()), ("list_access", "Lists you keep"));
    let actions: Vec<&str> = t.actions.iter().map(|a| a.name.as_str()).collect();
    assert_eq!(actions, ["read", "share"]);
    let page = browser.get(&url).await;
    assert!(page.body.contains("list_access Lists you keep\n  read See the list"), "{}", page.body);

    let bad = [
        ("csrf", csrf.as_str()),
        ("name", "To-do"),
        ("identifier", TODO),
        ("scopes", scopes),
        ("details_types", "  orphan Has no type\nlonely"),
    ];
    let refused = browser.post_form(&url, &bad).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("id=\"e-details_types\""), "{}", refused.body);
    assert!(
        refused.body.contains("comes before any type")
            && refused.body.contains("needs a description")
    );
    assert_eq!(app.admin().api(&api.id).await.unwrap().authorization_details_types.len(), 1);
}

#[tokio::test]
async fn rfc7523_an_application_page_takes_its_public_keys_inline_and_refuses_private_ones() {
    let app = TestApp::spawn().await;
    admin_user(&app, "root").await;
    let (id, _) = app.client_with(ClientType::M2m, AuthMethod::ClientSecretBasic, &[], &[]).await;
    let (browser, _) = console_session(&app, "root").await;
    let url = app.url(&format!("/admin/applications/{id}"));
    let csrf = form_field(&browser.get(&url).await.body, "csrf").unwrap();
    let public = r#"{"keys":[{"kty":"EC","crv":"P-256","x":"f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU","y":"x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0","kid":"k1"}]}"#;
    let private = public.replace(
        r#""kid":"k1""#,
        r#""kid":"k1","d":"jpsQnnGQmL-YBIffH1136cspYG6-0iY7X1fCE9-E9LI""#,
    );
    let save = |jwks: String| {
        [
            ("csrf", csrf.clone()),
            ("name", "Robot".into()),
            ("grant_types", "client_credentials".into()),
            ("auth_method", "private_key_jwt".into()),
            ("jwks", jwks),
        ]
    };
    let form = save("not json".into());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = browser.post_form(&url, &form).await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.body.contains("id=\"e-jwks\"") && refused.body.contains("not JSON"),
        "{}",
        refused.body
    );
    let form = save(private);
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let refused = browser.post_form(&url, &form).await;
    assert_eq!(refused.status, 422);
    assert!(refused.body.contains("private or secret key"), "{}", refused.body);
    let form = save(public.into());
    let form: Vec<(&str, &str)> = form.iter().map(|(k, v)| (*k, v.as_str())).collect();
    let saved = browser.post_form(&url, &form).await;
    assert_eq!(saved.status, 200, "{}", saved.body);
    let client = app.admin().client(&id).await.unwrap();
    assert_eq!(client.auth_method, AuthMethod::PrivateKeyJwt);
    assert_eq!(client.metadata.jwks.unwrap()["keys"][0]["kid"], "k1");
}

#[tokio::test]
async fn the_api_page_opens_an_api_to_any_application() {
    let app = TestApp::spawn().await;
    let api = todo_api(&app).await;
    admin_user(&app, "root").await;
    let (browser, _) = console_session(&app, "root").await;
    let api_url = app.url(&format!("/admin/apis/{}", api.id));
    let page = browser.get(&api_url).await;
    assert!(page.body.contains("name=\"open\" value=\"yes\">"), "closed at first");
    let csrf = form_field(&page.body, "csrf").unwrap();
    let scopes = "todo:read Read your to-dos\ntodo:write Change your to-dos";
    let form = [
        ("csrf", csrf.as_str()),
        ("name", "To-do"),
        ("identifier", TODO),
        ("scopes", scopes),
        ("open", "yes"),
    ];
    let saved = browser.post_form(&api_url, &form).await;
    assert!(saved.body.contains("name=\"open\" value=\"yes\" checked"), "{}", saved.body);
    assert!(app.admin().api(&api.id).await.unwrap().open);
}

#[tokio::test]
async fn an_apis_scope_words_are_translated_on_its_console_page_and_a_stray_translation_is_named() {
    let app = TestApp::spawn().await;
    crate::console::admin_user(&app, "root").await;
    let (browser, _) = crate::console::console_session(&app, "root").await;
    let spec = keygate_core::api::ApiSpec {
        identifier: Some("https://todo.example/".into()),
        name: Some("To-do".into()),
        scopes: Some(vec![ApiScope::new("todo:read", "Read your to-dos")]),
        ..Default::default()
    };
    let api = app.admin().create_api(spec).await.expect("api");
    let url = app.url(&format!("/admin/apis/{}", api.id));
    let page = browser.get(&url).await;
    let csrf = keygate_testkit::form_field(&page.body, "csrf").expect("csrf");
    let post = |scopes: &'static str| {
        let form = [
            ("csrf", csrf.as_str()),
            ("name", "To-do"),
            ("identifier", "https://todo.example/"),
            ("scopes", scopes),
        ];
        let (browser, url) = (&browser, &url);
        async move { browser.post_form(url, &form).await }
    };
    let reply =
        post("todo:read Read your to-dos\ntodo:read@de Ihre Aufgaben lesen\ntodo:write@fr Écrire")
            .await;
    assert_eq!(reply.status, 422, "{}", reply.body);
    assert!(reply.body.contains("todo:write@fr") && reply.body.contains("not defined"));
    let reply = post("todo:read Read your to-dos\ntodo:read@de Ihre Aufgaben lesen").await;
    assert!(reply.status.is_success() || reply.status.is_redirection(), "{}", reply.body);
    let stored = app.admin().api(&api.id).await.expect("api");
    assert_eq!(stored.scopes[0].description_in("de"), "Ihre Aufgaben lesen");
    let page = browser.get(&url).await;
    assert!(page.body.contains("todo:read@de Ihre Aufgaben lesen"), "{}", page.body);
}
