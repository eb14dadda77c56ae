//! Survey import: a form export (CSV or Excel) and a mapping written by hand
//! (TOML) become a cohort.
//!
//! [`SurveyTable`] reads the export as text (`table.rs`); [`SurveyMapping`]
//! reads and checks the mapping (`mapping.rs`); `cell.rs` reads one cell
//! (words on a scale, numbers, multi-select lists, time zones); `import.rs`
//! turns each row into [`Answers`](crate::Answers) for
//! [`Cohort::builder`](crate::Cohort::builder), which runs every check of
//! the cohort file. Errors name the row as a spreadsheet shows it (the
//! header is row 1), the column's header and letter, and the cell.
//!
//! Respondents are identified by their id cell trimmed and lower-cased
//! (` Ana@Example.com` is `ana@example.com`), and so are the ids in the
//! manager, prefers and avoids columns.

mod cell;
mod import;
mod mapping;
mod table;

pub use mapping::SurveyMapping;
pub use table::SurveyTable;

use crate::{Cohort, Error};

impl SurveyMapping {
    /// Turns a form export into a cohort: one participant per respondent, in
    /// the export's order (a respondent kept from a later row, with
    /// `form.duplicates = "keep-latest"`, takes that row's place), with the
    /// mapping's questionnaire, name, rules, weights and objective.
    ///
    /// Rows whose every cell is blank are passed over; columns the mapping
    /// does not name are ignored. Every non-blank cell the mapping names is
    /// read or is an error; a blank cell is an answer not given. A topic or
    /// goal answered in two columns (a `both` respondent answers the goals of
    /// each block) counts with the higher answer.
    ///
    /// Time linear in the number of cells the mapping names, times the
    /// options of a multi-select column for its cells.
    ///
    /// # Errors
    ///
    /// [`Error::MissingColumn`] for a column the mapping names and the export
    /// lacks, [`Error::AmbiguousColumn`] for a header that heads several
    /// columns named without `occurrence` or `letter`;
    /// [`Error::BadCell`] (row, column, cell) for a cell that cannot be read,
    /// a blank id or role, an answer in the other side's block, or a manager,
    /// preferred or avoided id of nobody who answered;
    /// [`Error::DuplicateRespondent`] for an id on two rows unless the mapping
    /// keeps the latest; and the builder's errors, at the respondent's row
    /// ([`Location::Row`](crate::Location::Row)), such as a mentor who
    /// offers no topic.
    pub fn import(&self, table: &SurveyTable) -> Result<Cohort, Error> {
        import::import(self, table)
    }
}
