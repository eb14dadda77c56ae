//! Reading one cell of a form export: words and numbers on a scale, numbers,
//! multi-select lists, time zones. Each reader returns the problem in words
//! (what the cell may hold) for the importer to put in an error with the cell's
//! place.

use std::collections::BTreeMap;

use jiff::civil::Date;

/// Text as compared with the mapping's words: trimmed, every run of
/// whitespace (spaces, tabs, line breaks, no-break spaces) one space,
/// lower-cased.
pub(crate) fn normalise(text: &str) -> String {
    collapse(text).to_lowercase()
}

/// Text trimmed, with every run of whitespace one space (case kept).
pub(crate) fn collapse(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// Whether a cell holds no answer (empty or only whitespace).
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// Words of a form and what each means, looked up as [`normalise`]d text.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Words<T> {
    /// Normalised word → (word as written, meaning).
    map: BTreeMap<String, (String, T)>,
}

impl<T> Default for Words<T> {
    fn default() -> Self {
        Words {
            map: BTreeMap::new(),
        }
    }
}

impl<T: Clone> Words<T> {
    /// Adds a word; an earlier word with the same normalised text stays.
    pub fn insert(&mut self, word: &str, meaning: T) {
        self.map
            .entry(normalise(word))
            .or_insert_with(|| (collapse(word), meaning));
    }

    /// The meaning of `text`, if it is one of the words.
    pub fn get(&self, text: &str) -> Option<T> {
        self.map.get(&normalise(text)).map(|(_, m)| m.clone())
    }

    /// Whether there are no words.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The words, for an error message: `"A", "B", "C"` (at most eight,
    /// then `...`).
    pub fn list(&self) -> String {
        let mut words: Vec<String> = self
            .map
            .values()
            .take(8)
            .map(|(word, _)| format!("{word:?}"))
            .collect();
        if self.map.len() > 8 {
            words.push("...".into());
        }
        words.join(", ")
    }

    /// The normalised words with their meanings, for splitting lists.
    fn entries(&self) -> impl Iterator<Item = (&str, &T)> {
        self.map.iter().map(|(key, (_, m))| (key.as_str(), m))
    }
}

/// The 0-based index of a column letter (`A` → 0, `Z` → 25, `AA` → 26), if
/// it is one (case-insensitive, at most three letters as spreadsheets have).
pub(crate) fn letter_index(letter: &str) -> Option<usize> {
    let letter = letter.trim();
    if letter.is_empty() || letter.len() > 3 {
        return None;
    }
    let mut index = 0usize;
    for c in letter.chars() {
        if !c.is_ascii_alphabetic() {
            return None;
        }
        index = index * 26 + usize::from(c.to_ascii_uppercase() as u8 - b'A') + 1;
    }
    Some(index - 1)
}

