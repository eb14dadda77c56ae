//! The baselines of the specification, beside the exact objectives: the
//! simple methods an organiser would otherwise use (greedy by score, stable
//! matching, random), so that a matching's quality can be compared with theirs.
//!
//! Mentor and mentee rank each other by the same pair score (ties: mentor file
//! order, then mentee file order), so the pairs are ranked globally and the
//! greedy matching (always the best remaining pair) is the unique stable
//! matching: the best remaining pair can never be blocked. `stable` therefore
//! runs `greedy`, and names that guarantee.

use std::cmp::Ordering;
use std::collections::BinaryHeap;
use std::fmt;
use std::str::FromStr;

use serde::{Serialize, Serializer};

use crate::Error;

/// How a matching is formed: exactly for the objective (the default), or by
/// one of the baselines the specification compares it with.
///
/// ```
/// use mentor_match::Method;
///
/// assert_eq!("stable".parse::<Method>()?, Method::Stable);
/// assert_eq!("random".parse::<Method>()?, Method::Random { seed: 0 });
/// assert_eq!(Method::Random { seed: 7 }.to_string(), "random");
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
#[non_exhaustive]
pub enum Method {
    /// An optimum of the matcher's objective (the default).
    #[default]
    Exact,
    /// Pinned pairs first, then repeatedly the highest-scored feasible pair
    /// whose mentor has a place left and whose mentee wants another mentor
    /// (ties: mentor file order, then mentee file order).
    Greedy,
    /// The unique stable matching (no blocking pair when nothing is pinned):
    /// the same pairs as [`Method::Greedy`], which is what deferred
    /// acceptance finds when both sides rank by the same score.
    Stable,
    /// Pinned pairs first, then the feasible pairs in an order shuffled from
    /// `seed`, each taken when its mentor has a place left and its mentee
    /// wants another mentor. The same seed gives the same pairs.
    Random {
        /// The seed of the shuffle.
        seed: u64,
    },
}

impl Method {
    /// The method's name in results and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Method::Exact => "exact",
            Method::Greedy => "greedy",
            Method::Stable => "stable",
            Method::Random { .. } => "random",
        }
    }

    /// Whether this is [`Method::Exact`].
    pub fn is_exact(&self) -> bool {
        *self == Method::Exact
    }

    /// The seed of [`Method::Random`], `None` for the other methods.
    pub fn seed(self) -> Option<u64> {
        match self {
            Method::Random { seed } => Some(seed),
            _ => None,
        }
    }

    /// The method of a name and, for `"random"`, a seed (0 when `None`).
    pub(crate) fn from_parts(name: &str, seed: Option<u64>) -> Option<Method> {
        match name {
            "exact" => Some(Method::Exact),
            "greedy" => Some(Method::Greedy),
            "stable" => Some(Method::Stable),
            "random" => Some(Method::Random {
                seed: seed.unwrap_or(0),
            }),
            _ => None,
        }
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Reads `exact`, `greedy`, `stable` or `random` (with seed 0; set another
/// with [`Method::Random`]).
impl FromStr for Method {
    type Err = Error;

    fn from_str(name: &str) -> Result<Self, Self::Err> {
        Method::from_parts(name, None).ok_or_else(|| Error::UnknownName {
            what: "method",
            found: name.to_owned(),
            expected: "exact, greedy, stable or random",
        })
    }
}

impl Serialize for Method {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.name())
    }
}

/// Bytes a baseline keeps per free mentee–mentor pair: the feasible pairs
/// with their scores (16), and for `random` their shuffled order (8).
pub(super) const BYTES_PER_PAIR: u64 = 24;

/// One free mentee's feasible mentors as (mentor, score).
pub(super) type Row = Vec<(u32, f64)>;

