//! Running one call: find the function, then on a worker thread bind the arguments, run it
//! with a fresh `info` capture and turn the result or the error into an answer.

use std::sync::Arc;

use deluge_lang::eval::error::Error;
use deluge_lang::eval::value::Value;

use super::args::{self, Raw};
use super::catalog::{self, Catalog};
use super::engine;
use super::pool::PoolError;
use super::response::{Failure, Success};
use super::state::State;

/// Messages of the limits that answer 408 (time and statements; the engine's wording).
const LIMIT_MESSAGES: [&str; 2] = [
    "Maximum number of executable statements exceeded",
    "the script ran longer than its time limit",
];

/// The served function's full name for `name`, or 404.
pub fn resolve(catalog: &Catalog, name: &str) -> Result<(usize, String), Failure> {
    let function = catalog::find(&catalog.script, name)
        .ok_or_else(|| Failure::UnknownFunction(name.to_owned()))?;
    let index = catalog
        .script
        .functions
        .iter()
        .position(|f| std::ptr::eq(f, function))
        .ok_or(Failure::Internal)?;
    Ok((index, function.name.to_string()))
}

/// Runs function number `index` of `catalog` with the request's `pairs` on the pool.
pub async fn call(
    state: &Arc<State>,
    catalog: Arc<Catalog>,
    index: usize,
    pairs: Vec<(String, Raw)>,
) -> Result<Success, Failure> {
    let shared = Arc::clone(state);
    let outcome = state
        .pool
        .run(move || run(&shared, &catalog, index, pairs))
        .await;
    match outcome {
        Ok(result) => result,
        Err(PoolError::Full) => Err(Failure::Busy),
        Err(PoolError::Crashed) => Err(Failure::Internal),
    }
}

/// The call itself, on a worker thread (values live on this thread only).
fn run(
    state: &State,
    catalog: &Catalog,
    index: usize,
    pairs: Vec<(String, Raw)>,
) -> Result<Success, Failure> {
    let function = catalog
        .script
        .functions
        .get(index)
        .ok_or(Failure::Internal)?;
    let values = args::bind(function, pairs).map_err(|e| Failure::BadArguments(e.0))?;
    let (engine, capture) = engine::for_call(&state.engine);
    match engine.call_fn::<Value>(&catalog.script, &function.name, values) {
        Ok(value) => Ok(Success {
            output: value.to_string(),
            output_type: function.return_type.to_string(),
            info: capture.lines(),
        }),
        Err(error) => Err(failure_of(&error)),
    }
}

/// A script error as the answer gives it: its message and line, 408 for the time and statement
/// limits.
pub fn failure_of(error: &Error) -> Failure {
    let message = error.message().to_owned();
    let line = error.line();
    if LIMIT_MESSAGES.iter().any(|m| message.starts_with(m)) {
        Failure::Limit { message, line }
    } else {
        Failure::Script { message, line }
    }
}
