//! Formatting requests: the plug-in point for `deluge_lang::fmt` (`dlg fmt`).

use lsp_types::{Position, Range, TextEdit};

use super::line_index::LineIndex;

/// Why a document could not be formatted (it has a syntax error), for the editor.
pub type FormatFailure = String;

/// The whole of `source` formatted by `dlg fmt`'s rules; a syntax error is the failure.
pub fn format_document(source: &str) -> Result<String, FormatFailure> {
    deluge_lang::fmt::format_source(source).map_err(|error| error.to_string())
}

/// `source` with the statements on lines `start_line..=end_line` (0-based) formatted, the
/// rest kept.
pub fn format_range(
    source: &str,
    start_line: usize,
    end_line: usize,
) -> Result<String, FormatFailure> {
    deluge_lang::fmt::format_range(source, start_line + 1, end_line + 1)
        .map_err(|error| error.to_string())
}

/// The smallest edit turning `old` into `new` (whole lines; none when they are equal).
pub fn edits(old: &str, new: &str) -> Vec<TextEdit> {
    if old == new {
        return Vec::new();
    }
    let old_lines: Vec<&str> = old.split_inclusive('\n').collect();
    let new_lines: Vec<&str> = new.split_inclusive('\n').collect();
    let prefix = old_lines
        .iter()
        .zip(&new_lines)
        .take_while(|(a, b)| a == b)
        .count();
    let suffix = old_lines[prefix..]
        .iter()
        .rev()
        .zip(new_lines[prefix..].iter().rev())
        .take_while(|(a, b)| a == b)
        .count();
    let start: usize = old_lines[..prefix].iter().map(|l| l.len()).sum();
    let end: usize = old.len()
        - old_lines[old_lines.len() - suffix..]
            .iter()
            .map(|l| l.len())
            .sum::<usize>();
    let replacement: String = new_lines[prefix..new_lines.len() - suffix].concat();
    let index = LineIndex::new(old);
    let range = Range::new(index.position(old, start), end_position(&index, old, end));
    vec![TextEdit::new(range, replacement)]
}

fn end_position(index: &LineIndex, text: &str, end: usize) -> Position {
    index.position(text, end)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_edit_covers_only_the_changed_lines() {
        let edits = edits("a;\nb  =1;\nc;\n", "a;\nb = 1;\nc;\n");
        assert_eq!(edits.len(), 1);
        assert_eq!(
            edits[0].range,
            Range::new(Position::new(1, 0), Position::new(2, 0))
        );
        assert_eq!(edits[0].new_text, "b = 1;\n");
        assert!(super::edits("x", "x").is_empty());
    }
}
