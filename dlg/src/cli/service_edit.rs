//! `dlg service edit NAME`: changing a stored service's transport policy and its Zoho tasks'
//! REST API base.

use super::service::EditServiceArgs;
use deluge_lang::connections::model::{now, Service};
use deluge_lang::connections::service_create::check_api_base;
use deluge_lang::connections::{ConnectionError, Store};

/// What `dlg service edit` changes: each part is left alone when its flags are absent.
struct Changes {
    allow_insecure_http: Option<bool>,
    /// `Some(None)` removes the API base; `Some(Some((url, host)))` sets it.
    api_base: Option<Option<(String, String)>>,
}

/// Applies `--allow-insecure-http` / `--require-https` and `--api-base URL|none` to a stored
/// service.
pub fn edit(store: &Store, args: &EditServiceArgs) -> Result<String, ConnectionError> {
    let changes = changes(args)?;
    let snapshot = store.load()?;
    if snapshot.service(&args.name).is_none() {
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{}\" is not set up in this store (`dlg service list` shows the stored \
             ones); create it first with `dlg service create {} ...`",
            args.name, args.name
        )));
    }
    store.update(|tx| {
        apply(tx.service_mut(&args.name)?, &changes);
        Ok(())
    })?;
    Ok(report(&args.name, &changes))
}

fn changes(args: &EditServiceArgs) -> Result<Changes, ConnectionError> {
    let allow_insecure_http = match (args.allow_insecure_http, args.require_https) {
        (true, false) => Some(true),
        (false, true) => Some(false),
        _ => None,
    };
    let api_base = match args.api_base.as_deref().map(str::trim) {
        None => None,
        Some("none" | "") => Some(None),
        Some(url) => Some(Some(check_api_base(url)?)),
    };
    if allow_insecure_http.is_none() && api_base.is_none() {
        return Err(ConnectionError::InvalidInput(
            "nothing to change: give --allow-insecure-http, --require-https or --api-base URL|none"
                .into(),
        ));
    }
    Ok(Changes {
        allow_insecure_http,
        api_base,
    })
}

fn apply(service: &mut Service, changes: &Changes) {
    if let Some(allow) = changes.allow_insecure_http {
        service.allow_insecure_http = allow;
    }
    if let Some(api_base) = &changes.api_base {
        if let Some((_, host)) = api_base {
            if !service.allowed_hosts.contains(host) {
                service.allowed_hosts.push(host.clone());
            }
        }
        service.api_base = api_base.as_ref().map(|(url, _)| url.clone());
    }
    service.updated_at = now();
}

fn report(name: &str, changes: &Changes) -> String {
    let mut text = String::new();
    match changes.allow_insecure_http {
        Some(true) => text.push_str(&format!(
            "service \"{name}\" now lets its connections send credentials over plain http:// \
             (anyone on the network path can read them); undo with `dlg service edit {name} \
             --require-https`\n"
        )),
        Some(false) => text.push_str(&format!(
            "service \"{name}\" now sends credentials only over https:// (plain http:// only to \
             this machine)\n"
        )),
        None => {}
    }
    match &changes.api_base {
        Some(Some((url, host))) => text.push_str(&format!(
            "service \"{name}\": Zoho tasks now use {url} (host {host} is allowed)\n"
        )),
        Some(None) => text.push_str(&format!(
            "service \"{name}\": Zoho tasks use the data centre's hosts again\n"
        )),
        None => {}
    }
    text
}
