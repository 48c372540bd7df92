//! `invokeurl` and the legacy `getUrl`/`postUrl`: building requests, sending them, decoding replies.

pub mod build;
pub mod error;
pub mod form;
pub mod invoke;
pub mod legacy;
pub mod redirect;
pub mod request;
pub mod response;
pub mod spec;
pub mod transport;
pub mod verbose;

pub use crate::connections::{ConnectionAuthorizer, ConnectionError};
pub use error::HttpError;
pub use invoke::{fetch, invoke_url};
pub use request::{Body, HttpRequest, Method, MultipartPart};
pub use response::HttpResponse;
pub use transport::{ReqwestTransport, SendOptions, Transport};
