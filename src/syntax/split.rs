//! Reading a large clean script on several threads: its text lexed in two halves at once, then
//! its tokens cut where a top-level function definition starts, each part read by the
//! recursive-descent parser on its own thread.
//!
//! Lexing restarts cleanly at any line start that no token spans, and the only token that can
//! span a line break is a block comment (strings end with their line). So the second half,
//! from the first line start past the middle, lexes alone to the tokens a whole lex gives
//! there, unless the first half ends inside a block comment, which its lex shows as an
//! unclosed comment (a lexical error): then, as after any error there, the text is lexed again
//! whole.
//!
//! The top level of a program is a sequence of items (function definitions and statements), and
//! the descent parser reads each item from its first token on, knowing nothing of the items
//! before it. So where one item ends and the next begins, the tokens after the cut parse to
//! the same items alone as they do after the rest, and the parts' programs, joined in order,
//! are the whole one. A cut is made only before `<word> <word> (` or `<word> <word> .` (a
//! function definition's return type and name) right after a `}` outside any bracket: nothing
//! continues an item there (`else` and `catch` are not words). A cut in a source with a syntax
//! error makes some part fail, as the whole would, and the chumsky grammar reads the whole
//! source as before. `syntax::parser_disagreement` checks all of this, cutting at every such
//! place, for the tests and the fuzz target.

use chumsky::span::SimpleSpan;

use super::ast::Program;
use super::descent;
use super::lexer::{self, Lexed};
use super::token::Token;

/// The smallest text worth lexing in two halves at once: about 5,000 lines.
const MIN_TEXT_BYTES_FOR_TWO_LEXERS: usize = 128 * 1024;

/// The fewest tokens worth a thread: about 3,000 lines, some 3 ms of parsing, against the
/// 50 microseconds a thread takes to start.
const MIN_PART_TOKENS: usize = 20_000;

/// Stack for a parsing thread. The descent parser grows its stack where nesting recurses, so
/// this only has to match a main thread's.
const PARSER_STACK_BYTES: usize = 8 * 1024 * 1024;

/// The tokens of `src`, as [`lexer::lex`] gives them, lexed in two halves at once when there
/// are threads to spare and the text is large.
pub(super) fn lex_on_threads(src: &str, threads: usize) -> Lexed<'_> {
    if threads < 2 || src.len() < MIN_TEXT_BYTES_FOR_TWO_LEXERS {
        return lexer::lex(src);
    }
    match line_start_past_the_middle(src) {
        Some(cut) => lex_in_two(src, cut, true),
        None => lexer::lex(src),
    }
}

/// The first line start after the middle of `src`, if there is one.
fn line_start_past_the_middle(src: &str) -> Option<usize> {
    let middle = src.len() / 2;
    let newline = src.as_bytes()[middle..].iter().position(|&byte| byte == b'\n')?;
    Some(middle + newline + 1)
}

/// The tokens of `src` lexed in two halves cut at `cut` (a line start), the second on its own
/// thread when `threaded`; the whole text is lexed again if the first half ends in a lexical
/// error (a cut inside a comment shows as one). The first half is lexed with room for the
/// second's tokens, which are appended to it without a copy of the first's.
fn lex_in_two(src: &str, cut: usize, threaded: bool) -> Lexed<'_> {
    let second_half = || lexer::lex_range(src, cut..src.len(), src.len() - cut);
    let (first, second) = std::thread::scope(|scope| {
        let started = threaded.then(|| {
            std::thread::Builder::new()
                .name("dlg-lex".into())
                .spawn_scoped(scope, second_half)
        });
        let first = lexer::lex_range(src, 0..cut, src.len());
        let second = match started {
            Some(Ok(thread)) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Some(Err(_)) | None => second_half(),
        };
        (first, second)
    });
    let ((mut lexed, first_minus), (second, second_minus)) = (first, second);
    if lexed
        .tokens
        .last()
        .is_some_and(|(token, _)| lexer::lex_error(token).is_some())
    {
        return lexer::lex(src);
    }
    lexed.tokens.extend(second.tokens);
    lexed.line_break_before.extend(second.line_break_before);
    if first_minus || second_minus {
        lexer::resolve_minus_signs(src, &mut lexed);
    }
    lexed
}

/// Whether `src`, lexed in two halves cut at the first line start past its middle, gives
/// `whole`, its whole lex (for `syntax::parser_disagreement`).
pub(super) fn lexes_the_same_in_two(src: &str, whole: &Lexed<'_>) -> bool {
    let Some(cut) = line_start_past_the_middle(src) else {
        return true;
    };
    let halves = lex_in_two(src, cut, false);
    halves.tokens == whole.tokens && halves.line_break_before == whole.line_break_before
}

