//! The wire profiles the gateway dialog offers, and loading a corrected one from a file.

use super::views::WireProfileView;
use super::Desk;
use crate::error::IpcError;

impl Desk {
    /// The built-in profiles, then the loaded ones.
    pub async fn wire_profiles(&self) -> Result<Vec<WireProfileView>, IpcError> {
        let profiles = self.blocking(|inv| inv.wire_profiles()).await?;
        Ok(profiles.iter().map(WireProfileView::from).collect())
    }

    /// Checks a profile file and keeps it in the store, for the app and the CLI; refused with
    /// its first bad field, keeping nothing.
    pub async fn load_wire_profile(&self, text: String) -> Result<WireProfileView, IpcError> {
        let profile = self
            .blocking(move |inv| inv.load_wire_profile(&text))
            .await?;
        // Gateways on this id get the new shapes with their next client.
        self.clients.forget_all();
        Ok(WireProfileView::from(&profile))
    }
}
