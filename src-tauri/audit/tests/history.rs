//! The history view: filters, keyset pages and the CSV export, checked against a model of the
//! same entries kept in the test.

mod common;

use common::*;
use push3_audit::{
    AuditError, Entry, EntryId, Filter, FinalOutcome, Finish, MeterAddress, Outcome, Page, Source,
};
use std::collections::HashSet;

const METERS: [&str; 3] = ["350000900", "350001234", "12"];
const GATEWAYS: [(&str, &str); 2] = [("gw-office", "Office"), ("gw-annex", "Annex, east wing")];
const COMMANDS: [&str; 3] = ["SetRelay", "SetCTRatio", "GetTariffData"];
const OUTCOMES: [FinalOutcome; 5] = [
    FinalOutcome::Confirmed,
    FinalOutcome::Failed,
    FinalOutcome::Rejected,
    FinalOutcome::Unconfirmed,
    FinalOutcome::Error,
];

/// What the test knows about one recorded entry.
#[derive(Debug, Clone)]
struct Recorded {
    id: EntryId,
    time_ms: i64,
    meter: String,
    gateway_id: &'static str,
    command: &'static str,
    outcome: Outcome,
    text: String,
}

/// 240 entries spread over every meter, gateway, command and outcome, seven to a millisecond so
/// that ties on time are everywhere, recorded in an order unrelated to their times.
fn recorded_log() -> (ScratchLog, Vec<Recorded>) {
    let scratch = ScratchLog::new();
    let mut model = Vec::new();
    for n in 0..240_i64 {
        let i = (n * 97) % 240; // a permutation of 0..240
        let meter = METERS[(i % 3) as usize];
        let (gateway_id, gateway_name) = GATEWAYS[(i % 2) as usize];
        let command = COMMANDS[((i / 3) % 3) as usize];
        let final_outcome = OUTCOMES[((i / 2) % 5) as usize];
        let time_ms = 1_700_000_000_000 + (i / 7);
        let mut new = entry(meter, command, time_ms);
        new.gateway_id = gateway_id.into();
        new.gateway_name = gateway_name.into();
        new.summary = if i % 11 == 0 {
            format!("Pulse output 100% ratio ({i})")
        } else if i % 13 == 0 {
            format!("Relay_1 closed ({i})")
        } else {
            format!("{command} number {i}")
        };
        let error_text =
            (final_outcome == FinalOutcome::Failed).then(|| "Meter password INCORRECT".to_string());
        let end = Finish {
            outcome: final_outcome,
            msg_id: Some(format!("msg-{i}")),
            error_text: error_text.clone(),
            round_trip_ms: Some(i as u64),
        };
        let id = record(&scratch.log, new.clone(), &end);
        model.push(Recorded {
            id,
            time_ms,
            meter: new.meter.to_string(),
            gateway_id,
            command,
            outcome: final_outcome.into(),
            text: [
                gateway_name.to_string(),
                new.meter.to_string(),
                new.summary.clone(),
                format!("msg-{i}"),
                error_text.unwrap_or_default(),
            ]
            .join("\n")
            .to_lowercase(),
        });
    }
    (scratch, model)
}

/// The ids `filter` should match, newest first with ties broken by the higher id.
fn expected(model: &[Recorded], filter: &Filter) -> Vec<EntryId> {
    let mut matching: Vec<&Recorded> = model
        .iter()
        .filter(|r| filter.meter.as_ref().is_none_or(|m| m.as_str() == r.meter))
        .filter(|r| {
            filter
                .gateway_id
                .as_deref()
                .is_none_or(|g| g == r.gateway_id)
        })
        .filter(|r| filter.command.as_deref().is_none_or(|c| c == r.command))
        .filter(|r| filter.outcome.is_none_or(|o| o == r.outcome))
        .filter(|r| {
            filter
                .from
                .is_none_or(|t| r.time_ms >= t.timestamp_millis())
        })
        .filter(|r| filter.to.is_none_or(|t| r.time_ms < t.timestamp_millis()))
        .filter(|r| {
            filter
                .text
                .as_deref()
                .is_none_or(|t| r.text.contains(&t.to_lowercase()))
        })
        .collect();
    matching.sort_by_key(|r| std::cmp::Reverse((r.time_ms, r.id)));
    matching.iter().map(|r| r.id).collect()
}

fn meter(digits: &str) -> Option<MeterAddress> {
    Some(MeterAddress::parse(digits).unwrap())
}

