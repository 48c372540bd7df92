//! Text functions (language.md §6.1, §6.2). They never change their receiver.
//!
//! Positions and lengths count characters (Unicode scalar values), 0-based. Searches are
//! case-sensitive unless the name ends in `IgnoreCase`. JSON-reading functions on text
//! (`toMap`, `toJSONList`, `getJSON`) live in `json.rs`; conversions shared by every type
//! (`toString`, `toNumber`, ...) live in `common.rs`.

use crate::eval::context::NativeCtx;
use crate::eval::value::{Value, ValueType};

use crate::eval::args::{check_collection_len, check_text_len, Args};
use super::pattern::{self, Mode, Replacement};
use super::registry::{builtin, Builtin, NativeResult, Receiver};

/// Longest padding `leftpad`/`rightpad` accept, as documented by Zoho.
const MAX_PAD: i64 = 100_000;

/// The text built-ins.
pub static BUILTINS: &[Builtin] = &[
    builtin!("contains", Receiver::Type(ValueType::Text), "(search: TEXT)", "BOOLEAN", (1, 1), contains, "True when the text contains `search` (case-sensitive)."),
    builtin!("notContains", Receiver::Type(ValueType::Text), "(search: TEXT)", "BOOLEAN", (1, 1), not_contains, "True when the text does not contain `search`."),
    builtin!("containsIgnoreCase", Receiver::Type(ValueType::Text), "(search: TEXT)", "BOOLEAN", (1, 1), contains_ignore_case, "True when the text contains `search`, ignoring case."),
    builtin!("startsWith", Receiver::Type(ValueType::Text), "(prefix: TEXT)", "BOOLEAN", (1, 1), starts_with, "True when the text starts with `prefix`."),
    builtin!("startsWithIgnoreCase", Receiver::Type(ValueType::Text), "(prefix: TEXT)", "BOOLEAN", (1, 1), starts_with_ignore_case, "True when the text starts with `prefix`, ignoring case."),
    builtin!("endsWith", Receiver::Type(ValueType::Text), "(suffix: TEXT)", "BOOLEAN", (1, 1), ends_with, "True when the text ends with `suffix`."),
    builtin!("endsWithIgnoreCase", Receiver::Type(ValueType::Text), "(suffix: TEXT)", "BOOLEAN", (1, 1), ends_with_ignore_case, "True when the text ends with `suffix`, ignoring case."),
    builtin!("equalsIgnoreCase", Receiver::Type(ValueType::Text), "(other: TEXT)", "BOOLEAN", (1, 1), equals_ignore_case, "True when both texts are equal, ignoring case."),
    builtin!("getAlpha", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), get_alpha, "The letters of the text, everything else dropped."),
    builtin!("getAlphaNumeric", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), get_alpha_numeric, "The letters and digits of the text, everything else dropped."),
    builtin!("removeAllAlpha", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), remove_all_alpha, "The text without its letters."),
    builtin!("removeAllAlphaNumeric", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), remove_all_alpha_numeric, "The text without its letters and digits."),
    builtin!("getOccurenceCount", Receiver::Type(ValueType::Text), "(search: TEXT)", "NUMBER", (1, 1), get_occurence_count, "How many times `search` occurs (non-overlapping, case-sensitive)."),
    builtin!("getPrefix", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), get_prefix, "The text before the first `search`; null when absent."),
    builtin!("getPrefixIgnoreCase", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), get_prefix_ignore_case, "The text before the first `search` (any case); null when absent."),
    builtin!("getSuffix", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), get_suffix, "The text after the first `search`; null when absent."),
    builtin!("getSuffixIgnoreCase", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), get_suffix_ignore_case, "The text after the first `search` (any case); null when absent."),
    builtin!("concat", Receiver::Type(ValueType::Text), "(other: TEXT)", "TEXT", (1, 1), concat, "The text followed by `other`."),
    builtin!("indexOf", Receiver::Type(ValueType::Text), "(search: TEXT)", "NUMBER", (1, 1), first_position, "0-based position of the first `search`; -1 when absent."),
    builtin!("find", Receiver::Type(ValueType::Text), "(search: TEXT)", "NUMBER", (1, 1), first_position, "Same as indexOf."),
    builtin!("lastIndexOf", Receiver::Type(ValueType::Text), "(search: TEXT)", "NUMBER", (1, 1), last_index_of, "0-based position of the last `search`; -1 when absent."),
    builtin!("toList", Receiver::Type(ValueType::Text), "([separator: TEXT])", "LIST", (0, 1), to_list, "Splits on the literal `separator` (\"\" splits into characters); without one, a one-element list."),
    builtin!("toListString", Receiver::Type(ValueType::Text), "()", "LIST", (0, 0), to_list_string, "Splits comma-separated text into a list of texts."),
    builtin!("toLowerCase", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), to_lower_case, "The text in lower case."),
    builtin!("toUpperCase", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), to_upper_case, "The text in upper case."),
    builtin!("left", Receiver::Type(ValueType::Text), "(count: NUMBER)", "TEXT", (1, 1), left, "The first `count` characters (the whole text when shorter)."),
    builtin!("right", Receiver::Type(ValueType::Text), "(count: NUMBER)", "TEXT", (1, 1), right, "The last `count` characters (the whole text when shorter)."),
    builtin!("leftpad", Receiver::Type(ValueType::Text), "(length: NUMBER)", "TEXT", (1, 1), leftpad, "Pads with spaces on the left to a total of `length` characters."),
    builtin!("rightpad", Receiver::Type(ValueType::Text), "(length: NUMBER)", "TEXT", (1, 1), rightpad, "Pads with spaces on the right to a total of `length` characters."),
    builtin!("length", Receiver::Type(ValueType::Text), "()", "NUMBER", (0, 0), length, "Number of characters, spaces included."),
    builtin!("len", Receiver::Type(ValueType::Text), "()", "NUMBER", (0, 0), length, "Same as length."),
    builtin!("isAscii", Receiver::Type(ValueType::Text), "()", "BOOLEAN", (0, 0), is_ascii, "True when every character is ASCII."),
    builtin!("trim", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), trim, "The text without leading and trailing white space."),
    builtin!("ltrim", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), ltrim, "The text without leading white space."),
    builtin!("rtrim", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), rtrim, "The text without trailing white space."),
    builtin!("matches", Receiver::Type(ValueType::Text), "(regex: TEXT)", "BOOLEAN", (1, 1), matches, "True when the whole text matches the regular expression."),
    builtin!("subString", Receiver::Type(ValueType::Text), "(start: NUMBER[, end: NUMBER])", "TEXT", (1, 2), slice_chars, "Characters from `start` (inclusive) to `end` (exclusive, default: the end)."),
    builtin!("subText", Receiver::Type(ValueType::Text), "(start: NUMBER[, end: NUMBER])", "TEXT", (1, 2), slice_chars, "Same as subString."),
    builtin!("mid", Receiver::Type(ValueType::Text), "(start: NUMBER[, end: NUMBER])", "TEXT", (1, 2), slice_chars, "Same as subString."),
    builtin!("proper", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), proper, "Each word with its first letter in upper case and the rest in lower case."),
    builtin!("hexToText", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), hex_to_text, "Decodes hexadecimal UTF-8 bytes to text."),
    builtin!("textToHex", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), text_to_hex, "The UTF-8 bytes of the text in lower-case hexadecimal."),
    builtin!("repeat", Receiver::Type(ValueType::Text), "(times: NUMBER)", "TEXT", (1, 1), repeat, "The text repeated `times` times."),
    builtin!("remove", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), remove, "The text without any occurrence of `search`."),
    builtin!("removeFirstOccurence", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), remove_first_occurence, "The text without the first occurrence of `search`."),
    builtin!("removeLastOccurence", Receiver::Type(ValueType::Text), "(search: TEXT)", "TEXT", (1, 1), remove_last_occurence, "The text without the last occurrence of `search`."),
    builtin!("replaceAll", Receiver::Type(ValueType::Text), "(regex: TEXT, replacement: TEXT[, literal: BOOLEAN])", "TEXT", (2, 3), replace_all, "Replaces every match of the regular expression (`$1` inserts a group); `literal` true matches plain text."),
    builtin!("replaceAllIgnoreCase", Receiver::Type(ValueType::Text), "(regex: TEXT, replacement: TEXT[, literal: BOOLEAN])", "TEXT", (2, 3), replace_all_ignore_case, "replaceAll, ignoring case."),
    builtin!("replaceFirst", Receiver::Type(ValueType::Text), "(regex: TEXT, replacement: TEXT[, literal: BOOLEAN])", "TEXT", (2, 3), replace_first, "Replaces the first match of the regular expression."),
    builtin!("replaceFirstIgnoreCase", Receiver::Type(ValueType::Text), "(regex: TEXT, replacement: TEXT[, literal: BOOLEAN])", "TEXT", (2, 3), replace_first_ignore_case, "replaceFirst, ignoring case."),
    builtin!("reverse", Receiver::Type(ValueType::Text), "()", "TEXT", (0, 0), reverse, "The characters in reverse order."),
];

