//! The values API-key and Basic connections are authorized with: what to ask for, and saving
//! them (shared by `dlg connection authorize` and the Connections page).

use super::manage::service_of;
use super::model::now;
use super::{api_key, basic, AuthSpec, ConnectionError, Credentials, Secret, Status, Store};
use std::collections::BTreeMap;

/// A value asked for at `authorize`: key, label, hidden.
pub struct Prompt {
    /// The parameter key (`username`, `password`, or an API-key parameter).
    pub key: String,
    /// What to call it.
    pub label: String,
    /// True for secret values (typed hidden).
    pub hidden: bool,
}

/// The values API key and Basic connections ask for (none for OAuth).
pub fn prompts_for(auth: &AuthSpec) -> Vec<Prompt> {
    match auth {
        AuthSpec::ApiKey { params } => params
            .iter()
            .map(|param| Prompt {
                key: param.key.clone(),
                label: param.label.clone(),
                hidden: true,
            })
            .collect(),
        AuthSpec::Basic => vec![
            Prompt {
                key: "username".into(),
                label: "Username".into(),
                hidden: false,
            },
            Prompt {
                key: "password".into(),
                label: "Password".into(),
                hidden: true,
            },
        ],
        AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_) => Vec::new(),
    }
}

/// Stores the entered credentials of `link_name` and marks it connected.
pub fn save_authorization(
    store: &Store,
    link_name: &str,
    credentials: &Credentials,
) -> Result<(), ConnectionError> {
    store.update(|transaction| {
        transaction.set_credentials(link_name, Some(credentials))?;
        let connection = transaction.connection_mut(link_name)?;
        let time = now();
        connection.status = Status::Connected;
        connection.authorized_at = Some(time);
        connection.updated_at = time;
        connection.last_refresh_error = None;
        connection.refresh_failures = 0;
        Ok(())
    })
}

/// Authorizes API-key or Basic connection `link_name` with the `entered` values (by parameter
/// key): checks them against its service and stores them.
pub fn authorize_with(
    store: &Store,
    link_name: &str,
    entered: BTreeMap<String, Secret>,
) -> Result<(), ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = service_of(&snapshot, connection)?;
    let credentials = match &service.auth {
        AuthSpec::ApiKey { params } => api_key::credentials(&service.link_name, params, entered)?,
        AuthSpec::Basic => basic::credentials(&service.link_name, entered)?,
        other => {
            return Err(ConnectionError::InvalidInput(format!(
                "connection \"{link_name}\" uses {}, which is authorized at the provider, not \
                 with entered values",
                other.kind().title()
            )))
        }
    };
    save_authorization(store, link_name, &credentials)
}
