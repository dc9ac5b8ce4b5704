//! Redaction of secrets from text that leaves the process: every log line, and the support
//! report. The app cannot know every secret a message might carry (a key typed into a form, a
//! token in an error from the API), so it removes whatever *looks* like one:
//!
//! * the value of a secret-named field — `key`, `api_key`, `token`, `access_token`, `password`,
//!   `meter_password`, `new_password` (any case, `_`/`-` or camelCase), `secret`,
//!   `authorization` — written `name=value` (a URL query), `name: value` (a header or Rust's
//!   `Debug`) or `"name": "value"` (JSON);
//! * the credential after `Bearer` or `Basic`;
//! * a bare token: 20 or more base64/URL-safe characters mixing upper case, lower case and digits
//!   (Push3 keys and API tokens), or 32 or more hex digits.
//!
//! Meter passwords are eight digits, indistinguishable from a meter number, so they are caught
//! only by their field name. A false positive costs a support engineer one value; a miss leaks a
//! key, so the patterns lean towards redacting.

use regex::{Captures, Regex};
use std::borrow::Cow;
use std::sync::LazyLock;

/// What a redacted value is replaced with.
const REDACTED: &str = "[redacted]";

static SECRET_FIELD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r#"(?ix)
        (?P<name>\b(?:
            (?:api[_-]?)?key
          | (?:access[_-]?|api[_-]?|auth[_-]?)?token
          | (?:meter[_-]?|new[_-]?|old[_-]?)?pass(?:word|wd)
          | secret
          | authorization
        )\b)
        (?P<sep>"?\s*[:=]\s*)
        (?:
            "(?P<quoted>[^"]*)"
          | (?:(?:bearer|basic)\s+)?[^\s"&,;)}\]]+
        )"#,
    )
    .expect("valid secret-field pattern")
});

static SCHEME_CREDENTIAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\b(?P<scheme>bearer|basic)\s+[A-Za-z0-9._~+/-]+=*")
        .expect("valid credential pattern")
});

static BARE_TOKEN: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"[A-Za-z0-9+/_-]{20,}={0,2}").expect("valid token pattern"));

/// `text` with every secret-looking value replaced by `[redacted]`; borrowed when nothing matched.
pub fn redact(text: &str) -> Cow<'_, str> {
    let text = replace(Cow::Borrowed(text), &SECRET_FIELD, |c| {
        let value = if c.name("quoted").is_some() {
            format!("\"{REDACTED}\"")
        } else {
            REDACTED.to_string()
        };
        format!("{}{}{value}", &c["name"], &c["sep"])
    });
    let text = replace(text, &SCHEME_CREDENTIAL, |c| {
        format!("{} {REDACTED}", &c["scheme"])
    });
    replace(text, &BARE_TOKEN, |c| {
        if looks_like_token(&c[0]) {
            REDACTED.to_string()
        } else {
            c[0].to_string()
        }
    })
}

/// One pass of `pattern` over `text`, keeping the borrow when nothing changed (a long run that
/// is not a token is "replaced" by itself).
fn replace<'a>(
    text: Cow<'a, str>,
    pattern: &Regex,
    replacement: impl FnMut(&Captures) -> String,
) -> Cow<'a, str> {
    let replaced = match pattern.replace_all(&text, replacement) {
        Cow::Owned(replaced) if replaced != *text => Some(replaced),
        _ => None,
    };
    replaced.map_or(text, Cow::Owned)
}

/// A long run counts as a token if it is 32 or more hex digits or mixes upper case,
/// lower case and digits, as generated keys do. Lower-case runs such as paths, module names
/// and UUIDs stay readable.
fn looks_like_token(run: &str) -> bool {
    let hex = run.len() >= 32 && run.bytes().all(|b| b.is_ascii_hexdigit());
    let mixed = run.bytes().any(|b| b.is_ascii_uppercase())
        && run.bytes().any(|b| b.is_ascii_lowercase())
        && run.bytes().any(|b| b.is_ascii_digit());
    hex || mixed
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_in_a_url_query_is_redacted_and_the_rest_of_the_url_kept() {
        assert_eq!(
            redact("POST https://api.ekmpush.com/sendCommand?key=MTAxMDoyMDIw&x=1 failed"),
            "POST https://api.ekmpush.com/sendCommand?key=[redacted]&x=1 failed"
        );
    }

    #[test]
    fn an_authorization_header_loses_its_token_whatever_the_case() {
        assert_eq!(
            redact("authorization: Bearer eyJhbGciOi.J9x_y"),
            "authorization: [redacted]"
        );
        assert_eq!(
            redact("sent with BEARER abc123.def"),
            "sent with BEARER [redacted]"
        );
        assert_eq!(redact("Basic dXNlcjpwYXNz"), "Basic [redacted]");
    }

    #[test]
    fn meter_passwords_are_redacted_in_json_debug_and_camel_case() {
        assert_eq!(
            redact(r#"{"relay":"Relay_1","meter_password":"24681357"}"#),
            r#"{"relay":"Relay_1","meter_password":"[redacted]"}"#
        );
        assert_eq!(
            redact(r#"params { new_password: "12345678", old_password: "87654321" }"#),
            r#"params { new_password: "[redacted]", old_password: "[redacted]" }"#
        );
        assert_eq!(
            redact(r#"{"meterPassword": "11112222", "newPassword":"33334444"}"#),
            r#"{"meterPassword": "[redacted]", "newPassword":"[redacted]"}"#
        );
    }

    #[test]
    fn a_quoted_value_is_redacted_whole_even_with_spaces() {
        assert_eq!(
            redact(r#"{"token": "abc def ghi"}"#),
            r#"{"token": "[redacted]"}"#
        );
    }

    #[test]
    fn tokens_and_keys_under_any_common_name_are_redacted() {
        for name in [
            "key",
            "api_key",
            "apiKey",
            "token",
            "access_token",
            "secret",
            "passwd",
        ] {
            assert_eq!(
                redact(&format!("{name}=s3cr3t")),
                format!("{name}=[redacted]"),
                "{name}"
            );
        }
    }

    #[test]
    fn a_bare_generated_key_is_redacted_where_no_field_names_it() {
        assert_eq!(
            redact("gateway answered for e2e-Test-Key-5d41402abc4b2a76 today"),
            "gateway answered for [redacted] today"
        );
        assert_eq!(
            redact("hash 5d41402abc4b2a765d41402abc4b2a76 seen"),
            "hash [redacted] seen"
        );
    }

    #[test]
    fn ordinary_log_text_is_left_alone() {
        for text in [
            "push3_desk_lib::desk::dispatch: SetRelay to meter 000350000900 confirmed in 212 ms",
            "msg_id 0f8fad5b-d9cb-469f-a165-70867728950e unconfirmed after 60 s",
            "log folder /home/alice/.local/share/com.push3desk.Push3Desk/logs",
            "keyHint ••••MDIw, hasToken true",
            "the key was replaced",
        ] {
            assert!(matches!(redact(text), Cow::Borrowed(_)), "{text}");
        }
    }
}
