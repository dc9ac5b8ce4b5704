//! "Test connection" in the gateway dialog: the core's test ([`push3::Client::test_connection`])
//! with what the dialog holds, on record in the history.

use super::demo::DEMO_GATEWAY_ID;
use super::forms::GatewayTestForm;
use super::route::GatewayRoute;
use super::Desk;
use crate::error::IpcError;
use push3::undocumented::WireProfile;
use push3::{Client, ClientConfig, ConnectionTest, MeterAddress, Outcome, Secret};
use push3_audit::Source;
use push3_fleet::Turn;
use push3_inventory::GatewayCredentials;
use std::time::Duration;

/// A test waits at most this long for the meter's answer (or the app's response timeout, if
/// shorter): long enough for a gateway that runs one command at a time, short enough to sit
/// through in a dialog.
const TEST_TIMEOUT: Duration = Duration::from_secs(30);

/// What the test sends with, and to which meter.
struct Plan {
    config: ClientConfig,
    meter: MeterAddress,
    gateway_id: String,
    gateway_name: String,
}

impl Desk {
    pub async fn test_gateway(&self, form: GatewayTestForm) -> Result<ConnectionTest, IpcError> {
        let plan = self.test_plan(form).await?;
        let client = Client::new(
            plan.config
                .with_timeout(self.response_timeout.min(TEST_TIMEOUT)),
        )?;
        // In the gateway's line with any job's commands, as every command of this app is: the
        // test's read is timed from its turn there, and a job's commands behind it from theirs,
        // so on a gateway that runs one command at a time neither looks unanswered for its
        // wait in the line.
        let (line, turn) = if plan.gateway_id.is_empty() {
            (None, Turn::now())
        } else {
            let (line, turn) = self.paces.send_alone(&plan.gateway_id);
            (Some(line), turn)
        };
        let test = self
            .records
            .test_on_record(
                Source::App,
                (&plan.gateway_id, &plan.gateway_name),
                &plan.meter,
                &client,
                turn,
            )
            .await?;
        if let Some(line) = line {
            let answered = matches!(
                test.outcome(),
                Ok(Outcome::Confirmed { .. } | Outcome::Failed { .. })
            );
            line.ended(answered);
        }
        Ok(test)
    }

    async fn test_plan(&self, form: GatewayTestForm) -> Result<Plan, IpcError> {
        let typed = |s: Option<Secret>| {
            s.map(|s| Secret::new(s.expose().trim()))
                .filter(|s| !s.expose().is_empty())
        };
        let (key, token) = (typed(form.key), typed(form.token));
        let named = form.meter.clone().filter(|m| !m.trim().is_empty());
        let route = form.gateway_id.as_deref().map(GatewayRoute::of);
        let name = form.name.clone().unwrap_or_default();
        match route {
            Some(GatewayRoute::Demo) => {
                let meter = match named {
                    Some(named) => MeterAddress::parse(&named)?,
                    None => self.demo.meters[0].address.clone(),
                };
                Ok(Plan {
                    config: self.demo.client_config(),
                    meter,
                    gateway_id: DEMO_GATEWAY_ID.to_string(),
                    gateway_name: "Demo gateway".to_string(),
                })
            }
            Some(GatewayRoute::Stored(id)) => {
                let clear_token = form.clear_token;
                let stored_id = id.clone();
                let (stored, stored_name, meter) = self
                    .blocking(move |inv| {
                        let gateway = inv.gateway(&stored_id)?;
                        let meter = crate::connection::meter_to_test(
                            inv,
                            &stored_id,
                            &gateway.name,
                            named.as_deref(),
                        )?;
                        Ok((inv.credentials(&stored_id)?, gateway.name, meter))
                    })
                    .await?;
                let token = if clear_token {
                    None
                } else {
                    token.or(stored.token)
                };
                // The stored gateway as the form would save it.
                let credentials = GatewayCredentials {
                    api_url: form.api_url,
                    key: key.or(stored.key),
                    token,
                    profile: stored.profile,
                };
                Ok(Plan {
                    config: credentials.client_config(),
                    meter,
                    gateway_id: id.to_string(),
                    gateway_name: if name.trim().is_empty() {
                        stored_name
                    } else {
                        name
                    },
                })
            }
            None => {
                let meter = named.ok_or_else(|| {
                    IpcError::invalid_field(
                        "meter",
                        "Name a meter on this gateway to read for the test",
                    )
                })?;
                let credentials = GatewayCredentials {
                    api_url: form.api_url,
                    key,
                    token,
                    profile: WireProfile::default_profile().clone(),
                };
                Ok(Plan {
                    config: credentials.client_config(),
                    meter: MeterAddress::parse(&meter)?,
                    gateway_id: String::new(),
                    gateway_name: name,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::desk::one_meter_desk::OneMeterDesk;
    use push3_sim::{Faults, Simulator};

    /// What the one-at-a-time gateway takes per command.
    const SERVICE: Duration = Duration::from_millis(600);

    async fn requests_reach(sim: &Simulator, n: usize) {
        while sim.requests().len() < n {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
    }

    #[tokio::test(flavor = "multi_thread")]
    async fn tests_in_one_gateways_line_are_each_timed_from_their_turn() {
        let mut app = OneMeterDesk::start("Bus", |config| {
            config.faults = Faults {
                latency: SERVICE,
                ..Faults::default()
            }
        })
        .await;
        // Between one and two of the gateway's turns: the second in line answers 2 × SERVICE
        // after it was sent, the third 3 × SERVICE, after a timeout counted from their sends.
        app.desk.response_timeout = Duration::from_millis(1000);
        let (desk, sim) = (&app.desk, &app.sim);
        let form = || GatewayTestForm {
            gateway_id: Some(app.gateway_id.clone()),
            name: None,
            api_url: sim.api_url(),
            key: None,
            token: None,
            clear_token: false,
            meter: None,
        };
        // Each joins the line once the one before it reached the gateway: the line's order is
        // the order the gateway runs them in.
        let (first, second, third) = tokio::join!(
            desk.test_gateway(form()),
            async {
                requests_reach(sim, 1).await;
                desk.test_gateway(form()).await
            },
            async {
                requests_reach(sim, 2).await;
                desk.test_gateway(form()).await
            },
        );
        for (n, test) in [first, second, third].into_iter().enumerate() {
            let test = test.unwrap();
            assert!(test.passed, "test {}: {test:#?}", n + 1);
        }
    }
}
