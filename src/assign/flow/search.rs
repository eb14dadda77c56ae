//! The successive-shortest-path solver: warm start, Dijkstra searches over
//! reduced costs, augmentation (see the module documentation of `flow`).

use std::cmp::Reverse;
use std::collections::BinaryHeap;

use super::scan::{self, Int};
use super::{Flow, MAX_PAIR_COST};
use crate::Error;
use crate::assign::Costs;

/// No row, no column.
const NONE: usize = usize::MAX;
/// Most rows relaxed in one pass over the distances.
const BATCH: usize = 8;

/// How the solver reads the costs.
#[derive(Clone, Copy)]
pub(crate) enum Matrix<'a> {
    /// A row-major dense matrix and its number of columns.
    Dense(&'a [f64], usize),
    /// Costs whose rows are sparse ([`Costs::sparse_row`]).
    Sparse(&'a dyn Costs),
}

impl Matrix<'_> {
    /// Checks every stored cost; returns the largest magnitude.
    pub(crate) fn check(&self) -> Result<i128, Error> {
        let bad = |row: usize, column: usize, value: f64| Error::BadEntry {
            row,
            column,
            value,
            expected: "an integer of magnitude at most 2^50, or +inf (forbidden)",
        };
        let largest = match *self {
            Matrix::Dense(entries, columns) => {
                scan::check_dense(entries).map_err(|k| bad(k / columns, k % columns, entries[k]))?
            }
            Matrix::Sparse(costs) => {
                let mut largest = 0.0f64;
                for row in 0..costs.rows() {
                    let (columns, values) = costs.sparse_row(row).expect("sparse rows");
                    for (&j, &c) in columns.iter().zip(values) {
                        // Stored entries are finite: `+inf` is not stored.
                        if !(c.abs() <= MAX_PAIR_COST && c.fract() == 0.0) {
                            return Err(bad(row, j as usize, c));
                        }
                        largest = largest.max(c.abs());
                    }
                }
                largest
            }
        };
        #[allow(clippy::cast_possible_truncation)] // an integer below 2^51
        Ok(largest as i128)
    }

    /// The cost of one pair (`+inf` when forbidden).
    fn at(&self, row: usize, column: usize) -> f64 {
        match *self {
            Matrix::Dense(entries, columns) => entries[row * columns + column],
            Matrix::Sparse(costs) => costs.at(row, column),
        }
    }
}

/// The checked input of the solver.
pub(crate) struct Input<'a> {
    /// The largest magnitude of a pair cost.
    pub largest_pair: i128,
    pub matrix: Matrix<'a>,
    /// Capacity of each column, at most the number of rows.
    pub capacity: &'a [usize],
    /// Demand of each row, at most the number of columns.
    pub demand: &'a [usize],
    /// Cost of a row's `k`-th column at `k - 1`, as many as the largest
    /// `used + demand`.
    pub unit_cost: &'a [i128],
    /// Columns each row holds already: its units here are its
    /// `used + 1`-th to `used + demand`-th.
    pub used: &'a [usize],
}

/// Where an augmenting path ends.
#[derive(Clone, Copy)]
enum Sink {
    /// A column with room.
    Column(usize),
    /// A dump arc of a row: the row gives a unit up.
    Dump(usize),
}

/// A column finalised by the current search.
struct Done<T> {
    column: usize,
    /// Its potential before the search.
    v: T,
    /// Its distance.
    distance: T,
    /// Rows scanned before it was finalised.
    scanned: usize,
}

/// A row scanned by the current search.
struct Scanned<T> {
    row: usize,
    /// `u[row] - distance`: reduced costs from the row are `c - h - v`.
    h: T,
}

