//! [`MailHost`]: the host layer that runs `sendmail` and answers the system values, delegating
//! every other construct to the host it wraps.

use crate::eval::failure::Failure;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use super::compose;
use super::outbox;
use super::request::MailRequest;
use super::settings::{MailMode, MailSettings, SmtpEndpoint};
use super::smtp::{self, SmtpLogin};
use crate::api::engine::Engine;
use crate::connections::authorizer::{allowed_hosts, usable_connection};
use crate::connections::hosts::host_allowed;
use crate::connections::{Credentials, Store};
use crate::eval::host::Host;
use crate::eval::value::Value;

/// Where the host's one-line notices go (outbox paths, skipped mails); by default `info` records
/// of the `log` facade.
pub type Notices = Arc<dyn Fn(&str) + Send + Sync>;

/// Makes `engine` send mail as `settings` say: puts the system values into its run environment
/// (where `zoho.adminuserid` and the other system values are read) and a [`MailHost`] over
/// `inner` as its host.
///
/// ```
/// use std::sync::Arc;
/// use deluge_lang::mail::{install, MailSettings};
/// let mut engine = deluge_lang::Engine::new();
/// let mut settings = MailSettings::default();
/// settings.system.set("zoho.adminuserid", "ada@example.com").unwrap();
/// install(&mut engine, settings, Arc::new(deluge_lang::NoHost));
/// assert_eq!(engine.eval::<String>("zoho.loginuserid").unwrap(), "ada@example.com");
/// ```
pub fn install(engine: &mut Engine, settings: MailSettings, inner: Arc<dyn Host>) {
    install_host(engine, MailHost::new(settings, inner));
}

/// Like [`install`] with a mail layer already built (e.g. with its notices elsewhere).
pub fn install_host(engine: &mut Engine, host: MailHost) {
    let mut values = (*engine.env().system_vars).clone();
    values.extend(host.settings().system.resolved());
    engine.env_mut().system_vars = Arc::new(values);
    engine.set_host(host);
}

/// A host layer for mail: `sendmail` (outbox, SMTP or log mode) and the system values
/// (`zoho.adminuserid`, `zoho.loginuserid`, ...). Everything else goes to the inner host.
///
/// ```
/// use std::sync::{Arc, Mutex};
/// use deluge_lang::mail::{MailHost, MailSettings};
/// use deluge_lang::{Engine, NoHost};
///
/// let outbox = tempfile::tempdir().unwrap();
/// let mut settings = MailSettings::default();
/// settings.outbox = Some(outbox.path().to_path_buf());
/// let notices = Arc::new(Mutex::new(Vec::new()));
/// let sink = Arc::clone(&notices);
/// let host = MailHost::new(settings, Arc::new(NoHost))
///     .with_notices(move |line| sink.lock().unwrap().push(line.to_owned()));
/// let mut engine = Engine::new();
/// engine.set_host(host);
/// engine
///     .run(r#"sendmail [ from: "admin@localhost" to: "ada@example.com" subject: "Hi" message: "Hello" ]"#)
///     .unwrap();
/// assert!(notices.lock().unwrap()[0].contains(".eml"));
/// ```
pub struct MailHost {
    inner: Arc<dyn Host>,
    settings: MailSettings,
    store: Option<Store>,
    notices: Notices,
    sent: AtomicU64,
}

impl MailHost {
    /// A mail layer over `inner` (use `Arc::new(NoHost)` for none).
    pub fn new(settings: MailSettings, inner: Arc<dyn Host>) -> MailHost {
        MailHost {
            inner,
            settings,
            store: None,
            notices: Arc::new(|line| log::info!("{line}")),
            sent: AtomicU64::new(0),
        }
    }

    /// Reads the SMTP connection (`mail.smtp.connection`) from `store`; without one, a mail
    /// that needs the connection fails with an error saying so.
    pub fn with_store(mut self, store: Store) -> MailHost {
        self.store = Some(store);
        self
    }

    /// Sends notices to `sink` instead of the `log` facade.
    pub fn with_notices(mut self, sink: impl Fn(&str) + Send + Sync + 'static) -> MailHost {
        self.notices = Arc::new(sink);
        self
    }

    /// The settings in use.
    pub fn settings(&self) -> &MailSettings {
        &self.settings
    }

