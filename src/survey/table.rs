//! A form export read as a table of text: CSV (any common delimiter, with or
//! without a byte-order mark) or the first sheet of an Excel workbook (`.xlsx`,
//! as Microsoft Forms downloads it).

use std::io::Cursor;

use calamine::{Data, Reader, Xlsx};

use crate::Error;

/// A survey export as text: the header row and the answer rows, each cell as
/// written (a number of a spreadsheet as its shortest decimal, `3` rather
/// than `3.0`).
///
/// Rows are numbered as a spreadsheet shows them: the header is row 1, the
/// first answer row 2.
///
/// ```
/// use mentor_match::SurveyTable;
///
/// let table = SurveyTable::from_csv("\u{feff}Email;Role \n ana@x;Mentor\n".as_bytes())?;
/// assert_eq!(table.headers(), ["Email", "Role "]);
/// assert_eq!(table.rows(), [vec![" ana@x".to_owned(), "Mentor".to_owned()]]);
/// # Ok::<(), mentor_match::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SurveyTable {
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// The first bytes of a zip archive, which an `.xlsx` workbook is.
const ZIP: &[u8] = b"PK\x03\x04";

impl SurveyTable {
    /// A table from its header and rows, for exports read some other way.
    /// A row shorter than the header has blank cells at its end; a row whose
    /// every cell is blank is passed over by the import (but still counts
    /// in the row numbers).
    pub fn new(headers: Vec<String>, rows: Vec<Vec<String>>) -> SurveyTable {
        SurveyTable { headers, rows }
    }

    /// The header row, each header as written.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The answer rows, in file order.
    pub fn rows(&self) -> &[Vec<String>] {
        &self.rows
    }

    /// Reads an export in either format: a workbook when the bytes are a zip
    /// archive (as every `.xlsx` file is), CSV otherwise.
    ///
    /// # Errors
    ///
    /// As [`SurveyTable::from_xlsx`] or [`SurveyTable::from_csv`].
    pub fn read(bytes: &[u8]) -> Result<SurveyTable, Error> {
        if bytes.starts_with(ZIP) {
            SurveyTable::from_xlsx(bytes)
        } else {
            SurveyTable::from_csv(bytes)
        }
    }

    /// Reads a CSV export (UTF-8, with or without a byte-order mark). The
    /// delimiter is the one of `,`, `;` and tab that the header row uses
    /// most (outside quotes), a comma when it uses none. Quoted cells may
    /// hold delimiters, quotes (doubled) and line breaks; lines that are
    /// entirely empty are passed over.
    ///
    /// Time linear in the size of the export.
    ///
    /// # Errors
    ///
    /// [`Error::BadExport`] for an export without a header row, a row that is
    /// not UTF-8, or a row with a non-blank cell beyond the header's columns.
    pub fn from_csv(bytes: &[u8]) -> Result<SurveyTable, Error> {
        let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .delimiter(delimiter(bytes))
            .from_reader(bytes);
        let mut records = reader.records();
        let headers: Vec<String> = match records.next() {
            Some(record) => record
                .map_err(|e| export_error(Some(1), &e))?
                .iter()
                .map(str::to_owned)
                .collect(),
            None => return Err(no_header()),
        };
        let mut rows = Vec::new();
        for (k, record) in records.enumerate() {
            let row = k + 2;
            let record = record.map_err(|e| export_error(Some(row), &e))?;
            rows.push(fit(
                record.iter().map(str::to_owned).collect(),
                headers.len(),
                row,
            )?);
        }
        Ok(SurveyTable { headers, rows })
    }

