//! The audit history for the UI: every command this app and the CLI sent, in keyset pages, counted
//! and exported, from the one store.

use super::Desk;
use crate::error::IpcError;
use push3_audit::{EntryPage, Filter, Page};

impl Desk {
    pub async fn history(&self, filter: Filter, page: Page) -> Result<EntryPage, IpcError> {
        self.audited(move |audit| audit.query(&filter, &page)).await
    }

    pub async fn history_count(&self, filter: Filter) -> Result<u64, IpcError> {
        self.audited(move |audit| audit.count(&filter)).await
    }

    pub async fn history_csv(&self, filter: Filter) -> Result<String, IpcError> {
        let bytes = self
            .audited(move |audit| {
                let mut out = Vec::new();
                audit.export_csv(&filter, &mut out)?;
                Ok(out)
            })
            .await?;
        Ok(String::from_utf8_lossy(&bytes).into_owned())
    }
}