/// The program in `tokens`, read in up to `threads` parts at once, or `None` as
/// [`descent::parse`] gives it.
pub(super) fn parse_on_threads(
    tokens: &[(Token<'_>, SimpleSpan)],
    threads: usize,
) -> Option<Program> {
    let parts = parts(tokens, &cuts(tokens, threads, MIN_PART_TOKENS));
    let Some((first, rest)) = parts.split_first().filter(|(_, rest)| !rest.is_empty()) else {
        return descent::parse(tokens);
    };
    std::thread::scope(|scope| {
        let started: Vec<_> = rest
            .iter()
            .map(|&part| {
                let spawned = std::thread::Builder::new()
                    .name("dlg-parse".into())
                    .stack_size(PARSER_STACK_BYTES)
                    .spawn_scoped(scope, move || descent::parse(part));
                (part, spawned)
            })
            .collect();
        let first = descent::parse(first);
        let rest = started.into_iter().map(|(part, spawned)| match spawned {
            Ok(thread) => thread
                .join()
                .unwrap_or_else(|panic| std::panic::resume_unwind(panic)),
            Err(_) => descent::parse(part),
        });
        joined(std::iter::once(first).chain(rest))
    })
}

/// The program in `tokens` read part by part on this thread, cut at every place a part may
/// start (at most `parts` parts): what [`parse_on_threads`] must agree with.
pub(super) fn parse_in_parts(tokens: &[(Token<'_>, SimpleSpan)], parts: usize) -> Option<Program> {
    let cuts = cuts(tokens, parts, 1);
    joined(self::parts(tokens, &cuts).into_iter().map(descent::parse))
}

/// The programs of consecutive parts as one, or `None` if any part failed.
fn joined(mut programs: impl Iterator<Item = Option<Program>>) -> Option<Program> {
    let mut whole = programs.next().unwrap_or_else(|| Some(Program::default()))?;
    for program in programs {
        let program = program?;
        whole.functions.extend(program.functions);
        whole.body.extend(program.body);
    }
    Some(whole)
}

/// `tokens` cut at `cuts` (ascending token indices): one part more than there are cuts.
fn parts<'t, 's>(
    tokens: &'t [(Token<'s>, SimpleSpan)],
    cuts: &[usize],
) -> Vec<&'t [(Token<'s>, SimpleSpan)]> {
    let mut parts = Vec::with_capacity(cuts.len() + 1);
    let mut start = 0;
    for &cut in cuts {
        parts.push(&tokens[start..cut]);
        start = cut;
    }
    parts.push(&tokens[start..]);
    parts
}

