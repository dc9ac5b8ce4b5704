//! `push3 apply`: a template to many meters of one gateway, on the app's engine (push3-fleet):
//! preview, confirm, run with progress, and a report. Every command goes on record like any
//! other the CLI sends, and a meter left unconfirmed is never sent to again without the user's
//! word, in this run or a later one.

mod meters;
mod show;
mod sink;

use crate::exit::Exit;
use crate::send::response_timeout;
use clap::{ArgGroup, Args};
use push3::Client;
use push3_domain::Records;
use push3_fleet::{BulkJob, Control, MeterRef, Report, Target, Template, DEFAULT_PER_GATEWAY};
use push3_inventory::{Gateway, Meter};
use show::meters as count_meters;
use sink::RecordedSink;
use std::io::{BufRead, IsTerminal};
use std::path::{Path, PathBuf};

#[derive(Args)]
#[command(
    group(ArgGroup::new("which").required(true).args(["meters", "tag"])),
    after_help = "What happens: the template is checked (nothing is sent if it is invalid); the meters are \
looked up in the inventory; a preview says, per meter, whether it would change, already complies, cannot \
take it (e.g. a V3 meter and a display list) or could not be read back (TOU templates read each meter's \
program first); then, after your yes (--yes when stdin is not a terminal), only what differs is sent, \
up to --per-gateway meters at once. Progress goes to stderr, the preview and the summary to stdout.\n\n\
Every command is recorded in the audit log (see `push3 history`) and what a confirmed one set is \
remembered, so running the same apply again sends nothing to meters that comply.\n\n\
A meter whose command got no answer is unconfirmed: the command may still run, so it is NOT resent, and \
later applies hold the meter back until you have checked it and pass --retry-unconfirmed. The same \
holds for a meter whose last command from the app or `push3 send` went unanswered.\n\n\
Ctrl-C stops: meters under way finish their command, no other meter is started. Ctrl-C again quits at \
once.\n\n\
Exit codes:\n  \
0    every meter confirmed or skipped (or --dry-run)\n  \
1    a meter failed, and none is unconfirmed\n  \
2    invalid input (template, meters, flags), unknown gateway, no usable keychain or audit log, or \
no --yes without a terminal: nothing was sent\n  \
3    a meter is unconfirmed; this outranks failed ones, because an unconfirmed command may still run \
and needs checking\n  \
130  stopped by Ctrl-C or by answering no, with nothing failed or unconfirmed"
)]
pub struct ApplyArgs {
    /// The template file, as the app saves it (schema push3-desk.template).
    template: PathBuf,
    /// The gateway of the inventory whose meters to change (its name).
    #[arg(long, value_name = "NAME")]
    gateway: String,
    /// A file of meter addresses, one a line (blank lines and # comments are left out); each
    /// must be a meter of the inventory on --gateway.
    #[arg(long, value_name = "FILE")]
    meters: Option<PathBuf>,
    /// The inventory meters on --gateway with this tag.
    #[arg(long, value_name = "TAG")]
    tag: Option<String>,
    /// Change the meters without asking.
    #[arg(long)]
    yes: bool,
    /// Stop after the preview: no meter is changed.
    #[arg(long, conflicts_with = "report")]
    dry_run: bool,
    /// Write the report of the run to OUT.csv (a line per meter) or OUT.json (every command).
    #[arg(long, value_name = "OUT.csv|OUT.json")]
    report: Option<PathBuf>,
    /// At most this many meters under way at once.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_PER_GATEWAY)]
    per_gateway: usize,
    /// Seconds to wait for each response before the meter is unconfirmed.
    #[arg(long, value_name = "SECONDS", default_value_t = push3::limits::DEFAULT_TIMEOUT_SECS as f64)]
    timeout: f64,
    /// Also send to meters held back because their last command got no answer. Check them
    /// first: that command may still run.
    #[arg(long)]
    retry_unconfirmed: bool,
}

/// How the report is written, from the name of its file.
#[derive(Clone, Copy)]
enum ReportFormat {
    Csv,
    Json,
}

pub async fn run(args: ApplyArgs, data_dir: Option<PathBuf>) -> Exit {
    apply(args, data_dir).await.unwrap_or_else(|exit| exit)
}

