//! Rules for what the user types into the gateway and meter dialogs (or the CLI). Each returns the
//! normalized value or a [`ValidationError`] naming the field; secret values are reported masked.

use push3::{Secret, ValidationError};

pub const NAME_MAX_CHARS: usize = 64;
pub const NOTE_MAX_CHARS: usize = 1000;
pub const TAG_MAX_CHARS: usize = 32;
pub const CREDENTIAL_MAX_CHARS: usize = 512;
pub const URL_MAX_CHARS: usize = 2048;
pub const METER_PASSWORD_DIGITS: usize = 8;

fn has_control_chars(s: &str) -> bool {
    s.chars().any(char::is_control)
}

/// A gateway name: what the user picks it by, in the UI and in `push3 send --gateway NAME`.
pub fn gateway_name(input: &str) -> Result<String, ValidationError> {
    let name = input.trim();
    let count = name.chars().count();
    if count == 0 || count > NAME_MAX_CHARS || has_control_chars(name) {
        return Err(ValidationError::new(
            "name",
            format!("{input:?}"),
            format!("1 to {NAME_MAX_CHARS} characters, no line breaks"),
        ));
    }
    Ok(name.to_string())
}

/// A meter nickname: optional, so empty is fine.
pub fn nickname(input: &str) -> Result<String, ValidationError> {
    let name = input.trim();
    if name.chars().count() > NAME_MAX_CHARS || has_control_chars(name) {
        return Err(ValidationError::new(
            "nickname",
            format!("{input:?}"),
            format!("at most {NAME_MAX_CHARS} characters, no line breaks"),
        ));
    }
    Ok(name.to_string())
}

pub fn note(input: &str) -> Result<String, ValidationError> {
    let note = input.trim();
    if note.chars().count() > NOTE_MAX_CHARS {
        return Err(ValidationError::new(
            "note",
            format!("{} characters", note.chars().count()),
            format!("at most {NOTE_MAX_CHARS} characters"),
        ));
    }
    Ok(note.to_string())
}

/// The API base URL. The key travels in its query string, so plain http is refused except to this
/// machine (the simulator); a trailing slash is dropped so paths can be appended.
pub fn api_url(input: &str) -> Result<String, ValidationError> {
    let url = input.trim().trim_end_matches('/');
    let allowed = "an https:// URL such as https://api.ekmpush.com (http:// only to localhost, \
                   e.g. the simulator)";
    let refuse = || ValidationError::new("api_url", format!("{input:?}"), allowed);
    if url.len() > URL_MAX_CHARS || url.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(refuse());
    }
    let (rest, local_only) = if let Some(rest) = url.strip_prefix("https://") {
        (rest, false)
    } else if let Some(rest) = url.strip_prefix("http://") {
        (rest, true)
    } else {
        return Err(refuse());
    };
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    let host = host_of(authority);
    if host.is_empty() || authority.contains('@') {
        return Err(refuse());
    }
    if local_only && !matches!(host, "localhost" | "127.0.0.1" | "[::1]") {
        return Err(refuse());
    }
    Ok(url.to_string())
}

/// The host part of `host[:port]`, keeping IPv6 literals in brackets whole.
fn host_of(authority: &str) -> &str {
    if authority.starts_with('[') {
        return authority.find(']').map_or("", |end| &authority[..=end]);
    }
    authority.split(':').next().unwrap_or_default()
}

/// A gateway key or bearer token, as pasted or piped from stdin: surrounding whitespace (the
/// newline `echo` adds) is dropped; anything else that is not printable ASCII is refused.
pub fn credential(field: &str, secret: &Secret) -> Result<Secret, ValidationError> {
    let text = secret.expose().trim();
    let ok = !text.is_empty()
        && text.len() <= CREDENTIAL_MAX_CHARS
        && text.bytes().all(|b| b.is_ascii_graphic());
    if !ok {
        return Err(ValidationError::new(
            field,
            masked(text),
            format!("1 to {CREDENTIAL_MAX_CHARS} printable characters without spaces"),
        ));
    }
    Ok(Secret::new(text))
}

