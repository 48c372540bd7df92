//! Mail settings (zoho-tasks.md §1.6, §3.2): the `mail.*` keys, filled from a settings file,
//! `DLG_*` environment variables and command-line flags, highest last.
//!
//! [`MailSettings::set`] takes every `mail.*` key by name (what a `dlg.toml` `[mail]` table
//! holds), [`MailSettings::apply_env`] the environment variables; the CLI sets the fields its
//! flags name directly.

use std::path::PathBuf;
use std::time::Duration;

use super::system::SystemValues;

/// Where mail goes (`mail.mode`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum MailMode {
    /// Write each mail as an `.eml` file into the outbox folder.
    Outbox,
    /// Send through the SMTP server of `mail.smtp.url`.
    Smtp,
    /// Print the headers to standard error only.
    Log,
}

/// How the SMTP connection is secured, from the URL scheme.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SmtpSecurity {
    /// `smtp://`: STARTTLS when the server offers it (required before a password is sent to a
    /// host that is not loopback).
    StartTls,
    /// `smtps://`: TLS from the first byte.
    ImplicitTls,
}

/// A parsed `smtp://host:port` or `smtps://host:port`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SmtpEndpoint {
    /// STARTTLS or implicit TLS.
    pub security: SmtpSecurity,
    /// Host name or IP address (IPv6 without brackets).
    pub host: String,
    /// Port (default 587 for `smtp://`, 465 for `smtps://`).
    pub port: u16,
}

impl SmtpEndpoint {
    /// Parses an SMTP URL. A user name or password in it is refused: the password belongs in
    /// a Basic connection.
    ///
    /// ```
    /// use deluge_lang::mail::{SmtpEndpoint, SmtpSecurity};
    /// let endpoint = SmtpEndpoint::parse("smtps://mail.example.com").unwrap();
    /// assert_eq!((endpoint.security, endpoint.port), (SmtpSecurity::ImplicitTls, 465));
    /// ```
    pub fn parse(text: &str) -> Result<SmtpEndpoint, String> {
        let bad = |why: &str| {
            format!(
                "the SMTP URL `{}` {why} (expected smtp://HOST[:PORT] for STARTTLS or \
                 smtps://HOST[:PORT] for implicit TLS)",
                redact_userinfo(text)
            )
        };
        let url = url::Url::parse(text.trim()).map_err(|e| bad(&format!("is not a URL: {e}")))?;
        let (security, default_port) = match url.scheme() {
            "smtp" => (SmtpSecurity::StartTls, 587),
            "smtps" => (SmtpSecurity::ImplicitTls, 465),
            other => return Err(bad(&format!("has the scheme `{other}`"))),
        };
        if !url.username().is_empty() || url.password().is_some() {
            return Err(format!(
                "the SMTP URL `{}` holds a user name or password; keep them in a Basic \
                 connection and name it with --smtp-connection LINK (mail.smtp.connection)",
                redact_userinfo(text)
            ));
        }
        let host = url
            .host_str()
            .filter(|h| !h.is_empty())
            .ok_or_else(|| bad("has no host"))?;
        if !matches!(url.path(), "" | "/") || url.query().is_some() {
            return Err(bad("has a path or query, which SMTP does not use"));
        }
        Ok(SmtpEndpoint {
            security,
            host: host
                .trim_start_matches('[')
                .trim_end_matches(']')
                .to_owned(),
            port: url.port().unwrap_or(default_port),
        })
    }

    /// `host:port`, for messages.
    pub fn address(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]:{}", self.host, self.port)
        } else {
            format!("{}:{}", self.host, self.port)
        }
    }
}

/// `smtp://user:pass@host` -> `smtp://<redacted>@host`, so a mistaken URL never prints a password.
fn redact_userinfo(text: &str) -> String {
    match (text.find("://"), text.rfind('@')) {
        (Some(start), Some(at)) if at > start => {
            format!("{}<redacted>{}", &text[..start + 3], &text[at..])
        }
        _ => text.to_owned(),
    }
}

