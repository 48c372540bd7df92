//! A submitted form's fields, read the way the pages need them: trimmed, empty as absent,
//! text areas as one value a line.

use deluge_lang::connections::ConnectionError;
use std::collections::HashMap;
use std::str::FromStr;

/// The fields of a submitted form (or query string).
pub type Fields = HashMap<String, String>;

/// The trimmed value of `name`, `None` when absent or empty.
pub fn text(fields: &Fields, name: &str) -> Option<String> {
    fields
        .get(name)
        .map(|value| value.trim().to_owned())
        .filter(|value| !value.is_empty())
}

/// The value of `name` as given, `""` when absent (for re-filling a form).
pub fn raw<'a>(fields: &'a Fields, name: &str) -> &'a str {
    fields.get(name).map_or("", String::as_str)
}

/// The non-empty lines (or, with `words`, whitespace-separated words) of `name`.
pub fn items(fields: &Fields, name: &str, words: bool) -> Vec<String> {
    let value = raw(fields, name);
    let parts: Vec<&str> = if words {
        value.split_whitespace().collect()
    } else {
        value.lines().collect()
    };
    parts
        .into_iter()
        .map(str::trim)
        .filter(|part| !part.is_empty())
        .map(str::to_owned)
        .collect()
}

/// The value of `name` parsed with the type's `FromStr`, `None` when empty.
pub fn parsed<T: FromStr<Err = ConnectionError>>(
    fields: &Fields,
    name: &str,
) -> Result<Option<T>, ConnectionError> {
    text(fields, name).map(|value| value.parse()).transpose()
}

/// Whether checkbox `name` is ticked.
pub fn ticked(fields: &Fields, name: &str) -> bool {
    fields.contains_key(name)
}