/// A meter password: exactly eight digits (reference §2.1).
pub fn meter_password(secret: &Secret) -> Result<Secret, ValidationError> {
    let text = secret.expose().trim();
    if text.len() != METER_PASSWORD_DIGITS || !text.bytes().all(|b| b.is_ascii_digit()) {
        return Err(ValidationError::new(
            "meter_password",
            masked(text),
            format!("exactly {METER_PASSWORD_DIGITS} digits 0-9"),
        ));
    }
    Ok(Secret::new(text))
}

/// Tags: trimmed, non-empty, short, each once, in the order given.
pub fn tags(input: &[String]) -> Result<Vec<String>, ValidationError> {
    let mut tags: Vec<String> = Vec::new();
    for (i, raw) in input.iter().enumerate() {
        let tag = raw.trim();
        let count = tag.chars().count();
        if count == 0 || count > TAG_MAX_CHARS || has_control_chars(tag) || tag.contains(',') {
            return Err(ValidationError::new(
                format!("tags[{i}]"),
                format!("{raw:?}"),
                format!("1 to {TAG_MAX_CHARS} characters, no commas or line breaks"),
            ));
        }
        if !tags.iter().any(|t| t == tag) {
            tags.push(tag.to_string());
        }
    }
    Ok(tags)
}

/// What a validation error shows instead of a secret: its length only.
fn masked(text: &str) -> String {
    format!("({} hidden characters)", text.chars().count())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_trimmed_and_bounded() {
        assert_eq!(gateway_name("  Main building ").unwrap(), "Main building");
        assert_eq!(gateway_name("   ").unwrap_err().field, "name");
        assert!(gateway_name(&"x".repeat(65)).is_err());
        assert!(gateway_name("two\nlines").is_err());
        assert_eq!(nickname("").unwrap(), "");
    }

    #[test]
    fn api_urls_must_be_https_except_to_this_machine() {
        assert_eq!(
            api_url("https://api.ekmpush.com/").unwrap(),
            "https://api.ekmpush.com"
        );
        assert_eq!(
            api_url("http://127.0.0.1:8080").unwrap(),
            "http://127.0.0.1:8080"
        );
        assert_eq!(
            api_url("http://localhost:3000/").unwrap(),
            "http://localhost:3000"
        );
        assert_eq!(api_url("http://[::1]:3000").unwrap(), "http://[::1]:3000");
        for bad in [
            "",
            "api.ekmpush.com",
            "http://api.ekmpush.com",
            "ftp://x",
            "https://",
            "https://a b",
            "https://user:pw@host",
        ] {
            assert_eq!(api_url(bad).unwrap_err().field, "api_url", "{bad:?}");
        }
    }

    #[test]
    fn credentials_are_trimmed_and_errors_never_show_them() {
        let key = credential("key", &Secret::new("MTAxMDoyMDIw\n")).unwrap();
        assert_eq!(key.expose(), "MTAxMDoyMDIw");
        let e = credential("key", &Secret::new("MTAx MDoyMDIw")).unwrap_err();
        assert_eq!(e.field, "key");
        assert!(!e.to_string().contains("MTAx"), "{e}");
        assert!(credential("token", &Secret::new("  ")).is_err());
    }

    #[test]
    fn meter_passwords_are_eight_digits_and_never_echoed() {
        assert_eq!(
            meter_password(&Secret::new("12345678")).unwrap().expose(),
            "12345678"
        );
        for bad in ["1234567", "123456789", "1234567a"] {
            let e = meter_password(&Secret::new(bad)).unwrap_err();
            assert_eq!(e.field, "meter_password");
            assert!(!e.to_string().contains("123456"), "{e}");
        }
    }

    #[test]
    fn tags_are_trimmed_deduplicated_and_checked() {
        let given = vec![" north ".to_string(), "hvac".into(), "north".into()];
        assert_eq!(tags(&given).unwrap(), vec!["north", "hvac"]);
        assert_eq!(
            tags(&["a".into(), " ".into()]).unwrap_err().field,
            "tags[1]"
        );
        assert!(tags(&["a,b".into()]).is_err());
    }
}
