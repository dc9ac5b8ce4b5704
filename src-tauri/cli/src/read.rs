//! `push3 read`: what a meter holds, read and printed in the app's own shapes. `read tou` prints
//! the time-of-use program as a TOU template's program (what `push3 apply` and the app's Time of
//! use tab take); `read tariffs` prints the monthly kWh per tariff. Both go the way `push3 send`
//! does: validated, on record in the audit log, with its options and exit codes.

use crate::exit::Exit;
use crate::send::{deliver, exit_for, Connection, Delivered, SendArgs};
use clap::{Args, Subcommand};
use push3::program::TouProgram;
use push3::undocumented::{MonthKwh, TariffData};
use push3::{CommandKind, Outcome};
use serde_json::Value;
use std::fmt::Write;
use std::path::PathBuf;

#[derive(Subcommand)]
pub enum ReadCommand {
    /// The meter's time-of-use program (GetSchedules), printed as JSON in the shape of a TOU
    /// template's program.
    Tou(TouArgs),
    /// The meter's kWh per tariff, month by month (GetTariffData): a table, or --json.
    Tariffs(TariffArgs),
}

#[derive(Args)]
pub struct TouArgs {
    #[command(flatten)]
    connection: Connection,
}

#[derive(Args)]
pub struct TariffArgs {
    #[command(flatten)]
    connection: Connection,
    /// Print the tariff data as JSON (forward and reverse months, newest first).
    #[arg(long)]
    json: bool,
}

pub async fn run(command: ReadCommand, data_dir: Option<PathBuf>) -> Exit {
    match command {
        ReadCommand::Tou(args) => {
            let args = SendArgs::read(CommandKind::GetSchedules, args.connection);
            read(&args, data_dir, |data| {
                let reading = TouProgram::from_reading(data);
                let program = reading.program.ok_or_else(|| {
                    Exit::failure(format!(
                        "GetSchedules answered in a shape this version does not read, so no \
                         program is printed; the data as it came: {data}"
                    ))
                })?;
                Ok(serde_json::to_string_pretty(&program.to_program()).expect("plain JSON"))
            })
            .await
        }
        ReadCommand::Tariffs(args) => {
            let json = args.json;
            let args = SendArgs::read(CommandKind::GetTariffData, args.connection);
            read(&args, data_dir, |data| {
                let tariffs = TariffData::from_data(data).map_err(|e| {
                    Exit::failure(format!(
                        "GetTariffData answered in a shape this version does not read ({e}); \
                         the data as it came: {data}"
                    ))
                })?;
                Ok(if json {
                    serde_json::to_string(&tariffs).expect("plain JSON")
                } else {
                    table(&tariffs)
                })
            })
            .await
        }
    }
}

/// Sends the read, and prints what `print` makes of its data when confirmed; any other fate
/// exits as `push3 send` would.
async fn read(
    args: &SendArgs,
    data_dir: Option<PathBuf>,
    print: impl Fn(&Value) -> Result<String, Exit>,
) -> Exit {
    let Delivered {
        outcome,
        msg_id,
        timeout,
    } = match deliver(args, data_dir).await {
        Ok(delivered) => delivered,
        Err(exit) => return exit,
    };
    match outcome {
        Outcome::Confirmed { data, .. } => {
            let data = data.unwrap_or(Value::Null);
            print(&data).map(Exit::Success).unwrap_or_else(|exit| exit)
        }
        other => exit_for(args.command(), other, &msg_id, timeout),
    }
}

/// Months back from the one in progress (GetTariffData carries no dates), kWh per tariff.
fn table(data: &TariffData) -> String {
    let mut out = String::new();
    for (title, months) in [("Forward", &data.forward), ("Reverse", &data.reverse)] {
        if months.is_empty() {
            continue;
        }
        let _ = writeln!(out, "{title} energy, kWh");
        let _ = writeln!(
            out,
            "{:<18}{:>12}{:>12}{:>12}{:>12}{:>12}",
            "month", "total", "T1", "T2", "T3", "T4"
        );
        for (i, MonthKwh { total, tariffs }) in months.iter().enumerate() {
            let month = match i {
                0 => "this month".to_string(),
                1 => "1 month back".to_string(),
                n => format!("{n} months back"),
            };
            let _ = write!(out, "{month:<18}{total:>12.1}");
            for kwh in tariffs {
                let _ = write!(out, "{kwh:>12.1}");
            }
            out.push('\n');
        }
    }
    if out.is_empty() {
        out.push_str("The meter returned no tariff data.\n");
    }
    out.trim_end().to_string()
}
