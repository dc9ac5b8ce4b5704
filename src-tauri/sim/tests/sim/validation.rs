//! sendCommand's 400s: the API's `{"error": …}` for bad requests, with the core's own validation
//! texts for bad parameters (one source of truth).

use crate::support::*;
use push3::command::{parse, ParseOptions};
use push3_sim::{SimConfig, DEMO_KEY};
use serde_json::{json, Value};

fn body(command: &str, params: Value) -> Value {
    json!({"command": command, "target": "meter", "target_id": SEED_METER, "params": params})
}

fn without(field: &str) -> String {
    let mut b = body("GetSchedules", json!({}));
    b.as_object_mut().unwrap().remove(field);
    b.to_string()
}

#[tokio::test]
async fn malformed_requests_get_400_with_a_specific_error() {
    let sim = demo();
    let key = format!("?key={DEMO_KEY}");
    let cases: Vec<(&str, String, &str)> = vec![
        (
            key.as_str(),
            "{\"command\":".into(),
            "request body is not valid JSON",
        ),
        (
            key.as_str(),
            "[1,2]".into(),
            "request body must be a JSON object",
        ),
        (
            "",
            body("GetSchedules", json!({})).to_string(),
            "missing key",
        ),
        (
            "?key=bm90LWEta2V5",
            body("GetSchedules", json!({})).to_string(),
            "invalid key",
        ),
        (
            key.as_str(),
            without("command"),
            "missing required field: command",
        ),
        (
            key.as_str(),
            without("target"),
            "missing required field: target",
        ),
        (
            key.as_str(),
            without("target_id"),
            "missing required field: target_id",
        ),
        (
            key.as_str(),
            without("params"),
            "missing required field: params",
        ),
        (
            key.as_str(),
            json!({"command": "GetSchedules", "target": "gateway", "target_id": SEED_METER,
                "params": {}})
            .to_string(),
            "unknown target \"gateway\"",
        ),
        (
            key.as_str(),
            json!({"command": 7, "target": "meter", "target_id": SEED_METER, "params": {}})
                .to_string(),
            "field command must be a string",
        ),
        (
            key.as_str(),
            json!({"command": "GetSchedules", "target": "meter", "target_id": SEED_METER,
                "params": []})
            .to_string(),
            "field params must be a JSON object",
        ),
    ];
    for (query, raw, expected) in cases {
        let error = post_raw(&sim, query, &raw).await.error();
        assert!(
            error.starts_with(expected),
            "{raw}: {error:?} should start with {expected:?}"
        );
    }
}

#[tokio::test]
async fn target_id_must_be_a_full_12_digit_address() {
    let sim = demo();
    for bad in ["350000900", "00035000090a", "0003500009001", ""] {
        let b = json!({"command": "GetSchedules", "target": "meter", "target_id": bad,
            "params": {}});
        let error = post_raw(&sim, &format!("?key={DEMO_KEY}"), &b.to_string())
            .await
            .error();
        assert!(error.starts_with("target_id: "), "{bad:?}: {error}");
    }
}

#[tokio::test]
async fn the_key_may_come_in_the_body_instead_of_the_query() {
    let sim = demo();
    let mut b = body("GetSchedules", json!({}));
    b["key"] = json!(DEMO_KEY);
    let reply = post_raw(&sim, "", &b.to_string()).await;
    assert_eq!(reply.status, 200, "{}", reply.body);
}

