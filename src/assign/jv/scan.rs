//! The vectorised scans of the solver: the relaxation of a Dijkstra step over
//! all columns (split between threads on large matrices), and the searches
//! over one row of augmenting row reduction and column reduction.
//!
//! Every loop works in lanes of fixed width with selects rather than branches,
//! so that the compiler vectorises it without `unsafe` or intrinsics. Indices
//! travel as `f64` (exact below 2^53): a select between two `f64` vectors on
//! an `f64` comparison vectorises, one that mixes in `usize` does not.

// Distances are compared exactly on purpose: ties decide which columns a
// search finalises together.
#![allow(clippy::float_cmp)]

use super::{INF, NONE};

/// Lanes of the vectorised scans.
pub(super) const LANES: usize = 8;
/// Column-row pairs below which a relaxation stays on one thread: a fork and
/// join costs a few microseconds, about what one thread relaxes in 10,000 pairs.
const PARALLEL_PAIRS: usize = 12_288;
/// Fewest columns a thread takes in a parallel relaxation.
const PARALLEL_COLUMNS: usize = 1_024;
/// Columns per span: a relaxation skips the spans whose columns are all finalised.
pub(super) const SPAN: usize = 64;

/// Most rows relaxed in one pass over the distances.
pub(super) const BATCH: usize = 8;

/// The search's columns as a relaxation reads and updates them.
pub(super) struct Columns<'a> {
    /// Potentials; `-inf` for a finalised column.
    pub v: &'a [f64],
    /// Tentative distances; `+inf` for a finalised column.
    pub dist: &'a mut [f64],
    /// The pass that last lowered each distance.
    pub via: &'a mut [f64],
    /// Columns not yet finalised in each span of [`SPAN`] columns.
    pub open: &'a [u32],
}

/// Rows to relax: `(row, h)` with `h = u[i] - (distance of row i)`, the first
/// at position `first` of the search's list of scanned rows, over the
/// row-major `costs` of `width` columns.
pub(super) struct Scanned<'a> {
    pub costs: &'a [f64],
    pub width: usize,
    pub rows: &'a [(usize, f64)],
    pub first: usize,
}

/// Lowers `dist[k]` to `min over rows r of (c_r[k] - h_r) - v[k]` where that
/// is smaller, in passes of up to [`BATCH`] rows, setting `via[k]` to the
/// position of the first row of the pass that lowered it; returns the
/// smallest `dist` (over all columns when there is no row). Columns with a
/// `-inf` potential are left alone and must have `dist` `+inf`; spans with
/// no open column are skipped.
///
/// On more than one thread and with enough work, the columns are split into
/// contiguous parts, each relaxed through all the passes on its own thread
/// (one fork and join per call, however many rows); each column is computed
/// the same way whatever the split, so the result is the same bit for bit on
/// any number of threads.
pub(super) fn relax(scanned: &Scanned<'_>, columns: Columns<'_>) -> f64 {
    let width = columns.dist.len();
    let parts = if scanned.rows.len() * width >= PARALLEL_PAIRS {
        rayon::current_num_threads().min(width / PARALLEL_COLUMNS)
    } else {
        1
    };
    relax_parts(scanned, 0, parts, columns)
}

/// [`relax`] on the columns `offset..offset + dist.len()` in `parts` parallel parts.
fn relax_parts(scanned: &Scanned<'_>, offset: usize, parts: usize, columns: Columns<'_>) -> f64 {
    if parts <= 1 {
        return relax_part(scanned, offset, columns);
    }
    let Columns { v, dist, via, open } = columns;
    // Split at a whole span, the lower part taking `parts / 2`.
    let lower = parts / 2;
    let mid = (dist.len() * lower / parts) / SPAN * SPAN;
    let (v_low, v_high) = v.split_at(mid);
    let (dist_low, dist_high) = dist.split_at_mut(mid);
    let (via_low, via_high) = via.split_at_mut(mid);
    let (open_low, open_high) = open.split_at(mid / SPAN);
    let (low, high) = rayon::join(
        || {
            let columns = Columns {
                v: v_low,
                dist: dist_low,
                via: via_low,
                open: open_low,
            };
            relax_parts(scanned, offset, lower, columns)
        },
        || {
            let columns = Columns {
                v: v_high,
                dist: dist_high,
                via: via_high,
                open: open_high,
            };
            relax_parts(scanned, offset + mid, parts - lower, columns)
        },
    );
    low.min(high)
}

