//! Templates: a meter program (LCD list, time-of-use program or settings) saved under a name,
//! and the versioned JSON file it travels in.
//!
//! A file is read strictly. A foreign file, a newer schema version, an unknown key or an invalid
//! value is refused with an error naming the first bad field by its JSON path
//! (`program.tou.schedules[1][2].tariff`), and nothing is loaded. Values are checked by the core's
//! one validator (`push3::program::plan`), so a template can hold nothing a meter editor would
//! refuse.

use push3::program::{plan, KnownState, Plan, TouProgram};
use push3::{MeterVersion, ValidationError};
use serde::Serialize;
use serde_json::{json, Map, Value};
use std::fmt;
use ts_rs::TS;

/// What the `schema` field of every template file says.
pub const SCHEMA: &str = "push3-desk.template";
/// The newest file version this build reads and the one it writes.
pub const VERSION: u64 = 1;
/// Longest template name, in characters.
pub const NAME_MAX_CHARS: usize = 80;

/// Keys a template file may hold at its top level, in the order they are checked.
const FILE_KEYS: [&str; 4] = ["schema", "version", "name", "program"];
const TOU_KEYS: [&str; 5] = [
    "schedules",
    "holidays",
    "weekend_schedule",
    "holiday_schedule",
    "seasons",
];
const SETTINGS_KEYS: [&str; 5] = [
    "ct_ratio",
    "max_demand_period",
    "max_demand_reset_interval",
    "pulse_input_ratios",
    "pulse_output_ratio",
];

/// Which editor's program a template holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum TemplateKind {
    Lcd,
    Tou,
    Settings,
}

/// A named, validated program: `{"kind": "lcd"|"tou"|"settings", …}` as the editors and
/// `push3::program::plan` read it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Template {
    name: String,
    kind: TemplateKind,
    program: Value,
}

/// Why a template was refused. `code` is stable for the UI to switch on; `field` is the JSON
/// path of the first bad value (empty when the text is not JSON at all).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TemplateError {
    pub code: TemplateErrorCode,
    pub field: String,
    pub message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum TemplateErrorCode {
    /// The text is not JSON.
    NotJson,
    /// JSON, but not a Push3 Desk template (`schema` missing or different).
    ForeignFile,
    /// A template of a newer (or impossible) file version.
    UnsupportedVersion,
    /// A template with a missing, unknown or invalid field.
    InvalidField,
}

impl TemplateError {
    fn new(code: TemplateErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            code,
            field: field.into(),
            message: message.into(),
        }
    }

    fn invalid(field: &str, what: impl fmt::Display) -> Self {
        Self::new(
            TemplateErrorCode::InvalidField,
            field,
            format!("{field}: {what}"),
        )
    }

    fn from_validation(e: ValidationError) -> Self {
        Self::new(
            TemplateErrorCode::InvalidField,
            e.field.clone(),
            e.to_string(),
        )
    }
}

impl fmt::Display for TemplateError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for TemplateError {}

impl Template {
    /// Names and checks a program, as when the user saves an editor's content as a template.
    pub fn new(name: &str, program: Value) -> Result<Self, TemplateError> {
        let name = check_name(&Value::String(name.to_string()))?;
        let kind = check_program(&program)?;
        Ok(Self {
            name,
            kind,
            program,
        })
    }

    /// Reads a template file. Nothing is returned unless every field is valid.
    pub fn from_json(text: &str) -> Result<Self, TemplateError> {
        let file: Value = serde_json::from_str(text).map_err(|e| {
            TemplateError::new(
                TemplateErrorCode::NotJson,
                "",
                format!("the file is not JSON ({e})"),
            )
        })?;
        let Value::Object(file) = file else {
            return Err(foreign("a JSON value that is not an object"));
        };
        check_schema(&file)?;
        check_version(&file)?;
        if let Some(key) = file.keys().find(|k| !FILE_KEYS.contains(&k.as_str())) {
            return Err(unknown_key(key, &FILE_KEYS));
        }
        let name = check_name(file.get("name").unwrap_or(&Value::Null))?;
        let program = file.get("program").cloned().unwrap_or(Value::Null);
        let kind = check_program(&program)?;
        Ok(Self {
            name,
            kind,
            program,
        })
    }

    /// The file text: pretty JSON in the current schema version.
    pub fn to_json(&self) -> String {
        let file = json!({
            "schema": SCHEMA,
            "version": VERSION,
            "name": self.name,
            "program": self.program,
        });
        serde_json::to_string_pretty(&file).expect("a JSON value serializes")
    }