    fn deliver(&self, params: &[(Box<str>, Value)]) -> Result<(), String> {
        let request = MailRequest::from_params(params)?;
        if let Some(reason) = self.unverified_sender(&request) {
            (self.notices)(&format!("sendmail: skipped, as Zoho skips it: {reason}"));
            return Ok(());
        }
        self.count_one()?;
        let mode = self.settings.mode().map_err(|e| format!("sendmail: {e}"))?;
        let envelope_from = match mode {
            MailMode::Smtp => self.settings.smtp.envelope_from.as_deref(),
            MailMode::Outbox | MailMode::Log => None,
        };
        let message = compose::build(&request, envelope_from)?;
        let summary = compose::summary(&request);
        match mode {
            MailMode::Log => (self.notices)(&format!("sendmail (log mode, not sent): {summary}")),
            MailMode::Outbox => {
                let dir = match &self.settings.outbox {
                    Some(dir) => dir.clone(),
                    None => outbox::default_dir()?,
                };
                let path = outbox::write(&dir, &message.formatted())?;
                (self.notices)(&format!(
                    "sendmail: no SMTP server is set (`mail.smtp.url`), so the mail ({summary}) was \
                     written to {}",
                    path.display()
                ));
            }
            MailMode::Smtp => {
                let Some(endpoint) = self.settings.smtp.endpoint()? else {
                    return Err("sendmail: no SMTP server is set".to_owned());
                };
                let login = self.login(&endpoint)?;
                smtp::send(&endpoint, &self.settings.smtp, login.as_ref(), &message)?;
                log::debug!("sendmail: sent through {} ({summary})", endpoint.address());
            }
        }
        Ok(())
    }

    /// Zoho's rule: `from` must be `zoho.adminuserid`, `zoho.loginuserid` or a verified sender.
    fn unverified_sender(&self, request: &MailRequest) -> Option<String> {
        let from = request.from.email.to_string();
        let system = &self.settings.system;
        let mut allowed: Vec<String> = ["adminuserid", "loginuserid"]
            .iter()
            .filter_map(|name| system.get(name))
            .collect();
        allowed.extend(self.settings.verified_senders.iter().cloned());
        let same = |candidate: &String| {
            candidate
                .parse::<lettre::message::Mailbox>()
                .is_ok_and(|m| m.email.to_string().eq_ignore_ascii_case(&from))
        };
        if allowed.iter().any(same) {
            return None;
        }
        Some(format!(
            "the sender {from} is not zoho.adminuserid, zoho.loginuserid or a verified sender \
             (set the system value zoho.adminuserid={from}, or list it in mail.verified_senders)"
        ))
    }

    fn count_one(&self) -> Result<(), String> {
        let sent = self.sent.fetch_add(1, Ordering::SeqCst);
        match self.settings.max_emails {
            Some(max) if sent >= max => Err(format!(
                "sendmail: this run may send at most {max} mails (mail.max_emails)"
            )),
            _ => Ok(()),
        }
    }

    /// The Basic connection's user name and password, if one is set.
    fn login(&self, endpoint: &SmtpEndpoint) -> Result<Option<SmtpLogin>, String> {
        let Some(link_name) = &self.settings.smtp.connection else {
            return Ok(None);
        };
        let fail = |e: crate::connections::ConnectionError| format!("sendmail: {e}");
        let store = self.store.clone().ok_or_else(|| {
            format!(
                "sendmail: connection \"{link_name}\" cannot be used: this mail host has no \
                 connection store; the program running the script gives it one with \
                 `MailHost::with_store`"
            )
        })?;
        let snapshot = store.load().map_err(fail)?;
        let (connection, service) = usable_connection(&snapshot, link_name).map_err(fail)?;
        let allowed = allowed_hosts(connection, service);
        if !host_allowed(&endpoint.host.to_ascii_lowercase(), &allowed) {
            return Err(format!(
                "sendmail: connection \"{link_name}\" may not send its password to {} (its hosts: \
                 {}); allow it with `dlg connection edit {link_name} --add-host {}`",
                endpoint.host,
                allowed.join(", "),
                endpoint.host
            ));
        }
        match snapshot.credentials(link_name).map_err(fail)? {
            Some(Credentials::Basic { username, password }) => Ok(Some(SmtpLogin {
                link_name: link_name.clone(),
                username,
                password,
            })),
            Some(_) => Err(format!(
                "sendmail: connection \"{link_name}\" is not a Basic connection; the SMTP login \
                 needs a service created with --auth basic"
            )),
            None => Err(format!(
                "sendmail: connection \"{link_name}\" has no user name and password yet; run \
                 `dlg connection authorize {link_name}`"
            )),
        }
    }
}

impl Host for MailHost {
    fn inner(&self) -> Option<&dyn Host> {
        Some(&*self.inner)
    }

    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
        Ok(self.deliver(params)?)
    }

    fn value(&self, name: &str) -> Result<Value, Failure> {
        match self.settings.system.get(name) {
            Some(value) => Ok(Value::text(value)),
            None => self.inner.value(name),
        }
    }
}
