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

use rayon::prelude::*;

use crate::Costs;

/// Marks "none" among row and column indices.
const NONE: usize = usize::MAX;

/// Buckets of the histograms that choose the probes (a power of two).
const BUCKETS: usize = 1024;

/// Entries of the sample of rows that chooses probes among many entries.
const SAMPLE: usize = 1 << 21;

/// Rows per parallel task of the scans.
const CHUNK: usize = 64;

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

/// Where a search reads its entries.
#[derive(Clone, Copy)]
enum Source<'a> {
    /// Row-major, `columns` entries per row.
    Dense { data: &'a [f64], columns: usize },
    /// Read with [`Costs::sparse_row`].
    Sparse(&'a dyn Costs),
    /// Read once with [`Costs::at`].
    Lists(&'a Lists),
}

/// The finite entries of costs read with [`Costs::at`], as compressed
/// sparse rows.
struct Lists {
    width: usize,
    starts: Vec<usize>,
    columns: Vec<u32>,
    costs: Vec<f64>,
}

impl Lists {
    /// Reads every entry once (in parallel).
    fn read(costs: &dyn Costs) -> Lists {
        let parts: Vec<(Vec<usize>, Vec<u32>, Vec<f64>)> = chunks(costs.rows())
            .map(|range| {
                let mut part = (Vec::new(), Vec::new(), Vec::new());
                for row in range {
                    for column in 0..costs.columns() {
                        let cost = costs.at(row, column);
                        if cost < f64::INFINITY {
                            part.1.push(u32::try_from(column).expect("checked"));
                            part.2.push(cost);
                        }
                    }
                    part.0.push(part.1.len());
                }
                part
            })
            .collect();
        let mut lists = Lists {
            width: costs.columns(),
            starts: vec![0],
            columns: Vec::new(),
            costs: Vec::new(),
        };
        for (ends, columns, costs) in parts {
            let base = lists.columns.len();
            lists.starts.extend(ends.iter().map(|end| base + end));
            lists.columns.extend(columns);
            lists.costs.extend(costs);
        }
        lists
    }
}

/// Some of a source's entries: their positions in each row.
struct Subset {
    starts: Vec<usize>,
    positions: Vec<u32>,
}

/// The entries a search reads: a source, or a subset of it.
#[derive(Clone, Copy)]
struct Graph<'a> {
    source: Source<'a>,
    subset: Option<&'a Subset>,
}

/// One row of a [`Graph`], read by index.
#[derive(Clone, Copy)]
struct Row<'a> {
    positions: Option<&'a [u32]>,
    columns: Option<&'a [u32]>,
    costs: &'a [f64],
}

impl Row<'_> {
    fn len(&self) -> usize {
        self.positions.map_or(self.costs.len(), <[u32]>::len)
    }

    /// The `k`-th entry's column and cost.
    #[inline]
    fn get(&self, k: usize) -> (usize, f64) {
        let position = self.positions.map_or(k, |positions| positions[k] as usize);
        let column = self
            .columns
            .map_or(position, |columns| columns[position] as usize);
        (column, self.costs[position])
    }
}

impl<'a> Graph<'a> {
    fn rows(self) -> usize {
        match self.source {
            Source::Dense { data, columns } => data.len() / columns,
            Source::Sparse(costs) => costs.rows(),
            Source::Lists(lists) => lists.starts.len() - 1,
        }
    }

    fn columns(self) -> usize {
        match self.source {
            Source::Dense { columns, .. } => columns,
            Source::Sparse(costs) => costs.columns(),
            Source::Lists(lists) => lists.width,
        }
    }

    /// Number of entries read.
    fn entries(self) -> usize {
        match (self.subset, self.source) {
            (Some(subset), _) => subset.positions.len(),
            (None, Source::Dense { data, .. }) => data.len(),
            (None, Source::Sparse(costs)) => costs.stored(),
            (None, Source::Lists(lists)) => lists.columns.len(),
        }
    }

