//! Signing `invokeurl` requests with a named connection.

use super::api_key;
use super::basic;
use super::errors::ConnectionError;
use super::hosts::{host_allowed, is_loopback, request_host};
use super::model::{AuthSpec, Connection, Credentials, Service, Status};
use super::oauth1;
use super::oauth2;
use super::store::{Snapshot, Store};
use crate::http::request::HttpRequest;
use crate::http::signed::check_routing_headers;

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

/// The authorizer backed by the file store.
#[derive(Clone, Debug)]
pub struct FileStoreAuthorizer {
    store: Store,
}

impl FileStoreAuthorizer {
    /// An authorizer over `store`.
    pub fn new(store: Store) -> Self {
        FileStoreAuthorizer { store }
    }

    /// An authorizer over the default store (`DLG_HOME`, else the configuration folder).
    pub fn open_default() -> Result<Self, ConnectionError> {
        Store::open_default().map(Self::new)
    }

    /// The store it reads.
    pub fn store(&self) -> &Store {
        &self.store
    }
}

impl ConnectionAuthorizer for FileStoreAuthorizer {
    fn authorize(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
        check_routing_headers(link_name, request).map_err(ConnectionError::InvalidInput)?;
        self.sign(link_name, request)?;
        check_userinfo(link_name, request)
    }

    fn renew_after_unauthorized(&self, link_name: &str) -> Result<bool, ConnectionError> {
        oauth2::connection::renew_after_unauthorized(&self.store, link_name)
    }

    fn describe(&self, link_name: &str) -> Result<Option<ConnectionInfo>, ConnectionError> {
        let snapshot = self.store.load()?;
        let connection = snapshot.require_connection(link_name)?;
        let api_domain = match snapshot.credentials(link_name)? {
            Some(Credentials::OAuth2 { metadata, .. }) => metadata.get("api_domain").cloned(),
            _ => None,
        };
        Ok(Some(ConnectionInfo {
            link_name: link_name.to_owned(),
            service: connection.service.clone(),
            api_domain,
            api_base: snapshot
                .service(&connection.service)
                .and_then(|service| service.api_base.clone()),
        }))
    }

    fn mark_needs_reauth(&self, link_name: &str, reason: &str) -> Result<(), ConnectionError> {
        oauth2::connection::mark_needs_reauth(&self.store, link_name, reason).map(|_| ())
    }

    fn links(&self) -> Result<Vec<(String, String)>, ConnectionError> {
        let snapshot = self.store.load()?;
        Ok(snapshot
            .connections()
            .map(|c| (c.link_name.clone(), c.service.clone()))
            .collect())
    }
}

impl FileStoreAuthorizer {
    fn sign(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
        let snapshot = self.store.load()?;
        let (connection, service) = usable_connection(&snapshot, link_name)?;
        check_host(connection, service, request)?;
        check_scheme(connection, service, request)?;
        if let AuthSpec::OAuth2(spec) = &service.auth {
            let credentials =
                oauth2::connection::fresh_credentials(&self.store, &snapshot, link_name)?;
            return oauth2::connection::inject(link_name, spec, &credentials, request);
        }
        let credentials =
            snapshot
                .credentials(link_name)?
                .ok_or_else(|| ConnectionError::NotConnected {
                    link_name: link_name.into(),
                })?;
        if let AuthSpec::OAuth1(spec) = &service.auth {
            let secrets = snapshot.service_secrets(&service.link_name)?;
            return oauth1::connection::inject(link_name, spec, &secrets, &credentials, request);
        }
        apply(link_name, &service.auth, &credentials, request)
    }
}

