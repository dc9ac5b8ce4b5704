//! End-to-end journeys through the meter editors (Display, Time of use, Settings, Tariff data,
//! Advanced) of the real app window, against a simulator this process owns, each checking what
//! the simulated meter holds afterwards. Like tests/e2e.rs they are `#[ignore]`d for a plain
//! `cargo test`; `./x test` runs them under Xvfb with `--include-ignored`. Every tab is
//! screenshotted into target/e2e-shots.

mod support;

use fantoccini::key::Key;
use fantoccini::Locator;
use push3::undocumented::{Holiday, Period};
use push3_sim::{SimConfig, Simulator};
use std::time::Duration;
use support::{wait_for_text, AppSession};

const DEMO_URL_ENV: &str = "PUSH3_DESK_DEMO_URL";
const MAIN_PANEL: &str = "000350000900";
const WAREHOUSE_V3: &str = "000000030001";

async fn app_on(sim: &Simulator) -> AppSession {
    AppSession::launch(&[(DEMO_URL_ENV, sim.api_url())]).await
}

async fn open_tab(app: &AppSession, meter: &str, tab: &str) {
    app.click(&format!("[data-address='{meter}']")).await;
    app.click(&format!("#tab-{tab}")).await;
    app.client
        .wait()
        .for_element(Locator::Css(&format!("#panel-{tab}")))
        .await
        .unwrap();
}

/// Sends the plan open in the summary dialog and waits until every step has ended.
async fn send_plan(app: &AppSession) {
    app.click("#plan-send").await;
    app.wait_for_state(
        "#plan-commands li:last-child",
        &[
            "confirmed",
            "failed",
            "rejected",
            "unconfirmed",
            "error",
            "not_sent",
        ],
        Duration::from_secs(20),
    )
    .await;
}

fn sent(sim: &Simulator, command: &str) -> usize {
    sim.requests()
        .iter()
        .filter(|r| r.command() == Some(command))
        .count()
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_display_list_reordered_by_keyboard_and_buttons_is_what_the_meter_holds() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    open_tab(&app, MAIN_PANEL, "display").await;

    for item in ["kWh_Tot", "RMS_Volts_Ln_1", "Line_Freq", "Amps_Ln_1"] {
        app.click(&format!("button[data-add='{item}']")).await;
    }
    assert_eq!(app.text_of("#lcd-count").await, "4 of 40");
    // Line frequency to the top by keyboard: Alt+ArrowUp twice on its focused row.
    let row = app
        .client
        .find(Locator::Css("#lcd-chosen li[data-item='Line_Freq']"))
        .await
        .unwrap();
    row.click().await.unwrap();
    row.send_keys(&format!("{}{}", Key::Alt, Key::Up))
        .await
        .unwrap();
    let row = app
        .client
        .find(Locator::Css("#lcd-chosen li[data-item='Line_Freq']"))
        .await
        .unwrap();
    row.send_keys(&format!("{}{}", Key::Alt, Key::Up))
        .await
        .unwrap();
    // Total kWh to the bottom with its move-down button.
    for _ in 0..3 {
        app.click("#lcd-chosen li[data-item='kWh_Tot'] [data-move='down']")
            .await;
    }
    let order = chosen_order(&app).await;
    assert_eq!(
        order,
        ["Line_Freq", "RMS_Volts_Ln_1", "Amps_Ln_1", "kWh_Tot"]
    );
    app.screenshot("display").await;

    app.click("#lcd-review").await;
    assert!(app.text_of("#plan-commands").await.contains("SetLCD"));
    app.screenshot("display-plan").await;
    send_plan(&app).await;
    app.click("#plan-close").await;
    assert!(app.text_of("#lcd-status").await.contains("Confirmed"));
    assert_eq!(sim.meter(MAIN_PANEL).unwrap().lcd_items, order);
    assert_eq!(sent(&sim, "SetLCD"), 1);

    // The same list again is known to be on the meter, so nothing is sent.
    app.click("#lcd-review").await;
    assert!(app
        .text_of("#plan-nothing")
        .await
        .contains("nothing needs to be sent"));
    app.click("#plan-cancel").await;
    assert_eq!(sent(&sim, "SetLCD"), 1);
    app.close().await;
}

