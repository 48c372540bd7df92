//! `dlg service configure NAME`: gives an OAuth service (a catalog one, or one already in the
//! store) the client id and secret of the user's own app, keeping the rest of its definition.
//!
//! Secrets are never taken from the command line (it shows in `ps` and in shell history): a
//! secret flag takes `-` (a hidden prompt, or one line of standard input) or `@FILE`.

use super::secret_input::SecretSource;
use super::service::{parse, parse_secret};
use clap::Args;
use deluge_lang::connections::catalog;
use deluge_lang::connections::model::{now, validate_link_name, AuthSpec, Grant, NameKind};
use deluge_lang::connections::service_create::fix_command;
use deluge_lang::connections::{ConnectionError, Secret, Service, ServiceSecrets, Store};
use std::fmt::Write as _;

/// `dlg service configure NAME --client-id ID --client-secret -`
#[derive(Debug, Args)]
pub struct ConfigureServiceArgs {
    /// The service's link name (a catalog service, or one in your store).
    pub name: String,
    /// oauth2: the client id of your app registered with the provider.
    #[arg(long, value_name = "ID")]
    pub client_id: Option<String>,
    /// oauth2: the client secret: `-` (typed hidden, or read from standard input) or @FILE.
    #[arg(long, value_name = "-|@FILE", value_parser = parse_secret, allow_hyphen_values = true)]
    pub client_secret: Option<Secret>,
    /// oauth2: authorization-code, client-credentials or device (default: the catalog's).
    #[arg(long, value_name = "GRANT", value_parser = parse::<Grant>)]
    pub grant: Option<Grant>,
    /// oauth1: the consumer key of your app registered with the provider.
    #[arg(long, value_name = "KEY")]
    pub consumer_key: Option<String>,
    /// oauth1: the consumer secret: `-` (typed hidden, or read from standard input) or @FILE.
    #[arg(long, value_name = "-|@FILE", value_parser = parse_secret, allow_hyphen_values = true)]
    pub consumer_secret: Option<Secret>,
}

/// Runs `dlg service configure`; returns what it prints.
pub fn configure(
    store: &Store,
    args: ConfigureServiceArgs,
    input: &mut dyn SecretSource,
) -> Result<String, ConnectionError> {
    validate_link_name(NameKind::Service, &args.name)?;
    let name = args.name.as_str();
    let current = store
        .load()?
        .service(name)
        .cloned()
        .or_else(|| catalog::service(name))
        .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })?;
    let (secret_flag, secret_label) = match current.auth {
        AuthSpec::OAuth1(_) => ("--consumer-secret", "Consumer secret"),
        _ => ("--client-secret", "Client secret"),
    };
    let mut service = apply_flags(current, &args)?;
    let given_secret = args
        .client_secret
        .as_ref()
        .or(args.consumer_secret.as_ref());
    let secret = match given_secret {
        Some(given) => Some(read_secret(given, secret_flag, secret_label, input)?),
        None => None,
    };
    let time = now();
    service.updated_at = time;
    let secret_given = secret.is_some();
    let secrets = ServiceSecrets {
        client_secret: secret,
    };
    store.update(|transaction| {
        if transaction.service(name).is_some() {
            *transaction.service_mut(name)? = service;
            if secret_given {
                transaction.set_service_secrets(name, &secrets)?;
            }
            Ok(())
        } else {
            service.created_at = time;
            transaction.add_service(service, &secrets)
        }
    })?;
    let snapshot = store.load()?;
    let mut text = format!("configured service \"{name}\"");
    let secret_state = if snapshot.has_service_secrets(name) {
        "set"
    } else {
        "not set"
    };
    let _ = writeln!(text, " (secret {secret_state})");
    let _ = writeln!(
        text,
        "connect to it with `dlg connection create LINK --service {name}`, then \
         `dlg connection authorize LINK`"
    );
    Ok(text)
}

