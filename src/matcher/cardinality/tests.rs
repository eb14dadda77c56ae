#![allow(clippy::float_cmp)] // answers are entries, compared exactly

use super::augment::NONE;
use super::histogram::SAMPLE;
use super::*;
use crate::{FnCosts, SparseCosts};
use ndarray::{Array2, array};
use proptest::prelude::*;

/// Largest matching by trying every column (or none) for every row.
fn exhaustive(costs: &Array2<f64>, capacity: &[usize], bound: f64) -> usize {
    fn from(row: usize, costs: &Array2<f64>, room: &mut [usize], bound: f64) -> usize {
        if row == costs.nrows() {
            return 0;
        }
        let mut best = from(row + 1, costs, room, bound);
        for column in 0..costs.ncols() {
            if room[column] > 0 && costs[(row, column)] <= bound {
                room[column] -= 1;
                best = best.max(1 + from(row + 1, costs, room, bound));
                room[column] += 1;
            }
        }
        best
    }
    from(0, costs, &mut capacity.to_vec(), bound)
}

/// [`bottleneck`] by brute force: every entry value (and `floor`) as a
/// bound, each counted exhaustively.
fn brute_force(costs: &Array2<f64>, capacity: &[usize], limit: f64, floor: f64) -> Option<f64> {
    let most = exhaustive(costs, capacity, limit);
    if most == 0 {
        return None;
    }
    let smallest = costs
        .iter()
        .copied()
        .filter(|&cost| cost <= limit && exhaustive(costs, capacity, cost) == most)
        .fold(f64::INFINITY, f64::min);
    Some(canonical(smallest.max(floor)))
}

fn sparse(costs: &Array2<f64>) -> SparseCosts {
    SparseCosts::from_rows(
        costs.ncols(),
        costs.outer_iter().map(|row| {
            row.iter()
                .enumerate()
                .filter(|&(_, &cost)| cost < f64::INFINITY)
                .map(|(column, &cost)| (column, cost))
                .collect::<Vec<_>>()
        }),
    )
    .expect("finite entries")
}

/// All three ways of storing the same costs agree; returns the answer.
fn every_way(costs: &Array2<f64>, capacity: &[usize], limit: f64, floor: f64) -> Option<f64> {
    let dense = bottleneck(costs, capacity, limit, floor);
    let transposed = costs.t().as_standard_layout().into_owned();
    let column_major = transposed.t();
    assert_eq!(bottleneck(&column_major, capacity, limit, floor), dense);
    assert_eq!(bottleneck(&sparse(costs), capacity, limit, floor), dense);
    let computed = FnCosts::new(costs.nrows(), costs.ncols(), |row, column| {
        costs[(row, column)]
    });
    assert_eq!(bottleneck(&computed, capacity, limit, floor), dense);
    dense
}

#[test]
fn augmenting_paths_move_earlier_rows() {
    // Greedy gives row 0 column 0; row 1 can only use column 0, so row 0
    // must move to column 1.
    let costs = array![[1.0, 1.0], [1.0, f64::INFINITY]];
    assert_eq!(max_cardinality(&costs, &[1, 1], 1.0), 2);
}

#[test]
fn capacities_and_bounds_limit_the_matching() {
    let costs = array![[-0.9, -0.2], [-0.8, -0.1], [-0.7, -0.6]];
    assert_eq!(max_cardinality(&costs, &[2, 1], 0.0), 3);
    assert_eq!(max_cardinality(&costs, &[1, 1], 0.0), 2);
    assert_eq!(max_cardinality(&costs, &[3, 3], -0.75), 2);
    assert_eq!(max_cardinality(&costs, &[0, 3], -0.5), 1);
}

