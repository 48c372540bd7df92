//! A transport-neutral HTTP request, built from an `invokeurl` task and signed by connections.

use url::Url;

/// The HTTP methods `invokeurl` accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Method {
    /// GET
    Get,
    /// POST
    Post,
    /// PUT
    Put,
    /// PATCH
    Patch,
    /// DELETE
    Delete,
    /// HEAD
    Head,
}

impl Method {
    /// The method's name on the wire.
    pub fn as_str(self) -> &'static str {
        match self {
            Method::Get => "GET",
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Patch => "PATCH",
            Method::Delete => "DELETE",
            Method::Head => "HEAD",
        }
    }
}

/// A request body.
#[derive(Clone, Debug, Default)]
pub enum Body {
    /// No body.
    #[default]
    Empty,
    /// Raw bytes with a content type (`text/plain`, `application/json`, ...).
    Raw {
        /// Body bytes.
        bytes: Vec<u8>,
        /// Content type, if set.
        content_type: Option<String>,
    },
    /// `application/x-www-form-urlencoded` pairs, in order.
    Form(Vec<(String, String)>),
    /// `multipart/form-data`: text fields and files.
    Multipart(Vec<MultipartPart>),
}

/// One part of a multipart body.
#[derive(Clone, Debug)]
pub struct MultipartPart {
    /// Field name.
    pub name: String,
    /// File name, for file parts.
    pub file_name: Option<String>,
    /// Content type, for file parts.
    pub content_type: Option<String>,
    /// Content.
    pub bytes: Vec<u8>,
}

/// A request ready to be signed by a connection and sent by a transport.
///
/// `Debug` is implemented by hand elsewhere only if needed; this type may hold credentials once
/// a connection has signed it, so it must never be logged.
#[derive(Clone)]
pub struct HttpRequest {
    /// Method.
    pub method: Method,
    /// Full URL including the query string.
    pub url: Url,
    /// Headers in order; names as given.
    pub headers: Vec<(String, String)>,
    /// Body.
    pub body: Body,
}
