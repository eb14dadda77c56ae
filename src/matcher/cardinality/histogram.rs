//! Histograms of the entries between two bounds, from which a threshold
//! search picks its probes.

use rayon::prelude::*;

use super::canonical;
use super::graph::{Graph, chunks};

/// Buckets of the histograms that choose the probes (a power of two).
const BUCKETS: usize = 1024;

/// Entries of the sample of rows that chooses probes among many entries.
pub(super) const SAMPLE: usize = 1 << 21;

/// An order-preserving integer key of a float (NaN excluded).
pub(super) fn key(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float of a [`key`].
pub(super) fn value_of(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

/// A probe (`None` when no value lies between the bounds) and how many
/// entries are at most it.
pub(super) struct Pick {
    pub(super) probe: Option<f64>,
    pub(super) at_most_probe: usize,
}

/// Where a rank falls in a histogram.
pub(super) struct Located {
    /// Values of the buckets that meet the interval.
    pub(super) total: usize,
    pub(super) rank: usize,
    pub(super) bucket: usize,
    /// Values of the buckets before `bucket` that meet the interval.
    pub(super) before: usize,
}

/// A histogram of the values `max(cost, floor)` of the entries at most
/// `high` that lie strictly between the bounds of its scan, by key, in
/// [`BUCKETS`] equal ranges of keys from `from`; `under` counts the values
/// at most the lower bound, or with keys below `from`. It reads one row in
/// `step`; counts of entries are scaled by it.
pub(super) struct Histogram {
    pub(super) from: u64,
    pub(super) shift: u32,
    pub(super) step: usize,
    pub(super) under: usize,
    pub(super) count: Vec<usize>,
    pub(super) least: Vec<u64>,
    pub(super) most: Vec<u64>,
}

impl Histogram {
    pub(super) fn empty(from: u64, to: u64, step: usize) -> Histogram {
        Histogram {
            from,
            step,
            shift: (64 - (to - from).leading_zeros()).saturating_sub(BUCKETS.ilog2()),
            under: 0,
            count: vec![0; BUCKETS],
            least: vec![u64::MAX; BUCKETS],
            most: vec![0; BUCKETS],
        }
    }

    /// One scan of the keys in `from..=to`, of rows `0, step, 2 · step, …`
    /// (in parallel).
    pub(super) fn scan(
        graph: Graph<'_>,
        (low, high): (f64, f64),
        floor: f64,
        (from, to): (u64, u64),
        step: usize,
    ) -> Histogram {
        chunks(graph.rows().div_ceil(step))
            .fold(
                || Histogram::empty(from, to, step),
                |mut histogram, range| {
                    for sample in range {
                        let entries = graph.row(sample * step);
                        for k in 0..entries.len() {
                            let cost = entries.get(k).1;
                            if cost <= high {
                                histogram.add(canonical(cost.max(floor)), low, high, to);
                            }
                        }
                    }
                    histogram
                },
            )
            .reduce(
                || Histogram::empty(from, to, step),
                |one, other| one.merge(&other),
            )
    }

    #[inline]
    pub(super) fn add(&mut self, value: f64, low: f64, high: f64, to: u64) {
        if value <= low {
            self.under += 1;
        } else if value < high {
            let at = key(value);
            if at < self.from {
                self.under += 1;
            } else if at <= to {
                let b = usize::try_from((at - self.from) >> self.shift).expect("below BUCKETS");
                self.count[b] += 1;
                self.least[b] = self.least[b].min(at);
                self.most[b] = self.most[b].max(at);
            }
        }
    }

    pub(super) fn merge(mut self, other: &Histogram) -> Histogram {
        self.under += other.under;
        for b in 0..BUCKETS {
            self.count[b] += other.count[b];
            self.least[b] = self.least[b].min(other.least[b]);
            self.most[b] = self.most[b].max(other.most[b]);
        }
        self
    }

    /// Values counted at most the one of key `at` (buckets that hold values
    /// on both sides of it left out).
    pub(super) fn at_most(&self, at: u64) -> usize {
        let counted = self.under
            + (0..BUCKETS)
                .filter(|&b| self.count[b] > 0 && self.most[b] <= at)
                .map(|b| self.count[b])
                .sum::<usize>();
        counted * self.step
    }

    /// The bucket of the value of rank `min(total / 2, aim − at_most(low))`
    /// among those of the buckets that meet (low, high); `None` if none does.
    pub(super) fn locate(&self, low: f64, high: f64, aim: usize) -> Option<Located> {
        let (low_key, high_key) = (key(low), key(high));
        let meets =
            |b: usize| self.count[b] > 0 && self.most[b] > low_key && self.least[b] < high_key;
        let total: usize = (0..BUCKETS)
            .filter(|&b| meets(b))
            .map(|b| self.count[b])
            .sum();
        if total == 0 {
            return None;
        }
        let rank = (total / 2).min(aim.saturating_sub(self.at_most(low_key)) / self.step);
        let mut before = 0;
        for bucket in (0..BUCKETS).filter(|&b| meets(b)) {
            if before + self.count[bucket] > rank {
                return Some(Located {
                    total,
                    rank,
                    bucket,
                    before,
                });
            }
            before += self.count[bucket];
        }
        unreachable!("the rank is below the total")
    }

    /// A probe from this histogram alone: the largest value of the bucket
    /// located, if it holds one value or at most an eighth of them and lies
    /// below `high`; `None` if a scan is needed.
    pub(super) fn pick(&self, low: f64, high: f64, aim: usize) -> Option<Pick> {
        let Some(at) = self.locate(low, high, aim) else {
            // Only a histogram of every row shows that no value is left.
            return (self.step == 1).then(|| Pick {
                probe: None,
                at_most_probe: self.at_most(key(high)),
            });
        };
        let (least, most) = (self.least[at.bucket], self.most[at.bucket]);
        (least == most || (self.count[at.bucket] * 8 <= at.total && most < key(high))).then(|| {
            Pick {
                probe: Some(value_of(most)),
                at_most_probe: self.at_most(most),
            }
        })
    }
}

/// Chooses a probe by scanning: [`Histogram::pick`] on a fresh histogram
/// of the values strictly between `low` and `high`, or, when the bucket
/// located holds too many, further scans of its keys alone until one
/// qualifies. Returns the histogram of the first scan (`None` if the bounds
/// leave no key between them).
pub(super) fn choose(
    graph: Graph<'_>,
    low: f64,
    high: f64,
    floor: f64,
    aim: usize,
) -> (Pick, Option<Histogram>) {
    let from = key(low).saturating_add(1).max(key(canonical(floor)));
    let to = key(high) - 1;
    if from > to {
        return (
            Pick {
                probe: None,
                at_most_probe: 0,
            },
            None,
        );
    }
    // Many entries: first a sample of rows, about `SAMPLE` entries.
    let step = graph.entries() / SAMPLE;
    if step > 1 {
        let sampled = Histogram::scan(graph, (low, high), floor, (from, to), step);
        if let Some(pick) = sampled.pick(low, high, aim) {
            return (pick, Some(sampled));
        }
    }
    let first = Histogram::scan(graph, (low, high), floor, (from, to), 1);
    if let Some(pick) = first.pick(low, high, aim) {
        return (pick, Some(first));
    }
    let at = first
        .locate(low, high, aim)
        .expect("a pick found no bucket");
    let (total, mut rank) = (at.total, at.rank - at.before);
    let mut under = first.under + at.before;
    let (mut from, mut to) = (first.least[at.bucket], first.most[at.bucket]);
    loop {
        let zoom = Histogram::scan(graph, (low, high), floor, (from, to), 1);
        let mut before = 0;
        let bucket = (0..BUCKETS)
            .find(|&b| {
                let found = before + zoom.count[b] > rank;
                if !found {
                    before += zoom.count[b];
                }
                found
            })
            .expect("the rank is below the count");
        let (least, most) = (zoom.least[bucket], zoom.most[bucket]);
        if least == most || zoom.count[bucket] * 8 <= total {
            let pick = Pick {
                probe: Some(value_of(most)),
                at_most_probe: under + before + zoom.count[bucket],
            };
            return (pick, Some(first));
        }
        (from, to, rank, under) = (least, most, rank - before, under + before);
    }
}
