//! Errors of the connection manager. Every message names the connection, service or file it is
//! about and, when there is one, the `dlg` command that fixes it. No message holds a secret.

use std::fmt;
use std::io;
use std::path::PathBuf;

use crate::eval::failure::{ErrorKind, Failure};

/// Why a script that names a connection fails on an engine without a connection store, and how
/// the embedding program gives it one.
pub const NO_CONNECTION_STORE: &str = "this engine has no connection store; the program running \
     the script attaches one with `Engine::set_connections` (its own store) or makes the engine \
     with `Engine::with_default_store()` (the store the dlg tool uses)";

/// Something the connection manager could not do. Messages name the connection and the `dlg`
/// command that fixes the problem, never a secret.
///
/// ```
/// use deluge_lang::http::ConnectionError;
///
/// let error = ConnectionError::Revoked { link_name: "crm".into() };
/// assert!(error.to_string().contains("\"crm\""), "{error}");
/// ```
#[derive(Debug)]
pub enum ConnectionError {
    /// A link name breaks the naming rule.
    InvalidName {
        /// "connection" or "service".
        kind: &'static str,
        /// Why the name is rejected (already quotes the name).
        reason: String,
    },
    /// A value given on the command line or in a definition is not acceptable.
    InvalidInput(String),
    /// No connection has this link name.
    UnknownConnection {
        /// The link name looked up.
        link_name: String,
    },
    /// No service has this link name.
    UnknownService {
        /// The service link name looked up.
        name: String,
    },
    /// A connection refers to a service that no longer exists.
    MissingService {
        /// The connection.
        link_name: String,
        /// The service it refers to.
        service: String,
    },
    /// A connection with this link name exists already.
    ConnectionExists {
        /// The link name.
        link_name: String,
    },
    /// A service with this link name exists already.
    ServiceExists {
        /// The service link name.
        name: String,
    },
    /// A service cannot be deleted while connections use it.
    ServiceInUse {
        /// The service.
        name: String,
        /// The connections using it.
        connections: Vec<String>,
    },
    /// Built-in services are part of dlg and cannot be deleted.
    BuiltinService {
        /// The service.
        name: String,
    },
    /// The connection was created but never authorized (or its authorization failed).
    NotConnected {
        /// The connection.
        link_name: String,
    },
    /// The connection was revoked.
    Revoked {
        /// The connection.
        link_name: String,
    },
    /// The provider no longer accepts the connection's grant.
    NeedsReauthorization {
        /// The connection.
        link_name: String,
        /// What happened, e.g. "the provider rejected the refresh token (invalid_grant)".
        reason: String,
    },
    /// The request goes to a host the connection may not send its credentials to.
    HostNotAllowed {
        /// The connection.
        link_name: String,
        /// The request's host.
        host: String,
        /// The hosts the connection may use.
        allowed: Vec<String>,
    },
    /// The request already carries a value the connection must set.
    Conflict {
        /// The connection.
        link_name: String,
        /// What collides, e.g. `the "Authorization" header`.
        what: String,
        /// How to resolve it.
        fix: String,
    },
    /// A form parameter cannot be added because the request body is not a form.
    BodyNotForm {
        /// The connection.
        link_name: String,
        /// The parameter's key.
        key: String,
    },
    /// A stored credential cannot be sent, e.g. a header value with a line break.
    UnusableCredential {
        /// The connection.
        link_name: String,
        /// Which parameter ("password", "api-key", ...), never its value.
        field: String,
        /// Why.
        reason: String,
    },
    /// An OAuth step (authorization, refresh, revocation) failed. The message says what the
    /// provider or the flow reported and what became of the connection.
    OAuth {
        /// The connection.
        link_name: String,
        /// What happened, without any secret.
        message: String,
    },
    /// This build cannot perform the step for the service's authentication type yet.
    UnsupportedAuth {
        /// The connection or service.
        subject: String,
        /// The auth type, e.g. "OAuth 2".
        auth: &'static str,
        /// The step, e.g. "sign requests".
        action: &'static str,
    },
    /// The store file is not valid JSON or not a store.
    StoreCorrupt {
        /// The store file.
        path: PathBuf,
        /// The parse error (position and cause).
        detail: String,
    },
    /// The store file was written by a newer dlg.
    StoreTooNew {
        /// The store file.
        path: PathBuf,
        /// Its format number.
        format: u64,
    },
    /// A file or folder of the store could not be read, written or created.
    Io {
        /// The file or folder.
        path: PathBuf,
        /// What was attempted: "read", "write", "create", "lock", ...
        action: &'static str,
        /// The system error.
        source: io::Error,
    },
    /// No configuration folder could be found and `DLG_HOME` is not set.
    NoConfigDir,
    /// The master key is present but malformed.
    InvalidKey {
        /// Where it came from: `DLG_MASTER_KEY` or the key file path.
        origin: String,
        /// What is wrong.
        reason: String,
    },
    /// The store holds encrypted data but no key is available.
    KeyMissing {
        /// The store file.
        store: PathBuf,
        /// The expected key file.
        key_file: PathBuf,
    },
    /// The key does not open the store's encrypted data.
    KeyMismatch {
        /// The store file.
        store: PathBuf,
        /// Where the key came from: `DLG_MASTER_KEY` or the key file path.
        origin: String,
    },
    /// An encrypted record does not decrypt although the key matches: the file was altered.
    RecordTampered {
        /// The store file.
        store: PathBuf,
        /// Which record, e.g. `connection "crm"`.
        record: String,
    },
    /// A PostgreSQL store could not be reached or answered with an error.
    Database {
        /// The store (its URL without the password, and the tenant).
        store: String,
        /// What was attempted, e.g. "connect", "read the connections".
        action: &'static str,
        /// The driver's message (never holds the password).
        detail: String,
    },
    /// A PostgreSQL store needs `DLG_MASTER_KEY` (it has no key file).
    KeyRequired {
        /// The store (its URL without the password, and the tenant).
        store: String,
    },
    /// The database schema was written by a newer dlg.
    SchemaTooNew {
        /// The store (its URL without the password).
        store: String,
        /// The schema version found.
        version: i32,
    },
    /// A tenant's rows in a PostgreSQL store do not match their authentication code.
    DatabaseTampered {
        /// The store (its URL without the password, and the tenant).
        store: String,
    },
    /// `dlg store copy` was given the same store as source and target.
    SameStore {
        /// The store.
        store: String,
    },
    /// Another process holds the store lock for too long.
    LockTimeout {
        /// The lock file.
        path: PathBuf,
    },
    /// A store folder, key file or lock file another local user could control.
    UnsafePath {
        /// What it is, e.g. "the master key file".
        what: &'static str,
        /// The file or folder.
        path: PathBuf,
        /// What is wrong with it.
        problem: String,
        /// How to fix it.
        fix: String,
    },
    /// The store file's authentication code does not match: it was changed outside dlg.
    StoreTampered {
        /// The store file.
        path: PathBuf,
    },
}

