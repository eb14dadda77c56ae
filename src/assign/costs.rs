//! What a solver reads: the costs of an assignment problem, dense, sparse or
//! computed on demand, behind one trait.

use ndarray::{Array2, ArrayBase, ArrayView2, Data, Ix2};

use crate::Error;

/// The costs of an assignment problem, rows × columns; `+inf` marks a
/// forbidden pair.
///
/// Every solver reads its input through this trait, as the `pathfinding`
/// crate's solvers read its `Weights`. Only [`Costs::rows`],
/// [`Costs::columns`] and [`Costs::at`] are required, so costs computed on
/// demand from a function are an input like any other ([`FnCosts`]). A type
/// that stores its costs says how, so that a solver can scan them directly:
/// [`Costs::as_dense`] for a row-major matrix (the dense solvers scan whole
/// rows), [`Costs::sparse_row`] for lists of allowed entries (every entry not
/// listed is forbidden).
///
/// ```
/// use mentor_match::{Costs, SparseCosts};
///
/// let costs = SparseCosts::from_rows(3, [vec![(0, 1.0), (2, 4.0)], vec![(1, 2.0)]])?;
/// assert_eq!(costs.rows(), 2);
/// assert_eq!(costs.at(0, 2), 4.0);
/// assert_eq!(costs.at(1, 0), f64::INFINITY);
/// # Ok::<(), mentor_match::Error>(())
/// ```
pub trait Costs: Sync {
    /// Number of rows.
    fn rows(&self) -> usize;

    /// Number of columns.
    fn columns(&self) -> usize;

    /// The cost of one pair; `+inf` when it is forbidden.
    ///
    /// # Panics
    ///
    /// May panic when `row` or `column` is out of range.
    fn at(&self, row: usize, column: usize) -> f64;

    /// The whole matrix, when it is stored densely (any memory layout).
    ///
    /// `None` by default.
    fn as_dense(&self) -> Option<ArrayView2<'_, f64>> {
        None
    }

    /// The allowed entries of `row` as (columns, costs), columns ascending,
    /// when the costs are stored sparsely; every entry not listed is forbidden.
    ///
    /// `None` by default; a type returns `Some` for every row or for none.
    fn sparse_row(&self, row: usize) -> Option<(&[u32], &[f64])> {
        let _ = row;
        None
    }

    /// Number of stored entries: `rows × columns` unless [`Costs::sparse_row`] lists them.
    fn stored(&self) -> usize {
        if self.sparse_row(0).is_some() {
            (0..self.rows())
                .map(|row| self.sparse_row(row).map_or(0, |(columns, _)| columns.len()))
                .sum()
        } else {
            self.rows() * self.columns()
        }
    }
}

/// A dense matrix, owned or viewed, in any memory layout.
impl<S: Data<Elem = f64> + Sync> Costs for ArrayBase<S, Ix2> {
    fn rows(&self) -> usize {
        self.nrows()
    }

    fn columns(&self) -> usize {
        self.ncols()
    }

    fn at(&self, row: usize, column: usize) -> f64 {
        self[[row, column]]
    }

    fn as_dense(&self) -> Option<ArrayView2<'_, f64>> {
        Some(self.view())
    }
}

/// Costs stored as lists of allowed entries per row (compressed sparse rows).
///
/// Every entry not listed is forbidden. Memory: 12 bytes per entry and 8 per row.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct SparseCosts {
    columns: usize,
    /// Row `i` owns entries `starts[i]..starts[i + 1]`.
    starts: Vec<usize>,
    column: Vec<u32>,
    cost: Vec<f64>,
}

impl SparseCosts {
    /// An empty matrix of `columns` columns, to which rows are added with [`SparseCosts::push_row`].
    pub fn new(columns: usize) -> SparseCosts {
        SparseCosts {
            columns,
            starts: vec![0],
            column: Vec::new(),
            cost: Vec::new(),
        }
    }

    /// Builds the matrix from rows of (column, cost) entries.
    ///
    /// # Errors
    ///
    /// As [`SparseCosts::push_row`].
    pub fn from_rows<R>(
        columns: usize,
        rows: impl IntoIterator<Item = R>,
    ) -> Result<SparseCosts, Error>
    where
        R: IntoIterator<Item = (usize, f64)>,
    {
        let mut costs = SparseCosts::new(columns);
        for row in rows {
            costs.push_row(row)?;
        }
        Ok(costs)
    }

    /// Appends a row of (column, cost) entries, in any order; they are kept
    /// sorted by column.
    ///
    /// # Errors
    ///
    /// [`Error::BadEntry`] for a column out of range or listed twice in the row,
    /// or a cost that is NaN or `-inf` (a `+inf` cost is forbidden: it is not stored).
    pub fn push_row(
        &mut self,
        entries: impl IntoIterator<Item = (usize, f64)>,
    ) -> Result<(), Error> {
        let row = self.starts.len() - 1;
        let kept = self.checked_row(row, entries)?;
        self.append(&kept);
        Ok(())
    }