    /// Reads the first sheet of an Excel workbook (`.xlsx`), from cell A1:
    /// row 1 is the header. Numbers are written as their shortest decimal,
    /// `TRUE`/`FALSE` for booleans, a date as its serial number, an error
    /// cell as its code (`#N/A`).
    ///
    /// Time linear in the size of the workbook.
    ///
    /// # Errors
    ///
    /// [`Error::BadExport`] for bytes that are not a workbook, a workbook
    /// without sheets or a first sheet without a header row.
    pub fn from_xlsx(bytes: &[u8]) -> Result<SurveyTable, Error> {
        let mut workbook: Xlsx<_> = calamine::open_workbook_from_rs(Cursor::new(bytes))
            .map_err(|e| export_error(None, &e))?;
        let range = workbook
            .worksheet_range_at(0)
            .ok_or_else(|| Error::BadExport {
                row: None,
                problem: "the workbook has no sheet".into(),
            })?
            .map_err(|e| export_error(None, &e))?;
        let (Some(_), Some((last_row, last_column))) = (range.start(), range.end()) else {
            return Err(no_header());
        };
        // Cells are read from A1 on, whatever the first used cell, so that
        // rows and letters are those the spreadsheet shows.
        let width = last_column as usize + 1;
        let mut grid: Vec<Vec<String>> = (0..=last_row)
            .map(|row| {
                (0..=last_column)
                    .map(|column| {
                        range
                            .get_value((row, column))
                            .map_or_else(String::new, text)
                    })
                    .collect()
            })
            .collect();
        let headers = grid.remove(0);
        if headers.iter().all(|h| h.trim().is_empty()) {
            return Err(no_header());
        }
        debug_assert!(headers.len() == width);
        Ok(SurveyTable {
            headers,
            rows: grid,
        })
    }
}

fn no_header() -> Error {
    Error::BadExport {
        row: Some(1),
        problem: "the export is empty: it has no header row".into(),
    }
}

fn export_error(row: Option<usize>, error: &dyn std::fmt::Display) -> Error {
    Error::BadExport {
        row,
        problem: error.to_string(),
    }
}

/// A row cut or padded to the header's width; a non-blank cell beyond the
/// header is an error (its answer would have no question).
fn fit(mut cells: Vec<String>, width: usize, row: usize) -> Result<Vec<String>, Error> {
    if let Some(extra) = cells.iter().skip(width).position(|c| !c.trim().is_empty()) {
        return Err(Error::BadExport {
            row: Some(row),
            problem: format!(
                "cell {} is beyond the header's {width} columns",
                super::cell::column_letter(width + extra)
            ),
        });
    }
    cells.resize(width, String::new());
    Ok(cells)
}

/// The delimiter the header line uses most, outside quotes: `,`, `;` or tab.
fn delimiter(bytes: &[u8]) -> u8 {
    let mut counts = [0usize; 3];
    let mut quoted = false;
    for &byte in bytes {
        match byte {
            b'"' => quoted = !quoted,
            b'\n' | b'\r' if !quoted => break,
            b',' if !quoted => counts[0] += 1,
            b';' if !quoted => counts[1] += 1,
            b'\t' if !quoted => counts[2] += 1,
            _ => {}
        }
    }
    let delimiters = [b',', b';', b'\t'];
    let mut best = 0;
    for k in 1..3 {
        if counts[k] > counts[best] {
            best = k;
        }
    }
    delimiters[best]
}

/// A workbook cell as text.
fn text(cell: &Data) -> String {
    match cell {
        Data::Empty => String::new(),
        Data::String(s) | Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => f.to_string(),
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_owned(),
        Data::DateTime(d) => d.as_f64().to_string(),
        Data::Error(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn delimiters() {
        assert_eq!(delimiter(b"a,b;c,d\n1;2;3;4;5"), b',');
        assert_eq!(delimiter(b"\"a,b\";c\n"), b';');
        assert_eq!(delimiter(b"a\tb\tc"), b'\t');
        assert_eq!(delimiter(b"a"), b',');
    }

    #[test]
    fn rows_are_padded_and_extra_cells_refused() {
        let table = SurveyTable::from_csv(b"a,b,c\n1\n1,2,3,,\n").unwrap();
        assert_eq!(table.rows()[0], ["1", "", ""]);
        assert_eq!(table.rows()[1], ["1", "2", "3"]);
        let error = SurveyTable::from_csv(b"a,b\n1,2\n1,2,x\n").unwrap_err();
        assert_eq!(
            error.to_string(),
            "export: row 3: cell C is beyond the header's 2 columns"
        );
        assert!(SurveyTable::from_csv(b"").is_err());
    }
}
