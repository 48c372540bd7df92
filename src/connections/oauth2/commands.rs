//! What `dlg connection authorize|revoke|delete` call for OAuth connections (both OAuth 1 and
//! OAuth 2 live behind these entry points so the CLI needs one call per command).

use super::connection::{self, AuthorizeOptions, RemoteRevocation};
use super::flow::{CodeFlowOptions, DEFAULT_AUTHORIZE_TIMEOUT};
use super::ui::TerminalUi;
use crate::connections::errors::ConnectionError;
use crate::connections::model::AuthSpec;
use crate::connections::oauth1;
use crate::connections::store::Store;

/// True when the connection's service uses OAuth 1 or OAuth 2.
pub fn is_oauth(store: &Store, link_name: &str) -> Result<bool, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = snapshot.require_service(&connection.service)?;
    Ok(matches!(
        service.auth,
        AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_)
    ))
}

/// `dlg connection authorize LINK [--no-browser] [--port N]` for an OAuth connection, on the
/// terminal: prints the URL (opening a browser unless `no_browser`), waits for the loopback
/// redirect or, with `no_browser`, a pasted redirect URL (or OAuth 1 PIN). Returns the line to
/// print.
pub fn authorize_command(
    store: &Store,
    link_name: &str,
    no_browser: bool,
    port: Option<u16>,
) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = snapshot.require_service(&connection.service)?;
    let mut ui = TerminalUi {
        open_browser: !no_browser,
        accept_paste: no_browser,
    };
    match &service.auth {
        AuthSpec::OAuth2(_) => {
            let options = AuthorizeOptions {
                code_flow: CodeFlowOptions {
                    port,
                    timeout: DEFAULT_AUTHORIZE_TIMEOUT,
                },
            };
            connection::authorize_connection(store, link_name, options, &mut ui)?;
        }
        AuthSpec::OAuth1(_) => {
            let options = oauth1::flow::FlowOptions {
                port,
                out_of_band: false,
                timeout: oauth1::flow::DEFAULT_AUTHORIZE_TIMEOUT,
            };
            oauth1::connection::authorize_connection(store, link_name, options, &mut ui)?;
        }
        other => {
            return Err(ConnectionError::InvalidInput(format!(
                "connection \"{link_name}\" uses {}, not OAuth",
                other.kind().title()
            )))
        }
    }
    Ok(format!("connection \"{link_name}\" is connected\n"))
}

/// Before `dlg connection revoke` or `delete` drop an OAuth 2 connection's tokens: revoke them
/// at the provider (best effort). Returns a sentence for the user, or `None` when the
/// connection is not OAuth 2 or holds no tokens.
pub fn revoke_at_provider(
    store: &Store,
    link_name: &str,
) -> Result<Option<String>, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = snapshot.require_service(&connection.service)?;
    if !matches!(service.auth, AuthSpec::OAuth2(_)) {
        return Ok(None);
    }
    let _lock = store.lock_connection(link_name)?;
    Ok(match connection::revoke_remote(store, link_name)? {
        RemoteRevocation::NothingToRevoke => None,
        outcome => Some(outcome.to_string()),
    })
}
