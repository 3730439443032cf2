//! RFC 8628 device flow: the library polls as §3.5 says while a test plays the user on
//! Keygate's `/device` page.

use std::time::Duration;

use keygate_client::{DeviceAuthorization, Error, PollEvent};
use keygate_testkit::{Browser, PASSWORD, TestApp, form_field, location};

use crate::support::{SCOPE, client_for, setup};

/// The user, in a browser: opens `verification_uri`, types the code, signs in as `ada`, and
/// answers the consent page (which shows the code, RFC 8628 §5.4) with `decision`.
pub async fn user_decides(app: &TestApp, device: &DeviceAuthorization, decision: &str) {
    let browser = Browser::new();
    let page = browser.get(&device.verification_uri).await;
    assert_eq!(page.status, 200);
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [("csrf", csrf.as_str()), ("user_code", device.user_code.as_str())];
    let login = location(&browser.post_form(&app.url("/device"), &form).await);
    let consent = location(&app.submit_login(&browser, &login, "ada", PASSWORD).await);
    let page = browser.get(&consent).await;
    assert!(page.body.contains(&device.user_code), "the consent page shows the code");
    let done = app.submit_consent(&browser, &consent, decision).await;
    assert_eq!(done.status, 200, "{}", done.body);
}

#[tokio::test]
async fn rfc8628_3_4_device_flow_completes_when_the_user_approves() {
    let (app, _registered, _client, mut clock) = setup().await;
    // Each poll waits 100 ms of real time (and 5 s of Keygate's), so the user has time to act.
    clock.pause = Duration::from_millis(100);
    let client = client_for(&app, &_registered.id, &clock).await;
    let device = client.start_device_authorization(SCOPE, &[]).await.unwrap();
    assert_eq!(device.verification_uri, app.url("/device"));
    assert_eq!(device.interval, Some(5));
    let polling = {
        let (client, device) = (client.clone(), device.clone());
        tokio::spawn(async move {
            let mut events = Vec::new();
            let tokens = client.poll_device_authorization_with(&device, |e| events.push(e)).await;
            (tokens, events)
        })
    };
    // Let it poll at least once before the user finishes.
    while clock.slept().len() < 2 {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    user_decides(&app, &device, "allow").await;
    let (tokens, events) = polling.await.unwrap();
    let tokens = tokens.unwrap();
    assert!(events.contains(&PollEvent::Pending), "{events:?}");
    assert!(!events.iter().any(|e| matches!(e, PollEvent::SlowDown(_))), "{events:?}");
    assert!(clock.slept().iter().all(|s| *s == 5), "polled every 5 s: {:?}", clock.slept());
    assert!(tokens.refresh_token.is_some());
    let claims = tokens.claims.clone().unwrap();
    assert_eq!(claims.iss, app.issuer);
    let userinfo = client.userinfo(&tokens).await.unwrap();
    assert_eq!(userinfo["preferred_username"], "ada");
}

#[tokio::test]
async fn rfc8628_3_5_slow_down_adds_five_seconds_and_expiry_stops_polling() {
    let (app, registered, _client, mut clock) = setup().await;
    // A clock that wakes one second early: every poll comes too soon.
    clock.shortfall = 1;
    let client = client_for(&app, &registered.id, &clock).await;
    let device = client.start_device_authorization(SCOPE, &[]).await.unwrap();
    let mut events = Vec::new();
    let err = client.poll_device_authorization_with(&device, |e| events.push(e)).await.unwrap_err();
    assert!(matches!(err, Error::TimedOut(_)), "{err}");
    assert!(err.to_string().contains("expired"), "{err}");
    let slept = clock.slept();
    // The first poll is pending; each early one after it is slow_down, 5 s more each time.
    assert_eq!(&slept[..4], &[5, 5, 10, 15], "{slept:?}");
    assert_eq!(
        &events[..3],
        &[PollEvent::Pending, PollEvent::SlowDown(10), PollEvent::SlowDown(15)]
    );
    let waited: u64 = slept.iter().map(|s| s - 1).sum();
    assert!(waited < 600, "no poll after expires_in: {slept:?}");
}

#[tokio::test]
async fn rfc8628_3_5_access_denied_stops_polling() {
    let (app, _registered, client, clock) = setup().await;
    let device = client.start_device_authorization(SCOPE, &[]).await.unwrap();
    user_decides(&app, &device, "deny").await;
    let err = client.poll_device_authorization(&device).await.unwrap_err();
    assert!(matches!(err, Error::AccessDenied(_)), "{err}");
    assert_eq!(clock.slept(), vec![5], "one poll, after the interval");
}

#[tokio::test]
async fn rfc8628_3_2_expired_codes_are_not_polled() {
    let (app, _registered, client, clock) = setup().await;
    let device = client.start_device_authorization(SCOPE, &[]).await.unwrap();
    app.clock.advance(600);
    let err = client.poll_device_authorization(&device).await.unwrap_err();
    assert!(matches!(err, Error::TimedOut(_)), "{err}");
    assert!(clock.slept().is_empty());
}

#[tokio::test]
async fn rfc8628_3_1_client_without_the_grant_is_refused() {
    let app = TestApp::spawn().await;
    let scopes = ["openid"];
    let registered = app
        .user_client(
            keygate_core::client::ClientType::Native,
            keygate_core::client::AuthMethod::None,
            &scopes,
            false,
        )
        .await;
    let clock = crate::support::TestClock::new(&app);
    let client = client_for(&app, &registered.id, &clock).await;
    let err = client.start_device_authorization("openid", &[]).await.unwrap_err();
    assert_eq!(
        err.oauth_code(),
        Some(keygate_client::error::ErrorCode::UnauthorizedClient),
        "{err}"
    );
}
