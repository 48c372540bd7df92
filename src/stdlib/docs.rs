//! Generates `docs/builtins.md` from the registry, so the reference can never drift from the
//! code. `tests/builtins_doc.rs` fails when the checked-in file differs from
//! [`render_markdown`]; regenerate it with `DLG_BLESS=1 cargo test --test builtins_doc`.

use std::fmt::Write;

use crate::eval::value::ValueType;

use super::all_builtins;
use super::registry::{Builtin, Receiver};

/// Receiver types in the order their sections appear.
const TYPE_ORDER: &[ValueType] = &[
    ValueType::Text,
    ValueType::Number,
    ValueType::Decimal,
    ValueType::Bool,
    ValueType::DateTime,
    ValueType::List,
    ValueType::Map,
    ValueType::Collection,
    ValueType::File,
    ValueType::Error,
    ValueType::Null,
];

/// One documented built-in: entries that differ only in their receiver type share a row.
struct Row {
    name: &'static str,
    receivers: Vec<Receiver>,
    params: &'static str,
    returns: &'static str,
    arity: (u8, u8),
    summary: &'static str,
}

impl Row {
    fn same_doc(&self, b: &Builtin) -> bool {
        self.name == b.name
            && self.params == b.params
            && self.returns == b.returns
            && self.summary == b.summary
            && self.arity == b.arity
            && !matches!(b.receiver, Receiver::Any | Receiver::None)
            && !self
                .receivers
                .iter()
                .any(|r| matches!(r, Receiver::Any | Receiver::None))
    }
}

fn rank(receiver: &Receiver) -> usize {
    match receiver {
        Receiver::None => 0,
        Receiver::Any => 1,
        Receiver::Type(t) => {
            2 + TYPE_ORDER
                .iter()
                .position(|o| o == t)
                .unwrap_or(TYPE_ORDER.len())
        }
    }
}

fn section_title(receivers: &[Receiver]) -> String {
    match receivers {
        [Receiver::None] => "Functions".to_owned(),
        [Receiver::Any] => "Methods on every type".to_owned(),
        types => {
            let names: Vec<&str> = types
                .iter()
                .filter_map(|r| match r {
                    Receiver::Type(t) => Some(t.name()),
                    _ => None,
                })
                .collect();
            let listed = match names.split_last() {
                Some((last, [])) => (*last).to_owned(),
                Some((last, rest)) => format!("{} and {last}", rest.join(", ")),
                None => String::new(),
            };
            format!("Methods on {listed}")
        }
    }
}

fn rows() -> Vec<Row> {
    let mut rows: Vec<Row> = Vec::new();
    for b in all_builtins() {
        if let Some(row) = rows.iter_mut().find(|r| r.same_doc(b)) {
            row.receivers.push(b.receiver);
            continue;
        }
        rows.push(Row {
            name: b.name,
            receivers: vec![b.receiver],
            params: b.params,
            returns: b.returns,
            arity: b.arity,
            summary: b.summary,
        });
    }
    for row in &mut rows {
        row.receivers.sort_by_key(rank);
    }
    rows
}

fn cell(text: &str) -> String {
    text.replace('|', "\\|")
}

fn signature(row: &Row) -> String {
    match row.receivers.first() {
        Some(Receiver::None) => format!("`{}{}`", row.name, row.params),
        _ => format!("`x.{}{}`", row.name, row.params),
    }
}

fn arity(row: &Row) -> String {
    match row.arity {
        (min, max) if min == max => min.to_string(),
        (min, 255) => format!("{min}+"),
        (min, max) => format!("{min}-{max}"),
    }
}

/// The Markdown reference of every registered built-in, grouped by receiver type and sorted
/// by name within each group.
pub fn render_markdown() -> String {
    let mut rows = rows();
    rows.sort_by(|a, b| {
        let ka: Vec<usize> = a.receivers.iter().map(rank).collect();
        let kb: Vec<usize> = b.receivers.iter().map(rank).collect();
        ka.cmp(&kb)
            .then_with(|| {
                a.name
                    .to_ascii_lowercase()
                    .cmp(&b.name.to_ascii_lowercase())
            })
            .then_with(|| a.params.cmp(b.params))
    });
    let total = all_builtins().count();
    let mut out = String::new();
    out.push_str("# Built-in functions\n\n");
    out.push_str(
        "<!-- Generated from the registry by `stdlib::docs::render_markdown()`. Do not edit:\n",
    );
    out.push_str("     run `DLG_BLESS=1 cargo test --test builtins_doc` to regenerate. -->\n\n");
    let _ = writeln!(
        out,
        "{total} registry entries. Names are case-insensitive. Every method `x.name(a, b)` can also \
         be called as `name(x, a, b)`. Indexes are 0-based; text searches are case-sensitive \
         unless the name ends in `IgnoreCase`. \"Args\" counts the arguments after the receiver.\n"
    );
    let mut sections: Vec<(String, Vec<&Row>)> = Vec::new();
    for row in &rows {
        let title = section_title(&row.receivers);
        match sections.last_mut() {
            Some((last, members)) if *last == title => members.push(row),
            _ => sections.push((title, vec![row])),
        }
    }
    for (i, (title, members)) in sections.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        let _ = writeln!(out, "## {title}\n");
        out.push_str("| Name | Signature | Args | Returns | Description |\n");
        out.push_str("|---|---|---|---|---|\n");
        for row in members {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                row.name,
                cell(&signature(row)),
                arity(row),
                cell(row.returns),
                cell(row.summary)
            );
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_name_appears() {
        let doc = render_markdown();
        for b in all_builtins() {
            assert!(
                doc.contains(&format!("| {} |", b.name)),
                "{} missing",
                b.name
            );
        }
    }

    #[test]
    fn number_and_decimal_entries_share_a_section() {
        let doc = render_markdown();
        assert!(doc.contains("## Methods on NUMBER and DECIMAL"));
        assert!(doc.contains("## Methods on TEXT"));
        assert!(doc.contains("## Functions"));
        assert!(doc.contains("| getPrefix | `x.getPrefix(search: TEXT)` | 1 | TEXT |"));
    }
}
