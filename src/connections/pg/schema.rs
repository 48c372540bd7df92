//! The database schema: created and migrated on first use, one numbered step at a time, under
//! an advisory lock so that processes starting together migrate once. `dlg_schema_version`
//! holds the version reached.

use postgres::Client;

/// The schema version this build writes.
pub const VERSION: i32 = 1;

/// Key of the advisory lock held while migrating.
const MIGRATION_LOCK: i64 = 0x646c_675f_7363_6865; // "dlg_sche"

/// Each step, in order; step `n` (1-based) brings the schema to version `n`.
const STEPS: [&str; VERSION as usize] = [
    // 1: tenants (with their key check and authentication code), services, connections. The
    // model is stored as the JSON text dlg writes (text, not jsonb, so the authentication code
    // checks the exact bytes); secrets only as AES-256-GCM records.
    "CREATE TABLE dlg_tenants (
         name text PRIMARY KEY,
         key_check text,
         mac text,
         revision bigint NOT NULL DEFAULT 0
     );
     CREATE TABLE dlg_services (
         tenant text NOT NULL REFERENCES dlg_tenants (name) ON DELETE CASCADE,
         link_name text NOT NULL,
         position integer NOT NULL,
         definition text NOT NULL,
         secrets text,
         PRIMARY KEY (tenant, link_name)
     );
     CREATE TABLE dlg_connections (
         tenant text NOT NULL REFERENCES dlg_tenants (name) ON DELETE CASCADE,
         link_name text NOT NULL,
         position integer NOT NULL,
         definition text NOT NULL,
         credentials text,
         PRIMARY KEY (tenant, link_name)
     );",
];

/// What migrating found.
pub enum Outcome {
    /// The schema is at [`VERSION`] (migrated now or before).
    Ready,
    /// The schema is newer than this build knows.
    TooNew(i32),
}

/// Brings the schema to [`VERSION`] in one transaction; a second run changes nothing.
pub fn migrate(client: &mut Client) -> Result<Outcome, postgres::Error> {
    let mut transaction = client.transaction()?;
    transaction.execute("SELECT pg_advisory_xact_lock($1)", &[&MIGRATION_LOCK])?;
    transaction.batch_execute(
        "CREATE TABLE IF NOT EXISTS dlg_schema_version (version integer NOT NULL)",
    )?;
    let found: Option<i32> = transaction
        .query_one("SELECT max(version) FROM dlg_schema_version", &[])?
        .get(0);
    let found = found.unwrap_or(0);
    if found > VERSION {
        return Ok(Outcome::TooNew(found));
    }
    for step in STEPS.iter().skip(usize::try_from(found).unwrap_or(0)) {
        transaction.batch_execute(step)?;
    }
    if found < VERSION {
        transaction.execute("DELETE FROM dlg_schema_version", &[])?;
        transaction.execute(
            "INSERT INTO dlg_schema_version (version) VALUES ($1)",
            &[&VERSION],
        )?;
    }
    transaction.commit()?;
    Ok(Outcome::Ready)
}