/// All the passes of [`relax`] on one part, the columns `offset..` of the
/// matrix; the result of the last pass.
fn relax_part(scanned: &Scanned<'_>, offset: usize, mut columns: Columns<'_>) -> f64 {
    let width = columns.dist.len();
    // One pass of `R` rows `batch`, the first at position `at`.
    macro_rules! pass {
        ($r:literal, $batch:expr, $at:expr) => {{
            let batch: &[(usize, f64)] = $batch;
            let costs: [&[f64]; $r] = std::array::from_fn(|k| {
                &scanned.costs[batch[k].0 * scanned.width + offset..][..width]
            });
            let h: [f64; $r] = std::array::from_fn(|k| batch[k].1);
            relax_runs(costs, h, $at as f64, &mut columns)
        }};
    }
    if scanned.rows.is_empty() {
        return pass!(0, &[], scanned.first);
    }
    let mut smallest = INF;
    for (k, batch) in scanned.rows.chunks(BATCH).enumerate() {
        let at = scanned.first + k * BATCH;
        smallest = match batch.len() {
            1 => pass!(1, batch, at),
            2 => pass!(2, batch, at),
            3 => pass!(3, batch, at),
            4 => pass!(4, batch, at),
            5 => pass!(5, batch, at),
            6 => pass!(6, batch, at),
            7 => pass!(7, batch, at),
            _ => pass!(8, batch, at),
        };
    }
    smallest
}

/// One pass over the runs of spans with open columns of a part, each run in
/// one vectorised loop; `costs` are the rows' entries of the part's columns.
fn relax_runs<const R: usize>(
    costs: [&[f64]; R],
    h: [f64; R],
    batch: f64,
    columns: &mut Columns<'_>,
) -> f64 {
    let Columns { v, dist, via, open } = columns;
    let mut smallest = INF;
    let mut span = 0;
    while span < open.len() {
        if open[span] == 0 {
            span += 1;
            continue;
        }
        let first = span;
        while span < open.len() && open[span] > 0 {
            span += 1;
        }
        let (start, end) = (first * SPAN, (span * SPAN).min(dist.len()));
        let costs = costs.map(|row| &row[start..end]);
        let (v, dist, via) = (&v[start..end], &mut dist[start..end], &mut via[start..end]);
        smallest = smallest.min(relax_lanes(costs, h, batch, v, dist, via));
    }
    smallest
}

/// The loop of [`relax`] on one part: `costs` are the rows' entries of the
/// part's columns.
#[inline(never)] // inlined into the search, the loop is no longer vectorised
fn relax_lanes<const R: usize>(
    costs: [&[f64]; R],
    h: [f64; R],
    batch: f64,
    v: &[f64],
    dist: &mut [f64],
    via: &mut [f64],
) -> f64 {
    let columns = dist.len();
    let full = columns - columns % LANES;
    let mut best = [INF; LANES];
    let lanes = dist[..full]
        .chunks_exact_mut(LANES)
        .zip(via[..full].chunks_exact_mut(LANES))
        .zip(v[..full].chunks_exact(LANES));
    for (chunk, ((d, via), v)) in lanes.enumerate() {
        let start = chunk * LANES;
        let mut low = [INF; LANES];
        for (row, &h) in costs.iter().zip(&h) {
            let c: &[f64; LANES] = row[start..start + LANES]
                .try_into()
                .expect("rows as long as dist");
            for k in 0..LANES {
                // `if a < b { a } else { b }` is one `minpd`; `f64::min` also
                // handles NaN, which cannot occur here.
                let x = c[k] - h;
                low[k] = if x < low[k] { x } else { low[k] };
            }
        }
        let d: &mut [f64; LANES] = d.try_into().expect("a whole lane");
        let via: &mut [f64; LANES] = via.try_into().expect("a whole lane");
        for k in 0..LANES {
            let candidate = low[k] - v[k];
            let lower = candidate < d[k];
            let step = if lower { 1.0 } else { 0.0 };
            via[k] += (batch - via[k]) * step;
            d[k] = if lower { candidate } else { d[k] };
            best[k] = if d[k] < best[k] { d[k] } else { best[k] };
        }
    }
    let mut smallest = best.iter().fold(INF, |m, &b| m.min(b));
    for k in full..columns {
        let low = (0..R).fold(INF, |low, r| low.min(costs[r][k] - h[r]));
        let candidate = low - v[k];
        if candidate < dist[k] {
            dist[k] = candidate;
            via[k] = batch;
        }
        smallest = smallest.min(dist[k]);
    }
    smallest
}

/// The first `k >= from` with `dist[k] == level`, where `level` is the
/// smallest entry of `dist` and `open` counts the open columns of each span
/// of [`SPAN`] columns (a span with none holds only `+inf`).
///
/// As no entry is below `level`, a span holds it when its smallest entry is
/// not above it: spans are tested with `min` alone, and only a span with a
/// hit is searched entry by entry.
pub(super) fn find_equal(dist: &[f64], open: &[u32], from: usize, level: f64) -> Option<usize> {
    let mut span = from / SPAN;
    let mut start = from;
    while start < dist.len() {
        let end = ((span + 1) * SPAN).min(dist.len());
        if open[span] > 0 && smallest(&dist[start..end]) <= level {
            return dist[start..end]
                .iter()
                .position(|&x| x == level)
                .map(|k| start + k);
        }
        span += 1;
        start = end;
    }
    None
}