    fn row(self, row: usize) -> Row<'a> {
        let (columns, costs) = match self.source {
            Source::Dense { data, columns } => (None, &data[row * columns..(row + 1) * columns]),
            Source::Sparse(costs) => {
                let (columns, costs) = costs.sparse_row(row).expect("every row is listed");
                (Some(columns), costs)
            }
            Source::Lists(lists) => {
                let range = lists.starts[row]..lists.starts[row + 1];
                (Some(&lists.columns[range.clone()]), &lists.costs[range])
            }
        };
        let positions = self
            .subset
            .map(|subset| &subset.positions[subset.starts[row]..subset.starts[row + 1]]);
        Row {
            positions,
            columns,
            costs,
        }
    }

    /// The entries of cost `<= bound` (in parallel).
    fn keep(self, bound: f64) -> Subset {
        let parts: Vec<(Vec<usize>, Vec<u32>)> = chunks(self.rows())
            .map(|range| {
                let mut part = (Vec::new(), Vec::new());
                for row in range {
                    let entries = self.row(row);
                    let position = |k: usize| entries.positions.map_or(k, |p| p[k] as usize);
                    for k in 0..entries.len() {
                        if entries.get(k).1 <= bound {
                            part.1.push(u32::try_from(position(k)).expect("checked"));
                        }
                    }
                    part.0.push(part.1.len());
                }
                part
            })
            .collect();
        let mut subset = Subset {
            starts: vec![0],
            positions: Vec::new(),
        };
        for (ends, positions) in parts {
            let base = subset.positions.len();
            subset.starts.extend(ends.iter().map(|end| base + end));
            subset.positions.extend(positions);
        }
        subset
    }
}

/// Row ranges of the parallel scans, in order.
fn chunks(rows: usize) -> impl IndexedParallelIterator<Item = std::ops::Range<usize>> {
    (0..rows.div_ceil(CHUNK))
        .into_par_iter()
        .map(move |chunk| chunk * CHUNK..((chunk + 1) * CHUNK).min(rows))
}

/// A matching: the column of each row (`NONE` if free), the cost of its
/// edge, and the rows of each column.
#[derive(Clone)]
struct Matching {
    column_of: Vec<usize>,
    cost_of: Vec<f64>,
    rows_of: Vec<Vec<usize>>,
    size: usize,
}

impl Matching {
    fn empty(rows: usize, columns: usize) -> Matching {
        Matching {
            column_of: vec![NONE; rows],
            cost_of: vec![f64::NAN; rows],
            rows_of: vec![Vec::new(); columns],
            size: 0,
        }
    }

    fn assign(&mut self, row: usize, column: usize, cost: f64) {
        self.column_of[row] = column;
        self.cost_of[row] = cost;
        self.rows_of[column].push(row);
        self.size += 1;
    }

    /// The same matching without its edges of cost above `bound`.
    fn restricted(&self, bound: f64) -> Matching {
        let mut kept = Matching::empty(self.column_of.len(), self.rows_of.len());
        for (row, (&column, &cost)) in self.column_of.iter().zip(&self.cost_of).enumerate() {
            if column != NONE && cost <= bound {
                kept.assign(row, column, cost);
            }
        }
        kept
    }

    /// The largest cost of an edge, `-inf` if there is none.
    fn largest(&self) -> f64 {
        self.column_of
            .iter()
            .zip(&self.cost_of)
            .filter(|&(&column, _)| column != NONE)
            .map(|(_, &cost)| cost)
            .fold(f64::NEG_INFINITY, f64::max)
    }
}

/// Grows `matching` to a maximum matching on entries `<= bound`, or until it
/// has `target` edges: [`fill`], then [`augment`].
fn grow(graph: Graph<'_>, bound: f64, capacity: &[usize], matching: &mut Matching, target: usize) {
    fill(graph, bound, capacity, matching, target);
    augment(graph, bound, capacity, matching, (target, usize::MAX));
}

