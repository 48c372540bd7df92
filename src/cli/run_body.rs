//! `dlg run FILE --arg NAME=VALUE` on a bare function body: most production scripts are bodies
//! without a header whose parameters (`leadId`, `emailMap`) are implicit. Each `--arg` becomes a
//! variable set before the top-level statements run.

use std::sync::Arc;

use crate::eval::engine::Engine;
use crate::eval::error::Error;
use crate::eval::ir::Source;
use crate::eval::value::Value;

/// Whether the main file has top-level statements (so `--arg` gives them variables).
pub fn has_top_level_statements(text: &str) -> bool {
    !crate::syntax::parse(text).program.body.is_empty()
}

/// Compiles `files` (main first) with the `--arg` names as variables of the top level and runs
/// it with their values.
pub fn run_with_variables(
    engine: &Engine,
    files: &[(String, String)],
    variables: Vec<(String, Value)>,
) -> Result<(), Error> {
    let sources: Vec<Source> = files
        .iter()
        .map(|(name, text)| Source {
            name: Arc::from(name.as_str()),
            text: Arc::from(text.as_str()),
        })
        .collect();
    let names: Vec<&str> = variables.iter().map(|(n, _)| n.as_str()).collect();
    let script = engine.compile_sources(sources, &names, |_| ())?;
    let frame = variables.into_iter().map(|(_, v)| v).collect();
    engine.run_with_frame(&script, frame).map(|_| ())
}

/// The value of an untyped `--arg`: a whole number, a decimal, `true`/`false`, a JSON object
/// or array, else the text as given.
pub fn infer_value(text: &str) -> Value {
    let trimmed = text.trim();
    if let Ok(n) = trimmed.parse::<i64>() {
        return Value::Number(n);
    }
    if let Ok(d) = trimmed.parse::<rust_decimal::Decimal>() {
        return Value::Decimal(d);
    }
    match trimmed {
        "true" => return Value::Bool(true),
        "false" => return Value::Bool(false),
        _ => {}
    }
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if let Ok(json) = serde_json::from_str::<serde_json::Value>(trimmed) {
            return Value::from_json(&json);
        }
    }
    Value::text(text)
}
