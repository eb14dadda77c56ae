//! Meeting times: the questionnaire's weekly slots, and each participant's
//! availability as a set of quarter-hours of the week in UTC.
//!
//! A chosen slot is the interval `[24·day + start − utc_offset, 24·day + end −
//! utc_offset)` hours, taken modulo 168. Every bound is a multiple of 0.25 h,
//! so availability is exactly a subset of the 672 quarter-hours of the week,
//! held as a bitset of eleven 64-bit words. The overlap of two people is the
//! number of quarter-hours in both sets: a few `AND`s and bit counts, only on
//! the words that both use.

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

/// What the availability of everyone is measured against: the resolution
/// and, per questionnaire slot and distinct UTC offset of the cohort, the
/// steps of the week (UTC) the slot covers.
///
/// The resolution is the coarsest that holds every bound of the cohort
/// exactly (1, 2 or 4 steps an hour): whole hours need 3 words of 64 bits a
/// week, half hours 6, quarter hours 11. Counts at any exact resolution give
/// the same ratios, and hours are counts divided by the steps per hour.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Calendar {
    per_hour: u8,
    words: usize,
    /// The distinct offsets of the cohort, in hours.
    offsets: Vec<f64>,
    /// Slot `s` at offset `d` covers `bits[(s * offsets + d) * words..][..words]`.
    bits: Vec<u64>,
    /// Whether the questionnaire's slots are pairwise disjoint (in local
    /// time), so that a person's steps are the sum of their slots' steps.
    disjoint: bool,
}

impl Calendar {
    /// The calendar of a questionnaire's slots for people at these offsets.
    pub(crate) fn new(questionnaire: &[Slot], offsets: impl Iterator<Item = f64>) -> Calendar {
        let mut distinct: Vec<f64> = offsets.collect();
        distinct.sort_by(f64::total_cmp);
        distinct.dedup();
        let bounds = || {
            questionnaire
                .iter()
                .flat_map(|slot| [slot.start, slot.end])
                .chain(distinct.iter().copied())
        };
        let per_hour = if bounds().all(|x| x.fract() == 0.0) {
            1
        } else if bounds().all(|x| (x * 2.0).fract() == 0.0) {
            2
        } else {
            4
        };
        let steps = 7 * 24 * usize::from(per_hour);
        let words = steps.div_ceil(64);
        let mut bits = vec![0; questionnaire.len() * distinct.len() * words];
        // Exact: every value is a whole number of steps of modest size.
        #[allow(clippy::cast_possible_truncation)]
        let step = |hours: f64| (hours * f64::from(per_hour)) as i64;
        let span = i64::try_from(steps).expect("at most 672 steps");
        for (s, slot) in questionnaire.iter().enumerate() {
            for (d, &offset) in distinct.iter().enumerate() {
                let cover = &mut bits[(s * distinct.len() + d) * words..][..words];
                let base = step(24.0) * i64::from(slot.day) - step(offset);
                for at in base + step(slot.start)..base + step(slot.end) {
                    let at = usize::try_from(at.rem_euclid(span)).expect("in the week");
                    cover[at / 64] |= 1 << (at % 64);
                }
            }
        }
        let mut local: Vec<(f64, f64)> = questionnaire
            .iter()
            .map(|slot| {
                let day = 24.0 * f64::from(slot.day);
                (day + slot.start, day + slot.end)
            })
            .collect();
        local.sort_by(|a, b| a.0.total_cmp(&b.0));
        let disjoint = local.windows(2).all(|pair| pair[0].1 <= pair[1].0);
        Calendar {
            per_hour,
            words,
            offsets: distinct,
            bits,
            disjoint,
        }
    }

    /// Steps per hour.
    pub(crate) fn per_hour(&self) -> f64 {
        f64::from(self.per_hour)
    }

    /// The steps slot `slot` covers for a person at offset `offset` (an index
    /// into the distinct offsets).
    fn cover(&self, slot: usize, offset: usize) -> &[u64] {
        &self.bits[(slot * self.offsets.len() + offset) * self.words..][..self.words]
    }

    /// The position of `offset` among the distinct offsets.
    fn offset_index(&self, offset: f64) -> usize {
        self.offsets
            .binary_search_by(|known| known.total_cmp(&offset))
            .expect("every offset of the cohort is known")
    }
}

/// The availability of every participant of one side: per person, the steps
/// of the week (UTC) in which they can meet, their slots and their offset.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct Weeks {
    words: usize,
    /// Person `i` owns `bits[i * words..(i + 1) * words]`.
    bits: Vec<u64>,
    /// Steps in each person's set; 0 for a person who gives no slots.
    count: Vec<u16>,
    /// Person `i`'s slots are `slots[slots_at[i]..slots_at[i + 1]]`.
    slots: Vec<u32>,
    slots_at: Vec<usize>,
    /// Each person's offset, as an index into the calendar's offsets.
    offset: Vec<u32>,
    /// Per (slot, offset) key (`slot · offsets + offset`), the people who
    /// picked that slot at that offset: people of key `k` are
    /// `by_key[by_key_at[k]..by_key_at[k + 1]]`, ascending.
    by_key: Vec<u32>,
    by_key_at: Vec<usize>,
}

