//! Meter addresses: the 12-digit number printed on the meter face (reference §3.10, G37).

use crate::error::ValidationError;
use serde::{Deserialize, Serialize};
use std::fmt;

/// A validated, zero-padded 12-digit meter address, as sent in `target_id`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct MeterAddress(String);

impl MeterAddress {
    pub const DIGITS: usize = 12;

    /// Accepts 1-12 digits (surrounding whitespace ignored) and left-pads with zeros, as EKM's own
    /// libraries do; anything else is refused so a typo never reaches another meter.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        let trimmed = input.trim();
        let allowed = "1 to 12 digits (the meter number printed under the LCD)";
        if trimmed.is_empty()
            || trimmed.len() > Self::DIGITS
            || !trimmed.bytes().all(|b| b.is_ascii_digit())
        {
            return Err(ValidationError::new(
                "target_id",
                format!("{input:?}"),
                allowed,
            ));
        }
        Ok(Self(format!("{trimmed:0>12}")))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for MeterAddress {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl TryFrom<String> for MeterAddress {
    type Error = ValidationError;
    fn try_from(value: String) -> Result<Self, Self::Error> {
        Self::parse(&value)
    }
}

impl From<MeterAddress> for String {
    fn from(value: MeterAddress) -> Self {
        value.0
    }
}

impl std::str::FromStr for MeterAddress {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_addresses_are_zero_padded() {
        assert_eq!(
            MeterAddress::parse("350000900").unwrap().as_str(),
            "000350000900"
        );
        assert_eq!(
            MeterAddress::parse(" 30001 ").unwrap().as_str(),
            "000000030001"
        );
        assert_eq!(
            MeterAddress::parse("000350000900").unwrap().as_str(),
            "000350000900"
        );
    }

    #[test]
    fn non_digits_empty_and_long_addresses_are_refused() {
        for bad in ["", "  ", "12a", "0003500009001", "-1", "1 2"] {
            let e = MeterAddress::parse(bad).unwrap_err();
            assert_eq!(e.field, "target_id", "{bad:?}");
        }
    }
}