#[test]
fn the_bottleneck_of_a_small_case() {
    // Worked by hand: a perfect matching needs row 1 on column 1 (0.5)
    // or column 0 (0.2, then row 0 takes column 1 at 0.4); the best
    // largest edge is 0.4, from {(0, 1), (1, 0), (2, 2)}.
    let costs = array![
        [0.1, 0.4, f64::INFINITY],
        [0.2, 0.5, f64::INFINITY],
        [0.3, 0.9, 0.3],
    ];
    assert_eq!(every_way(&costs, &[1, 1, 1], 1.0, -1.0), Some(0.4));
    // Entries above the limit are never used: under 0.35 only two rows
    // can match, and any two include row 2 at 0.3.
    assert_eq!(every_way(&costs, &[1, 1, 1], 0.35, -1.0), Some(0.3));
    // The floor raises the answer.
    assert_eq!(every_way(&costs, &[1, 1, 1], 1.0, 0.45), Some(0.45));
    // Column 0 takes two rows: (0, 0), (1, 0), (2, 2) at 0.3.
    assert_eq!(every_way(&costs, &[2, 1, 1], 1.0, -1.0), Some(0.3));
    assert_eq!(every_way(&costs, &[0, 0, 0], 1.0, -1.0), None);
}

#[test]
fn long_augmenting_paths() {
    // Row i < n - 1 may take column i at cost -1 or column i + 1 at 0;
    // the last row only column 0, at -1. A greedy start puts row i on
    // column i, so matching the last row shifts every other row one
    // column on: a path through all n rows. Every perfect matching uses
    // the shift, so the answer is 0.
    let n = 300;
    let costs = Array2::from_shape_fn((n, n), |(row, column)| {
        if row + 1 == n {
            if column == 0 { -1.0 } else { f64::INFINITY }
        } else if column == row {
            -1.0
        } else if column == row + 1 {
            0.0
        } else {
            f64::INFINITY
        }
    });
    let capacity = vec![1; n];
    assert_eq!(every_way(&costs, &capacity, 0.0, -1.0), Some(0.0));
    assert_eq!(max_cardinality(&costs, &capacity, 0.0), n);
    assert_eq!(max_cardinality(&costs, &capacity, -1.0), n - 1);
    // Without the edges at 0 but with room for two on column 0.
    let mut capacity = capacity;
    capacity[0] = 2;
    assert_eq!(every_way(&costs, &capacity, 0.0, -1.0), Some(-1.0));
}

fn dense(costs: &Array2<f64>) -> Graph<'_> {
    Graph {
        source: Source::Dense {
            data: costs.as_slice().expect("standard layout"),
            columns: costs.ncols(),
        },
        subset: None,
    }
}

#[test]
fn probes_split_clustered_values_at_their_median() {
    // From -1 up to 0 the first scan's buckets are about one binade
    // each, so these 101 values share one bucket; a second scan over
    // that bucket's keys finds the median exactly.
    let values: Vec<f64> = (0..101).map(|i| -0.7 - f64::from(i) * 1e-4).collect();
    let costs = Array2::from_shape_vec((1, 101), values.clone()).expect("one row");
    let graph = dense(&costs);
    let (pick, first) = choose(graph, f64::NEG_INFINITY, 0.0, -1.0, usize::MAX);
    assert_eq!((pick.probe, pick.at_most_probe), (Some(values[50]), 51));
    // The first scan alone cannot split them.
    let first = first.expect("a histogram");
    assert!(first.pick(f64::NEG_INFINITY, 0.0, usize::MAX).is_none());
    // Fewer wanted under the probe.
    let (pick, _) = choose(graph, f64::NEG_INFINITY, 0.0, -1.0, 11);
    assert_eq!((pick.probe, pick.at_most_probe), (Some(values[89]), 12));
    // Between bounds: 41 values at most `low`, then 25 up to the median.
    let (pick, _) = choose(graph, values[60], values[10], -1.0, usize::MAX);
    assert_eq!(
        (pick.probe, pick.at_most_probe),
        (Some(values[35]), 41 + 25)
    );
    // The floor raises what is below it, even below `low`: 65 of the 90
    // values between the bounds are then the floor.
    let (pick, _) = choose(graph, values[60], values[10], -0.7035, usize::MAX);
    assert_eq!(pick.probe, Some(-0.7035));
    let (pick, _) = choose(graph, f64::NEG_INFINITY, values[100], -1.0, usize::MAX);
    assert_eq!(pick.probe, None);
}