async fn apply(args: ApplyArgs, data_dir: Option<PathBuf>) -> Result<Exit, Exit> {
    // Everything that can be checked without the inventory, first.
    let report_to = match args.report {
        Some(path) => Some((report_format(&path)?, path)),
        None => None,
    };
    let timeout = response_timeout(args.timeout)?;
    if args.per_gateway == 0 {
        return Err(Exit::invalid("--per-gateway: at least 1"));
    }
    let template = read_template(&args.template)?;

    let store = crate::data_dir::open_store(data_dir)?;
    let inventory = store.inventory();
    let gateway = crate::gateway::named(inventory, &args.gateway)?;
    let meters = match (&args.meters, &args.tag) {
        (Some(file), _) => meters::listed(inventory, &gateway, file)?,
        (None, Some(tag)) => meters::tagged(inventory, &gateway, tag)?,
        (None, None) => unreachable!("clap requires --meters or --tag"),
    };
    let credentials = inventory.credentials(&gateway.id)?;
    let passwords = meters::passwords(inventory, &meters)?;
    let config = credentials.client_config().with_timeout(timeout);
    let client = Client::new(config).map_err(|e| Exit::invalid(e.to_string()))?;
    let records = crate::data_dir::open_records(&store)?;

    let mut job = BulkJob::new(template, targets(&records, &gateway, &meters))
        .with_per_gateway(args.per_gateway);
    if !args.retry_unconfirmed {
        job = hold_unanswered(job, &records, &gateway, &meters)?;
    }
    let gateway_name = gateway.name.clone();
    let sink = RecordedSink::new(&records, gateway, client, passwords);

    let preview = job
        .preview(&sink, |p| eprintln!("read back {} of {}", p.read, p.total))
        .await;
    println!(
        "{}",
        show::preview(job.template(), &gateway_name, &preview, &job.report())
    );
    if args.dry_run {
        return Ok(Exit::Success("Dry run: no meter was changed.".into()));
    }
    let to_change = preview.would_change + preview.read_failed;
    if to_change > 0 && !args.yes {
        confirm(to_change, &gateway_name)?;
    }

    let control = Control::new();
    let stop_on_ctrl_c = tokio::spawn(stop_on_ctrl_c(control.clone()));
    // Lets that task install its handler before the first meter starts, so a Ctrl-C from here
    // on stops the job instead of killing the process mid-command.
    tokio::task::yield_now().await;
    let mut progress = show::Progress::new(&gateway_name);
    let report = job
        .run(&sink, &control, |event| progress.on_event(event))
        .await;
    stop_on_ctrl_c.abort();

    let summary = show::summary_of(&report);
    let written = report_to.map_or(Ok(()), |(format, path)| {
        write_report(&report, &path, format)
    });
    Ok(exit_for(&report, summary, written))
}

/// The meters as the engine's targets, with what is known of their settings.
fn targets(records: &Records, gateway: &Gateway, meters: &[Meter]) -> Vec<Target> {
    let gateway_id = gateway.id.as_str();
    meters
        .iter()
        .map(|m| {
            let known = records.store().known().get(gateway_id, &m.address, true);
            Target::new(gateway_id, m.address.clone(), m.version).with_known(known)
        })
        .collect()
}

/// Starts each meter whose last write went unanswered as unconfirmed, so the job sends it
/// nothing.
fn hold_unanswered(
    mut job: BulkJob,
    records: &Records,
    gateway: &Gateway,
    meters: &[Meter],
) -> Result<BulkJob, Exit> {
    for meter in meters {
        let unanswered = records
            .store()
            .audit()
            .and_then(|audit| audit.unanswered_write(&meter.address))
            .map_err(|e| Exit::failure(e.message()))?;
        if let Some(entry) = unanswered {
            let at = MeterRef::new(gateway.id.as_str(), meter.address.clone());
            job = job.with_unconfirmed(&at, &entry.command, entry.msg_id);
        }
    }
    Ok(job)
}

