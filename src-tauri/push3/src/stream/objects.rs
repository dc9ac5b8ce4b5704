//! An incremental reader that finds JSON objects in the response stream (G7).
//!
//! The push stream's framing is not documented: objects may be separated by newlines or other
//! whitespace, or sent back to back with nothing between them (the nginx module's default
//! template), and chunk boundaries fall anywhere, even inside a UTF-8 character. The stream may
//! also carry pings, blank lines and junk. This reader accepts all of that:
//!
//! * a complete JSON object is yielded as soon as its closing brace arrives;
//! * any other complete JSON value (`42`, `[1,2]`, `"ping"`) is skipped;
//! * text that is not JSON is skipped up to the next `{`;
//! * an object cut short by a sender is abandoned when a new object starts at the beginning of
//!   a line (`\n{`) and parses completely — pretty-printers indent nested objects, so a `{` in
//!   column 0 marks a new message.

use serde_json::{Map, Value};

/// A buffer larger than this without a complete object is junk; it is dropped to bound memory.
const MAX_PENDING_BYTES: usize = 1 << 20;

/// Feeds on stream chunks ([`ObjectReader::push`]) and yields the objects found
/// ([`ObjectReader::next_object`]).
#[derive(Debug, Default)]
pub struct ObjectReader {
    buf: Vec<u8>,
    /// Values that were skipped because they were not objects or not JSON, for diagnostics.
    skipped: u64,
}

/// What parsing at the start of the buffer found.
enum Parsed {
    Object(Map<String, Value>, usize),
    OtherValue(usize),
    /// Needs more bytes.
    Incomplete,
    Invalid,
}

fn parse_first(bytes: &[u8]) -> Parsed {
    let mut values = serde_json::Deserializer::from_slice(bytes).into_iter::<Value>();
    match values.next() {
        Some(Ok(Value::Object(map))) => Parsed::Object(map, values.byte_offset()),
        Some(Ok(_)) => Parsed::OtherValue(values.byte_offset()),
        Some(Err(e)) if e.is_eof() => Parsed::Incomplete,
        Some(Err(_)) => Parsed::Invalid,
        None => Parsed::Incomplete,
    }
}

impl ObjectReader {
    pub fn new() -> Self {
        Self::default()
    }

    pub fn push(&mut self, chunk: &[u8]) {
        self.buf.extend_from_slice(chunk);
        if self.buf.len() > MAX_PENDING_BYTES {
            // Keep only from the last line-start object, if any; a real message is far smaller.
            let keep_from = find_line_start_object(&self.buf, 1).unwrap_or(self.buf.len());
            self.buf.drain(..keep_from);
            self.skipped += 1;
        }
    }

    /// How many non-object values and junk runs have been skipped so far.
    pub fn skipped(&self) -> u64 {
        self.skipped
    }

    /// Forgets a partial object, e.g. at the end of a websocket frame or a dropped connection.
    pub fn clear(&mut self) {
        if self.buf.iter().any(|b| !b.is_ascii_whitespace()) {
            self.skipped += 1;
        }
        self.buf.clear();
    }

    /// The next complete object, or `None` until more bytes arrive.
    pub fn next_object(&mut self) -> Option<Map<String, Value>> {
        loop {
            let start = self.buf.iter().position(|b| !b.is_ascii_whitespace());
            let Some(start) = start else {
                self.buf.clear();
                return None;
            };
            self.buf.drain(..start);
            match parse_first(&self.buf) {
                Parsed::Object(map, used) => {
                    self.buf.drain(..used);
                    return Some(map);
                }
                Parsed::OtherValue(used) => {
                    // A bare number at the very end may still grow ("4" then "2"); skipping it
                    // early is harmless because numbers are never messages.
                    self.buf.drain(..used);
                    self.skipped += 1;
                }
                Parsed::Invalid => self.skip_to_next_brace(),
                Parsed::Incomplete => {
                    if self.buf[0] != b'{' && self.buf[0] != b'[' && self.buf[0] != b'"' {
                        // A partial literal such as `tru` or `-`: nothing to salvage yet.
                        return None;
                    }
                    let next = find_line_start_object(&self.buf, 1)?;
                    if matches!(parse_first(&self.buf[next..]), Parsed::Object(..)) {
                        self.buf.drain(..next);
                        self.skipped += 1;
                        continue;
                    }
                    return None;
                }
            }
        }
    }

    fn skip_to_next_brace(&mut self) {
        let next = self.buf[1..].iter().position(|b| *b == b'{').map(|p| p + 1);
        self.buf.drain(..next.unwrap_or(self.buf.len()));
        self.skipped += 1;
    }
}

/// The position of a `{` that starts a line, searching from `from`.
fn find_line_start_object(buf: &[u8], from: usize) -> Option<usize> {
    buf.get(from..)?
        .windows(2)
        .position(|w| w == b"\n{")
        .map(|p| from + p + 1)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn read_all(chunks: &[&[u8]]) -> Vec<Value> {
        let mut reader = ObjectReader::new();
        let mut out = Vec::new();
        for chunk in chunks {
            reader.push(chunk);
            while let Some(obj) = reader.next_object() {
                out.push(Value::Object(obj));
            }
        }
        out
    }

    #[test]
    fn objects_back_to_back_with_whitespace_or_newlines() {
        let text = br#"{"a":1}{"b":2} {"c":3}
{"d":4}	
{"e":{"nested":[1,{"x":"}{"}]}}"#;
        let got = read_all(&[text]);
        assert_eq!(
            got,
            [
                json!({"a":1}),
                json!({"b":2}),
                json!({"c":3}),
                json!({"d":4}),
                json!({"e":{"nested":[1,{"x":"}{"}]}})
            ]
        );
    }

    #[test]
    fn a_split_inside_a_string_escape_or_utf8_character_waits_for_the_rest() {
        let text = r#"{"error":"Zähler \"nicht\" erreichbar"}"#.as_bytes();
        for cut in 1..text.len() {
            let got = read_all(&[&text[..cut], &text[cut..]]);
            assert_eq!(
                got,
                [json!({"error": "Zähler \"nicht\" erreichbar"})],
                "cut at {cut}"
            );
        }
    }

    #[test]
    fn pings_numbers_arrays_and_garbage_are_skipped() {
        let got = read_all(&[b"\n \n42\n[1,2]\n\"ping\"\nnot json at all\n{\"ok\":true}\n"]);
        assert_eq!(got, [json!({"ok": true})]);
        let got = read_all(&[b"[1,2]42 {\"ok\":1}"]);
        assert_eq!(got, [json!({"ok": 1})]);
    }

    #[test]
    fn a_truncated_object_is_abandoned_when_a_new_line_starts_an_object() {
        let got = read_all(&[
            b"{\"msg_id\":\n",
            b"{\"msg_id\":\"abc\",\"success\":true}\n",
        ]);
        assert_eq!(got, [json!({"msg_id": "abc", "success": true})]);
        let got = read_all(&[b"{\"msg_id\":\n[1,2]\n42\n{\"msg_id\":\"abc\"}\n"]);
        assert_eq!(got, [json!({"msg_id": "abc"})]);
    }

    #[test]
    fn clear_forgets_a_partial_object() {
        let mut reader = ObjectReader::new();
        reader.push(b"{\"a\":");
        assert!(reader.next_object().is_none());
        reader.clear();
        reader.push(b"{\"b\":1}");
        assert_eq!(reader.next_object(), json!({"b": 1}).as_object().cloned());
        assert_eq!(reader.skipped(), 1);
    }
}
