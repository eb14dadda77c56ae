//! The solver's columns, split into contiguous parts that the threads of the
//! pool relax together, held by the same threads from augmenting row
//! reduction to the end of the Dijkstra phase of one solve. In augmenting
//! row reduction, the crew finds each row's two cheapest columns part by
//! part, the same way.
//!
//! Each part owns its columns' potentials, tentative distances, passes and
//! open counts. A relaxation posts the rows to relax; every thread of the
//! crew, the searching one included, claims parts one at a time, relaxes the
//! part's columns and lists the columns at the part's smallest distance. The
//! searching thread then finalises columns from those lists, part by part, in
//! column order. Each column is computed the same way whatever the split and
//! whichever thread computes it, so the result is the same, bit for bit, on
//! any number of threads.
//!
//! Waking a thread for each relaxation (a fork and join of the pool) costs
//! microseconds, about as much as relaxing a few thousand columns; the crew
//! instead waits at a spin-then-yield barrier of atomics, which costs a
//! fraction of a microsecond when the threads are running. A part no helper
//! has claimed is relaxed by the searching thread itself: a helper that the
//! system has descheduled, or that the pool never started because its threads
//! are busy, delays nothing but the parts it has already claimed.

use std::hint::spin_loop;
use std::sync::atomic::{AtomicBool, AtomicU64, AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, RwLock};
use std::thread::yield_now;

use super::scan::{Columns, SPAN, Scanned, equal_columns, relax_part, two_smallest};
use super::{INF, NONE};

/// Fewest columns of a part: below this the barrier costs more than the
/// second thread saves.
const PART_COLUMNS: usize = 1_024;
/// Column-row pairs below which the searching thread relaxes every part
/// itself rather than posting the relaxation to the crew.
pub(super) const PARALLEL_PAIRS: usize = 2_048;
/// Busy-wait rounds before a waiting thread starts yielding its core.
const SPINS: u32 = 1 << 12;
/// Bits of the ticket that count claimed parts (the rest is the epoch).
const CLAIM_BITS: u32 = 16;

/// One part of the columns, `offset..offset + v.len()`.
struct Part {
    offset: usize,
    /// Potentials; `-inf` for a column of capacity 0 or finalised.
    v: Vec<f64>,
    /// Tentative reduced distances; `+inf` when unreached or finalised.
    dist: Vec<f64>,
    /// The pass that last lowered each distance (position in the search's
    /// list of scanned rows, as `f64`).
    via: Vec<f64>,
    /// Open columns of each span of [`SPAN`] columns.
    open: Vec<u32>,
    /// The smallest distance after the last relaxation.
    smallest: f64,
    /// The columns at that distance, in order (none when it is `+inf`).
    equal: Vec<usize>,
    /// The two cheapest columns of the part in the row of the last
    /// [`Board::two_cheapest`].
    two: Two,
}

/// The work posted to the crew: the relaxation of `rows`, the first at
/// position `first` of the search's list of scanned rows, or, when
/// `cheapest` names a row, the two cheapest columns of that row.
struct Job {
    rows: Vec<(usize, f64)>,
    first: usize,
    cheapest: Option<usize>,
}

/// The two smallest reduced costs of a row with their columns, as
/// [`two_smallest`] returns them.
type Two = (f64, usize, f64, usize);

/// The columns of a search, in parts, and the crew's barrier.
pub(super) struct Board<'a> {
    costs: &'a [f64],
    width: usize,
    /// Columns of every part but the last (a multiple of [`SPAN`]).
    chunk: usize,
    parts: Vec<Mutex<Part>>,
    job: RwLock<Job>,
    /// Epoch of the posted relaxation (high bits) and parts claimed in it.
    ticket: AtomicU64,
    /// Parts of the posted relaxation finished.
    finished: AtomicUsize,
    /// Set when the search phase is over: helpers leave.
    stop: AtomicBool,
    /// Set when a helper panicked: the parts it claimed will never be
    /// finished, so the searching thread must not wait for them.
    broken: AtomicBool,
    /// Whether helpers were started.
    crew: bool,
    /// Column-row pairs from which a relaxation is posted to the crew.
    parallel_pairs: usize,
    /// Open columns of the current search (all columns but those finalised).
    open: AtomicUsize,
}

