//! Maximum-cardinality matchings with column capacities under a bound:
//! a greedy fill, Hopcroft–Karp phases, and the entry-by-entry ascent of
//! the bound that ends a threshold search.

use rayon::prelude::*;

use super::graph::{Graph, chunks};

/// Marks "none" among row and column indices.
pub(super) const NONE: usize = usize::MAX;

/// A matching: the column of each row (`NONE` if free), the cost of its
/// edge, and the rows of each column.
#[derive(Clone)]
pub(super) struct Matching {
    pub(super) column_of: Vec<usize>,
    pub(super) cost_of: Vec<f64>,
    pub(super) rows_of: Vec<Vec<usize>>,
    pub(super) size: usize,
}

impl Matching {
    pub(super) fn empty(rows: usize, columns: usize) -> Matching {
        Matching {
            column_of: vec![NONE; rows],
            cost_of: vec![f64::NAN; rows],
            rows_of: vec![Vec::new(); columns],
            size: 0,
        }
    }

    pub(super) fn assign(&mut self, row: usize, column: usize, cost: f64) {
        self.column_of[row] = column;
        self.cost_of[row] = cost;
        self.rows_of[column].push(row);
        self.size += 1;
    }

    /// The same matching without its edges of cost above `bound`.
    pub(super) fn restricted(&self, bound: f64) -> Matching {
        let mut kept = Matching::empty(self.column_of.len(), self.rows_of.len());
        for (row, (&column, &cost)) in self.column_of.iter().zip(&self.cost_of).enumerate() {
            if column != NONE && cost <= bound {
                kept.assign(row, column, cost);
            }
        }
        kept
    }

    /// The largest cost of an edge, `-inf` if there is none.
    pub(super) fn largest(&self) -> f64 {
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
pub(super) fn grow(
    graph: Graph<'_>,
    bound: f64,
    capacity: &[usize],
    matching: &mut Matching,
    target: usize,
) {
    fill(graph, bound, capacity, matching, target);
    augment(graph, bound, capacity, matching, (target, usize::MAX));
}

/// Gives each free row in turn the first column it may take that has room,
/// until `matching` has `target` edges. On a dense matrix a row reads only
/// the columns with room, when they are fewer than its entries.
///
/// Time: `O(entries)`.
pub(super) fn fill(
    graph: Graph<'_>,
    bound: f64,
    capacity: &[usize],
    matching: &mut Matching,
    target: usize,
) {
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
pub(super) fn augment(
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
pub(super) fn ascend(
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
pub(super) struct Forest {
    pub(super) reached: Vec<bool>,
    /// Columns not reached yet.
    pub(super) unreached: usize,
    pub(super) came_from: Vec<usize>,
    /// The cost of the entry each column was reached by.
    pub(super) came_by: Vec<f64>,
    pub(super) queue: Vec<usize>,
}

impl Forest {
    pub(super) fn new(rows: usize, columns: usize) -> Forest {
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
    pub(super) fn grow(
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
    pub(super) fn expand(
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
    pub(super) fn enter(
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
    pub(super) fn reach(
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
    pub(super) fn shift(&self, matching: &mut Matching, end: usize) {
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
pub(super) struct Phase {
    /// Layer of each row; `NONE` if unreached or a dead end.
    pub(super) layer: Vec<usize>,
    /// Layer of the row each column was first reached from; `NONE` if unreached.
    pub(super) column_layer: Vec<usize>,
    /// Layer at which a column with room was first reached.
    pub(super) last: usize,
    /// Next entry of each row to try.
    pub(super) arc: Vec<usize>,
    /// Next row of each column to try.
    pub(super) column_arc: Vec<usize>,
    /// Entries read by the layerings so far.
    pub(super) read: usize,
    pub(super) queue: Vec<usize>,
}

impl Phase {
    pub(super) fn new(rows: usize, columns: usize) -> Phase {
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
    pub(super) fn layer(
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
    pub(super) fn augment(
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
    pub(super) fn advance(
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
    pub(super) fn shift(&self, matching: &mut Matching, path: &[usize], steps: &[(usize, f64)]) {
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
pub(super) enum Step {
    /// On to the row `next`, through `column` at `cost`.
    Deeper(usize, f64, usize),
    /// Ends at `column` (it has room), at `cost`.
    Room(usize, f64),
    /// Nothing left to try from this row.
    Dead,
}
