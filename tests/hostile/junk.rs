//! Junk: what a broken export or a careless edit puts where a value goes
//! (wrong types, edge and huge numbers, text that is not JSON, deep
//! nesting), keys nobody knows, and bytes that are not UTF-8.

use std::sync::LazyLock;

use proptest::sample::Index;
use serde_json::Value;

/// Keys a hand edit or a foreign export adds; filtered against the keys the
/// target object knows.
pub const UNKNOWN_KEYS: [&str; 21] = [
    "capacty",
    "Offers",
    "hours",
    "extra",
    "",
    "ID",
    "seek",
    "languages ",
    "goal",
    "prefer",
    "mentor",
    "topics",
    "x",
    "forbid-repeat",
    "skill",
    "min_scor",
    "labels",
    "rounds",
    "nmae",
    "__proto__",
    "ü",
];
/// Raw JSON text put where a value goes: wrong types, edge and huge numbers,
/// NaN-like strings, and text that is not JSON at all.
const RAW_JUNK: [&str; 56] = [
    "null",
    "true",
    "false",
    "0",
    "-0",
    "1",
    "2",
    "5",
    "6",
    "-1",
    "255",
    "256",
    "2.5",
    "3.0",
    "1e0",
    "5e-1",
    "1e308",
    "-1e308",
    "4.9e-324",
    "18446744073709551615",
    "18446744073709551616",
    "9223372036854775807",
    "-9223372036854775808",
    "-9223372036854775809",
    "\"\"",
    "\"NaN\"",
    "\"Infinity\"",
    "\"-inf\"",
    "\"3\"",
    "\"mentor\"",
    "\"both\"",
    "\"total\"",
    "\"\\u0000\"",
    "\"ü\"",
    "[]",
    "[1]",
    "[\"x\"]",
    "[[]]",
    "{}",
    "{\"a\":1}",
    "NaN",
    "Infinity",
    "-Infinity",
    "1e400",
    "-1e400",
    "0x10",
    "+1",
    "01",
    ".5",
    "1.",
    "tru",
    "'x'",
    "undefined",
    "\"open",
    "[1,]",
    "{\"a\":1,}",
];
/// Byte sequences that are not UTF-8.
pub const BAD_UTF8: [&[u8]; 7] = [
    b"\xff",
    b"\xfe",
    b"\xc3",
    b"\x80",
    b"\xc0\xaf",
    b"\xed\xa0\x80",
    b"\xf4\x90\x80\x80",
];

/// Every junk value: the raw texts, then a long string and deep nesting.
static JUNK: LazyLock<Vec<String>> = LazyLock::new(|| {
    let mut junk: Vec<String> = RAW_JUNK.iter().map(|&raw| raw.to_owned()).collect();
    junk.push(format!("\"{}\"", "x".repeat(100_000)));
    for depth in [2, 100, 127, 128, 129, 1000, 100_000] {
        junk.push(format!("{}{}", "[".repeat(depth), "]".repeat(depth)));
    }
    for depth in [129, 100_000] {
        junk.push(format!("{}1{}", "{\"a\":".repeat(depth), "}".repeat(depth)));
    }
    junk.push("[".repeat(100_000));
    junk
});

/// A junk value: its text, its value when the text is JSON, and whether it
/// nests deep enough to hit the parser's depth limit where it is put.
pub struct Junk {
    pub raw: String,
    pub value: Option<Value>,
    pub deep: bool,
}

/// The junk value `pick` chooses.
pub fn junk(pick: Index) -> Junk {
    let raw = JUNK[pick.index(JUNK.len())].clone();
    // `-0` is the integer 0 in JSON's grammar (serde_json reads it as the
    // float -0.0, as it reads `-0.0`); the crate reads it as 0.
    let value = if raw == "-0" {
        Some(Value::from(0))
    } else {
        serde_json::from_str(&raw).ok()
    };
    let deep = raw.starts_with("[[[") || raw.starts_with("{\"a\":{");
    Junk { raw, value, deep }
}