/// The service with the flags applied; refuses flags of another authentication type.
fn apply_flags(
    mut service: Service,
    args: &ConfigureServiceArgs,
) -> Result<Service, ConnectionError> {
    let name = service.link_name.clone();
    let kind = service.auth.kind();
    let oauth2_flags: [(&'static str, bool); 3] = [
        ("--client-id", args.client_id.is_some()),
        ("--client-secret", args.client_secret.is_some()),
        ("--grant", args.grant.is_some()),
    ];
    let oauth1_flags: [(&'static str, bool); 2] = [
        ("--consumer-key", args.consumer_key.is_some()),
        ("--consumer-secret", args.consumer_secret.is_some()),
    ];
    let wrong = |flags: &[(&'static str, bool)]| -> Option<&'static str> {
        flags
            .iter()
            .find(|(_, given)| *given)
            .map(|(flag, _)| *flag)
    };
    let misplaced = match &service.auth {
        AuthSpec::OAuth2(_) => wrong(&oauth1_flags),
        AuthSpec::OAuth1(_) => wrong(&oauth2_flags),
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => {
            return Err(ConnectionError::InvalidInput(format!(
                "service \"{name}\" uses {} and needs no configuration; create a connection \
                 with `dlg connection create LINK --service {name}` and enter the values with \
                 `dlg connection authorize LINK`",
                kind.title()
            )))
        }
    };
    if let Some(flag) = misplaced {
        return Err(ConnectionError::InvalidInput(format!(
            "{flag} does not apply to service \"{name}\", which uses {}",
            kind.title()
        )));
    }
    if !oauth2_flags
        .iter()
        .chain(&oauth1_flags)
        .any(|(_, given)| *given)
    {
        return Err(ConnectionError::InvalidInput(format!(
            "nothing to configure for service \"{name}\"; {}",
            fix_command(&service)
        )));
    }
    match &mut service.auth {
        AuthSpec::OAuth2(spec) => {
            if let Some(id) = &args.client_id {
                spec.client_id = non_empty(id, "--client-id")?;
            }
            if let Some(grant) = args.grant {
                check_grant(&name, grant, spec)?;
                spec.grant = grant;
            }
            if spec.client_id.is_empty() {
                return Err(ConnectionError::InvalidInput(format!(
                    "service \"{name}\" has no client id yet; add --client-id ID"
                )));
            }
        }
        AuthSpec::OAuth1(spec) => {
            if let Some(key) = &args.consumer_key {
                spec.consumer_key = non_empty(key, "--consumer-key")?;
            }
            if spec.consumer_key.is_empty() {
                return Err(ConnectionError::InvalidInput(format!(
                    "service \"{name}\" has no consumer key yet; add --consumer-key KEY"
                )));
            }
        }
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => {}
    }
    Ok(service)
}

/// A grant needs its endpoint: the device grant a device URL, the code grant an authorize URL.
fn check_grant(
    name: &str,
    grant: Grant,
    spec: &deluge_lang::connections::model::OAuth2Spec,
) -> Result<(), ConnectionError> {
    let missing = match grant {
        Grant::Device if spec.device_url.is_none() => Some("a device authorization URL"),
        Grant::AuthorizationCode if spec.authorize_url.is_none() => Some("an authorize URL"),
        _ => None,
    };
    match missing {
        Some(what) => Err(ConnectionError::InvalidInput(format!(
            "--grant {} needs {what}, and service \"{name}\" has none",
            grant.as_str()
        ))),
        None => Ok(()),
    }
}

fn non_empty(value: &str, flag: &str) -> Result<String, ConnectionError> {
    let value = value.trim();
    if value.is_empty() {
        return Err(ConnectionError::InvalidInput(format!("{flag} is empty")));
    }
    Ok(value.to_owned())
}

/// Reads a secret flag's value: `-` asks for it (hidden) or reads a line of standard input,
/// `@FILE` reads the file (one trailing line ending dropped). Never echoes what was given.
fn read_secret(
    given: &Secret,
    flag: &str,
    label: &str,
    input: &mut dyn SecretSource,
) -> Result<Secret, ConnectionError> {
    let value = if given.expose() == "-" {
        input.read(label, true)?
    } else if let Some(path) = given.expose().strip_prefix('@') {
        let text = zeroize::Zeroizing::new(std::fs::read_to_string(path).map_err(|error| {
            ConnectionError::InvalidInput(format!("{flag} @{path}: cannot read the file: {error}"))
        })?);
        let line = text.strip_suffix('\n').unwrap_or(&text);
        Secret::from(line.strip_suffix('\r').unwrap_or(line))
    } else {
        return Err(ConnectionError::InvalidInput(format!(
            "{flag} takes `-` (typed hidden, or one line of standard input) or @FILE, never the \
             secret itself: a command line shows in `ps` and in shell history (value not shown)"
        )));
    };
    if value.is_empty() {
        return Err(ConnectionError::InvalidInput(format!(
            "{flag}: the secret is empty"
        )));
    }
    Ok(value)
}
