//! The wire profiles the gateway dialog offers, and loading a corrected one from a file.

use super::views::{LoadedProfileView, WireProfileView};
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
    pub async fn load_wire_profile(&self, text: String) -> Result<LoadedProfileView, IpcError> {
        let loaded = self
            .blocking(move |inv| inv.load_wire_profile(&text))
            .await?;
        // Gateways on this id get the new shapes with their next client.
        self.clients.forget_all();
        Ok(LoadedProfileView::from(&loaded))
    }

    /// Forgets a loaded profile; refused for a built-in one and for one a gateway speaks,
    /// naming the gateways.
    pub async fn remove_wire_profile(&self, id: String) -> Result<(), IpcError> {
        self.blocking(move |inv| inv.remove_wire_profile(&id)).await
    }
}

#[cfg(test)]
mod tests {
    use crate::desk::one_meter_desk::{OneMeterDesk, METER};
    use crate::test_keychain::MemoryKeychain;
    use push3::Outcome;
    use push3_inventory::{GatewayEdit, GatewayId, Inventory};
    use serde_json::json;

    #[tokio::test(flavor = "multi_thread")]
    async fn a_wire_profile_set_by_another_process_is_spoken_from_the_next_command() {
        // A gateway that takes EKM's libraries' flat keys, schedules from 0.
        let app = OneMeterDesk::start("Flat", |config| {
            config.wire_profile = push3::undocumented::WireProfile::built_in()[1].clone()
        })
        .await;
        let (desk, sim) = (&app.desk, &app.sim);
        let (changed, mut heard) = tokio::sync::mpsc::unbounded_channel();
        desk.watch_store(move |change| changed.send(change).is_ok());
        let schedule = || {
            serde_json::from_value(json!({
                "gatewayId": app.gateway_id, "meter": METER, "command": "SetSchedule",
                "params": {"schedule": 1, "periods": [
                    {"hour": 0, "minute": 0, "tariff": 1}, {"hour": 7, "minute": 0, "tariff": 2},
                    {"hour": 0, "minute": 0, "tariff": 0}, {"hour": 0, "minute": 0, "tariff": 0}]}
            }))
            .unwrap()
        };
        // The default profile's nested shape: the flat gateway refuses it, by the key.
        let outcome = desk.send_command(schedule(), |_| {}).await.unwrap();
        assert!(
            matches!(&outcome, Outcome::Rejected { error } if error.contains("periods")),
            "{outcome:?}"
        );

        // `push3 gateway set Flat --wire-profile flat-from-0`, in effect: another handle on the
        // same folder changes the row, and the app hears of it from the store.
        while heard.try_recv().is_ok() {}
        let other = Inventory::with_keychain(app.dir(), MemoryKeychain::default());
        let edit = GatewayEdit {
            wire_profile: Some("flat-from-0".into()),
            ..Default::default()
        };
        other
            .edit_gateway(&GatewayId::from(app.gateway_id.as_str()), edit)
            .unwrap();
        loop {
            let change = tokio::time::timeout(std::time::Duration::from_secs(5), heard.recv())
                .await
                .expect("the change was heard")
                .unwrap();
            if change.inventory {
                break;
            }
        }
        let outcome = desk.send_command(schedule(), |_| {}).await.unwrap();
        assert!(outcome.is_confirmed(), "{outcome:?}");
        let body = sim.requests().last().unwrap().body.clone().unwrap();
        assert_eq!(
            (
                body["params"]["Schedule"].clone(),
                body["params"]["Hour_2"].clone()
            ),
            (json!(0), json!(7))
        );
        // The history holds each as it went out: the nested shape, then the flat one.
        let history = desk
            .history(push3_audit::Filter::default(), push3_audit::Page::first(10))
            .await
            .unwrap()
            .entries;
        let sent: Vec<&serde_json::Value> = history.iter().map(|e| &e.params).collect();
        assert_eq!(sent[0], &body["params"], "the newest, flat");
        assert_eq!(
            sent[1]["schedule"],
            json!(1),
            "the first, nested: {}",
            sent[1]
        );
        assert_eq!(
            history[0].summary, history[1].summary,
            "one summary for both"
        );
    }
}
