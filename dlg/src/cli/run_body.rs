//! `dlg run FILE --arg NAME=VALUE` on a bare function body: most production scripts are bodies
//! without a header whose parameters (`leadId`, `emailMap`) are implicit. Each `--arg` becomes a
//! variable set before the top-level statements run.

use std::sync::Arc;

use deluge_lang::api::engine::Engine;
use deluge_lang::eval::error::Error;
use deluge_lang::eval::ir::Source;
use deluge_lang::eval::value::Value;

/// Whether the main file has top-level statements (so `--arg` gives them variables).
pub fn has_top_level_statements(text: &str) -> bool {
    !deluge_lang::syntax::parse(text).program.body.is_empty()
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
        return Value::decimal(d);
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

#[cfg(test)]
mod tests {
    use super::*;
    use deluge_lang::eval::render::display;

    fn inferred(text: &str) -> String {
        let value = infer_value(text);
        format!("{} {}", value.value_type().name(), display(&value))
    }

    #[test]
    fn untyped_args_keep_numbers_booleans_and_json() {
        assert_eq!(
            inferred("4876876000001234567"),
            "NUMBER 4876876000001234567"
        );
        assert_eq!(inferred("2.50"), "DECIMAL 2.50");
        assert_eq!(inferred("true"), "BOOLEAN true");
        assert_eq!(inferred(r#"{"a": [1, 2]}"#), r#"KEY-VALUE {"a":[1,2]}"#);
        assert_eq!(inferred("[1, 2]"), "LIST 1,2");
        assert_eq!(inferred("{not json"), "TEXT {not json");
        assert_eq!(inferred(" Ann "), "TEXT  Ann ");
    }

    #[test]
    fn only_files_with_top_level_statements_take_variables() {
        assert!(has_top_level_statements("info leadId;"));
        assert!(!has_top_level_statements("void f(int a) { info a; }"));
    }

    #[test]
    fn args_become_top_level_variables() {
        let engine = Engine::new();
        let files = vec![("body.dg".to_owned(), "return n * 2;".to_owned())];
        assert!(run_with_variables(&engine, &files, vec![("n".into(), Value::Number(21))]).is_ok());
        let err = run_with_variables(&engine, &files, Vec::new()).unwrap_err();
        assert_eq!(err.message(), "Variable 'n' is not defined");
    }
}