/// The 0-based character position of byte offset `byte` in `s`.
fn char_pos(s: &str, byte: usize) -> i64 {
    let count = if s.is_ascii() {
        byte
    } else {
        s[..byte].chars().count()
    };
    count as i64
}

/// The byte offset of character `pos` in `s`; `None` past the end.
fn byte_at(s: &str, pos: usize) -> Option<usize> {
    if s.is_ascii() {
        return (pos <= s.len()).then_some(pos);
    }
    s.char_indices()
        .map(|(i, _)| i)
        .chain(std::iter::once(s.len()))
        .nth(pos)
}

fn char_len(s: &str) -> usize {
    if s.is_ascii() {
        s.len()
    } else {
        s.chars().count()
    }
}

fn chars_eq_ignore_case(a: char, b: char) -> bool {
    a == b || a.to_lowercase().eq(b.to_lowercase())
}

/// Byte range of the first case-insensitive occurrence of `needle` in `hay`.
fn find_ignore_case(hay: &str, needle: &str) -> Option<(usize, usize)> {
    let starts = hay.char_indices().map(|(i, _)| i);
    for start in starts.chain(std::iter::once(hay.len())) {
        if let Some(end) = match_prefix_ignore_case(&hay[start..], needle) {
            return Some((start, start + end));
        }
    }
    None
}

