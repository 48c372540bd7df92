//! Parse, compile and run with every limit on: a statement budget, a wall-clock timeout, small
//! size limits and a shallow call depth. `invokeurl` gets no network: the engine has no HTTP
//! transport linked in, and `Limits::http_timeout` is tiny in case one appears.

use std::time::Duration;

use deluge_lang::eval::env::FixedClock;
use deluge_lang::{CaptureOutput, Engine, Limits};

/// The limits every fuzzed run has.
pub fn limits() -> Limits {
    Limits {
        max_statements: Some(20_000),
        max_call_depth: 64,
        timeout: Some(Duration::from_millis(500)),
        max_text_bytes: 64 * 1024,
        max_collection_len: 4_096,
        http_timeout: Duration::from_millis(1),
        http_max_response_bytes: 1024,
        ..Limits::default()
    }
}

/// An engine with [`limits`], in UTC with a fixed clock, `info` captured.
pub fn engine() -> (Engine, CaptureOutput) {
    let mut engine = Engine::new();
    engine.set_limits(limits());
    let env = engine.env_mut();
    env.time_zone = jiff::tz::TimeZone::UTC;
    env.clock = std::sync::Arc::new(FixedClock(jiff::Timestamp::UNIX_EPOCH));
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    (engine, output)
}

/// Compiles and runs `data` (when it is UTF-8).
pub fn check(data: &[u8]) {
    let Ok(src) = std::str::from_utf8(data) else {
        return;
    };
    let (engine, _output) = engine();
    if let Ok(script) = engine.compile(src) {
        let _ = engine.run_script(&script);
    }
}