/// Gives each free row in turn the first column it may take that has room,
/// until `matching` has `target` edges. On a dense matrix a row reads only
/// the columns with room, when they are fewer than its entries.
///
/// Time: `O(entries)`.
fn fill(graph: Graph<'_>, bound: f64, capacity: &[usize], matching: &mut Matching, target: usize) {
    let room = |m: &Matching, column: usize| m.rows_of[column].len() < capacity[column];
    let mut open: Vec<usize> = (0..matching.rows_of.len())
        .filter(|&column| room(matching, column))
        .collect();
    for row in 0..matching.column_of.len() {
        if matching.size >= target || open.is_empty() {
            return;
        }
        if matching.column_of[row] != NONE {
            continue;
        }
        let entries = graph.row(row);
        let found = if entries.positions.is_none()
            && entries.columns.is_none()
            && open.len() < entries.len()
        {
            open.iter()
                .position(|&column| entries.costs[column] <= bound)
                .map(|at| (at, open[at], entries.costs[open[at]]))
        } else {
            (0..entries.len()).find_map(|k| {
                let (column, cost) = entries.get(k);
                (cost <= bound && room(matching, column)).then(|| {
                    let at = open
                        .binary_search(&column)
                        .expect("a column with room is open");
                    (at, column, cost)
                })
            })
        };
        if let Some((at, column, cost)) = found {
            matching.assign(row, column, cost);
            if !room(matching, column) {
                open.remove(at);
            }
        }
    }
}

/// Grows `matching` to a maximum matching on entries `<= bound`, or until
/// it has `target` edges, by Hopcroft–Karp phases: shortest augmenting
/// paths, vertex-disjoint on rows, found by a breadth-first layering and
/// depth-first walks that never revisit a dead end.
///
/// Stops early, returning `false`, after a phase that read more than
/// `budget` entries; `true` when done.
///
/// Time: `O(√rows · entries)`.
fn augment(
    graph: Graph<'_>,
    bound: f64,
    capacity: &[usize],
    matching: &mut Matching,
    (target, budget): (usize, usize),
) -> bool {
    let mut phase = Phase::new(matching.column_of.len(), matching.rows_of.len());
    while matching.size < target && phase.layer(graph, bound, capacity, matching) {
        phase.augment(graph, bound, capacity, matching, target);
        if phase.read > budget {
            return false;
        }
    }
    true
}

/// Raises the bound from `low` through the entries strictly between `low`
/// and `high` in increasing order of cost, growing `matching` (maximum on
/// the entries `<= low`) along each augmenting path as it appears, until
/// it has `target` edges; returns the bound at which it does (`high` if
/// it never does below it).
///
/// One search forest from the free rows lives until an augmentation: a new
/// entry only extends it, so each of the `target − size + 1` forests costs
/// `O(entries)`; sorting the entries between the bounds costs
/// `O(m log m)` for `m` of them (in parallel).
fn ascend(
    graph: Graph<'_>,
    (low, high): (f64, f64),
    capacity: &[usize],
    matching: &mut Matching,
    target: usize,
) -> f64 {
    let mut between: Vec<(f64, u32, u32)> = chunks(graph.rows())
        .flat_map_iter(|range| {
            let mut part = Vec::new();
            for row in range {
                let entries = graph.row(row);
                for k in 0..entries.len() {
                    let (column, cost) = entries.get(k);
                    if cost > low && cost < high {
                        let index = |i: usize| u32::try_from(i).expect("checked");
                        part.push((cost, index(row), index(column)));
                    }
                }
            }
            part
        })
        .collect();
    between
        .par_sort_unstable_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)).then(a.2.cmp(&b.2)));
    let mut forest = Forest::new(matching.column_of.len(), matching.rows_of.len());
    let mut bound = low;
    let mut next = between.iter();
    loop {
        // Maximum at `bound` first, then on to the next entries.
        while let Some(end) = forest.grow(graph, bound, capacity, matching) {
            forest.shift(matching, end);
            if matching.size >= target {
                return bound;
            }
        }
        loop {
            let Some(&(cost, row, column)) = next.next() else {
                return high;
            };
            bound = cost;
            if let Some(end) = forest.reach(
                graph,
                bound,
                capacity,
                matching,
                (row as usize, column as usize),
            ) {
                forest.shift(matching, end);
                if matching.size >= target {
                    return bound;
                }
                break;
            }
        }
    }
}