/// The letter of a 0-based column index, as a spreadsheet names it.
pub(crate) fn column_letter(mut index: usize) -> String {
    let mut letters = Vec::new();
    loop {
        // `index % 26` is below 26, so the letter is one of A..=Z.
        #[allow(clippy::cast_possible_truncation)]
        letters.push(char::from(b'A' + (index % 26) as u8));
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    letters.iter().rev().collect()
}

/// An answer on a 0..=5 scale: one of the scale's words, or an integer.
pub(crate) fn rating(text: &str, scale: Option<&Words<i64>>) -> Result<i64, String> {
    if let Some(answer) = scale.and_then(|scale| scale.get(text)) {
        return Ok(answer);
    }
    let expected = match scale {
        Some(scale) if !scale.is_empty() => {
            format!("one of {} or an integer in 0..=5", scale.list())
        }
        _ => "an integer in 0..=5".to_owned(),
    };
    match integer(text) {
        Some(answer) if (0..=5).contains(&answer) => Ok(answer),
        _ => Err(format!("expected {expected}")),
    }
}

/// An integer, as a form writes it (`3`, ` 3 `, `3.0` from a spreadsheet).
pub(crate) fn integer(text: &str) -> Option<i64> {
    let text = text.trim();
    text.parse::<i64>().ok().or_else(|| {
        let number = number(text)?;
        // Exact: an integral f64 this small converts without loss.
        #[allow(clippy::cast_possible_truncation)]
        (number.fract() == 0.0 && number.abs() < 1e15).then_some(number as i64)
    })
}

/// A finite number with a decimal point or a decimal comma (`4.5`, `4,5`).
pub(crate) fn number(text: &str) -> Option<f64> {
    let text = text.trim();
    let text = if text.matches(',').count() == 1 && !text.contains('.') {
        text.replace(',', ".")
    } else {
        text.to_owned()
    };
    // `inf`, `nan` and exponents are not what a person types in a form.
    if !text
        .chars()
        .all(|c| c.is_ascii_digit() || matches!(c, '.' | '-' | '+'))
    {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A number of a column of `[values]`: one of its words or a number.
pub(crate) fn word_or_number<T: Clone>(
    text: &str,
    words: &Words<T>,
    parse: impl Fn(&str) -> Option<T>,
    expected: &str,
) -> Result<T, String> {
    if let Some(value) = words.get(text) {
        return Ok(value);
    }
    parse(text).ok_or_else(|| {
        if words.is_empty() {
            format!("expected {expected}")
        } else {
            format!("expected one of {} or {expected}", words.list())
        }
    })
}

/// The options of a multi-select cell, each looked up in `options`.
///
/// Options are separated by `separator`; an option whose own text contains
/// the separator is still found, because at each place the longest known
/// option that ends at a separator (or at the end) is taken. Empty options
/// (`A;;B`, a trailing `A;B;`) are passed over, and an option may start with
/// `prefix` (such as `Skill:`), which is dropped.
pub(crate) fn options<T: Clone>(
    text: &str,
    separator: &str,
    prefix: Option<&str>,
    options: &Words<T>,
) -> Result<Vec<T>, String> {
    let cell = normalise(text);
    let separator = normalise(separator);
    let prefix = prefix.map(normalise).filter(|p| !p.is_empty());
    let mut found = Vec::new();
    let mut rest = cell.as_str();
    loop {
        rest = rest.trim_start();
        if rest.is_empty() {
            return Ok(found);
        }
        if let Some(after) = rest.strip_prefix(separator.as_str()) {
            rest = after;
            continue;
        }
        if let Some(after) = prefix.as_deref().and_then(|p| rest.strip_prefix(p)) {
            rest = after.trim_start();
        }
        let ends_option = |after: &str| {
            let after = after.trim_start();
            after.is_empty() || after.starts_with(separator.as_str())
        };
        let best = options
            .entries()
            .filter(|(key, _)| rest.starts_with(key) && ends_option(&rest[key.len()..]))
            .max_by_key(|(key, _)| key.len());
        if let Some((key, meaning)) = best {
            found.push(meaning.clone());
            rest = &rest[key.len()..];
        } else {
            let unknown = rest.split(separator.as_str()).next().unwrap_or(rest).trim();
            // Shown as written in the cell when a part of it reads the same.
            let written = text
                .split(separator.as_str())
                .map(str::trim)
                .find(|part| normalise(part) == unknown)
                .map_or_else(|| unknown.to_owned(), str::to_owned);
            return Err(format!(
                "{written:?} is none of the options {}",
                options.list()
            ));
        }
    }
}

/// The non-empty items of a free list (ids, language codes without a
/// mapping), trimmed.
pub(crate) fn items(text: &str, separator: &str) -> Vec<String> {
    text.split(separator)
        .map(str::trim)
        .filter(|item| !item.is_empty())
        .map(str::to_owned)
        .collect()
}

/// A date written `YYYY-MM-DD`.
pub(crate) fn parse_date(text: &str) -> Option<Date> {
    let text = text.trim();
    let mut parts = text.splitn(3, '-');
    let (year, month, day) = (parts.next()?, parts.next()?, parts.next()?);
    if year.len() != 4 || month.len() != 2 || day.len() != 2 {
        return None;
    }
    Date::new(year.parse().ok()?, month.parse().ok()?, day.parse().ok()?).ok()
}

/// Hours ahead of UTC of a time zone answer: an offset (`UTC+05:30`,
/// `GMT-5`, `+1`, `UTC`) or a place name of the time zone database
/// (`Europe/Stockholm`), whose offset is taken at noon UTC on `date`,
/// daylight saving included.
pub(crate) fn utc_offset(text: &str, date: Option<Date>) -> Result<f64, String> {
    let text = text.trim();
    if let Some(hours) = offset(text) {
        return hours;
    }
    let Ok(zone) = jiff::tz::db().get(text) else {
        return Err(
            "expected an offset such as \"UTC+05:30\" or \"GMT-5\", or a place name of the time zone database such as \"Europe/Stockholm\""
                .into(),
        );
    };
    let Some(date) = date else {
        return Err(
            "a place name needs the date at which to convert it: set `time_zone.date` in the mapping"
                .into(),
        );
    };
    let noon = jiff::tz::TimeZone::UTC
        .to_timestamp(date.at(12, 0, 0, 0))
        .map_err(|e| e.to_string())?;
    let seconds = zone.to_offset(noon).seconds();
    Ok(f64::from(seconds) / 3600.0)
}

/// An offset written `UTC+05:30`, `GMT-5`, `UTC−3` (a minus sign), `+01:00`,
/// `UTC` or `GMT`: `None` when the text is not shaped as one, an error when
/// it is but cannot be used.
fn offset(text: &str) -> Option<Result<f64, String>> {
    let upper = text.to_ascii_uppercase();
    let body = upper
        .strip_prefix("UTC")
        .or_else(|| upper.strip_prefix("GMT"))
        .map(str::trim_start);
    let body = match body {
        Some("" | "Z") => return Some(Ok(0.0)),
        Some(body) => body,
        None if text.starts_with(['+', '-', '\u{2212}']) => upper.as_str(),
        None => return None,
    };
    let (sign, digits) = if let Some(d) = body.strip_prefix('+') {
        (1.0, d)
    } else if let Some(d) = body
        .strip_prefix('-')
        .or_else(|| body.strip_prefix('\u{2212}'))
    {
        (-1.0, d)
    } else {
        return None;
    };
    let digits = digits.trim_start();
    let (hours, minutes) = match digits.split_once(':') {
        Some((h, m)) => (h, m),
        None if digits.len() == 4 => digits.split_at(2),
        None => (digits, "0"),
    };
    let shaped = |part: &str| {
        !part.is_empty() && part.len() <= 2 && part.bytes().all(|b| b.is_ascii_digit())
    };
    if !(shaped(hours) && shaped(minutes)) {
        return None;
    }
    let (hours, minutes): (u8, u8) = (hours.parse().ok()?, minutes.parse().ok()?);
    let problem = "an offset is whole hours and 0, 15, 30 or 45 minutes, from UTC-12 to UTC+14";
    if minutes % 15 != 0 || minutes >= 60 {
        return Some(Err(problem.into()));
    }
    let value = sign * (f64::from(hours) + f64::from(minutes) / 60.0);
    if (-12.0..=14.0).contains(&value) {
        Some(Ok(value))
    } else {
        Some(Err(problem.into()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_round_trip() {
        for (index, letter) in [
            (0, "A"),
            (25, "Z"),
            (26, "AA"),
            (51, "AZ"),
            (52, "BA"),
            (701, "ZZ"),
            (702, "AAA"),
        ] {
            assert_eq!(column_letter(index), letter);
            assert_eq!(letter_index(letter), Some(index));
        }
        assert_eq!(letter_index("k"), Some(10));
        assert_eq!(letter_index("K1"), None);
        assert_eq!(letter_index(""), None);
    }

    #[test]
    fn offsets() {
        let cases = [
            ("UTC+05:30", 5.5),
            ("GMT-5", -5.0),
            ("utc +1", 1.0),
            ("UTC\u{2212}03:00", -3.0),
            ("+0545", 5.75),
            ("UTC", 0.0),
            ("GMT+14", 14.0),
        ];
        for (text, hours) in cases {
            assert_eq!(utc_offset(text, None), Ok(hours), "{text}");
        }
        for text in ["UTC+05:20", "GMT-13", "UTC+5:60"] {
            assert!(utc_offset(text, None).is_err(), "{text}");
        }
        assert!(utc_offset("Mars/Olympus", None).is_err());
        assert!(
            utc_offset("Europe/Stockholm", None)
                .unwrap_err()
                .contains("time_zone.date")
        );
    }

    #[test]
    fn numbers() {
        assert_eq!(number("4,5"), Some(4.5));
        assert_eq!(number(" 3 "), Some(3.0));
        assert_eq!(number("inf"), None);
        assert_eq!(number("1e3"), None);
        assert_eq!(integer("3.0"), Some(3));
        assert_eq!(integer("3.5"), None);
    }

    #[test]
    fn options_with_the_separator_inside() {
        let mut words = Words::default();
        words.insert("Research, interviews and testing", "research");
        words.insert("Research", "short");
        words.insert("React", "react");
        let got = options(
            "Research, interviews and testing, React,",
            ",",
            None,
            &words,
        );
        assert_eq!(got, Ok(vec!["research", "react"]));
        let got = options("React, Research", ",", None, &words);
        assert_eq!(got, Ok(vec!["react", "short"]));
        let got = options(
            "Skill: React;  skill:research;",
            ";",
            Some("Skill:"),
            &words,
        );
        assert_eq!(got, Ok(vec!["react", "short"]));
        let err = options("React; Vue", ";", None, &words).unwrap_err();
        assert!(err.starts_with("\"Vue\" is none"), "{err}");
    }
}
