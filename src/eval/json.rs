//! Reading JSON text into values (language.md §6.9), the inverse of
//! [`render::to_json`](super::render::to_json). The JSON built-ins (`toMap`, `toJSONList`,
//! `getJSON`) are in `stdlib::json`; HTTP responses and the Zoho tasks read JSON here too.
//!
//! The parser accepts standard JSON and, like Deluge, a lenient form: unquoted keys and values
//! (`{company:Zoho, product:Creator}`), single-quoted strings and trailing commas. Integers that
//! fit 64 bits become NUMBER; numbers with a fraction or an exponent (and larger integers) become
//! an exact DECIMAL. Nesting deeper than [`MAX_DEPTH`] is an error, never a stack overflow.

use std::str::FromStr;

use rust_decimal::Decimal;

use super::value::{List, Map, MapData, Value};

/// Deepest nesting of arrays and objects accepted.
pub const MAX_DEPTH: usize = 512;

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
}

impl Parser<'_> {
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
            data.insert(Value::text(key), value);
            self.check_entries(data.len())?;
            self.skip_space();
            match self.peek() {
                Some(b',') => self.pos += 1,
                Some(b'}') => {}
                _ => return Err(self.fail("',' or '}'")),
            }
        }
    }

    fn key(&mut self) -> Result<String, String> {
        match self.peek() {
            Some(q @ (b'"' | b'\'')) => self.string(q),
            Some(b) if is_bare_key_byte(b) => {
                let start = self.pos;
                while self.peek().is_some_and(is_bare_key_byte) {
                    self.pos += 1;
                }
                Ok(self.src[start..self.pos].to_owned())
            }
            _ => Err(self.fail("a key")),
        }
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
