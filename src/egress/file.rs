//! The egress policy file (`dlg run --egress FILE`), in TOML:
//!
//! ```toml
//! deny_private = true                       # the private-network preset
//! allow = ["api.example.com", "*.zoho.com", "10.1.0.0/16"]
//! deny = ["*.internal.example.com", "*:25"]
//! ports = [80, 443]                         # only these ports (all when absent)
//! ```

use serde::Deserialize;

use super::policy::EgressPolicy;

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PolicyFile {
    #[serde(default)]
    deny_private: bool,
    #[serde(default)]
    allow: Vec<String>,
    #[serde(default)]
    deny: Vec<String>,
    #[serde(default)]
    ports: Vec<u16>,
}

impl EgressPolicy {
    /// Reads a policy file (keys `deny_private`, `allow`, `deny`, `ports`; see
    /// `docs/egress.md`). Errors name the key and the entry.
    ///
    /// ```
    /// let policy = deluge_lang::EgressPolicy::from_toml(
    ///     "deny_private = true\nallow = [\"*.zoho.com\"]\nports = [443]",
    /// )
    /// .unwrap();
    /// assert!(policy.check_url(&"https://www.zohoapis.com/".parse().unwrap()).is_err());
    /// assert!(policy.check_url(&"https://accounts.zoho.com/".parse().unwrap()).is_ok());
    /// let error = deluge_lang::EgressPolicy::from_toml("alow = []").unwrap_err();
    /// assert!(error.contains("unknown field `alow`"), "{error}");
    /// ```
    pub fn from_toml(text: &str) -> Result<EgressPolicy, String> {
        let file: PolicyFile = toml::from_str(text).map_err(|error| error.to_string())?;
        let mut policy = EgressPolicy::allow_all();
        policy.set_deny_private(file.deny_private);
        for entry in &file.allow {
            policy
                .allow(entry)
                .map_err(|error| format!("allow: {error}"))?;
        }
        for entry in &file.deny {
            policy
                .deny(entry)
                .map_err(|error| format!("deny: {error}"))?;
        }
        if file.ports.contains(&0) {
            return Err("ports: 0 is not a port (1 to 65535)".into());
        }
        policy.allow_ports(&file.ports);
        Ok(policy)
    }
}
