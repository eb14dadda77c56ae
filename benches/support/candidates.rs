//! A seeded generator of candidate graphs like the matcher's scale path
//! builds, and their file format; shared by `benches/sparse.rs` and the
//! `sparse_graph` example (included with `#[path]`), whose files
//! `benches/compare/sparse.py` hands to the other solvers.
//!
//! `n` mentees (rows) and `n` mentors (columns) answer a questionnaire of 16
//! topics and 8 goals and give their availability in 14 half-day slots. The
//! score of a pair, in `[0, 1]`, is built like the crate's: 0.5 × skills (how
//! well the mentor's topic levels cover what the mentee seeks, weighted by the
//! mentee's priorities) + 0.2 × goals (shared goals over the mentee's goals) +
//! 0.2 × availability (shared slots over the mentee's slots) + 0.1 ×
//! preference (the mentor is at least as senior as the mentee asks). Mentors
//! differ in reach (topics offered, slots free), so some are in many lists.
//!
//! Each mentee keeps as candidates the best `k` of a pool of `8k` mentors drawn
//! at random (a stand-in for the best `k` of all mentors, which would take
//! `n²` scores to find), at cost `-round(score · 10⁹)`: the problem minimises,
//! so it maximises the total score. Every mentee may stay unmatched at cost 0,
//! and mentors take 1–3 mentees.

use std::io::{Read, Write};

#[path = "random.rs"]
mod random;
pub use random::SplitMix64;

const TOPICS: usize = 16;
const GOALS: usize = 8;
const SLOTS: usize = 14;

/// One participant's answers.
struct Answers {
    /// Level offered (mentor) or needed (mentee) per topic, 0 = none.
    levels: [u8; TOPICS],
    /// Priority of each sought topic (mentee), 0 = not sought.
    priority: [u8; TOPICS],
    goals: u32,
    slots: u32,
    seniority: u8,
}

impl Answers {
    fn mentor(r: &mut SplitMix64) -> Answers {
        let mut levels = [0; TOPICS];
        // Reach differs: most mentors offer 2–4 topics, a few up to 8.
        let offered = if r.index(8) == 0 {
            5 + r.index(4)
        } else {
            2 + r.index(3)
        };
        for _ in 0..offered {
            levels[r.index(TOPICS)] = 2 + u8::try_from(r.index(4)).expect("small");
        }
        Answers {
            levels,
            priority: [0; TOPICS],
            goals: random_bits(r, 2, 3, GOALS),
            slots: random_bits(r, 2, 9, SLOTS),
            seniority: 1 + u8::try_from(r.index(5)).expect("small"),
        }
    }

    fn mentee(r: &mut SplitMix64) -> Answers {
        let mut levels = [0; TOPICS];
        let mut priority = [0; TOPICS];
        for _ in 0..=r.index(3) {
            let topic = r.index(TOPICS);
            levels[topic] = 1 + u8::try_from(r.index(5)).expect("small");
            priority[topic] = 1 + u8::try_from(r.index(3)).expect("small");
        }
        Answers {
            levels,
            priority,
            goals: random_bits(r, 1, 3, GOALS),
            slots: random_bits(r, 3, 6, SLOTS),
            seniority: 1 + u8::try_from(r.index(4)).expect("small"),
        }
    }
}

/// A bit set of up to `least + (0..=extra)` random bits among `width` (repeats merge).
fn random_bits(r: &mut SplitMix64, least: usize, extra: usize, width: usize) -> u32 {
    let count = least + r.index(extra + 1);
    (0..count).fold(0, |bits, _| bits | 1 << r.index(width))
}

/// The score of `mentor` for `mentee`, in `[0, 1]`.
fn score(mentor: &Answers, mentee: &Answers) -> f64 {
    let mut covered = 0.0;
    let mut wanted = 0.0;
    for t in 0..TOPICS {
        let p = f64::from(mentee.priority[t]);
        if p > 0.0 {
            wanted += p;
            let need = f64::from(mentee.levels[t]);
            covered += p * (f64::from(mentor.levels[t]) / need).min(1.0);
        }
    }
    let skills = covered / wanted;
    let goals = f64::from((mentor.goals & mentee.goals).count_ones())
        / f64::from(mentee.goals.count_ones());
    let availability = f64::from((mentor.slots & mentee.slots).count_ones())
        / f64::from(mentee.slots.count_ones());
    let preference = if mentor.seniority >= mentee.seniority {
        1.0
    } else {
        0.0
    };
    0.5 * skills + 0.2 * goals + 0.2 * availability + 0.1 * preference
}

/// A candidate graph: `rows` mentees, each with its candidate mentors
/// (columns ascending) and their integer costs.
pub struct Graph {
    pub rows: usize,
    pub columns: usize,
    pub capacity: Vec<u32>,
    /// Row `i` owns entries `starts[i]..starts[i + 1]`.
    pub starts: Vec<usize>,
    pub column: Vec<u32>,
    pub cost: Vec<i64>,
    /// The cost of leaving a row unmatched.
    pub unmatched: i64,
}

