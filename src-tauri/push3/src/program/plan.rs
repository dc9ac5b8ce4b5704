//! From a program (JSON, as the UI or a template file holds it) to the commands that take a
//! meter there. Each part is checked by the one validator, [`crate::command::parse`]; its error
//! is renamed to the program path of the value, so the UI can put it next to the field.

use super::known::KnownState;
use super::summary::summary;
use super::tou::padded_holidays;
use crate::command::{parse, Command, ParseOptions};
use crate::error::ValidationError;
use crate::limits::{PULSE_LINES, SCHEDULES};
use crate::undocumented::tou::allowed_periods;
use crate::version::MeterVersion;
use serde::{Serialize, Serializer};
use serde_json::{json, Value};
use ts_rs::TS;

/// One command of a plan: exactly what is sent (the meter password is added at sending).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlannedCommand {
    pub command: Command,
}

impl Serialize for PlannedCommand {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        PlannedCommandView {
            command: self.command.name().to_string(),
            params: self.command.params(),
            summary: summary(&self.command),
        }
        .serialize(serializer)
    }
}

/// A planned command as the UI and the CLI's JSON see it: the wire name and params exactly as
/// sent, and one line for people.
#[derive(Serialize, TS)]
#[ts(rename = "PlannedCommand")]
struct PlannedCommandView {
    command: String,
    params: serde_json::Map<String, Value>,
    summary: String,
}

/// The commands to send, in order, and the parts left out because the meter holds them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Default, TS)]
pub struct Plan {
    #[ts(as = "Vec<PlannedCommandView>")]
    pub commands: Vec<PlannedCommand>,
    pub unchanged: Vec<String>,
}

impl Plan {
    /// Plans `command` unless the meter is known to hold the same (`held`), or `force`.
    fn part(&mut self, command: Command, held: bool, force: bool, label: impl Into<String>) {
        if held && !force {
            self.unchanged.push(label.into());
        } else {
            self.commands.push(PlannedCommand { command });
        }
    }
}

/// Plans `program` (`{"kind": "tou"|"lcd"|"settings", …}`) for a `version` meter of which
/// `known` is known; `force` plans every part even if the meter holds it.
pub fn plan(
    program: &Value,
    version: MeterVersion,
    known: &KnownState,
    force: bool,
) -> Result<Plan, ValidationError> {
    let checker = Checker { version };
    match program.get("kind").and_then(Value::as_str) {
        Some("tou") => checker.tou(
            required(program, "tou", "the time-of-use program")?,
            known,
            force,
        ),
        Some("lcd") => checker.lcd(program, known, force),
        Some("settings") => checker.settings(
            required(program, "settings", "the settings program")?,
            known,
            force,
        ),
        _ => Err(ValidationError::new(
            "kind",
            show(program.get("kind").unwrap_or(&Value::Null)),
            "\"tou\", \"lcd\" or \"settings\"",
        )),
    }
}

struct Checker {
    version: MeterVersion,
}

impl Checker {
    /// Validates one command of the program; `path` renames its error's field.
    fn check(
        &self,
        name: &str,
        params: Value,
        opts: &ParseOptions,
        path: impl Fn(&str) -> String,
    ) -> Result<Command, ValidationError> {
        let rename = |e: ValidationError| ValidationError {
            field: path(&e.field),
            ..e
        };
        let command = parse(name, &params, opts).map_err(rename)?.command;
        if !command.supported_by(self.version) {
            return Err(ValidationError::new(
                path(""),
                format!("{name} on a {} meter", self.version),
                "it needs a V4 or V5 meter",
            ));
        }
        Ok(command)
    }

