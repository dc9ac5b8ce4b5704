//! A read-back that holds what was written one schedule slot away: the sign that the gateway
//! numbers schedules from 0 where its wire profile counts from 1, or the other way round (§9).
//! Every schedule then lands silently one slot off; naming it turns a list of mismatches into
//! one cause and one fix.

use super::tou::TouProgram;
use crate::limits::SCHEDULES;
use crate::undocumented::WireProfile;
use serde::Serialize;
use ts_rs::TS;

/// Schedule `schedule` was written and landed in `slot`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct SlotShift {
    pub schedule: u8,
    pub slot: u8,
    /// The first number this gateway gives a schedule, as the shift shows it (0 or 1).
    pub gateway_counts_from: u8,
    /// For people: what happened and what to do.
    pub message: String,
}

impl SlotShift {
    fn new(schedule: u8, slot: u8) -> Self {
        // Sent 1 and found in slot 2: the gateway read our 1 as its second schedule.
        let gateway_counts_from = if slot > schedule { 0 } else { 1 };
        let profile = WireProfile::built_in()
            .iter()
            .find(|p| p.schedule_numbering == gateway_counts_from)
            .map(|p| format!(" (built in: “{}”)", p.name))
            .unwrap_or_default();
        let message = format!(
            "Schedule {schedule} landed in slot {slot}: this gateway counts schedules from \
             {gateway_counts_from}. Give it a wire profile that counts from \
             {gateway_counts_from}{profile}, or load a corrected one, then write again."
        );
        Self {
            schedule,
            slot,
            gateway_counts_from,
            message,
        }
    }
}

impl TouProgram {
    /// The shift that explains `actual`, read back after `self` was written, if any: a schedule
    /// that differs in its own slot but is found whole in the next (or previous) one, where
    /// something else should be. Failing that, the weekend and the holiday schedule numbers both
    /// off by one the same way (SetWeekendHolidaySchedules writes both): one alone may be
    /// someone's edit, and this names a cause only on evidence.
    pub fn slot_shift(&self, actual: &TouProgram) -> Option<SlotShift> {
        let count = usize::from(SCHEDULES)
            .min(self.schedules.len())
            .min(actual.schedules.len());
        for step in [1isize, -1] {
            for s in 0..count {
                let Some(t) = s.checked_add_signed(step).filter(|t| *t < count) else {
                    continue;
                };
                let moved = self.schedules[s] != actual.schedules[s]
                    && actual.schedules[t] == self.schedules[s]
                    && self.schedules[t] != self.schedules[s];
                if moved {
                    return Some(SlotShift::new(s as u8 + 1, t as u8 + 1));
                }
            }
            let off = |want: u8, have: u8| i16::from(have) - i16::from(want) == step as i16;
            if off(self.weekend_schedule, actual.weekend_schedule)
                && off(self.holiday_schedule, actual.holiday_schedule)
            {
                return Some(SlotShift::new(
                    self.weekend_schedule,
                    actual.weekend_schedule,
                ));
            }
        }
        None
    }
}

#[cfg(test)]
mod tests {
    use crate::program::tou::tests::sample;
    use crate::undocumented::Period;

    #[test]
    fn a_schedule_found_one_slot_up_means_the_gateway_counts_from_0() {
        let sent = sample();
        let mut held = sample();
        // Only schedule 1 changed, and the gateway put it into slot 2.
        held.schedules[1] = sent.schedules[0];
        held.schedules[0] = [Period::UNUSED; 4];
        let shift = sent.slot_shift(&held).unwrap();
        assert_eq!(
            (shift.schedule, shift.slot, shift.gateway_counts_from),
            (1, 2, 0)
        );
        assert!(shift
            .message
            .starts_with("Schedule 1 landed in slot 2: this gateway counts schedules from 0."));
        assert!(
            shift.message.contains("Flat keys, schedules from 0"),
            "{}",
            shift.message
        );
    }

    #[test]
    fn one_slot_down_means_from_1_and_the_weekend_and_holiday_numbers_can_show_it() {
        let sent = sample();
        let mut held = sample();
        held.schedules[2] = sent.schedules[3];
        held.schedules[3] = [Period::UNUSED; 4];
        let shift = sent.slot_shift(&held).unwrap();
        assert_eq!(
            (shift.schedule, shift.slot, shift.gateway_counts_from),
            (4, 3, 1)
        );

        let mut numbers = sample();
        numbers.weekend_schedule = sent.weekend_schedule + 1;
        assert_eq!(
            sent.slot_shift(&numbers),
            None,
            "one number off may be an edit"
        );
        numbers.holiday_schedule = sent.holiday_schedule + 1;
        let shift = sent.slot_shift(&numbers).unwrap();
        assert_eq!((shift.schedule, shift.slot), (2, 3));
    }

    #[test]
    fn an_ordinary_mismatch_is_no_shift() {
        let sent = sample();
        assert_eq!(sent.slot_shift(&sent), None);
        let mut held = sample();
        held.schedules[0][1].minute = 45;
        held.weekend_schedule = 5;
        assert_eq!(sent.slot_shift(&held), None);
        // Identical neighbours prove nothing.
        let mut twins = sample();
        twins.schedules[1] = twins.schedules[0];
        let mut held = twins.clone();
        held.schedules[0] = [Period::UNUSED; 4];
        assert_eq!(twins.slot_shift(&held), None);
    }
}