impl fmt::Display for ConnectionError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ConnectionError::*;
        match self {
            InvalidName { kind, reason } => write!(f, "invalid {kind} link name: {reason}"),
            InvalidInput(message) => f.write_str(message),
            UnknownConnection { link_name } => write!(
                f,
                "connection \"{link_name}\" does not exist; create it with \
                 `dlg connection create {link_name} --service SERVICE` \
                 (`dlg connection list` shows the existing ones)"
            ),
            UnknownService { name } => write!(
                f,
                "service \"{name}\" does not exist; create it with \
                 `dlg service create {name} --auth api-key|basic|oauth1|oauth2 --host HOST` \
                 (`dlg service list` shows the existing ones)"
            ),
            MissingService { link_name, service } => write!(
                f,
                "connection \"{link_name}\" uses service \"{service}\", which does not exist any \
                 more; recreate it with `dlg service create {service} ...` or remove the \
                 connection with `dlg connection delete {link_name}`"
            ),
            ConnectionExists { link_name } => write!(
                f,
                "connection \"{link_name}\" already exists; choose another link name, or change \
                 it with `dlg connection edit {link_name}`"
            ),
            ServiceExists { name } => write!(
                f,
                "service \"{name}\" already exists; choose another name, or remove it first with \
                 `dlg service delete {name}`"
            ),
            ServiceInUse { name, connections } => {
                let first = connections.first().map(String::as_str).unwrap_or("LINK");
                write!(
                    f,
                    "service \"{name}\" is used by connection(s) {}; delete them first \
                     (`dlg connection delete {first}`)",
                    quoted_list(connections)
                )
            }
            BuiltinService { name } => write!(
                f,
                "service \"{name}\" is built into dlg and cannot be deleted"
            ),
            NotConnected { link_name } => write!(
                f,
                "connection \"{link_name}\" is not connected; authorize it first \
                 (`dlg connection authorize {link_name}`)"
            ),
            Revoked { link_name } => write!(
                f,
                "connection \"{link_name}\" was revoked; authorize it again to use it \
                 (`dlg connection authorize {link_name}`)"
            ),
            NeedsReauthorization { link_name, reason } => write!(
                f,
                "connection \"{link_name}\" needs re-authorization: {reason}; run \
                 `dlg connection authorize {link_name}`"
            ),
            HostNotAllowed {
                link_name,
                host,
                allowed,
            } => {
                let allowed = if allowed.is_empty() {
                    "no host yet".to_owned()
                } else {
                    format!("only {}", quoted_list(allowed))
                };
                write!(
                    f,
                    "connection \"{link_name}\" may not send its credentials to host \"{host}\" \
                     (it allows {allowed}); a script chose that host, so check that it belongs \
                     to the service before allowing it: `dlg connection edit {link_name} \
                     --add-host HOST` adds a host (type the host yourself)"
                )
            }
            Conflict {
                link_name,
                what,
                fix,
            } => write!(
                f,
                "connection \"{link_name}\" sets {what}, but the request already has it; {fix}"
            ),
            BodyNotForm { link_name, key } => write!(
                f,
                "connection \"{link_name}\" puts its parameter \"{key}\" in a form body, but the \
                 request has a raw body; send the data as `parameters` (a map) instead, or \
                 recreate the service with the parameter in the query or a header"
            ),
            UnusableCredential {
                link_name,
                field,
                reason,
            } => write!(
                f,
                "connection \"{link_name}\": the stored {field} {reason}; enter it again with \
                 `dlg connection authorize {link_name}`"
            ),
            OAuth { link_name, message } => write!(f, "connection \"{link_name}\": {message}"),
            UnsupportedAuth {
                subject,
                auth,
                action,
            } => write!(
                f,
                "{subject} uses {auth}, and this build of dlg cannot {action} for {auth} yet"
            ),
            StoreCorrupt { path, detail } => write!(
                f,
                "the connection store {} is damaged ({detail}); dlg has not changed it. Restore \
                 it from a backup, or move it aside to start with an empty store (`mv {} {}.bad`)",
                path.display(),
                path.display(),
                path.display()
            ),
            StoreTooNew { path, format } => write!(
                f,
                "the connection store {} has format {format}, written by a newer dlg; upgrade \
                 dlg to use it (dlg has not changed the file)",
                path.display()
            ),
            Io {
                path,
                action,
                source,
            } => {
                write!(f, "cannot {action} {}: {source}", path.display())?;
                if source.kind() == io::ErrorKind::PermissionDenied {
                    write!(
                        f,
                        "; check that you own it and that it is readable and writable by you \
                         (`chmod 600` for files, `chmod 700` for the folder)"
                    )?;
                }
                Ok(())
            }
            NoConfigDir => f.write_str(
                "cannot find a configuration folder for the connection store (no home folder?); \
                 set DLG_HOME to a folder of your choice",
            ),
            InvalidKey { origin, reason } => write!(
                f,
                "the master key in {origin} is not usable: {reason}; it must be the base64 of \
                 exactly 32 bytes (for example the output of `openssl rand -base64 32`)"
            ),
            KeyMissing { store, key_file } => write!(
                f,
                "the connection store {} is encrypted and authenticated with a master key, but \
                 no master key was found: neither DLG_MASTER_KEY is set nor {} exists; set DLG_MASTER_KEY to the \
                 key used before, or restore the key file from a backup",
                store.display(),
                key_file.display()
            ),
            KeyMismatch { store, origin } => write!(
                f,
                "the master key from {origin} is not the key the connection store {} was \
                 encrypted with; set DLG_MASTER_KEY to the key used before (or unset it to use \
                 the key file), or restore the original key file; dlg has not changed the store",
                store.display()
            ),
            RecordTampered { store, record } => write!(
                f,
                "the encrypted credentials of {record} in {} do not decrypt: the file was \
                 altered; restore it from a backup, or revoke and authorize the connection again",
                store.display()
            ),
            Database {
                store,
                action,
                detail,
            } => write!(
                f,
                "the connection store {store} could not {action}: {detail}; check that the \
                 database is running and that --store or DLG_STORE names it correctly"
            ),
            KeyRequired { store } => write!(
                f,
                "the connection store {store} needs DLG_MASTER_KEY (a database store has no key \
                 file): set it to the base64 of 32 random bytes (`openssl rand -base64 32`), the \
                 same on every machine sharing the store"
            ),
            SchemaTooNew { store, version } => write!(
                f,
                "the connection store {store} has schema version {version}, written by a newer \
                 dlg; upgrade dlg to use it (dlg has not changed the database)"
            ),
            DatabaseTampered { store } => write!(
                f,
                "the connection store {store} was changed outside dlg (its rows do not match \
                 their authentication code, e.g. edited hosts, URLs or settings), so dlg will not \
                 use it and has not changed it; restore the tenant's rows from a backup, or copy \
                 a good store over it with `dlg store copy`"
            ),
            SameStore { store } => write!(
                f,
                "--from and --to both name {store}; give two different stores"
            ),
            LockTimeout { path } => write!(
                f,
                "another dlg process has held the connection store lock {} for too long; wait \
                 for it to finish and try again",
                path.display()
            ),
            UnsafePath {
                what,
                path,
                problem,
                fix,
            } => write!(
                f,
                "dlg refuses to use {what} {}: {problem}; {fix}",
                path.display()
            ),
            StoreTampered { path } => write!(
                f,
                "the connection store {} was changed outside dlg (its authentication code does \
                 not match its content, e.g. edited hosts, URLs or settings), so dlg will not \
                 use it and has not changed it; restore it from a backup, or move it aside \
                 (`mv {} {}.bad`) and set up the services and connections again",
                path.display(),
                path.display(),
                path.display()
            ),
        }
    }
}

