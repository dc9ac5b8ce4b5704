//! Six months of plausible tariff history (GetTariffData), forward and reverse.

use push3::undocumented::MonthKwh;

fn month_of(tariffs: [f64; 4]) -> MonthKwh {
    let tariffs = tariffs.map(round_tenth);
    MonthKwh {
        total: round_tenth(tariffs.iter().sum()),
        tariffs,
    }
}

/// Meters count in tenths of a kWh (V3 always, V4 by default).
fn round_tenth(kwh: f64) -> f64 {
    (kwh * 10.0).round() / 10.0
}

/// Deterministic per `seed`: a small commercial site drawing 900-1,400 kWh a month, mostly on
/// T1 (peak) and T2 (off-peak), with a little rooftop-solar export as reverse energy.
pub(crate) fn sample_history(seed: u64) -> ([MonthKwh; 6], [MonthKwh; 6]) {
    // Spread the seed so neighbouring addresses get unrelated histories; xorshift needs non-zero.
    let mut state = (seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ 0xD1B5_4A32_D192_ED03).max(1);
    let mut next = move || {
        // xorshift: repeatable numbers without a dependency.
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        (state % 1000) as f64 / 1000.0
    };
    let forward = std::array::from_fn(|_| {
        let month = 900.0 + 500.0 * next();
        let peak = month * (0.55 + 0.1 * next());
        let shoulder = month * 0.05 * next();
        let weekend = month * 0.04 * next();
        month_of([peak, month - peak - shoulder - weekend, shoulder, weekend])
    });
    let reverse = std::array::from_fn(|_| {
        let export = 20.0 + 60.0 * next();
        month_of([export * 0.8, export * 0.2, 0.0, 0.0])
    });
    (forward, reverse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn totals_add_up_and_history_is_repeatable() {
        let (forward, reverse) = sample_history(42);
        for m in forward.iter().chain(reverse.iter()) {
            let sum: f64 = m.tariffs.iter().sum();
            assert!((m.total - sum).abs() < 0.25, "{m:?}");
            assert!(m.tariffs.iter().all(|t| *t >= 0.0));
        }
        assert!(forward.iter().all(|m| (900.0..=1400.0).contains(&m.total)));
        assert_eq!(sample_history(42), (forward, reverse));
        assert_ne!(sample_history(43).0, forward);
    }
}