/// The solver's working state: potentials, the current flow, scratch space.
pub(crate) struct State<'a, T> {
    matrix: Matrix<'a>,
    columns: usize,
    capacity: &'a [usize],
    demand: &'a [usize],
    unit_cost: &'a [i128],
    used: &'a [usize],
    /// The largest magnitude of a pair cost: `c - (-shift) - v >= 0` for
    /// every allowed pair, since `v <= 0`.
    shift: T,
    /// `dump[k]` = `-unit_cost[k - 1]`: the cost of giving up a row's `k`-th unit.
    dump: Vec<T>,
    /// Column potentials; [`Int::MASK`] for a column of capacity 0 and,
    /// during a search, for a finalised column.
    v: Vec<T>,
    /// Row potentials, valid for rows that hold a column or gave a unit up.
    u: Vec<T>,
    /// Rows of column `j`: `column_rows[column_start[j]..][..load[j]]`, unordered.
    load: Vec<usize>,
    column_start: Vec<usize>,
    column_rows: Vec<usize>,
    /// Columns of row `i`: `row_columns[row_start[i]..][..held[i]]`, unordered.
    held: Vec<usize>,
    row_start: Vec<usize>,
    row_columns: Vec<usize>,
    /// Units each row gave up.
    dumped: Vec<usize>,
    /// Search scratch: tentative distance of each column (`FAR` when not
    /// reached or finalised).
    dist: Vec<T>,
    done: Vec<Done<T>>,
    scanned: Vec<Scanned<T>>,
    /// Rows scanned by the current search.
    seen: Vec<bool>,
    /// The column through which the current search reached each scanned row
    /// (`NONE` for the root), and the position in `done` of each finalised
    /// column: valid only for the rows and columns the search touched.
    via: Vec<usize>,
    done_at: Vec<usize>,
    /// Rows reached but not scanned: (distance, row, column reached through).
    heap: BinaryHeap<Reverse<(T, usize, usize)>>,
    /// Sparse costs only: the columns reached and not finalised, keyed by
    /// (distance, column), with stale entries (a column reached again,
    /// shorter, or finalised) dropped when they come to the top.
    column_heap: BinaryHeap<Reverse<(T, usize)>>,
    /// Sparse costs only: the columns whose distance the current search
    /// set, to reset them alone.
    touched: Vec<usize>,
    /// Sparse costs only: the first scanned row that gave each reached
    /// column its distance (valid for the columns in `touched`).
    from: Vec<usize>,
}

impl<'a, T: Int> State<'a, T> {
    pub(crate) fn new(input: &Input<'a>) -> Self {
        let rows = input.demand.len();
        let columns = input.capacity.len();
        let prefix = |sizes: &[usize]| {
            let mut starts = Vec::with_capacity(sizes.len() + 1);
            let mut total = 0;
            starts.push(0);
            for &size in sizes {
                total += size;
                starts.push(total);
            }
            starts
        };
        let column_start = prefix(input.capacity);
        let row_start = prefix(input.demand);
        let mut dump = vec![T::ZERO];
        dump.extend(input.unit_cost.iter().map(|&c| T::from_i128(-c)));
        Self {
            matrix: input.matrix,
            columns,
            capacity: input.capacity,
            demand: input.demand,
            unit_cost: input.unit_cost,
            used: input.used,
            shift: T::from_i128(input.largest_pair),
            dump,
            v: input
                .capacity
                .iter()
                .map(|&c| if c == 0 { T::MASK } else { T::ZERO })
                .collect(),
            u: vec![T::ZERO; rows],
            load: vec![0; columns],
            column_rows: vec![NONE; column_start[columns]],
            column_start,
            held: vec![0; rows],
            row_columns: vec![NONE; row_start[rows]],
            row_start,
            dumped: vec![0; rows],
            dist: vec![T::FAR; columns],
            done: Vec::new(),
            scanned: Vec::new(),
            seen: vec![false; rows],
            via: vec![NONE; rows],
            done_at: vec![NONE; columns],
            heap: BinaryHeap::new(),
            column_heap: BinaryHeap::new(),
            touched: Vec::new(),
            from: match input.matrix {
                Matrix::Dense(..) => Vec::new(),
                Matrix::Sparse(_) => vec![NONE; columns],
            },
        }
    }

    /// Places every unit: the warm start, then one search per unit left,
    /// the first unit of every row before any row's second, and so on (any
    /// order is exact; this one keeps a second column from taking the place
    /// a first one needs, which would make the first one's search longer).
    ///
    /// `settled` is told after each search how far the solve has come, in
    /// rows: the units placed by searches so far, as a share of those left
    /// after the warm start, times the number of rows (rising, ending with
    /// all rows).
    pub(crate) fn solve(&mut self, settled: &dyn Fn(usize)) {
        self.warm_start();
        let rows = self.held.len();
        let left: usize = (0..rows)
            .map(|row| self.demand[row] - (self.held[row] + self.dumped[row]).min(self.demand[row]))
            .sum();
        let mut placed = 0;
        settled(0);
        let most = self.demand.iter().copied().max().unwrap_or(0);
        for k in 0..most {
            for row in 0..rows {
                // A search never changes how many units another row has
                // placed (held + dumped), only the root's, by one.
                if self.held[row] + self.dumped[row] == k && k < self.demand[row] {
                    self.search(row);
                    placed += 1;
                    settled(rows * placed / left);
                }
            }
        }
        settled(rows);
        debug_assert!(
            (0..self.held.len()).all(|i| self.held[i] + self.dumped[i] == self.demand[i])
        );
    }