impl ConnectionError {
    /// The [`ErrorKind`] a run's error gets when this error stops a request: the connection
    /// is missing, its credentials are rejected, it may not go to the host, the store failed,
    /// or the request does not fit the connection (a script error).
    ///
    /// ```
    /// use deluge_lang::http::ConnectionError;
    /// use deluge_lang::ErrorKind;
    /// let revoked = ConnectionError::Revoked { link_name: "crm".into() };
    /// assert_eq!(revoked.kind(), ErrorKind::CredentialRejected);
    /// let unknown = ConnectionError::UnknownConnection { link_name: "crm".into() };
    /// assert_eq!(unknown.kind(), ErrorKind::NoConnection);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        use ConnectionError::*;
        match self {
            UnknownConnection { .. } | UnknownService { .. } | MissingService { .. } => {
                ErrorKind::NoConnection
            }
            NotConnected { .. }
            | Revoked { .. }
            | NeedsReauthorization { .. }
            | UnusableCredential { .. }
            | OAuth { .. } => ErrorKind::CredentialRejected,
            HostNotAllowed { .. } => ErrorKind::Egress,
            InvalidName { .. }
            | InvalidInput(_)
            | Conflict { .. }
            | BodyNotForm { .. }
            | UnsupportedAuth { .. }
            | ConnectionExists { .. }
            | ServiceExists { .. }
            | ServiceInUse { .. }
            | BuiltinService { .. }
            | SameStore { .. } => ErrorKind::Script,
            _ => ErrorKind::ConnectionStore,
        }
    }
}