/// The simulator must refuse exactly what the core refuses, with the same words.
#[tokio::test]
async fn invalid_params_are_refused_with_the_cores_validation_text() {
    let sim = demo();
    let options = ParseOptions {
        experimental_seasons: true,
        current_ct_ratio: Some(200),
    };
    let cases = [
        ("SetFoo", json!({})),
        ("setrelay", json!({})),
        ("SetCTRatio", json!({"ct_ratio": "250"})),
        ("SetCTRatio", json!({"ct_ratio": 200})),
        ("SetCTRatio", json!({})),
        (
            "SetTime",
            json!({"year": "2024", "month": "02", "day": "30", "hour": "00",
            "minutes": "00", "seconds": "00"}),
        ),
        (
            "SetRelay",
            json!({"relay": "relay_1", "status": "close", "duration": 0}),
        ),
        (
            "SetRelay",
            json!({"relay": "Relay_1", "status": "closed", "duration": 0}),
        ),
        (
            "SetRelay",
            json!({"relay": "Relay_1", "status": "close", "duration": 10000}),
        ),
        (
            "SetRelay",
            json!({"relay": "Relay_1", "status": "close", "duration": 1,
            "meter_password": "1234"}),
        ),
        ("SetLCD", json!({"display_fields": []})),
        ("SetLCD", json!({"display_fields": ["kWh_Tot", "Volts"]})),
        (
            "SetPulseInputRatio",
            json!({"pulse_line": 4, "pulse_input_ratio": 10}),
        ),
        (
            "SetPulseInputRatio",
            json!({"pulse_line": 1, "pulse_input_ratio": 0}),
        ),
        (
            "SetPulseOutputRatio",
            json!({"pulse_line": 1, "pulse_output_ratio": 1600}),
        ),
        ("SetMaxDemandPeriod", json!({"max_demand_period": 3})),
        ("SetMaxDemandResetInterval", json!({"interval": 5})),
        (
            "SetWeekendHolidaySchedules",
            json!({"weekend_schedule": 0, "holiday_schedule": 1}),
        ),
        ("SetSchedule", json!({"schedule": 7, "periods": []})),
        (
            "SetHolidayDates",
            json!({"holiday_dates": [{"month": 2, "day": 30}]}),
        ),
        ("SetMeterPassword", json!({"new_password": "abc"})),
        ("GetSchedules", json!({"unexpected": 1})),
    ];
    for (command, params) in cases {
        let expected = parse(command, &params, &options)
            .expect_err("the core refuses this case")
            .to_string();
        let error = send(&sim, command, SEED_METER, params.clone())
            .await
            .error();
        assert_eq!(error, expected, "{command} {params}");
    }
    // Nothing refused ever reached a gateway.
    let channel = sim.response_channel(DEMO_KEY).unwrap();
    let probe = send(&sim, "GetSchedules", SEED_METER, json!({}))
        .await
        .msg_id();
    let mut stream = HttpStream::open(&sim.addr().to_string(), &format!("{channel}.b100")).await;
    assert_eq!(stream.next_message().await["msg_id"], probe.as_str());
}

#[tokio::test]
async fn the_pulse_output_ratio_is_checked_against_the_meters_current_ct_ratio() {
    let sim = demo();
    let ratio = json!({"pulse_line": 1, "pulse_output_ratio": 1600});
    send(&sim, "SetPulseOutputRatio", SEED_METER, ratio.clone())
        .await
        .error();
    run_ok(&sim, "SetCTRatio", SEED_METER, json!({"ct_ratio": "100"})).await;
    run_ok(&sim, "SetPulseOutputRatio", SEED_METER, ratio).await;
    assert_eq!(sim.meter(SEED_METER).unwrap().pulse_output_ratio, 1600);
}

#[tokio::test]
async fn seasons_are_refused_unless_the_simulator_accepts_experimental_commands() {
    let seasons = json!({"seasons": [
        {"month": 3, "day": 1, "schedule": 1}, {"month": 6, "day": 1, "schedule": 2},
        {"month": 9, "day": 1, "schedule": 1}, {"month": 12, "day": 1, "schedule": 2}]});
    let strict = start(SimConfig {
        experimental_seasons: false,
        ..SimConfig::demo()
    });
    let error = send(&strict, "SetSeasonSchedules", SEED_METER, seasons.clone())
        .await
        .error();
    let expected = parse("SetSeasonSchedules", &seasons, &ParseOptions::default()).unwrap_err();
    assert_eq!(error, expected.to_string());
    let lenient = demo();
    assert_eq!(
        send(&lenient, "SetSeasonSchedules", SEED_METER, seasons)
            .await
            .status,
        200
    );
}
