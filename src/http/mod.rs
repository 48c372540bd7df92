//! `invokeurl` and the legacy `getUrl`/`postUrl`: building requests, sending them, decoding replies.
//!
//! For embedders: a host routes requests through its own client by implementing [`Transport`]
//! ([`Engine::set_transport`](crate::Engine::set_transport)) and signs `connection:` requests
//! from its own secrets service by implementing [`ConnectionAuthorizer`]
//! ([`Engine::set_connections`](crate::Engine::set_connections)).
//!
//! ```
//! use std::sync::Arc;
//! use deluge_lang::http::{
//!     ConnectionAuthorizer, ConnectionError, HttpError, HttpRequest, HttpResponse, SendOptions,
//!     Transport,
//! };
//!
//! /// Adds a fixed API key to requests for the connection `demo`.
//! struct Keys;
//! impl ConnectionAuthorizer for Keys {
//!     fn authorize(&self, link: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
//!         match link {
//!             "demo" => Ok(request.set_header("X-Api-Key", "k-123")),
//!             _ => Err(ConnectionError::UnknownConnection { link_name: link.into() }),
//!         }
//!     }
//! }
//!
//! /// Answers with the API key it received.
//! struct Echo;
//! impl Transport for Echo {
//!     fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
//!         let body = request.header("x-api-key").unwrap_or("none").as_bytes().to_vec();
//!         Ok(HttpResponse { status: 200, headers: vec![], body, url: request.url })
//!     }
//! }
//!
//! let mut engine = deluge_lang::Engine::new();
//! engine.set_transport(Echo);
//! engine.set_connections(Some(Arc::new(Keys)));
//! let key: String = engine
//!     .eval(r#"invokeurl [ url: "https://example.com" type: GET connection: "demo" ]"#)
//!     .unwrap();
//! assert_eq!(key, "k-123");
//! ```

// The parts behind the re-exports below: private unless the `internals` feature is on.
internal_modules!(
    authorizer,
    build,
    connection_error,
    error,
    form,
    guard,
    invoke,
    legacy,
    network,
    redirect,
    request,
    response,
    signed,
    spec,
    transport,
    verbose,
);
mod io_thread;
mod resolve;

pub use authorizer::{ConnectionAuthorizer, ConnectionInfo};
pub use connection_error::ConnectionError;
pub use error::HttpError;
pub use guard::EgressGuard;
#[doc(hidden)]
pub use invoke::{fetch, invoke_url};
pub use network::{connections_of, network_of, HttpNetwork};
pub use request::{Body, HttpRequest, Method, MultipartPart};
pub use response::HttpResponse;
pub use transport::{ReqwestTransport, SendOptions, Transport};