/// SMTP settings (`mail.smtp.*`).
#[derive(Clone, Debug)]
pub struct SmtpSettings {
    /// `mail.smtp.url` (`--smtp`, `DLG_SMTP_URL`).
    pub url: Option<String>,
    /// `mail.smtp.host`, used with `mail.smtp.port` when no URL is set.
    pub host: Option<String>,
    /// `mail.smtp.port`: 465 means implicit TLS, anything else STARTTLS; default 587.
    pub port: Option<u16>,
    /// `mail.smtp.connection` (`--smtp-connection`, `DLG_SMTP_CONNECTION`): the Basic
    /// connection holding the SMTP user name and password.
    pub connection: Option<String>,
    /// `mail.smtp.envelope_from`: the SMTP `MAIL FROM` address, when not the `From` header's.
    pub envelope_from: Option<String>,
    /// `mail.smtp.ca_file`: a PEM file of extra certificate authorities to trust.
    pub ca_file: Option<PathBuf>,
    /// `mail.smtp.plaintext_loopback`: whether a password may go without TLS to a loopback
    /// host (default true; the server is on this machine).
    pub plaintext_loopback: bool,
    /// How long to wait for the server (default 40 s, like `invokeurl`).
    pub timeout: Duration,
}

impl Default for SmtpSettings {
    fn default() -> Self {
        SmtpSettings {
            url: None,
            host: None,
            port: None,
            connection: None,
            envelope_from: None,
            ca_file: None,
            plaintext_loopback: true,
            timeout: Duration::from_secs(40),
        }
    }
}

impl SmtpSettings {
    /// The server to send through: the URL, else host and port; `None` when neither is set.
    pub fn endpoint(&self) -> Result<Option<SmtpEndpoint>, String> {
        if let Some(url) = &self.url {
            return SmtpEndpoint::parse(url).map(Some);
        }
        let Some(host) = &self.host else {
            return Ok(None);
        };
        let port = self.port.unwrap_or(587);
        let security = if port == 465 {
            SmtpSecurity::ImplicitTls
        } else {
            SmtpSecurity::StartTls
        };
        Ok(Some(SmtpEndpoint {
            security,
            host: host.clone(),
            port,
        }))
    }
}

/// Everything about mail for one run.
///
/// ```
/// use deluge_lang::mail::{MailMode, MailSettings};
/// let mut settings = MailSettings::default();
/// settings.set("mail.smtp.url", "smtp://127.0.0.1:2525").unwrap();
/// settings.set("mail.admin_address", "ada@example.com").unwrap();
/// assert_eq!(settings.mode().unwrap(), MailMode::Smtp);
/// assert_eq!(settings.system.get("zoho.adminuserid").as_deref(), Some("ada@example.com"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct MailSettings {
    /// `mail.mode`; `None` means SMTP when a server is set, else the outbox.
    pub mode: Option<MailMode>,
    /// `mail.outbox` (`--outbox`, `DLG_OUTBOX`): the outbox folder; default
    /// `$DLG_HOME/outbox` (else `outbox` in the dlg configuration folder).
    pub outbox: Option<PathBuf>,
    /// `mail.smtp.*`.
    pub smtp: SmtpSettings,
    /// The system values (`--system`, `mail.admin_address`, `mail.login_address`).
    pub system: SystemValues,
    /// `mail.verified_senders`: `from` addresses allowed besides `zoho.adminuserid` and
    /// `zoho.loginuserid`.
    pub verified_senders: Vec<String>,
    /// `mail.max_emails`: the most mails one run may send.
    pub max_emails: Option<u64>,
}

/// The `mail.*` keys [`MailSettings::set`] takes.
pub const KEYS: &[&str] = &[
    "mail.mode",
    "mail.outbox",
    "mail.smtp.url",
    "mail.smtp.host",
    "mail.smtp.port",
    "mail.smtp.connection",
    "mail.smtp.envelope_from",
    "mail.smtp.ca_file",
    "mail.smtp.plaintext_loopback",
    "mail.admin_address",
    "mail.login_address",
    "mail.verified_senders",
    "mail.max_emails",
];

