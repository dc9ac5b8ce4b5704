//! ASSUMPTION (G25-G28, reference §9): wire profiles, the shapes of the commands EKM did not
//! document, as data.
//!
//! The app builds SetSchedule, SetHolidayDates, SetSeasonSchedules and
//! SetWeekendHolidaySchedules in one canonical form (nested lists, schedules 1-6: [`super::tou`]),
//! and a gateway's profile says how they go on the wire: which key names, lists of objects or
//! flat numbered keys (`Hour_{n}`), and whether schedules count from 0 or 1. Two profiles are
//! built in, each a JSON file compiled in; a corrected one can be loaded from a file, checked
//! here and refused with the first bad field named. A correction from a live gateway is then an
//! edited file, not a new release.
//!
//! [`WireProfile::to_wire`] turns canonical params into the profile's; [`WireProfile::to_canonical`]
//! turns them back (the simulator's gateways speak a profile too).

use crate::error::ValidationError;
use crate::limits::{HOLIDAYS, PERIODS_PER_SCHEDULE, SEASONS};
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::HashSet;
use std::sync::LazyLock;

/// The `format` every profile file names.
pub const FORMAT: &str = "push3-wire-profile";
/// The profile file version this app reads and writes.
pub const VERSION: u32 = 1;
/// The profile of a gateway that names none: this app's first guess.
pub const DEFAULT_PROFILE_ID: &str = "nested-from-1";
/// The built-in profile of EKM's own libraries' flat keys.
pub const FLAT_PROFILE_ID: &str = "flat-from-0";

const BUILT_IN_FILES: [&str; 2] = [
    include_str!("profiles/nested-from-1.json"),
    include_str!("profiles/flat-from-0.json"),
];

static BUILT_IN: LazyLock<Vec<WireProfile>> = LazyLock::new(|| {
    BUILT_IN_FILES
        .iter()
        .map(|text| WireProfile::parse_any(text).expect("a built-in profile is valid"))
        .collect()
});

/// Which first number the gateway gives schedule 1.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ScheduleNumbering {
    FromZero,
    FromOne,
}

