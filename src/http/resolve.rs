//! Name resolution for the built-in transport: names set with
//! [`ReqwestTransport::resolve_to`](super::ReqwestTransport::resolve_to) first, the system
//! resolver otherwise, and every address checked against the run's egress policy at connect
//! time (addresses the policy refuses are never connected to).

use std::collections::HashMap;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

use crate::egress::{EgressPolicy, Refusal};

/// Resolves names for one client: fixed answers, then the system resolver, then the policy.
pub(crate) struct CheckedResolver {
    pub(crate) fixed: Arc<HashMap<String, Vec<IpAddr>>>,
    pub(crate) policy: Option<Arc<EgressPolicy>>,
}

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let fixed = self.fixed.get(&host).cloned();
        let policy = self.policy.clone();
        Box::pin(async move {
            let addresses = match fixed {
                Some(addresses) => addresses,
                None => tokio::net::lookup_host((host.as_str(), 0))
                    .await?
                    .map(|address| address.ip())
                    .collect(),
            };
            let allowed = admitted(&host, addresses, policy.as_deref())?;
            let addrs: Addrs = Box::new(
                allowed
                    .into_iter()
                    .map(|address| SocketAddr::new(address, 0)),
            );
            Ok(addrs)
        })
    }
}

/// The addresses the policy admits; when it admits none, the refusal of the first.
fn admitted(
    host: &str,
    addresses: Vec<IpAddr>,
    policy: Option<&EgressPolicy>,
) -> Result<Vec<IpAddr>, Refusal> {
    let Some(policy) = policy else {
        return Ok(addresses);
    };
    let mut first_refusal = None;
    let mut allowed = Vec::with_capacity(addresses.len());
    for address in addresses {
        match policy.check_address(host, address) {
            Ok(()) => allowed.push(address),
            Err(refusal) => {
                first_refusal.get_or_insert(refusal);
            }
        }
    }
    match (allowed.is_empty(), first_refusal) {
        (true, Some(refusal)) => Err(refusal),
        _ => Ok(allowed),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refused_addresses_are_dropped_and_the_rest_kept() {
        let policy = EgressPolicy::deny_private();
        let mixed = vec![
            "127.0.0.1".parse().unwrap(),
            "93.184.216.34".parse().unwrap(),
        ];
        let kept = admitted("rebind.example", mixed, Some(&policy)).unwrap();
        assert_eq!(kept, ["93.184.216.34".parse::<IpAddr>().unwrap()]);
    }

    #[test]
    fn a_name_with_only_refused_addresses_is_refused_naming_the_address() {
        let policy = EgressPolicy::deny_private();
        let inside = vec!["10.0.0.5".parse().unwrap()];
        let refusal = admitted("db.example", inside, Some(&policy)).unwrap_err();
        assert_eq!(refusal.address, Some("10.0.0.5".parse().unwrap()));
        assert!(refusal.to_string().contains("db.example"));
    }
}
