//! The history view's questions: which entries (a filter) and which slice of them (a page).
//!
//! Pages are keyset-paged, newest first: a page starts strictly after the `(time, id)` of the
//! previous page's last entry. Unlike `OFFSET`, which reads and discards every skipped row, this
//! costs the same on page 1,000 as on page 1, and an entry recorded while the user scrolls neither
//! shifts later pages nor appears twice.

use crate::entry::{Entry, EntryId, Source};
use crate::outcome::Outcome;
use chrono::{DateTime, Utc};
use push3::{MeterAddress, ValidationError};
use rusqlite::types::{Type, Value as SqlValue};
use rusqlite::Row;
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// The most entries one page may ask for.
pub const MAX_PAGE: u32 = 1_000;

/// Which entries to show; every field left `None` matches everything. Fields combine with AND.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize, TS)]
#[ts(rename = "HistoryFilter", optional_fields)]
#[serde(rename_all = "camelCase", default)]
pub struct Filter {
    #[ts(as = "Option<String>")]
    pub meter: Option<MeterAddress>,
    pub gateway_id: Option<String>,
    pub command: Option<String>,
    pub outcome: Option<Outcome>,
    /// Entries at or after this time.
    pub from: Option<DateTime<Utc>>,
    /// Entries before this time.
    pub to: Option<DateTime<Utc>>,
    /// Text found, ignoring ASCII case, in the gateway name, meter, summary, msg_id or error text.
    pub text: Option<String>,
}

/// Where a page starts: the `(time, id)` of the last entry of the page before.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(rename = "HistoryCursor")]
#[serde(rename_all = "camelCase")]
pub struct Cursor {
    pub time_ms: i64,
    pub id: EntryId,
}

