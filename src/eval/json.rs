//! Reading JSON text into values (language.md §6.9), the inverse of
//! [`render::to_json`](super::render::to_json). The JSON built-ins (`toMap`, `toJSONList`,
//! `getJSON`) are in `stdlib::json`; HTTP responses and the Zoho tasks read JSON here too.
//!
//! The parser accepts standard JSON and, like Deluge, a lenient form: unquoted keys and values
//! (`{company:Zoho, product:Creator}`), single-quoted strings and trailing commas. Integers that
//! fit 64 bits become NUMBER; numbers with a fraction or an exponent (and larger integers) become
//! an exact DECIMAL. Nesting deeper than [`MAX_DEPTH`] is an error, never a stack overflow.

use std::str::FromStr;

use foldhash::{HashMap, HashMapExt};
use rust_decimal::Decimal;

use super::value::{List, Map, MapData, Value};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 512;

/// The most distinct object keys one parse shares. The objects of an array mostly repeat the
/// same keys, and a shared TEXT costs a reference count where a new one costs two allocations
/// (and two frees when the value is dropped).
const SHARED_KEYS: usize = 256;

/// Parses JSON (or Deluge's lenient JSON) text into MAP, LIST and scalar values.
///
/// The error says what was expected and where, e.g.
/// `expected ',' or '}' at line 1, column 9`; callers prefix it with what they were doing.
pub fn parse(text: &str) -> Result<Value, String> {
    parse_limited(text, usize::MAX)
}

/// Like [`parse`], but an array or object with more than `max_entries` entries is an error
/// (pass `Limits::max_collection_len`).
pub fn parse_limited(text: &str, max_entries: usize) -> Result<Value, String> {
    let mut parser = Parser {
        src: text,
        bytes: text.as_bytes(),
        pos: 0,
        depth: 0,
        max_entries,
        keys: HashMap::new(),
    };
    parser.skip_space();
    let value = parser.value()?;
    parser.skip_space();
    if parser.pos < parser.bytes.len() {
        return Err(parser.fail("the end of the text"));
    }
    Ok(value)
}

