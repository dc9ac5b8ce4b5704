//! Secrets (gateway keys, bearer tokens) in a type that never prints its content.

use std::fmt;

/// A gateway key, API token or similar. `Debug` and `Display` print `Secret(***)`, so a secret
/// cannot leak through `{:?}`, logs, panics or error messages by accident. The only way to the
/// text is [`Secret::expose`], which is greppable.
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    pub fn new(value: impl Into<String>) -> Self {
        Self(value.into())
    }

    pub fn expose(&self) -> &str {
        &self.0
    }

    /// The last four characters behind a mask, for the UI to tell keys apart.
    pub fn hint(&self) -> String {
        let chars: Vec<char> = self.0.chars().collect();
        if chars.len() <= 8 {
            return "••••".to_string();
        }
        let tail: String = chars[chars.len() - 4..].iter().collect();
        format!("••••{tail}")
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

/// Secrets arrive from the webview's add-gateway form and from stdin; they are never serialized
/// back out, so there is deliberately no `Serialize`.
impl<'de> serde::Deserialize<'de> for Secret {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Secret(***)")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_secret() {
        let s = Secret::new("MTAxMDoyMDIw");
        assert!(!format!("{s:?}").contains("MTAx"));
        assert!(!format!("{s}").contains("MTAx"));
        assert!(!format!("{:?}", Some(&s)).contains("MTAx"));
        assert_eq!(s.expose(), "MTAxMDoyMDIw");
    }

    #[test]
    fn deserializes_from_a_json_string() {
        let s: Secret = serde_json::from_str("\"MTAxMDoyMDIw\"").unwrap();
        assert_eq!(s.expose(), "MTAxMDoyMDIw");
    }

    #[test]
    fn hint_shows_at_most_the_last_four_characters() {
        assert_eq!(Secret::new("MTAxMDoyMDIw").hint(), "••••MDIw");
        assert_eq!(Secret::new("short").hint(), "••••");
    }
}
