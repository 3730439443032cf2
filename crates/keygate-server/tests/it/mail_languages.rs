//! Emails in the user's language: the user's `locale` claim (OIDC Core §5.1) when Keygate
//! speaks it, else the language the user's own request asks for (the language picked on a
//! page, then `Accept-Language`; never an administrator's), else English; right to left for
//! Arabic.

use keygate_core::admin::UserSpec;
use keygate_testkit::{Backend, Browser, SmtpSink, TestApp, form_field};

async fn ask_reset(app: &TestApp, browser: &Browser, address: &str) {
    let page = browser.get(&app.url("/forgot")).await;
    let csrf = form_field(&page.body, "csrf").expect("csrf");
    let answer =
        browser.post_form(&app.url("/forgot"), &[("csrf", &csrf), ("address", address)]).await;
    assert_eq!(answer.status, 200, "{}", answer.body);
}

#[tokio::test]
async fn oidc_core_5_1_an_email_speaks_the_users_locale_else_the_requests_language() {
    let sink = SmtpSink::start().await;
    let Some(app) =
        TestApp::spawn_with_mail(Backend::Sqlite, &sink, |s| s.mail.reset_max_per_address = 10)
            .await
    else {
        return;
    };
    let ada = app.user("ada").await;
    let to = "ada@example.com";

    // No locale: the language the browser asks for.
    ask_reset(&app, &Browser::speaking(Some("fr-CH, fr;q=0.9, en;q=0.5")), to).await;
    let mail = sink.nth_to(to, 1).await;
    let text = mail.text();
    assert!(text.contains("réinitialiser le mot de passe de votre compte"), "{text}");
    assert!(text.contains("dans les 30 minutes"), "{text}");
    assert!(mail.html().contains(r#"<html lang="fr" dir="ltr">"#), "{}", mail.html());
    assert!(mail.link(&app.url("/reset?token=")).is_some(), "the link survives: {text}");

    // A language picked on the page wins over Accept-Language.
    let browser = Browser::speaking(Some("fr"));
    browser.get(&app.url("/language?lang=de&back=/forgot")).await;
    ask_reset(&app, &browser, to).await;
    let text = sink.nth_to(to, 2).await.text();
    assert!(text.contains("Hallo ada,") && text.contains("innerhalb von 30 Minuten"), "{text}");

    // The user's locale wins over the request: Arabic, right to left.
    let claims = serde_json::json!({"locale": "ar-EG"});
    let spec = UserSpec { claims: claims.as_object().cloned(), ..Default::default() };
    app.admin().update_user(&ada.id, spec).await.expect("locale");
    ask_reset(&app, &Browser::speaking(Some("en")), to).await;
    let mail = sink.nth_to(to, 3).await;
    assert!(mail.html().contains(r#"<html lang="ar" dir="rtl">"#), "{}", mail.html());
    assert!(mail.text().contains("اختر كلمة مرور جديدة") || mail.text().contains("كلمة مرور"));

    // A language Keygate does not speak, from nowhere: English.
    let claims = serde_json::json!({"locale": "tlh"});
    let spec = UserSpec { claims: claims.as_object().cloned(), ..Default::default() };
    app.admin().update_user(&ada.id, spec).await.expect("locale");
    ask_reset(&app, &Browser::new(), to).await;
    let text = sink.nth_to(to, 4).await.text();
    assert!(text.starts_with("Hello ada,") && text.contains("within 30 minutes"), "{text}");
}

/// A link an administrator sends (console, admin API or CLI alike) speaks the user's `locale`,
/// else English: the administrator's own language says nothing about the user's.
#[tokio::test]
async fn oidc_core_5_1_a_link_an_administrator_sends_never_speaks_the_administrators_language() {
    let sink = SmtpSink::start().await;
    let Some(app) = TestApp::spawn_with_mail(Backend::Sqlite, &sink, |_| {}).await else {
        return;
    };
    let ada = app.user("ada").await;
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let german = [("accept-language", "de")];
    let post = reqwest::Method::POST;
    let path = format!("/users/{}/reset-link", ada.id);
    let sent = app.admin_call(post.clone(), &path, Some(&token), None, &german).await;
    assert_eq!(sent.status, 202, "{}", sent.body);
    let text = sink.nth_to("ada@example.com", 1).await.text();
    assert!(text.starts_with("Hello ada,"), "{text}");

    let claims = serde_json::json!({"locale": "fr"});
    let spec = UserSpec { claims: claims.as_object().cloned(), ..Default::default() };
    app.admin().update_user(&ada.id, spec).await.expect("locale");
    let sent = app.admin_call(post, &path, Some(&token), None, &german).await;
    assert_eq!(sent.status, 202, "{}", sent.body);
    let text = sink.nth_to("ada@example.com", 2).await.text();
    assert!(text.contains("dans les 30 minutes"), "the user's own language: {text}");
}