/// Length in bytes of the prefix of `hay` equal to `needle` ignoring case, if there is one.
fn match_prefix_ignore_case(hay: &str, needle: &str) -> Option<usize> {
    let mut hay_chars = hay.char_indices();
    let mut end = 0;
    for n in needle.chars() {
        let (i, h) = hay_chars.next()?;
        if !chars_eq_ignore_case(h, n) {
            return None;
        }
        end = i + h.len_utf8();
    }
    Some(end)
}

fn text_value(s: impl Into<String>) -> Value {
    Value::text(s)
}

fn search_args<'a>(
    a: Args<'a>,
) -> Result<(&'a str, std::borrow::Cow<'a, str>), String> {
    Ok((a.text(0)?, a.text_like(1)?))
}

fn contains(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Bool(s.contains(t.as_ref())))
}

fn not_contains(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Bool(!s.contains(t.as_ref())))
}

fn contains_ignore_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Bool(find_ignore_case(s, &t).is_some()))
}

fn starts_with(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Bool(s.starts_with(t.as_ref())))
}

fn starts_with_ignore_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Bool(match_prefix_ignore_case(s, &t).is_some()))
}

fn ends_with(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Bool(s.ends_with(t.as_ref())))
}

fn ends_with_ignore_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    let reversed_s: String = s.chars().rev().collect();
    let reversed_t: String = t.chars().rev().collect();
    Ok(Value::Bool(
        match_prefix_ignore_case(&reversed_s, &reversed_t).is_some(),
    ))
}