/// Sets `stop` when the search phase ends, however it ends.
struct Leave<'b, 'a>(&'b Board<'a>);

impl Drop for Leave<'_, '_> {
    fn drop(&mut self) {
        self.0.stop.store(true, Ordering::Release);
    }
}

/// Sets `broken` when a helper unwinds from a panic.
struct Mark<'b>(&'b AtomicBool);

impl Drop for Mark<'_> {
    fn drop(&mut self) {
        if std::thread::panicking() {
            self.0.store(true, Ordering::Release);
        }
    }
}

/// The number of parts for `width` columns: one per thread of the current
/// rayon pool, but no more than the machine runs at once (a helper waiting
/// for a core would hold the others up at every barrier), and at least
/// [`PART_COLUMNS`] columns each.
pub(super) fn default_parts(width: usize) -> usize {
    let cores = std::thread::available_parallelism().map_or(1, std::num::NonZero::get);
    rayon::current_num_threads()
        .min(cores)
        .min(width / PART_COLUMNS)
        .max(1)
}

/// Waits until `done` holds: spins a little, then yields the core at every
/// test (a descheduled thread it waits for then gets to run).
fn wait(done: impl Fn() -> bool) {
    let mut spins = 0;
    while !done() {
        if spins < SPINS {
            spins += 1;
            spin_loop();
        } else {
            yield_now();
        }
    }
}

