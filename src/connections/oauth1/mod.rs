//! OAuth 1.0a: request signing and the three-legged flow.

pub mod connection;
pub mod flow;
pub mod signer;