    pub fn name(&self) -> &str {
        &self.name
    }

    pub fn kind(&self) -> TemplateKind {
        self.kind
    }

    /// The program as `push3::program::plan` reads it.
    pub fn program(&self) -> &Value {
        &self.program
    }

    /// The commands that take a `version` meter, of which `known` is known, to this template.
    /// An error here is about the meter, not the template: its version lacks a command, or a
    /// pulse output ratio does not fit its known CT ratio.
    pub fn plan_for(
        &self,
        version: MeterVersion,
        known: &KnownState,
    ) -> Result<Plan, ValidationError> {
        plan(&self.program, version, known, false)
    }

    /// The time-of-use program a TOU template holds.
    pub fn tou_program(&self) -> Option<TouProgram> {
        match self.kind {
            TemplateKind::Tou => serde_json::from_value(self.program.get("tou")?.clone()).ok(),
            TemplateKind::Lcd | TemplateKind::Settings => None,
        }
    }
}

fn foreign(what: &str) -> TemplateError {
    TemplateError::new(
        TemplateErrorCode::ForeignFile,
        "schema",
        format!("schema: {what} is not a Push3 Desk template (expected \"schema\": \"{SCHEMA}\")"),
    )
}

fn unknown_key(key: &str, allowed: &[&str]) -> TemplateError {
    TemplateError::invalid(
        key,
        format!(
            "is not a field of a template; allowed here: {}",
            allowed.join(", ")
        ),
    )
}

fn check_schema(file: &Map<String, Value>) -> Result<(), TemplateError> {
    match file.get("schema") {
        Some(Value::String(s)) if s == SCHEMA => Ok(()),
        Some(other) => Err(foreign(&format!("{other}"))),
        None => Err(foreign("a file without \"schema\"")),
    }
}

fn check_version(file: &Map<String, Value>) -> Result<(), TemplateError> {
    let unsupported = |message: String| {
        TemplateError::new(TemplateErrorCode::UnsupportedVersion, "version", message)
    };
    match file.get("version").and_then(Value::as_u64) {
        Some(VERSION) => Ok(()),
        Some(v) if v > VERSION => Err(unsupported(format!(
            "version: {v} is not supported; this app reads version {VERSION} (a newer Push3 Desk wrote this file)"
        ))),
        _ => Err(unsupported(format!(
            "version: {} is not a template version; this app reads version {VERSION}",
            file.get("version").unwrap_or(&Value::Null)
        ))),
    }
}

fn check_name(name: &Value) -> Result<String, TemplateError> {
    let Value::String(text) = name else {
        return Err(TemplateError::invalid(
            "name",
            format!("{name} is not allowed; a name of 1-{NAME_MAX_CHARS} characters"),
        ));
    };
    let trimmed = text.trim();
    if trimmed.is_empty()
        || trimmed.chars().count() > NAME_MAX_CHARS
        || trimmed.chars().any(char::is_control)
    {
        return Err(TemplateError::invalid(
            "name",
            format!(
                "{name} is not allowed; a name of 1-{NAME_MAX_CHARS} characters without line breaks"
            ),
        ));
    }
    Ok(trimmed.to_string())
}