struct Parser<'a> {
    src: &'a str,
    bytes: &'a [u8],
    pos: usize,
    depth: usize,
    max_entries: usize,
    /// The keys read so far, by their text in the source (see [`SHARED_KEYS`]).
    keys: HashMap<&'a str, Value>,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.pos).copied()
    }

    fn skip_space(&mut self) {
        while let Some(b) = self.peek() {
            if b.is_ascii_whitespace() {
                self.pos += 1;
            } else {
                break;
            }
        }
    }

    /// The error "expected `what` at line L, column C".
    fn fail(&self, what: &str) -> String {
        let before = &self.src[..self.pos.min(self.src.len())];
        let line = before.matches('\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        let found = match self.src[self.pos.min(self.src.len())..].chars().next() {
            Some(c) => format!("found '{c}'"),
            None => "found the end of the text".to_owned(),
        };
        format!("expected {what} at line {line}, column {column}, {found}")
    }

    fn check_entries(&self, len: usize) -> Result<(), String> {
        if len > self.max_entries {
            return Err(format!(
                "an array or object has more than {} entries, over the limit",
                self.max_entries
            ));
        }
        Ok(())
    }

    fn value(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(b'{') => self.nested(Parser::object),
            Some(b'[') => self.nested(Parser::array),
            Some(q @ (b'"' | b'\'')) => self.string(q).map(Value::text),
            Some(_) => self.bare_value(),
            None => Err(self.fail("a value")),
        }
    }

    fn nested(&mut self, parse: fn(&mut Self) -> Result<Value, String>) -> Result<Value, String> {
        if self.depth >= MAX_DEPTH {
            return Err(format!(
                "the JSON is nested more than {MAX_DEPTH} levels deep"
            ));
        }
        self.depth += 1;
        let result = parse(self);
        self.depth -= 1;
        result
    }

    fn object(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut data = MapData::default();
        loop {
            self.skip_space();
            if self.peek() == Some(b'}') {
                self.pos += 1;
                return Ok(Value::Map(Map::from_data(data)));
            }
            let key = self.key()?;
            self.skip_space();
            if self.peek() != Some(b':') {
                return Err(self.fail("':'"));
            }
            self.pos += 1;
            self.skip_space();
            let value = self.value()?;
            data.insert(key, value);
            self.check_entries(data.len())?;
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.fail("',' or '}'")),
            }
        }
    }

    fn key(&mut self) -> Result<Value, String> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => match self.plain_string(q) {
                Some(raw) => Ok(self.shared_key(raw)),
                None => self.string(q).map(Value::text),
            },
            Some(b) if is_bare_key_byte(b) => {
                let start = self.pos;
                while self.peek().is_some_and(is_bare_key_byte) {
                    self.pos += 1;
                }
                Ok(self.shared_key(&self.src[start..self.pos]))
            }
            _ => Err(self.fail("a key")),
        }
    }

    /// A quoted string without escapes, read whole, quotes skipped; `None`, having read
    /// nothing, when it has an escape or no closing quote.
    fn plain_string(&mut self, quote: u8) -> Option<&'a str> {
        let start = self.pos + 1;
        let rest = self.bytes.get(start..)?;
        let len = rest.iter().position(|&b| b == quote || b == b'\\')?;
        if rest[len] != quote {
            return None;
        }
        let raw = self.src.get(start..start + len)?;
        self.pos = start + len + 1;
        Some(raw)
    }

    /// The key `raw` as a TEXT, shared with the earlier keys of the same text.
    fn shared_key(&mut self, raw: &'a str) -> Value {
        if let Some(key) = self.keys.get(raw) {
            return key.clone();
        }
        let key = Value::text(raw);
        if self.keys.len() < SHARED_KEYS {
            self.keys.insert(raw, key.clone());
        }
        key
    }

    fn array(&mut self) -> Result<Value, String> {
        self.pos += 1;
        let mut items = Vec::new();
        loop {
            self.skip_space();
            if self.peek() == Some(b']') {
                self.pos += 1;
                return Ok(Value::List(List::from_vec(items)));
            }
            items.push(self.value()?);
            self.check_entries(items.len())?;
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b']') => {}
                _ => return Err(self.fail("',' or ']'")),
            }
        }
    }

    /// A quoted string; `quote` is `"` or `'`.
    fn string(&mut self, quote: u8) -> Result<String, String> {
        self.pos += 1;
        let mut out = String::new();
        loop {
            let start = self.pos;
            while self.peek().is_some_and(|b| b != quote && b != b'\\') {
                self.pos += 1;
            }
            out.push_str(&self.src[start..self.pos]);
            match self.peek() {
                Some(b'\\') => {
                    self.pos += 1;
                    self.escape(&mut out)?;
                }
                Some(_) => {
                    self.pos += 1;
                    return Ok(out);
                }
                None => return Err(self.fail("the closing quote of a string")),
            }
        }
    }

    fn escape(&mut self, out: &mut String) -> Result<(), String> {
        let Some(b) = self.peek() else {
            return Err(self.fail("an escape character"));
        };
        self.pos += 1;
        match b {
            b'n' => out.push('\n'),
            b't' => out.push('\t'),
            b'r' => out.push('\r'),
            b'b' => out.push('\u{08}'),
            b'f' => out.push('\u{0c}'),
            b'u' => out.push(self.unicode_escape()?),
            _ => {
                // `\"`, `\\`, `\/`, `\'` and, leniently, any other character stand for themselves.
                self.pos -= 1;
                let c = self.src[self.pos..].chars().next().unwrap_or('\\');
                self.pos += c.len_utf8();
                out.push(c);
            }
        }
        Ok(())
    }

    fn hex4(&mut self) -> Result<u32, String> {
        let digits = self
            .src
            .get(self.pos..self.pos + 4)
            .filter(|d| d.bytes().all(|b| b.is_ascii_hexdigit()))
            .ok_or_else(|| self.fail("four hexadecimal digits after \\u"))?;
        self.pos += 4;
        u32::from_str_radix(digits, 16).map_err(|_| self.fail("hexadecimal digits"))
    }

    /// The character of a `\uXXXX` escape (the `\u` already read), joining surrogate pairs.
    fn unicode_escape(&mut self) -> Result<char, String> {
        let first = self.hex4()?;
        if (0xD800..0xDC00).contains(&first) && self.src[self.pos..].starts_with("\\u") {
            let save = self.pos;
            self.pos += 2;
            let second = self.hex4()?;
            if (0xDC00..0xE000).contains(&second) {
                let code = 0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00);
                return Ok(char::from_u32(code).unwrap_or('\u{FFFD}'));
            }
            self.pos = save;
        }
        Ok(char::from_u32(first).unwrap_or('\u{FFFD}'))
    }

    /// A number, `true`, `false`, `null`, or (leniently) unquoted text up to `,`, `}` or `]`.
    fn bare_value(&mut self) -> Result<Value, String> {
        let start = self.pos;
        while self
            .peek()
            .is_some_and(|b| !matches!(b, b',' | b'}' | b']'))
        {
            self.pos += 1;
        }
        let word = self.src[start..self.pos].trim_end();
        if word.is_empty() {
            return Err(self.fail("a value"));
        }
        Ok(match word {
            "true" => Value::Bool(true),
            "false" => Value::Bool(false),
            "null" => Value::Null,
            _ => number(word).unwrap_or_else(|| Value::text(word)),
        })
    }
}