#[test]
fn one_histogram_serves_many_probes() {
    // One value per binade, each in a bucket of its own: after one scan
    // the probes bisect the values without scanning again.
    let values: Vec<f64> = (0..32).map(|i| -(0.5f64.powi(i))).collect();
    let costs = Array2::from_shape_vec((1, 32), values.clone()).expect("one row");
    let (pick, histogram) = choose(
        dense(&costs),
        f64::NEG_INFINITY,
        values[31],
        -1.0,
        usize::MAX,
    );
    let histogram = histogram.expect("a histogram");
    // Ascending: values[0] = -1 is the smallest; 31 lie below the bound.
    assert_eq!((pick.probe, pick.at_most_probe), (Some(values[15]), 16));
    let (mut low, mut high) = (f64::NEG_INFINITY, values[31]);
    let mut probes = 0;
    loop {
        let pick = histogram
            .pick(low, high, usize::MAX)
            .expect("no scan needed");
        let Some(probe) = pick.probe else { break };
        assert!(low < probe && probe < high);
        // Searching for values[20].
        if probe >= values[20] {
            high = probe;
        } else {
            low = probe;
        }
        probes += 1;
    }
    assert_eq!(high, values[20]);
    assert!(probes <= 6, "{probes} probes");
}

/// [`bottleneck`] by bisection over the distinct values, each counted
/// with [`max_cardinality`] (itself checked against [`exhaustive`]).
fn bisection(costs: &Array2<f64>, capacity: &[usize], limit: f64, floor: f64) -> Option<f64> {
    let lists = Lists::read(costs);
    let graph = Graph {
        source: Source::Lists(&lists),
        subset: None,
    };
    let count = |bound: f64| {
        let mut matching = Matching::empty(costs.nrows(), costs.ncols());
        grow(graph, bound, capacity, &mut matching, usize::MAX);
        matching.size
    };
    let most = count(limit);
    if most == 0 {
        return None;
    }
    let mut values: Vec<f64> = costs
        .iter()
        .copied()
        .filter(|&cost| cost <= limit)
        .collect();
    values.sort_by(f64::total_cmp);
    values.dedup();
    let at = values.partition_point(|&value| count(value) < most);
    Some(canonical(values[at].max(floor)))
}

/// A seeded matrix of `rows × columns` costs with `levels` distinct
/// values in [-1, 0) (all distinct if `levels` is 0) and a share
/// `forbidden` of `+inf`.
fn generated(seed: u64, rows: usize, columns: usize, levels: u64, forbidden: f64) -> Array2<f64> {
    let mut state = seed;
    let mut next = move || {
        state = state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    };
    Array2::from_shape_fn((rows, columns), |_| {
        let unit = (next() >> 11) as f64 / (1u64 << 53) as f64;
        if unit < forbidden {
            f64::INFINITY
        } else if levels == 0 {
            -((next() >> 11) as f64 / (1u64 << 53) as f64) - f64::EPSILON
        } else {
            -((next() % levels) as f64 + 1.0) / levels as f64
        }
    })
}

#[test]
fn larger_matrices_agree_with_bisection() {
    // Sizes and shapes that reach every stage of the search: lists of
    // their own, scans split further, and the entry-by-entry finish.
    for seed in 0..24usize {
        let (rows, columns) = [(60, 60), (90, 40), (40, 90), (120, 120)][seed % 4];
        let levels = [0, 7, 50, 1000][(seed / 4) % 4];
        let forbidden = [0.0, 0.5, 0.9][seed % 3];
        let costs = generated(seed as u64, rows, columns, levels, forbidden);
        let capacity: Vec<usize> = (0..columns)
            .map(|c| [1, 1, 2, 0, 3][(c + seed) % 5])
            .collect();
        for (limit, floor) in [(0.0, -1.0), (0.0, -0.5), (-0.3, -1.0)] {
            assert_eq!(
                every_way(&costs, &capacity, limit, floor),
                bisection(&costs, &capacity, limit, floor),
                "seed {seed}, limit {limit}, floor {floor}"
            );
        }
    }
}

