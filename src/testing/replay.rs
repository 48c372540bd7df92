//! Replaying: a [`Transport`] that answers from a cassette and never touches the network, and
//! a [`ConnectionAuthorizer`] that signs nothing (no connection store is needed offline) and
//! describes the connections the cassette recorded, for the Zoho tasks.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use crate::connections::{ConnectionAuthorizer, ConnectionError, ConnectionInfo};
use crate::http::{HttpError, HttpRequest, HttpResponse, SendOptions, Transport};
use crate::testing::cassette::{Exchange, RecordedConnection};
use crate::testing::matching::find;

/// Answers requests from recorded exchanges.
pub struct ReplayTransport {
    /// The exchanges; `None` when there is no cassette.
    tape: Option<Vec<Exchange>>,
    used: Mutex<Vec<bool>>,
    /// The cassette file, for messages.
    cassette: String,
    /// How to make the cassette, for messages (`HttpMode::Record` in `dlg test`).
    record_hint: String,
    /// Every request that found no answer (the runner fails the test even when the script
    /// caught the error).
    misses: Arc<Mutex<Vec<String>>>,
}

impl ReplayTransport {
    /// Replays `tape` (`None`: the cassette `cassette` is missing; `record_hint` says how to
    /// make it).
    pub fn new(tape: Option<Vec<Exchange>>, cassette: &str, record_hint: &str) -> ReplayTransport {
        let used = vec![false; tape.as_ref().map_or(0, Vec::len)];
        ReplayTransport {
            tape,
            used: Mutex::new(used),
            cassette: cassette.to_owned(),
            record_hint: record_hint.to_owned(),
            misses: Arc::default(),
        }
    }

    /// The messages of requests that found no recorded answer.
    pub fn misses(&self) -> Arc<Mutex<Vec<String>>> {
        Arc::clone(&self.misses)
    }

    fn miss(&self, request: &HttpRequest, detail: String) -> HttpError {
        if let Ok(mut misses) = self.misses.lock() {
            misses.push(detail.clone());
        }
        HttpError::Other {
            host: request.host_port(),
            detail,
        }
    }
}

impl Transport for ReplayTransport {
    fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
        let Some(tape) = &self.tape else {
            let detail = format!(
                "replaying from cassette {}, which does not exist: record it with `{}`",
                self.cassette, self.record_hint
            );
            return Err(self.miss(&request, detail));
        };
        let index = {
            let Ok(mut used) = self.used.lock() else {
                return Err(self.miss(&request, "the replay state is unusable".into()));
            };
            match find(tape, &used, &request) {
                Ok(index) => {
                    used[index] = true;
                    index
                }
                Err(detail) => {
                    drop(used);
                    let detail = format!("{detail} (cassette {})", self.cassette);
                    return Err(self.miss(&request, detail));
                }
            }
        };
        let exchange = &tape[index];
        match (&exchange.response, &exchange.error) {
            (Some(response), _) => Ok(response.to_response(request.url)),
            (None, error) => Err(HttpError::Other {
                host: request.host_port(),
                detail: error
                    .clone()
                    .unwrap_or_else(|| "the recorded exchange has no response".into()),
            }),
        }
    }
}

/// Accepts every connection and adds nothing: replayed requests need no credentials. Describes
/// the connections of the cassette's `connections` section, so Zoho tasks find their API.
#[derive(Clone, Debug, Default)]
pub struct OfflineConnections {
    connections: BTreeMap<String, RecordedConnection>,
    /// The cassette file, for messages.
    cassette: String,
    /// How to make the cassette, for messages (`HttpMode::Record` in `dlg test`).
    record_hint: String,
}

impl OfflineConnections {
    /// Offline connections described by `connections` (a cassette's section), read from
    /// `cassette`, which `record_hint` makes.
    pub fn new(
        connections: BTreeMap<String, RecordedConnection>,
        cassette: &str,
        record_hint: &str,
    ) -> OfflineConnections {
        OfflineConnections {
            connections,
            cassette: cassette.to_owned(),
            record_hint: record_hint.to_owned(),
        }
    }
}

impl ConnectionAuthorizer for OfflineConnections {
    fn authorize(&self, _: &str, _: &mut HttpRequest) -> Result<(), ConnectionError> {
        Ok(())
    }

    fn describe(&self, link_name: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
        match self.connections.get(link_name) {
            Some(connection) => Ok(Some(connection.to_info(link_name))),
            None => Err(ConnectionError::InvalidInput(format!(
                "replaying from cassette {}, which does not describe connection \"{link_name}\": \
                 record it with `{}`, or add `\"connections\": {{\"{link_name}\": \
                 {{\"service\": \"zoho_crm_com\"}}}}` (the service names the data centre; \
                 see docs/testing.md)",
                self.cassette, self.record_hint
            ))),
        }
    }

    fn links(&self) -> Result<Vec<(String, String)>, ConnectionError> {
        Ok(self
            .connections
            .iter()
            .map(|(link, connection)| (link.clone(), connection.service.clone()))
            .collect())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::http::Method;
    use crate::testing::cassette::{RecordedBody, RecordedRequest};

    fn tape(error: Option<&str>) -> Vec<Exchange> {
        vec![Exchange {
            request: RecordedRequest {
                method: "GET".into(),
                url: "http://h/x".into(),
                headers: Default::default(),
                body: RecordedBody::default(),
            },
            response: None,
            error: error.map(str::to_owned),
        }]
    }

    fn send(transport: &ReplayTransport) -> String {
        let request = HttpRequest::new(Method::Get, "http://h/x".parse().unwrap());
        let options = SendOptions::from_limits(&crate::eval::limits::Limits::default());
        transport.send(request, &options).unwrap_err().to_string()
    }

    #[test]
    fn a_recorded_error_replays_as_that_error() {
        let transport = ReplayTransport::new(Some(tape(Some("connection refused"))), "c.json", "r");
        assert_eq!(
            send(&transport),
            "HTTP request to h:80 failed: connection refused"
        );
        assert!(transport.misses().lock().unwrap().is_empty());
    }

    #[test]
    fn an_exchange_without_response_or_error_says_so() {
        let transport = ReplayTransport::new(Some(tape(None)), "c.json", "r");
        assert_eq!(
            send(&transport),
            "HTTP request to h:80 failed: the recorded exchange has no response"
        );
    }

    #[test]
    fn without_a_cassette_every_request_is_a_miss_that_says_how_to_record() {
        let transport = ReplayTransport::new(None, "c.json", "dlg run --record c.json");
        assert_eq!(
            send(&transport),
            "HTTP request to h:80 failed: replaying from cassette c.json, which does not exist: record it with `dlg run --record c.json`"
        );
        assert_eq!(transport.misses().lock().unwrap().len(), 1);
    }
}
