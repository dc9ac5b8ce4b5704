//! The CSV export: one row per entry, RFC 4180 quoting (the `csv` crate quotes a field holding a
//! comma, a quote or a line break, and doubles its quotes), times in RFC 3339 UTC.

use crate::entry::Entry;
use crate::error::{AuditError, Result};
use chrono::SecondsFormat;
use std::io::Write;

pub(crate) const HEADER: [&str; 13] = [
    "id",
    "time",
    "source",
    "gateway_id",
    "gateway_name",
    "meter",
    "command",
    "summary",
    "params",
    "outcome",
    "msg_id",
    "error_text",
    "round_trip_ms",
];

/// Writes rows as they come, so an export of the whole log never holds it in memory.
pub(crate) struct CsvExport<W: Write> {
    writer: csv::Writer<W>,
    rows: u64,
}

impl<W: Write> CsvExport<W> {
    pub fn start(out: W) -> Result<Self> {
        let mut writer = csv::WriterBuilder::new()
            .terminator(csv::Terminator::CRLF)
            .from_writer(out);
        writer.write_record(HEADER).map_err(failed)?;
        Ok(Self { writer, rows: 0 })
    }

    pub fn write(&mut self, entry: &Entry) -> Result<()> {
        let optional = |v: &Option<String>| v.clone().unwrap_or_default();
        self.writer
            .write_record([
                entry.id.to_string(),
                entry.time.to_rfc3339_opts(SecondsFormat::Millis, true),
                entry.source.as_str().to_string(),
                spreadsheet_safe(&entry.gateway_id),
                spreadsheet_safe(&entry.gateway_name),
                entry.meter.clone(),
                entry.command.clone(),
                spreadsheet_safe(&entry.summary),
                entry.params.to_string(),
                entry.outcome.as_str().to_string(),
                optional(&entry.msg_id),
                spreadsheet_safe(&optional(&entry.error_text)),
                entry
                    .round_trip_ms
                    .map(|ms| ms.to_string())
                    .unwrap_or_default(),
            ])
            .map_err(failed)?;
        self.rows += 1;
        Ok(())
    }

    /// Flushes and tells how many entries were written.
    pub fn finish(mut self) -> Result<u64> {
        self.writer.flush().map_err(|e| AuditError::Io {
            message: format!("Could not write the CSV export: {e}"),
        })?;
        Ok(self.rows)
    }
}

/// Names come from the user and error texts from the gateway verbatim (G41); a cell that starts
/// like a formula would run as one when the export is opened in a spreadsheet, so it is kept as
/// text. (push3-fleet's report does the same for its cells.)
fn spreadsheet_safe(text: &str) -> String {
    if text.starts_with(['=', '+', '-', '@']) {
        format!("'{text}")
    } else {
        text.to_string()
    }
}

fn failed(e: csv::Error) -> AuditError {
    AuditError::Io {
        message: format!("Could not write the CSV export: {e}"),
    }
}
