//! Identifiers the cloud hands out: 32-hex-digit `msg_id`s and `response_`-prefixed channel ids.
//!
//! The simulator needs unpredictable ids (so a client cannot match on position or guess), not
//! cryptographic ones, so a hash of a per-process random seed and a counter is enough and spares a
//! dependency.

use std::collections::hash_map::RandomState;
use std::hash::{BuildHasher, Hasher};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::OnceLock;

fn next_random_u64() -> u64 {
    static SEED: OnceLock<RandomState> = OnceLock::new();
    static COUNTER: AtomicU64 = AtomicU64::new(0);
    let mut hasher = SEED.get_or_init(RandomState::new).build_hasher();
    hasher.write_u64(COUNTER.fetch_add(1, Ordering::Relaxed));
    hasher.finish()
}

/// A uniformly spread number in `0..bound` (0 when `bound` is 0), for jitter and sample data.
pub(crate) fn random_below(bound: u64) -> u64 {
    if bound == 0 {
        0
    } else {
        next_random_u64() % bound
    }
}

/// A message id shaped like the seed's `8fce23ce5d0b11ebb86e4c1d96d9f4c7`: 32 lower-case hex digits.
pub fn new_msg_id() -> String {
    format!("{:016x}{:016x}", next_random_u64(), next_random_u64())
}

/// A channel id shaped like the seed's `response_NjUyNTQwNzI6dUU5N2F3MEFOMmxSdlVadTM0`: `response_`
/// followed by base64 of `<number>:<20 random letters and digits>`.
pub fn new_response_channel_id() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
    loop {
        let number = 10_000_000 + random_below(90_000_000);
        let tail: String = (0..20)
            .map(|_| ALPHABET[random_below(ALPHABET.len() as u64) as usize] as char)
            .collect();
        let encoded = base64_unpadded(format!("{number}:{tail}").as_bytes());
        // Base64 may produce `+` or `/`, which would not survive in a URL path; the seed's id has
        // neither, so draw again rather than escape.
        if encoded.bytes().all(|c| c.is_ascii_alphanumeric()) {
            return format!("response_{encoded}");
        }
    }
}

fn base64_unpadded(bytes: &[u8]) -> String {
    const TABLE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            *chunk.get(1).unwrap_or(&0),
            *chunk.get(2).unwrap_or(&0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..=chunk.len() {
            out.push(TABLE[((n >> (18 - 6 * i)) & 63) as usize] as char);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn msg_ids_are_32_hex_digits_and_differ() {
        let a = new_msg_id();
        let b = new_msg_id();
        assert_eq!(a.len(), 32);
        assert!(a
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_ne!(a, b);
    }

    #[test]
    fn base64_matches_the_seed_channel_id() {
        // The seed's channel id decodes to this text (reference §1.1).
        assert_eq!(
            base64_unpadded(b"65254072:uE97aw0AN2lRvUZu34"),
            "NjUyNTQwNzI6dUU5N2F3MEFOMmxSdlVadTM0"
        );
    }

    #[test]
    fn channel_ids_are_response_prefixed_and_url_safe_enough() {
        let id = new_response_channel_id();
        assert!(id.starts_with("response_"), "{id}");
        assert!(
            id["response_".len()..]
                .bytes()
                .all(|c| c.is_ascii_alphanumeric()),
            "{id}"
        );
        assert_ne!(id, new_response_channel_id());
    }
}
