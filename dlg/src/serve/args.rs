//! A call's arguments: query parameters, a JSON object body or a form body, by parameter name
//! (Zoho's `arguments` parameter holding a JSON object works too), converted to the declared
//! parameter types.

use deluge_lang::eval::ir::Function;
use deluge_lang::eval::value::Value;

/// The query parameter carrying the API key (never an argument).
pub const KEY_PARAM: &str = "zapikey";
/// Zoho's parameter naming the authentication kind (`auth_type=apikey`; never an argument).
pub const AUTH_TYPE_PARAM: &str = "auth_type";
/// Zoho's parameter holding every argument as one JSON object.
pub const ARGUMENTS_PARAM: &str = "arguments";

/// One argument as the request gave it.
#[derive(Clone, Debug, PartialEq)]
pub enum Raw {
    /// From the query string or a form: text, converted by the parameter's type.
    Text(String),
    /// From a JSON body: kept typed.
    Json(serde_json::Value),
}

/// A bad argument: the message for the 400 answer.
#[derive(Debug, PartialEq, Eq)]
pub struct ArgError(pub String);

/// The `name=value` pairs of a query string or form body.
pub fn form_pairs(text: &str) -> Vec<(String, Raw)> {
    url::form_urlencoded::parse(text.as_bytes())
        .map(|(k, v)| (k.into_owned(), Raw::Text(v.into_owned())))
        .collect()
}

/// The members of a JSON object body; anything else is an error.
pub fn json_pairs(body: &[u8]) -> Result<Vec<(String, Raw)>, ArgError> {
    let value: serde_json::Value = serde_json::from_slice(body)
        .map_err(|e| ArgError(format!("the body is not valid JSON: {e}")))?;
    match value {
        serde_json::Value::Object(members) => Ok(members
            .into_iter()
            .map(|(k, v)| (k, Raw::Json(v)))
            .collect()),
        other => Err(ArgError(format!(
            "the JSON body must be an object of arguments by name, not {}",
            json_kind(&other)
        ))),
    }
}

/// The values of `function`'s parameters from `pairs` (later pairs win); a missing argument is
/// `null`, as on Zoho; an unknown name or a value of the wrong type is an error.
pub fn bind(function: &Function, pairs: Vec<(String, Raw)>) -> Result<Vec<Value>, ArgError> {
    let pairs = expand_arguments(function, pairs)?;
    for (name, _) in &pairs {
        if !function
            .params
            .iter()
            .any(|(p, _)| p.eq_ignore_ascii_case(name))
        {
            return Err(ArgError(format!(
                "`{}` has no parameter `{name}` (parameters: {})",
                function.name,
                param_list(function)
            )));
        }
    }
    function
        .params
        .iter()
        .map(|(name, ty)| {
            match pairs
                .iter()
                .rev()
                .find(|(n, _)| n.eq_ignore_ascii_case(name))
            {
                Some((_, raw)) => convert(name, ty, raw),
                None => Ok(Value::Null),
            }
        })
        .collect()
}

/// Drops the key and `auth_type` parameters and spreads Zoho's `arguments` object (unless the function has a
/// parameter of that name).
fn expand_arguments(
    function: &Function,
    pairs: Vec<(String, Raw)>,
) -> Result<Vec<(String, Raw)>, ArgError> {
    let takes_arguments = function
        .params
        .iter()
        .any(|(p, _)| p.eq_ignore_ascii_case(ARGUMENTS_PARAM));
    let mut out = Vec::with_capacity(pairs.len());
    for (name, raw) in pairs {
        let is_access =
            name.eq_ignore_ascii_case(KEY_PARAM) || name.eq_ignore_ascii_case(AUTH_TYPE_PARAM);
        if is_access
            && !function
                .params
                .iter()
                .any(|(p, _)| p.eq_ignore_ascii_case(&name))
        {
            continue;
        }
        if takes_arguments || !name.eq_ignore_ascii_case(ARGUMENTS_PARAM) {
            out.push((name, raw));
            continue;
        }
        let object = match raw {
            Raw::Json(serde_json::Value::Object(members)) => members,
            Raw::Json(serde_json::Value::String(text)) | Raw::Text(text) => {
                match serde_json::from_str(&text) {
                    Ok(serde_json::Value::Object(members)) => members,
                    _ => return Err(not_an_object()),
                }
            }
            Raw::Json(_) => return Err(not_an_object()),
        };
        out.extend(object.into_iter().map(|(k, v)| (k, Raw::Json(v))));
    }
    Ok(out)
}

