//! The end of a job: how many meters ended how, and each meter's row with every command sent to
//! it. Exported as JSON (the whole record) or CSV (one line per meter, for a spreadsheet).

use crate::meter_run::{CommandRecord, Counts, MeterRuns, MeterState};
use crate::target::MeterRef;
use serde::Serialize;
use ts_rs::TS;

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "JobReport")]
#[serde(rename_all = "camelCase")]
pub struct Report {
    pub counts: Counts,
    pub rows: Vec<ReportRow>,
}

#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "JobReportRow")]
#[serde(rename_all = "camelCase")]
pub struct ReportRow {
    pub at: MeterRef,
    pub state: MeterState,
    /// Every command sent to the meter by this job, in order, retries included.
    pub commands: Vec<CommandRecord>,
}

/// The CSV header; one row per meter follows.
pub const CSV_COLUMNS: [&str; 7] = [
    "gateway_id",
    "meter",
    "result",
    "detail",
    "commands_sent",
    "commands_confirmed",
    "msg_ids",
];

impl Report {
    pub(crate) fn of(runs: &MeterRuns) -> Self {
        Self {
            counts: runs.counts(),
            rows: runs
                .0
                .iter()
                .map(|run| ReportRow {
                    at: run.target.at.clone(),
                    state: run.state.clone(),
                    commands: run.commands.clone(),
                })
                .collect(),
        }
    }

    /// Meters whose last command got no answer: the user decides whether to check and resend.
    pub fn unconfirmed(&self) -> impl Iterator<Item = &ReportRow> {
        self.rows
            .iter()
            .filter(|r| matches!(r.state, MeterState::Unconfirmed { .. }))
    }

    pub fn to_json(&self) -> String {
        serde_json::to_string_pretty(self).expect("a report serializes")
    }

    pub fn to_csv(&self) -> String {
        let mut csv = csv::Writer::from_writer(Vec::new());
        let write = |csv: &mut csv::Writer<Vec<u8>>, record: &[String]| {
            csv.write_record(record)
                .expect("writing CSV to memory cannot fail")
        };
        write(&mut csv, &CSV_COLUMNS.map(String::from));
        for row in &self.rows {
            let msg_ids: Vec<&str> = row.commands.iter().filter_map(|c| c.msg_id()).collect();
            let confirmed = row.commands.iter().filter(|c| c.is_confirmed()).count();
            write(
                &mut csv,
                &[
                    row.at.gateway_id.clone(),
                    row.at.meter.to_string(),
                    row.state.label().to_string(),
                    spreadsheet_safe(&row.state.detail()),
                    row.commands.len().to_string(),
                    confirmed.to_string(),
                    msg_ids.join(" "),
                ],
            );
        }
        let bytes = csv.into_inner().expect("writing CSV to memory cannot fail");
        String::from_utf8(bytes).expect("CSV of UTF-8 text is UTF-8")
    }
}

/// Error texts come from the gateway verbatim (G41); one starting like a formula would run as
/// one when the CSV is opened in a spreadsheet, so it is shown as text.
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meter_run::{CommandResult, SkipReason};
    use push3::{Command, MeterAddress, Outcome};

    fn row(meter: &str, state: MeterState, commands: Vec<CommandRecord>) -> ReportRow {
        ReportRow {
            at: MeterRef::new("north", MeterAddress::parse(meter).unwrap()),
            state,
            commands,
        }
    }

    fn report() -> Report {
        let lcd = Command::SetLCD {
            display_fields: vec![],
        };
        let answered = |msg_id: &str, outcome| {
            CommandRecord::new(
                &lcd,
                CommandResult::Answered {
                    msg_id: Some(msg_id.into()),
                    outcome,
                    elapsed_ms: 210,
                },
            )
        };
        let rows = vec![
            row(
                "1",
                MeterState::Confirmed,
                vec![answered(
                    "aa",
                    Outcome::Confirmed {
                        data: None,
                        timestamp: 1.0,
                    },
                )],
            ),
            row(
                "2",
                MeterState::Unconfirmed {
                    command: "SetLCD".into(),
                    msg_id: Some("bb".into()),
                },
                vec![answered("bb", Outcome::Unconfirmed)],
            ),
            row(
                "3",
                MeterState::Failed {
                    error: "=HYPERLINK(\"x\")".into(),
                },
                vec![],
            ),
            row(
                "4",
                MeterState::Skipped {
                    reason: SkipReason::Complies,
                },
                vec![],
            ),
        ];
        Report {
            counts: Counts::of(rows.iter().map(|r| &r.state)),
            rows,
        }
    }

    #[test]
    fn the_csv_has_one_line_per_meter_and_no_live_formulas() {
        let csv = report().to_csv();
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(
            lines[0],
            "gateway_id,meter,result,detail,commands_sent,commands_confirmed,msg_ids"
        );
        assert_eq!(lines[1], "north,000000000001,confirmed,,1,1,aa");
        assert!(
            lines[2].starts_with("north,000000000002,unconfirmed,SetLCD got no answer (msg_id bb)")
        );
        assert!(lines[2].ends_with(",1,0,bb"), "{}", lines[2]);
        assert_eq!(
            lines[3],
            "north,000000000003,failed,\"'=HYPERLINK(\"\"x\"\")\",0,0,"
        );
        assert_eq!(lines[4], "north,000000000004,skipped,already complies,0,0,");
        assert_eq!(lines.len(), 5);
    }

    #[test]
    fn the_json_keeps_every_command_and_lists_the_unconfirmed() {
        let report = report();
        let json: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
        assert_eq!(json["counts"]["unconfirmed"], 1);
        assert_eq!(json["rows"][1]["state"]["state"], "unconfirmed");
        assert_eq!(json["rows"][1]["state"]["msgId"], "bb");
        assert_eq!(
            json["rows"][0]["commands"][0]["result"]["outcome"]["status"],
            "confirmed"
        );
        assert_eq!(json["rows"][0]["at"]["meter"], "000000000001");
        let unconfirmed: Vec<_> = report.unconfirmed().map(|r| r.at.meter.as_str()).collect();
        assert_eq!(unconfirmed, ["000000000002"]);
    }
}
