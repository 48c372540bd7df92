//! `invokeurl` and the legacy `getUrl`/`postUrl`: building requests, sending them, decoding replies.

#[doc(hidden)]
pub mod build;
#[doc(hidden)]
pub mod error;
#[doc(hidden)]
pub mod form;
#[doc(hidden)]
pub mod invoke;
#[doc(hidden)]
pub mod legacy;
#[doc(hidden)]
pub mod redirect;
#[doc(hidden)]
pub mod request;
#[doc(hidden)]
pub mod response;
#[doc(hidden)]
pub mod spec;
#[doc(hidden)]
pub mod transport;

pub use crate::connections::{ConnectionAuthorizer, ConnectionError};
pub use error::HttpError;
#[doc(hidden)]
pub use invoke::{fetch, invoke_url};
pub use request::{Body, HttpRequest, Method, MultipartPart};
pub use response::HttpResponse;
pub use transport::{ReqwestTransport, SendOptions, Transport};
