//! `push3 history`: the audit log the app and the CLI share, newest first: a table for people,
//! `--json` lines for scripts, and `--csv` the whole filtered export, as the app exports it.

use crate::exit::Exit;
use crate::listing::columns;
use chrono::{DateTime, NaiveDate, Utc};
use clap::Args;
use push3::CommandKind;
use push3_audit::{Entry, Filter, MeterAddress, Outcome, Page, MAX_PAGE};
use std::path::PathBuf;

#[derive(Args)]
#[command(
    after_help = "Every command the app or push3 sent, from the audit log in the data dir. Filters \
combine; times are UTC. Commands sent with PUSH3_KEY show the gateway PUSH3_KEY. Meter passwords and \
other secrets are masked in the log itself, so no output holds them.\n\
Exit codes: 0 success, 1 the audit log cannot be read, 2 a bad filter value (the message names the \
flag) or an unknown gateway."
)]
pub struct HistoryArgs {
    /// Only commands to this meter (1-12 digits).
    #[arg(long, value_name = "ADDRESS")]
    meter: Option<String>,
    /// Only commands through this gateway of the inventory (its name).
    #[arg(long, value_name = "NAME")]
    gateway: Option<String>,
    /// Only this command, e.g. SetRelay (in any case).
    #[arg(long, value_name = "COMMAND")]
    command: Option<String>,
    /// Only this outcome: confirmed, failed, rejected, unconfirmed, error, interrupted (the
    /// process ended before the outcome was known) or pending.
    #[arg(long, value_name = "OUTCOME")]
    outcome: Option<String>,
    /// Only commands at or after this time: RFC 3339 (2026-03-01T08:00:00Z) or a date (from its
    /// midnight UTC).
    #[arg(long, value_name = "TIME")]
    since: Option<String>,
    /// Only commands before this time: RFC 3339, or a date (that whole day included).
    #[arg(long, value_name = "TIME")]
    until: Option<String>,
    /// How many commands to show, newest first (1-1000). --csv writes every match instead.
    #[arg(long, value_name = "N", default_value_t = 50)]
    limit: u32,
    /// Write every matching command to stdout as CSV (the app's export: params masked, times
    /// in RFC 3339 UTC).
    #[arg(long, conflicts_with = "json")]
    csv: bool,
    /// One JSON object per command, one per line.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &HistoryArgs, data_dir: Option<PathBuf>) -> Result<Exit, Exit> {
    let mut filter = filter(args)?;
    let store = crate::data_dir::open_store(data_dir)?;
    if let Some(name) = &args.gateway {
        let gateway = crate::gateway::named(store.inventory(), name)?;
        filter.gateway_id = Some(gateway.id.to_string());
    }
    let audit = store.audit()?;
    if args.csv {
        audit.export_csv(&filter, &mut std::io::stdout().lock())?;
        return Ok(Exit::Success(String::new()));
    }
    let page = audit.query(&filter, &Page::first(args.limit))?;
    if args.json {
        let lines: Vec<String> = page
            .entries
            .iter()
            .map(|e| serde_json::to_string(e).expect("an audit entry serializes"))
            .collect();
        return Ok(Exit::Success(lines.join("\n")));
    }
    if page.entries.is_empty() {
        return Ok(Exit::Success("No commands match.".to_string()));
    }
    if page.next.is_some() {
        eprintln!(
            "push3: the newest {} of {} commands; --limit N shows up to {MAX_PAGE}, --csv all",
            args.limit,
            audit.count(&filter)?
        );
    }
    let rows: Vec<Vec<String>> = page.entries.iter().map(row).collect();
    Ok(Exit::Success(columns(
        &[
            "TIME (UTC)",
            "GATEWAY",
            "METER",
            "COMMAND",
            "OUTCOME",
            "RTT",
            "ERROR",
        ],
        &rows,
    )))
}

/// Every flag but --gateway (which needs the inventory), each refused by name.
fn filter(args: &HistoryArgs) -> Result<Filter, Exit> {
    if !(1..=MAX_PAGE).contains(&args.limit) {
        return Err(Exit::invalid(format!(
            "--limit: {} is not allowed; 1 to {MAX_PAGE}",
            args.limit
        )));
    }
    let meter = args
        .meter
        .as_deref()
        .map(MeterAddress::parse)
        .transpose()
        .map_err(|e| Exit::invalid(format!("--meter: {e}")))?;
    let outcome = args.outcome.as_deref().map(outcome).transpose()?;
    let command = args.command.as_deref().map(command).transpose()?;
    let from = args
        .since
        .as_deref()
        .map(|t| time("--since", t, false))
        .transpose()?;
    let to = args
        .until
        .as_deref()
        .map(|t| time("--until", t, true))
        .transpose()?;
    if let (Some(from), Some(to)) = (from, to) {
        if from >= to {
            return Err(Exit::invalid(format!(
                "--until: {} is not after --since ({})",
                to.to_rfc3339(),
                from.to_rfc3339()
            )));
        }
    }
    Ok(Filter {
        meter,
        gateway_id: None,
        command,
        outcome,
        from,
        to,
        text: None,
    })
}