    /// The warm start, while every column potential is still 0 (or masked):
    /// each row lists its `b` cheapest columns in order (one scan of its
    /// row); then, first units of every row first, then second units, and
    /// so on, a row takes its next listed column while that has room and
    /// costs at most giving the unit up, and its potential becomes that
    /// column's label. Taking a prefix of its cheapest columns keeps every
    /// reduced cost of the row `>= 0` on free pairs and `<= 0` on used ones;
    /// placing first units before second ones keeps second mentors from
    /// taking the places that first ones need.
    fn warm_start(&mut self) {
        let rows = self.held.len();
        let mut starts = Vec::with_capacity(rows + 1);
        let mut options: Vec<(T, usize)> = Vec::new();
        let mut labels = vec![T::FAR; self.columns];
        let h = T::ZERO - self.shift;
        starts.push(0);
        for row in 0..rows {
            let wanted = self.demand[row];
            match self.matrix {
                Matrix::Dense(entries, columns) if wanted > 0 => {
                    let costs = &entries[row * columns..][..columns];
                    scan::labels(costs, h, &self.v, &mut labels);
                    for _ in 0..wanted {
                        let label = scan::smallest(&labels);
                        if label >= T::UNREACHED {
                            break;
                        }
                        let j = scan::find_equal(&labels, 0, label).expect("the smallest occurs");
                        labels[j] = T::FAR;
                        options.push((label, j));
                    }
                }
                Matrix::Sparse(costs) if wanted > 0 => {
                    let (columns, values) = costs.sparse_row(row).expect("sparse rows");
                    let first = options.len();
                    options.extend(
                        columns
                            .iter()
                            .zip(values)
                            .map(|(&j, &c)| (T::cost(c) - h - self.v[j as usize], j as usize))
                            .filter(|&(label, _)| label < T::UNREACHED),
                    );
                    options[first..].sort_unstable();
                    options.truncate(first + wanted.min(options.len() - first));
                }
                _ => {}
            }
            starts.push(options.len());
        }
        let most = self.demand.iter().copied().max().unwrap_or(0);
        for k in 0..most {
            for row in 0..rows {
                if self.held[row] != k || starts[row] + k >= starts[row + 1] {
                    continue;
                }
                let (label, j) = options[starts[row] + k];
                let label = label + h;
                if self.load[j] < self.capacity[j] && label <= self.last_dump(row) {
                    self.attach(row, j);
                    self.u[row] = label;
                }
            }
        }
    }

    /// The cost of a pair as an integer.
    fn cost(&self, row: usize, column: usize) -> T {
        T::cost(self.matrix.at(row, column))
    }

    /// The cost of giving up the next unit of `row` (its cheapest unused dump arc).
    fn next_dump(&self, row: usize) -> T {
        self.dump[self.used[row] + self.demand[row] - self.dumped[row]]
    }

    /// The cost of giving up the last unit of `row` (its cheapest dump arc).
    fn last_dump(&self, row: usize) -> T {
        self.dump[self.used[row] + self.demand[row]]
    }

    /// The columns `row` holds.
    fn columns_of(&self, row: usize) -> &[usize] {
        &self.row_columns[self.row_start[row]..][..self.held[row]]
    }

    fn holds(&self, row: usize, column: usize) -> bool {
        self.columns_of(row).contains(&column)
    }

    /// Gives `column` to `row`.
    fn attach(&mut self, row: usize, column: usize) {
        self.row_columns[self.row_start[row] + self.held[row]] = column;
        self.held[row] += 1;
        self.column_rows[self.column_start[column] + self.load[column]] = row;
        self.load[column] += 1;
    }

    /// Takes `column` from `row`.
    fn detach(&mut self, row: usize, column: usize) {
        let start = self.row_start[row];
        let end = start + self.held[row];
        let k = start
            + self.row_columns[start..end]
                .iter()
                .position(|&j| j == column)
                .expect("the row holds the column");
        self.row_columns.swap(k, end - 1);
        self.held[row] -= 1;
        let start = self.column_start[column];
        let end = start + self.load[column];
        let k = start
            + self.column_rows[start..end]
                .iter()
                .position(|&i| i == row)
                .expect("the column holds the row");
        self.column_rows.swap(k, end - 1);
        self.load[column] -= 1;
    }

