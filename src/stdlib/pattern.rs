//! Regular expressions for `matches`, `replaceAll` and `replaceFirst`: a small per-thread cache
//! of compiled patterns, and Java-style replacement strings (`$1`, `${name}`, `\$`).

use std::cell::RefCell;
use std::collections::HashMap;

use regex::{Captures, Regex, RegexBuilder};

/// Most compiled patterns kept per thread; the cache is emptied when it is full.
const CACHE_CAPACITY: usize = 64;

/// Largest compiled program accepted, so a hostile pattern cannot exhaust memory.
const MAX_COMPILED_SIZE: usize = 8 * 1024 * 1024;

/// How a pattern is matched.
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub enum Mode {
    /// As a regular expression.
    Regex,
    /// As a regular expression, ignoring case.
    RegexIgnoreCase,
    /// The whole text must match the regular expression.
    Whole,
}

thread_local! {
    static CACHE: RefCell<HashMap<(String, Mode), Regex>> = RefCell::new(HashMap::new());
}

/// The compiled form of `pattern`, from the cache when possible. `fn_name` names the built-in in
/// the error message.
pub fn compile(fn_name: &str, pattern: &str, mode: Mode) -> Result<Regex, String> {
    let key = (pattern.to_owned(), mode);
    if let Some(found) = CACHE.with(|c| c.borrow().get(&key).cloned()) {
        return Ok(found);
    }
    let translated = translate_java(pattern);
    let source = match mode {
        Mode::Whole => format!("^(?:{translated})$"),
        Mode::Regex | Mode::RegexIgnoreCase => translated,
    };
    let regex = RegexBuilder::new(&source)
        .case_insensitive(mode == Mode::RegexIgnoreCase)
        .size_limit(MAX_COMPILED_SIZE)
        .build()
        .map_err(|e| invalid_pattern(fn_name, pattern, &e))?;
    CACHE.with(|c| {
        let mut cache = c.borrow_mut();
        if cache.len() >= CACHE_CAPACITY {
            cache.clear();
        }
        cache.insert(key, regex.clone());
    });
    Ok(regex)
}

/// Java's POSIX character classes (`\p{Alpha}`) and the ASCII classes Rust's regex spells
/// `[[:alpha:]]`.
const JAVA_POSIX_CLASSES: &[(&str, &str)] = &[
    ("Lower", "lower"),
    ("Upper", "upper"),
    ("ASCII", "ascii"),
    ("Alpha", "alpha"),
    ("Digit", "digit"),
    ("Alnum", "alnum"),
    ("Punct", "punct"),
    ("Graph", "graph"),
    ("Print", "print"),
    ("Blank", "blank"),
    ("Cntrl", "cntrl"),
    ("XDigit", "xdigit"),
    ("Space", "space"),
];

/// Rewrites the Java-only parts of a pattern that have a Rust equivalent: `\p{Alpha}` and the
/// other POSIX classes become `[[:alpha:]]` (negated with `\P{...}`).
fn translate_java(pattern: &str) -> String {
    let mut out = String::with_capacity(pattern.len());
    let mut rest = pattern;
    while let Some(i) = rest.find('\\') {
        out.push_str(&rest[..i]);
        let tail = &rest[i..];
        if let Some((class, used)) = posix_class(tail) {
            out.push_str(&class);
            rest = &tail[used..];
        } else {
            let escaped_len = tail[1..].chars().next().map_or(0, char::len_utf8);
            out.push_str(&tail[..1 + escaped_len]);
            rest = &tail[1 + escaped_len..];
        }
    }
    out.push_str(rest);
    out
}

/// The Rust class for a Java `\p{Name}`/`\P{Name}` at the start of `tail`, and its length.
fn posix_class(tail: &str) -> Option<(String, usize)> {
    let negated = tail.starts_with("\\P{");
    if !negated && !tail.starts_with("\\p{") {
        return None;
    }
    let close = tail.find('}')?;
    let name = &tail[3..close];
    let (_, rust) = JAVA_POSIX_CLASSES.iter().find(|(java, _)| *java == name)?;
    let class = if negated {
        format!("[^[:{rust}:]]")
    } else {
        format!("[[:{rust}:]]")
    };
    Some((class, close + 1))
}

