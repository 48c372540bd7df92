//! Connections: services, authorised connections, their encrypted store and the auth flows.

pub mod oauth1;
pub mod oauth2;