/// The alternating forest of [`ascend`]: rows reached from the free rows,
/// and the row each column was reached from.
struct Forest {
    reached: Vec<bool>,
    /// Columns not reached yet.
    unreached: usize,
    came_from: Vec<usize>,
    /// The cost of the entry each column was reached by.
    came_by: Vec<f64>,
    queue: Vec<usize>,
}

impl Forest {
    fn new(rows: usize, columns: usize) -> Forest {
        Forest {
            reached: vec![false; rows],
            unreached: columns,
            came_from: vec![NONE; columns],
            came_by: vec![f64::NAN; columns],
            queue: Vec::new(),
        }
    }

    /// A new forest from the free rows over entries `<= bound`; the first
    /// column with room it reaches, if any.
    fn grow(
        &mut self,
        graph: Graph<'_>,
        bound: f64,
        capacity: &[usize],
        matching: &Matching,
    ) -> Option<usize> {
        self.reached.fill(false);
        self.came_from.fill(NONE);
        self.unreached = self.came_from.len();
        self.queue.clear();
        for (row, &column) in matching.column_of.iter().enumerate() {
            if column == NONE {
                self.reached[row] = true;
                self.queue.push(row);
            }
        }
        self.expand(graph, bound, capacity, matching)
    }

    /// Reads the rows waiting in the queue.
    fn expand(
        &mut self,
        graph: Graph<'_>,
        bound: f64,
        capacity: &[usize],
        matching: &Matching,
    ) -> Option<usize> {
        // Once every column is reached, rows left to read reach nothing new.
        while self.unreached > 0
            && let Some(row) = self.queue.pop()
        {
            let entries = graph.row(row);
            for k in 0..entries.len() {
                let (column, cost) = entries.get(k);
                if cost <= bound
                    && self.came_from[column] == NONE
                    && let Some(end) = self.enter(row, (column, cost), capacity, matching)
                {
                    return Some(end);
                }
            }
        }
        None
    }

    /// Reaches `column` from `row`: the column if it has room, else its
    /// rows join the queue.
    fn enter(
        &mut self,
        row: usize,
        (column, cost): (usize, f64),
        capacity: &[usize],
        matching: &Matching,
    ) -> Option<usize> {
        self.came_from[column] = row;
        self.came_by[column] = cost;
        self.unreached -= 1;
        if matching.rows_of[column].len() < capacity[column] {
            return Some(column);
        }
        for &next in &matching.rows_of[column] {
            if !self.reached[next] {
                self.reached[next] = true;
                self.queue.push(next);
            }
        }
        None
    }

    /// Adds the entry (`row`, `column`) of cost `bound`, allowed from now on.
    fn reach(
        &mut self,
        graph: Graph<'_>,
        bound: f64,
        capacity: &[usize],
        matching: &Matching,
        (row, column): (usize, usize),
    ) -> Option<usize> {
        if !self.reached[row] || self.came_from[column] != NONE {
            return None;
        }
        self.enter(row, (column, bound), capacity, matching)
            .or_else(|| self.expand(graph, bound, capacity, matching))
    }

    /// Moves each row on the path to `end` one column on.
    fn shift(&self, matching: &mut Matching, end: usize) {
        let mut column = end;
        loop {
            let row = self.came_from[column];
            let previous = matching.column_of[row];
            if previous != NONE {
                let list = &mut matching.rows_of[previous];
                let at = list
                    .iter()
                    .position(|&r| r == row)
                    .expect("a row is listed under its column");
                list.swap_remove(at);
                matching.size -= 1;
            }
            matching.assign(row, column, self.came_by[column]);
            if previous == NONE {
                return;
            }
            column = previous;
        }
    }
}

