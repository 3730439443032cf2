//! Behind a reverse proxy: `Forwarded` (RFC 7239) and `X-Forwarded-For` give the client's
//! address only when the TCP peer is a trusted proxy; otherwise they are ignored, so that a
//! client cannot pick the address the login throttle counts against.

use keygate_server::serving::{ForwardedHeader, Serving, TrustedProxies};
use keygate_testkit::{Browser, Serve, TestApp, form_field, location, pkce};
use reqwest::Method;

/// A server trusting `trusted` (setting `X-Forwarded-For`), pausing sign-in after 3 failures
/// from one address.
async fn app_trusting(trusted: &[&str]) -> TestApp {
    app_trusting_via(trusted, ForwardedHeader::XForwardedFor).await
}

/// [`app_trusting`] with proxies that set `header`.
async fn app_trusting_via(trusted: &[&str], header: ForwardedHeader) -> TestApp {
    let trusted: Vec<String> = trusted.iter().map(|t| (*t).to_owned()).collect();
    let proxies = TrustedProxies::parse(&trusted).unwrap().with_header(header);
    let serving = Serving { trusted_proxies: proxies, ..Default::default() };
    TestApp::spawn_serving(Serve { serving, ..Default::default() }, |s| {
        s.login_max_failures_per_ip = 3;
        s.login_max_failures_per_account = 100;
    })
    .await
}

/// The login page of a fresh authorization request.
async fn login_page(app: &TestApp, browser: &Browser) -> String {
    let client = app.web_client(&["openid"]).await;
    let (_, challenge) = pkce();
    location(&browser.get(&app.authorize_url(&client, "openid", &challenge, &[])).await)
}

/// A failed sign-in sent with `header: value`; returns the status (429 once throttled).
async fn wrong_password(
    app: &TestApp,
    browser: &Browser,
    login: &str,
    header: (&str, &str),
) -> u16 {
    let page = browser.get(login).await;
    let req = form_field(&page.body, "req").unwrap();
    let csrf = form_field(&page.body, "csrf").unwrap();
    let form = [("req", req.as_str()), ("csrf", &csrf), ("username", "ada"), ("password", "no")];
    let sent = browser.http.post(app.url("/login")).header(header.0, header.1).form(&form);
    sent.send().await.unwrap().status().as_u16()
}

#[tokio::test]
async fn rfc7239_throttling_counts_the_forwarded_address_from_a_trusted_proxy() {
    let app = app_trusting(&["127.0.0.1"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    let from = |ip: &'static str| ("x-forwarded-for", ip);
    for _ in 0..3 {
        assert_eq!(wrong_password(&app, &browser, &login, from("198.51.100.1")).await, 200);
    }
    assert_eq!(wrong_password(&app, &browser, &login, from("198.51.100.1")).await, 429);
    assert_eq!(
        wrong_password(&app, &browser, &login, from("198.51.100.2")).await,
        200,
        "another client behind the same proxy is not throttled"
    );
}

#[tokio::test]
async fn a_client_sent_header_other_than_the_configured_one_cannot_pick_the_address() {
    // The proxy sets X-Forwarded-For and passes the client's own Forwarded/X-Real-IP through.
    let app = app_trusting(&["127.0.0.1"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    let spoofs = [
        ("forwarded", "for=198.51.100.1"),
        ("x-real-ip", "198.51.100.2"),
        ("forwarded", "for=198.51.100.3"),
    ];
    for spoof in spoofs {
        assert_eq!(wrong_password(&app, &browser, &login, spoof).await, 200);
    }
    let status = wrong_password(&app, &browser, &login, ("forwarded", "for=198.51.100.4")).await;
    assert_eq!(status, 429, "all counted against the proxy-vouched address");
}

#[tokio::test]
async fn rfc7239_4_a_proxy_that_sets_forwarded_is_read_through_forwarded_only() {
    let app = app_trusting_via(&["127.0.0.1"], ForwardedHeader::Forwarded).await;
    app.user("ada").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    let forwarded = ("forwarded", "for=\"198.51.100.1:4711\";proto=https");
    for _ in 0..3 {
        assert_eq!(wrong_password(&app, &browser, &login, forwarded).await, 200);
    }
    assert_eq!(wrong_password(&app, &browser, &login, forwarded).await, 429, "RFC 7239 form");
    let xff = ("x-forwarded-for", "198.51.100.1");
    assert_eq!(
        wrong_password(&app, &browser, &login, xff).await,
        200,
        "X-Forwarded-For is not read"
    );
}

#[tokio::test]
async fn forwarded_headers_from_an_untrusted_peer_are_ignored() {
    // Only 10.0.0.0/8 is trusted; the test connects from 127.0.0.1.
    let app = app_trusting(&["10.0.0.0/8"]).await;
    app.user("ada").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    for ip in ["198.51.100.1", "198.51.100.2", "198.51.100.3"] {
        assert_eq!(wrong_password(&app, &browser, &login, ("x-forwarded-for", ip)).await, 200);
    }
    let status = wrong_password(&app, &browser, &login, ("x-forwarded-for", "198.51.100.4")).await;
    assert_eq!(status, 429, "every attempt counted against the real peer, 127.0.0.1");
    let status = wrong_password(&app, &browser, &login, ("forwarded", "for=198.51.100.5")).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn no_proxy_is_trusted_by_default() {
    let app = TestApp::spawn_with(keygate_testkit::Backend::Sqlite, |s| {
        s.login_max_failures_per_ip = 2;
        s.login_max_failures_per_account = 100;
    })
    .await
    .unwrap();
    app.user("ada").await;
    let browser = Browser::new();
    let login = login_page(&app, &browser).await;
    for ip in ["198.51.100.1", "198.51.100.2"] {
        assert_eq!(wrong_password(&app, &browser, &login, ("x-forwarded-for", ip)).await, 200);
    }
    let status = wrong_password(&app, &browser, &login, ("x-forwarded-for", "198.51.100.3")).await;
    assert_eq!(status, 429);
}

#[tokio::test]
async fn the_audit_log_records_the_forwarded_address_from_a_trusted_proxy() {
    let app = app_trusting_via(&["127.0.0.0/8"], ForwardedHeader::Forwarded).await;
    let token = app.admin_token(&["admin:read", "admin:write"]).await;
    let body = serde_json::json!({"application_type": "m2m", "client_name": "Via proxy"});
    let header = [("forwarded", "for=192.0.2.60;proto=https, for=127.0.0.1")];
    let made = app.admin_call(Method::POST, "/clients", Some(&token), Some(&body), &header).await;
    assert!(made.status.is_success(), "{}", made.body);
    let log = app.admin_call(Method::GET, "/audit?limit=1", Some(&token), None, &[]).await;
    let log = log.json();
    assert_eq!(log["items"][0]["action"], "client.create");
    assert_eq!(log["items"][0]["ip"], "192.0.2.60");
}
