//! One URDB tariff record, as far as a time-of-use program needs it: the 12 × 24 weekday and
//! weekend matrices (month by hour, each cell a period index into `energyratestructure`) and
//! each period's tiers. Everything else in the record is ignored.
//!
//! A file is refused, with nothing created, when it is not a URDB record, when a matrix is
//! missing or malformed, or when a cell names a period that has no rate; the error names the
//! first bad field the way the record spells it (`energyweekdayschedule[6][17]`).

use serde_json::{Map, Value};
use std::fmt;

pub const MONTHS: usize = 12;
pub const HOURS: usize = 24;

/// A month-by-hour matrix of period indices (0-based, as URDB counts them).
pub type Matrix = [[usize; HOURS]; MONTHS];

#[derive(Debug, Clone, PartialEq)]
pub struct Tier {
    /// $/kWh.
    pub rate: f64,
    /// Adjustment added to the rate, $/kWh.
    pub adj: f64,
    /// The tier's upper limit, in `unit`; `None` for the last tier.
    pub max: Option<f64>,
    pub unit: Option<String>,
}

impl Tier {
    /// What a kWh in this tier costs.
    pub fn price(&self) -> f64 {
        self.rate + self.adj
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tariff {
    pub name: String,
    pub utility: Option<String>,
    pub weekday: Matrix,
    pub weekend: Matrix,
    /// Per period, its tiers (at least one).
    pub periods: Vec<Vec<Tier>>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrdbError {
    /// The first bad field, as the record spells it; empty when the text is not JSON.
    pub field: String,
    pub message: String,
}

impl fmt::Display for UrdbError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.field.is_empty() {
            f.write_str(&self.message)
        } else {
            write!(f, "{}: {}", self.field, self.message)
        }
    }
}

impl std::error::Error for UrdbError {}

fn bad(field: impl Into<String>, message: impl Into<String>) -> UrdbError {
    UrdbError {
        field: field.into(),
        message: message.into(),
    }
}

impl Tariff {
    /// Reads a URDB tariff: a single record, or the first of an API answer's `items`.
    pub fn from_json(text: &str) -> Result<Self, UrdbError> {
        let value: Value = serde_json::from_str(text)
            .map_err(|e| bad("", format!("the file is not JSON ({e})")))?;
        let Value::Object(top) = value else {
            return Err(bad("", "not a URDB tariff: the file is not a JSON object"));
        };
        match top.get("items") {
            Some(Value::Array(items)) => match items.first() {
                Some(Value::Object(record)) => Self::from_record(record, "items[0]."),
                Some(_) => Err(bad("items[0]", "not a tariff record (not an object)")),
                None => Err(bad("items", "the answer holds no tariff (an empty list)")),
            },
            Some(_) => Err(bad("items", "not a list of tariff records")),
            None => Self::from_record(&top, ""),
        }
    }

    fn from_record(record: &Map<String, Value>, at: &str) -> Result<Self, UrdbError> {
        let known = [
            "energyratestructure",
            "energyweekdayschedule",
            "energyweekendschedule",
        ];
        if !known.iter().any(|k| record.contains_key(*k)) {
            return Err(bad(
                "",
                "not a URDB tariff record: it has no energyratestructure, energyweekdayschedule \
                 or energyweekendschedule",
            ));
        }
        let field = |name: &str| format!("{at}{name}");
        let structure = match record.get("energyratestructure") {
            Some(Value::Array(periods)) if !periods.is_empty() => periods,
            Some(Value::Array(_)) => {
                return Err(bad(
                    field("energyratestructure"),
                    "no period (an empty list)",
                ))
            }
            Some(_) => return Err(bad(field("energyratestructure"), "not a list of periods")),
            None => {
                return Err(bad(
                    field("energyratestructure"),
                    "missing: a time-of-use rate needs its periods' rates",
                ))
            }
        };
        let periods = structure
            .iter()
            .enumerate()
            .map(|(i, p)| tiers(p, &field(&format!("energyratestructure[{i}]"))))
            .collect::<Result<Vec<_>, _>>()?;
        let weekday = matrix(record, "energyweekdayschedule", at, periods.len())?;
        let weekend = matrix(record, "energyweekendschedule", at, periods.len())?;
        let text = |key: &str| record.get(key).and_then(Value::as_str).map(str::to_owned);
        Ok(Tariff {
            name: text("name").unwrap_or_else(|| "Imported rate".into()),
            utility: text("utility"),
            weekday,
            weekend,
            periods,
        })
    }

