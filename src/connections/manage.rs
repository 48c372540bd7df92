//! Managing connections: create, edit, revoke and delete, shared by `dlg connection` and the
//! Connections page (`dlg ui`). Each operation returns the message to show the user.

use super::catalog;
use super::hosts::normalize_host;
use super::link_name::check_display_name;
use super::model::now;
use super::oauth1::connection as oauth1_connection;
use super::oauth2::connection::{self as oauth2_connection, RemoteRevocation};
use super::service_create::{fix_command, is_configured};
use super::{
    AuthSpec, Connection, ConnectionError, Service, ServiceSecrets, Snapshot, Status, Store,
    Transaction,
};
use std::fmt::Write as _;

/// Creates connection `link_name` for `service_name` (a stored or built-in service); not yet
/// connected. Returns the message to show.
pub fn create(
    store: &Store,
    link_name: &str,
    service_name: &str,
    display_name: Option<&str>,
    scopes: Vec<String>,
    subdomain: Option<&str>,
) -> Result<String, ConnectionError> {
    let display_name = match display_name {
        Some(name) => check_display_name(name)?,
        None => link_name.to_owned(),
    };
    let scopes = clean_scopes(scopes)?;
    store.update(|transaction| {
        if transaction.service(service_name).is_none() {
            add_builtin_service(transaction, service_name)?;
        }
        let service = transaction.require_service(service_name)?;
        check_scopes_apply(service, &scopes)?;
        let mut connection = Connection::new(link_name, &display_name, service_name, now());
        connection.extra_hosts = tenant_hosts(service, subdomain)?;
        connection.scopes = if scopes.is_empty() {
            default_scopes(service)
        } else {
            scopes
        };
        transaction.add_connection(connection)
    })?;
    Ok(format!(
        "created connection \"{link_name}\" for service \"{service_name}\" (not connected); \
         authorize it with `dlg connection authorize {link_name}`\n"
    ))
}

/// Copies a built-in API-key or Basic service into the store so a connection can use it. A
/// built-in OAuth service first needs the user's own OAuth app (`dlg service configure`).
fn add_builtin_service(transaction: &mut Transaction, name: &str) -> Result<(), ConnectionError> {
    let Some(mut service) = catalog::service(name) else {
        return Err(ConnectionError::UnknownService { name: name.into() });
    };
    if !is_configured(&service) {
        let what = match service.auth {
            AuthSpec::OAuth1(_) => "consumer key",
            _ => "client id",
        };
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{name}\" is built in and uses {}, which needs the {what} of your own app \
             registered with the provider; {}",
            service.auth.kind().title(),
            fix_command(&service)
        )));
    }
    let time = now();
    service.created_at = time;
    service.updated_at = time;
    transaction.add_service(service, &ServiceSecrets::default())
}

/// The tenant's own hosts of a built-in service whose hosts differ per tenant: `--subdomain`
/// is required for those and refused for every other service.
fn tenant_hosts(
    service: &Service,
    subdomain: Option<&str>,
) -> Result<Vec<String>, ConnectionError> {
    let entry = catalog::entry(&service.link_name)
        .filter(|entry| service.builtin && !entry.tenant_hosts.is_empty());
    match (entry, subdomain) {
        (Some(entry), Some(subdomain)) => entry
            .tenant_hosts_for(subdomain.trim())
            .map_err(ConnectionError::InvalidInput),
        (Some(entry), None) => Err(ConnectionError::InvalidInput(format!(
            "service \"{}\" is reached at your own tenant's address ({}), so its credentials \
             may go only there; name your subdomain with --subdomain, e.g. `dlg connection \
             create LINK --service {} --subdomain YOURS`",
            service.link_name,
            entry
                .tenant_hosts
                .iter()
                .map(|suffix| format!("SUBDOMAIN.{suffix}"))
                .collect::<Vec<_>>()
                .join(", "),
            service.link_name
        ))),
        (None, Some(_)) => Err(ConnectionError::InvalidInput(format!(
            "service \"{}\" has the same hosts for everyone; leave out --subdomain (allow \
             another host with `dlg connection edit LINK --add-host HOST`)",
            service.link_name
        ))),
        (None, None) => Ok(Vec::new()),
    }
}

/// The built-in default scopes of an OAuth 2 service, used when none are given.
fn default_scopes(service: &Service) -> Vec<String> {
    match (&service.auth, catalog::entry(&service.link_name)) {
        (AuthSpec::OAuth2(_), Some(entry)) if service.builtin => entry.default_scopes.clone(),
        _ => Vec::new(),
    }
}