/// Runs `search` with the columns of potentials `v` (over the row-major
/// `costs`) split into `parts` parts, with up to `parts - 1` helpers from the
/// rayon pool that relax every relaxation of at least `parallel_pairs`
/// column-row pairs with the searching thread; returns the result of
/// `search` and the potentials.
pub(super) fn with_board<R: Send>(
    costs: &[f64],
    v: &[f64],
    parts: usize,
    parallel_pairs: usize,
    search: impl FnOnce(&Board<'_>) -> R + Send,
) -> (R, Vec<f64>) {
    let width = v.len();
    let chunk = width.div_ceil(parts.max(1)).div_ceil(SPAN).max(1) * SPAN;
    let parts: Vec<Mutex<Part>> = v
        .chunks(chunk)
        .enumerate()
        .map(|(k, v)| {
            let open = (0..v.len().div_ceil(SPAN))
                .map(|span| u32::try_from(SPAN.min(v.len() - span * SPAN)).expect("a span"))
                .collect();
            Mutex::new(Part {
                offset: k * chunk,
                v: v.to_vec(),
                dist: vec![INF; v.len()],
                via: vec![0.0; v.len()],
                open,
                smallest: INF,
                equal: Vec::new(),
                two: (INF, NONE, INF, NONE),
            })
        })
        .collect();
    let helpers = rayon::current_num_threads()
        .min(parts.len())
        .saturating_sub(1);
    let board = Board {
        costs,
        width,
        chunk,
        parts,
        job: RwLock::new(Job {
            rows: Vec::new(),
            first: 0,
            cheapest: None,
        }),
        ticket: AtomicU64::new(0),
        finished: AtomicUsize::new(0),
        stop: AtomicBool::new(false),
        broken: AtomicBool::new(false),
        crew: helpers > 0,
        parallel_pairs,
        open: AtomicUsize::new(width),
    };
    let result = if helpers == 0 {
        search(&board)
    } else {
        rayon::scope(|scope| {
            for _ in 0..helpers {
                scope.spawn(|_| board.help());
            }
            let _leave = Leave(&board);
            search(&board)
        })
    };
    let mut v = Vec::with_capacity(width);
    for part in board.parts {
        v.extend(part.into_inner().expect("no thread panicked").v);
    }
    (result, v)
}

impl Board<'_> {
    fn part(&self, k: usize) -> MutexGuard<'_, Part> {
        self.parts[k].lock().expect("no thread panicked")
    }

    /// Every part, locked, in column order.
    fn all_parts(&self) -> Vec<MutexGuard<'_, Part>> {
        (0..self.parts.len()).map(|k| self.part(k)).collect()
    }

    /// Relaxes the rows `rows` (the first at position `first` of the search's
    /// list of scanned rows) over every part, as [`relax_part`] does, and
    /// returns the smallest distance over all columns.
    pub(super) fn relax(&self, rows: &[(usize, f64)], first: usize) -> f64 {
        let pairs = rows.len().max(1) * self.open.load(Ordering::Relaxed);
        if self.crew && pairs >= self.parallel_pairs {
            self.post(|job| {
                job.rows.clear();
                job.rows.extend_from_slice(rows);
                job.first = first;
                job.cheapest = None;
            });
        } else {
            for k in 0..self.parts.len() {
                self.relax_one(k, rows, first);
            }
        }
        (0..self.parts.len()).fold(INF, |m, k| m.min(self.part(k).smallest))
    }

    /// Relaxes each row `(i, h)` at position `at` of the search's list of
    /// scanned rows through its listed columns `(cost, column)` alone: an
    /// open column's distance falls to `(cost - h) - v` where that is lower,
    /// computed as [`relax_part`] computes it, and its pass becomes `at`.
    /// The parts' smallest distances are not updated (a relaxation, maybe of
    /// no row, does that).
    pub(super) fn relax_listed<'r>(
        &self,
        rows: impl Iterator<Item = (&'r [(f64, u32)], f64, usize)>,
    ) {
        let mut parts = self.all_parts();
        for (listed, h, at) in rows {
            #[allow(clippy::cast_precision_loss)]
            let at = at as f64;
            for &(c, j) in listed {
                let j = j as usize;
                let part = &mut *parts[j / self.chunk];
                let local = j - part.offset;
                let candidate = (c - h) - part.v[local];
                if candidate < part.dist[local] {
                    part.dist[local] = candidate;
                    part.via[local] = at;
                }
            }
        }
    }

    /// The smallest tentative distance of the columns `columns`.
    pub(super) fn smallest_of(&self, columns: &[usize]) -> f64 {
        let parts = self.all_parts();
        columns.iter().fold(INF, |m, &j| {
            let part = &parts[j / self.chunk];
            m.min(part.dist[j - part.offset])
        })
    }

    /// The two cheapest columns of row `row` at the current potentials,
    /// `(u1, j1, u2, j2)`, as [`two_smallest`] finds them over the whole row
    /// (among equal values, the lowest column first), each part scanned on
    /// the crew when there is one.
    pub(super) fn two_cheapest(&self, row: usize) -> Two {
        if self.crew && self.width >= self.parallel_pairs {
            self.post(|job| job.cheapest = Some(row));
        } else {
            for k in 0..self.parts.len() {
                self.cheapest_one(k, row);
            }
        }
        // Merge the parts in column order: on equal values the earlier part's
        // column, the lower one, comes first.
        (0..self.parts.len()).fold((INF, NONE, INF, NONE), |(a1, i1, a2, i2), k| {
            let (b1, k1, b2, k2) = self.part(k).two;
            if b1 < a1 {
                if b2 < a1 {
                    (b1, k1, b2, k2)
                } else {
                    (b1, k1, a1, i1)
                }
            } else if b1 < a2 {
                (a1, i1, b1, k1)
            } else {
                (a1, i1, a2, i2)
            }
        })
    }

    /// Lowers the potential of column `j` by `by`.
    pub(super) fn lower(&self, j: usize, by: f64) {
        let mut part = self.part(j / self.chunk);
        let local = j - part.offset;
        part.v[local] -= by;
    }

    /// All the potentials, in column order.
    pub(super) fn potentials(&self) -> Vec<f64> {
        let mut v = Vec::with_capacity(self.width);
        for k in 0..self.parts.len() {
            v.extend_from_slice(&self.part(k).v);
        }
        v
    }

    /// Replaces all the potentials by `v`.
    pub(super) fn set_potentials(&self, v: &[f64]) {
        for k in 0..self.parts.len() {
            let mut part = self.part(k);
            let offset = part.offset;
            let len = part.v.len();
            part.v.copy_from_slice(&v[offset..offset + len]);
        }
    }

    /// Posts the job `fill` writes to the crew, does parts of it, and waits
    /// until every part is done.
    fn post(&self, fill: impl FnOnce(&mut Job)) {
        fill(&mut self.job.write().expect("no thread panicked"));
        self.finished.store(0, Ordering::Relaxed);
        let epoch = (self.ticket.load(Ordering::Relaxed) >> CLAIM_BITS) + 1;
        self.ticket.store(epoch << CLAIM_BITS, Ordering::Release);
        self.work(epoch);
        wait(|| {
            self.finished.load(Ordering::Acquire) == self.parts.len()
                || self.broken.load(Ordering::Acquire)
        });
        // The helper's own panic is the one the pool passes on; this only
        // ends the wait for parts that will never be finished.
        assert!(
            !self.broken.load(Ordering::Acquire),
            "a thread of the solver's crew panicked"
        );
    }

    /// Claims and does parts of the job of `epoch` until none is left.
    fn work(&self, epoch: u64) {
        let mut ticket = self.ticket.load(Ordering::Acquire);
        loop {
            let claimed = usize::try_from(ticket & ((1 << CLAIM_BITS) - 1)).expect("a count");
            if ticket >> CLAIM_BITS != epoch || claimed >= self.parts.len() {
                return;
            }
            match self.ticket.compare_exchange_weak(
                ticket,
                ticket + 1,
                Ordering::AcqRel,
                Ordering::Acquire,
            ) {
                Ok(_) => {
                    {
                        let job = self.job.read().expect("no thread panicked");
                        match job.cheapest {
                            Some(row) => self.cheapest_one(claimed, row),
                            None => self.relax_one(claimed, &job.rows, job.first),
                        }
                    }
                    self.finished.fetch_add(1, Ordering::Release);
                    ticket = self.ticket.load(Ordering::Acquire);
                }
                Err(now) => ticket = now,
            }
        }
    }

    /// A helper: relaxes parts of every posted relaxation until `stop`.
    fn help(&self) {
        let _mark = Mark(&self.broken);
        let mut seen = 0;
        loop {
            wait(|| {
                self.stop.load(Ordering::Acquire)
                    || self.ticket.load(Ordering::Acquire) >> CLAIM_BITS != seen
            });
            if self.stop.load(Ordering::Acquire) {
                return;
            }
            seen = self.ticket.load(Ordering::Acquire) >> CLAIM_BITS;
            self.work(seen);
        }
    }

    /// The two cheapest columns of row `row` in part `k`.
    fn cheapest_one(&self, k: usize, row: usize) {
        let mut part = self.part(k);
        let offset = part.offset;
        let costs = &self.costs[row * self.width + offset..][..part.v.len()];
        let (u1, j1, u2, j2) = two_smallest(costs, &part.v);
        let at = |j: usize| if j == NONE { NONE } else { offset + j };
        part.two = (u1, at(j1), u2, at(j2));
    }

    /// Relaxes part `k` and lists its columns at its smallest distance.
    fn relax_one(&self, k: usize, rows: &[(usize, f64)], first: usize) {
        let mut part = self.part(k);
        let part = &mut *part;
        let scanned = Scanned {
            costs: self.costs,
            width: self.width,
            rows,
            first,
        };
        let columns = Columns {
            v: &part.v,
            dist: &mut part.dist,
            via: &mut part.via,
            open: &part.open,
        };
        part.smallest = relax_part(&scanned, part.offset, columns);
        part.equal.clear();
        if part.smallest < INF {
            equal_columns(
                &part.dist,
                &part.open,
                part.smallest,
                part.offset,
                &mut part.equal,
            );
        }
    }

    /// Finalises, in column order, the columns at distance `level` (the
    /// smallest over all columns after the last relaxation), calling `take`
    /// with each column and its potential before it is masked, until `take`
    /// returns `true` (a column with room, which ends the search): that
    /// column is returned.
    pub(super) fn finalise(
        &self,
        level: f64,
        mut take: impl FnMut(usize, f64) -> bool,
    ) -> Option<usize> {
        for k in 0..self.parts.len() {
            let mut part = self.part(k);
            if part.smallest != level {
                continue;
            }
            let part = &mut *part;
            for &j in &part.equal {
                let local = j - part.offset;
                let ends = take(j, part.v[local]);
                part.v[local] = f64::NEG_INFINITY;
                part.dist[local] = INF;
                part.open[local / SPAN] -= 1;
                self.open.fetch_sub(1, Ordering::Relaxed);
                if ends {
                    return Some(j);
                }
            }
        }
        None
    }

    /// The pass that last lowered the distance of column `j`.
    pub(super) fn via(&self, j: usize) -> f64 {
        let part = self.part(j / self.chunk);
        part.via[j - part.offset]
    }

    /// Ends a search that finalised the columns `done` (column, potential,
    /// distance, rows scanned before it): each column's potential becomes
    /// `v + d - length`, or its old `v` when `length` is `None` (no path), and
    /// every distance `+inf` again.
    pub(super) fn end_search(&self, done: &[(usize, f64, f64, usize)], length: Option<f64>) {
        for k in 0..self.parts.len() {
            self.part(k).dist.fill(INF);
        }
        for k in 0..self.parts.len() {
            let mut part = self.part(k);
            let range = part.offset..part.offset + part.v.len();
            for &(j, v, d, _) in done.iter().filter(|c| range.contains(&c.0)) {
                let local = j - part.offset;
                part.v[local] = length.map_or(v, |length| v + d - length);
                part.open[local / SPAN] += 1;
            }
        }
        self.open.store(self.width, Ordering::Relaxed);
    }
}

