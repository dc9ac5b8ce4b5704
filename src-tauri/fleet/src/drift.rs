//! Drift: which meters no longer hold what a template says, and why we think so. A TOU program
//! is read back (GetSchedules); the display list and settings cannot be read through this API,
//! so they are compared with what this app recorded from its own confirmed writes. A meter of
//! which nothing is known is reported as unknown, never as drifted.
//!
//! [`DriftReport::bring_in_line`] turns the user's selection into a [`BulkJob`], so the fix goes
//! through the same engine (preview, bounded concurrency, never a blind resend).

use crate::bulk::{BulkJob, DEFAULT_PER_GATEWAY};
use crate::read_back::{read_tou_programs, ReadProgress};
use crate::sink::CommandSink;
use crate::target::{MeterRef, Target};
use crate::template::Template;
use push3::command::{DemandPeriod, DemandResetInterval, LcdItem};
use push3::program::{summary, Difference, KnownState};
use push3::Command;
use serde::Serialize;
use ts_rs::TS;

/// What a comparison was made against.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[ts(rename = "DriftBasis")]
#[serde(rename_all = "camelCase")]
pub enum Basis {
    /// Read back from the meter just now.
    ReadNow,
    /// What this app recorded earlier: its confirmed writes, or an earlier read-back.
    Recorded,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(tag = "drift", rename_all = "camelCase")]
pub enum DriftStatus {
    InLine {
        basis: Basis,
    },
    /// `unknown` names the parts nothing is known of (they may differ too).
    Differs {
        basis: Basis,
        differences: Vec<Difference>,
        unknown: Vec<String>,
    },
    /// Nothing to compare with: not readable, and nothing recorded.
    Unknown {
        why: String,
    },
    CannotTake {
        reason: String,
    },
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct DriftRow {
    pub at: MeterRef,
    pub status: DriftStatus,
}

#[derive(Debug, Clone)]
pub struct DriftReport {
    template: Template,
    targets: Vec<Target>,
    pub rows: Vec<DriftRow>,
}

/// Compares every target with `template`, reading back TOU programs first.
pub async fn drift<S: CommandSink>(
    mut targets: Vec<Target>,
    template: &Template,
    sink: &S,
    mut on_progress: impl FnMut(ReadProgress),
) -> DriftReport {
    let rows = match template.tou_program() {
        Some(expected) => {
            let mut all: Vec<&mut Target> = targets.iter_mut().collect();
            let errors =
                read_tou_programs(&mut all, sink, DEFAULT_PER_GATEWAY, &mut on_progress).await;
            targets
                .iter()
                .zip(errors)
                .map(|(target, read_error)| {
                    let basis = match read_error {
                        None => Basis::ReadNow,
                        Some(_) if target.known.tou.is_some() => Basis::Recorded,
                        Some(error) => {
                            return row(
                                target,
                                DriftStatus::Unknown {
                                    why: format!(
                                        "could not read the TOU program back ({error}), and nothing is recorded"
                                    ),
                                },
                            )
                        }
                    };
                    let actual = &target.known.tou.as_ref().expect("known after a read or recorded").value;
                    let differences = expected.differences(actual);
                    row(target, status(basis, differences, Vec::new()))
                })
                .collect()
        }
        None => targets
            .iter()
            .map(|target| row(target, compare_recorded(template, target)))
            .collect(),
    };
    DriftReport {
        template: template.clone(),
        targets,
        rows,
    }
}

impl DriftReport {
    pub fn template(&self) -> &Template {
        &self.template
    }

    /// The targets with what the read-back taught, for the caller to keep.
    pub fn targets(&self) -> impl Iterator<Item = &Target> {
        self.targets.iter()
    }

