//! `sendmail` outside Zoho (zoho-tasks.md §3) and the system values a mail uses.
//!
//! [`MailHost`] is a host layer: it handles `sendmail` and the system values
//! (`zoho.adminuserid`, `zoho.loginuserid`, ...) and hands every other construct to the host it
//! wraps; [`install`] puts it and the system values into an engine. [`MailSettings`] says where mail goes: the outbox folder as `.eml` files (the
//! default), an SMTP server (`smtp://` with STARTTLS, `smtps://`) logging in with a Basic
//! connection's user name and password, or a log line only.
//!
//! One file per step: `request` checks the script's keys, `compose` builds the RFC 5322
//! message, `outbox` and `smtp` deliver it, `settings` and `system` hold the configuration.

mod compose;
mod host;
mod outbox;
mod request;
mod settings;
mod smtp;
mod system;

pub use host::{install, install_host, MailHost, Notices};
pub use settings::{MailMode, MailSettings, SmtpEndpoint, SmtpSecurity, SmtpSettings, KEYS};
pub use smtp::is_loopback;
pub use system::{SystemValues, DEFAULT_ADMIN_USER, DEFAULT_ADMIN_USER_ID, DEFAULT_IP_ADDRESS};
