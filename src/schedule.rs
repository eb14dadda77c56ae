//! Meeting times: the questionnaire's weekly slots, and each participant's
//! availability as a set of quarter-hours of the week in UTC.
//!
//! A chosen slot is the interval `[24·day + start − utc_offset, 24·day + end −
//! utc_offset)` hours, taken modulo 168. Every bound is a multiple of 0.25 h,
//! so availability is exactly a subset of the 672 quarter-hours of the week,
//! held as a bitset of eleven 64-bit words. The overlap of two people is the
//! number of quarter-hours in both sets: a few `AND`s and bit counts, only on
//! the words that both use.

/// Quarter-hours in a week.
pub(crate) const QUARTERS: usize = 7 * 24 * 4;
/// 64-bit words of a week's bitset.
const WORDS: usize = QUARTERS.div_ceil(64);

/// A weekly meeting window of the questionnaire, in the local time of
/// whoever picks it.
#[derive(Debug, Clone, PartialEq)]
pub struct Slot {
    pub(crate) id: String,
    pub(crate) label: String,
    pub(crate) day: u8,
    pub(crate) start: f64,
    pub(crate) end: f64,
}

impl Slot {
    /// The id participants' `slots` refer to.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// The text shown to people (the id when the file gives no label).
    pub fn label(&self) -> &str {
        &self.label
    }

    /// The day, 0 (Monday) to 6 (Sunday).
    pub fn day(&self) -> u8 {
        self.day
    }

    /// The local hour the window starts at, a multiple of 0.25 in [0, 24).
    pub fn start(&self) -> f64 {
        self.start
    }

    /// The local hour the window ends at, a multiple of 0.25 in (start, 24].
    pub fn end(&self) -> f64 {
        self.end
    }
}

/// Whether `hours` is a whole number of quarter-hours.
pub(crate) fn is_quarter(hours: f64) -> bool {
    (hours * 4.0).fract() == 0.0
}

/// A participant's availability: the quarter-hours of the week (UTC) in
/// which they can meet.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Week {
    bits: [u64; WORDS],
    /// Bit `w` set when word `w` has a quarter-hour.
    used: u16,
    /// Quarter-hours in the set.
    count: u16,
}

impl Week {
    /// The union of `slots` (positions in `questionnaire`), shifted from
    /// local time at `utc_offset` hours to UTC.
    pub(crate) fn of(questionnaire: &[Slot], slots: &[usize], utc_offset: f64) -> Week {
        let mut week = Week::default();
        // Exact: every value is a multiple of 0.25 of modest size.
        #[allow(clippy::cast_possible_truncation)]
        let quarter = |hours: f64| (hours * 4.0) as i64;
        let span = i64::try_from(QUARTERS).expect("672 fits");
        for &k in slots {
            let slot = &questionnaire[k];
            let base = 96 * i64::from(slot.day) - quarter(utc_offset);
            for q in base + quarter(slot.start)..base + quarter(slot.end) {
                let at = usize::try_from(q.rem_euclid(span)).expect("in 0..672");
                week.bits[at / 64] |= 1 << (at % 64);
            }
        }
        for (w, word) in week.bits.iter().enumerate() {
            if *word != 0 {
                week.used |= 1 << w;
            }
            week.count += u16::try_from(word.count_ones()).expect("at most 64");
        }
        week
    }

    /// Quarter-hours in the set.
    pub(crate) fn quarters(&self) -> u32 {
        u32::from(self.count)
    }

    /// Quarter-hours in both sets.
    #[inline]
    pub(crate) fn common(&self, other: &Week) -> u32 {
        let mut both = self.used & other.used;
        let mut common = 0;
        while both != 0 {
            let w = both.trailing_zeros() as usize;
            common += (self.bits[w] & other.bits[w]).count_ones();
            both &= both - 1;
        }
        common
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn slot(day: u8, start: f64, end: f64) -> Slot {
        Slot {
            id: format!("{day}-{start}-{end}"),
            label: String::new(),
            day,
            start,
            end,
        }
    }

    #[test]
    fn a_window_past_the_end_of_sunday_continues_on_monday() {
        // Sunday 22–24 local at UTC−3 is Monday 01–03 UTC.
        let slots = [slot(6, 22.0, 24.0), slot(0, 0.0, 4.0)];
        let west = Week::of(&slots, &[0], -3.0);
        let utc = Week::of(&slots, &[1], 0.0);
        assert_eq!(west.quarters(), 8);
        assert_eq!(west.common(&utc), 8); // Monday 01–03 UTC, 2 hours
    }

    #[test]
    fn a_window_before_monday_utc_ends_on_sunday() {
        // Monday 02–04 local at UTC+5.75 (Nepal) is Sunday 20:15–22:15 UTC.
        let slots = [slot(0, 2.0, 4.0), slot(6, 20.0, 21.0)];
        let nepal = Week::of(&slots, &[0], 5.75);
        let utc = Week::of(&slots, &[1], 0.0);
        assert_eq!(utc.common(&nepal), 3); // 20:15–21:00, three quarters
    }

    #[test]
    fn overlapping_windows_of_one_person_count_once() {
        let slots = [slot(2, 9.0, 12.0), slot(2, 11.0, 13.0)];
        let week = Week::of(&slots, &[0, 1], 0.0);
        assert_eq!(week.quarters(), 16); // 9–13
    }
}