/// The greedy matching of the free mentees: `rows[r]` are the feasible
/// mentors of free mentee `r` (rows in mentee file order), `capacity` the
/// places each mentor has left, `demand` the mentors each row still wants.
/// Returns each row's mentors; sorts each row, best first.
///
/// Time `O(E log E)` for `E` feasible pairs: each row is sorted once and
/// read once, and a heap holds each row's best remaining mentor.
pub(super) fn greedy(
    rows: &mut [Row],
    capacity: &mut [usize],
    demand: &[usize],
) -> Vec<Vec<usize>> {
    use rayon::prelude::*;
    rows.par_iter_mut()
        .for_each(|row| row.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))));
    let mut next = vec![0usize; rows.len()];
    let mut wanted = demand.to_vec();
    let mut chosen = vec![Vec::new(); rows.len()];
    let mut heap = BinaryHeap::with_capacity(rows.len());
    // Each row with mentors wanted has its best mentor with a place in the heap.
    let head = |row: usize, next: &mut [usize], capacity: &[usize]| -> Option<Head> {
        let list = &rows[row];
        while next[row] < list.len() && capacity[list[next[row]].0 as usize] == 0 {
            next[row] += 1;
        }
        list.get(next[row])
            .map(|&(mentor, score)| Head { score, mentor, row })
    };
    for (row, &want) in wanted.iter().enumerate() {
        if want > 0 {
            heap.extend(head(row, &mut next, capacity));
        }
    }
    while let Some(Head { mentor, row, .. }) = heap.pop() {
        let mentor_at = mentor as usize;
        if capacity[mentor_at] > 0 {
            capacity[mentor_at] -= 1;
            chosen[row].push(mentor_at);
            wanted[row] -= 1;
            next[row] += 1;
            if wanted[row] == 0 {
                continue;
            }
        }
        // Taken, or the mentor filled up since: the row's next best.
        heap.extend(head(row, &mut next, capacity));
    }
    chosen
}

/// The random matching of the free mentees (see [`greedy`] for the
/// arguments): every feasible pair in an order shuffled from `seed`
/// (Fisher–Yates), each taken when its mentor has a place and its mentee
/// wants another mentor. Time `O(E)`.
pub(super) fn random(
    rows: &[Row],
    capacity: &mut [usize],
    demand: &[usize],
    seed: u64,
) -> Vec<Vec<usize>> {
    let mut order: Vec<(u32, u32)> = rows
        .iter()
        .enumerate()
        .flat_map(|(row, list)| {
            let row = u32::try_from(row).expect("rows are counted in u32");
            list.iter().map(move |&(mentor, _)| (row, mentor))
        })
        .collect();
    let mut random = SplitMix64(seed);
    for k in (1..order.len()).rev() {
        order.swap(k, random.below(k + 1));
    }
    let mut wanted = demand.to_vec();
    let mut chosen = vec![Vec::new(); rows.len()];
    for (row, mentor) in order {
        let (row, mentor) = (row as usize, mentor as usize);
        if capacity[mentor] > 0 && wanted[row] > 0 {
            capacity[mentor] -= 1;
            wanted[row] -= 1;
            chosen[row].push(mentor);
        }
    }
    chosen
}

/// A row's best remaining mentor, ordered as the greedy takes pairs: higher
/// score first, then lower mentor, then lower row (mentee file order).
struct Head {
    score: f64,
    mentor: u32,
    row: usize,
}

impl Ord for Head {
    fn cmp(&self, other: &Self) -> Ordering {
        self.score
            .total_cmp(&other.score)
            .then(other.mentor.cmp(&self.mentor))
            .then(other.row.cmp(&self.row))
    }
}

impl PartialOrd for Head {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Head {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Head {}

/// `SplitMix64` (Steele, Lea and Flood, 2014): small, seeded, the same on every
/// machine.
struct SplitMix64(u64);

impl SplitMix64 {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// A number in `0..bound` (multiply-shift; the bias is below 2^-32 for
    /// any bound under 2^32).
    fn below(&mut self, bound: usize) -> usize {
        let wide = u128::from(self.next()) * bound as u128;
        usize::try_from(wide >> 64).expect("below bound, a usize")
    }
}

#[cfg(test)]
mod tests {
    use super::SplitMix64;

    #[test]
    fn splitmix64_known_values() {
        // The reference implementation (Vigna, splitmix64.c) from seed 0:
        // 0xe220a8397b1dcdaf, 0x6e789e6aa1b965f4, 0x06c45d188009454f.
        let mut random = SplitMix64(0);
        assert_eq!(random.next(), 0xe220_a839_7b1d_cdaf);
        assert_eq!(random.next(), 0x6e78_9e6a_a1b9_65f4);
        assert_eq!(random.next(), 0x06c4_5d18_8009_454f);
    }
}