fn filters() -> Vec<(&'static str, Filter)> {
    let t = |offset: i64| Some(at(1_700_000_000_000 + offset));
    let none = Filter::default;
    vec![
        ("nothing", none()),
        (
            "meter",
            Filter {
                meter: meter("350001234"),
                ..none()
            },
        ),
        (
            "meter given short",
            Filter {
                meter: meter("012"),
                ..none()
            },
        ),
        (
            "gateway",
            Filter {
                gateway_id: Some("gw-annex".into()),
                ..none()
            },
        ),
        (
            "command",
            Filter {
                command: Some("SetCTRatio".into()),
                ..none()
            },
        ),
        (
            "outcome",
            Filter {
                outcome: Some(Outcome::Rejected),
                ..none()
            },
        ),
        (
            "from",
            Filter {
                from: t(20),
                ..none()
            },
        ),
        ("to", Filter { to: t(5), ..none() }),
        (
            "date range",
            Filter {
                from: t(3),
                to: t(9),
                ..none()
            },
        ),
        (
            "text, any case",
            Filter {
                text: Some("password incorrect".into()),
                ..none()
            },
        ),
        (
            "text with a LIKE wildcard",
            Filter {
                text: Some("%".into()),
                ..none()
            },
        ),
        (
            "text with an underscore",
            Filter {
                text: Some("_".into()),
                ..none()
            },
        ),
        (
            "text in the gateway name",
            Filter {
                text: Some("east".into()),
                ..none()
            },
        ),
        (
            "meter + command + outcome",
            Filter {
                meter: meter("350000900"),
                command: Some("SetRelay".into()),
                outcome: Some(Outcome::Confirmed),
                ..none()
            },
        ),
        (
            "gateway + date range + text",
            Filter {
                gateway_id: Some("gw-office".into()),
                from: t(10),
                to: t(30),
                text: Some("number".into()),
                ..none()
            },
        ),
        (
            "everything at once",
            Filter {
                meter: meter("350001234"),
                gateway_id: Some("gw-annex".into()),
                command: Some("GetTariffData".into()),
                outcome: Some(Outcome::Unconfirmed),
                from: t(0),
                to: t(40),
                text: Some("msg".into()),
            },
        ),
        (
            "a meter with no entries",
            Filter {
                meter: meter("999"),
                ..none()
            },
        ),
    ]
}

#[test]
fn each_filter_and_combination_finds_exactly_its_entries_newest_first() {
    let (scratch, model) = recorded_log();
    for (name, filter) in filters() {
        let want = expected(&model, &filter);
        if name != "a meter with no entries" {
            assert!(!want.is_empty(), "{name}: the data should hold matches");
        }
        if name != "nothing" {
            assert!(
                want.len() < model.len(),
                "{name}: the filter should exclude some"
            );
        }
        let got = all_pages(&scratch.log, &filter, 1_000);
        assert_eq!(ids(&got), want, "{name}");
        assert_eq!(
            scratch.log.count(&filter).unwrap(),
            want.len() as u64,
            "{name}"
        );
        let mut csv = Vec::new();
        let written = scratch.log.export_csv(&filter, &mut csv).unwrap();
        assert_eq!(written, want.len() as u64, "{name}");
        let exported: Vec<EntryId> = csv::Reader::from_reader(csv.as_slice())
            .records()
            .map(|r| EntryId(r.unwrap()[0].parse().unwrap()))
            .collect();
        assert_eq!(exported, want, "{name}: the CSV export");
    }
}

#[test]
fn keyset_pages_give_every_entry_exactly_once_across_ties_on_time() {
    let (scratch, model) = recorded_log();
    for (name, filter) in [
        ("nothing", Filter::default()),
        (
            "outcome",
            Filter {
                outcome: Some(Outcome::Confirmed),
                ..Default::default()
            },
        ),
    ] {
        let want = expected(&model, &filter);
        for limit in [1, 3, 7, 10, 1_000] {
            let got = ids(&all_pages(&scratch.log, &filter, limit));
            assert_eq!(got, want, "{name}, pages of {limit}");
        }
    }
}

#[test]
fn entries_recorded_while_paging_neither_shift_nor_repeat_later_pages() {
    let (scratch, model) = recorded_log();
    let filter = Filter::default();
    let mut page = Page::first(25);
    let mut seen = Vec::new();
    loop {
        let got = scratch.log.query(&filter, &page).unwrap();
        seen.extend(ids(&got.entries));
        // A newer command and one at the very time of the page's last entry arrive meanwhile.
        let last_time = got.entries.last().unwrap().time.timestamp_millis();
        record(
            &scratch.log,
            entry("350000900", "SetRelay", 1_800_000_000_000),
            &finish(FinalOutcome::Confirmed),
        );
        record(
            &scratch.log,
            entry("350000900", "SetRelay", last_time),
            &finish(FinalOutcome::Confirmed),
        );
        match got.next {
            Some(cursor) => page.before = Some(cursor),
            None => break,
        }
    }
    assert_eq!(seen, expected(&model, &filter));
}

