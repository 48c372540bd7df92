//! Reading a Creator application export (`.ds`): the application's name, its forms with their
//! fields and types, its reports (which form each shows) and its functions' source.
//!
//! The reader is lenient: blocks it does not use (pages, workflows, layout, permissions) are
//! skipped by matching braces, so a full export loads.

use super::schema::{Field, FieldType};

/// What an export declares.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AppDef {
    /// The application's link name (its `application` name with spaces as `_`).
    pub name: String,
    /// Forms and their fields, in order.
    pub forms: Vec<(String, Vec<Field>)>,
    /// `(report, form)` pairs.
    pub reports: Vec<(String, String)>,
    /// The Deluge source of the app's functions (`functions { Deluge { ... } }`), if any.
    pub functions: Option<String>,
}

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Word(String),
    Str(String),
    Punct(char),
}

#[derive(Clone, Debug)]
struct Token {
    tok: Tok,
    start: usize,
    end: usize,
}

/// Reads an export; the error names the line.
///
/// ```
/// let app = deluge_lang::creator::ds::parse(
///     "application \"Order Desk\" { forms { form Orders { Qty ( type = number ) } } }",
/// ).unwrap();
/// assert_eq!(app.name, "Order_Desk");
/// assert_eq!(app.forms[0].1[0].name, "Qty");
/// ```
pub fn parse(text: &str) -> Result<AppDef, String> {
    let tokens = tokenize(text)?;
    let mut app = AppDef::default();
    let mut i = 0;
    while i < tokens.len() {
        match word(&tokens, i) {
            Some("application") => {
                app.name = match tokens.get(i + 1).map(|t| &t.tok) {
                    Some(Tok::Str(s) | Tok::Word(s)) => s.trim().replace(' ', "_"),
                    _ => return Err(at(text, &tokens[i], "`application` needs a name")),
                };
                i += 2;
            }
            Some("forms") if punct(&tokens, i + 1) == Some('{') => {
                let end = block_end(text, &tokens, i + 1)?;
                app.forms = forms(text, &tokens[i + 2..end])?;
                i = end + 1;
            }
            Some("reports") if punct(&tokens, i + 1) == Some('{') => {
                let end = block_end(text, &tokens, i + 1)?;
                app.reports = reports(text, &tokens[i + 2..end])?;
                i = end + 1;
            }
            Some("functions") if punct(&tokens, i + 1) == Some('{') => {
                let end = block_end(text, &tokens, i + 1)?;
                app.functions = functions(text, &tokens[i + 2..end])?;
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    if app.name.is_empty() {
        return Err(
            "not a Creator application export: no `application \"Name\" { ... }`".to_owned(),
        );
    }
    Ok(app)
}

fn forms(text: &str, tokens: &[Token]) -> Result<Vec<(String, Vec<Field>)>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if word(tokens, i) == Some("form") && punct(tokens, i + 2) == Some('{') {
            let name = word(tokens, i + 1).unwrap_or_default().to_owned();
            let end = block_end(text, tokens, i + 2)?;
            out.push((name, fields(text, &tokens[i + 3..end])?));
            i = end + 1;
        } else {
            i += 1;
        }
    }
    Ok(out)
}

/// The fields of a form body: `[must have] Name ( type = .. values = .. ... )`.
fn fields(text: &str, tokens: &[Token]) -> Result<Vec<Field>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        match (&tokens[i].tok, punct(tokens, i + 1)) {
            (Tok::Word(_), Some('=')) => i = skip_value(text, tokens, i + 2)?,
            (Tok::Word(_), Some('{')) => i = block_end(text, tokens, i + 1)? + 1,
            (Tok::Word(name), Some('(')) => {
                let end = block_end(text, tokens, i + 1)?;
                let attrs = attributes(&tokens[i + 2..end]);
                let required = i >= 2
                    && word(tokens, i - 2) == Some("must")
                    && word(tokens, i - 1) == Some("have");
                if let Some(kind) = field_type(&attrs) {
                    out.push(Field {
                        name: name.clone(),
                        kind,
                        required,
                    });
                }
                i = end + 1;
            }
            _ => i += 1,
        }
    }
    Ok(out)
}

/// `key = value` pairs inside a field's parentheses (values as written, dotted names joined).
fn attributes(tokens: &[Token]) -> Vec<(String, String)> {
    let mut out = Vec::new();
    let mut i = 0;
    while i + 2 < tokens.len() {
        if let (Some(key), Some('=')) = (word(tokens, i), punct(tokens, i + 1)) {
            let mut value = match &tokens[i + 2].tok {
                Tok::Word(w) | Tok::Str(w) => w.clone(),
                Tok::Punct(c) => c.to_string(),
            };
            let mut j = i + 3;
            while punct(tokens, j) == Some('.') {
                if let Some(next) = word(tokens, j + 1) {
                    value = format!("{value}.{next}");
                }
                j += 2;
            }
            out.push((key.to_ascii_lowercase(), value));
            i = j;
        } else {
            i += 1;
        }
    }
    out
}

