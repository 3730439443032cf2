//! The single-page app in headless Chromium: sign in, to-dos across origins, refresh with
//! rotation, sign out.

use keygate_testkit::WebDriver;

use crate::setup;
use crate::todo_support::{add_todo, allow_on_keygate};

#[tokio::test]
async fn chromium_signs_in_keeps_todos_across_refreshes_and_signs_out() {
    let Some(driver) = WebDriver::start().await else { return };
    let s = setup().await;
    driver.goto(&s.url("/")).await;
    driver.wait_for_element("#signed-out-view:not([hidden])").await;
    driver.screenshot("spa-home").await;
    driver.click("#signin").await;
    allow_on_keygate(&driver, "ada", "spa-consent").await;
    driver.wait_for_element("#signed-in-view:not([hidden])").await;
    assert_eq!(driver.text("#user-name").await, "ada Example", "{}", driver.source().await);
    assert_eq!(driver.url().await, s.url("/"), "the code left the address bar");

    add_todo(&driver, "Buy milk", 1).await;
    // An hour later todo-api refuses the token: the page refreshes it (rotation) and retries.
    s.app.clock.advance(3601);
    add_todo(&driver, "Walk the dog", 2).await;
    // Once more: this works only if the page kept the rotated refresh token, since Keygate
    // revokes the grant when a spent one comes back.
    s.app.clock.advance(3601);
    add_todo(&driver, "Water the plants", 3).await;
    driver.screenshot("spa-todos").await;

    driver.click("#signout").await;
    driver.wait_for_element("#status:not([hidden])").await;
    assert_eq!(driver.text("#status").await, "You have signed out.");
    assert_eq!(driver.url().await, s.url("/"));
    driver.screenshot("spa-signed-out").await;
    driver.click("#signin").await;
    driver.wait_for_url(|u| u.contains("/login?")).await;
    assert!(driver.source().await.contains("password"), "Keygate asks to sign in again");
}