#[test]
fn sampled_scans_agree_with_bisection() {
    // Over `2 · SAMPLE` entries: probes are first chosen from every
    // other row.
    let n = 2050;
    assert!(n * n >= 2 * SAMPLE);
    for (seed, levels) in [(1, 0), (2, 40)] {
        let costs = generated(seed, n, n, levels, 0.2);
        let capacity = vec![1; n];
        assert_eq!(
            bottleneck(&costs, &capacity, 0.0, -1.0),
            bisection(&costs, &capacity, 0.0, -1.0),
            "seed {seed}"
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(400))]

    #[test]
    fn agrees_with_brute_force(
        rows in 1usize..6,
        columns in 1usize..5,
        entries in prop::collection::vec(prop_oneof![
            3 => (0u8..6).prop_map(|v| -f64::from(v) / 5.0),
            1 => Just(f64::INFINITY),
        ], 30),
        capacity in prop::collection::vec(0usize..3, 5),
        floor in prop_oneof![Just(-1.0), (0u8..6).prop_map(|v| -f64::from(v) / 5.0)],
        limit in prop_oneof![Just(0.0), (0u8..6).prop_map(|v| -f64::from(v) / 5.0)],
    ) {
        let costs = Array2::from_shape_fn((rows, columns), |(r, c)| entries[r * columns + c]);
        let capacity = &capacity[..columns];
        prop_assert_eq!(every_way(&costs, capacity, limit, floor), brute_force(&costs, capacity, limit, floor));
        for bound in [-0.6, -0.2, 0.0] {
            prop_assert_eq!(max_cardinality(&costs, capacity, bound), exhaustive(&costs, capacity, bound));
        }
    }

    #[test]
    fn agrees_with_brute_force_on_distinct_values(
        rows in 1usize..7,
        columns in 1usize..5,
        entries in prop::collection::vec(prop_oneof![
            4 => -1.0f64..0.0,
            1 => Just(f64::INFINITY),
        ], 36),
        capacity in prop::collection::vec(0usize..3, 5),
    ) {
        let costs = Array2::from_shape_fn((rows, columns), |(r, c)| entries[r * columns + c]);
        let capacity = &capacity[..columns];
        prop_assert_eq!(every_way(&costs, capacity, 0.0, -1.0), brute_force(&costs, capacity, 0.0, -1.0));
    }

    #[test]
    fn ascending_from_any_failed_bound_finds_the_answer(
        rows in 1usize..7,
        columns in 1usize..5,
        entries in prop::collection::vec(prop_oneof![
            4 => (0u8..8).prop_map(|v| -f64::from(v) / 8.0),
            1 => Just(f64::INFINITY),
        ], 36),
        capacity in prop::collection::vec(0usize..3, 5),
    ) {
        let costs = Array2::from_shape_fn((rows, columns), |(r, c)| entries[r * columns + c]);
        let capacity = &capacity[..columns];
        let answer = brute_force(&costs, capacity, 0.0, -2.0);
        let lists = Lists::read(&costs);
        let graph = Graph { source: Source::Lists(&lists), subset: None };
        let most = max_cardinality(&costs, capacity, 0.0);
        if let Some(answer) = answer {
            for low in [-2.0, -0.75, -0.5, -0.25] {
                if low < answer {
                    let mut matching = Matching::empty(rows, columns);
                    grow(graph, low, capacity, &mut matching, usize::MAX);
                    let found = ascend(graph, (low, 0.0), capacity, &mut matching, most);
                    // Entries at the upper bound itself are not listed:
                    // reaching it means the answer is the bound.
                    prop_assert_eq!(canonical(found), answer);
                    if answer < 0.0 {
                        prop_assert_eq!(matching.size, most);
                    }
                    for (row, &column) in matching.column_of.iter().enumerate() {
                        if column != NONE {
                            prop_assert_eq!(matching.cost_of[row], costs[(row, column)]);
                            prop_assert!(matching.cost_of[row] <= found);
                            prop_assert!(matching.rows_of[column].contains(&row));
                        }
                    }
                    for (column, listed) in matching.rows_of.iter().enumerate() {
                        prop_assert!(listed.len() <= capacity[column]);
                    }
                }
            }
        }
    }
}