/// The shapes of the undocumented commands for one kind of gateway.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WireProfile {
    pub format: String,
    pub version: u32,
    /// Lower-case letters, digits and `-`; what a gateway stores.
    pub id: String,
    pub name: String,
    #[serde(default)]
    pub notes: String,
    /// 0 or 1: the number the gateway gives schedule 1, in SetSchedule, in a season and in
    /// SetWeekendHolidaySchedules.
    pub schedule_numbering: u8,
    pub set_schedule: ScheduleShape,
    pub set_holiday_dates: HolidayShape,
    pub set_season_schedules: SeasonShape,
    pub set_weekend_holiday_schedules: WeekendShape,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleShape {
    /// The key of the schedule number.
    pub schedule: String,
    pub periods: Items<PeriodKeys>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayShape {
    pub holidays: Items<HolidayKeys>,
    /// Whether all 20 slots are written, the unused ones as 0/0 (EKM's library always does).
    #[serde(default)]
    pub write_all_slots: bool,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonShape {
    pub seasons: Items<SeasonKeys>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WeekendShape {
    pub weekend: String,
    pub holiday: String,
}

/// A list of items (periods, holidays, seasons): an array of objects under `list`, or flat keys
/// whose templates hold `{n}`, the item's number from 1.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Items<K> {
    pub layout: Layout,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub list: Option<String>,
    pub keys: K,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Layout {
    List,
    Flat,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PeriodKeys {
    pub hour: String,
    pub minute: String,
    pub tariff: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct HolidayKeys {
    pub month: String,
    pub day: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SeasonKeys {
    pub month: String,
    pub day: String,
    pub schedule: String,
}

/// The canonical field of each key of an item, in order.
pub trait ItemKeys {
    fn pairs(&self) -> Vec<(&'static str, &str)>;
}

impl ItemKeys for PeriodKeys {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("hour", &self.hour),
            ("minute", &self.minute),
            ("tariff", &self.tariff),
        ]
    }
}

impl ItemKeys for HolidayKeys {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        vec![("month", &self.month), ("day", &self.day)]
    }
}

impl ItemKeys for SeasonKeys {
    fn pairs(&self) -> Vec<(&'static str, &str)> {
        vec![
            ("month", &self.month),
            ("day", &self.day),
            ("schedule", &self.schedule),
        ]
    }
}

/// The param every command may carry besides its own, never renamed.
const METER_PASSWORD: &str = "meter_password";

impl WireProfile {
    /// The profiles compiled in: [`DEFAULT_PROFILE_ID`] first.
    pub fn built_in() -> &'static [WireProfile] {
        &BUILT_IN
    }

    pub fn built_in_by_id(id: &str) -> Option<&'static WireProfile> {
        BUILT_IN.iter().find(|p| p.id == id)
    }

    pub fn default_profile() -> &'static WireProfile {
        &BUILT_IN[0]
    }

    pub fn is_built_in(&self) -> bool {
        Self::built_in_by_id(&self.id).is_some()
    }

    pub fn numbering(&self) -> ScheduleNumbering {
        if self.schedule_numbering == 0 {
            ScheduleNumbering::FromZero
        } else {
            ScheduleNumbering::FromOne
        }
    }

    /// A profile file a user loads: checked whole, and refused with its first bad field. Its id
    /// may not be a built-in one, so a loaded file never silently replaces a built-in profile.
    pub fn parse(text: &str) -> Result<Self, ValidationError> {
        let profile = Self::parse_any(text)?;
        if profile.is_built_in() {
            return Err(ValidationError::new(
                "id",
                &profile.id,
                "an id of its own: this one is a built-in profile's",
            ));
        }
        Ok(profile)
    }

    fn parse_any(text: &str) -> Result<Self, ValidationError> {
        let mut json = serde_json::Deserializer::from_str(text);
        let profile: Self = serde_path_to_error::deserialize(&mut json).map_err(|e| {
            let path = e.path().to_string();
            let field = if path == "." { String::new() } else { path };
            ValidationError::new(field, "this value", e.into_inner().to_string())
        })?;
        profile.check()?;
        Ok(profile)
    }

    /// The file this profile is, pretty-printed (for exporting one to edit).
    pub fn to_file(&self) -> String {
        serde_json::to_string_pretty(self).expect("a profile serializes")
    }

    fn check(&self) -> Result<(), ValidationError> {
        if self.format != FORMAT {
            return Err(ValidationError::new(
                "format",
                &self.format,
                format!("\"{FORMAT}\""),
            ));
        }
        if self.version != VERSION {
            return Err(ValidationError::new(
                "version",
                self.version,
                format!("{VERSION}: this app reads profile version {VERSION}"),
            ));
        }
        let id_ok = (1..=64).contains(&self.id.len())
            && self
                .id
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !id_ok {
            return Err(ValidationError::new(
                "id",
                format!("{:?}", self.id),
                "1-64 lower-case letters, digits and -",
            ));
        }
        if self.name.trim().is_empty() || self.name.chars().count() > 100 {
            return Err(ValidationError::new(
                "name",
                format!("{:?}", self.name),
                "1-100 characters",
            ));
        }
        if self.schedule_numbering > 1 {
            return Err(ValidationError::new(
                "schedule_numbering",
                self.schedule_numbering,
                "0 or 1: the number the gateway gives schedule 1",
            ));
        }
        let s = &self.set_schedule;
        check_command(
            "set_schedule",
            &[("schedule", s.schedule.as_str())],
            ("periods", &s.periods),
        )?;
        check_command(
            "set_holiday_dates",
            &[],
            ("holidays", &self.set_holiday_dates.holidays),
        )?;
        check_command(
            "set_season_schedules",
            &[],
            ("seasons", &self.set_season_schedules.seasons),
        )?;
        let w = &self.set_weekend_holiday_schedules;
        let keys = [
            ("weekend", w.weekend.as_str()),
            ("holiday", w.holiday.as_str()),
        ];
        for (field, key) in keys {
            check_key(&format!("set_weekend_holiday_schedules.{field}"), key)?;
        }
        if w.weekend == w.holiday {
            return Err(ValidationError::new(
                "set_weekend_holiday_schedules.holiday",
                format!("{:?}", w.holiday),
                "a key other than the weekend's",
            ));
        }
        Ok(())
    }

    /// Canonical params of `command` (as [`crate::ParsedCommand::wire_params`] builds them) in
    /// this profile's shape. Commands the profile does not cover pass unchanged.
    pub fn to_wire(&self, command: &str, canonical: Map<String, Value>) -> Map<String, Value> {
        let mut params = canonical;
        let mut wire = Map::new();
        let out = |n: &Value| self.schedule_out(n);
        match command {
            "SetSchedule" => {
                if let Some(n) = params.remove("schedule") {
                    wire.insert(self.set_schedule.schedule.clone(), out(&n));
                }
                let periods = take_list(&mut params, "periods");
                self.set_schedule.periods.put(&periods, &mut wire);
            }
            "SetHolidayDates" => {
                let mut holidays = take_list(&mut params, "holiday_dates");
                if self.set_holiday_dates.write_all_slots {
                    let unused = serde_json::json!({"month": 0, "day": 0});
                    holidays.resize(HOLIDAYS.max(holidays.len()), unused);
                }
                self.set_holiday_dates.holidays.put(&holidays, &mut wire);
            }
            "SetSeasonSchedules" => {
                let seasons: Vec<Value> = take_list(&mut params, "seasons")
                    .into_iter()
                    .map(|mut season| {
                        if let Some(n) = season.get("schedule").filter(|n| n.as_u64() != Some(0)) {
                            season["schedule"] = out(&n.clone());
                        }
                        season
                    })
                    .collect();
                self.set_season_schedules.seasons.put(&seasons, &mut wire);
            }
            "SetWeekendHolidaySchedules" => {
                let w = &self.set_weekend_holiday_schedules;
                for (canonical, key) in [
                    ("weekend_schedule", &w.weekend),
                    ("holiday_schedule", &w.holiday),
                ] {
                    if let Some(n) = params.remove(canonical) {
                        wire.insert(key.clone(), out(&n));
                    }
                }
            }
            _ => return params,
        }
        wire.extend(params);
        wire
    }

    /// The inverse of [`WireProfile::to_wire`]: params in this profile's shape, back in the
    /// canonical form, for [`crate::parse`] to check. A key the profile does not have is
    /// refused by name.
    pub fn to_canonical(
        &self,
        command: &str,
        wire: &Map<String, Value>,
    ) -> Result<Map<String, Value>, ValidationError> {
        let mut rest = wire.clone();
        let password = rest.remove(METER_PASSWORD);
        let mut canonical = Map::new();
        let back = |key: &str, n: Value| self.schedule_in(key, n);
        match command {
            "SetSchedule" => {
                let key = &self.set_schedule.schedule;
                if let Some(n) = rest.remove(key) {
                    canonical.insert("schedule".into(), back(key, n)?);
                }
                let periods = self
                    .set_schedule
                    .periods
                    .take(&mut rest, PERIODS_PER_SCHEDULE)?;
                canonical.insert("periods".into(), Value::Array(periods));
            }
            "SetHolidayDates" => {
                let mut holidays = self.set_holiday_dates.holidays.take(&mut rest, HOLIDAYS)?;
                if self.set_holiday_dates.write_all_slots {
                    // The slots written only to fill the table: the same table without them.
                    let unused = |h: &Value| h.get("month").and_then(Value::as_u64) == Some(0);
                    while holidays.last().is_some_and(unused) {
                        holidays.pop();
                    }
                }
                canonical.insert("holiday_dates".into(), Value::Array(holidays));
            }
            "SetSeasonSchedules" => {
                let key = &self.set_season_schedules.seasons.keys.schedule;
                let seasons = self
                    .set_season_schedules
                    .seasons
                    .take(&mut rest, SEASONS)?
                    .into_iter()
                    .map(|mut season| {
                        let used = season.get("month").and_then(Value::as_u64) != Some(0);
                        if let (true, Some(n)) = (used, season.get("schedule").cloned()) {
                            season["schedule"] = back(key, n)?;
                        }
                        Ok(season)
                    })
                    .collect::<Result<Vec<_>, ValidationError>>()?;
                canonical.insert("seasons".into(), Value::Array(seasons));
            }
            "SetWeekendHolidaySchedules" => {
                let w = &self.set_weekend_holiday_schedules;
                for (field, key) in [
                    ("weekend_schedule", &w.weekend),
                    ("holiday_schedule", &w.holiday),
                ] {
                    if let Some(n) = rest.remove(key) {
                        canonical.insert(field.into(), back(key, n)?);
                    }
                }
            }
            _ => return Ok(wire.clone()),
        }
        if let Some((key, value)) = rest.into_iter().next() {
            return Err(ValidationError::new(
                key,
                crate::command::reader::show(&value),
                format!(
                    "no such param of {command} in the wire profile {:?}",
                    self.id
                ),
            ));
        }
        if let Some(password) = password {
            canonical.insert(METER_PASSWORD.into(), password);
        }
        Ok(canonical)
    }

    /// A canonical schedule number (1-6) as this gateway numbers it. Anything else (not a
    /// number) is left for validation to refuse.
    fn schedule_out(&self, n: &Value) -> Value {
        match (n.as_u64(), self.numbering()) {
            (Some(n), ScheduleNumbering::FromZero) if n >= 1 => Value::from(n - 1),
            _ => n.clone(),
        }
    }

    fn schedule_in(&self, key: &str, n: Value) -> Result<Value, ValidationError> {
        match (number(&n), self.numbering()) {
            (Some(n), ScheduleNumbering::FromZero) => Ok(Value::from(n + 1)),
            (Some(n), ScheduleNumbering::FromOne) => Ok(Value::from(n)),
            (None, _) => Err(ValidationError::new(
                key,
                crate::command::reader::show(&n),
                "a schedule number",
            )),
        }
    }
}

/// A number, or a string of digits as EKM's libraries write them ("01").
fn number(value: &Value) -> Option<u64> {
    match value {
        Value::Number(n) => n.as_u64(),
        Value::String(s) => s.trim().parse().ok(),
        _ => None,
    }
}

fn take_list(params: &mut Map<String, Value>, field: &str) -> Vec<Value> {
    match params.remove(field) {
        Some(Value::Array(items)) => items,
        Some(other) => vec![other],
        None => Vec::new(),
    }
}

impl<K: ItemKeys> Items<K> {
    fn key_for(template: &str, n: usize) -> String {
        template.replace("{n}", &n.to_string())
    }

    /// Canonical items (objects) into `wire`.
    fn put(&self, items: &[Value], wire: &mut Map<String, Value>) {
        let pairs = self.keys.pairs();
        match self.layout {
            Layout::List => {
                let renamed = items
                    .iter()
                    .map(|item| {
                        let mut object = Map::new();
                        for (canonical, key) in &pairs {
                            if let Some(v) = item.get(canonical) {
                                object.insert(key.to_string(), v.clone());
                            }
                        }
                        Value::Object(object)
                    })
                    .collect();
                let list = self.list.clone().unwrap_or_default();
                wire.insert(list, Value::Array(renamed));
            }
            Layout::Flat => {
                for (i, item) in items.iter().enumerate() {
                    for (canonical, template) in &pairs {
                        if let Some(v) = item.get(canonical) {
                            wire.insert(Self::key_for(template, i + 1), v.clone());
                        }
                    }
                }
            }
        }
    }

    /// The canonical items out of `wire`, removing the keys it used; at most `max` of them.
    fn take(
        &self,
        wire: &mut Map<String, Value>,
        max: usize,
    ) -> Result<Vec<Value>, ValidationError> {
        let pairs = self.keys.pairs();
        match self.layout {
            Layout::List => {
                let list = self.list.as_deref().unwrap_or_default();
                let Some(value) = wire.remove(list) else {
                    return Ok(Vec::new());
                };
                let Value::Array(items) = value else {
                    return Err(ValidationError::new(
                        list,
                        crate::command::reader::show(&value),
                        "a list",
                    ));
                };
                items
                    .iter()
                    .enumerate()
                    .map(|(i, item)| {
                        let Some(object) = item.as_object() else {
                            return Ok(item.clone());
                        };
                        let mut canonical = Map::new();
                        for (key, value) in object {
                            let Some((field, _)) = pairs.iter().find(|(_, k)| k == key) else {
                                return Err(ValidationError::new(
                                    format!("{list}[{i}].{key}"),
                                    crate::command::reader::show(value),
                                    format!(
                                        "one of {}",
                                        pairs
                                            .iter()
                                            .map(|(_, k)| *k)
                                            .collect::<Vec<_>>()
                                            .join(", ")
                                    ),
                                ));
                            };
                            canonical.insert(field.to_string(), value.clone());
                        }
                        Ok(Value::Object(canonical))
                    })
                    .collect()
            }
            Layout::Flat => {
                let mut items = Vec::new();
                for n in 1..=max {
                    let present: Vec<_> = pairs
                        .iter()
                        .map(|(field, template)| (field, Self::key_for(template, n)))
                        .map(|(field, key)| (field, wire.remove(&key), key))
                        .collect();
                    if present.iter().all(|(_, v, _)| v.is_none()) {
                        break;
                    }
                    let mut canonical = Map::new();
                    for (field, value, key) in present {
                        let value = value.ok_or_else(|| {
                            ValidationError::new(
                                key,
                                "missing",
                                "every key of an item once another of it is given",
                            )
                        })?;
                        let value = number(&value).map(Value::from).unwrap_or(value);
                        canonical.insert(field.to_string(), value);
                    }
                    items.push(Value::Object(canonical));
                }
                Ok(items)
            }
        }
    }
}

fn check_key(field: &str, key: &str) -> Result<(), ValidationError> {
    let ok = (1..=64).contains(&key.len())
        && key.bytes().all(|b| b.is_ascii_graphic())
        && key != METER_PASSWORD;
    if ok {
        Ok(())
    } else {
        Err(ValidationError::new(
            field,
            format!("{key:?}"),
            "a key of 1-64 printable characters without spaces, other than meter_password",
        ))
    }
}

fn check_command<K: ItemKeys>(
    command: &str,
    plain: &[(&str, &str)],
    (items_field, items): (&str, &Items<K>),
) -> Result<(), ValidationError> {
    let mut seen = HashSet::new();
    let mut unique = |field: String, key: String| {
        if seen.insert(key.clone()) {
            Ok(())
        } else {
            Err(ValidationError::new(
                field,
                format!("{key:?}"),
                "a key not used twice in one command",
            ))
        }
    };
    for (field, key) in plain {
        let field = format!("{command}.{field}");
        check_key(&field, key)?;
        unique(field, key.to_string())?;
    }
    let base = format!("{command}.{items_field}");
    match (items.layout, &items.list) {
        (Layout::List, Some(list)) => {
            check_key(&format!("{base}.list"), list)?;
            unique(format!("{base}.list"), list.clone())?;
        }
        (Layout::List, None) => {
            return Err(ValidationError::new(
                format!("{base}.list"),
                "missing",
                "the key of the list, with \"layout\": \"list\"",
            ))
        }
        (Layout::Flat, Some(list)) => {
            return Err(ValidationError::new(
                format!("{base}.list"),
                format!("{list:?}"),
                "nothing: flat keys have no list; name each key with {n}",
            ))
        }
        (Layout::Flat, None) => {}
    }
    for (field, key) in items.keys.pairs() {
        let field = format!("{base}.keys.{field}");
        check_key(&field, key)?;
        if items.layout == Layout::Flat && key.matches("{n}").count() != 1 {
            return Err(ValidationError::new(
                field,
                format!("{key:?}"),
                "a key with {n} once, where the item's number goes (e.g. Hour_{n})",
            ));
        }
        // List keys live inside each object; flat ones beside the command's other keys.
        let scope = if items.layout == Layout::Flat {
            key.replace("{n}", "1")
        } else {
            format!("[]{key}")
        };
        unique(field, scope)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn canonical_schedule() -> Map<String, Value> {
        json!({"schedule": 2, "periods": [
            {"hour": 0, "minute": 0, "tariff": 1}, {"hour": 7, "minute": 30, "tariff": 2},
            {"hour": 19, "minute": 0, "tariff": 1}, {"hour": 0, "minute": 0, "tariff": 0}],
            "meter_password": "00000000"})
        .as_object()
        .unwrap()
        .clone()
    }

    #[test]
    fn the_default_profile_is_the_canonical_shape() {
        let nested = WireProfile::default_profile();
        assert_eq!(nested.id, DEFAULT_PROFILE_ID);
        let canonical = canonical_schedule();
        assert_eq!(nested.to_wire("SetSchedule", canonical.clone()), canonical);
        assert_eq!(
            nested.to_canonical("SetSchedule", &canonical).unwrap(),
            canonical
        );
    }

    #[test]
    fn the_flat_profile_writes_ekms_library_keys_from_0() {
        let flat = WireProfile::built_in_by_id(FLAT_PROFILE_ID).unwrap();
        let wire = flat.to_wire("SetSchedule", canonical_schedule());
        assert_eq!(
            Value::Object(wire.clone()),
            json!({"Schedule": 1, "Hour_1": 0, "Min_1": 0, "Tariff_1": 1, "Hour_2": 7, "Min_2": 30,
                   "Tariff_2": 2, "Hour_3": 19, "Min_3": 0, "Tariff_3": 1, "Hour_4": 0, "Min_4": 0,
                   "Tariff_4": 0, "meter_password": "00000000"})
        );
        assert_eq!(
            flat.to_canonical("SetSchedule", &wire).unwrap(),
            canonical_schedule()
        );

        let holidays = json!({"holiday_dates": [{"month": 12, "day": 25}]})
            .as_object()
            .unwrap()
            .clone();
        let wire = flat.to_wire("SetHolidayDates", holidays);
        assert_eq!(wire.len(), 40, "all 20 slots");
        assert_eq!(
            (
                wire["Holiday_1_Month"].clone(),
                wire["Holiday_20_Day"].clone()
            ),
            (json!(12), json!(0))
        );

        let weekend = json!({"weekend_schedule": 2, "holiday_schedule": 3})
            .as_object()
            .unwrap()
            .clone();
        let wire = flat.to_wire("SetWeekendHolidaySchedules", weekend.clone());
        assert_eq!(
            Value::Object(wire.clone()),
            json!({"Weekend_Schd": 1, "Holiday_Schd": 2})
        );
        assert_eq!(
            flat.to_canonical("SetWeekendHolidaySchedules", &wire)
                .unwrap(),
            weekend
        );
    }

    #[test]
    fn unused_seasons_keep_their_zero_schedule() {
        let flat = WireProfile::built_in_by_id(FLAT_PROFILE_ID).unwrap();
        let seasons = json!({"seasons": [{"month": 6, "day": 1, "schedule": 2}, {"month": 0, "day": 0, "schedule": 0},
            {"month": 0, "day": 0, "schedule": 0}, {"month": 0, "day": 0, "schedule": 0}]});
        let canonical = seasons.as_object().unwrap().clone();
        let wire = flat.to_wire("SetSeasonSchedules", canonical.clone());
        assert_eq!(
            (
                wire["Season_1_Schedule"].clone(),
                wire["Season_2_Schedule"].clone()
            ),
            (json!(1), json!(0))
        );
        assert_eq!(
            flat.to_canonical("SetSeasonSchedules", &wire).unwrap(),
            canonical
        );
    }

    #[test]
    fn a_key_the_profile_does_not_have_is_refused_by_name() {
        let flat = WireProfile::built_in_by_id(FLAT_PROFILE_ID).unwrap();
        let mut wire = flat.to_wire("SetSchedule", canonical_schedule());
        wire.insert("Hour_5".into(), json!(3));
        let e = flat.to_canonical("SetSchedule", &wire).unwrap_err();
        assert_eq!(e.field, "Hour_5");
        wire.remove("Hour_5");
        wire.remove("Min_2");
        assert_eq!(
            flat.to_canonical("SetSchedule", &wire).unwrap_err().field,
            "Min_2"
        );
        // The nested shape sent to a flat gateway is not silently taken.
        let nested = canonical_schedule();
        assert_eq!(
            flat.to_canonical("SetSchedule", &nested).unwrap_err().field,
            "periods"
        );
    }

    fn edited(change: impl FnOnce(&mut Value)) -> Result<WireProfile, ValidationError> {
        let mut file: Value = serde_json::from_str(BUILT_IN_FILES[0]).unwrap();
        file["id"] = json!("site-42");
        change(&mut file);
        WireProfile::parse(&file.to_string())
    }

    #[test]
    fn a_loaded_profile_is_refused_with_its_first_bad_field() {
        assert_eq!(edited(|_| {}).unwrap().id, "site-42");
        type Edit = fn(&mut Value);
        let cases: [(Edit, &str); 9] = [
            (|f| f["id"] = json!("nested-from-1"), "id"),
            (|f| f["version"] = json!(2), "version"),
            (|f| f["format"] = json!("other"), "format"),
            (|f| f["schedule_numbering"] = json!(2), "schedule_numbering"),
            (
                |f| f["set_schedule"]["periods"]["keys"]["hour"] = json!(7),
                "set_schedule.periods.keys.hour",
            ),
            (
                |f| f["set_schedule"]["periods"]["keys"]["minute"] = json!("hour"),
                "set_schedule.periods.keys.minute",
            ),
            (
                |f| f["set_schedule"]["periods"]["layout"] = json!("flat"),
                "set_schedule.periods.list",
            ),
            (
                |f| f["set_season_schedules"]["seasons"]["extra"] = json!(1),
                "set_season_schedules.seasons.extra",
            ),
            (
                |f| f["set_weekend_holiday_schedules"]["holiday"] = json!("weekend_schedule"),
                "set_weekend_holiday_schedules.holiday",
            ),
        ];
        for (change, field) in cases {
            let e = edited(change).unwrap_err();
            assert_eq!(e.field, field, "{e}");
        }
        let e = WireProfile::parse("{").unwrap_err();
        assert!(e.to_string().contains("EOF"), "{e}");
        let mut flat: Value = serde_json::from_str(BUILT_IN_FILES[1]).unwrap();
        flat["id"] = json!("mine");
        flat["set_schedule"]["periods"]["keys"]["hour"] = json!("Hour");
        assert_eq!(
            WireProfile::parse(&flat.to_string()).unwrap_err().field,
            "set_schedule.periods.keys.hour"
        );
    }
}
