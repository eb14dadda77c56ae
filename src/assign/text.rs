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
    /// forbidden pair. Every line is a row (a final line ending does not start
    /// another): a line that is empty (or blank) is a row of one forbidden cell,
    /// which is an error unless the matrix has one column. Rows must all have
    /// the same length, and there may be more rows than columns or fewer.
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
/// [`assign`](super::assign) rejects NaN and the wrong infinity. An infinity
/// must be written as one (`inf`, `infinity`, any case, signed or not): a
/// number too large for `f64`, such as `1e999`, is an error rather than an
/// infinity. `-0` reads as 0. In CSV an empty cell is a forbidden pair: `+inf`
/// for [`Sense::Minimise`], `-inf` for [`Sense::Maximise`]. A UTF-8 byte-order
/// mark at the start of the text is skipped. `O(length of text)`.
///
/// # Errors
///
/// - [`Error::MatrixText`] for an entry that is not a number or is too large for
///   `f64` (naming its line and its entry as `(row, column)`, counted from 0),
///   a missing or bad OR-Library size, too few or too many OR-Library entries,
///   an empty CSV line in a matrix of more than one column, or a text without
///   any row;
/// - [`Error::RaggedMatrix`] for a CSV row whose length differs from the first
///   non-empty row's.
///
/// # Examples
///
/// ```
/// use mentor_match::{parse_matrix, MatrixFormat, Sense};
///
/// let matrix = parse_matrix("1,2,\n3,,4\n", MatrixFormat::Csv, Sense::Minimise)?;
/// assert_eq!(matrix.dim(), (2, 3));
/// assert_eq!(matrix[[1, 1]], f64::INFINITY);
/// // One column: the empty second line is a forbidden pair of row 1.
/// let matrix = parse_matrix("5\n\n1\n", MatrixFormat::Csv, Sense::Minimise)?;
/// assert_eq!(matrix.column(0).to_vec(), [5.0, f64::INFINITY, 1.0]);
/// let matrix = parse_matrix("2\n 1 2\n 3 4\n", MatrixFormat::OrLibrary, Sense::Minimise)?;
/// assert_eq!(matrix[[1, 0]], 3.0);
/// # Ok::<(), mentor_match::Error>(())
/// ```
pub fn parse_matrix(text: &str, format: MatrixFormat, sense: Sense) -> Result<Array2<f64>, Error> {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    match format {
        MatrixFormat::OrLibrary => parse_or_library(text),
        MatrixFormat::Csv => parse_csv(text, sense),
    }
}