    /// Builds the matrix of `rows.len()` rows, row `i` of the (column, cost)
    /// entries `entries(rows[i])`, each checked and sorted in parallel: the
    /// same matrix as [`SparseCosts::push_row`] of each, and its first error.
    pub(crate) fn from_rows_parallel<I: IntoIterator<Item = (usize, f64)>>(
        columns: usize,
        rows: &[usize],
        entries: impl Fn(usize) -> I + Sync,
    ) -> Result<SparseCosts, Error> {
        use rayon::prelude::*;
        let mut costs = SparseCosts::new(columns);
        let checked: Vec<Result<Vec<(u32, f64)>, Error>> = rows
            .par_iter()
            .enumerate()
            .map(|(at, &row)| costs.checked_row(at, entries(row)))
            .collect();
        let total = checked.iter().flatten().map(Vec::len).sum();
        costs.column.reserve(total);
        costs.cost.reserve(total);
        for kept in checked {
            costs.append(&kept?);
        }
        Ok(costs)
    }

    /// The entries of row `row` kept (finite costs), sorted by column, or
    /// the error of [`SparseCosts::push_row`].
    fn checked_row(
        &self,
        row: usize,
        entries: impl IntoIterator<Item = (usize, f64)>,
    ) -> Result<Vec<(u32, f64)>, Error> {
        let mut kept: Vec<(u32, f64)> = Vec::new();
        for (column, cost) in entries {
            let bad = |expected| Error::BadEntry {
                row,
                column,
                value: cost,
                expected,
            };
            let Some(index) = u32::try_from(column).ok().filter(|_| column < self.columns) else {
                return Err(bad("an entry inside the matrix"));
            };
            if cost.is_nan() || cost == f64::NEG_INFINITY {
                return Err(bad("a number or +inf (forbidden)"));
            }
            if cost < f64::INFINITY {
                kept.push((index, cost));
            }
        }
        kept.sort_by_key(|&(column, _)| column);
        if let Some(pair) = kept.windows(2).find(|pair| pair[0].0 == pair[1].0) {
            return Err(Error::BadEntry {
                row,
                column: pair[1].0 as usize,
                value: pair[1].1,
                expected: "one entry per column in a row",
            });
        }
        Ok(kept)
    }

    /// Appends a row of checked entries, sorted by column.
    fn append(&mut self, kept: &[(u32, f64)]) {
        self.column.extend(kept.iter().map(|&(column, _)| column));
        self.cost.extend(kept.iter().map(|&(_, cost)| cost));
        self.starts.push(self.column.len());
    }
}

impl Costs for SparseCosts {
    fn rows(&self) -> usize {
        self.starts.len() - 1
    }

    fn columns(&self) -> usize {
        self.columns
    }

    fn at(&self, row: usize, column: usize) -> f64 {
        let (columns, costs) = self.sparse_row(row).expect("sparse rows are stored");
        u32::try_from(column)
            .ok()
            .and_then(|column| columns.binary_search(&column).ok())
            .map_or(f64::INFINITY, |k| costs[k])
    }

    fn sparse_row(&self, row: usize) -> Option<(&[u32], &[f64])> {
        let range = self.starts[row]..self.starts[row + 1];
        Some((&self.column[range.clone()], &self.cost[range]))
    }

    fn stored(&self) -> usize {
        self.column.len()
    }
}

/// Costs computed on demand by a function of (row, column).
///
/// ```
/// use mentor_match::{Costs, FnCosts};
///
/// let costs = FnCosts::new(2, 3, |i, j| (i * 3 + j) as f64);
/// assert_eq!(costs.at(1, 2), 5.0);
/// ```
pub struct FnCosts<F> {
    rows: usize,
    columns: usize,
    cost: F,
}

impl<F: Fn(usize, usize) -> f64 + Sync> FnCosts<F> {
    /// `rows × columns` costs, `cost(row, column)` each (`+inf` = forbidden).
    pub fn new(rows: usize, columns: usize, cost: F) -> FnCosts<F> {
        FnCosts {
            rows,
            columns,
            cost,
        }
    }
}

impl<F> std::fmt::Debug for FnCosts<F> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FnCosts")
            .field("rows", &self.rows)
            .field("columns", &self.columns)
            .finish_non_exhaustive()
    }
}

impl<F: Fn(usize, usize) -> f64 + Sync> Costs for FnCosts<F> {
    fn rows(&self) -> usize {
        self.rows
    }

    fn columns(&self) -> usize {
        self.columns
    }

    fn at(&self, row: usize, column: usize) -> f64 {
        (self.cost)(row, column)
    }
}

/// The costs as a dense matrix: borrowed when they are stored so, a copy
/// otherwise (sparse entries not listed, and computed ones, become entries).
pub(crate) enum Dense<'a> {
    Borrowed(ArrayView2<'a, f64>),
    Owned(Array2<f64>),
}

impl Dense<'_> {
    pub(crate) fn of(costs: &dyn Costs) -> Dense<'_> {
        match costs.as_dense() {
            Some(view) => Dense::Borrowed(view),
            None => Dense::Owned(Array2::from_shape_fn(
                (costs.rows(), costs.columns()),
                |(row, column)| costs.at(row, column),
            )),
        }
    }

    pub(crate) fn view(&self) -> ArrayView2<'_, f64> {
        match self {
            Dense::Borrowed(view) => view.view(),
            Dense::Owned(matrix) => matrix.view(),
        }
    }
}
