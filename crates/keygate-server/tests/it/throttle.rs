//! Sign-in throttling: per resolved account and per client address, counted atomically before
//! any password is hashed, on SQLite and PostgreSQL.

use keygate_core::login::LoginFailure;
use keygate_core::secret::Secret;
use keygate_core::signin_log::Attempt;
use keygate_testkit::{Backend, PASSWORD, TestApp};

async fn attempt(app: &TestApp, login: &str, password: &str, ip: &str) -> Result<(), LoginFailure> {
    let from = Attempt { ip: Some(ip), ..Attempt::default() };
    let outcome = app.provider.password_login(login, Secret::new(password), &from).await;
    outcome.expect("no server error").map(|_| ())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forty_concurrent_wrong_passwords_check_at_most_the_limit() {
    for backend in [Backend::Sqlite, Backend::Postgres] {
        let Some(app) = TestApp::spawn_on(backend).await else { continue };
        app.user("victim").await;
        let limit = app.provider.settings().login_max_failures_per_account;
        let mut tries = tokio::task::JoinSet::new();
        for i in 0..40 {
            let (provider, ip) = (app.provider.clone(), format!("192.0.2.{i}"));
            tries.spawn(async move {
                let password = Secret::new("wrong password");
                let from = Attempt { ip: Some(&ip), ..Attempt::default() };
                let outcome = provider.password_login("victim", password, &from).await;
                outcome.expect("no server error").map(|_| ())
            });
        }
        let outcomes = tries.join_all().await;
        let checked =
            outcomes.iter().filter(|o| **o == Err(LoginFailure::InvalidCredentials)).count();
        let throttled = outcomes.iter().filter(|o| **o == Err(LoginFailure::Throttled)).count();
        assert_eq!(checked as i64, limit, "{backend:?}: only the limit's worth were checked");
        assert_eq!(checked + throttled, 40);
        let right = attempt(&app, "victim", PASSWORD, "198.51.100.1").await;
        assert_eq!(right, Err(LoginFailure::Throttled), "the account stays paused");
    }
}

#[tokio::test]
async fn failures_count_per_account_whatever_identifier_is_typed() {
    let app = TestApp::spawn().await;
    let victim = app.user("victim").await;
    let limit = app.provider.settings().login_max_failures_per_account;
    let names = ["victim", "VICTIM", "victim@example.com", victim.id.as_str()];
    for i in 0..limit {
        let name = names[i as usize % names.len()];
        assert_eq!(
            attempt(&app, name, "wrong", "192.0.2.1").await,
            Err(LoginFailure::InvalidCredentials)
        );
    }
    for name in names {
        assert_eq!(attempt(&app, name, PASSWORD, "192.0.2.2").await, Err(LoginFailure::Throttled));
    }
}

#[tokio::test]
async fn a_successful_sign_in_does_not_use_up_the_address_allowance() {
    let app = TestApp::spawn().await;
    app.user("ada").await;
    let limit = app.provider.settings().login_max_failures_per_ip;
    for _ in 0..limit + 5 {
        assert_eq!(attempt(&app, "ada", PASSWORD, "203.0.113.7").await, Ok(()));
    }
}

#[tokio::test]
async fn a_disabled_account_is_named_only_after_the_right_password() {
    let app = TestApp::spawn().await;
    app.user("ada").await;
    app.admin().set_disabled("ada", true).await.unwrap();
    let wrong = attempt(&app, "ada", "wrong password", "192.0.2.9").await;
    assert_eq!(wrong, Err(LoginFailure::InvalidCredentials), "nothing told without the password");
    assert_eq!(attempt(&app, "ada", PASSWORD, "192.0.2.9").await, Err(LoginFailure::Disabled));
    // On the login page, in words.
    let client = app.web_client(&["openid"]).await;
    let browser = keygate_testkit::Browser::new();
    let (_, challenge) = keygate_testkit::pkce();
    let to_login = browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await;
    let page = browser.get(&keygate_testkit::location(&to_login)).await;
    let field = |name| keygate_testkit::form_field(&page.body, name).unwrap();
    let (req, csrf) = (field("req"), field("csrf"));
    let form = [
        ("req", req.as_str()),
        ("csrf", csrf.as_str()),
        ("username", "ada"),
        ("password", PASSWORD),
    ];
    let reply = browser.post_form(&app.url("/login"), &form).await;
    assert_eq!(reply.status, 403);
    assert!(reply.body.contains("This account is disabled"), "{}", reply.body);
}
