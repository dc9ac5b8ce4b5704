//! A meter's plan of several commands stops at its first command that is not confirmed: after
//! an unconfirmed one (it may still run) or a failed one, the rest of the plan is never sent.

use push3::{Command, MeterAddress, MeterVersion, Outcome};
use push3_fleet::{
    BulkJob, CommandSink, Control, MeterState, SendError, Sent, Target, Template, Turn,
};
use serde_json::json;
use std::sync::Mutex;
use std::time::Duration;

/// Confirms every first command; answers each meter's second command as its script says.
struct ScriptedGateway {
    second: fn(&MeterAddress) -> Outcome,
    asked: Mutex<Vec<(String, &'static str)>>,
}

impl CommandSink for ScriptedGateway {
    async fn send(
        &self,
        _gateway_id: &str,
        meter: &MeterAddress,
        command: &Command,
        _turn: Turn,
    ) -> Result<Sent, SendError> {
        let nth = {
            let mut asked = self.asked.lock().unwrap();
            asked.push((meter.to_string(), command.name()));
            asked.iter().filter(|(m, _)| m == meter.as_str()).count()
        };
        let outcome = match nth {
            1 => Outcome::Confirmed {
                data: None,
                timestamp: 0.0,
            },
            2 => (self.second)(meter),
            _ => Outcome::Confirmed {
                data: None,
                timestamp: 0.0,
            },
        };
        Ok(Sent {
            msg_id: Some(format!("{meter}-{nth}")),
            outcome,
            elapsed: Duration::from_millis(1),
        })
    }
}

fn three_settings() -> Template {
    Template::new(
        "Three settings",
        json!({"kind": "settings", "settings": {
            "ct_ratio": 400, "max_demand_reset_interval": 1, "pulse_output_ratio": 200
        }}),
    )
    .unwrap()
}

#[tokio::test]
async fn the_third_command_is_never_sent_after_an_unconfirmed_or_failed_second() {
    let silent = MeterAddress::parse("350000001").unwrap();
    let failing = MeterAddress::parse("350000002").unwrap();
    let healthy = MeterAddress::parse("350000003").unwrap();
    let targets = vec![
        Target::new("gw", silent.clone(), MeterVersion::V4),
        Target::new("gw", failing.clone(), MeterVersion::V4),
        Target::new("gw", healthy.clone(), MeterVersion::V4),
    ];
    let gateway = ScriptedGateway {
        second: |meter| match meter.as_str().chars().last() {
            Some('1') => Outcome::Unconfirmed,
            Some('2') => Outcome::Failed {
                error: "no ACK from meter".into(),
                timestamp: 0.0,
            },
            _ => Outcome::Confirmed {
                data: None,
                timestamp: 0.0,
            },
        },
        asked: Mutex::default(),
    };
    let mut job = BulkJob::new(three_settings(), targets);
    let report = job.run(&gateway, &Control::new(), |_| {}).await;

    let state = |meter: &MeterAddress| {
        report
            .rows
            .iter()
            .find(|r| &r.at.meter == meter)
            .unwrap()
            .state
            .clone()
    };
    let asked = gateway.asked.lock().unwrap().clone();
    let commands = |meter: &MeterAddress| -> Vec<&str> {
        asked
            .iter()
            .filter(|(m, _)| m == meter.as_str())
            .map(|(_, c)| *c)
            .collect()
    };
    assert_eq!(
        commands(&healthy),
        [
            "SetCTRatio",
            "SetMaxDemandResetInterval",
            "SetPulseOutputRatio"
        ],
        "the plan has three commands"
    );
    for meter in [&silent, &failing] {
        assert_eq!(
            commands(meter),
            ["SetCTRatio", "SetMaxDemandResetInterval"],
            "{meter}: stops after the second"
        );
    }
    assert_eq!(state(&healthy), MeterState::Confirmed);
    assert!(
        matches!(state(&silent), MeterState::Unconfirmed { .. }),
        "{:?}",
        state(&silent)
    );
    assert!(
        matches!(state(&failing), MeterState::Failed { .. }),
        "{:?}",
        state(&failing)
    );
}