/// Reads the entry `(row, column)` (counted from 0), found on 1-based line
/// `line`: a number as `f64`, `-0` as 0, an infinity only when written as one.
fn number(token: &str, line: usize, row: usize, column: usize) -> Result<f64, Error> {
    let problem = |what: &str| Error::MatrixText {
        line,
        problem: format!(
            "matrix entry ({row}, {column}) `{}` {what}",
            token.escape_debug()
        ),
    };
    let value: f64 = token.parse().map_err(|_| problem("is not a number"))?;
    let word = token.trim_start_matches(['+', '-']);
    if value.is_infinite()
        && !word.eq_ignore_ascii_case("inf")
        && !word.eq_ignore_ascii_case("infinity")
    {
        return Err(problem(
            "is too large for f64 (beyond about 1.8e308); write inf for a forbidden pair",
        ));
    }
    // `+ 0.0` turns -0 into 0 and leaves every other value as it is.
    Ok(value + 0.0)
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
    // `-0` is 0, as in JSON.
    let digits = size
        .strip_prefix('-')
        .filter(|d| d.bytes().all(|b| b == b'0') && !d.is_empty());
    let n: usize = if digits.is_some() {
        Ok(0)
    } else {
        size.parse()
    }
    .map_err(|_| Error::MatrixText {
        line,
        problem: format!(
            "the size must be a non-negative integer, found `{}`",
            size.escape_debug()
        ),
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
        let k = entries.len();
        entries.push(number(token, line, k / n, k % n)?);
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
    let is_empty = |line: &str| line.trim().is_empty();
    // The width is that of the first line with a number or a comma; an empty
    // line is one forbidden cell, a row only of a one-column matrix.
    let width = text
        .lines()
        .find(|line| !is_empty(line))
        .map_or(1, |line| line.split(',').count());
    let mut entries = Vec::new();
    let mut rows = 0;
    for (row, line) in text.lines().enumerate() {
        let line_number = row + 1;
        if is_empty(line) && width > 1 {
            return Err(Error::MatrixText {
                line: line_number,
                problem: format!(
                    "the line is empty, but rows have {width} cells (every line is a row; \
                     an empty line is one forbidden cell, a row only of a one-column matrix)"
                ),
            });
        }
        let before = entries.len();
        for (column, cell) in line.split(',').enumerate() {
            let cell = cell.trim();
            entries.push(if cell.is_empty() {
                forbidden
            } else {
                number(cell, line_number, row, column)?
            });
        }
        let found = entries.len() - before;
        if found != width {
            return Err(Error::RaggedMatrix {
                line: line_number,
                found,
                expected: width,
            });
        }
        rows += 1;
    }
    if rows == 0 {
        return Err(Error::MatrixText {
            line: 1,
            problem: "the text has no row".to_owned(),
        });
    }
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
        let err = parse_matrix("1,2\n3\n", MatrixFormat::Csv, Sense::Minimise);
        assert_eq!(
            err,
            Err(Error::RaggedMatrix {
                line: 2,
                found: 1,
                expected: 2
            })
        );
        assert_eq!(MatrixFormat::guess("1,2"), MatrixFormat::Csv);
        assert_eq!(MatrixFormat::guess("2\n1 2\n3 4"), MatrixFormat::OrLibrary);
    }

    fn csv(text: &str) -> Result<Array2<f64>, Error> {
        parse_matrix(text, MatrixFormat::Csv, Sense::Minimise)
    }

    #[test]
    fn every_csv_line_is_a_row() {
        let inf = f64::INFINITY;
        // One column, first cell forbidden: three rows, not two.
        assert_eq!(csv("\n5\n1\n").unwrap().column(0).to_vec(), [inf, 5.0, 1.0]);
        assert_eq!(csv("5\n\n1").unwrap().column(0).to_vec(), [5.0, inf, 1.0]);
        assert_eq!(csv("5\r\n \r\n").unwrap().column(0).to_vec(), [5.0, inf]);
        // A 1 × 1 forbidden matrix is one empty line.
        assert_eq!(csv("\n").unwrap().dim(), (1, 1));
        assert_eq!(csv("\n \n").unwrap().dim(), (2, 1));
        // A final line ending does not add a row.
        assert_eq!(csv("1\n2\n").unwrap().dim(), (2, 1));
        assert_eq!(csv("1\n2").unwrap().dim(), (2, 1));
        assert!(matches!(csv(""), Err(Error::MatrixText { line: 1, .. })));
        // In a wider matrix an empty line is an error naming it.
        for (text, line) in [("1,2\n\n3,4\n", 2), ("\n1,2\n", 1), ("1,2\n3,4\n\n", 3)] {
            let err = csv(text).unwrap_err();
            assert!(
                matches!(err, Error::MatrixText { line: l, .. } if l == line),
                "{text:?}: {err:?}"
            );
            assert!(
                err.to_string()
                    .contains("the line is empty, but rows have 2 cells"),
                "{err}"
            );
        }
    }

    #[test]
    fn overflowing_literals_are_errors_not_infinities() {
        let or_library = |text| parse_matrix(text, MatrixFormat::OrLibrary, Sense::Minimise);
        for (result, line, entry) in [
            (csv("1,2\n3,1e999\n"), 2, "(1, 1) `1e999`"),
            (csv("-1e400\n"), 1, "(0, 0) `-1e400`"),
            (or_library("2\n1 2\n3 1e999\n"), 3, "(1, 1) `1e999`"),
        ] {
            let err = result.unwrap_err();
            assert!(
                matches!(err, Error::MatrixText { line: l, .. } if l == line),
                "{err:?}"
            );
            let message = err.to_string();
            assert!(message.contains(entry), "{message}");
            assert!(message.contains("too large for f64"), "{message}");
        }
        // Written infinities stay infinities.
        let inf = f64::INFINITY;
        let row = csv("inf,-inf,+Infinity,INF,1.7976931348623157e308\n").unwrap();
        assert_eq!(row.row(0).to_vec(), [inf, -inf, inf, inf, f64::MAX]);
    }

    #[test]
    fn minus_zero_reads_as_zero() {
        let matrix = csv("-0,-0.0\n").unwrap();
        assert!(matrix.iter().all(|x| *x == 0.0 && x.is_sign_positive()));
        let or_library = |text| parse_matrix(text, MatrixFormat::OrLibrary, Sense::Minimise);
        assert_eq!(or_library("-0").unwrap().dim(), (0, 0));
        assert_eq!(or_library("-00\n").unwrap().dim(), (0, 0));
        assert!(or_library("1\n-0").unwrap()[[0, 0]].is_sign_positive());
        assert!(or_library("-1").is_err());
        assert!(or_library("-").is_err());
    }

    #[test]
    fn a_byte_order_mark_is_skipped() {
        assert_eq!(csv("\u{feff}1,2\n").unwrap().row(0).to_vec(), [1.0, 2.0]);
        let matrix = parse_matrix("\u{feff}1\n7\n", MatrixFormat::OrLibrary, Sense::Minimise);
        assert_eq!(matrix.unwrap().row(0).to_vec(), [7.0]);
        // Only at the start.
        assert!(csv("1\n\u{feff}2\n").is_err());
    }

    #[test]
    fn messages_escape_control_characters() {
        let message = csv("1,\u{1b}[31mred\r\n").unwrap_err().to_string();
        assert!(!message.contains(|c: char| c.is_control()), "{message:?}");
        assert!(message.contains("\\u{1b}[31mred"), "{message}");
        let message = parse_matrix("\u{7}", MatrixFormat::OrLibrary, Sense::Minimise)
            .unwrap_err()
            .to_string();
        assert!(!message.contains(|c: char| c.is_control()), "{message:?}");
    }
}
