//! `invokeurl` and the legacy `getUrl`/`postUrl`: building requests, sending them, decoding replies.

pub mod request;