/// Checks the program's shape (no unknown keys, since a misspelt setting would otherwise be
/// silently ignored and every meter would "comply") and then its values, by planning it for a
/// V4 meter of which nothing is known: every part planned, every value validated.
fn check_program(program: &Value) -> Result<TemplateKind, TemplateError> {
    let Value::Object(fields) = program else {
        return Err(TemplateError::invalid(
            "program",
            "must be an object with \"kind\": \"lcd\", \"tou\" or \"settings\"",
        ));
    };
    let in_program = |e: ValidationError| TemplateError::from_validation(e.within("program"));
    let Some(shape) = fields
        .get("kind")
        .and_then(Value::as_str)
        .and_then(Shape::of)
    else {
        let e = plan(program, MeterVersion::V4, &KnownState::default(), false)
            .expect_err("a program without a known kind is refused");
        return Err(in_program(e));
    };
    if let Some(key) = fields.keys().find(|k| !shape.keys.contains(&k.as_str())) {
        return Err(unknown_key(&format!("program.{key}"), shape.keys));
    }
    if let Some(part) = &shape.part {
        match fields.get(part.name) {
            Some(Value::Object(part_fields)) => {
                if let Some(key) = part_fields
                    .keys()
                    .find(|k| !part.keys.contains(&k.as_str()))
                {
                    return Err(unknown_key(
                        &format!("program.{}.{key}", part.name),
                        part.keys,
                    ));
                }
            }
            Some(other) => {
                return Err(TemplateError::invalid(
                    &format!("program.{}", part.name),
                    format!(
                        "{other} is not allowed; an object of {}",
                        part.keys.join(", ")
                    ),
                ))
            }
            // Missing: the plan below names it.
            None => {}
        }
    }
    let planned = plan(program, MeterVersion::V4, &KnownState::default(), false).map_err(|e| {
        // The plan names TOU and settings values relative to their part (`schedules[1]`);
        // the file path goes through it (`program.tou.schedules[1]`).
        match &shape.part {
            Some(part) if e.field != part.name => in_program(e.within(part.name)),
            _ => in_program(e),
        }
    })?;
    if planned.commands.is_empty() {
        return Err(TemplateError::invalid(
            "program.settings",
            "sets nothing; give at least one of ct_ratio, max_demand_period, \
             max_demand_reset_interval, pulse_input_ratios, pulse_output_ratio",
        ));
    }
    Ok(shape.kind)
}

/// The keys a program of one kind may hold.
struct Shape {
    kind: TemplateKind,
    keys: &'static [&'static str],
    /// The object TOU and settings values sit in (`tou`, `settings`).
    part: Option<Part>,
}

struct Part {
    name: &'static str,
    keys: &'static [&'static str],
}

