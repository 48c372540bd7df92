//! The app database: one SQLite table per form, the form definitions in `_dlg_fields`, and
//! the run's writes in one transaction (committed when the run succeeds, rolled back when it
//! fails or cancels, as Creator does).
//!
//! Table and column names are form and field link names, always quoted; every value is a bound
//! parameter.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::types::Value as Sql;
use rusqlite::{params_from_iter, Connection, ErrorCode, OpenFlags};

use super::schema::{Field, FieldType, Form};

/// How long a write waits for another program holding the database before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(3);

/// An open app database with its form definitions.
pub struct Store {
    conn: Connection,
    /// Where it lives (`None`: in memory for this run).
    path: Option<PathBuf>,
    forms: HashMap<String, Form>,
    in_transaction: bool,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store").field("path", &self.path).finish()
    }
}

/// After SQLite rolled the run's transaction back itself (a full disk, an I/O error).
const ABORTED: &str = "an earlier database error rolled back this run's record changes; later writes are refused so the app stays as it was before the run";

/// Quotes a form or field name as an SQL identifier.
pub fn quote(name: &str) -> String {
    format!("\"{}\"", name.replace('"', "\"\""))
}

impl Store {
    /// Opens (creating on first use) the database at `path`, or an in-memory one for `None`.
    pub fn open(path: Option<&Path>) -> Result<Store, String> {
        let conn = match path {
            Some(p) => Connection::open_with_flags(
                p,
                OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_CREATE,
            ),
            None => Connection::open_in_memory(),
        }
        .map_err(|e| open_error(path, &e))?;
        let mut store = Store {
            conn,
            path: path.map(Path::to_path_buf),
            forms: HashMap::new(),
            in_transaction: false,
        };
        store
            .conn
            .busy_timeout(BUSY_TIMEOUT)
            .map_err(|e| store.error(&e))?;
        store.init().map_err(|e| open_error(path, &e))?;
        store.load_forms().map_err(|e| open_error(path, &e))?;
        Ok(store)
    }

    fn init(&self) -> rusqlite::Result<()> {
        self.conn.execute_batch(
            "CREATE TABLE IF NOT EXISTS _dlg_forms (form TEXT PRIMARY KEY, declared INTEGER NOT NULL);
             CREATE TABLE IF NOT EXISTS _dlg_fields (form TEXT NOT NULL, field TEXT NOT NULL,
                 type TEXT NOT NULL, position INTEGER NOT NULL, required INTEGER NOT NULL DEFAULT 0,
                 PRIMARY KEY (form, field));
             CREATE TABLE IF NOT EXISTS _dlg_row_ids (id INTEGER PRIMARY KEY AUTOINCREMENT);",
        )
    }

