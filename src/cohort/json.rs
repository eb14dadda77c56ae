//! JSON text to a `serde_json::Value` that refuses duplicate keys: a value
//! given twice would otherwise lose the first silently.

use std::cell::Cell;
use std::fmt;

use serde::Deserializer;
use serde::de::{self, DeserializeSeed, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Number, Value};

/// Parses `bytes` (UTF-8 JSON) into a value, rejecting duplicate object keys.
///
/// `-0` is the integer 0, as JSON reads it (`serde_json` hands it over as the
/// float −0.0, as it does `-0.0`, which is not an integer): when the text
/// has a negative zero, the text is scanned for how each one is written and
/// parsed again, so a file without one costs nothing more.
pub(crate) fn parse(bytes: &[u8]) -> Result<Value, serde_json::Error> {
    let zeros = NegativeZeros::default();
    let value = parse_with(bytes, &zeros)?;
    if zeros.seen.get() == 0 {
        return Ok(value);
    }
    drop(value);
    let zeros = NegativeZeros {
        seen: Cell::new(0),
        integers: negative_zero_integers(bytes),
    };
    parse_with(bytes, &zeros)
}

fn parse_with(bytes: &[u8], zeros: &NegativeZeros) -> Result<Value, serde_json::Error> {
    let mut deserializer = serde_json::Deserializer::from_slice(bytes);
    let value = Strict(zeros).deserialize(&mut deserializer)?;
    deserializer.end()?;
    Ok(value)
}

/// Deserialises any self-describing format into a value, rejecting
/// duplicate object keys.
pub(crate) fn from_deserializer<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Value, D::Error> {
    Strict(&NegativeZeros::default()).deserialize(deserializer)
}

/// The negative zeros of a text, in the order the parser meets them.
#[derive(Default)]
struct NegativeZeros {
    /// How many the parser has met so far.
    seen: Cell<usize>,
    /// Per negative zero of the text, in order, whether it is written as
    /// the integer `-0` (empty when not known: all are floats).
    integers: Vec<bool>,
}

/// Per number of `text` whose value is −0.0 (`-0`, `-0.0`, `-0e7`, `-1e-999`,
/// ...), in text order, whether it is written as the integer `-0`. Strings
/// are passed over, escapes included.
fn negative_zero_integers(text: &[u8]) -> Vec<bool> {
    let mut found = Vec::new();
    let mut at = 0;
    while at < text.len() {
        match text[at] {
            b'"' => {
                at += 1;
                while at < text.len() && text[at] != b'"' {
                    at += if text[at] == b'\\' { 2 } else { 1 };
                }
                at += 1;
            }
            b'-' => {
                let end = text[at..]
                    .iter()
                    .position(|b| !matches!(b, b'-' | b'+' | b'.' | b'e' | b'E' | b'0'..=b'9'))
                    .map_or(text.len(), |length| at + length);
                let token = std::str::from_utf8(&text[at..end]).unwrap_or("");
                if token
                    .parse::<f64>()
                    .is_ok_and(|v| v == 0.0 && v.is_sign_negative())
                {
                    found.push(token == "-0");
                }
                at = end;
            }
            _ => at += 1,
        }
    }
    found
}

#[derive(Clone, Copy)]
struct Strict<'z>(&'z NegativeZeros);

impl<'de> DeserializeSeed<'de> for Strict<'_> {
    type Value = Value;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_any(self)
    }
}

impl<'de> Visitor<'de> for Strict<'_> {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::Number(v.into()))
    }

    fn visit_f64<E>(self, v: f64) -> Result<Value, E> {
        if v == 0.0 && v.is_sign_negative() {
            let k = self.0.seen.get();
            self.0.seen.set(k + 1);
            if self.0.integers.get(k) == Some(&true) {
                return Ok(Value::Number(0.into()));
            }
        }
        Ok(Number::from_f64(v).map_or(Value::Null, Value::Number))
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::String(v.to_owned()))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::String(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Value, D::Error> {
        self.deserialize(deserializer)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
        while let Some(item) = seq.next_element_seed(self)? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        let mut entries = Map::new();
        while let Some(key) = map.next_key::<String>()? {
            if entries.contains_key(&key) {
                return Err(de::Error::custom(format_args!(
                    "field `{}` is given twice; keep one, so that no answer is lost",
                    key.escape_debug()
                )));
            }
            let value = map.next_value_seed(self)?;
            entries.insert(key, value);
        }
        Ok(Value::Object(entries))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn duplicate_keys_are_refused_with_their_position() {
        let error = parse(b"{\"a\": 1,\n \"a\": 2}").unwrap_err();
        assert_eq!(error.line(), 2);
        assert!(
            error.to_string().contains("field `a` is given twice"),
            "{error}"
        );
    }

    #[test]
    fn minus_zero_is_the_integer_zero_and_minus_zero_point_zero_a_float() {
        let value =
            parse(br#"{"a": -0, "b": -0.0, "c": "-0", "d": [-1e-999, -0], "e": -0.5}"#).unwrap();
        assert_eq!(value["a"].as_i64(), Some(0));
        assert_eq!(value["b"].as_i64(), None);
        assert_eq!(value["c"], "-0");
        assert_eq!(value["d"][0].as_i64(), None);
        assert_eq!(value["d"][1].as_i64(), Some(0));
        assert_eq!(value["e"].as_f64(), Some(-0.5));
        assert_eq!(
            negative_zero_integers(br#"["\"-0", -0, -0.0e1, -10, -0]"#),
            [true, false, true]
        );
    }

    #[test]
    fn values_read_as_serde_json_reads_them() {
        let text = br#"{"a": [1, -2, 2.5, "x", null, true, {"b": {}}], "c": 18446744073709551615}"#;
        assert_eq!(
            parse(text).unwrap(),
            serde_json::from_slice::<Value>(text).unwrap()
        );
        assert!(parse(b"{} x").is_err());
    }
}