/// One person's common steps with every slot at every offset, so that their
/// overlap with someone is a sum over that person's slots.
pub(crate) struct Against(Vec<u16>);

/// The most words of 64 steps in a week (672 quarter-hours).
const MAX_WORDS: usize = 11;

/// One person's week, prepared to be compared with many people of the other
/// side one at a time ([`Weeks::common_against`]): only the words of their
/// set that hold a step, with their positions. No allocation.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Week {
    at: [u8; MAX_WORDS],
    bits: [u64; MAX_WORDS],
    len: usize,
}

impl Weeks {
    /// The weeks of `people`, each given as (chosen slot positions, offset).
    pub(crate) fn new<'a>(
        calendar: &Calendar,
        people: impl ExactSizeIterator<Item = (&'a [usize], f64)>,
    ) -> Weeks {
        let words = calendar.words;
        let mut weeks = Weeks {
            words,
            bits: vec![0; people.len() * words],
            count: Vec::with_capacity(people.len()),
            slots: Vec::new(),
            slots_at: vec![0],
            offset: Vec::with_capacity(people.len()),
            by_key: Vec::new(),
            by_key_at: Vec::new(),
        };
        for (person, (slots, utc_offset)) in people.enumerate() {
            let offset = calendar.offset_index(utc_offset);
            let bits = &mut weeks.bits[person * words..(person + 1) * words];
            for &slot in slots {
                for (word, cover) in bits.iter_mut().zip(calendar.cover(slot, offset)) {
                    *word |= cover;
                }
            }
            let count: u32 = bits.iter().map(|word| word.count_ones()).sum();
            weeks
                .count
                .push(u16::try_from(count).expect("at most 672 steps"));
            weeks.slots.extend(
                slots
                    .iter()
                    .map(|&slot| u32::try_from(slot).expect("fewer than 2^32 slots")),
            );
            weeks.slots_at.push(weeks.slots.len());
            weeks
                .offset
                .push(u32::try_from(offset).expect("fewer than 2^32 offsets"));
        }
        // The inverted index: people by (slot, offset), by counting sort.
        let offsets = calendar.offsets.len();
        let keys = calendar.bits.len() / words.max(1);
        let key_of =
            |person: usize, slot: u32| slot as usize * offsets + weeks.offset[person] as usize;
        let mut at = vec![0usize; keys + 1];
        for person in 0..weeks.count.len() {
            for &slot in &weeks.slots[weeks.slots_at[person]..weeks.slots_at[person + 1]] {
                at[key_of(person, slot) + 1] += 1;
            }
        }
        for k in 0..keys {
            at[k + 1] += at[k];
        }
        let mut next = at.clone();
        let mut by_key = vec![0u32; weeks.slots.len()];
        for person in 0..weeks.count.len() {
            for &slot in &weeks.slots[weeks.slots_at[person]..weeks.slots_at[person + 1]] {
                let k = key_of(person, slot);
                by_key[next[k]] = u32::try_from(person).expect("fewer than 2^32 people");
                next[k] += 1;
            }
        }
        weeks.by_key = by_key;
        weeks.by_key_at = at;
        weeks
    }

    /// Steps in person `i`'s set, 0 when they give no slots.
    #[inline]
    pub(crate) fn count(&self, i: usize) -> u32 {
        u32::from(self.count[i])
    }

    /// Steps in both person `i`'s set and person `j`'s of `other`.
    #[inline]
    pub(crate) fn common(&self, i: usize, other: &Weeks, j: usize) -> u32 {
        let a = &self.bits[i * self.words..(i + 1) * self.words];
        let b = &other.bits[j * other.words..(j + 1) * other.words];
        a.iter().zip(b).map(|(x, y)| (x & y).count_ones()).sum()
    }

    /// Person `i`'s week, prepared for [`Weeks::common_against`].
    pub(crate) fn week(&self, i: usize) -> Week {
        let mut week = Week {
            at: [0; MAX_WORDS],
            bits: [0; MAX_WORDS],
            len: 0,
        };
        let mine = &self.bits[i * self.words..(i + 1) * self.words];
        for (at, &word) in (0u8..).zip(mine) {
            if word != 0 {
                week.at[week.len] = at;
                week.bits[week.len] = word;
                week.len += 1;
            }
        }
        week
    }

