//! The environment of one run: time zone, clock, limits and host-provided values.

use std::sync::Arc;

use super::limits::Limits;
use crate::http::authorizer::ConnectionAuthorizer;
use crate::http::transport::{ReqwestTransport, Transport};

/// A source of the current instant, injectable so tests can pin `now`.
pub trait Clock: Send + Sync {
    /// The current instant.
    fn now(&self) -> jiff::Timestamp;
}

/// The machine's clock.
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}

/// A clock stopped at one instant (tests, reproducible runs).
#[derive(Debug)]
pub struct FixedClock(pub jiff::Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> jiff::Timestamp {
        self.0
    }
}

/// Everything a run reads from outside the script.
#[derive(Clone)]
pub struct RunEnv {
    /// The application time zone: date literals, `now`, epoch conversions.
    pub time_zone: jiff::tz::TimeZone,
    /// Where `now` comes from.
    pub clock: Arc<dyn Clock>,
    /// Execution limits.
    pub limits: Limits,
    /// Host system variables (`zoho.loginuser`, `zoho.appname`, ...), by lower-case name
    /// without the `zoho.` prefix.
    pub system_vars: Arc<std::collections::HashMap<String, String>>,
    /// How `invokeurl`, `getUrl` and `postUrl` send requests. The default is one shared
    /// keep-alive reqwest client, created on the first request.
    pub transport: Arc<dyn Transport>,
    /// The connection store that signs `invokeurl ... connection: "name"` requests;
    /// `None` when the host offers no connections.
    pub connections: Option<Arc<dyn ConnectionAuthorizer>>,
}

impl Default for RunEnv {
    fn default() -> Self {
        RunEnv {
            time_zone: jiff::tz::TimeZone::system(),
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
            system_vars: Arc::default(),
            transport: Arc::new(ReqwestTransport::new()),
            connections: None,
        }
    }
}