fn outcome(text: &str) -> Result<Outcome, Exit> {
    Outcome::from_stored(&text.trim().to_ascii_lowercase()).ok_or_else(|| {
        let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
        Exit::invalid(format!(
            "--outcome: {text:?} is not allowed; one of {}",
            names.join(", ")
        ))
    })
}

/// A known command in any case becomes its name; anything else is kept as typed, since a raw
/// command may have any name.
fn command(text: &str) -> Result<String, Exit> {
    let text = text.trim();
    if text.is_empty() {
        return Err(Exit::invalid("--command: a command name, e.g. SetRelay"));
    }
    Ok(CommandKind::ALL
        .iter()
        .find(|k| k.name().eq_ignore_ascii_case(text))
        .map_or_else(|| text.to_string(), |k| k.name().to_string()))
}

/// RFC 3339, or a date at midnight UTC; with `whole_day` a date means the midnight after it,
/// so `--until 2026-03-31` includes March 31.
fn time(flag: &str, text: &str, whole_day: bool) -> Result<DateTime<Utc>, Exit> {
    if let Ok(time) = DateTime::parse_from_rfc3339(text.trim()) {
        return Ok(time.with_timezone(&Utc));
    }
    let date = NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .ok()
        .and_then(|d| if whole_day { d.succ_opt() } else { Some(d) });
    match date {
        Some(date) => Ok(date.and_time(chrono::NaiveTime::MIN).and_utc()),
        None => Err(Exit::invalid(format!(
            "{flag}: {text:?} is not allowed; an RFC 3339 time (2026-03-01T08:00:00Z) or a date \
             (2026-03-01)"
        ))),
    }
}

fn row(entry: &Entry) -> Vec<String> {
    vec![
        entry.time.format("%Y-%m-%d %H:%M:%S").to_string(),
        entry.gateway_name.clone(),
        entry.meter.clone(),
        entry.command.clone(),
        entry.outcome.as_str().to_string(),
        entry
            .round_trip_ms
            .map_or_else(String::new, |ms| format!("{ms} ms")),
        // Error texts come from the gateway verbatim (G41); one row per command. A command
        // without an outcome says instead whether the API had accepted it.
        entry
            .error_text
            .as_deref()
            .or(entry.fate.as_deref())
            .unwrap_or_default()
            .replace(['\r', '\n'], " "),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_date_starts_at_midnight_utc_and_until_includes_the_whole_day() {
        let since = time("--since", "2026-03-31", false).unwrap();
        let until = time("--until", "2026-03-31", true).unwrap();
        assert_eq!(since.to_rfc3339(), "2026-03-31T00:00:00+00:00");
        assert_eq!(until.to_rfc3339(), "2026-04-01T00:00:00+00:00");
        let exact = time("--until", "2026-03-31T08:30:00+02:00", true).unwrap();
        assert_eq!(exact.to_rfc3339(), "2026-03-31T06:30:00+00:00");
    }

    #[test]
    fn bad_values_are_refused_by_their_flag() {
        let message = |exit: Exit| match exit {
            Exit::InvalidInput(text) => text,
            _ => panic!("expected invalid input"),
        };
        assert!(message(time("--since", "yesterday", false).unwrap_err()).starts_with("--since:"));
        assert!(message(time("--until", "2026-02-30", true).unwrap_err()).starts_with("--until:"));
        let e = message(outcome("lost").unwrap_err());
        assert!(
            e.starts_with("--outcome:") && e.contains("unconfirmed"),
            "{e}"
        );
        assert!(message(command(" ").unwrap_err()).starts_with("--command:"));
    }

    #[test]
    fn command_names_are_matched_in_any_case_and_raw_names_kept() {
        assert_eq!(command("setlcd").unwrap(), "SetLCD");
        assert_eq!(command("Reboot").unwrap(), "Reboot");
        assert_eq!(outcome("Unconfirmed").unwrap(), Outcome::Unconfirmed);
    }
}