impl MailSettings {
    /// The effective mode: `mail.mode`, else SMTP when a server is set, else the outbox.
    pub fn mode(&self) -> Result<MailMode, String> {
        match self.mode {
            Some(MailMode::Smtp) if self.smtp.endpoint()?.is_none() => Err(
                "mail.mode is smtp but no SMTP server is set; give `mail.smtp.url` (DLG_SMTP_URL)"
                    .to_owned(),
            ),
            Some(mode) => Ok(mode),
            None if self.smtp.endpoint()?.is_some() => Ok(MailMode::Smtp),
            None => Ok(MailMode::Outbox),
        }
    }

    /// Sets one `mail.*` key (the `mail.` prefix is optional) from its text form. List keys
    /// take comma-separated values. `mail.smtp_url` (a `dlg.toml` `[mail]` table's
    /// `smtp_url`) is another name for `mail.smtp.url`; both are `DLG_MAIL_SMTP_URL`.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let lower = key.trim().to_ascii_lowercase();
        let name = lower.strip_prefix("mail.").unwrap_or(&lower);
        let value = value.trim();
        let text = || Some(value.to_owned());
        match name {
            "mode" => self.mode = Some(parse_mode(value)?),
            "outbox" => self.outbox = Some(PathBuf::from(value)),
            "smtp.url" | "smtp_url" => {
                SmtpEndpoint::parse(value)?;
                self.smtp.url = text();
            }
            "smtp.host" => self.smtp.host = text(),
            "smtp.port" => self.smtp.port = Some(parse_number(key, value)?),
            "smtp.connection" => self.smtp.connection = text(),
            "smtp.envelope_from" => self.smtp.envelope_from = text(),
            "smtp.ca_file" => self.smtp.ca_file = Some(PathBuf::from(value)),
            "smtp.plaintext_loopback" => self.smtp.plaintext_loopback = parse_bool(key, value)?,
            "smtp.password" | "smtp.username" | "smtp.user" => {
                return Err(format!(
                    "mail.{name} is not a setting: keep the SMTP user name and password in a \
                     Basic connection (dlg connection create ... --service SERVICE, then \
                     dlg connection authorize LINK) and name it with mail.smtp.connection \
                     (--smtp-connection LINK)"
                ))
            }
            "admin_address" => self.system.set("adminuserid", value)?,
            "login_address" => self.system.set("loginuserid", value)?,
            "verified_senders" => {
                self.verified_senders = value
                    .split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect();
            }
            "max_emails" => self.max_emails = Some(parse_number(key, value)?),
            _ => {
                return Err(format!(
                    "unknown mail setting `{key}`; the settings are: {}",
                    KEYS.join(", ")
                ))
            }
        }
        Ok(())
    }

    /// Applies the environment variables: `DLG_SMTP_URL`, `DLG_SMTP_CONNECTION`,
    /// `DLG_MAIL_MODE`, `DLG_OUTBOX` and `DLG_SYSTEM_<NAME>` (e.g. `DLG_SYSTEM_ADMINUSERID`
    /// for `zoho.adminuserid`). Pass `std::env::vars()`.
    pub fn apply_env(
        &mut self,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<(), String> {
        for (name, value) in vars {
            if value.is_empty() {
                continue;
            }
            let setting = match name.as_str() {
                "DLG_SMTP_URL" => "mail.smtp.url",
                "DLG_SMTP_CONNECTION" => "mail.smtp.connection",
                "DLG_MAIL_MODE" => "mail.mode",
                "DLG_OUTBOX" => "mail.outbox",
                _ => {
                    if let Some(system) = name.strip_prefix("DLG_SYSTEM_") {
                        self.system
                            .set(system, &value)
                            .map_err(|e| format!("{name}: {e}"))?;
                    }
                    continue;
                }
            };
            self.set(setting, &value)
                .map_err(|e| format!("{name}: {e}"))?;
        }
        Ok(())
    }
}

fn parse_mode(value: &str) -> Result<MailMode, String> {
    match value.to_ascii_lowercase().as_str() {
        "outbox" => Ok(MailMode::Outbox),
        "smtp" => Ok(MailMode::Smtp),
        "log" => Ok(MailMode::Log),
        _ => Err(format!("mail.mode is `{value}`; use outbox, smtp or log")),
    }
}

fn parse_number<T: std::str::FromStr>(key: &str, value: &str) -> Result<T, String> {
    value
        .parse()
        .map_err(|_| format!("{key} needs a whole number, not `{value}`"))
}