#[test]
fn the_csv_export_quotes_commas_quotes_and_line_breaks() {
    let scratch = ScratchLog::new();
    let mut new = entry("350000900", "SetLCD", 1_700_000_000_123);
    new.gateway_name = "Annex, east wing".into();
    new.summary = "Display \"kWh total\", then \"Volts\"".into();
    new.source = Source::Cli;
    let end = Finish {
        outcome: FinalOutcome::Failed,
        msg_id: Some("m-1".into()),
        error_text: Some("first line\r\nsecond line, with a comma".into()),
        round_trip_ms: Some(950),
    };
    let id = record(&scratch.log, new, &end);
    let pending = scratch.log.begin(entry("12", "GetTariffData", 1)).unwrap();

    let mut out = Vec::new();
    assert_eq!(
        scratch
            .log
            .export_csv(&Filter::default(), &mut out)
            .unwrap(),
        2
    );
    let text = String::from_utf8(out).unwrap();
    assert!(text.starts_with(
        "id,time,source,gateway_id,gateway_name,meter,command,summary,params,outcome,msg_id,\
         error_text,round_trip_ms\r\n"
    ));
    assert!(text.contains(",\"Annex, east wing\","));
    assert!(text.contains(",\"Display \"\"kWh total\"\", then \"\"Volts\"\"\","));
    assert!(text.contains(",\"first line\r\nsecond line, with a comma\","));

    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(text.as_bytes())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(rows.len(), 2);
    let row = |r: &csv::StringRecord| r.iter().map(str::to_string).collect::<Vec<_>>();
    assert_eq!(
        row(&rows[0]),
        [
            id.to_string().as_str(),
            "2023-11-14T22:13:20.123Z",
            "cli",
            "gw-office",
            "Annex, east wing",
            "000350000900",
            "SetLCD",
            "Display \"kWh total\", then \"Volts\"",
            rows[0][8].to_string().as_str(),
            "failed",
            "m-1",
            "first line\r\nsecond line, with a comma",
            "950",
        ]
    );
    let params: serde_json::Value = serde_json::from_str(&rows[0][8]).unwrap();
    assert_eq!(
        params,
        serde_json::json!({"relay": "Relay_1", "status": "close", "duration": 5})
    );
    assert_eq!(rows[1][0], pending.to_string());
    assert_eq!(
        (&rows[1][9], &rows[1][10], &rows[1][12]),
        ("pending", "", "")
    );
}

#[test]
fn out_of_range_pages_and_backwards_date_ranges_are_refused_naming_the_field() {
    let scratch = ScratchLog::new();
    let e = scratch
        .log
        .query(&Filter::default(), &Page::first(0))
        .unwrap_err();
    assert_eq!(e.code(), AuditError::INVALID);
    assert!(e.message().starts_with("limit"), "{e}");
    let backwards = Filter {
        from: Some(at(2_000)),
        to: Some(at(1_000)),
        ..Default::default()
    };
    let e = scratch.log.count(&backwards).unwrap_err();
    assert_eq!(e.code(), AuditError::INVALID);
    assert!(e.message().starts_with("to"), "{e}");
}

#[test]
fn pages_cross_ipc_as_camel_case_json() {
    let scratch = ScratchLog::new();
    record(
        &scratch.log,
        entry("350000900", "SetRelay", 1_700_000_000_000),
        &finish(FinalOutcome::Confirmed),
    );
    record(
        &scratch.log,
        entry("350000900", "SetRelay", 1_700_000_000_000),
        &finish(FinalOutcome::Confirmed),
    );
    let page = scratch
        .log
        .query(&Filter::default(), &Page::first(1))
        .unwrap();
    let json = serde_json::to_value(&page).unwrap();
    let first: &Entry = &page.entries[0];
    assert_eq!(json["entries"][0]["gatewayId"], "gw-office");
    assert_eq!(json["entries"][0]["roundTripMs"], 120);
    assert_eq!(json["entries"][0]["outcome"], "confirmed");
    assert_eq!(json["entries"][0]["time"], "2023-11-14T22:13:20Z");
    assert_eq!(
        json["next"],
        serde_json::json!({"timeMs": 1_700_000_000_000_i64, "id": first.id.0})
    );
    let back: Page =
        serde_json::from_value(serde_json::json!({"before": json["next"], "limit": 1})).unwrap();
    let rest = scratch.log.query(&Filter::default(), &back).unwrap();
    assert_eq!(rest.entries.len(), 1);
    assert_eq!(rest.next, None);
    let unique: HashSet<EntryId> = [first.id, rest.entries[0].id].into();
    assert_eq!(unique.len(), 2);
}

#[test]
fn a_gateway_error_that_looks_like_a_formula_is_exported_as_text() {
    let scratch = ScratchLog::new();
    let mut new = entry("350000900", "SetCTRatio", 1_700_000_000_000);
    new.gateway_name = "@Office".into();
    let end = Finish {
        outcome: FinalOutcome::Failed,
        msg_id: Some("m-2".into()),
        error_text: Some("=HYPERLINK(\"http://x\",\"click\")".into()),
        round_trip_ms: Some(12),
    };
    record(&scratch.log, new, &end);
    let mut out = Vec::new();
    scratch
        .log
        .export_csv(&Filter::default(), &mut out)
        .unwrap();
    let rows: Vec<csv::StringRecord> = csv::Reader::from_reader(out.as_slice())
        .records()
        .map(Result::unwrap)
        .collect();
    assert_eq!(&rows[0][4], "'@Office");
    assert_eq!(&rows[0][11], "'=HYPERLINK(\"http://x\",\"click\")");
}