    fn tou(&self, tou: &Value, known: &KnownState, force: bool) -> Result<Plan, ValidationError> {
        let opts = ParseOptions {
            experimental_seasons: true,
            ..Default::default()
        };
        let schedules = tou
            .get("schedules")
            .and_then(Value::as_array)
            .filter(|s| s.len() == usize::from(SCHEDULES))
            .ok_or_else(|| {
                ValidationError::new(
                    "schedules",
                    show(tou.get("schedules").unwrap_or(&Value::Null)),
                    format!(
                        "a list of {SCHEDULES} schedules, each {}",
                        allowed_periods()
                    ),
                )
            })?;
        let held = known.tou.as_ref().map(|k| &k.value);
        let mut plan = Plan::default();
        for (i, periods) in schedules.iter().enumerate() {
            let number = i + 1;
            let command = self.check(
                "SetSchedule",
                json!({"schedule": number, "periods": periods}),
                &opts,
                |field| match field.strip_prefix("periods") {
                    Some(rest) => format!("schedules[{i}]{rest}"),
                    None => format!("schedules[{i}]"),
                },
            )?;
            let Command::SetSchedule { periods, .. } = &command else {
                unreachable!("SetSchedule parses to SetSchedule")
            };
            let same = held.is_some_and(|h| h.schedules.get(i) == Some(periods));
            plan.part(command, same, force, format!("Schedule {number}"));
        }

        let holidays = self.check(
            "SetHolidayDates",
            json!({"holiday_dates": required(tou, "holidays", "a list of up to 20 holidays")?}),
            &opts,
            |field| field.replacen("holiday_dates", "holidays", 1),
        )?;
        let Command::SetHolidayDates { holidays: dates } = &holidays else {
            unreachable!("SetHolidayDates parses to SetHolidayDates")
        };
        // Always the whole table: the command replaces all 20 slots (§2.12).
        let dates = padded_holidays(dates);
        let same = held.is_some_and(|h| padded_holidays(&h.holidays) == dates);
        plan.part(
            Command::SetHolidayDates { holidays: dates },
            same,
            force,
            "Holidays",
        );

        let weekend = self.check(
            "SetWeekendHolidaySchedules",
            json!({
                "weekend_schedule": required(tou, "weekend_schedule", "a schedule number")?,
                "holiday_schedule": required(tou, "holiday_schedule", "a schedule number")?,
            }),
            &opts,
            str::to_string,
        )?;
        let same = held.is_some_and(|h| {
            weekend
                == Command::SetWeekendHolidaySchedules {
                    weekend_schedule: h.weekend_schedule,
                    holiday_schedule: h.holiday_schedule,
                }
        });
        plan.part(weekend, same, force, "Weekend and holiday schedules");

        match tou.get("seasons") {
            None | Some(Value::Null) => {}
            Some(seasons) => {
                let command = self.check(
                    "SetSeasonSchedules",
                    json!({ "seasons": seasons }),
                    &opts,
                    str::to_string,
                )?;
                let Command::SetSeasonSchedules { seasons } = &command else {
                    unreachable!("SetSeasonSchedules parses to SetSeasonSchedules")
                };
                let same = held.is_some_and(|h| h.seasons.as_ref() == Some(seasons));
                plan.part(command, same, force, "Seasons");
            }
        }
        Ok(plan)
    }

    fn lcd(
        &self,
        program: &Value,
        known: &KnownState,
        force: bool,
    ) -> Result<Plan, ValidationError> {
        let fields = required(program, "display_fields", "a list of LCD item names")?;
        let command = self.check(
            "SetLCD",
            json!({ "display_fields": fields }),
            &ParseOptions::default(),
            |field| match field {
                "" => "display_fields".into(),
                f => f.into(),
            },
        )?;
        let Command::SetLCD { display_fields } = &command else {
            unreachable!("SetLCD parses to SetLCD")
        };
        let same = known.lcd.as_ref().is_some_and(|k| {
            k.value
                .iter()
                .map(String::as_str)
                .eq(display_fields.iter().map(|i| i.name()))
        });
        let mut plan = Plan::default();
        plan.part(command, same, force, "Display list");
        Ok(plan)
    }

