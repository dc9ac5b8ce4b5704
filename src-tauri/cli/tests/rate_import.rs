//! `push3 rate import`: a URDB tariff file in, a TOU template in the app's format out, the report
//! on stderr; a bad file exits 2 naming its first bad field, and writes nothing.

use push3_fleet::Template;
use push3_rates::{translate, Options, Tariff};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn tariff_file(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../rates/tests/tariffs")
        .join(name)
}

fn push3(args: &[&str]) -> Output {
    // No data folder is read or written: the command works on files only.
    Command::new(env!("CARGO_BIN_EXE_push3"))
        .args(["rate", "import"])
        .args(args)
        .env("PUSH3_DATA_DIR", "/nonexistent/push3-data")
        .output()
        .unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

#[test]
fn a_tariff_becomes_a_tou_template_the_app_imports_with_the_report_on_stderr() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("summer-winter.json");
    let file = tariff_file("summer_winter.json");
    let run = push3(&[
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--year",
        "2026",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    assert_eq!(
        text(&run.stdout).trim(),
        format!(
            "Wrote the TOU template \"TOU Summer/Winter\" to {}",
            out.display()
        )
    );
    assert!(text(&run.stderr).contains("The meter holds this rate exactly."));
    assert!(text(&run.stderr).contains("Registers: period 0 → T1, period 1 → T2, period 2 → T1"));

    // The app's own template reader takes it, and it holds the translation's program.
    let template = Template::from_json(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(template.name(), "TOU Summer/Winter");
    let tariff = Tariff::from_json(&std::fs::read_to_string(&file).unwrap()).unwrap();
    let expected = translate(
        &tariff,
        Options {
            year: 2026,
            holidays: None,
        },
    )
    .program;
    assert_eq!(template.tou_program(), Some(expected));
}

#[test]
fn out_dash_prints_the_template_and_holidays_and_a_name_are_taken() {
    let file = tariff_file("two_period_peak.json");
    let run = push3(&[
        file.to_str().unwrap(),
        "--out",
        "-",
        "--name",
        "Home TOU",
        "--holidays",
        "us-federal",
        "--year",
        "2026",
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", text(&run.stderr));
    let template = Template::from_json(&text(&run.stdout)).unwrap();
    assert_eq!(template.name(), "Home TOU");
    let program = template.tou_program().unwrap();
    assert_eq!(program.holidays.iter().filter(|h| h.month > 0).count(), 11);
    assert!(text(&run.stderr).contains("7/3 Independence Day"));
}

#[test]
fn a_bad_file_exits_2_naming_its_first_bad_field_and_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    let mut tariff: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(tariff_file("two_period_peak.json")).unwrap(),
    )
    .unwrap();
    tariff["energyweekdayschedule"][6][17] = serde_json::json!(7);
    let bad = dir.path().join("bad.json");
    std::fs::write(&bad, tariff.to_string()).unwrap();
    let run = push3(&[bad.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    let err = text(&run.stderr);
    assert!(
        err.contains("energyweekdayschedule[6][17]: period 7 has no rate"),
        "{err}"
    );
    assert!(err.contains("no template was written"), "{err}");
    assert!(!out.exists());

    std::fs::write(&bad, r#"{"schema": "push3-desk/template", "name": "x"}"#).unwrap();
    let run = push3(&[bad.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("not a URDB tariff record"));
    assert!(!out.exists());
}

#[test]
fn a_year_outside_the_range_exits_2() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    let file = tariff_file("two_period_peak.json");
    let run = push3(&[
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--year",
        "99999",
    ]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("--year 99999: a year from 1970 to 2100"));
    assert!(!out.exists());
}

#[test]
fn an_existing_template_is_replaced_only_with_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("t.json");
    std::fs::write(&out, "mine").unwrap();
    let file = tariff_file("two_period_peak.json");
    let run = push3(&[file.to_str().unwrap(), "--out", out.to_str().unwrap()]);
    assert_eq!(run.status.code(), Some(2));
    assert!(text(&run.stderr).contains("exists; choose another --out or add --force"));
    assert_eq!(std::fs::read_to_string(&out).unwrap(), "mine");
    let run = push3(&[
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--force",
    ]);
    assert_eq!(run.status.code(), Some(0));
    assert!(Template::from_json(&std::fs::read_to_string(&out).unwrap()).is_ok());
}
