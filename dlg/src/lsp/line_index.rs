//! Byte offsets <-> LSP positions (lines and UTF-16 columns).

use lsp_types::{Position, Range};

/// The start offset of every line of one text, for converting positions both ways.
#[derive(Clone, Debug, Default)]
pub struct LineIndex {
    starts: Vec<usize>,
}

impl LineIndex {
    /// Indexes the line starts of `text`.
    pub fn new(text: &str) -> LineIndex {
        let mut starts = vec![0];
        starts.extend(text.match_indices('\n').map(|(i, _)| i + 1));
        LineIndex { starts }
    }

    /// The LSP position of byte `offset` in `text` (clamped to the text, columns in UTF-16).
    pub fn position(&self, text: &str, offset: usize) -> Position {
        let offset = floor_char_boundary(text, offset.min(text.len()));
        let line = self.starts.partition_point(|&start| start <= offset) - 1;
        let start = self.starts[line];
        let column: usize = text[start..offset].chars().map(char::len_utf16).sum();
        Position::new(line as u32, column as u32)
    }

    /// The byte offset of `position` in `text`: past-the-end lines and columns are clamped.
    pub fn offset(&self, text: &str, position: Position) -> usize {
        let Some(&start) = self.starts.get(position.line as usize) else {
            return text.len();
        };
        let end = self
            .starts
            .get(position.line as usize + 1)
            .map_or(text.len(), |next| next - 1);
        let mut units = 0;
        for (i, c) in text[start..end].char_indices() {
            if units >= position.character as usize {
                return start + i;
            }
            units += c.len_utf16();
        }
        end
    }

    /// The LSP range of the byte range `start..end`.
    pub fn range(&self, text: &str, start: usize, end: usize) -> Range {
        Range::new(self.position(text, start), self.position(text, end))
    }

    /// How many lines the text has.
    pub fn line_count(&self) -> usize {
        self.starts.len()
    }
}

fn floor_char_boundary(text: &str, mut offset: usize) -> usize {
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    offset
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn positions_round_trip_through_utf16_columns() {
        let text = "a = \"é😀\";\nb = 1;";
        let index = LineIndex::new(text);
        let b = text.find('b').unwrap_or(0);
        assert_eq!(index.position(text, b), Position::new(1, 0));
        let semi = text.find(';').unwrap_or(0);
        assert_eq!(index.position(text, semi), Position::new(0, 9));
        assert_eq!(index.offset(text, Position::new(0, 9)), semi);
        assert_eq!(index.offset(text, Position::new(7, 0)), text.len());
    }
}
