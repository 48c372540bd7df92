//! A transport-neutral HTTP request, built from an `invokeurl` task and signed by connections.

use url::Url;

/// The HTTP methods `invokeurl` accepts.
///
/// ```
/// use deluge_lang::http::Method;
///
/// assert_eq!(Method::parse("patch"), Some(Method::Patch));
/// assert_eq!(Method::Patch.as_str(), "PATCH");
/// ```
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
    ///
    /// ```
    /// assert_eq!(deluge_lang::http::Method::Delete.as_str(), "DELETE");
    /// ```
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

/// A request body. `Debug` shows only its kind and size: bodies may hold credentials.
///
/// ```
/// use deluge_lang::http::Body;
///
/// let body = Body::Form(vec![("password".into(), "s3cret".into())]);
/// assert_eq!(format!("{body:?}"), "Form(1 fields)");
/// ```
#[derive(Clone, Default)]
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

/// One part of a multipart body (`files:` of `invokeurl`). `Debug` shows the field name and
/// size, not the content.
///
/// ```
/// use deluge_lang::http::{Body, MultipartPart};
///
/// let part = MultipartPart {
///     name: "report".into(),
///     file_name: Some("report.csv".into()),
///     content_type: Some("text/csv".into()),
///     bytes: b"id,total\n1,10\n".to_vec(),
/// };
/// assert_eq!(format!("{part:?}"), r#"MultipartPart("report", 14 bytes)"#);
/// let body = Body::Multipart(vec![part]);
/// assert_eq!(format!("{body:?}"), "Multipart(1 parts)");
/// ```
#[derive(Clone)]
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
/// It may hold credentials once a connection has signed it: `Debug` shows the method, host and
/// path only, never headers, query or body.
///
/// ```
/// use deluge_lang::http::{HttpRequest, Method};
///
/// let url = url::Url::parse("https://api.example.com/v1/items?token=t-123").unwrap();
/// let mut request = HttpRequest::new(Method::Get, url);
/// request.set_header("Authorization", "Bearer t-456");
/// assert_eq!(request.header("authorization"), Some("Bearer t-456"));
/// let shown = format!("{request:?}");
/// assert_eq!(shown, "HttpRequest(GET https://api.example.com:443/v1/items, 1 headers)");
/// assert!(!shown.contains("t-123") && !shown.contains("t-456"));
/// ```
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

impl Method {
    /// Parses a method name case-insensitively (`get`, `Post`, ...).
    ///
    /// ```
    /// use deluge_lang::http::Method;
    ///
    /// assert_eq!(Method::parse(" Post "), Some(Method::Post));
    /// assert_eq!(Method::parse("FETCH"), None);
    /// ```
    pub fn parse(name: &str) -> Option<Method> {
        const ALL: [Method; 6] = [
            Method::Get,
            Method::Post,
            Method::Put,
            Method::Patch,
            Method::Delete,
            Method::Head,
        ];
        ALL.into_iter()
            .find(|method| method.as_str().eq_ignore_ascii_case(name.trim()))
    }

    /// True for the methods whose map `parameters` go into the query string
    /// (GET, DELETE, HEAD) rather than a form body.
    ///
    /// ```
    /// use deluge_lang::http::Method;
    ///
    /// assert!(Method::Delete.takes_query_parameters());
    /// assert!(!Method::Put.takes_query_parameters());
    /// ```
    pub fn takes_query_parameters(self) -> bool {
        matches!(self, Method::Get | Method::Delete | Method::Head)
    }
}

impl HttpRequest {
    /// A request with no headers and no body.
    ///
    /// ```
    /// use deluge_lang::http::{Body, HttpRequest, Method};
    ///
    /// let request = HttpRequest::new(Method::Post, "https://example.com/".parse().unwrap());
    /// assert!(request.headers.is_empty());
    /// assert!(matches!(request.body, Body::Empty));
    /// ```
    pub fn new(method: Method, url: Url) -> HttpRequest {
        HttpRequest {
            method,
            url,
            headers: Vec::new(),
            body: Body::Empty,
        }
    }

    /// The value of the first header called `name` (any case).
    ///
    /// ```
    /// use deluge_lang::http::{HttpRequest, Method};
    ///
    /// let mut request = HttpRequest::new(Method::Get, "https://example.com/".parse().unwrap());
    /// request.headers.push(("Accept".into(), "text/csv".into()));
    /// request.headers.push(("accept".into(), "application/json".into()));
    /// assert_eq!(request.header("ACCEPT"), Some("text/csv"));
    /// assert_eq!(request.header("X-Missing"), None);
    /// ```
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(key, _)| key.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    /// Replaces every header called `name` (any case) by one with `value`.
    ///
    /// ```
    /// use deluge_lang::http::{HttpRequest, Method};
    ///
    /// let mut request = HttpRequest::new(Method::Get, "https://example.com/".parse().unwrap());
    /// request.headers.push(("x-api-key".into(), "old".into()));
    /// request.set_header("X-Api-Key", "new");
    /// assert_eq!(request.headers, vec![("X-Api-Key".to_owned(), "new".to_owned())]);
    /// ```
    pub fn set_header(&mut self, name: &str, value: impl Into<String>) {
        self.remove_header(name);
        self.headers.push((name.to_owned(), value.into()));
    }

    /// Removes every header called `name` (any case).
    ///
    /// ```
    /// use deluge_lang::http::{HttpRequest, Method};
    ///
    /// let mut request = HttpRequest::new(Method::Get, "https://example.com/".parse().unwrap());
    /// request.set_header("Cookie", "a=1");
    /// request.set_header("Accept", "*/*");
    /// request.remove_header("cookie");
    /// assert_eq!(request.header("Cookie"), None);
    /// assert_eq!(request.headers.len(), 1);
    /// ```
    pub fn remove_header(&mut self, name: &str) {
        self.headers
            .retain(|(key, _)| !key.eq_ignore_ascii_case(name));
    }

    /// The host and port this request goes to, for messages: `api.example.com:443`.
    /// Never includes the path or query, which may hold credentials.
    ///
    /// ```
    /// use deluge_lang::http::{HttpRequest, Method};
    ///
    /// let url = "http://api.example.com/secret/path?key=k".parse().unwrap();
    /// assert_eq!(HttpRequest::new(Method::Get, url).host_port(), "api.example.com:80");
    /// ```
    pub fn host_port(&self) -> String {
        host_port(&self.url)
    }
}

/// `host:port` of a URL, for messages that must not show paths or queries.
pub fn host_port(url: &Url) -> String {
    let host = url.host_str().unwrap_or("(no host)");
    match url.port_or_known_default() {
        Some(port) => format!("{host}:{port}"),
        None => host.to_owned(),
    }
}

/// Shows method, scheme, host and path only: headers, query and body may hold credentials.
impl std::fmt::Debug for HttpRequest {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "HttpRequest({} {}://{}{}, {} headers)",
            self.method.as_str(),
            self.url.scheme(),
            host_port(&self.url),
            self.url.path(),
            self.headers.len()
        )
    }
}

impl std::fmt::Debug for Body {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Body::Empty => f.write_str("Empty"),
            Body::Raw { bytes, .. } => write!(f, "Raw({} bytes)", bytes.len()),
            Body::Form(pairs) => write!(f, "Form({} fields)", pairs.len()),
            Body::Multipart(parts) => write!(f, "Multipart({} parts)", parts.len()),
        }
    }
}

impl std::fmt::Debug for MultipartPart {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "MultipartPart({:?}, {} bytes)",
            self.name,
            self.bytes.len()
        )
    }
}
