//! The comments of a source text: the lexer skips them, so they are found in the gaps between
//! tokens.

use deluge_lang::syntax::lexer::lex;

/// The comment kinds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum CommentKind {
    /// `// ...` to the end of the line.
    Line,
    /// `/* ... */`
    Block,
}

/// Every comment of `text` as `(start, end, kind)` byte ranges, in order.
pub fn comments(text: &str) -> Vec<(usize, usize, CommentKind)> {
    let lexed = lex(text);
    let mut out = Vec::new();
    let mut previous_end = 0;
    let ends = lexed
        .tokens
        .iter()
        .map(|(_, span)| (span.start, span.end))
        .chain(std::iter::once((text.len(), text.len())));
    for (start, end) in ends {
        if let Some(gap) = text.get(previous_end..start) {
            in_gap(gap, previous_end, &mut out);
        }
        previous_end = end;
    }
    out
}

fn in_gap(gap: &str, base: usize, out: &mut Vec<(usize, usize, CommentKind)>) {
    let mut at = 0;
    while let Some(found) = gap[at..].find('/') {
        let start = at + found;
        let rest = &gap[start..];
        let (len, kind) = if rest.starts_with("//") {
            (rest.find('\n').unwrap_or(rest.len()), CommentKind::Line)
        } else if rest.starts_with("/*") {
            (
                rest.find("*/").map_or(rest.len(), |e| e + 2),
                CommentKind::Block,
            )
        } else {
            at = start + 1;
            continue;
        };
        out.push((base + start, base + start + len, kind));
        at = start + len;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn line_and_block_comments_are_found_between_tokens() {
        let text = "a = 1; // one /* not */\n/* two\n */ b = \"//no\";";
        let found = comments(text);
        assert_eq!(found.len(), 2);
        assert_eq!(&text[found[0].0..found[0].1], "// one /* not */");
        assert_eq!(found[1].2, CommentKind::Block);
    }
}