fn equals_ignore_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    let same = s.chars().count() == t.chars().count()
        && s.chars()
            .zip(t.chars())
            .all(|(a, b)| chars_eq_ignore_case(a, b));
    Ok(Value::Bool(same))
}

fn filter_chars(a: Args<'_>, keep: fn(char) -> bool) -> NativeResult {
    let s = a.text(0)?;
    Ok(text_value(
        s.chars().filter(|&c| keep(c)).collect::<String>(),
    ))
}

fn get_alpha(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    filter_chars(a, char::is_alphabetic)
}

fn get_alpha_numeric(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    filter_chars(a, char::is_alphanumeric)
}

fn remove_all_alpha(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    filter_chars(a, |c| !c.is_alphabetic())
}

fn remove_all_alpha_numeric(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    filter_chars(a, |c| !c.is_alphanumeric())
}

fn get_occurence_count(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    let count = if t.is_empty() {
        0
    } else {
        s.matches(t.as_ref()).count()
    };
    Ok(Value::Number(count as i64))
}

fn prefix_or_null(s: &str, found: Option<(usize, usize)>) -> Value {
    found.map_or(Value::Null, |(start, _)| text_value(&s[..start]))
}

fn suffix_or_null(s: &str, found: Option<(usize, usize)>) -> Value {
    found.map_or(Value::Null, |(_, end)| text_value(&s[end..]))
}

fn find_exact(s: &str, t: &str) -> Option<(usize, usize)> {
    s.find(t).map(|start| (start, start + t.len()))
}

fn get_prefix(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(prefix_or_null(s, find_exact(s, &t)))
}

fn get_prefix_ignore_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(prefix_or_null(s, find_ignore_case(s, &t)))
}

fn get_suffix(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(suffix_or_null(s, find_exact(s, &t)))
}

fn get_suffix_ignore_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(suffix_or_null(s, find_ignore_case(s, &t)))
}

fn concat(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    let other = match a.get(1) {
        Value::Text(t) => std::borrow::Cow::Borrowed(t.as_str()),
        v => {
            let max = ctx.env.limits.max_text_bytes;
            let printed = crate::eval::render::try_display(v, max)
                .map_err(|e| a.error(format_args!("{e}; {}", crate::eval::render::TooLarge::HELP)))?;
            std::borrow::Cow::Owned(printed)
        }
    };
    check_text_len(ctx, a.name(), s.len() + other.len())?;
    Ok(text_value(format!("{s}{other}")))
}

fn first_position(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Number(
        s.find(t.as_ref()).map_or(-1, |b| char_pos(s, b)),
    ))
}

fn last_index_of(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, t) = search_args(a)?;
    Ok(Value::Number(
        s.rfind(t.as_ref()).map_or(-1, |b| char_pos(s, b)),
    ))
}

/// Splits `s` on the literal `sep`; `""` splits into characters; empty text gives no elements.
pub fn split_to_list(ctx: &NativeCtx<'_>, name: &str, s: &str, sep: Option<&str>) -> NativeResult {
    let count = match sep {
        _ if s.is_empty() => 0,
        None => 1,
        Some("") => char_len(s),
        Some(sep) => s.matches(sep).count() + 1,
    };
    check_collection_len(ctx, name, count)?;
    let items: Vec<Value> = match sep {
        _ if s.is_empty() => Vec::new(),
        None => vec![text_value(s)],
        Some("") => s.chars().map(|c| text_value(c.to_string())).collect(),
        Some(sep) => s.split(sep).map(text_value).collect(),
    };
    Ok(Value::list_from(items))
}

fn to_list(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    let sep = if a.has(1) {
        Some(a.text_like(1)?)
    } else {
        None
    };
    split_to_list(ctx, "toList", s, sep.as_deref())
}

fn to_list_string(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    split_to_list(ctx, "toListString", s, Some(","))
}

fn to_lower_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(text_value(
        a
            .text(0)?
            .to_lowercase(),
    ))
}

