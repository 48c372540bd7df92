//! The egress policy: which hosts, addresses and ports a run's HTTP requests may reach
//! ([`EgressPolicy`]), the private-network preset ([`PRIVATE_RANGES`]) and the policy file
//! `dlg run --egress FILE` reads ([`EgressPolicy::from_toml`]).
//!
//! The HTTP layer applies it: the URL of every request and redirect hop is checked before
//! sending, and the built-in transport checks every address a name resolves to when it
//! connects (so DNS answers pointing inside and redirects to internal hosts are refused too).

mod file;
mod net;
mod policy;
mod preset;
mod rule;

pub use net::{canonical, IpRange};
pub use policy::{EgressPolicy, Refusal};
pub use preset::PRIVATE_RANGES;
pub use rule::Rule;
