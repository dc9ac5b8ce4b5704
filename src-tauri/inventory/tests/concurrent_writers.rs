//! Several processes learning about one meter at once (the app and `push3` runs, say) all keep
//! what they learned: each outcome is folded into the stored state in a transaction of its own,
//! not written over the whole store from a copy read earlier.

use push3::{Command, MeterAddress, Outcome};
use push3_inventory::KnownStore;
use std::path::Path;
use std::process::Stdio;

const CHILD_ENV: &str = "PUSH3_KNOWN_WRITER_CHILD";
const ROUNDS: u16 = 40;
const METER: &str = "350000900";

fn confirmed() -> Outcome {
    Outcome::Confirmed {
        data: None,
        timestamp: 0.0,
    }
}

/// Writer `line` (1-3) records pulse input ratios 1..=ROUNDS on its own line; writer 0 records
/// CT ratios. Each writer ends on its own last value.
fn write_rounds(data_dir: &Path, line: u8) {
    let store = KnownStore::open(data_dir);
    let meter = MeterAddress::parse(METER).unwrap();
    for round in 1..=ROUNDS {
        let command = match line {
            0 => Command::SetCTRatio {
                ct_ratio: 100 + round,
            },
            line => Command::SetPulseInputRatio { line, ratio: round },
        };
        store
            .record("g-1", &meter, true, &command, &confirmed())
            .unwrap();
    }
}

#[test]
fn known_settings_written_by_several_processes_at_once_are_all_kept() {
    if let Ok(spec) = std::env::var(CHILD_ENV) {
        let (line, dir) = spec.split_once(':').unwrap();
        write_rounds(Path::new(dir), line.parse().unwrap());
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    // The database exists before the writers start, as it does once the app has run.
    push3_store::open(&push3_store::path_in(dir.path())).unwrap();

    let children: Vec<_> = (1..=3u8)
        .map(|line| {
            std::process::Command::new(std::env::current_exe().unwrap())
                .args([
                    "--exact",
                    "known_settings_written_by_several_processes_at_once_are_all_kept",
                    "--nocapture",
                ])
                .env(CHILD_ENV, format!("{line}:{}", dir.path().display()))
                .stdout(Stdio::null())
                .spawn()
                .unwrap()
        })
        .collect();
    write_rounds(dir.path(), 0);
    for mut child in children {
        assert!(child.wait().unwrap().success(), "a writer failed");
    }

    let known = KnownStore::open(dir.path()).get("g-1", &MeterAddress::parse(METER).unwrap(), true);
    assert_eq!(known.ct_ratio.map(|k| k.value), Some(100 + ROUNDS));
    let lines: Vec<Option<u16>> = known
        .pulse_input_ratios
        .iter()
        .map(|k| k.as_ref().map(|k| k.value))
        .collect();
    assert_eq!(
        lines,
        vec![Some(ROUNDS); 3],
        "every writer's last value is kept"
    );
}