fn parse_bool(key: &str, value: &str) -> Result<bool, String> {
    match value.to_ascii_lowercase().as_str() {
        "true" => Ok(true),
        "false" => Ok(false),
        _ => Err(format!("{key} needs true or false, not `{value}`")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_choose_security_and_default_ports() {
        let plain = SmtpEndpoint::parse("smtp://mail.example.com").unwrap();
        assert_eq!((plain.security, plain.port), (SmtpSecurity::StartTls, 587));
        let ip6 = SmtpEndpoint::parse("smtps://[::1]:2465").unwrap();
        assert_eq!((ip6.host.as_str(), ip6.port), ("::1", 2465));
        assert_eq!(ip6.address(), "[::1]:2465");
    }

    #[test]
    fn bad_urls_are_explained_without_their_password() {
        let error = SmtpEndpoint::parse("smtp://bob:CANARY-PW@mail.example.com").unwrap_err();
        assert_eq!(
            error,
            "the SMTP URL `smtp://<redacted>@mail.example.com` holds a user name or password; \
             keep them in a Basic connection and name it with --smtp-connection LINK \
             (mail.smtp.connection)"
        );
        let error = SmtpEndpoint::parse("http://mail.example.com").unwrap_err();
        assert!(error.contains("has the scheme `http`"), "{error}");
        let error = SmtpEndpoint::parse("smtp://mail.example.com/x").unwrap_err();
        assert!(error.contains("has a path or query"), "{error}");
    }

    #[test]
    fn keys_set_fields_and_unknown_keys_list_the_known_ones() {
        let mut settings = MailSettings::default();
        assert_eq!(settings.mode().unwrap(), MailMode::Outbox);
        settings.set("smtp.host", "mail.example.com").unwrap();
        settings.set("mail.smtp.port", "465").unwrap();
        settings
            .set("verified_senders", "a@x.com, b@x.com")
            .unwrap();
        assert_eq!(settings.mode().unwrap(), MailMode::Smtp);
        let endpoint = settings.smtp.endpoint().unwrap().unwrap();
        assert_eq!(endpoint.security, SmtpSecurity::ImplicitTls);
        assert_eq!(settings.verified_senders, ["a@x.com", "b@x.com"]);
        let error = settings.set("mail.smtp.password", "CANARY").unwrap_err();
        assert!(
            error.starts_with("mail.smtp.password is not a setting"),
            "{error}"
        );
        assert!(!error.contains("CANARY"));
        let error = settings.set("mail.colour", "red").unwrap_err();
        assert!(
            error.starts_with("unknown mail setting `mail.colour`; the settings are: mail.mode")
        );
        assert_eq!(
            settings.set("mail.max_emails", "many").unwrap_err(),
            "mail.max_emails needs a whole number, not `many`"
        );
    }

    #[test]
    fn smtp_mode_needs_a_server() {
        let mut settings = MailSettings::default();
        settings.set("mail.mode", "SMTP").unwrap();
        assert_eq!(
            settings.mode().unwrap_err(),
            "mail.mode is smtp but no SMTP server is set; give `mail.smtp.url` (DLG_SMTP_URL)"
        );
    }

    #[test]
    fn environment_variables_name_themselves_in_errors() {
        let mut settings = MailSettings::default();
        let vars = [
            (
                "DLG_SMTP_URL".to_owned(),
                "smtps://mail.example.com".to_owned(),
            ),
            (
                "DLG_SYSTEM_ADMINUSERID".to_owned(),
                "ada@example.com".to_owned(),
            ),
            ("HOME".to_owned(), "/root".to_owned()),
        ];
        settings.apply_env(vars).unwrap();
        assert_eq!(
            settings.smtp.url.as_deref(),
            Some("smtps://mail.example.com")
        );
        assert_eq!(
            settings.system.get("adminuserid").as_deref(),
            Some("ada@example.com")
        );
        let error = settings
            .apply_env([("DLG_MAIL_MODE".to_owned(), "pigeon".to_owned())])
            .unwrap_err();
        assert_eq!(
            error,
            "DLG_MAIL_MODE: mail.mode is `pigeon`; use outbox, smtp or log"
        );
    }
}
