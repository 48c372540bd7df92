//! `dlg app load` and `dlg app show`: seeding a form from JSON or CSV, and printing forms and
//! records as a table or JSON.

use std::path::Path;

use super::host::CreatorHost;
use crate::eval::render::display;
use crate::eval::value::Value;

/// Adds the records of `path` (a JSON array of objects, or a CSV file with a header row) to
/// `form`; returns how many. Nothing is saved unless every record is.
pub fn load_file(host: &CreatorHost, form: &str, path: &Path) -> Result<usize, String> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    let is_csv = path
        .extension()
        .is_some_and(|ext| ext.eq_ignore_ascii_case("csv"));
    let records = if is_csv {
        csv_records(&text).map_err(|e| format!("{}: {e}", path.display()))?
    } else {
        json_records(&text).map_err(|e| format!("{}: {e}", path.display()))?
    };
    for (i, record) in records.iter().enumerate() {
        host.seed_fields(form, record)
            .map_err(|e| format!("{} record {}: {e}", path.display(), i + 1))?;
    }
    Ok(records.len())
}

/// A record's fields in order.
type Fields = Vec<(Box<str>, Value)>;

fn json_records(text: &str) -> Result<Vec<Fields>, String> {
    let items = match serde_json::from_str::<serde_json::Value>(text) {
        Ok(serde_json::Value::Array(items)) => items,
        Ok(object @ serde_json::Value::Object(_)) => vec![object],
        Ok(_) => return Err("expected a JSON array of records (objects)".to_owned()),
        Err(e) => return Err(format!("not valid JSON: {e}")),
    };
    items
        .into_iter()
        .enumerate()
        .map(|(i, item)| match item {
            serde_json::Value::Object(fields) => Ok(fields
                .iter()
                .map(|(k, v)| {
                    (
                        k.as_str().into(),
                        super::values::seed_value(Value::from_json(v)),
                    )
                })
                .collect()),
            _ => Err(format!("record {} is not a JSON object", i + 1)),
        })
        .collect()
}

/// CSV with a header row; cells that read as numbers, decimals or booleans become those.
fn csv_records(text: &str) -> Result<Vec<Fields>, String> {
    let mut rows = csv_rows(text).into_iter();
    let header = rows
        .next()
        .ok_or("the CSV file is empty (it needs a header row)")?;
    let mut out = Vec::new();
    for (n, row) in rows.enumerate() {
        if row.len() == 1 && row[0].is_empty() {
            continue;
        }
        if row.len() != header.len() {
            return Err(format!(
                "CSV line {}: {} cells, but the header has {}",
                n + 2,
                row.len(),
                header.len()
            ));
        }
        let record = header
            .iter()
            .zip(row)
            .map(|(name, cell)| (name.trim().into(), cell_value(&cell)))
            .collect();
        out.push(record);
    }
    Ok(out)
}

/// A whole number, a decimal (scale kept), `true`/`false`, empty (null), else the text.
fn cell_value(cell: &str) -> Value {
    let trimmed = cell.trim();
    if trimmed.is_empty() {
        return Value::Null;
    }
    if let Ok(n) = trimmed.parse::<i64>() {
        return Value::Number(n);
    }
    if let Ok(d) = trimmed.parse::<rust_decimal::Decimal>() {
        return Value::decimal(d);
    }
    match trimmed {
        "true" => Value::Bool(true),
        "false" => Value::Bool(false),
        _ => super::values::seed_value(Value::text(cell)),
    }
}

/// Splits CSV text into rows of cells (RFC 4180 quoting).
fn csv_rows(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut cell = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (c, quoted) {
            ('"', true) if chars.peek() == Some(&'"') => {
                cell.push('"');
                chars.next();
            }
            ('"', _) => quoted = !quoted,
            (',', false) => row.push(std::mem::take(&mut cell)),
            ('\n', false) => {
                row.push(std::mem::take(&mut cell).trim_end_matches('\r').to_owned());
                rows.push(std::mem::take(&mut row));
            }
            (c, _) => cell.push(c),
        }
    }
    if !cell.is_empty() || !row.is_empty() {
        row.push(cell);
        rows.push(row);
    }
    rows
}

