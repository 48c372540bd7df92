//! A readable difference between two LISTs or KEY-VALUEs, for `assertEquals` failures: one
//! line per entry that differs, with its path (`["owner"]["name"]`, `[2]`).

use crate::eval::ops::equals;
use crate::eval::render::to_json;
use crate::eval::value::Value;

/// Lines shown at most; the rest are counted.
const MAX_LINES: usize = 20;

/// How nested containers are compared at most.
const MAX_DEPTH: usize = 32;

/// What the two sides are called in the lines: `expected`/`actual` for assertions,
/// `recorded`/`sent` for cassette bodies.
#[derive(Clone, Copy, Debug)]
pub struct Sides {
    /// The reference side.
    pub wanted: &'static str,
    /// The side being checked.
    pub got: &'static str,
}

/// The words of assertion failures.
pub const ASSERTION_SIDES: Sides = Sides {
    wanted: "expected",
    got: "actual",
};

/// The differences between `expected` and `actual` when both are lists or both are maps;
/// empty otherwise.
pub fn diff(expected: &Value, actual: &Value) -> Vec<String> {
    diff_with(expected, actual, ASSERTION_SIDES)
}

/// [`diff`] with other names for the two sides.
pub fn diff_with(expected: &Value, actual: &Value, sides: Sides) -> Vec<String> {
    let mut lines = Vec::new();
    diff_at(
        &mut Walk {
            lines: &mut lines,
            sides,
        },
        "",
        expected,
        actual,
        0,
    );
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

/// Where the lines go and what the sides are called.
struct Walk<'a> {
    lines: &'a mut Vec<String>,
    sides: Sides,
}

impl Walk<'_> {
    fn missing(&mut self, at: &str, want: &Value) {
        let Sides { wanted, got } = self.sides;
        self.lines
            .push(format!("{at}: missing in {got} ({wanted} {})", shown(want)));
    }

    fn extra(&mut self, at: &str, value: &Value) {
        let Sides { wanted, got } = self.sides;
        self.lines
            .push(format!("{at}: not {wanted} ({got} {})", shown(value)));
    }

    fn changed(&mut self, at: &str, want: &Value, value: &Value) {
        let Sides { wanted, got } = self.sides;
        self.lines.push(format!(
            "{at}: {wanted} {}, {got} {}",
            shown(want),
            shown(value)
        ));
    }
}

fn diff_at(walk: &mut Walk<'_>, path: &str, expected: &Value, actual: &Value, depth: usize) {
    if depth > MAX_DEPTH {
        return;
    }
    match (expected, actual) {
        (Value::List(e), Value::List(a)) => {
            let (e, a) = (e.borrow(), a.borrow());
            diff_lists(walk, path, &e, &a, depth);
        }
        (Value::Map(e), Value::Map(a)) => {
            let (e, a) = (e.borrow(), a.borrow());
            for (key, want) in e.iter() {
                let at = format!("{path}[{}]", to_json(key));
                match a.get(key) {
                    None => walk.missing(&at, want),
                    Some(got) if !equals(want, got) => diff_at(walk, &at, want, got, depth + 1),
                    Some(_) => {}
                }
            }
            for (key, got) in a.iter() {
                if !e.contains_key(key) {
                    let at = format!("{path}[{}]", to_json(key));
                    walk.extra(&at, got);
                }
            }
        }
        _ if path.is_empty() => {}
        _ => walk.changed(path, expected, actual),
    }
}

fn diff_lists(walk: &mut Walk<'_>, path: &str, e: &[Value], a: &[Value], depth: usize) {
    for (index, (want, got)) in e.iter().zip(a.iter()).enumerate() {
        if !equals(want, got) {
            diff_at(walk, &format!("{path}[{index}]"), want, got, depth + 1);
        }
    }
    for (index, want) in e.iter().enumerate().skip(a.len()) {
        walk.missing(&format!("{path}[{index}]"), want);
    }
    for (index, got) in a.iter().enumerate().skip(e.len()) {
        walk.extra(&format!("{path}[{index}]"), got);
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
                r#"["tags"][1]: missing in actual (expected "b")"#,
                r#"["extra"]: not expected (actual true)"#,
            ]
        );
    }

    #[test]
    fn scalars_have_no_diff() {
        assert!(diff(&Value::Number(1), &Value::Number(2)).is_empty());
    }
}
