//! Meters whose last command that could change them got no answer (unconfirmed, or its process
//! ended first): it may still run (G10), so bulk jobs (`push3 apply` and the app's Fleet view)
//! hold them back, from one job to the next, until the user has checked them and says so. The
//! audit log is the record, with the app's commands as well as the CLI's.

use crate::{AuditLog, Entry, Filter, MeterAddress, Outcome, Page, Result};
use push3::CommandKind;

const PAGE: u32 = 100;

impl AuditLog {
    /// The newest command to `meter` that is not a read, when its fate is unknown.
    pub fn unanswered_write(&self, meter: &MeterAddress) -> Result<Option<Entry>> {
        unanswered_write(self, meter)
    }
}

fn unanswered_write(audit: &AuditLog, meter: &MeterAddress) -> Result<Option<Entry>> {
    let filter = Filter {
        meter: Some(meter.clone()),
        ..Filter::default()
    };
    let mut page = Page::first(PAGE);
    loop {
        let found = audit.query(&filter, &page)?;
        // A read changes nothing, so an unanswered one holds nothing back.
        if let Some(last) = found.entries.into_iter().find(|e| !is_read(&e.command)) {
            let unknown = matches!(
                last.outcome,
                Outcome::Unconfirmed | Outcome::Interrupted | Outcome::Pending
            );
            return Ok(unknown.then_some(last));
        }
        match found.next {
            Some(next) => page.before = Some(next),
            None => return Ok(None),
        }
    }
}

/// A raw command of a name the core does not know may change anything: not a read.
fn is_read(command: &str) -> bool {
    CommandKind::from_name(command).is_some_and(CommandKind::is_read)
}