fn to_upper_case(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(text_value(
        a
            .text(0)?
            .to_uppercase(),
    ))
}

/// The text and a non-negative count argument.
fn text_and_count<'a>(a: Args<'a>) -> Result<(&'a str, usize), String> {
    let s = a.text(0)?;
    let n = a.int(1)?;
    let n = usize::try_from(n)
        .map_err(|_| a.error(format!("the count must not be negative, got {n}")))?;
    Ok((s, n))
}

fn left(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, n) = text_and_count(a)?;
    let end = byte_at(s, n).unwrap_or(s.len());
    Ok(text_value(&s[..end]))
}

fn right(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, n) = text_and_count(a)?;
    let len = char_len(s);
    let start = byte_at(s, len.saturating_sub(n)).unwrap_or(0);
    Ok(text_value(&s[start..]))
}

/// The padding needed to reach `length` characters, or `None` when nothing is to be added.
fn pad_width(
    ctx: &NativeCtx<'_>,
    a: Args<'_>,
) -> Result<Option<usize>, String> {
    let name = a.name();
    let s = a.text(0)?;
    let length = a.int(1)?;
    if length > MAX_PAD {
        return Err(a.error(format!("the length can be at most {MAX_PAD}, got {length}")));
    }
    let current = char_len(s);
    let Ok(target) = usize::try_from(length) else {
        return Ok(None);
    };
    if target <= current {
        return Ok(None);
    }
    check_text_len(ctx, name, s.len() + target - current)?;
    Ok(Some(target - current))
}

fn leftpad(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    match pad_width(ctx, a)? {
        Some(width) => Ok(text_value(format!(
            "{}{}",
            " ".repeat(width),
            args[0].as_text().unwrap_or("")
        ))),
        None => Ok(args[0].clone()),
    }
}

fn rightpad(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    match pad_width(ctx, a)? {
        Some(width) => Ok(text_value(format!(
            "{}{}",
            args[0].as_text().unwrap_or(""),
            " ".repeat(width)
        ))),
        None => Ok(args[0].clone()),
    }
}

fn length(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    Ok(Value::Number(char_len(s) as i64))
}

fn is_ascii(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::Bool(
        a.text(0)?.is_ascii(),
    ))
}

/// White space for trimming: Unicode white space and control characters (as Java's `trim`
/// drops every character up to U+0020).
fn is_trimmed(c: char) -> bool {
    c.is_whitespace() || c.is_control()
}

fn trim(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    Ok(text_value(s.trim_matches(is_trimmed)))
}

fn ltrim(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    Ok(text_value(s.trim_start_matches(is_trimmed)))
}

fn rtrim(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    Ok(text_value(s.trim_end_matches(is_trimmed)))
}

fn matches(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    let regex = pattern::compile("matches", a.text(1)?, Mode::Whole)?;
    Ok(Value::Bool(regex.is_match(s)))
}




/// Characters from a start index (inclusive) to an optional end index (exclusive).
fn slice_chars(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    let start = a.int(1)?;
    let end = a.opt_int(2)?.filter(|&e| e >= 0);
    let len = char_len(s) as i64;
    let out_of_range = |what: &str, v: i64| {
        a.error(format!(
            "{what} index {v} is out of range for a text of {len} characters"
        ))
    };
    if start < 0 || start > len {
        return Err((out_of_range("start", start)).into());
    }
    let end = end.unwrap_or(len);
    if end > len {
        return Err((out_of_range("end", end)).into());
    }
    if end < start {
        return Err((a.error(format!(
            "the end index {end} is before the start index {start}"
        ))).into());
    }
    let from = byte_at(s, start as usize).unwrap_or(s.len());
    let to = byte_at(s, end as usize).unwrap_or(s.len());
    Ok(text_value(&s[from..to]))
}