/// The smallest entry of `values` (`+inf` when empty), lane by lane.
#[inline(never)] // inlined into a loop that exits early, it is no longer vectorised
fn smallest(values: &[f64]) -> f64 {
    let mut low = [INF; LANES];
    let mut lanes = values.chunks_exact(LANES);
    for lane in &mut lanes {
        for k in 0..LANES {
            low[k] = if lane[k] < low[k] { lane[k] } else { low[k] };
        }
    }
    let tail = lanes.remainder().iter();
    tail.fold(low.iter().fold(INF, |m, &x| m.min(x)), |m, &x| m.min(x))
}

/// Lowers `v[j]` to `c[j] - target` where that is lower, for the columns with
/// `fixed[j] == 0` (those with `fixed[j] == +inf` are left alone): afterwards
/// every such column has `c[j] - v[j] >= target`.
pub(super) fn lower_to(costs: &[f64], target: f64, fixed: &[f64], v: &mut [f64]) {
    let mut v_lanes = v.chunks_exact_mut(LANES);
    let mut costs_lanes = costs.chunks_exact(LANES);
    let mut fixed_lanes = fixed.chunks_exact(LANES);
    for ((v, c), f) in (&mut v_lanes).zip(&mut costs_lanes).zip(&mut fixed_lanes) {
        for k in 0..LANES {
            let x = c[k] - target + f[k];
            v[k] = if x < v[k] { x } else { v[k] };
        }
    }
    let tail = v_lanes.into_remainder().iter_mut();
    for ((v, &c), &f) in tail
        .zip(costs_lanes.remainder())
        .zip(fixed_lanes.remainder())
    {
        *v = v.min(c - target + f);
    }
}

/// The smallest `c[j] - v[j]`, `+inf` for empty slices.
pub(super) fn smallest_reduced(costs: &[f64], v: &[f64]) -> f64 {
    let mut best = [INF; LANES];
    let mut costs_lanes = costs.chunks_exact(LANES);
    let mut v_lanes = v.chunks_exact(LANES);
    for (c, v) in (&mut costs_lanes).zip(&mut v_lanes) {
        for k in 0..LANES {
            let x = c[k] - v[k];
            best[k] = if x < best[k] { x } else { best[k] };
        }
    }
    let tail = costs_lanes.remainder().iter().zip(v_lanes.remainder());
    tail.fold(best.iter().fold(INF, |m, &b| m.min(b)), |m, (&c, &v)| {
        m.min(c - v)
    })
}

/// The two smallest `c[j] - v[j]` with their columns: `(u1, j1, u2, j2)`,
/// smallest first and, among equal values, lowest column first; a missing one
/// is `(+inf, NONE)`.
///
/// One pass finds the two values, lane by lane with `min` and `max` only (so
/// that it vectorises); a second pass over the row, now in cache, finds their
/// columns.
pub(super) fn two_smallest(costs: &[f64], v: &[f64]) -> (f64, usize, f64, usize) {
    let mut m1 = [INF; LANES];
    let mut m2 = [INF; LANES];
    let mut costs_lanes = costs.chunks_exact(LANES);
    let mut v_lanes = v.chunks_exact(LANES);
    for (c, v) in (&mut costs_lanes).zip(&mut v_lanes) {
        for k in 0..LANES {
            let x = c[k] - v[k];
            let high = if x < m1[k] { m1[k] } else { x };
            m2[k] = if high < m2[k] { high } else { m2[k] };
            m1[k] = if x < m1[k] { x } else { m1[k] };
        }
    }
    let tail = costs_lanes
        .remainder()
        .iter()
        .zip(v_lanes.remainder())
        .map(|(&c, &v)| (c - v, INF));
    let (mut u1, mut u2) = (INF, INF);
    for (a, b) in m1.into_iter().zip(m2).chain(tail) {
        // Merge the two smallest (a <= b) of a lane into (u1 <= u2).
        u2 = u2.min(b).min(u1.max(a));
        u1 = u1.min(a);
    }
    if u1 == INF {
        return (INF, NONE, INF, NONE);
    }
    let j1 = find_reduced(costs, v, 0, u1).expect("the smallest value occurs");
    if u2 == INF {
        return (u1, j1, INF, NONE);
    }
    let j2 = if u2 == u1 {
        find_reduced(costs, v, j1 + 1, u2)
    } else {
        find_reduced(costs, v, 0, u2)
    };
    (u1, j1, u2, j2.expect("the second smallest value occurs"))
}