    fn load_forms(&mut self) -> rusqlite::Result<()> {
        let mut forms: HashMap<String, Form> = HashMap::new();
        let mut stmt = self
            .conn
            .prepare("SELECT form, declared FROM _dlg_forms ORDER BY form")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        for row in rows {
            let (name, declared) = row?;
            forms.insert(
                name.clone(),
                Form {
                    name,
                    fields: Vec::new(),
                    declared: declared != 0,
                },
            );
        }
        let mut stmt = self.conn.prepare(
            "SELECT form, field, type, required FROM _dlg_fields ORDER BY form, position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, i64>(3)?,
            ))
        })?;
        for row in rows {
            let (form, name, kind, required) = row?;
            if let (Some(form), Some(kind)) = (forms.get_mut(&form), FieldType::from_name(&kind)) {
                form.fields.push(Field {
                    name,
                    kind,
                    required: required != 0,
                });
            }
        }
        drop(stmt);
        self.forms = forms;
        Ok(())
    }

    /// The database file, or `in memory`, for messages.
    pub fn location(&self) -> String {
        match &self.path {
            Some(p) => p.display().to_string(),
            None => "the in-memory app database".to_owned(),
        }
    }

    /// The form named `name` (exact, then ignoring letter case).
    pub fn form(&self, name: &str) -> Option<&Form> {
        self.forms.get(name).or_else(|| {
            self.forms
                .values()
                .find(|f| f.name.eq_ignore_ascii_case(name))
        })
    }

    /// The names of all forms, sorted.
    pub fn form_names(&self) -> Vec<String> {
        let mut names: Vec<String> = self.forms.keys().cloned().collect();
        names.sort();
        names
    }

    /// Creates `form` if it is new; adds the fields it lacks. `declared` marks a `.ds` form.
    pub fn define(&mut self, form: &str, fields: &[Field], declared: bool) -> Result<(), String> {
        self.begin()?;
        if !self.forms.contains_key(form) {
            let sql = format!(
                "CREATE TABLE IF NOT EXISTS {} (ID INTEGER PRIMARY KEY AUTOINCREMENT, Added_User, Added_Time, Modified_User, Modified_Time)",
                quote(form)
            );
            self.exec(&sql, Vec::new())?;
            self.exec(
                "INSERT OR REPLACE INTO _dlg_forms (form, declared) VALUES (?1, ?2)",
                vec![
                    Sql::Text(form.to_owned()),
                    Sql::Integer(i64::from(declared)),
                ],
            )?;
            self.forms.insert(
                form.to_owned(),
                Form {
                    name: form.to_owned(),
                    fields: Vec::new(),
                    declared,
                },
            );
        }
        for field in fields {
            self.add_field(form, field)?;
        }
        Ok(())
    }

    /// Adds a column for `field` to `form` unless it has one.
    pub fn add_field(&mut self, form: &str, field: &Field) -> Result<(), String> {
        let position = match self.forms.get(form) {
            Some(f) if f.field(&field.name).is_some() => return Ok(()),
            Some(f) => f.fields.len(),
            None => return Ok(()),
        };
        self.begin()?;
        let sql = format!(
            "ALTER TABLE {} ADD COLUMN {}",
            quote(form),
            quote(&field.name)
        );
        self.exec(&sql, Vec::new())?;
        self.exec(
            "INSERT OR REPLACE INTO _dlg_fields (form, field, type, position, required) VALUES (?1, ?2, ?3, ?4, ?5)",
            vec![
                Sql::Text(form.to_owned()),
                Sql::Text(field.name.clone()),
                Sql::Text(field.kind.name()),
                Sql::Integer(position as i64),
                Sql::Integer(i64::from(field.required)),
            ],
        )?;
        if let Some(f) = self.forms.get_mut(form) {
            f.fields.push(field.clone());
        }
        Ok(())
    }

    /// Changes the stored type of `form.field` (an inferred NUMBER field that gets a fraction
    /// becomes DECIMAL).
    pub fn retype(&mut self, form: &str, field: &str, kind: FieldType) -> Result<(), String> {
        self.begin()?;
        self.exec(
            "UPDATE _dlg_fields SET type = ?1 WHERE form = ?2 AND field = ?3",
            vec![
                Sql::Text(kind.name()),
                Sql::Text(form.to_owned()),
                Sql::Text(field.to_owned()),
            ],
        )?;
        if let Some(f) = self.forms.get_mut(form) {
            if let Some(entry) = f.fields.iter_mut().find(|f| f.name == field) {
                entry.kind = kind;
            }
        }
        Ok(())
    }

    /// Starts the run's transaction if none is open.
    pub fn begin(&mut self) -> Result<(), String> {
        if self.in_transaction && self.conn.is_autocommit() {
            return Err(ABORTED.to_owned());
        }
        if !self.in_transaction {
            self.conn
                .execute_batch("BEGIN IMMEDIATE")
                .map_err(|e| self.error(&e))?;
            self.in_transaction = true;
        }
        Ok(())
    }

    /// Ends the run's transaction: keeps its writes (`commit`) or drops them all.
    pub fn finish(&mut self, commit: bool) -> Result<(), String> {
        if !self.in_transaction {
            return Ok(());
        }
        self.in_transaction = false;
        if self.conn.is_autocommit() {
            return if commit {
                Err(ABORTED.to_owned())
            } else {
                Ok(())
            };
        }
        let sql = if commit { "COMMIT" } else { "ROLLBACK" };
        match self.conn.execute_batch(sql) {
            Ok(()) => Ok(()),
            Err(e) => {
                let message = self.error(&e);
                let _ = self.conn.execute_batch("ROLLBACK");
                Err(message)
            }
        }
    }

    /// Runs a statement with bound parameters; returns the number of rows changed.
    pub fn exec(&self, sql: &str, params: Vec<Sql>) -> Result<usize, String> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.error(&e))?;
        stmt.execute(params_from_iter(params))
            .map_err(|e| self.error(&e))
    }

    /// The last inserted row's ID.
    pub fn last_id(&self) -> i64 {
        self.conn.last_insert_rowid()
    }

    /// A fresh ID for a subform row.
    pub fn row_id(&mut self) -> Result<i64, String> {
        self.begin()?;
        self.exec("INSERT INTO _dlg_row_ids DEFAULT VALUES", Vec::new())?;
        Ok(self.last_id())
    }

    /// Runs a query; returns every row's columns.
    pub fn query(&self, sql: &str, params: Vec<Sql>) -> Result<Vec<Vec<Sql>>, String> {
        let mut stmt = self.conn.prepare_cached(sql).map_err(|e| self.error(&e))?;
        let width = stmt.column_count();
        let mut rows = stmt
            .query(params_from_iter(params))
            .map_err(|e| self.error(&e))?;
        let mut out = Vec::new();
        while let Some(row) = rows.next().map_err(|e| self.error(&e))? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(row.get::<_, Sql>(i).map_err(|e| self.error(&e))?);
            }
            out.push(values);
        }
        Ok(out)
    }

    /// A clear message for a database error: locked, full, corrupt, or SQLite's own words.
    pub fn error(&self, e: &rusqlite::Error) -> String {
        describe(&self.location(), e)
    }
}

