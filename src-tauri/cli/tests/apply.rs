//! `push3 apply` against the simulator and a real Secret Service: a template to the meters of a
//! tag or a list file, every command on record, what was learnt kept for the next apply, and a
//! meter whose command went unanswered never sent to again without the user's word.
//!
//! All but the template check need a Secret Service; `./x test` runs them inside
//! dbus-run-session with an unlocked gnome-keyring.

mod common;

use common::*;
use push3::{MeterAddress, MeterVersion};
use push3_audit::{Outcome, Source, MASK};
use push3_inventory::KnownStore;
use push3_sim::{Faults, GatewayConfig, MeterConfig, SimConfig, Simulator};
use serde_json::{json, Value};
use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Output, Stdio};
use std::time::Duration;

/// Made up for these tests; never a real EKM key.
const KEY: &str = "cli-test-key-apply-3f9b1d7e";
const LCD: [&str; 3] = ["kWh_Tot", "RMS_Watts_Tot", "Line_Freq"];

fn address(n: u8) -> String {
    format!("{n:012}")
}

/// A simulated gateway with V4 meters 1 to `count`, the gateway "Office" in the inventory, and a
/// folder for template and list files.
struct Site {
    sim: Simulator,
    inventory: TestInventory,
    files: tempfile::TempDir,
}

impl Site {
    /// `password_of(n)` is what simulated meter n insists on.
    fn new(
        test: &str,
        count: u8,
        faults: Faults,
        password_of: impl Fn(u8) -> &'static str,
    ) -> Self {
        let meters = (1..=count)
            .map(|n| {
                MeterConfig::new(&address(n), MeterVersion::V4, &format!("meter {n}"))
                    .with_password(password_of(n))
            })
            .collect();
        let sim = Simulator::start(SimConfig {
            faults,
            ..SimConfig::with_gateways(vec![GatewayConfig::new("CLI test gateway", KEY, meters)])
        })
        .unwrap();
        let site = Self {
            inventory: TestInventory::new(test),
            files: tempfile::tempdir().unwrap(),
            sim,
        };
        let url = site.sim.api_url();
        let out = site.push3(
            &["gateway", "add", "Office", "--api-url", &url],
            &format!("{KEY}\n"),
        );
        assert_exit(&out, 0, "gateway add");
        site
    }

    /// Adds simulated meter n to the inventory, with a stored password when one is given.
    fn add_meter(&self, n: u8, tags: &[&str], stored_password: Option<&str>) {
        let address = address(n);
        let mut args = vec![
            "meter",
            "add",
            &address,
            "--gateway",
            "Office",
            "--version",
            "V4",
        ];
        for tag in tags {
            args.extend(["--tag", tag]);
        }
        let stdin = match stored_password {
            Some(password) => {
                args.push("--with-password");
                format!("{password}\n")
            }
            None => String::new(),
        };
        assert_exit(&self.push3(&args, &stdin), 0, "meter add");
    }

    /// Runs push3 off the async worker so the simulator keeps serving meanwhile.
    fn push3(&self, args: &[&str], stdin: &str) -> Output {
        tokio::task::block_in_place(|| self.inventory.push3(args, stdin))
    }

    fn apply(&self, template: &Path, args: &[&str]) -> Output {
        let template = template.to_str().unwrap();
        let mut all = vec!["apply", template, "--gateway", "Office"];
        all.extend_from_slice(args);
        self.push3(&all, "")
    }

    fn file(&self, name: &str, text: &str) -> PathBuf {
        let path = self.files.path().join(name);
        std::fs::write(&path, text).unwrap();
        path
    }

    fn lcd_template(&self) -> PathBuf {
        self.file("billing-display.json", &lcd_template_text())
    }

    fn lcd_of(&self, n: u8) -> Vec<String> {
        self.sim.meter(&address(n)).unwrap().lcd_items
    }

    /// How many SetLCD reached the simulator, for meter n or for all.
    fn set_lcd_sent(&self, n: Option<u8>) -> usize {
        self.sim
            .requests()
            .iter()
            .filter(|r| r.command() == Some("SetLCD"))
            .filter(|r| {
                n.is_none_or(|n| {
                    r.body.as_ref().unwrap()["target_id"].as_str() == Some(&address(n))
                })
            })
            .count()
    }

    fn gateway_id(&self) -> String {
        let out = self.push3(&["gateway", "list", "--json"], "");
        let listed: Value = serde_json::from_str(&stdout(&out)).unwrap();
        listed[0]["id"].as_str().unwrap().to_string()
    }
}