/// The scratch space of one Hopcroft–Karp phase.
struct Phase {
    /// Layer of each row; `NONE` if unreached or a dead end.
    layer: Vec<usize>,
    /// Layer of the row each column was first reached from; `NONE` if unreached.
    column_layer: Vec<usize>,
    /// Layer at which a column with room was first reached.
    last: usize,
    /// Next entry of each row to try.
    arc: Vec<usize>,
    /// Next row of each column to try.
    column_arc: Vec<usize>,
    /// Entries read by the layerings so far.
    read: usize,
    queue: Vec<usize>,
}

impl Phase {
    fn new(rows: usize, columns: usize) -> Phase {
        Phase {
            layer: vec![NONE; rows],
            column_layer: vec![NONE; columns],
            last: NONE,
            arc: vec![0; rows],
            column_arc: vec![0; columns],
            read: 0,
            queue: Vec::with_capacity(rows),
        }
    }

    /// Layers rows by their distance from the free rows; `false` when no
    /// column with room can be reached (the matching is maximum).
    fn layer(
        &mut self,
        graph: Graph<'_>,
        bound: f64,
        capacity: &[usize],
        matching: &Matching,
    ) -> bool {
        self.layer.fill(NONE);
        self.column_layer.fill(NONE);
        self.queue.clear();
        for (row, &column) in matching.column_of.iter().enumerate() {
            if column == NONE {
                self.layer[row] = 0;
                self.queue.push(row);
            }
        }
        self.last = NONE;
        // Once every column is reached, rows left to read reach nothing new.
        let mut unreached = self.column_layer.len();
        let mut head = 0;
        while head < self.queue.len() && unreached > 0 {
            let row = self.queue[head];
            head += 1;
            let depth = self.layer[row];
            if depth > self.last {
                break;
            }
            let entries = graph.row(row);
            self.read += entries.len();
            for k in 0..entries.len() {
                let (column, cost) = entries.get(k);
                if cost <= bound && self.column_layer[column] == NONE {
                    self.column_layer[column] = depth;
                    unreached -= 1;
                    if matching.rows_of[column].len() < capacity[column] {
                        self.last = depth;
                    } else if self.last == NONE {
                        for &next in &matching.rows_of[column] {
                            if self.layer[next] == NONE {
                                self.layer[next] = depth + 1;
                                self.queue.push(next);
                            }
                        }
                    }
                }
            }
        }
        self.last != NONE
    }

    /// Augments along shortest paths of the layering from each free row in
    /// turn, until none is left or the matching has `target` edges.
    fn augment(
        &mut self,
        graph: Graph<'_>,
        bound: f64,
        capacity: &[usize],
        matching: &mut Matching,
        target: usize,
    ) {
        self.arc.fill(0);
        self.column_arc.fill(0);
        // The rows of the walk, the columns between them and those edges' costs.
        let mut path: Vec<usize> = Vec::new();
        let mut steps: Vec<(usize, f64)> = Vec::new();
        for start in 0..matching.column_of.len() {
            if matching.size >= target {
                return;
            }
            if matching.column_of[start] != NONE || self.layer[start] != 0 {
                continue;
            }
            path.clear();
            steps.clear();
            path.push(start);
            while let Some(&row) = path.last() {
                match self.advance(graph, bound, capacity, matching, row) {
                    Step::Deeper(column, cost, next) => {
                        steps.push((column, cost));
                        path.push(next);
                    }
                    Step::Room(column, cost) => {
                        steps.push((column, cost));
                        self.shift(matching, &path, &steps);
                        break;
                    }
                    Step::Dead => {
                        self.layer[row] = NONE;
                        path.pop();
                        steps.pop();
                    }
                }
            }
        }
    }

    /// The next step of a walk from `row`, resuming where its last one stopped.
    fn advance(
        &mut self,
        graph: Graph<'_>,
        bound: f64,
        capacity: &[usize],
        matching: &Matching,
        row: usize,
    ) -> Step {
        let depth = self.layer[row];
        let entries = graph.row(row);
        let end = entries.len();
        while self.arc[row] < end {
            let (column, cost) = entries.get(self.arc[row]);
            if cost <= bound && self.column_layer[column] == depth {
                let listed = &matching.rows_of[column];
                if depth == self.last {
                    if listed.len() < capacity[column] {
                        return Step::Room(column, cost);
                    }
                } else {
                    while self.column_arc[column] < listed.len() {
                        let next = listed[self.column_arc[column]];
                        if self.layer[next] == depth + 1 {
                            return Step::Deeper(column, cost, next);
                        }
                        self.column_arc[column] += 1;
                    }
                }
            }
            self.arc[row] += 1;
        }
        Step::Dead
    }

