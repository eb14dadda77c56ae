//! What reading a mutated cohort must give, and the judge of what it gave.

use mentor_match::{Cohort, Error};
use serde_json::Value;

use crate::junk::Junk;

/// Whether a value is acceptable where it was put.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Validity {
    /// The cohort must still read.
    Valid,
    /// Reading must fail.
    Invalid,
    /// Either (it depends on more than this test tracks).
    Unknown,
}

pub use Validity::{Invalid, Unknown, Valid};

/// [`Valid`] when `ok`, else [`Invalid`].
pub fn valid_if(ok: bool) -> Validity {
    if ok { Valid } else { Invalid }
}

/// What reading a mutated file must give.
#[derive(Debug, Clone)]
pub enum Expect {
    /// A syntax error (line and column) or, when `must_fail` is false, `Ok`.
    Syntax { must_fail: bool },
    /// An error naming one of `places` and one of `fields`; a syntax error
    /// too when `syntax_ok` (values nested too deep for the parser).
    At {
        places: Vec<String>,
        fields: Vec<String>,
        validity: Validity,
        syntax_ok: bool,
    },
    /// Any error that says where it is (several mutations at once).
    Located,
}

/// An error at one of `places` naming one of `fields`, or `Ok`, as `validity` says.
pub fn at(places: &[&str], fields: &[&str], validity: Validity) -> Expect {
    Expect::At {
        places: places.iter().map(|&p| p.to_owned()).collect(),
        fields: fields.iter().map(|&f| f.to_owned()).collect(),
        validity,
        syntax_ok: false,
    }
}

/// The expectation for `junk` put somewhere: a syntax error when it is not
/// JSON, otherwise `validity` of its value at `places` / `fields`.
pub fn junk_expect(
    junk: &Junk,
    places: &[&str],
    fields: &[&str],
    validity: impl FnOnce(&Value) -> Validity,
) -> Expect {
    match &junk.value {
        None => Expect::Syntax { must_fail: true },
        Some(value) => {
            let mut expect = at(places, fields, validity(value));
            if let Expect::At { syntax_ok, .. } = &mut expect {
                *syntax_ok = junk.deep;
            }
            expect
        }
    }
}

/// How every error that says where it is begins.
const PLACES: [&str; 8] = [
    "cohort",
    "questionnaire",
    "participant ",
    "history[",
    "pinned[",
    "rules",
    "weights",
    "line ",
];

/// Checks what reading gave against what the mutation expects; returns the
/// cohort when it read.
pub fn judge(read: Result<Cohort, Error>, expect: &Expect) -> Result<Option<Cohort>, String> {
    let error = match read {
        Ok(cohort) => {
            let must_fail = match expect {
                Expect::Syntax { must_fail } => *must_fail,
                Expect::At { validity, .. } => *validity == Invalid,
                Expect::Located => false,
            };
            if must_fail {
                return Err("accepted silently, but the change must be an error".into());
            }
            return Ok(Some(cohort));
        }
        Err(error) => error,
    };
    let message = error.to_string();
    let is_syntax = matches!(error, Error::Syntax { .. });
    if is_syntax && !(message.contains("line ") && message.contains("column ")) {
        return Err(format!("syntax error without line and column: {message}"));
    }
    match expect {
        Expect::Syntax { .. }
        | Expect::At {
            syntax_ok: true, ..
        } if is_syntax => Ok(None),
        Expect::Syntax { .. } => Err(format!("expected a syntax error, got: {message}")),
        Expect::At {
            validity: Valid, ..
        } => Err(format!("a valid change was refused: {message}")),
        Expect::At { places, fields, .. } => {
            let place = places.iter().any(|p| message.contains(p.as_str()));
            let field = fields
                .iter()
                .any(|f| message.contains(&format!("`{f}")) || message.contains(f.as_str()));
            if place && field {
                Ok(None)
            } else {
                Err(format!(
                    "error does not name one of {places:?} and one of {fields:?}: {message}"
                ))
            }
        }
        Expect::Located => {
            if PLACES.iter().any(|p| message.starts_with(p)) {
                Ok(None)
            } else {
                Err(format!("error does not say where: {message}"))
            }
        }
    }
}