async fn chosen_order(app: &AppSession) -> Vec<String> {
    let mut order = Vec::new();
    for row in app
        .client
        .find_all(Locator::Css("#lcd-chosen li[data-item]"))
        .await
        .unwrap()
    {
        order.push(row.attr("data-item").await.unwrap().unwrap());
    }
    order
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn schedule_2_and_two_holidays_are_sent_alone_and_read_back_without_mismatch() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    open_tab(&app, MAIN_PANEL, "tou").await;

    app.click("#tou-read").await;
    app.client
        .wait()
        .for_element(Locator::Css("[data-timeline='6']"))
        .await
        .unwrap();
    // Wait for the read to fill the editor (the known state then holds the program).
    wait_for_text(&app, "#panel-tou", "Last read").await;

    app.click("[data-schedule='2']").await;
    let period = "[data-period='2']";
    if app
        .client
        .find(Locator::Css(&format!(
            "{period} [data-field='unused']:checked"
        )))
        .await
        .is_ok()
    {
        app.click(&format!("{period} [data-field='unused']")).await;
    }
    app.select(&format!("{period} [data-field='hour']"), "7")
        .await;
    app.select(&format!("{period} [data-field='minute']"), "30")
        .await;
    app.select(&format!("{period} [data-field='tariff']"), "3")
        .await;
    app.select("[data-holiday='1'] [data-field='month']", "12")
        .await;
    app.select("[data-holiday='1'] [data-field='day']", "25")
        .await;
    app.select("[data-holiday='2'] [data-field='month']", "7")
        .await;
    app.select("[data-holiday='2'] [data-field='day']", "4")
        .await;
    app.screenshot("tou").await;

    app.click("#tou-review").await;
    let plan = app.text_of("#plan-commands").await;
    assert!(
        plan.contains("SetSchedule") && plan.contains("SetHolidayDates"),
        "{plan}"
    );
    let planned = app
        .client
        .find_all(Locator::Css("#plan-commands li"))
        .await
        .unwrap()
        .len();
    assert_eq!(
        planned, 2,
        "only schedule 2 and the holidays changed: {plan}"
    );
    app.screenshot("tou-plan").await;
    send_plan(&app).await;
    app.click("#plan-close").await;

    // After the write the app reads back by itself and compares.
    wait_for_text(&app, "#tou-verify", "Verified").await;
    app.screenshot("tou-verified").await;
    assert_eq!(sent(&sim, "SetSchedule"), 1);
    assert_eq!(sent(&sim, "SetHolidayDates"), 1);
    assert_eq!(
        sent(&sim, "GetSchedules"),
        2,
        "the first read and the verification"
    );
    let meter = sim.meter(MAIN_PANEL).unwrap();
    assert_eq!(
        meter.schedules[1][1],
        Period {
            hour: 7,
            minute: 30,
            tariff: 3
        }
    );
    assert_eq!(meter.holidays[0], Holiday { month: 12, day: 25 });
    assert_eq!(meter.holidays[1], Holiday { month: 7, day: 4 });
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn settings_send_only_valid_values_and_an_out_of_range_ratio_sends_nothing() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    open_tab(&app, MAIN_PANEL, "settings").await;

    app.type_into("#settings-pulse-in-2", "0").await;
    app.click("#settings-review").await;
    let error = wait_for_text(
        &app,
        "#panel-settings",
        "Pulse input 2 ratio: 0 is not allowed",
    )
    .await;
    assert!(
        error.contains("1-9999") || error.contains("9999"),
        "{error}"
    );
    assert!(app.client.find(Locator::Css("#plan-send")).await.is_err());
    app.screenshot("settings-out-of-range").await;
    assert!(sim.requests().is_empty(), "nothing may reach the API");

    app.type_into("#settings-pulse-in-2", "250").await;
    app.select("#settings-ct", "5000").await;
    app.select("#settings-pulse-out", "32").await;
    app.click("#settings-review").await;
    let plan = app.text_of("#plan-commands").await;
    assert!(
        plan.contains("SetCTRatio") && plan.contains("SetPulseOutputRatio"),
        "{plan}"
    );
    app.screenshot("settings-plan").await;
    send_plan(&app).await;
    app.click("#plan-close").await;
    let meter = sim.meter(MAIN_PANEL).unwrap();
    assert_eq!(meter.ct_ratio, 5000);
    assert_eq!(meter.pulse_output_ratio, 32);
    assert_eq!(meter.pulse_input_ratios[1], 250);
    app.screenshot("settings").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn tariff_data_and_advanced_tabs_read_the_meter() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    open_tab(&app, MAIN_PANEL, "tariffs").await;
    app.click("#tariff-read").await;
    app.client
        .wait()
        .for_element(Locator::Css("#tariff-table"))
        .await
        .unwrap();
    app.client
        .wait()
        .for_element(Locator::Css("#tariff-chart"))
        .await
        .unwrap();
    app.screenshot("tariffs").await;
    assert_eq!(sent(&sim, "GetTariffData"), 1);

    app.click("#tab-advanced").await;
    app.screenshot("advanced-gate").await;
    app.click("#advanced-unlock").await;
    app.select("#advanced-command", "GetSchedules").await;
    app.click("#advanced-send").await;
    app.click("#advanced-confirm").await;
    app.client
        .wait()
        .for_element(Locator::Css("#advanced-result"))
        .await
        .unwrap();
    app.screenshot("advanced").await;
    assert_eq!(sent(&sim, "GetSchedules"), 1);
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_v3_meter_offers_only_what_v3_supports() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    app.click(&format!("[data-address='{WAREHOUSE_V3}']")).await;
    assert!(app
        .text_of("#v3-note")
        .await
        .contains("no controllable relays"));
    for tab in ["relays", "display"] {
        assert!(
            app.client
                .find(Locator::Css(&format!("#tab-{tab}")))
                .await
                .is_err(),
            "a V3 meter has no {tab} tab"
        );
    }
    open_tab(&app, WAREHOUSE_V3, "settings").await;
    app.screenshot("v3-settings").await;
    open_tab(&app, WAREHOUSE_V3, "tou").await;
    app.screenshot("v3-tou").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn every_tab_fits_the_smallest_window_in_the_dark_theme() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    // WebKitGTK answers prefers-color-scheme from the GTK theme.
    let app = AppSession::launch(&[
        (DEMO_URL_ENV, sim.api_url()),
        ("GTK_THEME", "Adwaita:dark".into()),
    ])
    .await;
    app.client.set_window_size(1024, 700).await.unwrap();
    let background = app
        .client
        .execute(
            "return getComputedStyle(document.documentElement).backgroundColor",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(background, "rgb(21, 24, 28)", "the dark theme's --bg");

    app.click(&format!("[data-address='{MAIN_PANEL}']")).await;
    for tab in [
        "relays", "display", "tou", "settings", "tariffs", "advanced",
    ] {
        app.click(&format!("#tab-{tab}")).await;
        app.client
            .wait()
            .for_element(Locator::Css(&format!("#panel-{tab}")))
            .await
            .unwrap();
        let overflow = app
            .client
            .execute(
                "const m = document.querySelector('main'); return [m.scrollWidth, m.clientWidth, window.innerWidth];",
                vec![],
            )
            .await
            .unwrap();
        let [scroll, client, inner] = [0, 1, 2].map(|i| overflow[i].as_i64().unwrap());
        assert!(inner <= 1024, "the window is {inner} px wide");
        if scroll > client {
            // Name the elements that stick out, so a failure says where to look.
            let culprits = app
                .client
                .execute(
                    "const right = document.querySelector('main').getBoundingClientRect().right;
                     return [...document.querySelectorAll('main *')]
                       .filter((e) => e.getBoundingClientRect().right > right + 1)
                       .filter((e) => ![...e.children].some((c) => c.getBoundingClientRect().right > right + 1))
                       .map((e) => e.tagName + '#' + e.id + '.' + e.className + ' ' + Math.round(e.getBoundingClientRect().right));",
                    vec![],
                )
                .await
                .unwrap();
            panic!("the {tab} tab overflows sideways: {scroll} px in {client} px: {culprits}");
        }
        app.screenshot(&format!("small-dark-{tab}")).await;
    }
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn an_lcd_template_applied_to_the_five_demo_meters_lands_on_every_meter_that_can_take_it() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    let items = ["kWh_Tot", "RMS_Volts_Ln_1", "Line_Freq"];

    preview_display_template(&app, &items, "Lobby display").await;
    app.screenshot("fleet-preview").await;
    app.click("#fleet-run").await;
    app.client
        .wait()
        .at_most(Duration::from_secs(30))
        .for_element(Locator::Css("#fleet-report"))
        .await
        .unwrap();
    app.screenshot("fleet-report").await;

    let state = |address: &'static str| {
        let app = &app;
        async move {
            app.wait_for_state(
                &format!("[data-job-meter='{address}']"),
                &["confirmed", "failed", "unconfirmed", "skipped", "stopped"],
                Duration::from_secs(20),
            )
            .await
        }
    };
    for address in ["000350000900", "000300004127", "000400012345"] {
        assert_eq!(state(address).await, "confirmed", "{address}");
        assert_eq!(sim.meter(address).unwrap().lcd_items, items, "{address}");
    }
    assert_eq!(
        state("000000030001").await,
        "skipped",
        "a V3 meter has no display list"
    );
    assert_eq!(
        state("000350001234").await,
        "failed",
        "its password is not the demo's"
    );
    assert_eq!(
        sent(&sim, "SetLCD"),
        4,
        "each meter that could take it, once"
    );

    app.click("#view-history").await;
    wait_for_text(&app, "#history-count", "4").await;
    app.screenshot("history").await;
    app.close().await;
}