    /// The price of a kWh in `period`'s first tier: what the cost estimate uses.
    pub fn first_tier_price(&self, period: usize) -> f64 {
        self.periods[period][0].price()
    }
}

fn number(value: Option<&Value>, field: &str, required: bool) -> Result<Option<f64>, UrdbError> {
    match value {
        None | Some(Value::Null) if !required => Ok(None),
        None | Some(Value::Null) => Err(bad(field, "missing")),
        Some(v) => v
            .as_f64()
            .filter(|n| n.is_finite())
            .map(Some)
            .ok_or_else(|| bad(field, format!("{v} is not a number"))),
    }
}

fn tiers(period: &Value, at: &str) -> Result<Vec<Tier>, UrdbError> {
    let Value::Array(tiers) = period else {
        return Err(bad(at, "not a list of tiers"));
    };
    if tiers.is_empty() {
        return Err(bad(at, "this period has no rate (no tier)"));
    }
    tiers
        .iter()
        .enumerate()
        .map(|(t, tier)| {
            let at = format!("{at}[{t}]");
            let Value::Object(tier) = tier else {
                return Err(bad(&at, "not a tier object"));
            };
            let rate = number(tier.get("rate"), &format!("{at}.rate"), true)?.unwrap_or(0.0);
            Ok(Tier {
                rate,
                adj: number(tier.get("adj"), &format!("{at}.adj"), false)?.unwrap_or(0.0),
                max: number(tier.get("max"), &format!("{at}.max"), false)?,
                unit: tier.get("unit").and_then(Value::as_str).map(str::to_owned),
            })
        })
        .collect()
}

fn matrix(
    record: &Map<String, Value>,
    name: &str,
    at: &str,
    periods: usize,
) -> Result<Matrix, UrdbError> {
    let field = format!("{at}{name}");
    let Some(value) = record.get(name) else {
        return Err(bad(field, "missing: 12 months of 24 period indices"));
    };
    let Value::Array(months) = value else {
        return Err(bad(field, "not a 12 × 24 matrix"));
    };
    if months.len() != MONTHS {
        return Err(bad(field, format!("{} months, not 12", months.len())));
    }
    let mut out = [[0usize; HOURS]; MONTHS];
    for (m, month) in months.iter().enumerate() {
        let Value::Array(hours) = month else {
            return Err(bad(format!("{field}[{m}]"), "not a list of 24 hours"));
        };
        if hours.len() != HOURS {
            return Err(bad(
                format!("{field}[{m}]"),
                format!("{} hours, not 24", hours.len()),
            ));
        }
        for (h, cell) in hours.iter().enumerate() {
            let at = format!("{field}[{m}][{h}]");
            let index = cell
                .as_u64()
                .ok_or_else(|| bad(&at, format!("{cell} is not a period index")))?;
            let index = usize::try_from(index).unwrap_or(usize::MAX);
            if index >= periods {
                return Err(bad(
                    at,
                    format!(
                        "period {index} has no rate: energyratestructure has {periods} periods \
                         (0 to {})",
                        periods - 1
                    ),
                ));
            }
            out[m][h] = index;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn record() -> Value {
        json!({
            "name": "TOU-D",
            "utility": "Example Electric",
            "energyratestructure": [[{"rate": 0.1, "adj": 0.01, "unit": "kWh"}], [{"rate": 0.3}]],
            "energyweekdayschedule": vec![vec![0; 24]; 12],
            "energyweekendschedule": vec![vec![0; 24]; 12],
        })
    }

    fn refused(value: Value) -> UrdbError {
        Tariff::from_json(&value.to_string()).unwrap_err()
    }

    #[test]
    fn a_record_or_the_first_item_of_an_api_answer_is_read() {
        let one = Tariff::from_json(&record().to_string()).unwrap();
        assert_eq!(one.name, "TOU-D");
        assert_eq!(one.periods.len(), 2);
        assert!((one.first_tier_price(0) - 0.11).abs() < 1e-12);
        let answer = json!({ "items": [record(), {"name": "second"}] });
        assert_eq!(Tariff::from_json(&answer.to_string()).unwrap(), one);
    }

    #[test]
    fn a_period_index_with_no_rate_is_named_by_its_cell() {
        let mut r = record();
        r["energyweekdayschedule"][6][17] = json!(2);
        let e = refused(r);
        assert_eq!(e.field, "energyweekdayschedule[6][17]");
        assert!(
            e.message.starts_with("period 2 has no rate"),
            "{}",
            e.message
        );
    }

    #[test]
    fn malformed_or_missing_matrices_are_named() {
        let mut r = record();
        r["energyweekendschedule"].as_array_mut().unwrap().pop();
        assert_eq!(refused(r).message, "11 months, not 12");
        let mut r = record();
        r["energyweekdayschedule"][3] = json!([0, 0]);
        assert_eq!(refused(r.clone()).field, "energyweekdayschedule[3]");
        r.as_object_mut().unwrap().remove("energyweekdayschedule");
        assert_eq!(refused(r).field, "energyweekdayschedule");
        let mut r = record();
        r["energyratestructure"][1] = json!([]);
        assert_eq!(refused(r).field, "energyratestructure[1]");
        let mut r = record();
        r["energyratestructure"][0][0]["rate"] = json!("cheap");
        assert_eq!(refused(r).field, "energyratestructure[0][0].rate");
    }

    #[test]
    fn a_file_that_is_no_urdb_record_says_so() {
        assert!(refused(json!({"schema": "push3-desk/template"}))
            .message
            .starts_with("not a URDB tariff record"));
        assert!(Tariff::from_json("nope")
            .unwrap_err()
            .message
            .starts_with("the file is not JSON"));
        assert_eq!(refused(json!({"items": []})).field, "items");
        let e = refused(json!({"items": [{"name": "x", "energyratestructure": [[{"rate": 1}]]}]}));
        assert_eq!(e.field, "items[0].energyweekdayschedule");
    }
}