/// Up to `parts - 1` places to cut `tokens`, spread evenly, each part at least `min_tokens`
/// long: token indices where a top-level function definition starts after a `}`.
fn cuts(tokens: &[(Token<'_>, SimpleSpan)], parts: usize, min_tokens: usize) -> Vec<usize> {
    let mut cuts = Vec::new();
    if parts < 2 || tokens.len() < 2 * min_tokens {
        return cuts;
    }
    let part_len = (tokens.len() / parts).max(min_tokens);
    let mut next_cut_from = part_len;
    let mut depth = 0isize;
    for (index, (token, _)) in tokens.iter().enumerate() {
        match token {
            Token::LParen | Token::LBracket | Token::LBrace => depth += 1,
            Token::RParen | Token::RBracket | Token::RBrace => depth -= 1,
            _ => {}
        }
        let cut = index + 1;
        if cut >= next_cut_from
            && depth == 0
            && matches!(token, Token::RBrace)
            && tokens.len() - cut >= min_tokens
            && starts_function_definition(&tokens[cut..])
        {
            cuts.push(cut);
            if cuts.len() + 1 == parts {
                break;
            }
            next_cut_from = cut + part_len;
        }
    }
    cuts
}

/// Whether `tokens` start like a function definition: a return type, then a name.
fn starts_function_definition(tokens: &[(Token<'_>, SimpleSpan)]) -> bool {
    matches!(
        tokens,
        [
            (Token::Word(_), _),
            (Token::Word(_), _),
            (Token::LParen | Token::Dot, _),
            ..
        ]
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::syntax::lexer::lex;

    /// Whether two lexes give the same tokens, spans and line breaks.
    fn same_lex(a: &Lexed<'_>, b: &Lexed<'_>) -> bool {
        a.tokens == b.tokens && a.line_break_before == b.line_break_before
    }

    #[test]
    fn lexing_in_two_at_any_line_start_gives_the_whole_lex() {
        let tricky = "a = 1;\n/* a comment\nover lines */ b = a\n--c;\nd = \"x\";\n\
                      e = -\n9223372036854775808;\n// line\nf = 'y' /*\n*/;\n\tg\n";
        let mut sources = vec![tricky.to_owned()];
        for dir in ["tests/corpus", "scripts"] {
            let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(dir);
            for entry in std::fs::read_dir(dir).expect("folder").flatten() {
                sources.push(std::fs::read_to_string(entry.path()).unwrap_or_default());
            }
        }
        for src in &sources {
            let whole = lex(src);
            let line_starts = src.match_indices('\n').map(|(at, _)| at + 1);
            for cut in line_starts {
                assert!(same_lex(&lex_in_two(src, cut, false), &whole), "cut at {cut} of {src}");
            }
        }
        let cut = tricky.find("over").unwrap();
        assert!(same_lex(&lex_in_two(tricky, cut, true), &lex(tricky)));
    }

    #[test]
    fn a_large_text_is_lexed_in_two_to_the_whole_lex() {
        let src = "x = \"a\" + 1; /* c */\n".repeat(10_000);
        assert!(src.len() >= MIN_TEXT_BYTES_FOR_TWO_LEXERS);
        assert!(same_lex(&lex_on_threads(&src, 2), &lex(&src)));
    }

    #[test]
    fn the_second_half_is_appended_to_the_first_without_growing_it() {
        let src = "value = \"text\"; // a comment\n".repeat(10_000);
        let lexed = lex_in_two(&src, line_start_past_the_middle(&src).unwrap(), true);
        assert_eq!(lexed.tokens.capacity(), src.len() / 4);
        assert_eq!(lexed.line_break_before.capacity(), src.len() / 4);
        assert!(same_lex(&lexed, &lex(&src)));
    }

    fn cuts_of(src: &str, parts: usize) -> Vec<String> {
        let lexed = lex(src);
        cuts(&lexed.tokens, parts, 1)
            .into_iter()
            .map(|cut| src[lexed.tokens[cut].1.start..].lines().next().unwrap().to_owned())
            .collect()
    }

    #[test]
    fn cuts_fall_only_before_a_top_level_function_definition_after_a_brace() {
        // Not before `string c.d()`: it follows a `;`, not a `}`.
        let src = "void a()\n{\n\tif (x) { y = 1; }\n\tinfo {\"k\": 1};\n}\n\
                   int b(int n)\n{\n\treturn n;\n}\n\
                   m = {\"a\": 1};\n\
                   string c.d()\n{\n\treturn \"\";\n}\n\
                   if (x)\n{\n}\nelse\n{\n}\n\
                   map e()\n{\n\treturn {};\n}\n";
        assert_eq!(
            cuts_of(src, 16),
            ["int b(int n)", "map e()"]
        );
    }

    #[test]
    fn no_cut_without_room_for_two_parts() {
        let src = "void a()\n{\n}\nvoid b()\n{\n}\n";
        assert_eq!(cuts_of(src, 1), Vec::<String>::new());
        assert_eq!(cuts(&lex(src).tokens, 2, 100), Vec::<usize>::new());
        assert_eq!(cuts_of(src, 2), ["void b()"]);
    }

    #[test]
    fn parts_read_on_threads_join_to_the_whole_program() {
        let function = "void f(int n)\n{\n\tif (n > 1)\n\t{\n\t\tinfo n;\n\t}\n}\n";
        let src = function.repeat(8_000);
        let tokens = lex(&src).tokens;
        assert_eq!(cuts(&tokens, 4, MIN_PART_TOKENS).len(), 3, "long enough for four parts");
        let whole = descent::parse(&tokens).expect("clean");
        assert!(parse_on_threads(&tokens, 4) == Some(whole));
    }

    #[test]
    fn a_syntax_error_in_any_part_fails_the_whole_read() {
        let function = "void f(int n)\n{\n\tinfo n;\n}\n";
        let src = format!("{}void g() {{ x = ; }}\n{}", function.repeat(3_000), function.repeat(3_000));
        let tokens = lex(&src).tokens;
        assert!(cuts(&tokens, 2, MIN_PART_TOKENS).len() == 1);
        assert!(descent::parse(&tokens).is_none());
        assert!(parse_on_threads(&tokens, 2).is_none());
        assert!(parse_in_parts(&tokens, 64).is_none());
    }
}
