//! The mail and system-value flags shared by `dlg run` and `dlg repl`.

use std::path::PathBuf;

use clap::Args;

use deluge_lang::mail::MailSettings;

/// Where `sendmail` goes and the system values (`zoho.adminuserid`, ...).
#[derive(Debug, Default, Args)]
pub struct MailArgs {
    /// Send mail through this SMTP server: smtp://HOST[:PORT] (STARTTLS) or
    /// smtps://HOST[:PORT] (default: DLG_SMTP_URL; without one, mail goes to the outbox).
    #[arg(long = "smtp", value_name = "URL")]
    pub smtp: Option<String>,
    /// The Basic connection whose user name and password log in to the SMTP server
    /// (default: DLG_SMTP_CONNECTION).
    #[arg(long = "smtp-connection", value_name = "LINK")]
    pub smtp_connection: Option<String>,
    /// The folder mail is written to as .eml files when no SMTP server is set
    /// (default: DLG_OUTBOX, else outbox/ in DLG_HOME or the dlg configuration folder).
    #[arg(long, value_name = "DIR")]
    pub outbox: Option<PathBuf>,
    /// A system value, e.g. zoho.adminuserid=ada@example.com (repeatable; also
    /// DLG_SYSTEM_ADMINUSERID=...).
    #[arg(long = "system", value_name = "NAME=VALUE")]
    pub system: Vec<String>,
    /// Stop the run (try/catch cannot catch it) at the sendmail after N mails (default: no
    /// limit).
    #[arg(long, value_name = "N")]
    pub max_emails: Option<u64>,
    /// Any mail.* setting, e.g. verified_senders=sales@example.com (repeatable).
    #[arg(long = "mail", value_name = "KEY=VALUE")]
    pub mail: Vec<String>,
}

impl MailArgs {
    /// `base` (defaults, or a settings file's `mail.*` keys), then the environment, then the
    /// flags.
    pub fn settings(&self, mut base: MailSettings) -> Result<MailSettings, String> {
        base.apply_env(std::env::vars())?;
        for pair in &self.mail {
            let (key, value) = pair
                .split_once('=')
                .ok_or_else(|| format!("--mail {pair}: expected KEY=VALUE, e.g. mode=log"))?;
            base.set(key, value)
                .map_err(|e| format!("--mail {pair}: {e}"))?;
        }
        if let Some(url) = &self.smtp {
            base.set("mail.smtp.url", url)
                .map_err(|e| format!("--smtp: {e}"))?;
        }
        if let Some(link) = &self.smtp_connection {
            base.smtp.connection = Some(link.clone());
        }
        if let Some(dir) = &self.outbox {
            base.outbox = Some(dir.clone());
        }
        if let Some(max) = self.max_emails {
            base.max_emails = Some(max);
        }
        for pair in &self.system {
            base.system.set_pair(pair)?;
        }
        Ok(base)
    }
}