/// The connection and its service, if the connection may be used now.
pub fn usable_connection<'a>(
    snapshot: &'a Snapshot,
    link_name: &str,
) -> Result<(&'a Connection, &'a Service), ConnectionError> {
    let connection = snapshot.require_connection(link_name)?;
    let link_name = link_name.to_owned();
    match connection.status {
        Status::Connected => {}
        Status::NotConnected => return Err(ConnectionError::NotConnected { link_name }),
        Status::Disconnected => return Err(ConnectionError::Revoked { link_name }),
        Status::NeedsReauth => {
            let reason = connection
                .last_refresh_error
                .clone()
                .unwrap_or_else(|| "the provider no longer accepts its authorization".into());
            return Err(ConnectionError::NeedsReauthorization { link_name, reason });
        }
    }
    let service =
        snapshot
            .service(&connection.service)
            .ok_or_else(|| ConnectionError::MissingService {
                link_name,
                service: connection.service.clone(),
            })?;
    Ok((connection, service))
}

/// The hosts a connection may send credentials to: its service's plus its own additions.
pub fn allowed_hosts(connection: &Connection, service: &Service) -> Vec<String> {
    let mut hosts = service.allowed_hosts.clone();
    for host in &connection.extra_hosts {
        if !hosts.contains(host) {
            hosts.push(host.clone());
        }
    }
    hosts
}

/// Refuses a request to a host the connection is not allowed to send credentials to.
pub fn check_host(
    connection: &Connection,
    service: &Service,
    request: &HttpRequest,
) -> Result<(), ConnectionError> {
    let allowed = allowed_hosts(connection, service);
    match request_host(&request.url) {
        Some(host) if host_allowed(&host, &allowed) => Ok(()),
        host => Err(ConnectionError::HostNotAllowed {
            link_name: connection.link_name.clone(),
            host: host.unwrap_or_else(|| "(none)".into()),
            allowed,
        }),
    }
}

/// Refuses plain `http://` to anything but this machine, unless the service opted in with
/// `--allow-insecure-http`: on the network path, the credentials would be readable by anyone
/// (a bearer token or OAuth 1 PLAINTEXT signature is the secret itself).
pub fn check_scheme(
    connection: &Connection,
    service: &Service,
    request: &HttpRequest,
) -> Result<(), ConnectionError> {
    if request.url.scheme() != "http" || is_loopback(&request.url) || service.allow_insecure_http {
        return Ok(());
    }
    Err(ConnectionError::InvalidInput(format!(
        "connection \"{}\" will not send its credentials over plain http:// to \"{}\": anyone \
         on the network path could read them; use an https:// URL, or, if the service only \
         speaks plain http, allow it with `dlg service edit {} --allow-insecure-http`",
        connection.link_name,
        request_host(&request.url).unwrap_or_default(),
        service.link_name
    )))
}

/// A user name or password in the URL (`https://user:pass@host/`) becomes an `Authorization`
/// header of its own; with the connection's one that would be two. The documented conflict
/// rule applies: the request fails instead of sending either.
fn check_userinfo(link_name: &str, request: &HttpRequest) -> Result<(), ConnectionError> {
    let has_userinfo = !request.url.username().is_empty() || request.url.password().is_some();
    if has_userinfo && request.header("authorization").is_some() {
        return Err(ConnectionError::Conflict {
            link_name: link_name.into(),
            what: "the \"Authorization\" header".into(),
            fix: "the URL's user name and password (user:password@host) would become a second \
                  one; remove them from the URL (the connection supplies the credentials)"
                .into(),
        });
    }
    Ok(())
}

fn apply(
    link_name: &str,
    auth: &AuthSpec,
    credentials: &Credentials,
    request: &mut HttpRequest,
) -> Result<(), ConnectionError> {
    match (auth, credentials) {
        (AuthSpec::ApiKey { params }, Credentials::ApiKey { values }) => {
            api_key::inject(link_name, params, values, request)
        }
        (AuthSpec::Basic, Credentials::Basic { username, password }) => {
            basic::inject(link_name, username, password, request)
        }
        (AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_), _) => Err(ConnectionError::UnsupportedAuth {
            subject: format!("connection \"{link_name}\""),
            auth: auth.kind().title(),
            action: "sign requests",
        }),
        _ => Err(ConnectionError::UnusableCredential {
            link_name: link_name.into(),
            field: "credentials".into(),
            reason: "do not match the service's authentication type".into(),
        }),
    }
}
