//! Telling a file that is not Deluge at all (client-side JavaScript kept beside the functions,
//! an HTML page, a binary) from a Deluge file with mistakes, so `dlg check` reports the first as
//! one line instead of dozens of syntax errors.
//!
//! The heuristic, used only on a file that does not parse:
//! - bytes that are not UTF-8 text, or a NUL byte: binary;
//! - a first non-blank character `<`: markup (HTML, XML);
//! - at least two different JavaScript signs, outside `//` comment lines: a line that starts
//!   with `import `, `export `, `const `, `let `, `var `, `function `, `class `, `async `,
//!   `module.exports` or `require(`; or anywhere `===`, `!==`, `=>`, a backtick, `console.`,
//!   `document.`, `window.`. Deluge has none of these, and a Deluge file with one typo shows at
//!   most one of them.

/// The JavaScript signs that start a line.
const LINE_STARTS: [&str; 10] = [
    "import ",
    "export ",
    "const ",
    "let ",
    "var ",
    "function ",
    "class ",
    "async ",
    "module.exports",
    "require(",
];

/// The JavaScript signs found anywhere in a line.
const ANYWHERE: [&str; 7] = ["===", "!==", "=>", "`", "console.", "document.", "window."];

/// How many different signs make a file JavaScript.
const SIGNS_NEEDED: usize = 2;

/// Why `bytes` (a file that failed to parse) is not Deluge, or `None` when it may well be
/// Deluge with mistakes.
pub fn not_deluge(bytes: &[u8]) -> Option<String> {
    let Ok(text) = std::str::from_utf8(bytes) else {
        return Some("not text (not valid UTF-8)".to_owned());
    };
    if text.contains('\0') {
        return Some("not text (binary data)".to_owned());
    }
    if text
        .trim_start_matches('\u{feff}')
        .trim_start()
        .starts_with('<')
    {
        return Some("looks like markup (HTML or XML), not Deluge".to_owned());
    }
    let signs = javascript_signs(text);
    (signs.len() >= SIGNS_NEEDED).then(|| {
        let shown: Vec<String> = signs
            .iter()
            .take(3)
            .map(|(sign, line)| format!("`{}` on line {line}", sign.trim_end()))
            .collect();
        format!("looks like JavaScript ({}), not Deluge", shown.join(", "))
    })
}

/// The different JavaScript signs in `text`, each with the first line it is on.
fn javascript_signs(text: &str) -> Vec<(&'static str, usize)> {
    let mut found: Vec<(&'static str, usize)> = Vec::new();
    let mut note = |sign: &'static str, line: usize| {
        if !found.iter().any(|(s, _)| *s == sign) {
            found.push((sign, line));
        }
    };
    for (index, line) in text.lines().enumerate() {
        let trimmed = line.trim_start();
        if trimmed.starts_with("//") {
            continue;
        }
        if let Some(sign) = LINE_STARTS.iter().find(|s| trimmed.starts_with(**s)) {
            note(sign, index + 1);
        }
        for sign in ANYWHERE.iter().filter(|s| trimmed.contains(**s)) {
            note(sign, index + 1);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn javascript_markup_and_binary_are_recognised() {
        let js = "import { x } from './x';\nconst f = (a) => a + 1;\nconsole.log(f(1));\n";
        assert_eq!(
            not_deluge(js.as_bytes()).unwrap(),
            "looks like JavaScript (`import` on line 1, `const` on line 2, `=>` on line 2), not Deluge"
        );
        assert_eq!(
            not_deluge(b"<!DOCTYPE html>\n<html></html>").unwrap(),
            "looks like markup (HTML or XML), not Deluge"
        );
        assert_eq!(
            not_deluge(&[0xff, 0xfe, 0x00]).unwrap(),
            "not text (not valid UTF-8)"
        );
    }

    #[test]
    fn deluge_with_mistakes_is_still_deluge() {
        assert_eq!(not_deluge(b"x = 1\ninfo x;\nif (x == 1 { }"), None);
        assert_eq!(not_deluge(b"let = 5;\ny = ;"), None);
        assert_eq!(not_deluge(b"// const a => b\nx = ;"), None);
    }
}