fn invalid_pattern(fn_name: &str, pattern: &str, error: &regex::Error) -> String {
    let detail = match error {
        regex::Error::Syntax(text) => text
            .lines()
            .last()
            .unwrap_or("syntax error")
            .trim_start_matches("error: ")
            .to_owned(),
        regex::Error::CompiledTooBig(_) => "the pattern is too large".to_owned(),
        _ => error.to_string(),
    };
    let hint = if pattern.contains("(?=")
        || pattern.contains("(?!")
        || pattern.contains("(?<=")
        || pattern.contains("(?<!")
    {
        " (look-around is not supported)"
    } else {
        ""
    };
    format!(
        "{fn_name}: \"{pattern}\" is not a valid regular expression: {detail}{hint}; \
         pass true as the last argument to replace the text literally"
    )
}

/// One piece of a parsed replacement string.
#[derive(Debug, PartialEq)]
enum Piece {
    Literal(String),
    Group(usize),
    Named(String),
}

/// A Java-style replacement: `$n` and `${name}` insert groups, `\x` inserts `x` literally.
#[derive(Debug)]
pub struct Replacement {
    pieces: Vec<Piece>,
}

impl Replacement {
    /// Parses `text` for use with `regex`; a reference to a group the pattern does not have is
    /// an error, as in Java.
    pub fn parse(fn_name: &str, text: &str, regex: &Regex) -> Result<Replacement, String> {
        let groups = regex.captures_len();
        let mut pieces = Vec::new();
        let mut literal = String::new();
        let mut chars = text.chars().peekable();
        while let Some(c) = chars.next() {
            match c {
                '\\' => match chars.next() {
                    Some(escaped) => literal.push(escaped),
                    None => {
                        return Err(format!(
                            "{fn_name}: the replacement ends with a lone backslash; write \\\\ for one backslash"
                        ))
                    }
                },
                '$' => {
                    flush(&mut pieces, &mut literal);
                    pieces.push(parse_group(fn_name, &mut chars, regex, groups)?);
                }
                other => literal.push(other),
            }
        }
        flush(&mut pieces, &mut literal);
        Ok(Replacement { pieces })
    }

    /// Appends the replacement for one match to `out`.
    pub fn expand(&self, caps: &Captures<'_>, out: &mut String) {
        for piece in &self.pieces {
            match piece {
                Piece::Literal(s) => out.push_str(s),
                Piece::Group(n) => out.push_str(caps.get(*n).map_or("", |m| m.as_str())),
                Piece::Named(name) => out.push_str(caps.name(name).map_or("", |m| m.as_str())),
            }
        }
    }
}

fn flush(pieces: &mut Vec<Piece>, literal: &mut String) {
    if !literal.is_empty() {
        pieces.push(Piece::Literal(std::mem::take(literal)));
    }
}

fn parse_group(
    fn_name: &str,
    chars: &mut std::iter::Peekable<std::str::Chars<'_>>,
    regex: &Regex,
    groups: usize,
) -> Result<Piece, String> {
    if chars.peek() == Some(&'{') {
        chars.next();
        let name: String = chars.by_ref().take_while(|&c| c != '}').collect();
        if regex.capture_names().flatten().any(|n| n == name) {
            return Ok(Piece::Named(name));
        }
        return Err(format!(
            "{fn_name}: the replacement refers to group ${{{name}}}, which the pattern does not define"
        ));
    }
    let Some(first) = chars.peek().and_then(|c| c.to_digit(10)) else {
        return Err(format!(
            "{fn_name}: a $ in the replacement must be followed by a group number; write \\$ for a dollar sign"
        ));
    };
    chars.next();
    let mut number = first as usize;
    if number >= groups {
        return Err(format!(
            "{fn_name}: the replacement refers to group ${number}, but the pattern has only {} group(s)",
            groups - 1
        ));
    }
    // Like Java, take further digits while the number stays a valid group.
    while let Some(d) = chars.peek().and_then(|c| c.to_digit(10)) {
        let longer = number * 10 + d as usize;
        if longer >= groups {
            break;
        }
        number = longer;
        chars.next();
    }
    Ok(Piece::Group(number))
}

