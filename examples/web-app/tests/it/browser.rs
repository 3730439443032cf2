//! The web app in headless Chromium: sign in, profile, to-dos, refresh, sign out.

use keygate_testkit::WebDriver;

use crate::setup;
use crate::todo_support::{add_todo, allow_on_keygate};

#[tokio::test]
async fn chromium_signs_in_keeps_todos_and_signs_out() {
    let Some(driver) = WebDriver::start().await else { return };
    let s = setup().await;
    driver.goto(&s.url("/")).await;
    driver.screenshot("web-app-home").await;
    driver.click("#sign-in").await;
    allow_on_keygate(&driver, "ada", "web-app-consent").await;
    driver.wait_for_element("#user-name").await;
    assert_eq!(driver.text("#user-name").await, "ada Example");

    driver.click("nav a[href='/profile']").await;
    driver.wait_for_element("#claims").await;
    assert!(driver.text("#claims").await.contains("ada@example.com"));
    driver.screenshot("web-app-profile").await;

    driver.click("nav a[href='/todos']").await;
    driver.wait_for_element("#no-todos").await;
    add_todo(&driver, "Buy milk", 1).await;
    // An hour later the access token has expired: the app refreshes it on its own.
    s.advance(3601);
    add_todo(&driver, "Walk the dog", 2).await;
    driver.screenshot("web-app-todos").await;

    driver.click("#sign-out").await;
    driver.wait_for_element("#signed-out").await;
    assert!(driver.url().await.starts_with(&s.url("/?state=")), "back from Keygate");
    driver.screenshot("web-app-signed-out").await;
    driver.goto(&s.url("/todos")).await;
    driver.wait_for_url(|u| u.contains("/login?")).await;
    assert!(driver.source().await.contains("password"), "Keygate asks to sign in again");
}
