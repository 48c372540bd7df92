//! Recording: a [`Transport`] that passes every exchange to the real one and keeps a copy,
//! and a [`ConnectionAuthorizer`] that notes what a connection adds to a request, so that
//! those values are scrubbed wherever they appear, and how the Zoho tasks' connections are
//! described (service and API hosts, no secret), so they replay without a connection store.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::connections::{ConnectionAuthorizer, ConnectionError, ConnectionInfo};
use crate::http::{HttpError, HttpRequest, HttpResponse, SendOptions, Transport};
use crate::testing::cassette::{Exchange, RecordedConnection, RecordedRequest, RecordedResponse};
use crate::testing::scrub::{scrub_exchange, Secrets};

/// The exchanges of one recording and the secrets seen while making them.
#[derive(Default)]
pub struct Recorder {
    exchanges: Mutex<Vec<Exchange>>,
    secrets: Mutex<Secrets>,
    connections: Mutex<BTreeMap<String, RecordedConnection>>,
}

impl Recorder {
    /// An empty recording.
    pub fn new() -> Arc<Recorder> {
        Arc::default()
    }

    /// The exchanges so far, scrubbed of every secret seen.
    pub fn scrubbed(&self) -> Vec<Exchange> {
        let secrets = self.secrets.lock().map(|s| s.clone()).unwrap_or_default();
        let mut exchanges = self.exchanges.lock().map(|e| e.clone()).unwrap_or_default();
        for exchange in &mut exchanges {
            scrub_exchange(exchange, &secrets);
        }
        exchanges
    }

    /// The connections described so far (for the Zoho tasks), scrubbed of every secret seen.
    pub fn connections(&self) -> BTreeMap<String, RecordedConnection> {
        let secrets = self.secrets.lock().map(|s| s.clone()).unwrap_or_default();
        let mut connections = self
            .connections
            .lock()
            .map(|c| c.clone())
            .unwrap_or_default();
        for connection in connections.values_mut() {
            for url in [&mut connection.api_domain, &mut connection.api_base]
                .into_iter()
                .flatten()
            {
                *url = secrets.scrub_text(url);
            }
        }
        connections
    }

    fn note_connection(&self, info: &ConnectionInfo) {
        if let Ok(mut connections) = self.connections.lock() {
            connections.insert(info.link_name.clone(), RecordedConnection::from_info(info));
        }
    }

    /// Keeps `exchange`, scrubbed already of the secrets known now (the connection signed the
    /// request before it was sent), so no clear secret is held; [`Recorder::scrubbed`] scrubs
    /// again with every secret seen.
    fn push(&self, mut exchange: Exchange) {
        let secrets = self.secrets.lock().map(|s| s.clone()).unwrap_or_default();
        scrub_exchange(&mut exchange, &secrets);
        if let Ok(mut exchanges) = self.exchanges.lock() {
            exchanges.push(exchange);
        }
    }

    fn add_secret(&self, value: &str) {
        if let Ok(mut secrets) = self.secrets.lock() {
            secrets.add(value);
        }
    }
}

/// Sends through `inner` and records each exchange.
pub struct RecordingTransport {
    /// The transport that really sends.
    pub inner: Arc<dyn Transport>,
    /// Where the exchanges go.
    pub recorder: Arc<Recorder>,
}

impl Transport for RecordingTransport {
    fn send(&self, request: HttpRequest, options: &SendOptions) -> Result<HttpResponse, HttpError> {
        let recorded = RecordedRequest::from_request(&request);
        let outcome = self.inner.send(request, options);
        let (response, error) = match &outcome {
            Ok(response) => (Some(RecordedResponse::from_response(response)), None),
            Err(HttpError::Interrupted { .. }) => return outcome,
            Err(error) => (None, Some(error.to_string())),
        };
        self.recorder.push(Exchange {
            request: recorded,
            response,
            error,
        });
        outcome
    }
}

/// Signs through `inner` and notes every header value and query parameter it added or
/// changed as a secret.
pub struct RecordingConnections {
    /// The real connection store.
    pub inner: Arc<dyn ConnectionAuthorizer>,
    /// Where the secrets go.
    pub recorder: Arc<Recorder>,
}

impl ConnectionAuthorizer for RecordingConnections {
    fn authorize(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
        let headers_before = request.headers.clone();
        let query_before: Vec<(String, String)> = request.url.query_pairs().into_owned().collect();
        self.inner.authorize(link_name, request)?;
        for (name, value) in &request.headers {
            if !headers_before.iter().any(|(n, v)| n == name && v == value) {
                self.recorder.add_secret(value);
            }
        }
        for (name, value) in request.url.query_pairs() {
            if !query_before
                .iter()
                .any(|(n, v)| *n == *name && *v == *value)
            {
                self.recorder.add_secret(&value);
            }
        }
        Ok(())
    }

    fn renew_after_unauthorized(&self, link_name: &str) -> Result<bool, ConnectionError> {
        self.inner.renew_after_unauthorized(link_name)
    }

    fn describe(&self, link_name: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
        let info = self.inner.describe(link_name)?;
        if let Some(info) = &info {
            self.recorder.note_connection(info);
        }
        Ok(info)
    }

    fn links(&self) -> Result<Vec<(String, String)>, ConnectionError> {
        self.inner.links()
    }

    fn mark_needs_reauth(&self, link_name: &str, reason: &str) -> Result<(), ConnectionError> {
        self.inner.mark_needs_reauth(link_name, reason)
    }
}