    /// Steps in both person `j`'s set and `week` (of a person of the other
    /// side): [`Weeks::common`] of the two, reading only the words of
    /// `week` that hold a step.
    #[inline]
    pub(crate) fn common_against(&self, j: usize, week: &Week) -> u32 {
        let mine = &self.bits[j * self.words..(j + 1) * self.words];
        week.at[..week.len]
            .iter()
            .zip(&week.bits[..week.len])
            .map(|(&at, &word)| (mine[usize::from(at)] & word).count_ones())
            .sum()
    }

    /// Person `i`'s common steps with every slot at every offset, when the
    /// questionnaire's slots are disjoint (otherwise `None`: use
    /// [`Weeks::common`]). Worth it for a person paired with many others.
    pub(crate) fn against(&self, i: usize, calendar: &Calendar) -> Option<Against> {
        if !calendar.disjoint || self.count[i] == 0 {
            return None;
        }
        let mine = &self.bits[i * self.words..(i + 1) * self.words];
        let slots = calendar.bits.len() / self.words.max(1);
        Some(Against(
            (0..slots)
                .map(|k| {
                    let cover = &calendar.bits[k * self.words..][..self.words];
                    let common: u32 = mine
                        .iter()
                        .zip(cover)
                        .map(|(x, y)| (x & y).count_ones())
                        .sum();
                    u16::try_from(common).expect("at most 672 steps")
                })
                .collect(),
        ))
    }

    /// Steps in common between the person of `against` and everyone of this
    /// side, into `common` (one entry per person): for each (slot, offset)
    /// the person of `against` meets, its steps go to everyone who picked
    /// that slot at that offset (their slots are disjoint, so the sums are
    /// exact). Costs the number of such picks, not the number of people.
    pub(crate) fn common_with_all(&self, against: &Against, common: &mut [u16]) {
        common.fill(0);
        for (k, &steps) in against.0.iter().enumerate() {
            if steps == 0 {
                continue;
            }
            for &person in &self.by_key[self.by_key_at[k]..self.by_key_at[k + 1]] {
                common[person as usize] += steps;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    // Counts of steps over steps per hour are exact.
    #![allow(clippy::float_cmp)]

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

    /// Common hours of two people, each (slots, offset): by the bitsets and,
    /// where the slots are disjoint, by the per-slot table.
    fn common_hours(slots: &[Slot], a: (&[usize], f64), b: (&[usize], f64)) -> Vec<f64> {
        let calendar = Calendar::new(slots, [a.1, b.1].into_iter());
        let weeks = Weeks::new(&calendar, [a, b].into_iter());
        let mut found = vec![f64::from(weeks.common(0, &weeks, 1)) / calendar.per_hour()];
        assert_eq!(
            weeks.common_against(0, &weeks.week(1)),
            weeks.common(0, &weeks, 1)
        );
        if let Some(against) = weeks.against(0, &calendar) {
            let mut common = [0; 2];
            weeks.common_with_all(&against, &mut common);
            found.push(f64::from(common[1]) / calendar.per_hour());
        }
        found
    }

    #[test]
    fn a_window_past_the_end_of_sunday_continues_on_monday() {
        // Sunday 22–24 local at UTC−3 is Monday 01–03 UTC.
        let slots = [slot(6, 22.0, 24.0), slot(0, 0.0, 4.0)];
        assert_eq!(common_hours(&slots, (&[0], -3.0), (&[1], 0.0)), [2.0, 2.0]);
    }

    #[test]
    fn a_window_before_monday_utc_ends_on_sunday() {
        // Monday 02–04 local at UTC+5.75 (Nepal) is Sunday 20:15–22:15 UTC.
        let slots = [slot(0, 2.0, 4.0), slot(6, 20.0, 21.0)];
        assert_eq!(
            common_hours(&slots, (&[0], 5.75), (&[1], 0.0)),
            [0.75, 0.75]
        );
    }

    #[test]
    fn overlapping_windows_of_one_person_count_once() {
        // 9–12 and 11–13 overlap: no per-slot table, the bitsets count 9–13.
        let slots = [slot(2, 9.0, 12.0), slot(2, 11.0, 13.0), slot(2, 8.0, 14.0)];
        assert_eq!(common_hours(&slots, (&[0, 1], 0.0), (&[2], 0.0)), [4.0]);
    }

    #[test]
    fn the_resolution_is_the_coarsest_that_is_exact() {
        let slots = [slot(0, 9.0, 12.0)];
        let steps = |slots: &[Slot], offsets: &[f64]| {
            Calendar::new(slots, offsets.iter().copied()).per_hour
        };
        assert_eq!(steps(&slots, &[1.0, -5.0]), 1);
        assert_eq!(steps(&slots, &[5.5]), 2);
        assert_eq!(steps(&slots, &[5.75]), 4);
        assert_eq!(steps(&[slot(0, 9.25, 12.0)], &[0.0]), 4);
    }
}
