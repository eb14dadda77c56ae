//! The vectorised scans of the solver: the relaxation of a Dijkstra step over
//! the columns of a part (see `parts.rs`), and the searches
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
/// is smaller, for the columns `offset..offset + dist.len()` of the matrix, in
/// passes of up to [`BATCH`] rows, setting `via[k]` to the position of the
/// first row of the pass that lowered it; returns the smallest `dist` (over
/// all columns when there is no row). Columns with a `-inf` potential are left
/// alone and must have `dist` `+inf`; spans with no open column are skipped.
/// Each column is computed on its own, so a split of the columns into parts
/// changes nothing.
pub(super) fn relax_part(scanned: &Scanned<'_>, offset: usize, mut columns: Columns<'_>) -> f64 {
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

/// The loop of [`relax_part`]: `costs` are the rows' entries of the columns
/// `v`, `dist` and `via` describe.
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

/// Appends to `out` every `offset + k` with `dist[k] == level`, in order,
/// where `level` is the smallest entry of `dist` and `open` counts the open
/// columns of each span of [`SPAN`] columns (a span with none holds only
/// `+inf`).
///
/// As no entry is below `level`, a span holds it when its smallest entry is
/// not above it: spans are tested with `min` alone, and only a span with a
/// hit is searched entry by entry.
pub(super) fn equal_columns(
    dist: &[f64],
    open: &[u32],
    level: f64,
    offset: usize,
    out: &mut Vec<usize>,
) {
    for (span, (lane, &open)) in dist.chunks(SPAN).zip(open).enumerate() {
        if open > 0 && smallest(lane) <= level {
            let start = offset + span * SPAN;
            out.extend(
                lane.iter()
                    .enumerate()
                    .filter(|&(_, &x)| x == level)
                    .map(|(k, _)| start + k),
            );
        }
    }
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

    /// A seeded stream of small integers, with some ties.
    fn stream(seed: u64) -> impl FnMut() -> f64 {
        let mut next = crate::assign::xorshift(seed);
        move || next(97) as f64
    }

    /// Relaxing the columns in parts split at any whole span changes nothing:
    /// the same distances, passes and smallest distance, bit for bit, with
    /// finalised columns and closed spans left alone; and each column as the
    /// definition says.
    #[test]
    fn parts_equal_one_part() {
        let mut next = stream(42);
        for width in [1usize, 7, 64, 65, 129, 1000, 3001] {
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
            // Parts of `chunk` columns (a multiple of SPAN).
            let run = |chunk: usize| {
                let (mut dist, mut via) = (dist.clone(), vec![0.0; width]);
                let mut smallest = INF;
                let mut equal = Vec::new();
                let mut parts = Vec::new();
                for (k, ((dist, via), v)) in dist
                    .chunks_mut(chunk)
                    .zip(via.chunks_mut(chunk))
                    .zip(v.chunks(chunk))
                    .enumerate()
                {
                    let open = &open[k * chunk / SPAN..][..dist.len().div_ceil(SPAN)];
                    let columns = Columns { v, dist, via, open };
                    let part = relax_part(&scanned, k * chunk, columns);
                    smallest = smallest.min(part);
                    parts.push((part, k * chunk));
                }
                for (part, offset) in parts {
                    if part == smallest && part < INF {
                        let open = &open[offset / SPAN..]
                            [..dist[offset..].len().min(chunk).div_ceil(SPAN)];
                        let d = &dist[offset..(offset + chunk).min(width)];
                        equal_columns(d, open, part, offset, &mut equal);
                    }
                }
                (
                    smallest.to_bits(),
                    dist.iter().map(|d| d.to_bits()).collect::<Vec<_>>(),
                    via,
                    equal,
                )
            };
            let one = run(width.div_ceil(SPAN).max(1) * SPAN);
            for chunk in [SPAN, 2 * SPAN, 3 * SPAN, 1024] {
                assert_eq!(run(chunk), one, "{width} columns, parts of {chunk}");
            }
            // Against the definition, column by column.
            let mut low_all = INF;
            for j in 0..width {
                let closed = v[j] == f64::NEG_INFINITY || j / SPAN == 1;
                let low = rows
                    .iter()
                    .map(|&(i, h)| costs[i * width + j] - h)
                    .fold(INF, f64::min);
                let expected = if closed { INF } else { dist[j].min(low - v[j]) };
                assert_eq!(f64::from_bits(one.1[j]), expected, "column {j}");
                low_all = low_all.min(expected);
            }
            assert_eq!(f64::from_bits(one.0), low_all);
            let ties: Vec<usize> = (0..width)
                .filter(|&j| low_all < INF && f64::from_bits(one.1[j]) == low_all)
                .collect();
            assert_eq!(one.3, ties);
        }
    }

    #[test]
    fn equal_columns_skips_closed_spans_and_finds_every_tie() {
        let mut dist = vec![INF; 300];
        let mut open = vec![0u32; 300usize.div_ceil(SPAN)];
        for j in [3, 70, 71, 250, 299] {
            dist[j] = 2.0;
            open[j / SPAN] += 1;
        }
        dist[100] = 5.0;
        open[1] += 1;
        let mut found = vec![7];
        equal_columns(&dist, &open, 2.0, 1000, &mut found);
        assert_eq!(found, [7, 1003, 1070, 1071, 1250, 1299]);
    }
}