/// The forms with their fields and record counts (`form` = None), or one form's records.
pub fn show(host: &CreatorHost, form: Option<&str>, json: bool) -> Result<String, String> {
    match form {
        Some(form) => show_records(host, form, json),
        None => show_forms(host, json),
    }
}

fn show_forms(host: &CreatorHost, json: bool) -> Result<String, String> {
    let store = host.store()?;
    let mut rows = Vec::new();
    let mut out = Vec::new();
    for name in store.form_names() {
        let Some(form) = store.form(&name) else {
            continue;
        };
        let fields: Vec<String> = form
            .fields
            .iter()
            .map(|f| format!("{} ({})", f.name, f.kind.name()))
            .collect();
        out.push(serde_json::json!({
            "form": name,
            "fields": form.fields.iter().map(|f| serde_json::json!({"name": f.name, "type": f.kind.name()})).collect::<Vec<_>>(),
        }));
        rows.push(vec![name.clone(), fields.join(", ")]);
    }
    if json {
        return Ok(format!("{}\n", serde_json::Value::Array(out)));
    }
    Ok(table(&["form".to_owned(), "fields".to_owned()], &rows))
}

fn show_records(host: &CreatorHost, form: &str, json: bool) -> Result<String, String> {
    let records = host.records(form)?;
    if json {
        let items: Vec<serde_json::Value> = records
            .into_iter()
            .map(|record| {
                serde_json::Value::Object(
                    record.into_iter().map(|(k, v)| (k, v.to_json())).collect(),
                )
            })
            .collect();
        return Ok(format!("{}\n", serde_json::Value::Array(items)));
    }
    let header: Vec<String> = match records.first() {
        Some(first) => first.iter().map(|(k, _)| k.clone()).collect(),
        None => return Ok(format!("form `{form}` has no records\n")),
    };
    let rows: Vec<Vec<String>> = records
        .into_iter()
        .map(|record| {
            record
                .into_iter()
                .map(|(_, v)| {
                    if v.is_null() {
                        String::new()
                    } else {
                        display(&v)
                    }
                })
                .collect()
        })
        .collect();
    Ok(table(&header, &rows))
}

/// A plain text table with padded columns.
fn table(header: &[String], rows: &[Vec<String>]) -> String {
    let mut widths: Vec<usize> = header.iter().map(|h| h.chars().count()).collect();
    for row in rows {
        for (i, cell) in row.iter().enumerate() {
            if let Some(w) = widths.get_mut(i) {
                *w = (*w).max(cell.chars().count());
            }
        }
    }
    let line = |cells: &[String]| {
        let padded: Vec<String> = cells
            .iter()
            .zip(&widths)
            .map(|(c, w)| format!("{c:<w$}"))
            .collect();
        format!("{}\n", padded.join(" | ").trim_end())
    };
    let mut out = line(header);
    out.push_str(&format!(
        "{}\n",
        widths
            .iter()
            .map(|w| "-".repeat(*w))
            .collect::<Vec<_>>()
            .join("-+-")
    ));
    for row in rows {
        out.push_str(&line(row));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_cells_keep_quotes_commas_and_types() {
        let records =
            csv_records("Name,Qty,Price,Paid\n\"Pens, blue\",3,2.50,true\nInk,,1,false\n").unwrap();
        let shown: Vec<String> = records
            .iter()
            .map(|r| {
                r.iter()
                    .map(|(k, v)| format!("{k}={} {}", v.value_type().name(), display(v)))
                    .collect::<Vec<_>>()
                    .join("; ")
            })
            .collect();
        assert_eq!(
            shown,
            [
                "Name=TEXT Pens, blue; Qty=NUMBER 3; Price=DECIMAL 2.50; Paid=BOOLEAN true",
                "Name=TEXT Ink; Qty=NULL null; Price=NUMBER 1; Paid=BOOLEAN false",
            ]
        );
    }

    #[test]
    fn a_short_csv_row_names_its_line() {
        assert_eq!(
            csv_records("a,b\n1\n").unwrap_err(),
            "CSV line 2: 1 cells, but the header has 2"
        );
    }
}
