//! The entries a threshold search reads: a dense matrix, sparse rows or
//! lists read once, and subsets of them under a bound.

use rayon::prelude::*;

use crate::Costs;

/// Rows per parallel task of the scans.
const CHUNK: usize = 64;

/// Where a search reads its entries.
#[derive(Clone, Copy)]
pub(super) enum Source<'a> {
    /// Row-major, `columns` entries per row.
    Dense { data: &'a [f64], columns: usize },
    /// Read with [`Costs::sparse_row`].
    Sparse(&'a dyn Costs),
    /// Read once with [`Costs::at`].
    Lists(&'a Lists),
}

/// The finite entries of costs read with [`Costs::at`], as compressed
/// sparse rows.
pub(super) struct Lists {
    pub(super) width: usize,
    pub(super) starts: Vec<usize>,
    pub(super) columns: Vec<u32>,
    pub(super) costs: Vec<f64>,
}

impl Lists {
    /// Reads every entry once (in parallel).
    pub(super) fn read(costs: &dyn Costs) -> Lists {
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
pub(super) struct Subset {
    pub(super) starts: Vec<usize>,
    pub(super) positions: Vec<u32>,
}

/// The entries a search reads: a source, or a subset of it.
#[derive(Clone, Copy)]
pub(super) struct Graph<'a> {
    pub(super) source: Source<'a>,
    pub(super) subset: Option<&'a Subset>,
}

/// One row of a [`Graph`], read by index.
#[derive(Clone, Copy)]
pub(super) struct Row<'a> {
    pub(super) positions: Option<&'a [u32]>,
    pub(super) columns: Option<&'a [u32]>,
    pub(super) costs: &'a [f64],
}

impl Row<'_> {
    pub(super) fn len(&self) -> usize {
        self.positions.map_or(self.costs.len(), <[u32]>::len)
    }

    /// The `k`-th entry's column and cost.
    #[inline]
    pub(super) fn get(&self, k: usize) -> (usize, f64) {
        let position = self.positions.map_or(k, |positions| positions[k] as usize);
        let column = self
            .columns
            .map_or(position, |columns| columns[position] as usize);
        (column, self.costs[position])
    }
}

impl<'a> Graph<'a> {
    pub(super) fn rows(self) -> usize {
        match self.source {
            Source::Dense { data, columns } => data.len() / columns,
            Source::Sparse(costs) => costs.rows(),
            Source::Lists(lists) => lists.starts.len() - 1,
        }
    }

    pub(super) fn columns(self) -> usize {
        match self.source {
            Source::Dense { columns, .. } => columns,
            Source::Sparse(costs) => costs.columns(),
            Source::Lists(lists) => lists.width,
        }
    }

    /// Number of entries read.
    pub(super) fn entries(self) -> usize {
        match (self.subset, self.source) {
            (Some(subset), _) => subset.positions.len(),
            (None, Source::Dense { data, .. }) => data.len(),
            (None, Source::Sparse(costs)) => costs.stored(),
            (None, Source::Lists(lists)) => lists.columns.len(),
        }
    }

    pub(super) fn row(self, row: usize) -> Row<'a> {
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
    pub(super) fn keep(self, bound: f64) -> Subset {
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
pub(super) fn chunks(rows: usize) -> impl IndexedParallelIterator<Item = std::ops::Range<usize>> {
    (0..rows.div_ceil(CHUNK))
        .into_par_iter()
        .map(move |chunk| chunk * CHUNK..((chunk + 1) * CHUNK).min(rows))
}