impl Cursor {
    fn after(entry: &Entry) -> Self {
        Self {
            time_ms: entry.time.timestamp_millis(),
            id: entry.id,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, TS)]
#[ts(rename = "HistoryPageRequest", optional_fields)]
#[serde(rename_all = "camelCase")]
pub struct Page {
    /// `None` for the newest entries; the previous page's `next` for the ones after it.
    pub before: Option<Cursor>,
    pub limit: u32,
}

impl Page {
    pub fn first(limit: u32) -> Self {
        Self {
            before: None,
            limit,
        }
    }
}

/// One page of entries, newest first, and the cursor of the next page if there is one.
#[derive(Debug, Clone, PartialEq, Serialize, TS)]
#[ts(rename = "HistoryPage")]
#[serde(rename_all = "camelCase")]
pub struct EntryPage {
    pub entries: Vec<Entry>,
    pub next: Option<Cursor>,
}

impl EntryPage {
    /// `rows` holds up to `limit + 1` entries: the extra one only tells that there is more.
    pub(crate) fn from_rows(mut rows: Vec<Entry>, limit: u32) -> Self {
        let limit = limit as usize;
        let next = if rows.len() > limit {
            rows.truncate(limit);
            rows.last().map(Cursor::after)
        } else {
            None
        };
        Self {
            entries: rows,
            next,
        }
    }
}

/// A `WHERE` clause (empty when nothing is filtered) and its arguments, in order.
pub(crate) struct Conditions {
    pub sql: String,
    pub args: Vec<SqlValue>,
}

impl Filter {
    pub(crate) fn conditions(&self, before: Option<Cursor>) -> Result<Conditions, ValidationError> {
        if let (Some(from), Some(to)) = (self.from, self.to) {
            if from >= to {
                return Err(ValidationError::new(
                    "to",
                    to.to_rfc3339(),
                    format!("a time after from ({})", from.to_rfc3339()),
                ));
            }
        }
        let mut terms: Vec<&str> = Vec::new();
        let mut args: Vec<SqlValue> = Vec::new();
        let mut equal = |term, value: Option<&str>| {
            if let Some(value) = value {
                terms.push(term);
                args.push(SqlValue::Text(value.to_string()));
            }
        };
        equal("meter = ?", self.meter.as_ref().map(MeterAddress::as_str));
        equal("gateway_id = ?", self.gateway_id.as_deref());
        equal("command = ?", self.command.as_deref());
        equal("outcome = ?", self.outcome.map(Outcome::as_str));
        if let Some(from) = self.from {
            terms.push("time_ms >= ?");
            args.push(SqlValue::Integer(from.timestamp_millis()));
        }
        if let Some(to) = self.to {
            terms.push("time_ms < ?");
            args.push(SqlValue::Integer(to.timestamp_millis()));
        }
        if let Some(text) = self
            .text
            .as_deref()
            .map(str::trim)
            .filter(|t| !t.is_empty())
        {
            terms.push(
                "(gateway_name LIKE ? ESCAPE '\\' OR meter LIKE ? ESCAPE '\\' \
                 OR summary LIKE ? ESCAPE '\\' OR msg_id LIKE ? ESCAPE '\\' \
                 OR error_text LIKE ? ESCAPE '\\')",
            );
            let pattern = format!("%{}%", escape_like(text));
            args.extend(std::iter::repeat_n(SqlValue::Text(pattern), 5));
        }
        if let Some(cursor) = before {
            terms.push("(time_ms, id) < (?, ?)");
            args.push(SqlValue::Integer(cursor.time_ms));
            args.push(SqlValue::Integer(cursor.id.0));
        }
        let sql = if terms.is_empty() {
            String::new()
        } else {
            format!(" WHERE {}", terms.join(" AND "))
        };
        Ok(Conditions { sql, args })
    }
}

pub(crate) fn check_limit(limit: u32) -> Result<(), ValidationError> {
    if (1..=MAX_PAGE).contains(&limit) {
        Ok(())
    } else {
        Err(ValidationError::new(
            "limit",
            limit.to_string(),
            format!("1 to {MAX_PAGE} entries per page"),
        ))
    }
}

/// `%`, `_` and the escape character itself match literally.
fn escape_like(text: &str) -> String {
    let mut escaped = String::with_capacity(text.len());
    for c in text.chars() {
        if matches!(c, '%' | '_' | '\\') {
            escaped.push('\\');
        }
        escaped.push(c);
    }
    escaped
}

/// The columns [`entry_from_row`] reads, in its order.
pub(crate) const COLUMNS: &str = "id, time_ms, source, gateway_id, gateway_name, meter, command, \
     params, summary, outcome, msg_id, error_text, round_trip_ms, channel";

pub(crate) fn entry_from_row(row: &Row) -> rusqlite::Result<Entry> {
    let time_ms: i64 = row.get(1)?;
    let source: String = row.get(2)?;
    let params: String = row.get(7)?;
    let outcome: String = row.get(9)?;
    let round_trip_ms: Option<i64> = row.get(12)?;
    let outcome =
        Outcome::from_stored(&outcome).ok_or_else(|| unreadable(9, "outcome", &outcome))?;
    let msg_id: Option<String> = row.get(10)?;
    Ok(Entry {
        id: EntryId(row.get(0)?),
        time: DateTime::from_timestamp_millis(time_ms)
            .ok_or(rusqlite::Error::IntegralValueOutOfRange(1, time_ms))?,
        source: Source::from_stored(&source).ok_or_else(|| unreadable(2, "source", &source))?,
        gateway_id: row.get(3)?,
        gateway_name: row.get(4)?,
        meter: row.get(5)?,
        command: row.get(6)?,
        // Written by `begin` from a `serde_json::Value`, so it always parses; should the file
        // have been edited by hand, the text is still shown rather than the entry lost.
        params: serde_json::from_str(&params).unwrap_or(serde_json::Value::String(params)),
        summary: row.get(8)?,
        fate: Entry::fate_of(outcome, msg_id.as_deref()),
        outcome,
        msg_id,
        error_text: row.get(11)?,
        round_trip_ms: round_trip_ms.map(|ms| u64::try_from(ms).unwrap_or(0)),
        channel: row.get(13)?,
    })
}

fn unreadable(column: usize, name: &str, value: &str) -> rusqlite::Error {
    rusqlite::Error::FromSqlConversionFailure(
        column,
        Type::Text,
        format!("unknown {name} {value:?}").into(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn like_wildcards_in_the_search_text_match_literally() {
        assert_eq!(escape_like(r"50%_a\b"), r"50\%\_a\\b");
    }

    #[test]
    fn an_empty_filter_has_no_where_clause() {
        let c = Filter::default().conditions(None).unwrap();
        assert_eq!(c.sql, "");
        assert!(c.args.is_empty());
    }

    #[test]
    fn a_date_range_must_end_after_it_starts() {
        let t = DateTime::from_timestamp_millis(1_000).unwrap();
        let filter = Filter {
            from: Some(t),
            to: Some(t),
            ..Default::default()
        };
        let e = filter.conditions(None).err().unwrap();
        assert_eq!(e.field, "to");
    }

    #[test]
    fn a_page_holds_one_to_a_thousand_entries() {
        assert!(check_limit(0).is_err());
        assert!(check_limit(1).is_ok());
        assert!(check_limit(MAX_PAGE).is_ok());
        assert!(check_limit(MAX_PAGE + 1).is_err());
    }

    #[test]
    fn the_ui_sends_filters_in_camel_case_with_meters_normalised() {
        let filter: Filter = serde_json::from_value(serde_json::json!({
            "meter": "350000900",
            "gatewayId": "g1",
            "outcome": "interrupted",
            "from": "2026-11-23T00:00:00Z"
        }))
        .unwrap();
        assert_eq!(filter.meter.unwrap().as_str(), "000350000900");
        assert_eq!(filter.gateway_id.as_deref(), Some("g1"));
        assert_eq!(filter.outcome, Some(Outcome::Interrupted));
        assert!(filter.from.is_some() && filter.to.is_none());
    }
}
