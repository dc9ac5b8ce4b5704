//! The editors' unsent drafts, as the window keeps and restores them (see
//! [`crate::store::drafts`]). Every meter's drafts are kept alike, the demo gateway's too: an
//! edit is the user's work wherever it was made.

use super::programs::MeterRef;
use super::Desk;
use crate::error::IpcError;
use crate::store::{Draft, DraftPart};
use push3::MeterAddress;
use serde_json::Value;

/// The largest draft kept, in bytes of JSON. A whole time-of-use program is about 3 KB, so this
/// only stops a runaway Advanced-tab paste from filling the store on every keystroke.
pub const MAX_DRAFT_BYTES: usize = 256 * 1024;

impl Desk {
    /// Every unsent draft, newest first: the window marks their tabs and meters, and names them
    /// at start.
    pub async fn drafts(&self) -> Result<Vec<Draft>, IpcError> {
        self.with_store(|store| Ok(store.drafts().list()?)).await
    }

    /// Keeps the editor's state as the meter's draft for `part`, replacing the one before.
    pub async fn save_draft(
        &self,
        target: MeterRef,
        part: DraftPart,
        value: Value,
    ) -> Result<Draft, IpcError> {
        let meter = MeterAddress::parse(&target.meter)?;
        let size = value.to_string().len();
        if size > MAX_DRAFT_BYTES {
            return Err(IpcError::invalid_field(
                "value",
                format!(
                    "This draft is {size} bytes; at most {MAX_DRAFT_BYTES} are kept. It was not \
                     saved, and stays only in this window until you send or discard it."
                ),
            ));
        }
        self.with_store(move |store| {
            Ok(store
                .drafts()
                .put(&target.gateway_id, &meter, part, &value)?)
        })
        .await
    }

    /// Forgets the meter's draft for `part`: discarded, or sent and confirmed.
    pub async fn discard_draft(&self, target: MeterRef, part: DraftPart) -> Result<(), IpcError> {
        let meter = MeterAddress::parse(&target.meter)?;
        self.with_store(move |store| Ok(store.drafts().remove(&target.gateway_id, &meter, part)?))
            .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn desk(dir: &std::path::Path) -> Desk {
        Desk::new(dir.to_path_buf(), &tokio::runtime::Handle::current()).unwrap()
    }

    fn at(gateway: &str, meter: &str) -> MeterRef {
        serde_json::from_value(json!({"gatewayId": gateway, "meter": meter})).unwrap()
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_draft_outlives_the_app_and_discarding_forgets_only_it() {
        let dir = tempfile::tempdir().unwrap();
        {
            let desk = desk(dir.path());
            let tou = json!({"schedules": [[{"hour": 7, "minute": 0, "tariff": 2}]]});
            desk.save_draft(at("demo", "350000900"), DraftPart::Tou, json!({"old": 1}))
                .await
                .unwrap();
            // The second save of the same editor replaces the first.
            desk.save_draft(at("demo", "000350000900"), DraftPart::Tou, tou)
                .await
                .unwrap();
            desk.save_draft(
                at("demo", "000350000900"),
                DraftPart::Lcd,
                json!(["kWh_Tot"]),
            )
            .await
            .unwrap();
        }
        // A new app on the same data folder: a restart.
        let desk = desk(dir.path());
        let drafts = desk.drafts().await.unwrap();
        let mut parts: Vec<_> = drafts.iter().map(|d| (d.meter.as_str(), d.part)).collect();
        parts.sort();
        assert_eq!(
            parts,
            [
                ("000350000900", DraftPart::Tou),
                ("000350000900", DraftPart::Lcd)
            ]
        );
        let tou = drafts.iter().find(|d| d.part == DraftPart::Tou).unwrap();
        assert_eq!(tou.value["schedules"][0][0]["hour"], 7);

        desk.discard_draft(at("demo", "000350000900"), DraftPart::Tou)
            .await
            .unwrap();
        let left: Vec<_> = desk
            .drafts()
            .await
            .unwrap()
            .into_iter()
            .map(|d| d.part)
            .collect();
        assert_eq!(left, [DraftPart::Lcd]);
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn a_bad_meter_or_an_oversized_draft_is_refused_and_nothing_is_kept() {
        let dir = tempfile::tempdir().unwrap();
        let desk = desk(dir.path());
        let e = desk
            .save_draft(at("demo", "12x"), DraftPart::Settings, json!({}))
            .await
            .unwrap_err();
        assert_eq!(e.code, crate::ErrorCode::InvalidInput);
        let huge = json!({"text": "x".repeat(MAX_DRAFT_BYTES)});
        let e = desk
            .save_draft(at("demo", "000350000900"), DraftPart::Advanced, huge)
            .await
            .unwrap_err();
        assert_eq!(e.field.as_deref(), Some("value"), "{e:?}");
        assert!(desk.drafts().await.unwrap().is_empty());
    }
}
