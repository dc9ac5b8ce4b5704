//! What `push3 apply` tells: the preview and the summary on stdout, a line per meter state
//! change on stderr while it runs.

use crate::listing::columns;
use push3::program::{summary, Plan};
use push3_fleet::{
    GatewayLoad, JobEvent, MeterState, Preview, Report, Template, TemplateKind, Verdict,
};
use std::fmt::Write;

/// "1 meter", "3 meters".
pub fn meters(count: usize) -> String {
    match count {
        1 => "1 meter".to_string(),
        n => format!("{n} meters"),
    }
}

/// The verdict for each meter a run would start, then the held ones (`before` is the job's
/// report before any run: only held meters are unconfirmed in it), then the counts.
pub fn preview(template: &Template, gateway: &str, preview: &Preview, before: &Report) -> String {
    let kind = match template.kind() {
        TemplateKind::Lcd => "display list",
        TemplateKind::Tou => "time-of-use program",
        TemplateKind::Settings => "settings",
    };
    let mut rows: Vec<Vec<String>> = preview
        .rows
        .iter()
        .map(|row| {
            let (verdict, detail) = match &row.verdict {
                Verdict::WouldChange { plan } => ("would change", commands(plan)),
                Verdict::Complies { unchanged } => {
                    ("complies", format!("holds {}", unchanged.join(", ")))
                }
                Verdict::CannotTake { reason } => ("cannot take", reason.clone()),
                Verdict::ReadFailed { error, plan } => (
                    "read failed",
                    format!("{error}; would send {}", commands(plan)),
                ),
            };
            vec![row.at.meter.to_string(), verdict.into(), detail]
        })
        .collect();
    let held: Vec<Vec<String>> = before
        .unconfirmed()
        .map(|row| {
            vec![
                row.at.meter.to_string(),
                "held".into(),
                format!("{}; not sent (see --retry-unconfirmed)", row.state.detail()),
            ]
        })
        .collect();
    let held_count = held.len();
    rows.extend(held);
    let mut text = format!(
        "Template {:?} ({kind}) on gateway {gateway:?}, {}:\n",
        template.name(),
        meters(rows.len())
    );
    text.push_str(&columns(&["METER", "VERDICT", "DETAIL"], &rows));
    let _ =
        write!(
        text,
        "\n{} would change, {} complies, {} cannot take it, {} read failed, {} held (unconfirmed \
         earlier).",
        preview.would_change, preview.complies, preview.cannot_take, preview.read_failed, held_count
    );
    text
}

fn commands(plan: &Plan) -> String {
    let summaries: Vec<String> = plan.commands.iter().map(|c| summary(&c.command)).collect();
    format!(
        "{} command{}: {}",
        summaries.len(),
        if summaries.len() == 1 { "" } else { "s" },
        summaries.join("; ")
    )
}

/// Prints each meter's state change with the job's progress, which the engine reports right
/// after it, and how much work waits for the gateway.
pub struct Progress {
    gateway_name: String,
    line: Option<String>,
    load: Option<GatewayLoad>,
}

impl Progress {
    pub fn new(gateway_name: &str) -> Self {
        Self {
            gateway_name: gateway_name.to_string(),
            line: None,
            load: None,
        }
    }

    pub fn on_event(&mut self, event: JobEvent) {
        match event {
            JobEvent::Meter { at, state } => self.line = Some(state_line(&at.meter, &state)),
            JobEvent::Progress(progress) => {
                if let Some(line) = self.line.take() {
                    let queue = self
                        .load
                        .as_ref()
                        .map(|l| queue_text(&self.gateway_name, l));
                    match queue {
                        Some(queue) => eprintln!(
                            "[{}/{}] {line} ({queue})",
                            progress.finished, progress.total
                        ),
                        None => eprintln!("[{}/{}] {line}", progress.finished, progress.total),
                    }
                }
            }
            JobEvent::Gateway(load) => self.load = Some(load),
            JobEvent::Command { .. } | JobEvent::Paused => {}
        }
    }
}

/// "gateway North: 2 under way, waiting 26": a slow gateway shows as queued work, not a hang.
pub fn queue_text(gateway_name: &str, load: &GatewayLoad) -> String {
    if load.waiting == 0 {
        format!("gateway {gateway_name}: {} under way", load.under_way)
    } else {
        format!(
            "gateway {gateway_name}: {} under way, {} waiting for the gateway",
            load.under_way, load.waiting
        )
    }
}

fn state_line(meter: &impl std::fmt::Display, state: &MeterState) -> String {
    match state.detail() {
        detail if detail.is_empty() => format!("{meter} {}", state.label()),
        detail => format!("{meter} {}: {detail}", state.label()),
    }
}

/// The counts, then every meter that needs the user: failed, unconfirmed (with their msg_ids,
/// never resent), and stopped before they started.
pub fn summary_of(report: &Report) -> String {
    let c = &report.counts;
    let mut text = format!(
        "Done: {} confirmed, {} failed, {} unconfirmed, {} skipped, {} stopped ({}).",
        c.confirmed,
        c.failed,
        c.unconfirmed,
        c.skipped,
        c.stopped,
        meters(report.rows.len())
    );
    let failed: Vec<Vec<String>> = report
        .rows
        .iter()
        .filter_map(|row| match &row.state {
            MeterState::Failed { error } => Some(vec![row.at.meter.to_string(), error.clone()]),
            _ => None,
        })
        .collect();
    if !failed.is_empty() {
        text.push_str("\nFailed (no command after the failed one was sent):\n");
        text.push_str(&columns(&["METER", "ERROR"], &failed));
    }
    let unconfirmed: Vec<Vec<String>> = report
        .unconfirmed()
        .filter_map(|row| match &row.state {
            MeterState::Unconfirmed { command, msg_id } => Some(vec![
                row.at.meter.to_string(),
                command.clone(),
                msg_id.clone().unwrap_or_else(|| "-".into()),
            ]),
            _ => None,
        })
        .collect();
    if !unconfirmed.is_empty() {
        text.push_str(
            "\nUnconfirmed: no answer came, and these commands were NOT resent. Each may still \
             run on its meter; check the meters before sending again (a later apply holds them \
             back unless --retry-unconfirmed):\n",
        );
        text.push_str(&columns(&["METER", "COMMAND", "MSG_ID"], &unconfirmed));
    }
    let stopped: Vec<String> = report
        .rows
        .iter()
        .filter(|row| row.state == MeterState::Stopped)
        .map(|row| row.at.meter.to_string())
        .collect();
    if !stopped.is_empty() {
        let _ = write!(
            text,
            "\nStopped before they started, sent nothing: {}",
            stopped.join(" ")
        );
    }
    text
}
