//! `dlg connection authorize`: the values API-key and Basic connections ask for (flags,
//! prompts, standard input) and the OAuth 1 and 2 flows, then saving the credentials.

use super::connection::{AuthorizeArgs, ParamArg};
use super::secret_input::{secret_from_flag, SecretSource};
use deluge_lang::connections::manage::service_of;
use deluge_lang::connections::oauth1::connection as oauth1_connection;
use deluge_lang::connections::oauth1::flow::FlowOptions;
use deluge_lang::connections::oauth2::connection::{self as oauth2_connection, AuthorizeOptions};
use deluge_lang::connections::oauth2::flow::{
    CodeFlowOptions, DeviceFlowOptions, DEFAULT_DEVICE_MAX_WAIT,
};
use deluge_lang::connections::oauth2::ui::TerminalUi;
use deluge_lang::connections::values::{authorize_with, prompts_for, Prompt};
use deluge_lang::connections::{AuthSpec, ConnectionError, Secret, Service, Store};
use std::collections::BTreeMap;
use std::time::Duration;

pub(super) fn authorize(
    store: &Store,
    args: AuthorizeArgs,
    input: &mut dyn SecretSource,
) -> Result<String, ConnectionError> {
    let link_name = args.link_name.as_str();
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let service = service_of(&snapshot, connection)?;
    match &service.auth {
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => {
            authorize_with_values(store, link_name, service, args.params, input)?
        }
        AuthSpec::OAuth1(_) | AuthSpec::OAuth2(_) => authorize_oauth(store, &args, &service.auth)?,
    }
    Ok(format!("connection \"{link_name}\" is connected\n"))
}

/// API key and Basic: the values come from `--param`, prompts or standard input.
fn authorize_with_values(
    store: &Store,
    link_name: &str,
    service: &Service,
    params: Vec<ParamArg>,
    input: &mut dyn SecretSource,
) -> Result<(), ConnectionError> {
    let prompts = prompts_for(&service.auth);
    let entered = collect_values(params, &prompts, input)?;
    authorize_with(store, link_name, entered)
}

/// OAuth 1 and 2: the provider's flow, in the browser (or pasted with `--no-browser`).
fn authorize_oauth(
    store: &Store,
    args: &AuthorizeArgs,
    auth: &AuthSpec,
) -> Result<(), ConnectionError> {
    if !args.params.is_empty() {
        return Err(ConnectionError::InvalidInput(format!(
            "--param applies only to API key and Basic connections; connection \"{}\" uses {} \
             and is authorized at the provider",
            args.link_name,
            auth.kind().title()
        )));
    }
    let mut ui = TerminalUi {
        open_browser: !args.no_browser,
        accept_paste: args.no_browser,
    };
    if let AuthSpec::OAuth1(_) = auth {
        let options = FlowOptions {
            port: args.port,
            ..FlowOptions::default()
        };
        return oauth1_connection::authorize_connection(store, &args.link_name, options, &mut ui);
    }
    let options = AuthorizeOptions {
        code_flow: CodeFlowOptions {
            port: args.port,
            ..CodeFlowOptions::default()
        },
        device: DeviceFlowOptions {
            max_wait: args
                .max_wait
                .map_or(DEFAULT_DEVICE_MAX_WAIT, Duration::from_secs),
        },
    };
    oauth2_connection::authorize_connection(store, &args.link_name, options, &mut ui)
}

/// Gathers the values: `--param` flags first (`-` reads the value, `@FILE` reads a file; a
/// secret value itself is refused, only the Basic user name may be given plainly), then, on a
/// terminal, a prompt for each value not given.
fn collect_values(
    params: Vec<ParamArg>,
    prompts: &[Prompt],
    input: &mut dyn SecretSource,
) -> Result<BTreeMap<String, Secret>, ConnectionError> {
    let mut entered = BTreeMap::new();
    for param in params {
        if entered.contains_key(&param.key) {
            return Err(ConnectionError::InvalidInput(format!(
                "--param {:?} is given twice",
                param.key
            )));
        }
        let prompt = prompts.iter().find(|prompt| prompt.key == param.key);
        let label = prompt.map_or(param.key.as_str(), |prompt| prompt.label.as_str());
        let secret = prompt.is_none_or(|prompt| prompt.hidden);
        let value = match param.value.expose() {
            "-" => input.read(label, secret)?,
            text if secret || text.starts_with('@') => secret_from_flag(
                &param.value,
                &format!("--param {}=", param.key),
                label,
                input,
            )?,
            _ => param.value,
        };
        entered.insert(param.key, value);
    }
    if input.is_interactive() {
        for prompt in prompts {
            if !entered.contains_key(&prompt.key) {
                let value = input.read(&prompt.label, prompt.hidden)?;
                entered.insert(prompt.key.clone(), value);
            }
        }
    }
    Ok(entered)
}
