//! Matrices as text: OR-Library assignment files and CSV.

use ndarray::Array2;

use super::Sense;
use crate::Error;

/// How a matrix is written as text, for [`parse_matrix`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MatrixFormat {
    /// The OR-Library assignment format (J. E. Beasley, 1990): the size `n`, then
    /// the `n · n` entries row by row, all separated by any whitespace.
    OrLibrary,
    /// One row per line, entries separated by commas; an empty cell is a
    /// forbidden pair. Blank lines are skipped; rows must all have the same
    /// length, and there may be more rows than columns or fewer.
    Csv,
}

impl MatrixFormat {
    /// Guesses the format of `text`: [`MatrixFormat::Csv`] when it holds a comma,
    /// [`MatrixFormat::OrLibrary`] otherwise. A one-column CSV has no comma:
    /// choose the format from the file name in that case.
    pub fn guess(text: &str) -> Self {
        if text.contains(',') {
            Self::Csv
        } else {
            Self::OrLibrary
        }
    }
}

/// Reads a matrix written as text in `format`.
///
/// Entries are `f64` as Rust reads them (`3`, `-0.5`, `1e3`, `inf`, `-inf`, `NaN`);
/// [`assign`](super::assign) rejects NaN and the wrong infinity. In CSV an empty
/// cell is a forbidden pair: `+inf` for [`Sense::Minimise`], `-inf` for
/// [`Sense::Maximise`]. `O(length of text)`.
///
/// # Errors
///
/// - [`Error::MatrixText`] for an entry that is not a number, a missing or bad
///   OR-Library size, too few or too many OR-Library entries, or a text without
///   any row;
/// - [`Error::RaggedMatrix`] for a CSV row whose length differs from the first row's.
///
/// # Examples
///
/// ```
/// use mentor_match::{parse_matrix, MatrixFormat, Sense};
///
/// let matrix = parse_matrix("1,2,\n3,,4\n", MatrixFormat::Csv, Sense::Minimise)?;
/// assert_eq!(matrix.dim(), (2, 3));
/// assert_eq!(matrix[[1, 1]], f64::INFINITY);
/// let matrix = parse_matrix("2\n 1 2\n 3 4\n", MatrixFormat::OrLibrary, Sense::Minimise)?;
/// assert_eq!(matrix[[1, 0]], 3.0);
/// # Ok::<(), mentor_match::Error>(())
/// ```
pub fn parse_matrix(text: &str, format: MatrixFormat, sense: Sense) -> Result<Array2<f64>, Error> {
    match format {
        MatrixFormat::OrLibrary => parse_or_library(text),
        MatrixFormat::Csv => parse_csv(text, sense),
    }
}

/// Reads one entry found on 1-based line `line`.
fn number(token: &str, line: usize) -> Result<f64, Error> {
    token.parse().map_err(|_| Error::MatrixText {
        line,
        problem: format!("`{token}` is not a number"),
    })
}

fn parse_or_library(text: &str) -> Result<Array2<f64>, Error> {
    let mut tokens = text
        .lines()
        .enumerate()
        .flat_map(|(index, line)| line.split_whitespace().map(move |token| (index + 1, token)));
    let Some((line, size)) = tokens.next() else {
        return Err(Error::MatrixText {
            line: 1,
            problem: "the text is empty; expected the size n, then n·n numbers".to_owned(),
        });
    };
    let n: usize = size.parse().map_err(|_| Error::MatrixText {
        line,
        problem: format!("the size must be a non-negative integer, found `{size}`"),
    })?;
    let expected = n.checked_mul(n).ok_or_else(|| Error::MatrixText {
        line,
        problem: format!("the size {n} is too large"),
    })?;
    let mut entries = Vec::with_capacity(expected.min(text.len()));
    let mut last_line = line;
    for (line, token) in tokens {
        if entries.len() == expected {
            return Err(Error::MatrixText {
                line,
                problem: format!("more than n·n = {expected} numbers after the size {n}"),
            });
        }
        entries.push(number(token, line)?);
        last_line = line;
    }
    if entries.len() < expected {
        return Err(Error::MatrixText {
            line: last_line,
            problem: format!(
                "expected n·n = {expected} numbers after the size {n}, found {}",
                entries.len()
            ),
        });
    }
    Ok(Array2::from_shape_vec((n, n), entries).expect("n·n entries"))
}

fn parse_csv(text: &str, sense: Sense) -> Result<Array2<f64>, Error> {
    let forbidden = match sense {
        Sense::Minimise => f64::INFINITY,
        Sense::Maximise => f64::NEG_INFINITY,
    };
    let mut entries = Vec::new();
    let mut width = None;
    let mut rows = 0;
    for (index, line) in text.lines().enumerate() {
        let line_number = index + 1;
        if line.trim().is_empty() {
            continue;
        }
        let before = entries.len();
        for cell in line.split(',') {
            let cell = cell.trim();
            entries.push(if cell.is_empty() {
                forbidden
            } else {
                number(cell, line_number)?
            });
        }
        let found = entries.len() - before;
        match width {
            None => width = Some(found),
            Some(expected) if expected != found => {
                return Err(Error::RaggedMatrix {
                    line: line_number,
                    found,
                    expected,
                });
            }
            Some(_) => {}
        }
        rows += 1;
    }
    let Some(width) = width else {
        return Err(Error::MatrixText {
            line: 1,
            problem: "the text has no row".to_owned(),
        });
    };
    Ok(Array2::from_shape_vec((rows, width), entries).expect("rows of equal width"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn or_library_errors_name_the_line() {
        let parse = |text| parse_matrix(text, MatrixFormat::OrLibrary, Sense::Minimise);
        assert!(matches!(parse(""), Err(Error::MatrixText { line: 1, .. })));
        assert!(matches!(parse("x"), Err(Error::MatrixText { line: 1, .. })));
        assert!(matches!(
            parse("2\n1 2\n3"),
            Err(Error::MatrixText { line: 3, .. })
        ));
        assert!(matches!(
            parse("1\n1\n2"),
            Err(Error::MatrixText { line: 3, .. })
        ));
        assert!(matches!(
            parse("1\n\n a"),
            Err(Error::MatrixText { line: 3, .. })
        ));
        assert_eq!(parse("0").unwrap().dim(), (0, 0));
    }

    #[test]
    fn csv_forbidden_cells_follow_the_sense() {
        let max = parse_matrix("1, ,2\n", MatrixFormat::Csv, Sense::Maximise).unwrap();
        assert_eq!(max.row(0).to_vec(), [1.0, f64::NEG_INFINITY, 2.0]);
        let err = parse_matrix("1,2\n\n3\n", MatrixFormat::Csv, Sense::Minimise);
        assert_eq!(
            err,
            Err(Error::RaggedMatrix {
                line: 3,
                found: 1,
                expected: 2
            })
        );
        assert!(parse_matrix("\n \n", MatrixFormat::Csv, Sense::Minimise).is_err());
        assert_eq!(MatrixFormat::guess("1,2"), MatrixFormat::Csv);
        assert_eq!(MatrixFormat::guess("2\n1 2\n3 4"), MatrixFormat::OrLibrary);
    }
}