fn not_an_object() -> ArgError {
    ArgError(format!(
        "`{ARGUMENTS_PARAM}` must be a JSON object of arguments by name, e.g. {{\"name\":\"Ada\"}}"
    ))
}

fn param_list(function: &Function) -> String {
    if function.params.is_empty() {
        return "none".to_owned();
    }
    function
        .params
        .iter()
        .map(|(n, t)| format!("{t} {n}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// `raw` as a value of the declared type `ty` of parameter `name`.
fn convert(name: &str, ty: &str, raw: &Raw) -> Result<Value, ArgError> {
    match raw {
        Raw::Text(text) => convert_text(name, ty, text),
        Raw::Json(serde_json::Value::String(text)) => convert_text(name, ty, text),
        Raw::Json(serde_json::Value::Null) => Ok(Value::Null),
        Raw::Json(json) => convert_json(name, ty, json),
    }
}

fn convert_text(name: &str, ty: &str, text: &str) -> Result<Value, ArgError> {
    let bad = |what: &str| bad_value(name, ty, &format!("{text:?}"), what);
    match ty {
        "int" | "integer" | "number" | "bigint" | "long" => text
            .trim()
            .parse::<i64>()
            .map(Value::Number)
            .map_err(|_| bad("a whole number")),
        "decimal" | "float" | "double" => text
            .trim()
            .parse::<rust_decimal::Decimal>()
            .map(Value::decimal)
            .map_err(|_| bad("a number")),
        "bool" | "boolean" => match text.trim().to_ascii_lowercase().as_str() {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(bad("true or false")),
        },
        "map" | "list" | "collection" => serde_json::from_str::<serde_json::Value>(text)
            .map_err(|_| bad("valid JSON"))
            .and_then(|json| convert_json(name, ty, &json)),
        "date" | "datetime" | "date-time" | "timestamp" => {
            deluge_lang::eval::datetime_literal(text)
                .map(Value::date_time)
                .ok_or_else(|| bad("a date such as 15-Aug-1947 or 15-Aug-1947 19:00:00"))
        }
        _ => Ok(Value::text(text)),
    }
}

fn convert_json(name: &str, ty: &str, json: &serde_json::Value) -> Result<Value, ArgError> {
    use serde_json::Value as J;
    let bad = |what: &str| bad_value(name, ty, &json_kind(json), what);
    match (ty, json) {
        ("int" | "integer" | "number" | "bigint" | "long", J::Number(n)) => n
            .as_i64()
            .map(Value::Number)
            .ok_or_else(|| bad("a whole number")),
        ("decimal" | "float" | "double", J::Number(n)) => n
            .to_string()
            .parse::<rust_decimal::Decimal>()
            .map(Value::decimal)
            .map_err(|_| bad("a number")),
        ("bool" | "boolean", J::Bool(b)) => Ok(Value::Bool(*b)),
        ("map", J::Object(_)) | ("list", J::Array(_)) => Ok(Value::from_json(json)),
        ("collection", J::Object(_) | J::Array(_)) => Ok(Value::from_json(json)),
        ("string" | "text", _) => Ok(Value::text(json.to_string())),
        ("int" | "integer" | "number" | "bigint" | "long", _) => Err(bad("a whole number")),
        ("decimal" | "float" | "double", _) => Err(bad("a number")),
        ("bool" | "boolean", _) => Err(bad("true or false")),
        ("map", _) => Err(bad("a JSON object")),
        ("list", _) => Err(bad("a JSON array")),
        ("collection", _) => Err(bad("a JSON object or array")),
        ("date" | "datetime" | "date-time" | "timestamp", _) => {
            Err(bad("a date text such as \"15-Aug-1947\""))
        }
        _ => Ok(Value::from_json(json)),
    }
}

fn bad_value(name: &str, ty: &str, given: &str, what: &str) -> ArgError {
    ArgError(format!(
        "argument `{name}` is {ty}, and {given} is not {what}"
    ))
}

fn json_kind(json: &serde_json::Value) -> String {
    match json {
        serde_json::Value::Null => "null".to_owned(),
        serde_json::Value::Bool(b) => b.to_string(),
        serde_json::Value::Number(n) => n.to_string(),
        serde_json::Value::String(s) => format!("{s:?}"),
        serde_json::Value::Array(_) => "a JSON array".to_owned(),
        serde_json::Value::Object(_) => "a JSON object".to_owned(),
    }
}
