//! The trait through which `invokeurl ... connection: "name"` (and the Zoho tasks) get a
//! request signed: defined here, where it is called; the file store's implementation is
//! `connections::FileStoreAuthorizer`, and a host can plug in its own.

use super::connection_error::ConnectionError;
use super::request::HttpRequest;

/// Adds a connection's credentials to requests. The HTTP layer calls [`authorize`] before
/// sending, and [`renew_after_unauthorized`] once after an HTTP 401 to decide whether to retry.
///
/// [`authorize`]: ConnectionAuthorizer::authorize
/// [`renew_after_unauthorized`]: ConnectionAuthorizer::renew_after_unauthorized
///
/// A host plugs in its own secrets service with
/// [`Engine::set_connections`](crate::Engine::set_connections); the module
/// [`http`](crate::http) shows a complete example.
pub trait ConnectionAuthorizer: Send + Sync {
    /// Adds the credentials of connection `link_name` to `request`, or explains why it cannot
    /// (unknown, not connected, revoked, host not allowed, conflicting header, ...). The error
    /// becomes the `invokeurl` error.
    ///
    /// ```
    /// use std::sync::Arc;
    /// use deluge_lang::http::{ConnectionAuthorizer, ConnectionError, HttpRequest};
    ///
    /// struct NoConnections;
    /// impl ConnectionAuthorizer for NoConnections {
    ///     fn authorize(&self, link: &str, _: &mut HttpRequest) -> Result<(), ConnectionError> {
    ///         Err(ConnectionError::UnknownConnection { link_name: link.into() })
    ///     }
    /// }
    ///
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.set_connections(Some(Arc::new(NoConnections)));
    /// let script = r#"invokeurl [ url: "https://example.com" type: GET connection: "crm" ];"#;
    /// let error = engine.run(script).unwrap_err().to_string();
    /// assert!(error.contains(r#"connection "crm" does not exist"#), "{error}");
    /// ```
    fn authorize(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError>;

    /// Called after the server answered 401: renews the credentials if the auth type can
    /// (OAuth 2 refresh) and returns whether the request is worth retrying once.
    ///
    /// ```
    /// use std::sync::{Arc, Mutex};
    /// use deluge_lang::http::{ConnectionAuthorizer, ConnectionError, HttpError, HttpRequest};
    /// use deluge_lang::http::{HttpResponse, SendOptions, Transport};
    ///
    /// /// Hands out token `t1`, then `t2` once the server rejected `t1`.
    /// struct Tokens(Mutex<&'static str>);
    /// impl ConnectionAuthorizer for Tokens {
    ///     fn authorize(&self, _: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
    ///         let token = *self.0.lock().unwrap();
    ///         Ok(request.set_header("Authorization", format!("Bearer {token}")))
    ///     }
    ///     fn renew_after_unauthorized(&self, _: &str) -> Result<bool, ConnectionError> {
    ///         *self.0.lock().unwrap() = "t2";
    ///         Ok(true)
    ///     }
    /// }
    ///
    /// /// Accepts only `t2`.
    /// struct Server;
    /// impl Transport for Server {
    ///     fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
    ///         let ok = request.header("authorization") == Some("Bearer t2");
    ///         let status = if ok { 200 } else { 401 };
    ///         Ok(HttpResponse { status, headers: vec![], body: vec![], url: request.url })
    ///     }
    /// }
    ///
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.set_transport(Server);
    /// engine.set_connections(Some(Arc::new(Tokens(Mutex::new("t1")))));
    /// let script = r#"r = invokeurl [ url: "https://example.com" type: GET
    ///     connection: "crm" detailed: true ];
    ///     return r.get("responseCode");"#;
    /// assert_eq!(engine.eval::<i64>(script).unwrap(), 200);
    /// ```
    fn renew_after_unauthorized(&self, link_name: &str) -> Result<bool, ConnectionError> {
        let _ = link_name;
        Ok(false)
    }

    /// Where a connection's API lives, for the Zoho tasks (`zoho.crm.*` ...): its service, the
    /// `api_domain` its token came with and the service's `--api-base`. `Ok(None)` (the
    /// default) means this store cannot say, and the tasks ask for another store.
    ///
    /// ```
    /// use deluge_lang::http::{ConnectionAuthorizer, ConnectionError, HttpRequest};
    ///
    /// struct Nothing;
    /// impl ConnectionAuthorizer for Nothing {
    ///     fn authorize(&self, _: &str, _: &mut HttpRequest) -> Result<(), ConnectionError> {
    ///         Ok(())
    ///     }
    /// }
    /// assert!(Nothing.describe("crm").unwrap().is_none());
    /// ```
    fn describe(&self, link_name: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
        let _ = link_name;
        Ok(None)
    }

    /// Marks connection `link_name` as needing re-authorization (status `needs_reauth`, shown
    /// by `dlg connection list`), because the provider still refuses its credentials after the
    /// one renewal (zoho-tasks.md §1.5 step 4). `reason` holds no secret. The default does
    /// nothing: a store without statuses has nothing to mark.
    fn mark_needs_reauth(&self, link_name: &str, reason: &str) -> Result<(), ConnectionError> {
        let _ = (link_name, reason);
        Ok(())
    }

    /// The link name and service of every connection (empty by default), so a Zoho task
    /// without a connection argument can use the only connection of its product's service.
    fn links(&self) -> Result<Vec<(String, String)>, ConnectionError> {
        Ok(Vec::new())
    }
}

/// What [`ConnectionAuthorizer::describe`] tells about a connection. Holds no secret.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ConnectionInfo {
    /// The connection's link name.
    pub link_name: String,
    /// Its service's link name (e.g. `zoho_crm_eu`).
    pub service: String,
    /// The `api_domain` of its last token reply (Zoho), e.g. `https://www.zohoapis.eu`.
    pub api_domain: Option<String>,
    /// The service's `--api-base` URL, if set.
    pub api_base: Option<String>,
}
