//! JSON reading (language.md §6.9): [`parse`] and the built-ins that read JSON text
//! (`toMap`, `toJSONList`, `getJSON`). Writing JSON is `eval::render::to_json`.
//!
//! The parser accepts standard JSON and, like Deluge, a lenient form: unquoted keys and values
//! (`{company:Zoho, product:Creator}`), single-quoted strings and trailing commas. Integers that
//! fit 64 bits become NUMBER; numbers with a fraction or an exponent (and larger integers) become
//! an exact DECIMAL. Nesting deeper than [`MAX_DEPTH`] is an error, never a stack overflow.

use std::str::FromStr;

use rust_decimal::Decimal;

use crate::eval::context::NativeCtx;
use crate::eval::value::{CollectionData, List, Map, MapData, Value, ValueType};

use super::args::{check_collection_len, check_text_len, Args};
use super::registry::{Builtin, NativeResult, Receiver};

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
        Decimal::from_scientific(word).ok().map(Value::Decimal)
    } else {
        Decimal::from_str_exact(word)
            .or_else(|_| Decimal::from_str(word))
            .ok()
            .map(Value::Decimal)
    }
}

macro_rules! json_fn {
    ($name:literal, $recv:expr, $params:literal, $returns:literal, ($min:literal, $max:literal), $func:path, $summary:literal) => {
        Builtin {
            name: $name,
            receiver: Receiver::Type($recv),
            params: $params,
            returns: $returns,
            arity: ($min, $max),
            summary: $summary,
            func: $func,
        }
    };
}

/// The JSON-reading built-ins.
pub static BUILTINS: &[Builtin] = &[
    json_fn!("toMap", ValueType::Text, "()", "KEY-VALUE", (0, 0), text_to_map, "Parses JSON object text (unquoted keys and values accepted); empty text gives an empty map."),
    json_fn!("toMap", ValueType::Map, "()", "KEY-VALUE", (0, 0), map_to_map, "The map itself."),
    json_fn!("toMap", ValueType::Collection, "()", "KEY-VALUE", (0, 0), collection_to_map, "A new map with the pairs of a key-value collection."),
    json_fn!("toJSONList", ValueType::Text, "()", "LIST", (0, 0), text_to_json_list, "Parses JSON array text into a list; empty text gives an empty list."),
    json_fn!("toJSONList", ValueType::List, "()", "LIST", (0, 0), list_to_json_list, "The list itself."),
    json_fn!("getJSON", ValueType::Text, "(key: TEXT)", "any", (1, 1), text_get_json, "Parses JSON object text and returns the value of `key` (maps and lists come back as such); null when absent."),
    json_fn!("getJSON", ValueType::Map, "(key: TEXT)", "any", (1, 1), map_get_json, "The value of `key`; null when absent."),
];

/// Parses `text` for the built-in `name`, with the standard "not a valid JSON" message.
fn parse_for(ctx: &NativeCtx<'_>, name: &str, text: &str) -> Result<Value, String> {
    check_text_len(ctx, name, text.len())?;
    parse_limited(text, ctx.env.limits.max_collection_len).map_err(|detail| {
        format!(
            "{name}: \"{}\" is not a valid JSON: {detail}",
            excerpt(text)
        )
    })
}

/// The start of `text`, for messages.
fn excerpt(text: &str) -> String {
    const MAX_CHARS: usize = 40;
    let trimmed = text.trim();
    if trimmed.chars().count() <= MAX_CHARS {
        trimmed.to_owned()
    } else {
        let head: String = trimmed.chars().take(MAX_CHARS).collect();
        format!("{head}...")
    }
}

fn text_to_map(ctx: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    let text = Args::method("toMap", "", args).text(0)?;
    if text.trim().is_empty() {
        return Ok(Value::new_map());
    }
    match parse_for(ctx, "toMap", text)? {
        map @ Value::Map(_) => Ok(map),
        other => Err(format!(
            "toMap: \"{}\" is not a valid JSON object: it is a {}",
            excerpt(text),
            other.value_type()
        )),
    }
}

