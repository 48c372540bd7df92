//! Signing `invokeurl` requests with a named connection.

use super::api_key;
use super::basic;
use super::hosts::{host_allowed, is_loopback, request_host};
use super::model::{AuthSpec, Connection, Credentials, Service, Status};
use super::oauth1;
use super::oauth2;
use super::store::{Snapshot, Store};
pub use crate::http::authorizer::{ConnectionAuthorizer, ConnectionInfo};
use crate::http::connection_error::ConnectionError;
use crate::http::request::HttpRequest;
use crate::http::signed::check_routing_headers;

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
        check_userinfo(link_name, request)?;
        super::usage::record(&self.store, link_name);
        Ok(())
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
