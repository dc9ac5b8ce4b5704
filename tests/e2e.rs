//! End-to-end tests of the real app window: tauri-driver + WebKitWebDriver under Xvfb, driven
//! with fantoccini. They need a display and the drivers, so they are `#[ignore]`d for a plain
//! `cargo test`; the README test command runs them with `--ignored` under xvfb-run.

mod support;

use fantoccini::Locator;
use support::AppSession;

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn window_shows_the_product_and_round_trips_validation_through_rust() {
    let app = AppSession::launch().await;
    let c = &app.client;

    let title = c.wait().for_element(Locator::Css("h1#title")).await.unwrap();
    assert_eq!(title.text().await.unwrap(), "Push3 Desk");

    // The version comes from Rust's app_info command, so its presence proves IPC works at all.
    let version = app.text_of("#version").await;
    assert_eq!(version, format!("v{}", env!("CARGO_PKG_VERSION")));

    let input = c.find(Locator::Css("#address")).await.unwrap();
    input.send_keys("350000900").await.unwrap();
    c.find(Locator::Css("#check-address")).await.unwrap().click().await.unwrap();
    assert_eq!(app.text_of("#address-result").await, "Will be sent as 000350000900");

    input.clear().await.unwrap();
    input.send_keys("12x").await.unwrap();
    c.find(Locator::Css("#check-address")).await.unwrap().click().await.unwrap();
    let error = app.text_of("#address-error").await;
    assert!(error.starts_with("target_id: \"12x\" is not allowed"), "{error}");

    app.screenshot("shell").await;
    app.close().await;
}