impl Shape {
    fn of(kind: &str) -> Option<Self> {
        let (kind, keys, part) = match kind {
            "lcd" => (TemplateKind::Lcd, &["kind", "display_fields"], None),
            "tou" => (
                TemplateKind::Tou,
                &["kind", "tou"],
                Some(Part {
                    name: "tou",
                    keys: &TOU_KEYS,
                }),
            ),
            "settings" => (
                TemplateKind::Settings,
                &["kind", "settings"],
                Some(Part {
                    name: "settings",
                    keys: &SETTINGS_KEYS,
                }),
            ),
            _ => return None,
        };
        Some(Self { kind, keys, part })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tou() -> Value {
        let period = |hour: u8, tariff: u8| json!({"hour": hour, "minute": 0, "tariff": tariff});
        let unused = json!({"hour": 0, "minute": 0, "tariff": 0});
        let schedule = json!([period(0, 1), period(7, 2), unused, unused]);
        json!({"kind": "tou", "tou": {
            "schedules": vec![schedule; 6],
            "holidays": [{"month": 1, "day": 1}, {"month": 12, "day": 25}],
            "weekend_schedule": 2, "holiday_schedule": 2,
        }})
    }

    fn file(program: Value) -> Value {
        json!({"schema": SCHEMA, "version": 1, "name": "Winter tariffs", "program": program})
    }

    fn error_of(file: &Value) -> TemplateError {
        Template::from_json(&file.to_string()).unwrap_err()
    }

    #[test]
    fn a_template_round_trips_through_its_file() {
        for program in [
            tou(),
            json!({"kind": "lcd", "display_fields": ["kWh_Tot", "Line_Freq"]}),
            json!({"kind": "settings", "settings": {"ct_ratio": 400, "pulse_input_ratios": [null, 50, null]}}),
        ] {
            let template = Template::new("  Winter tariffs ", program.clone()).unwrap();
            assert_eq!(template.name(), "Winter tariffs");
            let text = template.to_json();
            assert!(
                text.contains("\n  \"schema\": \"push3-desk.template\""),
                "{text}"
            );
            let back = Template::from_json(&text).unwrap();
            assert_eq!(back, template);
            assert_eq!(back.program(), &program);
        }
    }

    #[test]
    fn a_foreign_file_is_refused_by_its_schema() {
        let e = error_of(&json!({"name": "x", "program": tou()}));
        assert_eq!(
            (e.code, e.field.as_str()),
            (TemplateErrorCode::ForeignFile, "schema")
        );
        let e = error_of(&json!({"schema": "vscode.settings", "version": 1}));
        assert_eq!(e.field, "schema");
        assert!(e.message.contains("\"vscode.settings\""), "{e}");
        let e = error_of(&json!([1, 2]));
        assert_eq!(e.code, TemplateErrorCode::ForeignFile);
        let e = Template::from_json("{\"schema\": ").unwrap_err();
        assert_eq!((e.code, e.field.as_str()), (TemplateErrorCode::NotJson, ""));
    }

    #[test]
    fn a_newer_version_is_refused_saying_which_this_app_reads() {
        let mut f = file(tou());
        f["version"] = json!(2);
        let e = error_of(&f);
        assert_eq!(
            (e.code, e.field.as_str()),
            (TemplateErrorCode::UnsupportedVersion, "version")
        );
        assert!(
            e.message
                .starts_with("version: 2 is not supported; this app reads version 1"),
            "{e}"
        );
        f["version"] = json!("1");
        assert_eq!(error_of(&f).field, "version");
    }

    #[test]
    fn the_name_must_be_a_short_line() {
        for bad in [
            json!(""),
            json!("   "),
            json!(7),
            json!("a\nb"),
            json!("x".repeat(81)),
        ] {
            let mut f = file(tou());
            f["name"] = bad.clone();
            assert_eq!(error_of(&f).field, "name", "{bad}");
        }
        let mut f = file(tou());
        f.as_object_mut().unwrap().remove("name");
        assert_eq!(error_of(&f).field, "name");
    }

    #[test]
    fn a_bad_value_is_named_by_its_path_in_the_file() {
        let mut program = tou();
        program["tou"]["schedules"][1][2] = json!({"hour": 7, "minute": 0, "tariff": 5});
        let e = error_of(&file(program));
        assert_eq!(e.field, "program.tou.schedules[1][2].tariff");
        assert!(
            e.message
                .starts_with("program.tou.schedules[1][2].tariff: 5 is not allowed; 1-4"),
            "{e}"
        );

        let mut program = tou();
        program["tou"]["holidays"][1]["day"] = json!(32);
        assert_eq!(
            error_of(&file(program)).field,
            "program.tou.holidays[1].day"
        );

        let e = error_of(&file(
            json!({"kind": "lcd", "display_fields": ["kWh_Tot", "Nope"]}),
        ));
        assert_eq!(e.field, "program.display_fields[1]");
        let e = error_of(&file(
            json!({"kind": "settings", "settings": {"ct_ratio": 250}}),
        ));
        assert_eq!(e.field, "program.settings.ct_ratio");
        let e = error_of(&file(json!({"kind": "relays"})));
        assert_eq!(e.field, "program.kind");
        let e = error_of(&file(json!({"kind": "tou"})));
        assert_eq!(e.field, "program.tou");
        let e = error_of(&file(json!({"kind": "tou", "tou": [1]})));
        assert_eq!(e.field, "program.tou");
        assert_eq!(error_of(&file(json!("lcd"))).field, "program");
    }

    #[test]
    fn unknown_keys_are_refused_so_a_typo_never_passes_as_compliance() {
        let e = error_of(&file(
            json!({"kind": "settings", "settings": {"ct_ration": 400}}),
        ));
        assert_eq!(e.field, "program.settings.ct_ration");
        assert!(e.message.contains("ct_ratio"), "{e}");
        let mut f = file(tou());
        f["author"] = json!("me");
        assert_eq!(error_of(&f).field, "author");
        let mut program = tou();
        program["display_fields"] = json!([]);
        assert_eq!(error_of(&file(program)).field, "program.display_fields");
        let e = error_of(&file(
            json!({"kind": "settings", "settings": {"ct_ratio": null}}),
        ));
        assert_eq!(e.field, "program.settings");
    }

    #[test]
    fn checks_go_in_file_order_schema_version_then_fields() {
        let e = error_of(&json!({"schema": SCHEMA, "version": 9, "name": "", "program": 1}));
        assert_eq!(e.field, "version");
        let e = error_of(&json!({"schema": SCHEMA, "version": 1, "name": "", "program": 1}));
        assert_eq!(e.field, "name");
    }

    #[test]
    fn errors_cross_ipc_as_code_field_and_message() {
        let e = error_of(&json!({"schema": SCHEMA, "version": 2}));
        let json = serde_json::to_value(&e).unwrap();
        assert_eq!(json["code"], "unsupported_version");
        assert_eq!(json["field"], "version");
    }

    #[test]
    fn a_tou_template_gives_its_program() {
        let template = Template::new("t", tou()).unwrap();
        let program = template.tou_program().unwrap();
        assert_eq!(program.schedules.len(), 6);
        assert_eq!(program.weekend_schedule, 2);
        assert!(program.seasons.is_none());
    }
}