fn lcd_template_text() -> String {
    json!({
        "schema": "push3-desk.template",
        "version": 1,
        "name": "Billing display",
        "program": {"kind": "lcd", "display_fields": LCD},
    })
    .to_string()
}

/// The summary printed after the run, without the preview before it.
fn summary(out: &Output) -> String {
    let text = stdout(out);
    let start = text
        .find("Done: ")
        .unwrap_or_else(|| panic!("no summary in {text}"));
    text[start..].to_string()
}

fn factory(_: u8) -> &'static str {
    "00000000"
}

fn assert_exit(out: &Output, code: i32, what: &str) {
    assert_eq!(
        out.status.code(),
        Some(code),
        "{what}\nstdout: {}\nstderr: {}",
        stdout(out),
        stderr(out)
    );
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: run by ./x test"]
async fn a_tagged_apply_changes_each_meter_once_on_record_and_a_second_apply_sends_nothing() {
    let site = Site::new("apply-tag", 4, Faults::default(), factory);
    for n in 1..=3 {
        site.add_meter(n, &["north"], None);
    }
    site.add_meter(4, &["south"], None);
    let template = site.lcd_template();

    let out = site.apply(&template, &["--tag", "north", "--dry-run"]);
    assert_exit(&out, 0, "dry run");
    let preview = stdout(&out);
    for n in 1..=3 {
        let line = preview
            .lines()
            .find(|l| l.starts_with(&address(n)))
            .unwrap();
        assert!(
            line.contains("would change") && line.contains("Display 3 items"),
            "{line}"
        );
    }
    assert!(!preview.contains(&address(4)), "{preview}");
    assert!(preview.contains("3 would change, 0 complies"), "{preview}");
    assert!(site.sim.requests().is_empty(), "a dry run sends nothing");

    let out = site.apply(&template, &["--tag", "north"]);
    assert_exit(&out, 2, "no --yes and no terminal");
    assert!(
        stderr(&out).contains("refusing to change 3 meters without --yes"),
        "{}",
        stderr(&out)
    );
    assert!(site.sim.requests().is_empty());

    let report = site.files.path().join("run.csv");
    let out = site.apply(
        &template,
        &[
            "--tag",
            "north",
            "--yes",
            "--report",
            report.to_str().unwrap(),
        ],
    );
    assert_exit(&out, 0, "apply");
    assert!(
        stdout(&out).contains("Done: 3 confirmed, 0 failed, 0 unconfirmed, 0 skipped"),
        "{}",
        stdout(&out)
    );
    assert!(stderr(&out).contains("[3/3] "), "{}", stderr(&out));
    // Three meters on a gateway given two commands at a time: the third waited, and was told so.
    assert!(
        stderr(&out).contains("(gateway Office: 2 under way, 1 waiting for the gateway)"),
        "{}",
        stderr(&out)
    );
    for n in 1..=3 {
        assert_eq!(site.lcd_of(n), LCD, "meter {n}");
        assert_eq!(site.set_lcd_sent(Some(n)), 1, "meter {n}");
    }
    assert_ne!(site.lcd_of(4), LCD, "the untagged meter is left alone");
    assert_eq!(site.sim.requests().len(), 3);

    let entries = site.inventory.audit_entries();
    assert_eq!(entries.len(), 3, "{entries:#?}");
    for entry in &entries {
        assert_eq!(
            (entry.command.as_str(), entry.source, entry.outcome),
            ("SetLCD", Source::Cli, Outcome::Confirmed)
        );
        assert_eq!(entry.gateway_name, "Office");
        assert!(entry.msg_id.is_some());
    }
    let known = KnownStore::open(&site.inventory.data_dir());
    let gateway_id = site.gateway_id();
    for n in 1..=3 {
        let meter = MeterAddress::parse(&address(n)).unwrap();
        let lcd = known.get(&gateway_id, &meter, true).lcd;
        assert_eq!(lcd.expect("known after the apply").value, LCD, "meter {n}");
    }
    let csv = std::fs::read_to_string(&report).unwrap();
    assert_eq!(csv.lines().count(), 4, "{csv}");
    assert!(
        csv.lines().skip(1).all(|l| l.contains(",confirmed,")),
        "{csv}"
    );

    // Nothing would change, so nothing is asked and nothing is sent.
    let out = site.apply(&template, &["--tag", "north"]);
    assert_exit(&out, 0, "the same apply again");
    let text = stdout(&out);
    assert!(text.contains("0 would change, 3 complies"), "{text}");
    assert!(
        text.contains("Done: 0 confirmed, 0 failed, 0 unconfirmed, 3 skipped"),
        "{text}"
    );
    assert_eq!(
        site.sim.requests().len(),
        3,
        "the second apply sent nothing"
    );
    assert_eq!(site.inventory.audit_entries().len(), 3);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: run by ./x test"]
async fn a_meters_file_must_list_inventory_meters_of_the_gateway_or_nothing_is_sent() {
    let site = Site::new("apply-file", 3, Faults::default(), factory);
    site.add_meter(1, &[], None);
    site.add_meter(2, &[], None);
    let template = site.lcd_template();
    let cases = [
        (
            "# first floor\n1\n\n000000000003  # not in the inventory\n",
            "line 4",
            "000000000003 is not in the inventory on gateway \"Office\"",
        ),
        ("1\n12x\n", "line 2", "target_id"),
        ("# nothing but comments\n\n", "lists no meter", ""),
    ];
    for (text, line, why) in cases {
        let list = site.file("meters.txt", text);
        let out = site.apply(&template, &["--meters", list.to_str().unwrap(), "--yes"]);
        assert_exit(&out, 2, text);
        let err = stderr(&out);
        assert!(
            err.contains("--meters") && err.contains(line) && err.contains(why),
            "{err}"
        );
    }
    assert!(site.sim.requests().is_empty(), "nothing was sent");
    assert!(
        site.inventory.audit_entries().is_empty(),
        "nothing was even put on record"
    );

    let list = site.file("meters.txt", "000000000001\n2\n1  # again\n");
    let out = site.apply(&template, &["--meters", list.to_str().unwrap(), "--yes"]);
    assert_exit(&out, 0, "a good list");
    assert!(
        stdout(&out).contains("Done: 2 confirmed"),
        "{}",
        stdout(&out)
    );
    assert_eq!(site.set_lcd_sent(Some(1)), 1, "listed twice, sent once");
    assert_eq!(site.set_lcd_sent(None), 2);
}

#[test]
fn an_invalid_template_exits_2_naming_its_field_and_nothing_is_touched() {
    let inventory = TestInventory::new("apply-template");
    let files = tempfile::tempdir().unwrap();
    let mut bad_item: Value = serde_json::from_str(&lcd_template_text()).unwrap();
    bad_item["program"]["display_fields"][1] = json!("Nope");
    let mut newer: Value = serde_json::from_str(&lcd_template_text()).unwrap();
    newer["version"] = json!(2);
    let cases = [
        (
            bad_item.to_string(),
            "invalid_field, field program.display_fields[1]",
        ),
        (newer.to_string(), "unsupported_version, field version"),
        (r#"{"name": "x"}"#.to_string(), "foreign_file, field schema"),
        ("{\"schema\": ".to_string(), "not_json, field -"),
    ];
    for (text, expected) in cases {
        let path = files.path().join("template.json");
        std::fs::write(&path, &text).unwrap();
        let out = inventory.push3(
            &[
                "apply",
                path.to_str().unwrap(),
                "--gateway",
                "Office",
                "--tag",
                "north",
            ],
            "",
        );
        assert_eq!(out.status.code(), Some(2), "{text}: {}", stderr(&out));
        assert!(stderr(&out).contains(expected), "{text}: {}", stderr(&out));
    }
    let path = files.path().join("template.json");
    std::fs::write(&path, lcd_template_text()).unwrap();
    let out = inventory.push3(
        &[
            "apply",
            path.to_str().unwrap(),
            "--gateway",
            "Office",
            "--tag",
            "north",
            "--report",
            "run.txt",
        ],
        "",
    );
    assert_eq!(out.status.code(), Some(2));
    assert!(stderr(&out).contains("--report"), "{}", stderr(&out));
    assert!(everything_under(&inventory.data_dir()).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: run by ./x test"]
async fn a_meter_on_a_wrong_stored_password_fails_and_the_others_are_still_confirmed() {
    const WRONG: &str = "11111111";
    let site = Site::new("apply-password", 3, Faults::default(), |n| {
        if n == 2 {
            "24681357"
        } else {
            "00000000"
        }
    });
    site.add_meter(1, &["north"], None);
    site.add_meter(2, &["north"], Some(WRONG));
    site.add_meter(3, &["north"], None);

    let out = site.apply(&site.lcd_template(), &["--tag", "north", "--yes"]);
    assert_exit(&out, 1, "one meter failed");
    assert!(stderr(&out).contains("1 meter failed"), "{}", stderr(&out));
    let text = summary(&out);
    assert!(text.starts_with("Done: 2 confirmed, 1 failed"), "{text}");
    let failed = text.lines().find(|l| l.starts_with(&address(2))).unwrap();
    assert!(failed.contains("password"), "{failed}");
    assert_eq!(site.lcd_of(1), LCD);
    assert_eq!(site.lcd_of(3), LCD);
    assert_ne!(site.lcd_of(2), LCD);

    let entries = site.inventory.audit_entries();
    let entry = entries.iter().find(|e| e.meter == address(2)).unwrap();
    assert_eq!(entry.outcome, Outcome::Failed);
    assert_eq!(entry.params["meter_password"], MASK);
    assert!(files_containing(&site.inventory.data_dir(), WRONG).is_empty());
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: run by ./x test"]
async fn unanswered_meters_exit_3_and_are_not_resent_by_a_second_apply() {
    let silent = Faults {
        silent: true,
        ..Faults::default()
    };
    let site = Site::new("apply-silent", 3, silent, factory);
    for n in 1..=3 {
        site.add_meter(n, &["north"], None);
    }
    let template = site.lcd_template();
    let report = site.files.path().join("run.json");
    let args = ["--tag", "north", "--yes", "--timeout", "0.5"];
    let mut first = args.to_vec();
    first.extend(["--report", report.to_str().unwrap()]);

    let out = site.apply(&template, &first);
    assert_exit(&out, 3, "unconfirmed");
    assert!(
        stderr(&out).contains("3 meters unconfirmed"),
        "{}",
        stderr(&out)
    );
    let text = summary(&out);
    assert!(text.contains("NOT resent"), "{text}");
    for entry in site.inventory.audit_entries() {
        assert_eq!(entry.outcome, Outcome::Unconfirmed);
        let msg_id = entry.msg_id.expect("the API accepted it");
        let line = text.lines().find(|l| l.starts_with(&entry.meter)).unwrap();
        assert!(line.contains("SetLCD") && line.contains(&msg_id), "{line}");
    }
    let written: Value = serde_json::from_str(&std::fs::read_to_string(&report).unwrap()).unwrap();
    assert_eq!(written["counts"]["unconfirmed"], 3);
    assert_eq!(site.sim.requests().len(), 3);

    let out = site.apply(&template, &args);
    assert_exit(&out, 3, "the same apply again");
    let text = stdout(&out);
    assert!(
        text.contains("0 would change") && text.contains("3 held"),
        "{text}"
    );
    for n in 1..=3 {
        let line = text.lines().find(|l| l.starts_with(&address(n))).unwrap();
        assert!(
            line.contains("held") && line.contains("SetLCD got no answer"),
            "{line}"
        );
    }
    assert_eq!(site.sim.requests().len(), 3, "nothing was resent");

    // Only the user's word sends them again.
    site.sim.set_faults(Faults::default());
    let mut retry = args.to_vec();
    retry.push("--retry-unconfirmed");
    let out = site.apply(&template, &retry);
    assert_exit(&out, 0, "--retry-unconfirmed");
    assert_eq!(site.set_lcd_sent(None), 6);
}

#[tokio::test(flavor = "multi_thread")]
#[ignore = "needs a Secret Service: run by ./x test"]
async fn ctrl_c_lets_the_meter_under_way_finish_and_starts_no_other() {
    let slow = Faults {
        latency: Duration::from_millis(500),
        ..Faults::default()
    };
    let site = Site::new("apply-ctrl-c", 4, slow, factory);
    for n in 1..=4 {
        site.add_meter(n, &["north"], None);
    }
    let template = site.lcd_template();
    let mut command = site.inventory.push3_command(&[
        "apply",
        template.to_str().unwrap(),
        "--gateway",
        "Office",
        "--tag",
        "north",
        "--yes",
        "--per-gateway",
        "1",
    ]);
    let mut child = command
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut progress = BufReader::new(child.stderr.take().unwrap()).lines();
    tokio::task::block_in_place(|| {
        let running = progress
            .by_ref()
            .map(Result::unwrap)
            .find(|line| line.contains(" running"));
        assert!(running.is_some(), "a meter started");
        let interrupted = std::process::Command::new("kill")
            .args(["-INT", &child.id().to_string()])
            .status()
            .unwrap();
        assert!(interrupted.success());
    });
    let rest: Vec<String> = progress.map(Result::unwrap).collect();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(130), "{rest:?}");
    assert!(rest.iter().any(|l| l.contains("stopping")), "{rest:?}");
    let text = stdout(&out);
    assert!(
        text.contains("Done: 1 confirmed, 0 failed, 0 unconfirmed, 0 skipped, 3 stopped"),
        "{text}"
    );
    assert!(text.contains("Stopped before they started"), "{text}");
    assert_eq!(
        site.set_lcd_sent(None),
        1,
        "only the meter under way was sent"
    );
    assert_eq!(site.lcd_of(1), LCD, "and it finished");
}