fn map_to_map(_: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    Args::method("toMap", "", args).map(0)?;
    Ok(args[0].clone())
}

fn collection_to_map(ctx: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    let a = Args::method("toMap", "", args);
    let data = a.collection(0)?.0.borrow();
    match &*data {
        CollectionData::Empty => Ok(Value::new_map()),
        CollectionData::Map(pairs) => {
            check_collection_len(ctx, "toMap", pairs.len())?;
            Ok(Value::Map(Map::from_data(pairs.clone())))
        }
        CollectionData::List(_) => Err(a.error(
            "the collection holds values, not key-value pairs; only a key-value collection converts to a map",
        )),
    }
}

fn text_to_json_list(ctx: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    let text = Args::method("toJSONList", "", args).text(0)?;
    if text.trim().is_empty() {
        return Ok(Value::new_list());
    }
    match parse_for(ctx, "toJSONList", text)? {
        list @ Value::List(_) => Ok(list),
        other => Err(format!(
            "toJSONList: \"{}\" is not a valid JSON array: it is a {}",
            excerpt(text),
            other.value_type()
        )),
    }
}

fn list_to_json_list(_: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    Args::method("toJSONList", "", args).list(0)?;
    Ok(args[0].clone())
}

fn text_get_json(ctx: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    let a = Args::method("getJSON", "TEXT", args);
    let text = a.text(0)?;
    let key = a.text_like(1)?;
    if text.trim().is_empty() {
        return Ok(Value::Null);
    }
    match parse_for(ctx, "getJSON", text)? {
        Value::Map(map) => Ok(map
            .0
            .borrow()
            .get(&Value::text(key.as_ref()))
            .cloned()
            .unwrap_or_default()),
        other => Err(format!(
            "getJSON: \"{}\" is not a JSON object but a {}; use toJSONList() for arrays",
            excerpt(text),
            other.value_type()
        )),
    }
}