#[cfg(test)]
mod tests {
    use std::panic::{AssertUnwindSafe, catch_unwind};
    use std::sync::mpsc;
    use std::time::Duration;

    use super::*;

    /// A part that a helper cannot relax (here: its row lies past the end of
    /// the costs) makes the solve panic; before the crew watched for this,
    /// the searching thread waited for that part for ever.
    #[test]
    fn a_panic_on_the_crew_reaches_the_caller_instead_of_hanging() {
        let width = 2 * PART_COLUMNS;
        // Row 0 whole, and of row 1 only the columns of the first part.
        let costs = vec![1.0; width + PART_COLUMNS];
        let v = vec![0.0; width];
        let (sent, received) = mpsc::channel();
        std::thread::spawn(move || {
            let pool = rayon::ThreadPoolBuilder::new()
                .num_threads(2)
                .build()
                .expect("a pool of 2 threads");
            let outcome = pool.install(|| {
                catch_unwind(AssertUnwindSafe(|| {
                    with_board(&costs, &v, 2, 0, |board| {
                        // Give the pool's second thread time to join the
                        // crew and wait at the barrier.
                        let start = std::time::Instant::now();
                        while start.elapsed() < Duration::from_millis(200) {
                            board.relax(&[(0, 0.0)], 0);
                        }
                        // The first part is long to relax, so the helper
                        // claims the second, whose last row it cannot read.
                        let mut rows = vec![(0, 0.0); 512];
                        rows.push((1, 0.0));
                        board.relax(&rows, 0)
                    })
                }))
            });
            sent.send(outcome.is_err()).expect("the test waits");
        });
        let panicked = received
            .recv_timeout(Duration::from_secs(60))
            .expect("the solve ended within a minute instead of hanging");
        assert!(panicked, "a part that cannot be relaxed is an error");
    }
}
