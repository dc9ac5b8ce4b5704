//! Meter passwords: exactly 8 digits (§3.9), never printed.

use crate::error::ValidationError;
use crate::limits::PASSWORD_DIGITS;
use std::fmt;

/// An 8-digit meter password. `Debug` and `Display` mask it; [`MeterPassword::expose`] is the
/// one greppable way to the digits (they go on the wire in `meter_password`/`new_password`).
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct MeterPassword([u8; PASSWORD_DIGITS]);

impl MeterPassword {
    /// What every meter ships with; what the gateway assumes when `meter_password` is absent.
    pub const FACTORY: MeterPassword = MeterPassword(*b"00000000");

    /// Accepts exactly 8 ASCII digits. Errors name the field `meter_password` and report the
    /// length only, never the text; callers re-label the field where needed.
    pub fn parse(input: &str) -> Result<Self, ValidationError> {
        match <[u8; PASSWORD_DIGITS]>::try_from(input.as_bytes()) {
            Ok(digits) if digits.iter().all(u8::is_ascii_digit) => Ok(Self(digits)),
            _ => Err(ValidationError::new(
                "meter_password",
                Self::masked_description(input),
                "exactly 8 digits 0-9",
            )),
        }
    }

    pub fn expose(&self) -> &str {
        // Only ASCII digits ever get in (see `parse`), so this cannot fail.
        std::str::from_utf8(&self.0).expect("meter password holds ASCII digits")
    }

    pub fn is_factory(&self) -> bool {
        *self == Self::FACTORY
    }

    /// Describes a refused password without showing it.
    fn masked_description(input: &str) -> String {
        let count = input.chars().count();
        let has_non_digit = input.chars().any(|c| !c.is_ascii_digit());
        let kind = if has_non_digit {
            ", not all digits"
        } else {
            ""
        };
        format!("a hidden value of {count} characters{kind}")
    }
}

impl fmt::Debug for MeterPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("MeterPassword(********)")
    }
}

impl fmt::Display for MeterPassword {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("********")
    }
}

impl std::str::FromStr for MeterPassword {
    type Err = ValidationError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn eight_digits_are_accepted_and_exposed_only_on_request() {
        let p = MeterPassword::parse("12345678").unwrap();
        assert_eq!(p.expose(), "12345678");
        assert_eq!(format!("{p}"), "********");
        assert!(!format!("{p:?}").contains("1234"));
        assert_eq!(MeterPassword::FACTORY.expose(), "00000000");
        assert!(MeterPassword::FACTORY.is_factory());
    }

    #[test]
    fn wrong_lengths_and_non_digits_are_refused_without_echoing_them() {
        for bad in [
            "",
            "1234567",
            "123456789",
            "1234567a",
            "１２３４５６７８",
            " 2345678",
        ] {
            let e = MeterPassword::parse(bad).unwrap_err();
            assert_eq!(e.field, "meter_password");
            assert!(bad.is_empty() || !e.to_string().contains(bad), "{e}");
        }
    }
}