fn map_get_json(_: &mut NativeCtx<'_>, args: &[Value]) -> NativeResult {
    let a = Args::method("getJSON", "TEXT", args);
    let map = a.map(0)?;
    let key = match a.get(1) {
        Value::Null => return Err(a.mismatch()),
        key => key,
    };
    Ok(super::map::lookup(&map.0.borrow(), key).unwrap_or_default())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::render::{display, to_json};
    use crate::stdlib::args::testing;

    fn call(f: fn(&mut NativeCtx<'_>, &[Value]) -> NativeResult, args: &[Value]) -> NativeResult {
        let env = testing::env();
        let mut ctx = NativeCtx { env: &env };
        f(&mut ctx, args)
    }

    fn round_trip(text: &str) -> String {
        to_json(&parse(text).unwrap())
    }

    #[test]
    fn standard_json_round_trips() {
        let text = r#"{"a":1,"b":[true,false,null],"c":{"d":"x\"y"},"e":-12.50,"f":1E+2}"#;
        assert_eq!(
            round_trip(text),
            r#"{"a":1,"b":[true,false,null],"c":{"d":"x\"y"},"e":-12.50,"f":100}"#
        );
    }

    #[test]
    fn big_integers_and_decimals_are_exact() {
        assert!(matches!(
            parse("4876876000001234567").unwrap(),
            Value::Number(4_876_876_000_001_234_567)
        ));
        assert_eq!(display(&parse("0.1").unwrap()), "0.1");
        assert_eq!(
            display(&parse("99999999999999999999").unwrap()),
            "99999999999999999999"
        );
        assert!(matches!(
            parse("99999999999999999999").unwrap(),
            Value::Decimal(_)
        ));
        assert_eq!(display(&parse("1.5e-3").unwrap()), "0.0015");
    }

    #[test]
    fn escapes_and_surrogate_pairs() {
        let v = parse(r#""a\n\t\u00e9\ud83d\ude00\/""#).unwrap();
        assert_eq!(v.as_text(), Some("a\n\té😀/"));
        assert_eq!(parse(r#""\ud83d""#).unwrap().as_text(), Some("\u{FFFD}"));
        assert_eq!(parse("\"ü日本\"").unwrap().as_text(), Some("ü日本"));
    }

    #[test]
    fn lenient_forms() {
        assert_eq!(
            round_trip("{company:Zoho, product:Creator}"),
            r#"{"company":"Zoho","product":"Creator"}"#
        );
        assert_eq!(
            round_trip("{Name:'Lia Shelton', OrderNo:[343,443,577]}"),
            r#"{"Name":"Lia Shelton","OrderNo":[343,443,577]}"#
        );
        assert_eq!(round_trip("[1,2,]"), "[1,2]");
        assert_eq!(
            round_trip("{name: John Smith }"),
            r#"{"name":"John Smith"}"#
        );
        assert_eq!(
            round_trip("{url: http://a.b/c}"),
            r#"{"url":"http://a.b/c"}"#
        );
    }

    #[test]
    fn errors_say_where() {
        assert_eq!(
            parse(r#"{"a" 1}"#).unwrap_err(),
            "expected ':' at line 1, column 6, found '1'"
        );
        assert_eq!(
            parse("[1,\n2").unwrap_err(),
            "expected ',' or ']' at line 2, column 2, found the end of the text"
        );
        assert_eq!(
            parse(r#""abc"#).unwrap_err(),
            "expected the closing quote of a string at line 1, column 5, found the end of the text"
        );
        assert_eq!(
            parse("[1] 2").unwrap_err(),
            "expected the end of the text at line 1, column 5, found '2'"
        );
        assert_eq!(
            parse("").unwrap_err(),
            "expected a value at line 1, column 1, found the end of the text"
        );
    }

    #[test]
    fn cyclic_values_render_without_hanging() {
        let l = Value::new_list();
        if let Value::List(list) = &l {
            list.0.borrow_mut().push(l.clone());
            list.0.borrow_mut().push(l.clone());
        }
        assert_eq!(to_json(&l), r#"["...","..."]"#);
        let m = Value::new_map();
        if let Value::Map(map) = &m {
            map.0.borrow_mut().insert(m.clone(), m.clone());
        }
        assert_eq!(to_json(&m), r#"{"\"...\"":"..."}"#);
        if let Value::Map(map) = &m {
            map.0.borrow_mut().clear();
        }
        assert_eq!(display(&l), r#"["...","..."],["...","..."]"#);
        if let Value::List(list) = &l {
            list.0.borrow_mut().clear();
        }
    }

    #[test]
    fn depth_is_limited() {
        let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
        assert_eq!(
            parse(&deep).unwrap_err(),
            "the JSON is nested more than 512 levels deep"
        );
        let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
        assert!(parse(&ok).is_ok());
    }

    #[test]
    fn entries_are_limited() {
        assert!(parse_limited("[1,2]", 2).is_ok());
        assert_eq!(
            parse_limited("[1,2,3]", 2).unwrap_err(),
            "an array or object has more than 2 entries, over the limit"
        );
        assert!(parse_limited("{a:1,b:2,c:3}", 2).is_err());
    }

    #[test]
    fn to_map_on_text() {
        let v = call(
            text_to_map,
            &[Value::text("{company:Zoho, product:Creator}")],
        )
        .unwrap();
        assert_eq!(display(&v), r#"{"company":"Zoho","product":"Creator"}"#);
        assert_eq!(
            display(&call(text_to_map, &[Value::text(" ")]).unwrap()),
            "{}"
        );
        assert_eq!(
            call(text_to_map, &[Value::text("[1]")]).unwrap_err(),
            "toMap: \"[1]\" is not a valid JSON object: it is a LIST"
        );
        assert_eq!(
            call(text_to_map, &[Value::text("{a:")]).unwrap_err(),
            "toMap: \"{a:\" is not a valid JSON: expected a value at line 1, column 4, found the end of the text"
        );
    }

    #[test]
    fn get_json_then_to_json_list() {
        let text = Value::text("{Name:'Lia Shelton', OrderNo:[343,443,577]}");
        let orders = call(text_get_json, &[text.clone(), Value::text("OrderNo")]).unwrap();
        let list = call(list_to_json_list, &[orders]).unwrap();
        assert_eq!(display(&list), "343,443,577");
        assert!(call(text_get_json, &[text, Value::text("missing")])
            .unwrap()
            .is_null());

        let response = Value::text(
            r#"{"data" : [{"id":1, "firstname":"John"}, {"id":2, "firstname":"Patricia"}]}"#,
        );
        let data = call(text_get_json, &[response, Value::text("data")]).unwrap();
        let Value::List(items) = data else {
            panic!("list")
        };
        let ids: Vec<String> = items
            .0
            .borrow()
            .iter()
            .map(|item| display(&call(map_get_json, &[item.clone(), Value::text("id")]).unwrap()))
            .collect();
        assert_eq!(ids, ["1", "2"]);
    }

    #[test]
    fn to_map_on_maps_and_collections() {
        let m = call(text_to_map, &[Value::text("{a:1}")]).unwrap();
        let same = call(map_to_map, std::slice::from_ref(&m)).unwrap();
        assert!(m == same, "toMap on a map returns the same map");
        let pairs = CollectionData::Map(match &m {
            Value::Map(inner) => inner.0.borrow().clone(),
            _ => unreachable!("a map"),
        });
        let coll = Value::Collection(crate::eval::value::Collection(std::rc::Rc::new(
            std::cell::RefCell::new(pairs),
        )));
        assert_eq!(
            display(&call(collection_to_map, &[coll]).unwrap()),
            r#"{"a":1}"#
        );
        let values = Value::Collection(crate::eval::value::Collection(std::rc::Rc::new(
            std::cell::RefCell::new(CollectionData::List(vec![Value::Number(1)])),
        )));
        assert_eq!(
            call(collection_to_map, &[values]).unwrap_err(),
            "toMap: the collection holds values, not key-value pairs; only a key-value collection converts to a map"
        );
    }

    #[test]
    fn to_json_list_on_text() {
        let v = call(text_to_json_list, &[Value::text("[343,443,577]")]).unwrap();
        assert_eq!(display(&v), "343,443,577");
        assert_eq!(
            call(text_to_json_list, &[Value::text("{}")]).unwrap_err(),
            "toJSONList: \"{}\" is not a valid JSON array: it is a KEY-VALUE"
        );
        assert_eq!(
            call(text_get_json, &[Value::text("[1]"), Value::text("a")]).unwrap_err(),
            "getJSON: \"[1]\" is not a JSON object but a LIST; use toJSONList() for arrays"
        );
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;
    use crate::eval::render::to_json;

    fn scalar() -> impl Strategy<Value = Value> {
        prop_oneof![
            Just(Value::Null),
            any::<bool>().prop_map(Value::Bool),
            any::<i64>().prop_map(Value::Number),
            (any::<i64>(), 0u32..10).prop_map(|(m, s)| Value::Decimal(Decimal::new(m, s))),
            any::<String>().prop_map(Value::text),
        ]
    }

    fn tree() -> impl Strategy<Value = Value> {
        scalar().prop_recursive(4, 32, 6, |inner| {
            prop_oneof![
                prop::collection::vec(inner.clone(), 0..6).prop_map(Value::list_from),
                prop::collection::vec((any::<String>(), inner), 0..6).prop_map(|pairs| {
                    let mut data = MapData::default();
                    for (k, v) in pairs {
                        data.insert(Value::text(k), v);
                    }
                    Value::Map(Map::from_data(data))
                }),
            ]
        })
    }

    proptest! {
        #[test]
        fn parse_never_panics(text in any::<String>()) {
            let _ = parse(&text);
        }

        #[test]
        fn parse_never_panics_on_json_like_text(text in "[\\[\\]{}:,'\"\\\\ a-z0-9.eE+-]{0,40}") {
            let _ = parse(&text);
        }

        #[test]
        fn rendered_json_parses_back_to_the_same_json(value in tree()) {
            let json = to_json(&value);
            let parsed = parse(&json).map_err(|e| TestCaseError::fail(format!("{e}: {json}")))?;
            prop_assert_eq!(to_json(&parsed), json);
        }
    }
}
