//! Test servers shared by the integration tests. Each runs on 127.0.0.1 only, installed from
//! pinned packages into a cache under `target/test-servers/` on first use.

#![allow(dead_code)]

pub mod browser;
pub mod httpbin;
pub mod oauth1_peer;
pub mod oidc;
pub mod peer;
pub mod tls;
