//! The per-run quotas and the egress policy of `dlg run`: `--max-http-calls N`,
//! `--max-http-bytes N`, `--egress FILE`, `--allow-host ENTRY`..., `--deny-private`.
//! (`--max-emails N` is a mail flag, `mail.max_emails`: `super::hosts` makes it the run's
//! mail quota.)

use std::path::PathBuf;

use clap::Args;

use deluge_lang::api::engine::Engine;
use deluge_lang::egress::EgressPolicy;

/// Quotas and egress flags.
#[derive(Debug, Args)]
pub struct RunLimitArgs {
    /// Stop with an error at the HTTP call past this many (invokeurl, getUrl/postUrl, Zoho
    /// tasks; a call's redirects are part of it).
    #[arg(long, value_name = "N")]
    pub max_http_calls: Option<u64>,
    /// Stop with an error once HTTP response bodies add up to more than this many bytes.
    #[arg(long, value_name = "N")]
    pub max_http_bytes: Option<u64>,
    /// The egress policy file (TOML: deny_private, allow, deny, ports; see docs/egress.md).
    #[arg(long, value_name = "FILE")]
    pub egress: Option<PathBuf>,
    /// Allow only these hosts (repeatable): api.example.com, *.example.com, 10.1.0.0/16,
    /// host:port. Added to the --egress file's allow list.
    #[arg(long = "allow-host", value_name = "ENTRY")]
    pub allow_hosts: Vec<String>,
    /// Refuse loopback, private, link-local (cloud metadata), CGNAT, multicast and unspecified
    /// addresses.
    #[arg(long)]
    pub deny_private: bool,
}

impl RunLimitArgs {
    /// Sets the quotas and the egress policy on `engine`; `Err` is a usage message.
    pub fn apply(&self, engine: &mut Engine) -> Result<(), String> {
        let limits = &mut engine.env_mut().limits;
        if self.max_http_calls.is_some() {
            limits.max_http_calls = self.max_http_calls;
        }
        if self.max_http_bytes.is_some() {
            limits.max_http_bytes = self.max_http_bytes;
        }
        if let Some(policy) = self.policy()? {
            engine.set_egress(policy);
        }
        Ok(())
    }

    /// The policy the flags describe, `None` when no egress flag is given.
    fn policy(&self) -> Result<Option<EgressPolicy>, String> {
        let mut policy = match &self.egress {
            Some(path) => {
                let shown = path.display();
                let text = std::fs::read_to_string(path)
                    .map_err(|error| format!("cannot read the egress policy {shown}: {error}"))?;
                EgressPolicy::from_toml(&text)
                    .map_err(|error| format!("egress policy {shown}: {error}"))?
            }
            None if self.allow_hosts.is_empty() && !self.deny_private => return Ok(None),
            None => EgressPolicy::allow_all(),
        };
        if self.deny_private {
            policy.set_deny_private(true);
        }
        for entry in &self.allow_hosts {
            policy
                .allow(entry)
                .map_err(|error| format!("--allow-host {error}"))?;
        }
        Ok(Some(policy))
    }
}
