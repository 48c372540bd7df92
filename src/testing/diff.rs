//! A readable difference between two LISTs or KEY-VALUEs, for `assertEquals` failures: one
//! line per entry that differs, with its path (`["owner"]["name"]`, `[2]`).

use crate::eval::ops::equals;
use crate::eval::render::to_json;
use crate::eval::value::Value;

/// Lines shown at most; the rest are counted.
const MAX_LINES: usize = 20;

/// How nested containers are compared at most.
const MAX_DEPTH: usize = 32;

/// The differences between `expected` and `actual` when both are lists or both are maps;
/// empty otherwise.
pub fn diff(expected: &Value, actual: &Value) -> Vec<String> {
    let mut lines = Vec::new();
    diff_at("", expected, actual, &mut lines, 0);
    if lines.len() > MAX_LINES {
        let more = lines.len() - MAX_LINES;
        lines.truncate(MAX_LINES);
        lines.push(format!("... and {more} more differences"));
    }
    lines
}

/// The value as JSON, for messages (`"text"`, `12`, `{"a":1}`).
pub fn shown(value: &Value) -> String {
    let text = to_json(value);
    if text.chars().count() > 200 {
        let cut: String = text.chars().take(200).collect();
        format!("{cut}...")
    } else {
        text
    }
}

fn diff_at(path: &str, expected: &Value, actual: &Value, lines: &mut Vec<String>, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match (expected, actual) {
        (Value::List(e), Value::List(a)) => {
            let (e, a) = (e.0.borrow(), a.0.borrow());
            diff_lists(path, &e, &a, lines, depth);
        }
        (Value::Map(e), Value::Map(a)) => {
            let (e, a) = (e.0.borrow(), a.0.borrow());
            for (key, want) in e.iter() {
                let at = format!("{path}[{}]", to_json(key));
                match a.get(key) {
                    None => lines.push(format!("{at}: missing (expected {})", shown(want))),
                    Some(got) if !equals(want, got) => diff_at(&at, want, got, lines, depth + 1),
                    Some(_) => {}
                }
            }
            for (key, got) in a.iter() {
                if !e.contains_key(key) {
                    let at = format!("{path}[{}]", to_json(key));
                    lines.push(format!("{at}: not expected (actual {})", shown(got)));
                }
            }
        }
        _ if path.is_empty() => {}
        _ => lines.push(format!(
            "{path}: expected {}, actual {}",
            shown(expected),
            shown(actual)
        )),
    }
}

fn diff_lists(path: &str, e: &[Value], a: &[Value], lines: &mut Vec<String>, depth: usize) {
    for (index, (want, got)) in e.iter().zip(a.iter()).enumerate() {
        if !equals(want, got) {
            diff_at(&format!("{path}[{index}]"), want, got, lines, depth + 1);
        }
    }
    for (index, want) in e.iter().enumerate().skip(a.len()) {
        lines.push(format!(
            "{path}[{index}]: missing (expected {})",
            shown(want)
        ));
    }
    for (index, got) in a.iter().enumerate().skip(e.len()) {
        lines.push(format!(
            "{path}[{index}]: not expected (actual {})",
            shown(got)
        ));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn json(text: &str) -> Value {
        Value::from_json(&serde_json::from_str(text).unwrap())
    }

    #[test]
    fn maps_show_missing_extra_and_changed_keys_with_their_paths() {
        let expected = json(r#"{"name":"Ada","owner":{"id":1},"tags":["a","b"]}"#);
        let actual = json(r#"{"name":"Ada","owner":{"id":2},"tags":["a"],"extra":true}"#);
        assert_eq!(
            diff(&expected, &actual),
            [
                r#"["owner"]["id"]: expected 1, actual 2"#,
                r#"["tags"][1]: missing (expected "b")"#,
                r#"["extra"]: not expected (actual true)"#,
            ]
        );
    }

    #[test]
    fn scalars_have_no_diff() {
        assert!(diff(&Value::Number(1), &Value::Number(2)).is_empty());
    }
}
