//! Drift for the UI: which meters differ from a template. TOU programs are read back now
//! (through the one audited send, like any command); the rest comes from what is known.

use super::jobs::DeskSink;
use super::Desk;
use crate::error::IpcError;
use push3_fleet::{drift, DriftRow, MeterRef};

impl Desk {
    /// Which meters differ from a template (TOU read back now, the rest from what is known).
    pub async fn drift_report(
        &self,
        template: &str,
        meters: Vec<MeterRef>,
    ) -> Result<Vec<DriftRow>, IpcError> {
        let template = self.template(template)?;
        let report = drift(
            self.targets(&meters).await?,
            &template,
            &DeskSink(self),
            |_| {},
        )
        .await;
        Ok(report.rows)
    }
}