/// Replaces the first match (`all == false`) or every match of `regex` in `text`. Stops with
/// `Err(bytes)` as soon as the result grows past `max_bytes`.
pub fn replace(
    text: &str,
    regex: &Regex,
    replacement: &Replacement,
    all: bool,
    max_bytes: usize,
) -> Result<String, usize> {
    let mut out = String::with_capacity(text.len().min(max_bytes));
    let mut last = 0;
    for caps in regex.captures_iter(text) {
        let whole = caps.get(0).expect("group 0 always matches");
        out.push_str(&text[last..whole.start()]);
        replacement.expand(&caps, &mut out);
        last = whole.end();
        if out.len() > max_bytes {
            return Err(out.len());
        }
        if !all {
            break;
        }
    }
    out.push_str(&text[last..]);
    if out.len() > max_bytes {
        return Err(out.len());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str, pattern: &str, repl: &str, all: bool) -> Result<String, String> {
        let regex = compile("replaceAll", pattern, Mode::Regex)?;
        let replacement = Replacement::parse("replaceAll", repl, &regex)?;
        Ok(replace(text, &regex, &replacement, all, usize::MAX).unwrap_or_default())
    }

    #[test]
    fn java_group_references() {
        assert_eq!(
            run("2020-12-09", r"(\d+)-(\d+)-(\d+)", "$3/$2/$1", true).unwrap(),
            "09/12/2020"
        );
        assert_eq!(run("ab", "(?<x>a)", "[${x}]", true).unwrap(), "[a]b");
        assert_eq!(run("a", "(a)", "$10", true).unwrap(), "a0");
        assert_eq!(run("a", "a", r"\$5", true).unwrap(), "$5");
    }

    #[test]
    fn growth_stops_at_the_limit() {
        let regex = compile("replaceAll", "", Mode::Regex).unwrap();
        let replacement = Replacement::parse("replaceAll", "xxxx", &regex).unwrap();
        assert!(replace("abcdef", &regex, &replacement, true, 10).is_err());
        assert!(replace("ab", &regex, &replacement, true, 100).is_ok());
    }

    #[test]
    fn first_only() {
        assert_eq!(run("aaa", "a", "b", false).unwrap(), "baa");
    }

    #[test]
    fn empty_pattern_matches_between_characters() {
        assert_eq!(run("abc", "", "-", true).unwrap(), "-a-b-c-");
    }

    #[test]
    fn bad_group_and_bad_pattern_messages() {
        assert_eq!(
            run("a", "a", "$2", true).unwrap_err(),
            "replaceAll: the replacement refers to group $2, but the pattern has only 0 group(s)"
        );
        assert_eq!(
            run("a", "a", "x$", true).unwrap_err(),
            "replaceAll: a $ in the replacement must be followed by a group number; write \\$ for a dollar sign"
        );
        let err = run("a", "(", "x", true).unwrap_err();
        assert!(
            err.starts_with("replaceAll: \"(\" is not a valid regular expression"),
            "{err}"
        );
        let err = run("a", "a(?=b)", "x", true).unwrap_err();
        assert!(err.contains("look-around is not supported"), "{err}");
    }

    #[test]
    fn java_posix_classes_are_translated() {
        assert_eq!(translate_java(r"\p{Alpha}+"), "[[:alpha:]]+");
        assert_eq!(translate_java(r"[\p{Punct}\s]"), "[[[:punct:]]\\s]");
        assert_eq!(translate_java(r"\P{Digit}"), "[^[:digit:]]");
        assert_eq!(translate_java(r"\\p{Alpha}"), r"\\p{Alpha}");
        assert_eq!(translate_java(r"\p{L}é"), r"\p{L}é");
        assert_eq!(run("a1,b2!", r"[\p{Punct}]", "", true).unwrap(), "a1b2");
        assert_eq!(run("a1b2", r"\P{Digit}", "", true).unwrap(), "12");
    }

    #[test]
    fn whole_mode_anchors() {
        let re = compile("matches", "a|ab", Mode::Whole).unwrap();
        assert!(re.is_match("ab"));
        assert!(!re.is_match("abc"));
    }
}