fn report_format(path: &Path) -> Result<ReportFormat, Exit> {
    let format = match path.extension().and_then(|e| e.to_str()) {
        Some(e) if e.eq_ignore_ascii_case("csv") => ReportFormat::Csv,
        Some(e) if e.eq_ignore_ascii_case("json") => ReportFormat::Json,
        _ => {
            return Err(Exit::invalid(format!(
                "--report: {} must end in .csv or .json",
                path.display()
            )))
        }
    };
    let folder = path.parent().filter(|p| !p.as_os_str().is_empty());
    if let Some(folder) = folder.filter(|f| !f.is_dir()) {
        return Err(Exit::invalid(format!(
            "--report: the folder {} does not exist",
            folder.display()
        )));
    }
    Ok(format)
}

/// Reads and checks the template; an invalid one is refused with its code, field and message.
fn read_template(path: &Path) -> Result<Template, Exit> {
    let text = std::fs::read_to_string(path).map_err(|e| {
        Exit::invalid(format!(
            "{}: cannot read the template ({e})",
            path.display()
        ))
    })?;
    Template::from_json(&text).map_err(|e| {
        let code = serde_json::to_value(e.code).expect("an error code serializes");
        let code = code.as_str().unwrap_or_default();
        let field = if e.field.is_empty() { "-" } else { &e.field };
        Exit::invalid(format!(
            "{}: not a valid template ({code}, field {field}): {}",
            path.display(),
            e.message
        ))
    })
}

/// Asks on the terminal. Without one (a script, a pipe), only --yes may change meters.
fn confirm(count: usize, gateway: &str) -> Result<(), Exit> {
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(Exit::Refused(format!(
            "refusing to change {} without --yes: stdin is not a terminal to ask on",
            count_meters(count)
        )));
    }
    eprint!(
        "Change {} on gateway {gateway:?}? [y/N] ",
        count_meters(count)
    );
    let mut answer = String::new();
    stdin
        .lock()
        .read_line(&mut answer)
        .map_err(|e| Exit::invalid(format!("cannot read the answer ({e})")))?;
    match answer.trim().to_ascii_lowercase().as_str() {
        "y" | "yes" => Ok(()),
        _ => Err(Exit::Stopped("you answered no; nothing was sent".into())),
    }
}

/// The first Ctrl-C stops the job (meters under way finish); a second quits at once, leaving
/// what is under way to the audit log, which reads it as interrupted.
async fn stop_on_ctrl_c(control: Control) {
    if tokio::signal::ctrl_c().await.is_err() {
        return;
    }
    eprintln!(
        "push3: stopping: meters under way finish their command, no other meter is started. \
         Ctrl-C again to quit at once."
    );
    control.stop();
    if tokio::signal::ctrl_c().await.is_ok() {
        eprintln!("push3: quit; the commands under way may still run");
        std::process::exit(130);
    }
}

fn write_report(report: &Report, path: &Path, format: ReportFormat) -> Result<(), String> {
    let text = match format {
        ReportFormat::Csv => report.to_csv(),
        ReportFormat::Json => report.to_json(),
    };
    std::fs::write(path, text).map_err(|e| {
        format!(
            "the report could not be written to {} ({e})",
            path.display()
        )
    })
}

/// Unconfirmed outranks failed: a command that may still run needs the user more than one
/// that surely did not. A report that could not be written turns success into failure.
fn exit_for(report: &Report, summary: String, written: Result<(), String>) -> Exit {
    let c = &report.counts;
    let also = written
        .as_ref()
        .err()
        .map_or(String::new(), |e| format!("; {e}"));
    let exit = if c.unconfirmed > 0 {
        Exit::Unconfirmed(format!(
            "{} unconfirmed, not resent: check them before sending again{also}",
            count_meters(c.unconfirmed)
        ))
    } else if c.failed > 0 {
        Exit::failure(format!("{} failed{also}", count_meters(c.failed)))
    } else if c.stopped > 0 {
        Exit::Stopped(format!(
            "{} not started; the same apply again goes on with them{also}",
            count_meters(c.stopped)
        ))
    } else if let Err(e) = written {
        Exit::failure(e)
    } else {
        return Exit::Success(summary);
    };
    println!("{summary}");
    exit
}