/// The first `j >= from` with `c[j] - v[j] == value`, testing whole lanes at once
/// (with `|`, not `||`: no branch per entry, so the test vectorises).
#[allow(clippy::needless_bitwise_bool)]
fn find_reduced(costs: &[f64], v: &[f64], from: usize, value: f64) -> Option<usize> {
    let (costs, v) = (costs.get(from..)?, v.get(from..)?);
    let mut costs_lanes = costs.chunks_exact(LANES);
    let mut v_lanes = v.chunks_exact(LANES);
    let mut offset = from;
    for (c, v) in (&mut costs_lanes).zip(&mut v_lanes) {
        if c.iter()
            .zip(v)
            .fold(false, |any, (&c, &v)| any | (c - v == value))
        {
            return c
                .iter()
                .zip(v)
                .position(|(&c, &v)| c - v == value)
                .map(|k| offset + k);
        }
        offset += LANES;
    }
    let tail = costs_lanes.remainder().iter().zip(v_lanes.remainder());
    tail.enumerate()
        .find(|&(_, (&c, &v))| c - v == value)
        .map(|(k, _)| offset + k)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A seeded xorshift stream of small integers, with some ties.
    fn stream(seed: u64) -> impl FnMut() -> f64 {
        let mut state = seed | 1;
        move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state % 97) as f64
        }
    }

    /// Splitting a pass into parts, on any number of threads, changes nothing:
    /// the same distances, passes and smallest distance, bit for bit, with
    /// finalised columns and closed spans left alone.
    #[test]
    fn parallel_parts_equal_one_part() {
        let mut next = stream(42);
        for width in [1usize, 7, 64, 65, 1000, 3001] {
            let costs: Vec<f64> = (0..3 * width).map(|_| next()).collect();
            let mut v: Vec<f64> = (0..width).map(|_| next() - 50.0).collect();
            let mut dist: Vec<f64> = (0..width).map(|_| next() + 40.0).collect();
            // Finalise every fifth column and the whole second span.
            let mut open: Vec<u32> = (0..width.div_ceil(SPAN))
                .map(|span| u32::try_from(SPAN.min(width - span * SPAN)).unwrap())
                .collect();
            for j in 0..width {
                if j % 5 == 0 || j / SPAN == 1 {
                    v[j] = f64::NEG_INFINITY;
                    dist[j] = INF;
                    open[j / SPAN] -= 1;
                }
            }
            // Ten rows (two passes): rows 0, 1, 2 of the matrix, over and over.
            let h = [3.0, -2.0, 0.5];
            let rows: Vec<(usize, f64)> = (0..10).map(|k| (k % 3, h[k % 3] + k as f64)).collect();
            let scanned = Scanned {
                costs: &costs,
                width,
                rows: &rows,
                first: 17,
            };
            let run = |parts: usize| {
                let (mut dist, mut via) = (dist.clone(), vec![0.0; width]);
                let columns = Columns {
                    v: &v,
                    dist: &mut dist,
                    via: &mut via,
                    open: &open,
                };
                let smallest = relax_parts(&scanned, 0, parts, columns);
                (
                    smallest.to_bits(),
                    dist.iter().map(|d| d.to_bits()).collect::<Vec<_>>(),
                    via,
                )
            };
            let one = run(1);
            for parts in [2, 3, 5] {
                let pool = rayon::ThreadPoolBuilder::new()
                    .num_threads(parts)
                    .build()
                    .unwrap();
                assert_eq!(
                    pool.install(|| run(parts)),
                    one,
                    "{width} columns, {parts} parts"
                );
            }
            // Against the definition, column by column.
            for j in 0..width {
                let closed = v[j] == f64::NEG_INFINITY || j / SPAN == 1;
                let low = rows
                    .iter()
                    .map(|&(i, h)| costs[i * width + j] - h)
                    .fold(INF, f64::min);
                let expected = if closed { INF } else { dist[j].min(low - v[j]) };
                assert_eq!(f64::from_bits(one.1[j]), expected, "column {j}");
            }
        }
    }

    #[test]
    fn find_equal_skips_closed_spans_and_finds_every_tie() {
        let mut dist = vec![INF; 300];
        let mut open = vec![0u32; 300usize.div_ceil(SPAN)];
        for j in [3, 70, 71, 250, 299] {
            dist[j] = 2.0;
            open[j / SPAN] += 1;
        }
        dist[100] = 5.0;
        open[1] += 1;
        let mut found = Vec::new();
        let mut from = 0;
        while let Some(j) = find_equal(&dist, &open, from, 2.0) {
            found.push(j);
            from = j + 1;
        }
        assert_eq!(found, [3, 70, 71, 250, 299]);
        assert_eq!(find_equal(&dist, &open, 300, 2.0), None);
    }
}
