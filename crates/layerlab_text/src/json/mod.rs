//! JSON for the core: one value type with ordered object keys, a strict reader
//! ([`parse`]) and writers whose bytes are Go's `encoding/json` output (image configs,
//! manifests) or JavaScript's `JSON.stringify` output (the files the simulated npm
//! writes).
//!
//! Why not `serde_json`: the page needs only this much JSON (image configs, manifests,
//! indexes), and serde's generic machinery costs it ~12 KB gzipped. Hosts that want
//! serde (the CLI, tests) keep it.

mod read;
mod write;

pub use read::{fits_f64, parse, JsonError};

/// A JSON value. Object members keep their document (or caller's) order, duplicates
/// included; [`Json::get`] sees the last one, as a map built from them would.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Json {
    /// `null`.
    Null,
    /// `true`/`false`.
    Bool(bool),
    /// An integer that fits `i64`.
    Int(i64),
    /// Any other number (a fraction, an exponent, `-0`, an integer past `i64`), kept as
    /// its text: the core parses no floats. Only [`parse`] makes these; writing one
    /// copies the text.
    Num(String),
    /// A string.
    Str(String),
    /// An array.
    Arr(Vec<Json>),
    /// An object; keys are written in this order.
    Obj(Vec<(String, Json)>),
}

impl Json {
    /// A string value.
    pub fn str(s: impl Into<String>) -> Json {
        Json::Str(s.into())
    }

    /// An array of strings.
    pub fn strs(v: &[String]) -> Json {
        Json::Arr(v.iter().map(|s| Json::Str(s.clone())).collect())
    }

    /// The member `key` of an object (the last one if the key repeats); `None` for a
    /// missing key or a value that is not an object.
    pub fn get(&self, key: &str) -> Option<&Json> {
        self.as_object()?
            .iter()
            .rev()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v)
    }

    /// The text of the string member `key` of an object ([`Json::get`]'s member, so the
    /// last one if the key repeats); `None` for a missing key, a value that is not a
    /// string, or a value that is not an object.
    pub fn str_at(&self, key: &str) -> Option<&str> {
        self.get(key)?.as_str()
    }

    /// Sets the member `key` of an object: its last occurrence when present (the one
    /// [`Json::get`] sees), else a new member at the end. Not an object: no change.
    pub fn set(&mut self, key: &str, value: Json) {
        if let Json::Obj(members) = self {
            match members.iter_mut().rev().find(|(k, _)| k == key) {
                Some((_, v)) => *v = value,
                None => members.push((key.to_owned(), value)),
            }
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::Str(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// An integer within `i64`.
    pub fn as_i64(&self) -> Option<i64> {
        match self {
            Json::Int(i) => Some(*i),
            _ => None,
        }
    }

    /// A non-negative integer within `u64` (written without fraction or exponent).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Int(i) => u64::try_from(*i).ok(),
            // Only digits parse: a fraction, an exponent or a sign is not a u64.
            Json::Num(text) => text.parse().ok(),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Arr(v) => Some(v),
            _ => None,
        }
    }

    /// The members of an object in document order, duplicates included.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Obj(v) => Some(v),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    #[cfg(target_arch = "wasm32")]
    use wasm_bindgen_test::wasm_bindgen_test as test;

    #[test]
    fn str_at_reads_the_string_member_get_sees() {
        let v = parse(br#"{"a": "x", "n": 1, "a": "y", "o": {"b": "z"}}"#).unwrap();
        assert_eq!(v.str_at("a"), Some("y"), "the last duplicate wins");
        assert_eq!(v.str_at("n"), None, "not a string");
        assert_eq!(v.str_at("o"), None, "not a string");
        assert_eq!(v.str_at("b"), None, "members of members are not looked at");
        assert_eq!(v.str_at("missing"), None);
        assert_eq!(Json::str("a").str_at("a"), None, "not an object");
        assert_eq!(Json::Arr(vec![Json::str("a")]).str_at("0"), None);
    }
}
