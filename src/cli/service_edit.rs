//! `dlg service edit NAME`: changing a stored service's transport policy.

use super::service::EditServiceArgs;
use crate::connections::model::now;
use crate::connections::{ConnectionError, Store};

/// Sets or clears `--allow-insecure-http` on a stored service.
pub fn edit(store: &Store, args: &EditServiceArgs) -> Result<String, ConnectionError> {
    let allow = match (args.allow_insecure_http, args.require_https) {
        (true, false) => true,
        (false, true) => false,
        _ => {
            return Err(ConnectionError::InvalidInput(
                "nothing to change: give --allow-insecure-http or --require-https".into(),
            ))
        }
    };
    let snapshot = store.load()?;
    if snapshot.service(&args.name).is_none() {
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{}\" is not set up in this store (`dlg service list` shows the stored \
             ones); create it first with `dlg service create {} ...`",
            args.name, args.name
        )));
    }
    store.update(|tx| {
        let service = tx.service_mut(&args.name)?;
        service.allow_insecure_http = allow;
        service.updated_at = now();
        Ok(())
    })?;
    Ok(if allow {
        format!(
            "service \"{}\" now lets its connections send credentials over plain http:// (anyone \
             on the network path can read them); undo with `dlg service edit {} --require-https`\n",
            args.name, args.name
        )
    } else {
        format!(
            "service \"{}\" now sends credentials only over https:// (plain http:// only to this \
             machine)\n",
            args.name
        )
    })
}
