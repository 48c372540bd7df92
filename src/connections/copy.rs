//! Copying a store's services and connections into another store (`dlg store copy`): every
//! secret is decrypted with the source's key and sealed again under the target's, and the
//! target is written in one transaction, so a failure leaves it as it was.

use crate::connections::ConnectionError;
use super::model::{Connection, Credentials, Service, ServiceSecrets};
use super::store::{Snapshot, Store, Transaction};

/// What was copied.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct CopyReport {
    /// Services copied.
    pub services: usize,
    /// Connections copied.
    pub connections: usize,
}

/// Copies every stored service and connection of `from` into `to`. With `replace`, the
/// target's own services and connections are removed first; without it, a name both stores
/// hold is refused (nothing is copied).
pub fn copy(from: &Store, to: &Store, replace: bool) -> Result<CopyReport, ConnectionError> {
    if from.describe() == to.describe() {
        return Err(ConnectionError::SameStore {
            store: from.describe(),
        });
    }
    let source = from.load()?;
    let services = decrypted_services(&source)?;
    let connections = decrypted_connections(&source)?;
    to.update(|tx| {
        if replace {
            clear(tx)?;
        } else {
            refuse_clashes(tx, &services, &connections, &to.describe())?;
        }
        for (service, secrets) in &services {
            tx.add_service(service.clone(), secrets)?;
        }
        for (connection, credentials) in &connections {
            tx.add_connection(connection.clone())?;
            if credentials.is_some() {
                tx.set_credentials(&connection.link_name, credentials.as_ref())?;
            }
        }
        Ok(CopyReport {
            services: services.len(),
            connections: connections.len(),
        })
    })
}

fn decrypted_services(
    source: &Snapshot,
) -> Result<Vec<(Service, ServiceSecrets)>, ConnectionError> {
    source
        .services()
        .map(|service| Ok((service.clone(), source.service_secrets(&service.link_name)?)))
        .collect()
}

fn decrypted_connections(
    source: &Snapshot,
) -> Result<Vec<(Connection, Option<Credentials>)>, ConnectionError> {
    source
        .connections()
        .map(|connection| {
            let credentials = source.credentials(&connection.link_name)?;
            Ok((connection.clone(), credentials))
        })
        .collect()
}

fn clear(tx: &mut Transaction) -> Result<(), ConnectionError> {
    let connections: Vec<String> = tx.connections().map(|c| c.link_name.clone()).collect();
    for link_name in connections {
        tx.remove_connection(&link_name)?;
    }
    let services: Vec<String> = tx.services().map(|s| s.link_name.clone()).collect();
    for name in services {
        tx.remove_service(&name)?;
    }
    Ok(())
}

fn refuse_clashes(
    tx: &Transaction,
    services: &[(Service, ServiceSecrets)],
    connections: &[(Connection, Option<Credentials>)],
    target: &str,
) -> Result<(), ConnectionError> {
    let mut clashes: Vec<String> = services
        .iter()
        .filter(|(service, _)| tx.service(&service.link_name).is_some())
        .map(|(service, _)| format!("service \"{}\"", service.link_name))
        .collect();
    clashes.extend(
        connections
            .iter()
            .filter(|(connection, _)| tx.connection(&connection.link_name).is_some())
            .map(|(connection, _)| format!("connection \"{}\"", connection.link_name)),
    );
    if clashes.is_empty() {
        return Ok(());
    }
    Err(ConnectionError::InvalidInput(format!(
        "{target} already holds {}; nothing was copied: delete them there first, or pass \
         --replace to replace everything the target holds",
        clashes.join(", ")
    )))
}
