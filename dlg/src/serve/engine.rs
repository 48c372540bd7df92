//! The engine every call runs on: limits from the flags, the egress policy, and a fresh
//! `info` capture per call.

use deluge_lang::api::engine::Engine;
use deluge_lang::egress::EgressPolicy;
use deluge_lang::eval::limits::Limits;
use deluge_lang::eval::output::CaptureOutput;
use deluge_lang::zoho::ZohoHost;

use super::config::Config;

/// The shared engine of the server: the connection store `--store`/`DLG_STORE` (else the one
/// under `DLG_HOME`) chose, attached explicitly, the default transport, the Zoho tasks
/// (`zoho.crm.*`, ... over the store's connections), the call limits of `config`, and the
/// egress policy.
pub fn build(config: &Config) -> Engine {
    let mut engine = Engine::with_default_store().unwrap_or_else(|error| {
        log::debug!("no connection store: {error}");
        Engine::new()
    });
    engine.set_host(ZohoHost::default());
    let defaults = Limits::default();
    engine.set_limits(Limits {
        max_statements: config.max_statements,
        timeout: Some(config.timeout),
        http_timeout: defaults.http_timeout.min(config.timeout),
        ..defaults
    });
    apply_egress(&mut engine, config.allow_private);
    engine
}

/// The single place where `dlg serve` sets the engine's egress policy: loopback, private,
/// link-local (cloud metadata), CGNAT, multicast and unspecified addresses are denied to
/// `invokeurl`, `getUrl`/`postUrl` and the Zoho tasks unless `--allow-private` was given.
pub fn apply_egress(engine: &mut Engine, allow_private: bool) {
    if !allow_private {
        engine.set_egress(EgressPolicy::deny_private());
    }
}

/// A copy of `engine` whose `info` lines go to a fresh capture, returned with it.
pub fn for_call(engine: &Engine) -> (Engine, CaptureOutput) {
    let mut per_call = engine.clone();
    let capture = CaptureOutput::new();
    per_call.set_output(capture.clone());
    (per_call, capture)
}