    /// A bulk job of the template for the selected meters, planned from what this report
    /// learned of them. Meters that already comply end up skipped by the job.
    pub fn bring_in_line(&self, selected: &[MeterRef]) -> BulkJob {
        let targets = self
            .targets
            .iter()
            .filter(|t| selected.contains(&t.at))
            .cloned()
            .collect();
        BulkJob::new(self.template.clone(), targets)
    }
}

fn row(target: &Target, status: DriftStatus) -> DriftRow {
    DriftRow {
        at: target.at.clone(),
        status,
    }
}

fn status(basis: Basis, differences: Vec<Difference>, unknown: Vec<String>) -> DriftStatus {
    if !differences.is_empty() {
        DriftStatus::Differs {
            basis,
            differences,
            unknown,
        }
    } else if !unknown.is_empty() {
        DriftStatus::Unknown {
            why: format!(
                "nothing recorded for: {}; this API cannot read them back",
                unknown.join(", ")
            ),
        }
    } else {
        DriftStatus::InLine { basis }
    }
}

/// LCD and settings templates: each part the plan would send either differs from a recorded
/// value or has none recorded.
fn compare_recorded(template: &Template, target: &Target) -> DriftStatus {
    let plan = match template.plan_for(target.version, &target.known) {
        Ok(plan) => plan,
        Err(e) => {
            return DriftStatus::CannotTake {
                reason: e.to_string(),
            }
        }
    };
    let mut differences = Vec::new();
    let mut unknown = Vec::new();
    for planned in &plan.commands {
        let (path, label) = part_of(&planned.command);
        match held(&target.known, &planned.command) {
            Some(held) => differences.push(Difference {
                path,
                label,
                expected: summary(&planned.command),
                actual: summary(&held),
            }),
            None => unknown.push(label),
        }
    }
    status(Basis::Recorded, differences, unknown)
}

/// The program path and label of the part a settings or display command writes.
fn part_of(command: &Command) -> (String, String) {
    let (path, label) = match command {
        Command::SetLCD { .. } => ("display_fields", "Display list"),
        Command::SetCTRatio { .. } => ("ct_ratio", "CT ratio"),
        Command::SetMaxDemandPeriod { .. } => ("max_demand_period", "Max demand period"),
        Command::SetMaxDemandResetInterval { .. } => {
            ("max_demand_reset_interval", "Max demand reset interval")
        }
        Command::SetPulseInputRatio { line, .. } => {
            return (
                format!("pulse_input_ratios[{}]", line.saturating_sub(1)),
                format!("Pulse input {line} ratio"),
            )
        }
        Command::SetPulseOutputRatio { .. } => ("pulse_output_ratio", "Pulse output ratio"),
        other => (other.name(), other.name()),
    };
    (path.to_string(), label.to_string())
}

/// What the meter is recorded to hold for the part `command` writes, as the command that
/// would have written it.
fn held(known: &KnownState, command: &Command) -> Option<Command> {
    match command {
        Command::SetLCD { .. } => known.lcd.as_ref().map(|k| Command::SetLCD {
            display_fields: k
                .value
                .iter()
                .filter_map(|n| LcdItem::from_name(n))
                .collect(),
        }),
        Command::SetCTRatio { .. } => known
            .ct_ratio
            .as_ref()
            .map(|k| Command::SetCTRatio { ct_ratio: k.value }),
        Command::SetMaxDemandPeriod { .. } => known
            .max_demand_period
            .as_ref()
            .and_then(|k| DemandPeriod::from_code(i64::from(k.value)))
            .map(|period| Command::SetMaxDemandPeriod { period }),
        Command::SetMaxDemandResetInterval { .. } => known
            .max_demand_reset_interval
            .as_ref()
            .and_then(|k| DemandResetInterval::from_code(i64::from(k.value)))
            .map(|interval| Command::SetMaxDemandResetInterval { interval }),
        Command::SetPulseInputRatio { line, .. } => known
            .pulse_input_ratios
            .get(usize::from(*line).checked_sub(1)?)?
            .as_ref()
            .map(|k| Command::SetPulseInputRatio {
                line: *line,
                ratio: k.value,
            }),
        Command::SetPulseOutputRatio { .. } => known
            .pulse_output_ratio
            .as_ref()
            .map(|k| Command::SetPulseOutputRatio { ratio: k.value }),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use push3::{MeterAddress, MeterVersion};
    use serde_json::json;

    fn target(known: KnownState) -> Target {
        Target::new("north", MeterAddress::parse("1").unwrap(), MeterVersion::V4).with_known(known)
    }

    fn confirmed(known: &mut KnownState, command: &Command) {
        known.record_confirmed(command, None, chrono::Utc::now());
    }

    #[test]
    fn recorded_settings_differ_part_by_part_and_unrecorded_ones_are_unknown() {
        let template = Template::new(
            "site",
            json!({"kind": "settings", "settings": {"ct_ratio": 400, "max_demand_period": 2}}),
        )
        .unwrap();
        let status = compare_recorded(&template, &target(KnownState::default()));
        assert!(
            matches!(&status, DriftStatus::Unknown { why } if why.contains("CT ratio, Max demand period")),
            "{status:?}"
        );

        let mut known = KnownState::default();
        confirmed(&mut known, &Command::SetCTRatio { ct_ratio: 200 });
        let DriftStatus::Differs {
            basis,
            differences,
            unknown,
        } = compare_recorded(&template, &target(known.clone()))
        else {
            panic!("a recorded CT ratio of 200 differs from 400")
        };
        assert_eq!(basis, Basis::Recorded);
        assert_eq!(differences.len(), 1);
        assert_eq!(
            (
                differences[0].path.as_str(),
                differences[0].expected.as_str(),
                differences[0].actual.as_str()
            ),
            ("ct_ratio", "CT ratio 400 A", "CT ratio 200 A")
        );
        assert_eq!(unknown, ["Max demand period"]);

        confirmed(&mut known, &Command::SetCTRatio { ct_ratio: 400 });
        confirmed(
            &mut known,
            &Command::SetMaxDemandPeriod {
                period: DemandPeriod::from_code(2).unwrap(),
            },
        );
        assert_eq!(
            compare_recorded(&template, &target(known)),
            DriftStatus::InLine {
                basis: Basis::Recorded
            }
        );
    }

    #[test]
    fn a_display_list_differs_by_its_items() {
        let template = Template::new(
            "lcd",
            json!({"kind": "lcd", "display_fields": ["kWh_Tot", "Line_Freq"]}),
        )
        .unwrap();
        let mut known = KnownState::default();
        confirmed(
            &mut known,
            &Command::SetLCD {
                display_fields: vec![LcdItem::from_name("kWh_Tot").unwrap()],
            },
        );
        let DriftStatus::Differs { differences, .. } = compare_recorded(&template, &target(known))
        else {
            panic!("one item against two differs")
        };
        assert_eq!(differences[0].path, "display_fields");
        assert!(
            differences[0].actual.starts_with("Display 1 item"),
            "{:?}",
            differences[0]
        );
        let v3 = Target::new("north", MeterAddress::parse("2").unwrap(), MeterVersion::V3);
        assert!(matches!(
            compare_recorded(&template, &v3),
            DriftStatus::CannotTake { .. }
        ));
    }
}