    /// Finds a cheapest augmenting path for one more unit of `root` and
    /// augments along it, updating the potentials.
    ///
    /// The root's distances are computed with `h = -shift` whether or not it
    /// has a potential: all distances of the search are then shifted by the
    /// same constant (from its potential, or for a row that holds nothing,
    /// from the smallest of its options), which changes neither the order
    /// of the search nor the updates, which use differences only, and keeps
    /// every distance `>= 0`.
    fn search(&mut self, root: usize) {
        let (sink, length) = self.shortest_path(root);
        self.augment(root, sink, length);
    }

    /// The Dijkstra search of [`State::search`]: where the cheapest path
    /// from `root` ends, and its length.
    fn shortest_path(&mut self, root: usize) -> (Sink, T) {
        debug_assert!(self.scanned.is_empty() && self.done.is_empty() && self.heap.is_empty());
        self.seen[root] = true;
        self.via[root] = NONE;
        let h = T::ZERO - self.shift;
        self.scanned.push(Scanned { row: root, h });
        let mut column_min = self.relax_scanned(0);
        let mut dump = (self.next_dump(root) - h, root);
        'search: loop {
            while let Some(&Reverse((_, row, _))) = self.heap.peek() {
                if !self.seen[row] {
                    break;
                }
                self.heap.pop();
            }
            let row_min = self.heap.peek().map_or(T::FAR, |entry| entry.0.0);
            let level = column_min.min(row_min);
            if dump.0 <= level {
                return (Sink::Dump(dump.1), dump.0);
            }
            // Finalise every column at this distance; one with room ends the
            // search, a full one passes it on to its rows.
            if column_min == level {
                let mut from = 0;
                while let Some(j) = self.next_at(from, level) {
                    from = j + 1;
                    let v = self.v[j];
                    self.done_at[j] = self.done.len();
                    self.done.push(Done {
                        column: j,
                        v,
                        distance: level,
                        scanned: self.scanned.len(),
                    });
                    self.v[j] = T::MASK;
                    self.dist[j] = T::FAR;
                    if self.load[j] < self.capacity[j] {
                        break 'search (Sink::Column(j), level);
                    }
                    let start = self.column_start[j];
                    for k in start..start + self.load[j] {
                        let i = self.column_rows[k];
                        if !self.seen[i] {
                            // The reverse arc's reduced cost, >= 0.
                            let label = level + (self.u[i] + v - self.cost(i, j));
                            self.heap.push(Reverse((label, i, j)));
                        }
                    }
                }
            }
            // Scan the rows at this distance.
            let first = self.scanned.len();
            while let Some(&Reverse((label, i, j))) = self.heap.peek() {
                if label != level {
                    break;
                }
                self.heap.pop();
                if self.seen[i] {
                    continue;
                }
                self.seen[i] = true;
                self.via[i] = j;
                let h = self.u[i] - label;
                self.scanned.push(Scanned { row: i, h });
                if self.dumped[i] < self.demand[i] {
                    let end = self.next_dump(i) - h;
                    if end < dump.0 {
                        dump = (end, i);
                    }
                }
            }
            column_min = if self.scanned.len() > first {
                self.relax_scanned(first)
            } else {
                self.column_min()
            };
        }
    }

    /// The first column `j >= from` at distance `level` not finalised yet,
    /// `level` being the smallest distance: by index over dense costs; over
    /// sparse ones, the top of the column heap, which holds the columns at
    /// that distance in the same order (ascending), and is popped.
    fn next_at(&mut self, from: usize, level: T) -> Option<usize> {
        match self.matrix {
            Matrix::Dense(..) => scan::find_equal(&self.dist, from, level),
            Matrix::Sparse(_) => (self.column_min() == level).then(|| {
                let Reverse((_, j)) = self.column_heap.pop().expect("a column at the top");
                debug_assert!(j >= from);
                j
            }),
        }
    }

    /// The smallest distance of a column reached and not finalised (`FAR`
    /// for none; over dense costs, possibly a masked value `>= UNREACHED`,
    /// which ends the search just as well): one pass over the distances, or
    /// the top of the column heap after dropping its stale entries.
    fn column_min(&mut self) -> T {
        if let Matrix::Dense(..) = self.matrix {
            return scan::smallest(&self.dist);
        }
        while let Some(&Reverse((distance, j))) = self.column_heap.peek() {
            if self.v[j] != T::MASK && self.dist[j] == distance {
                return distance;
            }
            self.column_heap.pop();
        }
        T::FAR
    }

    /// Augments along the path the search from `root` found, ending at
    /// `sink` at distance `length`, and moves the potentials.
    fn augment(&mut self, root: usize, sink: Sink, length: T) {
        // The path, from its end back to the root: each row gains a column
        // (or gives a unit up) and, but for the root, loses the column it was
        // reached through.
        let mut path = Vec::new();
        let (mut gain, mut row) = match sink {
            Sink::Column(j) => (Some(j), self.predecessor(self.done.len() - 1)),
            Sink::Dump(i) => (None, i),
        };
        loop {
            path.push((row, gain));
            if row == root {
                break;
            }
            let via = self.via[row];
            gain = Some(via);
            row = self.predecessor(self.done_at[via]);
        }

        for done in &self.done {
            self.v[done.column] = done.v - (length - done.distance);
        }
        for scanned in &self.scanned {
            self.u[scanned.row] = scanned.h + length;
            self.seen[scanned.row] = false;
        }
        match self.matrix {
            Matrix::Dense(..) => self.dist.fill(T::FAR),
            Matrix::Sparse(_) => {
                for &j in &self.touched {
                    self.dist[j] = T::FAR;
                }
                self.touched.clear();
                self.column_heap.clear();
            }
        }
        self.done.clear();
        self.scanned.clear();
        self.heap.clear();

        for (row, gain) in path {
            if row != root {
                self.detach(row, self.via[row]);
            }
            match gain {
                Some(j) => self.attach(row, j),
                None => self.dumped[row] += 1,
            }
        }
    }

    /// Relaxes the rows `scanned[from..]` and returns the smallest distance.
    ///
    /// A row is relaxed over every column except those it holds: the column
    /// it was reached through is finalised (masked) already; any other is
    /// masked for its own pass. Rows with nothing else to mask are relaxed
    /// [`BATCH`] at a time over dense costs.
    fn relax_scanned(&mut self, from: usize) -> T {
        let mut batch: Vec<(usize, T)> = Vec::with_capacity(BATCH);
        let mut masked: Vec<(usize, T)> = Vec::new();
        for k in from..self.scanned.len() {
            let Scanned { row, h } = self.scanned[k];
            masked.clear();
            let start = self.row_start[row];
            for &j in &self.row_columns[start..start + self.held[row]] {
                if self.v[j] != T::MASK {
                    masked.push((j, self.v[j]));
                }
            }
            if masked.is_empty() && matches!(self.matrix, Matrix::Dense(..)) {
                batch.push((row, h));
                if batch.len() == BATCH {
                    self.relax_batch(&batch);
                    batch.clear();
                }
                continue;
            }
            for &(j, _) in &masked {
                self.v[j] = T::MASK;
            }
            self.relax_batch(&[(row, h)]);
            for &(j, v) in &masked {
                self.v[j] = v;
            }
        }
        if !batch.is_empty() {
            self.relax_batch(&batch);
        }
        self.column_min()
    }

    /// Relaxes the rows `batch` (row, h) in one pass over the distances.
    fn relax_batch(&mut self, batch: &[(usize, T)]) {
        match self.matrix {
            Matrix::Dense(entries, columns) => {
                let (v, dist) = (&self.v, &mut self.dist);
                let row = |k: usize| &entries[batch[k].0 * columns..][..columns];
                let h = |k: usize| batch[k].1;
                match batch.len() {
                    1 => scan::relax([row(0)], [h(0)], v, dist),
                    2 => scan::relax([row(0), row(1)], [h(0), h(1)], v, dist),
                    3 => scan::relax(
                        std::array::from_fn::<_, 3, _>(row),
                        std::array::from_fn(h),
                        v,
                        dist,
                    ),
                    4 => scan::relax(
                        std::array::from_fn::<_, 4, _>(row),
                        std::array::from_fn(h),
                        v,
                        dist,
                    ),
                    5 => scan::relax(
                        std::array::from_fn::<_, 5, _>(row),
                        std::array::from_fn(h),
                        v,
                        dist,
                    ),
                    6 => scan::relax(
                        std::array::from_fn::<_, 6, _>(row),
                        std::array::from_fn(h),
                        v,
                        dist,
                    ),
                    7 => scan::relax(
                        std::array::from_fn::<_, 7, _>(row),
                        std::array::from_fn(h),
                        v,
                        dist,
                    ),
                    _ => scan::relax(
                        std::array::from_fn::<_, 8, _>(row),
                        std::array::from_fn(h),
                        v,
                        dist,
                    ),
                };
            }
            Matrix::Sparse(costs) => {
                for &(row, h) in batch {
                    self.relax_sparse(costs, row, h);
                }
            }
        }
    }

    /// Relaxes the entries of the sparse row `row`, reached at `h`, over
    /// the columns not masked: a column whose distance `c - h - v` is
    /// strictly shorter than its tentative one (so the first row to reach a
    /// distance keeps it, as in the dense scans) goes onto the column heap.
    /// `O(e log m)` for `e` entries; the distances are all `>= 0`, where
    /// the integer order is that of the dense scans' `f64` comparison.
    fn relax_sparse(&mut self, costs: &dyn Costs, row: usize, h: T) {
        let (columns, values) = costs.sparse_row(row).expect("sparse rows");
        for (&j, &c) in columns.iter().zip(values) {
            let j = j as usize;
            let v = self.v[j];
            if v == T::MASK {
                continue; // finalised, held by the row, or of capacity 0
            }
            let distance = T::cost(c) - h - v;
            if distance < self.dist[j] {
                if self.dist[j] == T::FAR {
                    self.touched.push(j);
                }
                self.dist[j] = distance;
                self.from[j] = row;
                self.column_heap.push(Reverse((distance, j)));
            }
        }
    }

    /// The row through which the search reached the finalised column
    /// `done[index]`: a row scanned before the column was finalised, not
    /// holding it, whose reduced distance to it, computed exactly as during
    /// the search, equals the column's distance.
    fn predecessor(&self, index: usize) -> usize {
        let Done {
            column,
            v,
            distance,
            scanned,
        } = self.done[index];
        if let Matrix::Sparse(_) = self.matrix {
            // The same row, recorded as the search went (the first to reach
            // the distance, which the scan below also finds).
            debug_assert_eq!(self.from[column], {
                let scan = self.scanned[..scanned].iter().find(|s| {
                    self.cost(s.row, column) - s.h - v == distance && !self.holds(s.row, column)
                });
                scan.expect("the column's distance came from a scanned row")
                    .row
            });
            return self.from[column];
        }
        self.scanned[..scanned]
            .iter()
            .find(|s| self.cost(s.row, column) - s.h - v == distance && !self.holds(s.row, column))
            .expect("the column's distance came from a scanned row")
            .row
    }

    /// The result: columns of each row (ascending), the cost, the potentials.
    pub(crate) fn into_flow(mut self) -> Flow {
        let rows = self.held.len();
        let mut starts = Vec::with_capacity(rows + 1);
        let mut columns = Vec::new();
        let mut cost: i128 = 0;
        starts.push(0);
        for row in 0..rows {
            let start = columns.len();
            columns.extend_from_slice(self.columns_of(row));
            columns[start..].sort_unstable();
            for &j in &columns[start..] {
                cost += self.cost(row, j).to_i128();
            }
            if self.held[row] > 0 {
                let first = self.used[row];
                cost += self.unit_cost[first..first + self.held[row]]
                    .iter()
                    .sum::<i128>();
            }
            starts.push(columns.len());
        }
        // A row of demand 0 takes no part in the flow: any potential at most
        // its smallest reduced cost certifies it.
        for row in 0..rows {
            if self.demand[row] == 0 {
                let label = |j: usize| {
                    (self.v[j] != T::MASK)
                        .then(|| self.cost(row, j) - self.v[j])
                        .filter(|&label| label < T::UNREACHED)
                };
                self.u[row] = match self.matrix {
                    Matrix::Dense(..) => (0..self.columns).filter_map(label).min(),
                    // Entries not stored are forbidden.
                    Matrix::Sparse(costs) => {
                        let (columns, _) = costs.sparse_row(row).expect("sparse rows");
                        columns.iter().filter_map(|&j| label(j as usize)).min()
                    }
                }
                .unwrap_or(T::ZERO);
            }
        }
        Flow {
            starts,
            columns,
            cost,
            rows_potential: self.u.iter().map(|u| u.to_i128()).collect(),
            columns_potential: self
                .v
                .iter()
                .map(|&v| if v == T::MASK { 0 } else { v.to_i128() })
                .collect(),
        }
    }
}
