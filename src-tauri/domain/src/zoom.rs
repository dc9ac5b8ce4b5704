//! The window's zoom: the steps Ctrl/Cmd + and − move through, and the range the webview is ever
//! set to. The window remembers the user's choice and asks for it again at start; a value from
//! an old or damaged setting is refused here rather than making the window unreadable.

use crate::error::IpcError;

/// The zoom steps, as a browser offers them.
pub const STEPS: [f64; 11] = [0.5, 0.67, 0.75, 0.8, 0.9, 1.0, 1.1, 1.25, 1.5, 1.75, 2.0];

/// A zoom factor the window may be set to: one of [`STEPS`].
pub fn check(factor: f64) -> Result<f64, IpcError> {
    STEPS
        .iter()
        .copied()
        .find(|step| (step - factor).abs() < 1e-9)
        .ok_or_else(|| {
            IpcError::invalid_field("factor", format!("zoom {factor}: one of {STEPS:?}"))
        })
}

/// What Ctrl/Cmd with `+` (1), `−` (−1) or `0` (0) makes of `factor`: the next step that way,
/// or 1 for 0.
pub fn after_key(factor: f64, direction: i8) -> f64 {
    if direction == 0 {
        1.0
    } else {
        step(factor, direction)
    }
}

/// The step after `factor` towards `direction` (+1 in, −1 out), staying at the ends.
pub fn step(factor: f64, direction: i8) -> f64 {
    let here = STEPS
        .iter()
        .position(|s| *s >= factor - 1e-9)
        .unwrap_or(STEPS.len() - 1);
    let next = match direction.signum() {
        1 if STEPS[here] > factor + 1e-9 => here,
        1 => (here + 1).min(STEPS.len() - 1),
        -1 => here.saturating_sub(1),
        _ => here,
    };
    STEPS[next]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zoom_moves_through_the_steps_and_stays_at_the_ends() {
        assert_eq!(step(1.0, 1), 1.1);
        assert_eq!(step(1.1, -1), 1.0);
        assert_eq!(step(2.0, 1), 2.0);
        assert_eq!(step(0.5, -1), 0.5);
        // A factor between steps goes to the next step in that direction.
        assert_eq!(step(1.2, 1), 1.25);
        assert_eq!(step(1.2, -1), 1.1);
    }

    #[test]
    fn zero_resets() {
        assert_eq!(after_key(1.75, 0), 1.0);
        assert_eq!(after_key(1.75, 1), 2.0);
    }

    #[test]
    fn only_a_step_is_accepted() {
        assert_eq!(check(1.25).unwrap(), 1.25);
        for bad in [0.0, -1.0, 1.3, 40.0, f64::NAN, f64::INFINITY] {
            let e = check(bad).unwrap_err();
            assert_eq!(e.field.as_deref(), Some("factor"), "{bad}");
        }
    }
}
