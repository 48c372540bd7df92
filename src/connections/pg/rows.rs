//! One tenant's rows: read into a [`StoreFile`] and written back from one. Definitions are the
//! JSON dlg writes for a service or connection; secrets are AES-256-GCM records (JSON of
//! nonce and ciphertext), never clear text.

use crate::connections::crypto::Sealed;
use crate::connections::store_file::{StoreFile, StoredConnection, StoredService, FORMAT};
use postgres::GenericClient;

/// A tenant's stored state, before its authentication code is checked.
pub struct TenantRows {
    /// The tenant row's key check and code; `None` when the tenant has never been written.
    pub seal: Option<(Option<String>, String)>,
    /// The content (empty for a new tenant).
    pub file: StoreFile,
}

/// Why rows could not be used.
pub enum RowsError {
    /// The database failed.
    Database(postgres::Error),
    /// A row does not hold what dlg writes.
    Corrupt(String),
}

impl From<postgres::Error> for RowsError {
    fn from(error: postgres::Error) -> Self {
        RowsError::Database(error)
    }
}

/// Reads the tenant's rows; with `lock`, takes the tenant's row lock first (the caller is in a
/// transaction), so that writers of one tenant go one at a time.
pub fn read(
    client: &mut impl GenericClient,
    tenant: &str,
    lock: bool,
) -> Result<TenantRows, RowsError> {
    let select = if lock {
        client.execute(
            "INSERT INTO dlg_tenants (name) VALUES ($1) ON CONFLICT (name) DO NOTHING",
            &[&tenant],
        )?;
        "SELECT key_check, mac FROM dlg_tenants WHERE name = $1 FOR UPDATE"
    } else {
        "SELECT key_check, mac FROM dlg_tenants WHERE name = $1"
    };
    let seal = client
        .query_opt(select, &[&tenant])?
        .and_then(|row| row.get::<_, Option<String>>(1).map(|mac| (row.get(0), mac)));
    let mut file = StoreFile::empty();
    if seal.is_none() {
        return Ok(TenantRows { seal, file });
    }
    let services =
        "SELECT definition, secrets FROM dlg_services WHERE tenant = $1 ORDER BY position";
    for row in client.query(services, &[&tenant])? {
        file.services.push(StoredService {
            service: decode(row.get(0), "service")?,
            secrets: sealed(row.get(1))?,
        });
    }
    let connections =
        "SELECT definition, credentials FROM dlg_connections WHERE tenant = $1 ORDER BY position";
    for row in client.query(connections, &[&tenant])? {
        file.connections.push(StoredConnection {
            connection: decode(row.get(0), "connection")?,
            credentials: sealed(row.get(1))?,
        });
    }
    file.key_check = seal.as_ref().and_then(|(check, _)| check.clone());
    file.format = FORMAT;
    Ok(TenantRows { seal, file })
}

/// Replaces the tenant's rows with `file` and records its key check and code. The caller holds
/// the tenant's row lock in a transaction.
pub fn write(
    client: &mut impl GenericClient,
    tenant: &str,
    file: &StoreFile,
    code: &str,
) -> Result<(), RowsError> {
    client.execute("DELETE FROM dlg_services WHERE tenant = $1", &[&tenant])?;
    client.execute("DELETE FROM dlg_connections WHERE tenant = $1", &[&tenant])?;
    let insert_service = client.prepare(
        "INSERT INTO dlg_services (tenant, link_name, position, definition, secrets) \
         VALUES ($1, $2, $3, $4, $5)",
    )?;
    for (position, stored) in (0i32..).zip(&file.services) {
        let definition = encode(&stored.service)?;
        let secrets = stored.secrets.as_ref().map(encode).transpose()?;
        let name = &stored.service.link_name;
        client.execute(
            &insert_service,
            &[&tenant, name, &position, &definition, &secrets],
        )?;
    }
    let insert_connection = client.prepare(
        "INSERT INTO dlg_connections (tenant, link_name, position, definition, credentials) \
         VALUES ($1, $2, $3, $4, $5)",
    )?;
    for (position, stored) in (0i32..).zip(&file.connections) {
        let definition = encode(&stored.connection)?;
        let credentials = stored.credentials.as_ref().map(encode).transpose()?;
        let name = &stored.connection.link_name;
        client.execute(
            &insert_connection,
            &[&tenant, name, &position, &definition, &credentials],
        )?;
    }
    client.execute(
        "UPDATE dlg_tenants SET key_check = $2, mac = $3, revision = revision + 1 WHERE name = $1",
        &[&tenant, &file.key_check, &code],
    )?;
    Ok(())
}

fn decode<T: serde::de::DeserializeOwned>(text: String, what: &str) -> Result<T, RowsError> {
    serde_json::from_str(&text).map_err(|e| RowsError::Corrupt(format!("a {what} row: {e}")))
}

fn sealed(text: Option<String>) -> Result<Option<Sealed>, RowsError> {
    text.map(|text| decode(text, "secret")).transpose()
}

fn encode<T: serde::Serialize>(value: &T) -> Result<String, RowsError> {
    serde_json::to_string(value).map_err(|e| RowsError::Corrupt(format!("cannot encode: {e}")))
}
