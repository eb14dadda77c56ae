//! The answers the scorer reads, per person of a side: short sorted lists,
//! and a dense table of the mentors' answers only where it is small.
//!
//! A participant answers a handful of topics and goals; a questionnaire may
//! have thousands. Tables of people × topics would grow with the product
//! (15,000 mentees × 30,000 topics is 3.6 GB of `f64`), lists grow with the
//! answers given.

use crate::{Cohort, ParticipantIndex};

/// Widest questionnaire (topics or goals) whose mentor answers are held as a
/// dense table, at most 512 bytes a mentor: a pair then reads a mentor's
/// answer by position. Wider questionnaires keep sorted lists, and a pair
/// walks the two lists together: 55% more instructions to score the
/// version 1 benchmark cohort (400 × 400, 16 topics) with the lists forced
/// (61.1 M against 39.4 M), the price of memory that grows with the answers.
pub(super) const DENSE_WIDTH: usize = 64;

/// Per person, a list of entries, flattened: person `i` owns
/// `items[at[i]..at[i + 1]]`.
pub(super) struct Lists<T> {
    items: Vec<T>,
    at: Vec<usize>,
}

impl<T> Lists<T> {
    /// The lists of `people`, each made by `entries`.
    pub(super) fn new<'p, I: Iterator<Item = T>>(
        people: impl ExactSizeIterator<Item = &'p crate::Participant>,
        entries: impl Fn(&'p crate::Participant) -> I,
    ) -> Lists<T> {
        let mut at = Vec::with_capacity(people.len() + 1);
        at.push(0);
        let mut items = Vec::new();
        for person in people {
            items.extend(entries(person));
            at.push(items.len());
        }
        Lists { items, at }
    }

    /// Person `i`'s list.
    #[inline]
    pub(super) fn of(&self, i: usize) -> &[T] {
        &self.items[self.at[i]..self.at[i + 1]]
    }
}

/// Answers of one side by (person, position), each divided by 5 (0 where
/// not given): a dense row-major table for a questionnaire of at most
/// [`DENSE_WIDTH`] items, else each person's (position, value) list in
/// questionnaire order.
pub(super) struct Table {
    /// Row-major, `width` a person; empty when the lists are used.
    pub(super) dense: Vec<f64>,
    pub(super) width: usize,
    pub(super) sparse: Option<Lists<(usize, f64)>>,
}

impl Table {
    /// The answers `answers` gives for each of `people`, in a questionnaire
    /// of `width` items.
    pub(super) fn new(
        cohort: &Cohort,
        people: &[ParticipantIndex],
        width: usize,
        answers: fn(&crate::Participant) -> &[(usize, u8)],
    ) -> Table {
        let value = |answer: u8| f64::from(answer) / 5.0;
        if width <= DENSE_WIDTH {
            let mut dense = vec![0.0; people.len() * width];
            for (row, &person) in dense.chunks_exact_mut(width.max(1)).zip(people) {
                for &(position, answer) in answers(cohort.at(person)) {
                    row[position] = value(answer);
                }
            }
            Table {
                dense,
                width,
                sparse: None,
            }
        } else {
            let lists = Lists::new(people.iter().map(|&p| cohort.at(p)), |p| {
                answers(p)
                    .iter()
                    .map(move |&(position, answer)| (position, value(answer)))
            });
            Table {
                dense: Vec::new(),
                width,
                sparse: Some(lists),
            }
        }
    }

    /// Bytes [`Table::new`] allocates for `people` people who give `given`
    /// answers in all, in a questionnaire of `width` items.
    pub(super) fn estimate_bytes(people: u64, given: u64, width: usize) -> u64 {
        if width <= DENSE_WIDTH {
            people * width as u64 * 8
        } else {
            given * 16 + (people + 1) * 8
        }
    }
}

/// `Σ term(v, entry)` over `entries` (ascending by position), where `v` is
/// the value of `own` (a person's sorted list) at the entry's position, left
/// to right; entries at positions the person does not answer are skipped.
/// The caller guarantees that `term` is ±0 there and the sum non-negative,
/// so that skipping them changes no bit: `x + (±0) = x` for every
/// `x >= +0`, and the sum starts at +0. Kept out of line, so that the dense
/// loops stay small where they are inlined.
#[inline(never)]
pub(super) fn sparse_sum<E>(
    own: &[(usize, f64)],
    entries: &[E],
    position: impl Fn(&E) -> usize,
    mut term: impl FnMut(f64, &E) -> f64,
) -> f64 {
    let mut sum = 0.0;
    let mut own = own.iter().peekable();
    for entry in entries {
        let at = position(entry);
        while own.next_if(|&&(p, _)| p < at).is_some() {}
        if let Some(&&(_, v)) = own.peek().filter(|&&&(p, _)| p == at) {
            sum += term(v, entry);
        }
    }
    sum
}