fn open_error(path: Option<&Path>, e: &rusqlite::Error) -> String {
    let location = path.map_or_else(
        || "the in-memory app database".to_owned(),
        |p| p.display().to_string(),
    );
    describe(&location, e)
}

fn describe(location: &str, e: &rusqlite::Error) -> String {
    match e.sqlite_error_code() {
        Some(ErrorCode::DatabaseBusy | ErrorCode::DatabaseLocked) => format!(
            "the app database {location} is locked by another program (another run?); this run's writes were not saved and the data is unchanged: try again when it finishes"
        ),
        Some(ErrorCode::DiskFull) => format!(
            "the disk holding the app database {location} is full; this run's writes were rolled back and the earlier data is intact: free some space and run again"
        ),
        Some(ErrorCode::NotADatabase | ErrorCode::DatabaseCorrupt) => format!(
            "{location} is not a readable app database (SQLite: {e}); nothing was changed: restore it from a backup or give `CreatorOptions::database` another file"
        ),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied) => {
            format!("cannot write the app database {location} (SQLite: {e}): check the path and its permissions")
        }
        _ => format!("app database {location}: {e}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creator::records::{insert, Stamp};
    use crate::eval::value::Value;

    #[test]
    fn a_full_database_is_a_clear_error_and_the_saved_data_stays() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("full.db");
        let stamp = Stamp {
            user: "u".into(),
            now: "2024-01-01 00:00:00".into(),
        };
        let mut store = Store::open(Some(&path)).unwrap();
        let fields = [("Text".into(), Value::text("kept"))];
        insert(&mut store, "Log", &fields, &stamp).unwrap();
        store.finish(true).unwrap();
        store
            .conn
            .execute_batch("PRAGMA max_page_count = 8")
            .unwrap();
        let big = [("Text".into(), Value::text("x".repeat(4000)))];
        let err = (0..100)
            .find_map(|_| insert(&mut store, "Log", &big, &stamp).err())
            .unwrap();
        assert_eq!(
            err,
            format!(
                "the disk holding the app database {} is full; this run's writes were rolled back and the earlier data is intact: free some space and run again",
                path.display()
            )
        );
        assert_eq!(
            insert(&mut store, "Log", &fields, &stamp).unwrap_err(),
            ABORTED
        );
        assert_eq!(store.finish(true).unwrap_err(), ABORTED);
        drop(store);
        let store = Store::open(Some(&path)).unwrap();
        let rows = store.query("SELECT Text FROM Log", Vec::new()).unwrap();
        assert_eq!(rows, vec![vec![Sql::Text("kept".into())]]);
    }
}