    fn settings(
        &self,
        settings: &Value,
        known: &KnownState,
        force: bool,
    ) -> Result<Plan, ValidationError> {
        let given = |key: &str| settings.get(key).filter(|v| !v.is_null());
        let mut plan = Plan::default();
        let plain = ParseOptions::default();

        // The CT ratio goes first: the pulse output ratios that are valid depend on it (§3.6).
        let mut ct_ratio = known.ct_ratio.as_ref().map(|k| k.value);
        if let Some(value) = given("ct_ratio") {
            // The seed sends `ct_ratio` as a string (G13); the program may hold a number.
            let wire = match value {
                Value::Number(n) => Value::String(n.to_string()),
                other => other.clone(),
            };
            let command = self.check(
                "SetCTRatio",
                json!({ "ct_ratio": wire }),
                &plain,
                same_name("ct_ratio"),
            )?;
            let Command::SetCTRatio { ct_ratio: ct } = command else {
                unreachable!("SetCTRatio parses to SetCTRatio")
            };
            let held = known.ct_ratio.as_ref().is_some_and(|k| k.value == ct);
            plan.part(command, held, force, "CT ratio");
            ct_ratio = Some(ct);
        }

        if let Some(value) = given("max_demand_period") {
            let command = self.check(
                "SetMaxDemandPeriod",
                json!({ "max_demand_period": value }),
                &plain,
                same_name("max_demand_period"),
            )?;
            let held = known.max_demand_period.as_ref().is_some_and(|k| {
                matches!(command, Command::SetMaxDemandPeriod { period } if period.code() == k.value)
            });
            plan.part(command, held, force, "Max demand period");
        }

        if let Some(value) = given("max_demand_reset_interval") {
            let command = self.check(
                "SetMaxDemandResetInterval",
                json!({ "interval": value }),
                &plain,
                same_name("max_demand_reset_interval"),
            )?;
            let held = known.max_demand_reset_interval.as_ref().is_some_and(|k| {
                matches!(command, Command::SetMaxDemandResetInterval { interval } if interval.code() == k.value)
            });
            plan.part(command, held, force, "Max demand reset interval");
        }

        let inputs = settings
            .get("pulse_input_ratios")
            .cloned()
            .unwrap_or(Value::Null);
        let inputs = match inputs {
            Value::Null => vec![],
            Value::Array(list) if list.len() <= usize::from(PULSE_LINES) => list,
            other => {
                return Err(ValidationError::new(
                    "pulse_input_ratios",
                    show(&other),
                    format!("a list of {PULSE_LINES} ratios, null to leave one as it is"),
                ))
            }
        };
        for (i, ratio) in inputs.iter().enumerate().filter(|(_, r)| !r.is_null()) {
            let line = i + 1;
            let path = format!("pulse_input_ratios[{i}]");
            let command = self.check(
                "SetPulseInputRatio",
                json!({ "pulse_line": line, "pulse_input_ratio": ratio }),
                &plain,
                |_| path.clone(),
            )?;
            let held = known
                .pulse_input_ratios
                .get(i)
                .and_then(Option::as_ref)
                .is_some_and(|k| {
                    matches!(command, Command::SetPulseInputRatio { ratio, .. } if ratio == k.value)
                });
            plan.part(command, held, force, format!("Pulse input {line} ratio"));
        }

        if let Some(value) = given("pulse_output_ratio") {
            let Some(ct) = ct_ratio else {
                return Err(ValidationError::new(
                    "pulse_output_ratio",
                    show(value),
                    "a value valid for the meter's CT ratio, which is not known: set or confirm \
                     the CT ratio in the same change",
                ));
            };
            let opts = ParseOptions {
                current_ct_ratio: Some(ct),
                ..Default::default()
            };
            let command = self.check(
                "SetPulseOutputRatio",
                json!({ "pulse_line": crate::limits::PULSE_OUTPUT_LINE, "pulse_output_ratio": value }),
                &opts,
                |_| "pulse_output_ratio".into(),
            )?;
            let held = known.pulse_output_ratio.as_ref().is_some_and(
                |k| matches!(command, Command::SetPulseOutputRatio { ratio } if ratio == k.value),
            );
            plan.part(command, held, force, "Pulse output ratio");
        }
        Ok(plan)
    }
}