/// Saves `items` as the Display template `name` from the main panel's editor, then previews it
/// on all five demo meters in Fleet (the V3 meter cannot take a display list).
async fn preview_display_template(app: &AppSession, items: &[&str], name: &str) {
    open_tab(app, MAIN_PANEL, "display").await;
    for item in items {
        app.click(&format!("button[data-add='{item}']")).await;
    }
    app.type_into("#panel-display [data-template-name-input]", name)
        .await;
    app.click("#lcd-save-template").await;
    wait_for_text(app, "#panel-display", "Saved").await;
    app.click("#view-fleet").await;
    app.click("#fleet-select-all").await;
    app.select("#fleet-template", name).await;
    app.click("#fleet-preview").await;
    wait_for_text(app, "body", "annot take").await;
}

/// The value of the select `css`, once the element is there.
async fn value_of(app: &AppSession, css: &str) -> String {
    let el = app.element(css).await;
    el.prop("value").await.unwrap().unwrap_or_default()
}

/// The Settings form is disabled until what is known of the meter has loaded.
async fn wait_for_settings_form(app: &AppSession) {
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    loop {
        let ct = app.client.find(Locator::Css("#settings-ct")).await;
        if let Ok(ct) = ct {
            if ct.is_enabled().await.unwrap_or(false) {
                return;
            }
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the settings form stays disabled"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn unsent_edits_survive_tab_and_meter_switches_and_a_crash_and_discard_empties_one() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let env = [(DEMO_URL_ENV, sim.api_url())];
    let app = AppSession::launch(&env).await;

    // An edit in each of three editors, none sent.
    open_tab(&app, MAIN_PANEL, "tou").await;
    app.select("#tou-weekend", "4").await;
    app.text_of("#tou-unsaved").await;
    app.click("#tab-display").await;
    app.click("button[data-add='kWh_Tot']").await;
    app.text_of("#tab-display-unsent").await;
    app.click("#tab-settings").await;
    wait_for_settings_form(&app).await;
    app.select("#settings-ct", "400").await;
    app.text_of("#settings-unsent").await;

    // Another meter, then back: every edit is there, and marked on its tab and in the sidebar.
    open_tab(&app, WAREHOUSE_V3, "tou").await;
    assert_eq!(
        value_of(&app, "#tou-weekend").await,
        "1",
        "the other meter's own program"
    );
    open_tab(&app, MAIN_PANEL, "tou").await;
    assert_eq!(value_of(&app, "#tou-weekend").await, "4");
    for tab in ["tou", "display", "settings"] {
        assert!(
            app.exists(&format!("#tab-{tab}-unsent")).await,
            "{tab} is marked"
        );
    }
    assert!(!app.exists("#tab-relays-unsent").await);
    assert!(
        app.exists(&format!("[data-unsent-for='{MAIN_PANEL}']"))
            .await
    );
    assert!(
        !app.exists(&format!("[data-unsent-for='{WAREHOUSE_V3}']"))
            .await
    );
    app.click("#tab-settings").await;
    wait_for_settings_form(&app).await;
    assert_eq!(value_of(&app, "#settings-ct").await, "400");
    app.screenshot("drafts-marked").await;

    // The app dies (killed, as a crash would end it) and starts again.
    let app = app.restart(&env).await;
    let notice = app.text_of("#draft-notice").await;
    assert!(notice.contains("on 1 meter"), "{notice}");
    for part in ["Time of use", "Display", "Settings"] {
        assert!(notice.contains(part), "{part} in {notice}");
    }
    assert!(
        app.exists(&format!("[data-unsent-for='{MAIN_PANEL}']"))
            .await
    );
    app.screenshot("drafts-restored").await;
    app.click(&format!("[data-open-draft='{MAIN_PANEL}']"))
        .await;
    app.click("#tab-tou").await;
    assert_eq!(value_of(&app, "#tou-weekend").await, "4");
    app.click("#tab-display").await;
    app.text_of("ol#lcd-chosen > li[data-item='kWh_Tot']").await;
    app.click("#tab-settings").await;
    wait_for_settings_form(&app).await;
    assert_eq!(value_of(&app, "#settings-ct").await, "400");
    assert_eq!(sim.requests().len(), 0, "nothing was sent");

    // Discard empties the Time of use draft only, and a restart agrees.
    app.click("#tab-tou").await;
    app.click("#tou-discard").await;
    app.wait_until_absent("#tab-tou-unsent").await;
    assert_eq!(value_of(&app, "#tou-weekend").await, "1");
    let app = app.restart(&env).await;
    let notice = app.text_of("#draft-notice").await;
    assert!(!notice.contains("Time of use"), "{notice}");
    assert!(
        notice.contains("Display") && notice.contains("Settings"),
        "{notice}"
    );
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn closing_the_window_during_a_bulk_job_asks_first_and_quits_only_when_told() {
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    let x11 = support::x11::X11::connect();
    let window = x11.app_window(None);

    preview_display_template(&app, &["kWh_Tot"], "Lobby display").await;

    // A gateway at 2 s a command, one at a time: the job runs for several seconds.
    sim.set_faults(push3_sim::Faults {
        latency: Duration::from_secs(2),
        ..Default::default()
    });
    app.click("#fleet-run").await;
    while sim.requests().iter().all(|r| r.command() != Some("SetLCD")) {
        tokio::time::sleep(Duration::from_millis(20)).await;
    }

    // The gateway runs one command at a time: two under way (one running, one ready behind it),
    // the rest waiting for it, said as such.
    let queue = wait_for_text(&app, "#fleet-gateways", "waiting for the gateway").await;
    assert!(queue.starts_with("Demo gateway: 2 under way, "), "{queue}");
    app.screenshot("fleet-gateway-queue").await;

    x11.request_close(window);
    let question = app.text_of("#close-question").await;
    assert!(question.contains("A bulk apply is running"), "{question}");
    assert!(question.contains("meters finished"), "{question}");
    app.screenshot("close-question").await;
    app.click("#close-question-keep").await;
    app.wait_until_absent("#close-question[open]").await;
    assert!(x11.exists(window), "Keep working keeps the window");

    // Asked again, and told to quit: the window goes, with the job.
    x11.request_close(window);
    app.text_of("#close-question").await;
    let quit = app
        .client
        .find(Locator::Css("#close-question-quit"))
        .await
        .unwrap();
    // The app may be gone before WebDriver answers the click.
    let _ = quit.click().await;
    let deadline = std::time::Instant::now() + Duration::from_secs(10);
    while x11.exists(window) {
        assert!(
            std::time::Instant::now() < deadline,
            "the window is still there"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // What the question said: the commands already sent may still run, and History says so.
    // The gateway had taken all four (it queues them); none had answered.
    let audit = app.audit_log();
    let entries = audit
        .query(
            &push3_audit::Filter::default(),
            &push3_audit::Page::first(50),
        )
        .unwrap()
        .entries;
    let set_lcd: Vec<_> = entries.iter().filter(|e| e.command == "SetLCD").collect();
    assert_eq!(set_lcd.len(), sent(&sim, "SetLCD"));
    for entry in &set_lcd {
        assert!(entry.msg_id.is_some(), "accepted and on record: {entry:?}");
        assert!(
            matches!(
                entry.outcome,
                push3_audit::Outcome::Pending | push3_audit::Outcome::Interrupted
            ),
            "no answer was recorded: {entry:?}"
        );
    }
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver, WebKitWebDriver and a D-Bus session: run by ./x test"]
async fn a_bulk_job_that_ends_while_the_window_is_in_the_background_is_announced() {
    let desktop = support::desktop_bus::DesktopBus::get();
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    let x11 = support::x11::X11::connect();
    let window = x11.app_window(None);

    preview_display_template(&app, &["Line_Freq"], "Frequency only").await;

    // The user starts the job and switches to another app while it runs.
    sim.set_faults(push3_sim::Faults {
        latency: Duration::from_millis(400),
        ..Default::default()
    });
    app.click("#fleet-run").await;
    x11.focus_elsewhere();

    let shown = desktop
        .wait_for_notification(|n| n.summary.starts_with("Bulk apply"))
        .await;
    assert_eq!(shown.summary, "Bulk apply finished with problems");
    assert_eq!(shown.body, "1 failed, 3 confirmed, 1 skipped of 5 meters.");
    assert_eq!(shown.app_name, "push3-desk");
    // The taskbar bar was driven: running, then the error colour at the failed meter, then gone.
    let log = support::wait_for_log_line(app.data_home.path(), "taskbar progress: cleared").await;
    let states: Vec<&str> = log
        .lines()
        .filter_map(|l| l.split_once("taskbar progress: ").map(|(_, s)| s))
        .collect();
    assert_eq!(states.last(), Some(&"cleared"), "{states:?}");
    assert!(states.contains(&"troubled"), "{states:?}");
    assert!(
        log.contains("notified: Bulk apply finished with problems"),
        "{log}"
    );

    app.screenshot("job-notified").await;

    // In front, a finished job is seen in the window: the failed meter tried again ends with no
    // notification.
    x11.focus(window);
    let before = desktop.notifications().len();
    app.click("[data-failed-meter] [data-retry-meter='000350001234']")
        .await;
    app.click("#fleet-retry-confirm").await;
    support::wait_for_log_line(app.data_home.path(), "not notified: the window is in front").await;
    assert_eq!(
        desktop.notifications().len(),
        before,
        "{:?}",
        desktop.notifications()
    );
    app.close().await;
}

/// A locale compiled for this test alone (glibc's localedef into a folder named by LOCPATH), so
/// the test needs no system locale installed: `locale_dir`/NAME, for `LANG=NAME`.
fn compile_locale(locale_dir: &std::path::Path, source: &str, name: &str) {
    let status = std::process::Command::new("localedef")
        .args(["-i", source, "-f", "UTF-8"])
        .arg(locale_dir.join(name))
        .status()
        .expect("localedef (Debian's locales package)");
    // localedef exits 1 for warnings about the source, and still writes the locale.
    assert!(
        locale_dir.join(name).join("LC_TIME").exists(),
        "localedef {source}: {status}"
    );
}

/// The year calendar's first month as the window shows it, scrolled into view: its name and
/// the week's headings.
async fn calendar_start(app: &AppSession) -> (String, Vec<String>) {
    let name = app
        .text_of("#tou-calendar .month[data-month='1'] .month-name")
        .await;
    app.client
        .execute(
            "document.getElementById('tou-calendar').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    let mut headings = Vec::new();
    for el in app
        .client
        .find_all(Locator::Css(
            "#tou-calendar .month[data-month='1'] .heading",
        ))
        .await
        .unwrap()
    {
        headings.push(el.text().await.unwrap());
    }
    (name, headings)
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn the_year_calendar_follows_the_os_locale_german_on_monday_american_on_sunday() {
    let locales = tempfile::tempdir().unwrap();
    compile_locale(locales.path(), "de_DE", "de_DE.UTF-8");
    compile_locale(locales.path(), "en_US", "en_US.UTF-8");
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let env = |lang: &str| {
        vec![
            (DEMO_URL_ENV, sim.api_url()),
            ("LOCPATH", locales.path().display().to_string()),
            ("LANG", lang.to_owned()),
            ("LC_ALL", lang.to_owned()),
        ]
    };

    let app = AppSession::launch(&env("de_DE.UTF-8")).await;
    open_tab(&app, MAIN_PANEL, "tou").await;
    let (month, headings) = calendar_start(&app).await;
    assert_eq!(month, "Januar");
    assert_eq!(headings, ["M", "D", "M", "D", "F", "S", "S"]);
    app.screenshot("calendar-de-DE").await;
    app.close().await;

    let app = AppSession::launch(&env("en_US.UTF-8")).await;
    open_tab(&app, MAIN_PANEL, "tou").await;
    let (month, headings) = calendar_start(&app).await;
    assert_eq!(month, "January");
    assert_eq!(headings, ["S", "M", "T", "W", "T", "F", "S"]);
    app.screenshot("calendar-en-US").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn a_utility_rate_imported_into_the_editor_is_saved_as_a_template_and_verified_on_the_meter()
{
    // The critical-peak fixture: five periods, July's critical hour, more switches than the
    // meter has, weekends that differ in summer.
    let files = tempfile::tempdir().unwrap();
    let rate = files.path().join("rate.json");
    std::fs::copy(
        concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/src-tauri/rates/tests/tariffs/critical_peak.json"
        ),
        &rate,
    )
    .unwrap();
    let sim = Simulator::start(SimConfig::demo()).unwrap();
    let app = app_on(&sim).await;
    open_tab(&app, MAIN_PANEL, "tou").await;

    app.click("#tou-import-rate").await;
    support::x11::X11::connect().open_file(&rate).await;

    let summary = app.text_of("#rate-import-summary").await;
    assert!(
        summary.contains("The meter cannot hold this rate exactly"),
        "{summary}"
    );
    let report = app.text_of("#rate-import-approximations").await;
    assert!(
        report.contains("July has 5 periods and the meter 4 registers"),
        "{report}"
    );
    let differs = |grid: &'static str, cell: &'static str| {
        let app = &app;
        async move {
            app.client
                .find(Locator::Css(&format!("#{grid} [data-cell='{cell}']")))
                .await
                .unwrap()
                .attr("data-differs")
                .await
                .unwrap()
                .unwrap()
        }
    };
    assert_eq!(differs("rate-grid-weekday-meter", "7-17").await, "true");
    assert_eq!(differs("rate-grid-weekday-meter", "7-16").await, "false");
    assert_eq!(differs("rate-grid-weekend-meter", "8-18").await, "true");
    app.screenshot("rate-import-report").await;

    app.click("#rate-import-use").await;
    app.wait_until_absent("#rate-import[open]").await;
    wait_for_text(&app, "#tou-unsaved", "Unsent changes").await;
    app.type_into("#panel-tou [data-template-name-input]", "CPP-5")
        .await;
    app.click("#tou-save-template").await;
    wait_for_text(&app, "#panel-tou", "Saved").await;

    app.click("#tou-review").await;
    send_plan(&app).await;
    app.click("#plan-close").await;
    wait_for_text(&app, "#tou-verify", "Verified").await;
    app.screenshot("rate-import-verified").await;

    // What the meter now holds is the import's program, read back and compared by the app.
    let tariff = push3_rates::Tariff::from_json(&std::fs::read_to_string(&rate).unwrap()).unwrap();
    let year = chrono::Datelike::year(&chrono::Local::now());
    let expected = push3_rates::translate(
        &tariff,
        push3_rates::Options {
            year,
            holidays: None,
        },
    )
    .program;
    let meter = sim.meter(MAIN_PANEL).unwrap();
    assert_eq!(meter.schedules.to_vec(), expected.schedules);
    assert_eq!(Some(meter.seasons), expected.seasons);
    assert_eq!(meter.weekend_schedule, expected.weekend_schedule);

    // The rate is remembered for the meter: Tariff data estimates each month's cost with it.
    app.click("#tab-tariffs").await;
    app.click("#tariff-read").await;
    let basis = app.text_of("#tariff-cost-basis").await;
    assert!(
        basis.contains("“Critical Peak Pricing (CPP-5)” (Example Power)"),
        "{basis}"
    );
    assert!(basis.contains("An estimate, not a bill"), "{basis}");
    let first = app
        .text_of("#tariff-cost-table tbody tr[data-month-index='0'] td")
        .await;
    assert!(first.starts_with('$'), "{first}");
    app.client
        .execute(
            "document.getElementById('tariff-cost').scrollIntoView()",
            vec![],
        )
        .await
        .unwrap();
    app.screenshot("rate-cost-estimate").await;
    app.close().await;
}

#[tokio::test]
#[ignore = "needs Xvfb, tauri-driver and WebKitWebDriver: run by ./x test"]
async fn in_the_meters_flat_layout_the_tou_tab_verifies_a_write_and_tariff_data_reads() {
    use push3::undocumented::flat::Numbering;
    for numbering in [Numbering::FromOne, Numbering::FromZero] {
        let mut config = SimConfig::demo();
        config.layout = push3_sim::PayloadLayout::Flat(numbering);
        let sim = Simulator::start(config).unwrap();
        let app = app_on(&sim).await;
        open_tab(&app, MAIN_PANEL, "tou").await;
        app.click("#tou-read").await;
        wait_for_text(&app, "#panel-tou", "Last read").await;
        assert!(
            !app.exists("#tou-raw").await,
            "{numbering:?}: the flat reading is understood, not shown raw"
        );
        app.select("#tou-weekend", "3").await;
        app.click("#tou-review").await;
        send_plan(&app).await;
        app.click("#plan-close").await;
        wait_for_text(&app, "#tou-verify", "Verified").await;
        assert_eq!(sim.meter(MAIN_PANEL).unwrap().weekend_schedule, 3);
        if numbering == Numbering::FromZero {
            app.screenshot("tou-verified-flat").await;
        }
        // The tariff history in flat keys is read into its table, not shown raw.
        app.click("#tab-tariffs").await;
        app.click("#tariff-read").await;
        app.text_of("#tariff-table").await;
        assert!(!app.exists("#tariff-raw").await, "{numbering:?}");
        app.close().await;
    }
}