fn is_bare_key_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'_' | b'$' | b'-' | b'.') || b >= 0x80
}

/// A JSON number: NUMBER when it is an integer that fits, otherwise an exact DECIMAL.
fn number(word: &str) -> Option<Value> {
    let bytes = word.as_bytes();
    let digits_start = usize::from(bytes.first() == Some(&b'-'));
    if !bytes.get(digits_start).is_some_and(u8::is_ascii_digit) {
        return None;
    }
    if !bytes
        .iter()
        .skip(digits_start)
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'))
    {
        return None;
    }
    if bytes[digits_start..].iter().all(u8::is_ascii_digit) {
        if let Ok(n) = word.parse::<i64>() {
            return Some(Value::Number(n));
        }
    }
    if word.contains(['e', 'E']) {
        Decimal::from_scientific(word).ok().map(Value::decimal)
    } else {
        Decimal::from_str_exact(word)
            .or_else(|_| Decimal::from_str(word))
            .ok()
            .map(Value::decimal)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The keys of each object of the array `text`, in order.
    fn keys_of_records(text: &str) -> Vec<Vec<Value>> {
        let Value::List(records) = parse(text).unwrap() else {
            panic!("not an array: {text}");
        };
        let records = records.borrow();
        records
            .iter()
            .map(|record| match record {
                Value::Map(map) => map.borrow().keys().cloned().collect(),
                other => panic!("not an object: {other:?}"),
            })
            .collect()
    }

    fn shared(a: &Value, b: &Value) -> bool {
        matches!((a, b), (Value::Text(a), Value::Text(b)) if a.is_shared_with(b))
    }

    #[test]
    fn the_records_of_an_array_share_their_keys() {
        let keys = keys_of_records(r#"[{"id": 1, name: "a"}, {"id": 2, name: "b"}, {'id': 3}]"#);
        assert_eq!(keys[0], vec![Value::text("id"), Value::text("name")]);
        assert!(shared(&keys[0][0], &keys[1][0]));
        assert!(shared(&keys[0][0], &keys[2][0]));
        assert!(shared(&keys[0][1], &keys[1][1]));
    }

    #[test]
    fn escaped_keys_are_read_whole_and_not_shared() {
        let keys = keys_of_records(r#"[{"a\"b": 1, "x\u0041": 2}, {"a\"b": 3}]"#);
        assert_eq!(keys[0], vec![Value::text("a\"b"), Value::text("xA")]);
        assert_eq!(keys[1], vec![Value::text("a\"b")]);
        assert!(!shared(&keys[0][0], &keys[1][0]));
    }

    #[test]
    fn keys_past_the_shared_ones_are_read_as_before() {
        let object: Vec<String> = (0..SHARED_KEYS + 10)
            .map(|i| format!("\"k{i}\": {i}"))
            .collect();
        let object = format!("{{{}}}", object.join(", "));
        let keys = keys_of_records(&format!("[{object}, {object}]"));
        let last = SHARED_KEYS + 9;
        assert_eq!(keys[1].len(), SHARED_KEYS + 10);
        assert_eq!(keys[1][last], Value::text(format!("k{last}")));
        assert!(shared(&keys[0][0], &keys[1][0]));
        assert!(!shared(&keys[0][last], &keys[1][last]));
    }

    #[test]
    fn an_unclosed_key_is_still_an_error_at_its_place() {
        assert_eq!(
            parse(r#"{"abc"#).unwrap_err(),
            "expected the closing quote of a string at line 1, column 6, found the end of the text"
        );
    }
}
