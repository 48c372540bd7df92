//! Test servers shared by the integration tests. Each runs on 127.0.0.1 only, installed from
//! pinned packages into a cache under `target/test-servers/` on first use.

//! Test helpers shared by integration tests: real third-party servers on 127.0.0.1, installed on
//! first use into `target/test-servers/`.
#![allow(dead_code)]

pub mod browser;
pub mod httpbin;
pub mod oauth1_peer;
pub mod oidc;
pub mod peer;
pub mod tls;
