//! Output helpers shared by `dlg service` and `dlg connection`.

use deluge_lang::connections::ConnectionError;
use std::io::{self, Write};

/// Exit code: done.
const EXIT_OK: i32 = 0;
/// Exit code: the store or a file could not be used, or the operation failed.
const EXIT_FAILURE: i32 = 1;
/// Exit code: invalid names, flags or values.
const EXIT_USAGE: i32 = 2;

/// Prints a command's output to standard output, or its error to standard error, and gives the
/// process exit code: 0, 1 (failure) or 2 (invalid input). A closed standard output
/// (`dlg ... | head`) is not an error.
pub fn finish(result: Result<String, ConnectionError>) -> i32 {
    match result {
        Ok(text) => {
            let mut stdout = io::stdout().lock();
            match stdout
                .write_all(text.as_bytes())
                .and_then(|()| stdout.flush())
            {
                Ok(()) => EXIT_OK,
                Err(error) if error.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
                Err(error) => {
                    eprintln!("error: cannot write to standard output: {error}");
                    EXIT_FAILURE
                }
            }
        }
        Err(error) => {
            eprintln!("error: {error}");
            match error {
                ConnectionError::InvalidName { .. } | ConnectionError::InvalidInput(_) => {
                    EXIT_USAGE
                }
                _ => EXIT_FAILURE,
            }
        }
    }
}

/// Pretty JSON followed by a newline.
pub fn json_text(value: &serde_json::Value) -> String {
    let mut text = serde_json::to_string_pretty(value).unwrap_or_else(|_| "null".into());
    text.push('\n');
    text
}

/// Left-aligned columns separated by two spaces; the first row is the header.
pub fn table(rows: &[Vec<String>]) -> String {
    let columns = rows.first().map_or(0, Vec::len);
    let widths: Vec<usize> = (0..columns)
        .map(|column| {
            rows.iter()
                .map(|row| row.get(column).map_or(0, |cell| cell.chars().count()))
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut text = String::new();
    for row in rows {
        let mut line = String::new();
        for (column, cell) in row.iter().enumerate() {
            if column + 1 == row.len() {
                line.push_str(cell);
            } else {
                let pad = widths[column] - cell.chars().count();
                line.push_str(cell);
                line.push_str(&" ".repeat(pad + 2));
            }
        }
        text.push_str(line.trim_end());
        text.push('\n');
    }
    text
}

/// `a, b, c`, or `none`.
pub fn list_or_none(items: &[String]) -> String {
    if items.is_empty() {
        "none".into()
    } else {
        items.join(", ")
    }
}