/// Renames connection `link_name`, replaces its OAuth 2 scopes and allows it more hosts;
/// returns the message to show (with a note when the new scopes need a new authorization).
pub fn edit(
    store: &Store,
    link_name: &str,
    display_name: Option<&str>,
    scopes: Vec<String>,
    add_hosts: &[String],
) -> Result<String, ConnectionError> {
    if display_name.is_none() && scopes.is_empty() && add_hosts.is_empty() {
        return Err(ConnectionError::InvalidInput(
            "nothing to change; give --display-name, --scope or --add-host".into(),
        ));
    }
    let display_name = display_name.map(check_display_name).transpose()?;
    let scopes = clean_scopes(scopes)?;
    let hosts = add_hosts
        .iter()
        .map(|host| normalize_host(host))
        .collect::<Result<Vec<_>, _>>()?;
    let mut notes = String::new();
    store.update(|transaction| {
        let connection = transaction.require_connection(link_name)?.clone();
        let service = service_of(transaction, &connection)?.clone();
        check_scopes_apply(&service, &scopes)?;
        let connection = transaction.connection_mut(link_name)?;
        if let Some(name) = display_name {
            connection.display_name = name;
        }
        if !scopes.is_empty() && scopes != connection.scopes {
            connection.scopes = scopes;
            if connection.status == Status::Connected {
                let _ = writeln!(
                    notes,
                    "note: run `dlg connection authorize {link_name}` to grant the new scopes"
                );
            }
        }
        for host in hosts {
            if service.allowed_hosts.contains(&host) || connection.extra_hosts.contains(&host) {
                let _ = writeln!(notes, "note: host \"{host}\" is already allowed");
            } else {
                connection.extra_hosts.push(host);
            }
        }
        connection.updated_at = now();
        Ok(())
    })?;
    Ok(format!("updated connection \"{link_name}\"\n{notes}"))
}

/// Deletes the credentials of `link_name` but keeps it (status: disconnected), telling an
/// OAuth provider when it can; returns the message to show.
pub fn revoke(store: &Store, link_name: &str) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let nothing_stored = !snapshot.has_credentials(link_name);
    if nothing_stored
        && matches!(
            connection.status,
            Status::NotConnected | Status::Disconnected
        )
    {
        return Ok(format!(
            "connection \"{link_name}\" holds no credentials; nothing to revoke\n"
        ));
    }
    let remote = match snapshot
        .service(&connection.service)
        .map(|service| &service.auth)
    {
        Some(AuthSpec::OAuth2(_)) => Some(oauth2_connection::revoke_connection(store, link_name)?),
        Some(AuthSpec::OAuth1(_)) => {
            oauth1_connection::revoke_connection(store, link_name)?;
            None
        }
        _ => {
            revoke_locally(store, link_name)?;
            None
        }
    };
    Ok(format!(
        "connection \"{link_name}\" was revoked: its credentials are deleted and its definition \
         kept (authorize it again with `dlg connection authorize {link_name}`)\n{}",
        remote_note(remote)
    ))
}

fn revoke_locally(store: &Store, link_name: &str) -> Result<(), ConnectionError> {
    store.update(|transaction| {
        transaction.set_credentials(link_name, None)?;
        let connection = transaction.connection_mut(link_name)?;
        connection.status = Status::Disconnected;
        connection.expires_at = None;
        connection.updated_at = now();
        Ok(())
    })
}

/// Removes connection `link_name` and its credentials (revoking an OAuth 2 grant at the
/// provider first); returns the message to show.
pub fn delete(store: &Store, link_name: &str) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let oauth2 = matches!(
        snapshot
            .service(&connection.service)
            .map(|service| &service.auth),
        Some(AuthSpec::OAuth2(_))
    );
    let remote = if oauth2 && snapshot.has_credentials(link_name) {
        Some(oauth2_connection::delete_connection(store, link_name)?)
    } else {
        store.update(|transaction| transaction.remove_connection(link_name))?;
        None
    };
    super::usage::forget(store, link_name);
    Ok(format!(
        "deleted connection \"{link_name}\" and its credentials\n{}",
        remote_note(remote)
    ))
}

/// What the provider said when told about a revocation, as a line to print.
fn remote_note(remote: Option<RemoteRevocation>) -> String {
    match remote {
        Some(RemoteRevocation::Revoked) => "the provider revoked the grant too\n".into(),
        Some(RemoteRevocation::NoEndpoint) => {
            "note: the service has no revocation URL, so the provider was not told; the \
             authorization stays valid there until it expires or you remove it in the \
             provider's settings\n"
                .into()
        }
        Some(RemoteRevocation::Failed(why)) => format!(
            "warning: the provider could not be told ({why}); the tokens were deleted here \
             anyway\n"
        ),
        Some(RemoteRevocation::NothingToRevoke) | None => String::new(),
    }
}

/// The service of `connection`, or an error naming the missing service.
pub fn service_of<'a>(
    snapshot: &'a Snapshot,
    connection: &Connection,
) -> Result<&'a Service, ConnectionError> {
    snapshot
        .service(&connection.service)
        .ok_or_else(|| ConnectionError::MissingService {
            link_name: connection.link_name.clone(),
            service: connection.service.clone(),
        })
}

fn clean_scopes(scopes: Vec<String>) -> Result<Vec<String>, ConnectionError> {
    let mut clean: Vec<String> = Vec::new();
    for scope in scopes {
        let scope = scope.trim().to_owned();
        if scope.is_empty() || scope.chars().any(|c| c.is_whitespace() || c.is_control()) {
            return Err(ConnectionError::InvalidInput(format!(
                "scope {scope:?} is empty or contains spaces; give one --scope per scope"
            )));
        }
        if !clean.contains(&scope) {
            clean.push(scope);
        }
    }
    Ok(clean)
}

fn check_scopes_apply(service: &Service, scopes: &[String]) -> Result<(), ConnectionError> {
    if scopes.is_empty() || matches!(service.auth, AuthSpec::OAuth2(_)) {
        return Ok(());
    }
    Err(ConnectionError::InvalidInput(format!(
        "--scope applies only to OAuth 2 connections; service \"{}\" uses {}",
        service.link_name,
        service.auth.kind().title()
    )))
}
