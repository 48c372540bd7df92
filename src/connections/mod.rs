//! Named connections for `invokeurl`: services (how to authenticate to an API), connections (one
//! authorized account, addressed by its link name), the encrypted file store that keeps them,
//! and the code that adds credentials to requests. One file per authentication type.
//!
//! Entry points: [`Store`] (open with [`Store::open_default`], [`Store::at`] for a folder or
//! [`Store::postgres`] for a PostgreSQL database and tenant),
//! [`ConnectionAuthorizer`] and its file-store implementation [`FileStoreAuthorizer`].

pub mod api_key;
mod auth_spec;
pub mod authorizer;
mod backend;
pub mod basic;
pub mod catalog;
pub mod copy;
pub mod crypto;
mod file_backend;
pub mod files;
pub mod hosts;
pub mod inject;
mod link_name;
pub mod location;
pub mod lock;
pub mod manage;
pub mod model;
pub mod oauth1;
pub mod oauth2;
pub mod ownership;
#[cfg(feature = "postgres")]
mod pg;
pub mod secret;
pub mod service_create;
pub mod store;
mod store_file;
pub mod usage;
pub mod values;

pub use authorizer::{ConnectionAuthorizer, ConnectionInfo, FileStoreAuthorizer};
pub use crate::http::ConnectionError;
pub use model::{
    ApiKeyParam, AuthKind, AuthSpec, Connection, Credentials, OAuth1Spec, OAuth2Spec, Placement,
    Service, ServiceSecrets, Status,
};
pub use secret::Secret;
pub use store::{ConnectionLock, Snapshot, Store, Transaction};
