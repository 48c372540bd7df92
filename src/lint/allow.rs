//! `// dlg-allow: NAME[, NAME...]` comments: silence the named lints on that line and the next.

use super::Lint;

/// What starts an allowance comment's list of names.
const MARK: &str = "dlg-allow:";

/// The lints silenced by the comments of one source.
pub struct Allowances<'s> {
    /// Byte offset where each line starts.
    line_starts: Vec<usize>,
    /// (line, lint name) pairs, lines 0-based, for the comment's own line.
    allowed: Vec<(usize, &'s str)>,
}

impl<'s> Allowances<'s> {
    /// Reads the allowances of `source`.
    pub fn of(source: &'s str) -> Self {
        if !source.contains(MARK) {
            return Allowances {
                line_starts: Vec::new(),
                allowed: Vec::new(),
            };
        }
        let mut line_starts = vec![0];
        line_starts.extend(source.match_indices('\n').map(|(i, _)| i + 1));
        let mut allowed = Vec::new();
        for (line, text) in source.lines().enumerate() {
            let Some(at) = text.find(MARK) else {
                continue;
            };
            let names = &text[at + MARK.len()..];
            for name in names.split([',', ' ', '\t']).filter(|n| !n.is_empty()) {
                allowed.push((line, name.trim_end_matches("*/")));
            }
        }
        Allowances {
            line_starts,
            allowed,
        }
    }

    /// Whether `lint` is silenced by a comment on its line or the line above.
    pub fn silences(&self, lint: &Lint) -> bool {
        if self.allowed.is_empty() {
            return false;
        }
        let line = self.line_starts.partition_point(|&s| s <= lint.span.start) - 1;
        self.allowed.iter().any(|&(at, name)| {
            (at == line || at + 1 == line) && (name == lint.name || name == "all")
        })
    }
}