impl From<ConnectionError> for Failure {
    /// A failure of the error's [`kind`](ConnectionError::kind), caused by it, with its text.
    fn from(error: ConnectionError) -> Failure {
        Failure::caused_by(error.kind(), error)
    }
}

impl std::error::Error for ConnectionError {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            ConnectionError::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `"a", "b", "c"`.
fn quoted_list(items: &[String]) -> String {
    items
        .iter()
        .map(|item| format!("\"{item}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn link(name: &str) -> String {
        name.to_owned()
    }

    #[test]
    fn runtime_errors_name_the_connection_and_the_fix() {
        let cases = [
            (
                ConnectionError::UnknownConnection {
                    link_name: link("crm"),
                },
                "dlg connection create crm --service",
            ),
            (
                ConnectionError::NotConnected {
                    link_name: link("crm"),
                },
                "dlg connection authorize crm",
            ),
            (
                ConnectionError::Revoked {
                    link_name: link("crm"),
                },
                "dlg connection authorize crm",
            ),
            (
                ConnectionError::NeedsReauthorization {
                    link_name: link("crm"),
                    reason: "the provider rejected the refresh token (invalid_grant)".into(),
                },
                "dlg connection authorize crm",
            ),
            (
                ConnectionError::HostNotAllowed {
                    link_name: link("crm"),
                    host: "evil.example".into(),
                    allowed: vec!["api.example.com".into()],
                },
                "`dlg connection edit crm --add-host HOST`",
            ),
        ];
        for (error, fix) in cases {
            let message = error.to_string();
            assert!(message.contains("connection \"crm\""), "{message}");
            assert!(message.contains(fix), "{message}");
        }
    }

    #[test]
    fn host_error_lists_allowed_hosts() {
        let error = ConnectionError::HostNotAllowed {
            link_name: link("crm"),
            host: "evil.example".into(),
            allowed: vec!["a.example".into(), "b.example".into()],
        };
        assert!(error
            .to_string()
            .contains("it allows only \"a.example\", \"b.example\""));
    }

    #[test]
    fn store_errors_name_the_file_and_the_fix() {
        let error = ConnectionError::StoreCorrupt {
            path: PathBuf::from("/h/connections.json"),
            detail: "expected value at line 1 column 1".into(),
        };
        let message = error.to_string();
        assert!(message.contains("/h/connections.json"), "{message}");
        assert!(message.contains("has not changed it"), "{message}");
        assert!(message.contains("line 1 column 1"), "{message}");
    }
}
