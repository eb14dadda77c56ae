//! Bottleneck maximum-cardinality matching with column capacities: the
//! threshold search of the fairness objective.
//!
//! Rows take at most one column each, column `c` at most `capacity[c]` rows,
//! and only entries of cost `<= bound` may be used. [`bottleneck`] finds the
//! smallest bound that still matches as many rows as all allowed entries do.
//!
//! The search keeps two matchings: the last one of full size (its largest
//! edge is an upper bound on the answer) and the last one that fell short
//! (a maximum matching below the answer, still valid above it). Each probe
//! starts from whichever of the two is larger once restricted to the probe,
//! so that it only repairs what changed; augmentation is Hopcroft–Karp with
//! column capacities.
//!
//! Probes are chosen from a histogram of the values between the bounds,
//! read in one parallel scan and used for as many probes as it can split
//! (a bucket too full is split by a scan of its own). First they aim low,
//! at a sixty-fourth of the entries, then sixteen times more after each probe
//! that falls short, so that a probe that succeeds leaves few entries under
//! it; then at the median. Once the entries under a probe or the upper bound
//! are at most half of all, they are listed apart (4 bytes each), so that
//! probes read only them. Every result is the same on any number of threads.
//!
//! `graph.rs` holds the entries a search reads, `augment.rs` the matchings
//! (fill, Hopcroft–Karp, the final ascent) and `histogram.rs` the choice of
//! probes.

mod augment;
mod graph;
mod histogram;
#[cfg(test)]
mod tests;

use crate::Costs;
use augment::{Matching, ascend, augment, fill, grow};
use graph::{Graph, Lists, Source, Subset};
use histogram::{Histogram, Pick, choose, key};

/// The smallest bound `c` such that entries of cost `<= c` match as many
/// rows as entries `<= limit` do, raised to `floor` if below it; `None`
/// when no row can be matched at all. The answer is an entry's cost or
/// `floor`, with `-0.0` returned as `0.0`.
///
/// Each row takes at most one column and column `j` at most `capacity[j]`
/// rows. Costs are read through [`Costs::as_dense`] (row-major in place,
/// another layout copied) or [`Costs::sparse_row`], else each entry once
/// with [`Costs::at`] into lists; `+inf` and NaN are never allowed.
///
/// Time: one maximum-cardinality matching, `O(√rows · entries)` in the worst
/// case (Hopcroft–Karp), then about `log2(entries)` warm-started probes at
/// most, each bounded by the same, and a few parallel scans of the entries.
/// Memory: `O(rows + columns)`, and 4 bytes per entry under the upper bound
/// once those are at most half of all.
///
/// # Panics
///
/// If `capacity` is shorter than the number of columns, or there are more
/// than `u32::MAX` columns.
pub(crate) fn bottleneck(
    costs: &dyn Costs,
    capacity: &[usize],
    limit: f64,
    floor: f64,
) -> Option<f64> {
    let (rows, columns) = (costs.rows(), costs.columns());
    assert!(capacity.len() >= columns, "one capacity per column");
    assert!(u32::try_from(columns).is_ok(), "at most u32::MAX columns");
    if rows == 0 || columns == 0 {
        return None;
    }
    if let Some(view) = costs.as_dense() {
        let view = view.as_standard_layout();
        let data = view.as_slice().expect("a standard layout is contiguous");
        search(Source::Dense { data, columns }, capacity, limit, floor)
    } else if costs.sparse_row(0).is_some() {
        search(Source::Sparse(costs), capacity, limit, floor)
    } else {
        let lists = Lists::read(costs);
        search(Source::Lists(&lists), capacity, limit, floor)
    }
}

/// Size of a largest matching using entries of cost `<= bound`, under the
/// same rules as [`bottleneck`]. Time `O(√rows · entries)`.
#[cfg(test)]
fn max_cardinality(costs: &dyn Costs, capacity: &[usize], bound: f64) -> usize {
    let lists = Lists::read(costs);
    let graph = Graph {
        source: Source::Lists(&lists),
        subset: None,
    };
    let mut matching = Matching::empty(costs.rows(), costs.columns());
    grow(graph, bound, capacity, &mut matching, usize::MAX);
    matching.size
}