fn proper(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    let mut out = String::with_capacity(s.len());
    let mut word_start = true;
    for c in s.chars() {
        if c.is_whitespace() {
            out.push(c);
            word_start = true;
        } else if word_start {
            out.extend(c.to_uppercase());
            word_start = false;
        } else {
            out.extend(c.to_lowercase());
        }
    }
    Ok(text_value(out))
}

fn hex_to_text(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?.trim();
    let digits = s.strip_prefix("0x").unwrap_or(s);
    if digits.len() % 2 != 0 {
        return Err((a.error(format!(
            "\"{s}\" is not valid hexadecimal: odd number of digits"
        ))).into());
    }
    let bytes = (0..digits.len())
        .step_by(2)
        .map(|i| {
            digits
                .get(i..i + 2)
                .and_then(|pair| u8::from_str_radix(pair, 16).ok())
        })
        .collect::<Option<Vec<u8>>>()
        .ok_or_else(|| a.error(format!("\"{s}\" is not valid hexadecimal")))?;
    Ok(String::from_utf8(bytes)
        .map(text_value)
        .map_err(|_| a.error(format!("\"{s}\" does not decode to UTF-8 text")))?)
}

fn text_to_hex(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    use std::fmt::Write;
    let s = a.text(0)?;
    check_text_len(ctx, a.name(), s.len().saturating_mul(2))?;
    let mut out = String::with_capacity(s.len() * 2);
    for b in s.bytes() {
        let _ = write!(out, "{b:02x}");
    }
    Ok(text_value(out))
}

fn repeat(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let (s, n) = text_and_count(a)?;
    let bytes = s.len().saturating_mul(n);
    check_text_len(ctx, a.name(), bytes)?;
    Ok(text_value(s.repeat(n)))
}

fn remove(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let (s, t) = search_args(a)?;
    if t.is_empty() {
        return Ok(args[0].clone());
    }
    Ok(text_value(s.replace(t.as_ref(), "")))
}

fn remove_first_occurence(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let (s, t) = search_args(a)?;
    Ok(match s.find(t.as_ref()) {
        Some(i) if !t.is_empty() => text_value(format!("{}{}", &s[..i], &s[i + t.len()..])),
        _ => args[0].clone(),
    })
}

fn remove_last_occurence(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let (s, t) = search_args(a)?;
    Ok(match s.rfind(t.as_ref()) {
        Some(i) if !t.is_empty() => text_value(format!("{}{}", &s[..i], &s[i + t.len()..])),
        _ => args[0].clone(),
    })
}

/// Shared by the four replace functions.
fn replace_with(ctx: &NativeCtx<'_>, a: Args<'_>, ignore_case: bool, all: bool) -> NativeResult {
    let name = a.name();
    let s = a.text(0)?;
    let find = a.text_like(1)?;
    let replacement = a.text_like(2)?;
    let literal = a.bool_or(3, false)?;
    let mode = if ignore_case {
        Mode::RegexIgnoreCase
    } else {
        Mode::Regex
    };
    let (pattern, replacement) = if literal {
        let escaped = replacement.replace('\\', "\\\\").replace('$', "\\$");
        (regex::escape(&find), std::borrow::Cow::Owned(escaped))
    } else {
        (find.into_owned(), replacement)
    };
    let regex = pattern::compile(name, &pattern, mode)?;
    let replacement = Replacement::parse(name, &replacement, &regex)?;
    let max = ctx.env.limits.max_text_bytes;
    let result = pattern::replace(s, &regex, &replacement, all, max).map_err(|_| {
        format!("{name}: the result would be over the limit of {max} bytes of text")
    })?;
    Ok(text_value(result))
}

fn replace_all(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    replace_with(ctx, a, false, true)
}

fn replace_all_ignore_case(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    replace_with(ctx, a, true, true)
}

fn replace_first(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    replace_with(ctx, a, false, false)
}

fn replace_first_ignore_case(ctx: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    replace_with(ctx, a, true, false)
}

fn reverse(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let s = a.text(0)?;
    Ok(text_value(s.chars().rev().collect::<String>()))
}

#[cfg(test)]
mod tests;

#[cfg(test)]
mod properties;