/// The field type of a `.ds` field (`None` for layout-only fields such as sections and notes).
fn field_type(attrs: &[(String, String)]) -> Option<FieldType> {
    let get = |key: &str| {
        attrs
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str())
    };
    let kind = get("type").unwrap_or("text").to_ascii_lowercase();
    let related = get("values").filter(|v| !v.starts_with('{') && !v.starts_with('"'));
    Some(match kind.as_str() {
        "number" | "autonumber" => FieldType::Number,
        "decimal" | "currency" | "percentage" | "percent" => FieldType::Decimal,
        "date" => FieldType::Date,
        "datetime" => FieldType::DateTime,
        "checkbox" | "decisionbox" | "decision_box" => FieldType::Boolean,
        "checkboxes" | "multiselect" => FieldType::MultiSelect,
        "picklist" | "list" | "radiobuttons" | "lookup" => match related {
            Some(target) => {
                FieldType::Lookup(target.split('.').next().unwrap_or(target).to_owned())
            }
            None => FieldType::Text,
        },
        "grid" | "subform" => FieldType::Subform(related.unwrap_or_default().to_owned()),
        "name" | "address" => FieldType::Json,
        "section" | "plaintext" | "notes" | "add_notes" => return None,
        _ => FieldType::Text,
    })
}

fn reports(text: &str, tokens: &[Token]) -> Result<Vec<(String, String)>, String> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        if let (Some(_), Some(name), Some('{')) =
            (word(tokens, i), word(tokens, i + 1), punct(tokens, i + 2))
        {
            let end = block_end(text, tokens, i + 2)?;
            let body = &tokens[i + 3..end];
            let form = (0..body.len()).find_map(|j| {
                (word(body, j) == Some("from"))
                    .then(|| word(body, j + 1))
                    .flatten()
            });
            if let Some(form) = form {
                out.push((name.to_owned(), form.to_owned()));
            }
            i = end + 1;
        } else {
            i += 1;
        }
    }
    Ok(out)
}

/// The source between the braces of `Deluge { ... }` inside `functions { ... }`.
fn functions(text: &str, tokens: &[Token]) -> Result<Option<String>, String> {
    for i in 0..tokens.len() {
        if word(tokens, i).is_some_and(|w| w.eq_ignore_ascii_case("deluge"))
            && punct(tokens, i + 1) == Some('{')
        {
            let end = block_end(text, tokens, i + 1)?;
            let start = tokens[i + 1].end;
            return Ok(Some(text[start..tokens[end].start].to_owned()));
        }
    }
    Ok(None)
}

fn word(tokens: &[Token], i: usize) -> Option<&str> {
    match tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Word(w)) => Some(w),
        _ => None,
    }
}

fn punct(tokens: &[Token], i: usize) -> Option<char> {
    match tokens.get(i).map(|t| &t.tok) {
        Some(Tok::Punct(c)) => Some(*c),
        _ => None,
    }
}

/// Skips one value after `=`: a word or string (dotted names included) or a bracketed block.
fn skip_value(text: &str, tokens: &[Token], i: usize) -> Result<usize, String> {
    match punct(tokens, i) {
        Some('{' | '(' | '[') => Ok(block_end(text, tokens, i)? + 1),
        _ => {
            let mut j = i + 1;
            while punct(tokens, j) == Some('.') {
                j += 2;
            }
            Ok(j)
        }
    }
}

/// The index of the bracket closing the one at `open`.
fn block_end(text: &str, tokens: &[Token], open: usize) -> Result<usize, String> {
    let mut depth = 0usize;
    for (j, token) in tokens.iter().enumerate().skip(open) {
        match token.tok {
            Tok::Punct('{' | '(' | '[') => depth += 1,
            Tok::Punct('}' | ')' | ']') => {
                depth = depth.saturating_sub(1);
                if depth == 0 {
                    return Ok(j);
                }
            }
            _ => {}
        }
    }
    Err(at(text, &tokens[open], "this bracket is never closed"))
}

fn at(text: &str, token: &Token, message: &str) -> String {
    let line = text[..token.start].matches('\n').count() + 1;
    format!("line {line}: {message}")
}

fn tokenize(text: &str) -> Result<Vec<Token>, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        let c = bytes[i];
        if c.is_ascii_whitespace() {
            i += 1;
        } else if bytes[i..].starts_with(b"//") {
            i += bytes[i..]
                .iter()
                .position(|&b| b == b'\n')
                .unwrap_or(bytes.len() - i);
        } else if bytes[i..].starts_with(b"/*") {
            i += bytes[i..]
                .windows(2)
                .position(|w| w == b"*/")
                .map_or(bytes.len() - i, |p| p + 2);
        } else if c == b'"' || c == b'\'' {
            let start = i;
            i += 1;
            while i < bytes.len() && bytes[i] != c {
                i += if bytes[i] == b'\\' { 2 } else { 1 };
            }
            let end = (i + 1).min(bytes.len());
            let inner = text.get(start + 1..i.min(bytes.len())).unwrap_or_default();
            out.push(Token {
                tok: Tok::Str(inner.to_owned()),
                start,
                end,
            });
            i = end;
        } else if c.is_ascii_alphanumeric() || c == b'_' || c >= 0x80 {
            let start = i;
            while i < bytes.len()
                && (bytes[i].is_ascii_alphanumeric() || bytes[i] == b'_' || bytes[i] >= 0x80)
            {
                i += 1;
            }
            out.push(Token {
                tok: Tok::Word(text[start..i].to_owned()),
                start,
                end: i,
            });
        } else {
            out.push(Token {
                tok: Tok::Punct(c as char),
                start: i,
                end: i + 1,
            });
            i += 1;
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_unclosed_block_names_its_line() {
        let err = parse("application \"A\"\n{\n forms {\n form X {\n").unwrap_err();
        assert_eq!(err, "line 3: this bracket is never closed");
    }

    #[test]
    fn a_file_without_an_application_is_refused() {
        assert_eq!(
            parse("form X { }").unwrap_err(),
            "not a Creator application export: no `application \"Name\" { ... }`"
        );
    }
}