impl Graph {
    /// The graph of `n` mentees and `n` mentors with `k` candidates each, from `seed`.
    pub fn generate(n: usize, k: usize, seed: u64) -> Graph {
        let mut random = SplitMix64(seed);
        let rng = &mut random;
        let mentors: Vec<Answers> = (0..n).map(|_| Answers::mentor(rng)).collect();
        let mentees: Vec<Answers> = (0..n).map(|_| Answers::mentee(rng)).collect();
        let capacity = (0..n)
            .map(|_| 1 + u32::try_from(rng.index(3)).expect("small"))
            .collect();
        let k = k.min(n);
        let pool = (8 * k).min(n);
        let mut starts = vec![0];
        let mut column = Vec::with_capacity(n * k);
        let mut cost = Vec::with_capacity(n * k);
        let mut drawn: Vec<(i64, u32)> = Vec::with_capacity(pool);
        let mut seen = vec![false; n];
        for mentee in &mentees {
            drawn.clear();
            while drawn.len() < pool {
                let j = rng.index(n);
                if !seen[j] {
                    seen[j] = true;
                    #[allow(clippy::cast_possible_truncation)] // below 10^9
                    let c = -(score(&mentors[j], mentee) * 1e9).round() as i64;
                    drawn.push((c, u32::try_from(j).expect("n fits u32")));
                }
            }
            for &(_, j) in &drawn {
                seen[j as usize] = false;
            }
            // The best k: lowest cost, then lowest column.
            drawn.sort_unstable();
            let best = &mut drawn[..k];
            best.sort_unstable_by_key(|&(_, j)| j);
            column.extend(best.iter().map(|&(_, j)| j));
            cost.extend(best.iter().map(|&(c, _)| c));
            starts.push(column.len());
        }
        Graph {
            rows: n,
            columns: n,
            capacity,
            starts,
            column,
            cost,
            unmatched: 0,
        }
    }

    /// The costs as the crate's sparse rows.
    pub fn sparse_costs(&self) -> mentor_match::SparseCosts {
        mentor_match::SparseCosts::from_rows(
            self.columns,
            (0..self.rows).map(|i| {
                let range = self.starts[i]..self.starts[i + 1];
                range.map(|e| (self.column[e] as usize, self.cost[e] as f64))
            }),
        )
        .expect("generated entries are valid")
    }

    /// Capacities as the crate takes them.
    pub fn capacities(&self) -> Vec<usize> {
        self.capacity.iter().map(|&c| c as usize).collect()
    }

    /// Writes the graph in the binary format `benches/compare/sparse.py` and
    /// its LEMON driver read, all little-endian: `rows`, `columns`, `entries`
    /// (u64), `unmatched` (i64), then `capacity` (u32 × columns), `starts`
    /// (u64 × (rows + 1)), `column` (u32 × entries), `cost` (i64 × entries).
    pub fn write(&self, path: &std::path::Path) -> std::io::Result<()> {
        let mut out = std::io::BufWriter::new(std::fs::File::create(path)?);
        for x in [
            self.rows as u64,
            self.columns as u64,
            self.column.len() as u64,
        ] {
            out.write_all(&x.to_le_bytes())?;
        }
        out.write_all(&self.unmatched.to_le_bytes())?;
        for x in &self.capacity {
            out.write_all(&x.to_le_bytes())?;
        }
        for &x in &self.starts {
            out.write_all(&(x as u64).to_le_bytes())?;
        }
        for x in &self.column {
            out.write_all(&x.to_le_bytes())?;
        }
        for x in &self.cost {
            out.write_all(&x.to_le_bytes())?;
        }
        out.flush()
    }

    /// Reads a graph written by [`Graph::write`].
    pub fn read(path: &std::path::Path) -> std::io::Result<Graph> {
        let mut bytes = Vec::new();
        std::fs::File::open(path)?.read_to_end(&mut bytes)?;
        let mut at = 0;
        let mut take = |n: usize| {
            let slice = bytes.get(at..at + n).ok_or_else(|| {
                std::io::Error::new(std::io::ErrorKind::UnexpectedEof, "truncated graph file")
            });
            at += n;
            slice.map(<[u8]>::to_vec)
        };
        let u64_of = |b: &[u8]| u64::from_le_bytes(b.try_into().expect("8 bytes"));
        let rows = usize::try_from(u64_of(&take(8)?)).expect("fits");
        let columns = usize::try_from(u64_of(&take(8)?)).expect("fits");
        let entries = usize::try_from(u64_of(&take(8)?)).expect("fits");
        let unmatched = i64::from_le_bytes(take(8)?.try_into().expect("8 bytes"));
        let capacity = take(4 * columns)?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        let starts = take(8 * (rows + 1))?
            .chunks_exact(8)
            .map(|b| usize::try_from(u64_of(b)).expect("fits"))
            .collect();
        let column = take(4 * entries)?
            .chunks_exact(4)
            .map(|b| u32::from_le_bytes(b.try_into().expect("4 bytes")))
            .collect();
        let cost = take(8 * entries)?
            .chunks_exact(8)
            .map(|b| i64::from_le_bytes(b.try_into().expect("8 bytes")))
            .collect();
        Ok(Graph {
            rows,
            columns,
            capacity,
            starts,
            column,
            cost,
            unmatched,
        })
    }
}