/// Renames every error of a one-parameter command to the program's name for that parameter.
fn same_name(name: &'static str) -> impl Fn(&str) -> String {
    move |_| name.to_string()
}

fn required<'a>(object: &'a Value, key: &str, what: &str) -> Result<&'a Value, ValidationError> {
    object
        .get(key)
        .ok_or_else(|| ValidationError::new(key, "nothing", format!("{what} (missing)")))
}

fn show(value: &Value) -> String {
    crate::command::reader::show(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::program::known::{Known, KnownSource};
    use crate::program::tou::tests::sample;
    use crate::program::TouProgram;

    fn tou_json(p: &TouProgram) -> Value {
        json!({"kind": "tou", "tou": p})
    }

    fn known_tou(p: TouProgram) -> KnownState {
        KnownState {
            tou: Some(Known {
                value: p,
                at: chrono::Utc::now(),
                source: KnownSource::ReadBack,
            }),
            ..Default::default()
        }
    }

    fn names(plan: &Plan) -> Vec<&'static str> {
        plan.commands.iter().map(|c| c.command.name()).collect()
    }

    #[test]
    fn with_nothing_known_every_part_of_a_tou_program_is_planned_in_order() {
        let plan = plan(
            &tou_json(&sample()),
            MeterVersion::V3,
            &KnownState::default(),
            false,
        )
        .unwrap();
        assert_eq!(
            names(&plan),
            [
                "SetSchedule",
                "SetSchedule",
                "SetSchedule",
                "SetSchedule",
                "SetSchedule",
                "SetSchedule",
                "SetHolidayDates",
                "SetWeekendHolidaySchedules"
            ]
        );
        assert!(plan.unchanged.is_empty());
        let json = serde_json::to_value(&plan).unwrap();
        assert_eq!(json["commands"][1]["params"]["schedule"], 2);
        assert_eq!(
            json["commands"][1]["summary"],
            "Schedule 2: 00:00 T1, 08:30 T2 (2 unused)"
        );
        assert_eq!(
            json["commands"][6]["params"]["holiday_dates"]
                .as_array()
                .unwrap()
                .len(),
            20
        );
    }

    #[test]
    fn only_what_differs_from_the_known_program_is_planned_unless_forced() {
        let held = sample();
        let mut wanted = held.clone();
        wanted.schedules[1][2] = crate::undocumented::Period {
            hour: 19,
            minute: 0,
            tariff: 3,
        };
        wanted.holidays[5] = crate::undocumented::Holiday { month: 7, day: 4 };
        let known = known_tou(held);
        let plan_ = plan(&tou_json(&wanted), MeterVersion::V4, &known, false).unwrap();
        assert_eq!(names(&plan_), ["SetSchedule", "SetHolidayDates"]);
        assert_eq!(plan_.commands[0].command.params()["schedule"], 2);
        assert_eq!(
            plan_.unchanged,
            [
                "Schedule 1",
                "Schedule 3",
                "Schedule 4",
                "Schedule 5",
                "Schedule 6",
                "Weekend and holiday schedules"
            ]
        );
        let same = plan(
            &tou_json(&known.tou.clone().unwrap().value),
            MeterVersion::V4,
            &known,
            false,
        )
        .unwrap();
        assert!(same.commands.is_empty());
        let forced = plan(&tou_json(&wanted), MeterVersion::V4, &known, true).unwrap();
        assert_eq!(forced.commands.len(), 8);
    }

    #[test]
    fn a_bad_value_is_named_by_its_program_path() {
        let mut program = serde_json::to_value(sample()).unwrap();
        program["schedules"][1][2] = json!({"hour": 7, "minute": 0, "tariff": 5});
        let e = plan(
            &json!({"kind": "tou", "tou": program}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "schedules[1][2].tariff");
        assert!(
            e.to_string()
                .starts_with("schedules[1][2].tariff: 5 is not allowed; 1-4"),
            "{e}"
        );

        let mut program = serde_json::to_value(sample()).unwrap();
        program["holidays"][3] = json!({"month": 2, "day": 30});
        let e = plan(
            &json!({"kind": "tou", "tou": program}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "holidays[3].day");

        let mut program = serde_json::to_value(sample()).unwrap();
        program["weekend_schedule"] = json!(7);
        let e = plan(
            &json!({"kind": "tou", "tou": program}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "weekend_schedule");

        let mut program = serde_json::to_value(sample()).unwrap();
        program["schedules"].as_array_mut().unwrap().pop();
        let e = plan(
            &json!({"kind": "tou", "tou": program}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "schedules");
    }

    #[test]
    fn seasons_are_planned_only_when_managed() {
        let mut program = serde_json::to_value(sample()).unwrap();
        program["seasons"] = json!([
            {"month": 1, "day": 1, "schedule": 1}, {"month": 6, "day": 1, "schedule": 2},
            {"month": 0, "day": 0, "schedule": 0}, {"month": 0, "day": 0, "schedule": 0}]);
        let p = plan(
            &json!({"kind": "tou", "tou": program}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap();
        assert_eq!(names(&p).last(), Some(&"SetSeasonSchedules"));
        program["seasons"][1]["month"] = json!(13);
        let e = plan(
            &json!({"kind": "tou", "tou": program}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "seasons[1].month");
    }

    #[test]
    fn the_display_list_is_planned_when_it_differs() {
        let program = json!({"kind": "lcd", "display_fields": ["Line_Freq", "kWh_Tot"]});
        let p = plan(&program, MeterVersion::V4, &KnownState::default(), false).unwrap();
        assert_eq!(names(&p), ["SetLCD"]);
        let mut known = KnownState::default();
        known.record_confirmed(&p.commands[0].command, None, chrono::Utc::now());
        assert!(plan(&program, MeterVersion::V4, &known, false)
            .unwrap()
            .commands
            .is_empty());
        let reordered = json!({"kind": "lcd", "display_fields": ["kWh_Tot", "Line_Freq"]});
        assert_eq!(
            plan(&reordered, MeterVersion::V4, &known, false)
                .unwrap()
                .commands
                .len(),
            1
        );

        let e = plan(&program, MeterVersion::V3, &KnownState::default(), false).unwrap_err();
        assert_eq!(e.field, "display_fields");
        assert!(e.allowed.contains("V4 or V5"), "{e}");
        let e = plan(
            &json!({"kind": "lcd", "display_fields": ["kWh_Tot", "Nope"]}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "display_fields[1]");
        let e = plan(
            &json!({"kind": "lcd", "display_fields": []}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "display_fields");
    }

    fn settings(s: Value) -> Value {
        json!({"kind": "settings", "settings": s})
    }

    #[test]
    fn settings_plan_the_ct_ratio_first_and_leave_nulls_alone() {
        let program = settings(json!({
            "ct_ratio": 400, "max_demand_period": null, "max_demand_reset_interval": 1,
            "pulse_input_ratios": [null, 50, null], "pulse_output_ratio": 200
        }));
        let p = plan(&program, MeterVersion::V4, &KnownState::default(), false).unwrap();
        assert_eq!(
            names(&p),
            [
                "SetCTRatio",
                "SetMaxDemandResetInterval",
                "SetPulseInputRatio",
                "SetPulseOutputRatio"
            ]
        );
        assert_eq!(p.commands[0].command.params()["ct_ratio"], "400");
        assert_eq!(p.commands[2].command.params()["pulse_line"], 2);
    }

    #[test]
    fn the_pulse_output_ratio_is_checked_against_the_ct_ratio_it_will_meet() {
        let e = plan(
            &settings(json!({"ct_ratio": 5000, "pulse_output_ratio": 200})),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "pulse_output_ratio");
        assert!(e.allowed.contains("1, 2, 4, 8, 16, 32"), "{e}");
        let e = plan(
            &settings(json!({"pulse_output_ratio": 2})),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "pulse_output_ratio");
        assert!(e.allowed.contains("not known"), "{e}");
        let mut known = KnownState::default();
        known.record_confirmed(
            &Command::SetCTRatio { ct_ratio: 5000 },
            None,
            chrono::Utc::now(),
        );
        let p = plan(
            &settings(json!({"pulse_output_ratio": 32})),
            MeterVersion::V4,
            &known,
            false,
        )
        .unwrap();
        assert_eq!(names(&p), ["SetPulseOutputRatio"]);
        assert_eq!(p.unchanged, Vec::<String>::new());
    }

    #[test]
    fn settings_errors_use_the_program_names_and_versions_gate() {
        let e = plan(
            &settings(json!({"pulse_input_ratios": [null, 0, null]})),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "pulse_input_ratios[1]");
        let e = plan(
            &settings(json!({"max_demand_reset_interval": 9})),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "max_demand_reset_interval");
        let e = plan(
            &settings(json!({"ct_ratio": 250})),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "ct_ratio");
        let e = plan(
            &settings(json!({"pulse_input_ratios": [5, null, null]})),
            MeterVersion::V3,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "pulse_input_ratios[0]");
        assert_eq!(
            e.to_string(),
            "pulse_input_ratios[0]: SetPulseInputRatio on a V3 meter is not allowed; it needs a V4 or V5 meter"
        );
        let ok = plan(
            &settings(json!({"ct_ratio": 200, "max_demand_period": 2})),
            MeterVersion::V3,
            &KnownState::default(),
            false,
        );
        assert_eq!(names(&ok.unwrap()), ["SetCTRatio", "SetMaxDemandPeriod"]);
    }

    #[test]
    fn an_unknown_kind_is_refused() {
        let e = plan(
            &json!({"kind": "relays"}),
            MeterVersion::V4,
            &KnownState::default(),
            false,
        )
        .unwrap_err();
        assert_eq!(e.field, "kind");
    }
}

/// The programs the UI's `Program` type must describe: one of each kind with every field the
/// reader takes, written to `ui/src/test/programs.fixture.json`. The UI checks at compile time
/// that each is a `Program` with no key the type lacks (src/test/programs.test.ts), so a field
/// added here without the TypeScript type fails svelte-check.
#[cfg(test)]
mod ui_fixture {
    use super::*;
    use crate::program::tou::tests::sample;
    use crate::undocumented::Season;

    fn examples() -> Value {
        let mut tou = sample();
        tou.seasons = Some([
            Season {
                month: 1,
                day: 1,
                schedule: 1,
            },
            Season {
                month: 4,
                day: 1,
                schedule: 2,
            },
            Season {
                month: 10,
                day: 15,
                schedule: 3,
            },
            Season::UNUSED,
        ]);
        json!({
            "tou": {"kind": "tou", "tou": tou},
            "lcd": {"kind": "lcd", "display_fields": ["kWh_Tot", "Rev_kWh_Tot", "RMS_Volts_Ln_1"]},
            "settings": {"kind": "settings", "settings": {
                "ct_ratio": 400,
                "max_demand_period": 2,
                "max_demand_reset_interval": 1,
                "pulse_input_ratios": [1, null, 100],
                "pulse_output_ratio": 1,
            }},
        })
    }

    #[test]
    fn the_ui_fixture_holds_programs_rust_accepts() {
        let examples = examples();
        for (kind, program) in examples.as_object().unwrap() {
            let plan = plan(program, MeterVersion::V4, &KnownState::default(), false)
                .unwrap_or_else(|e| panic!("the {kind} example is refused: {e}"));
            assert!(!plan.commands.is_empty(), "{kind} plans no command");
        }
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../ui/src/test/programs.fixture.json");
        let expected = serde_json::to_string_pretty(&examples).unwrap() + "\n";
        if std::env::var_os("UPDATE_FIXTURES").is_some() {
            std::fs::write(&path, &expected).unwrap();
        }
        let actual = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is stale: run UPDATE_FIXTURES=1 cargo test -p push3 --lib ui_fixture",
            path.display()
        );
    }
}