/// The search over bounds (see the module docs).
fn search(source: Source<'_>, capacity: &[usize], limit: f64, floor: f64) -> Option<f64> {
    let all = Graph {
        source,
        subset: None,
    };
    let (rows, columns, entries) = (all.rows(), all.columns(), all.entries());
    let mut best = Matching::empty(rows, columns);
    grow(all, limit, capacity, &mut best, usize::MAX);
    let most = best.size;
    if most == 0 {
        return None;
    }
    // The answer lies in (low, high]: `best` has `most` edges, none above
    // `high`; `failed` is a maximum matching on entries `<= low`.
    let mut high = canonical(best.largest().max(floor));
    let mut low = f64::NEG_INFINITY;
    let mut failed = Matching::empty(rows, columns);
    // Every entry `<= high`, once they are at most half of all.
    let mut kept: Option<Subset> = None;
    let mut histogram: Option<Histogram> = None;
    let mut blind = false;
    // How many entries a probe should leave at most it while none are kept.
    let mut wanted = (entries / 64).max(16 * (rows + columns));
    loop {
        let graph = Graph {
            source,
            subset: kept.as_ref(),
        };
        let aim = if kept.is_some() { usize::MAX } else { wanted };
        let pick = next_pick(graph, (&mut histogram, &mut blind), (low, high), floor, aim);
        let Some(probe) = pick.probe else {
            return Some(high);
        };
        let restricted = best.restricted(probe);
        let mut start = if restricted.size > failed.size {
            restricted
        } else {
            failed.clone()
        };
        fill(graph, probe, capacity, &mut start, most);
        // Augmenting paths may read whole rows over and over: once a phase
        // has read more entries than lie under the probe, and those are few,
        // list them apart.
        let budget = if kept.is_none() && pick.at_most_probe * 3 <= entries {
            pick.at_most_probe
        } else {
            usize::MAX
        };
        let trial = (!augment(graph, probe, capacity, &mut start, (most, budget)))
            .then(|| graph.keep(probe));
        if let Some(trial) = &trial {
            let graph = Graph {
                source,
                subset: Some(trial),
            };
            augment(graph, probe, capacity, &mut start, (most, usize::MAX));
        }
        if start.size == most {
            high = canonical(start.largest().max(floor));
            best = start;
            if trial.is_some() {
                kept = trial;
            }
            let graph = Graph {
                source,
                subset: kept.as_ref(),
            };
            let under = histogram.as_ref().map_or(entries, |h| h.at_most(key(high)));
            if under * 2 <= graph.entries() {
                kept = Some(graph.keep(high));
            }
        } else {
            low = probe;
            failed = start;
            wanted = wanted.saturating_mul(16);
            // Few rows short and few entries left between the bounds: raise
            // the bound entry by entry instead of probing on.
            let short = most - failed.size;
            let inside = histogram
                .as_ref()
                .map_or(entries, |h| h.at_most(key(high)) - h.at_most(key(low)));
            if inside * 16 <= entries && short < inside.max(2).ilog2() as usize {
                let graph = Graph {
                    source,
                    subset: kept.as_ref(),
                };
                return Some(canonical(ascend(
                    graph,
                    (low, high),
                    capacity,
                    &mut failed,
                    most,
                )));
            }
        }
    }
}

/// The next probe: from the last histogram if it can tell, else from a
/// fresh one (see [`choose`]).
fn next_pick(
    graph: Graph<'_>,
    (histogram, blind): (&mut Option<Histogram>, &mut bool),
    (low, high): (f64, f64),
    floor: f64,
    aim: usize,
) -> Pick {
    if let Some(h) = histogram.as_ref() {
        // A sample shows no value left: try just below `high` once before
        // scanning every entry to see whether that is so.
        if !*blind && h.step > 1 && h.locate(low, high, aim).is_none() {
            *blind = true;
            let probe = high.next_down();
            return Pick {
                probe: (probe > low).then_some(probe),
                at_most_probe: h.at_most(key(high)),
            };
        }
        if let Some(pick) = h.pick(low, high, aim) {
            return pick;
        }
    }
    let (pick, fresh) = choose(graph, low, high, floor, aim);
    (*histogram, *blind) = (fresh, false);
    pick
}

/// `-0.0` as `0.0`, every other value as it is.
pub(super) fn canonical(value: f64) -> f64 {
    value + 0.0
}