    /// Moves each row of the path to the next column: the first row was
    /// free, the last column has room.
    fn shift(&self, matching: &mut Matching, path: &[usize], steps: &[(usize, f64)]) {
        for (i, (&row, &(column, cost))) in path.iter().zip(steps).enumerate() {
            matching.column_of[row] = column;
            matching.cost_of[row] = cost;
            if i + 1 < path.len() {
                // The next row left this column from the slot it was found in.
                matching.rows_of[column][self.column_arc[column]] = row;
            } else {
                matching.rows_of[column].push(row);
            }
        }
        matching.size += 1;
    }
}

/// What a walk does next.
enum Step {
    /// On to the row `next`, through `column` at `cost`.
    Deeper(usize, f64, usize),
    /// Ends at `column` (it has room), at `cost`.
    Room(usize, f64),
    /// Nothing left to try from this row.
    Dead,
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
fn canonical(value: f64) -> f64 {
    value + 0.0
}

/// An order-preserving integer key of a float (NaN excluded).
fn key(value: f64) -> u64 {
    let bits = value.to_bits();
    if bits >> 63 == 1 {
        !bits
    } else {
        bits | 1 << 63
    }
}

/// The float of a [`key`].
fn value_of(key: u64) -> f64 {
    if key >> 63 == 1 {
        f64::from_bits(key & !(1 << 63))
    } else {
        f64::from_bits(!key)
    }
}

/// A probe (`None` when no value lies between the bounds) and how many
/// entries are at most it.
struct Pick {
    probe: Option<f64>,
    at_most_probe: usize,
}

/// Where a rank falls in a histogram.
struct Located {
    /// Values of the buckets that meet the interval.
    total: usize,
    rank: usize,
    bucket: usize,
    /// Values of the buckets before `bucket` that meet the interval.
    before: usize,
}

/// A histogram of the values `max(cost, floor)` of the entries at most
/// `high` that lie strictly between the bounds of its scan, by key, in
/// [`BUCKETS`] equal ranges of keys from `from`; `under` counts the values
/// at most the lower bound, or with keys below `from`. It reads one row in
/// `step`; counts of entries are scaled by it.
struct Histogram {
    from: u64,
    shift: u32,
    step: usize,
    under: usize,
    count: Vec<usize>,
    least: Vec<u64>,
    most: Vec<u64>,
}

impl Histogram {
    fn empty(from: u64, to: u64, step: usize) -> Histogram {
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
    fn scan(
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
    fn add(&mut self, value: f64, low: f64, high: f64, to: u64) {
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

    fn merge(mut self, other: &Histogram) -> Histogram {
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
    fn at_most(&self, at: u64) -> usize {
        let counted = self.under
            + (0..BUCKETS)
                .filter(|&b| self.count[b] > 0 && self.most[b] <= at)
                .map(|b| self.count[b])
                .sum::<usize>();
        counted * self.step
    }

    /// The bucket of the value of rank `min(total / 2, aim − at_most(low))`
    /// among those of the buckets that meet (low, high); `None` if none does.
    fn locate(&self, low: f64, high: f64, aim: usize) -> Option<Located> {
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
    fn pick(&self, low: f64, high: f64, aim: usize) -> Option<Pick> {
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
fn choose(
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

#[cfg(test)]
mod tests {
    #![allow(clippy::float_cmp)] // answers are entries, compared exactly

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
    fn generated(
        seed: u64,
        rows: usize,
        columns: usize,
        levels: u64,
        forbidden: f64,
    ) -> Array2<f64> {
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
}
