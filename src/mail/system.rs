//! The Zoho system values a local run provides: `zoho.adminuserid`, `zoho.loginuserid`,
//! `zoho.adminuser`, `zoho.loginuser`, `zoho.ipaddress`, ... (language.md §6.11).
//!
//! Defaults stand for "the person running the script is the application's admin":
//! `zoho.adminuserid` is `admin@localhost`, `zoho.adminuser` is `admin`, the login values
//! follow the admin values unless set, and `zoho.ipaddress` is `127.0.0.1`. Every other name
//! (`zoho.appname`, `zoho.appuri`, `zoho.orgname`, ...) is unset unless given.

use std::collections::{BTreeMap, HashMap};

/// The default `zoho.adminuserid` (and `zoho.loginuserid` unless set).
pub const DEFAULT_ADMIN_USER_ID: &str = "admin@localhost";
/// The default `zoho.adminuser` (and `zoho.loginuser` unless set).
pub const DEFAULT_ADMIN_USER: &str = "admin";
/// The default `zoho.ipaddress`.
pub const DEFAULT_IP_ADDRESS: &str = "127.0.0.1";

/// System values by name: lower case, without the `zoho.` prefix (`adminuserid`).
///
/// ```
/// use deluge_lang::mail::SystemValues;
/// let mut values = SystemValues::default();
/// assert_eq!(values.get("zoho.loginuserid").as_deref(), Some("admin@localhost"));
/// values.set("zoho.adminuserid", "ada@example.com").unwrap();
/// assert_eq!(values.get("zoho.loginuserid").as_deref(), Some("ada@example.com"));
/// values.set_pair("zoho.loginuserid=bob@example.com").unwrap();
/// assert_eq!(values.get("LOGINUSERID").as_deref(), Some("bob@example.com"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SystemValues {
    explicit: BTreeMap<String, String>,
}

impl SystemValues {
    /// Sets one value; `name` may carry the `zoho.` prefix and any case.
    pub fn set(&mut self, name: &str, value: &str) -> Result<(), String> {
        let key = normalize(name)?;
        self.explicit.insert(key, value.to_owned());
        Ok(())
    }

    /// Sets one value from `NAME=VALUE` (the `--system` flag's form).
    pub fn set_pair(&mut self, pair: &str) -> Result<(), String> {
        let (name, value) = pair.split_once('=').ok_or_else(|| {
            format!("--system {pair}: expected NAME=VALUE, e.g. zoho.adminuserid=ada@example.com")
        })?;
        self.set(name.trim(), value.trim())
    }

    /// The value of `name` (with or without `zoho.`), defaults included.
    pub fn get(&self, name: &str) -> Option<String> {
        let key = normalize(name).ok()?;
        self.resolved().remove(&key)
    }

    /// Every value, defaults included, keyed as `RunEnv::system_vars` expects.
    pub fn resolved(&self) -> HashMap<String, String> {
        let explicit = |key: &str| self.explicit.get(key).cloned();
        let admin_id = explicit("adminuserid").unwrap_or_else(|| DEFAULT_ADMIN_USER_ID.into());
        let admin = explicit("adminuser").unwrap_or_else(|| DEFAULT_ADMIN_USER.into());
        let mut values: HashMap<String, String> = HashMap::from([
            ("loginuserid".to_owned(), admin_id.clone()),
            ("loginuser".to_owned(), admin.clone()),
            ("adminuserid".to_owned(), admin_id),
            ("adminuser".to_owned(), admin),
            ("ipaddress".to_owned(), DEFAULT_IP_ADDRESS.to_owned()),
        ]);
        values.extend(self.explicit.clone());
        values
    }
}

/// `zoho.AdminUserId` -> `adminuserid`; refuses names that are not one dotted word.
fn normalize(name: &str) -> Result<String, String> {
    let lower = name.trim().to_ascii_lowercase();
    let key = lower.strip_prefix("zoho.").unwrap_or(&lower);
    let valid = !key.is_empty() && key.chars().all(|c| c.is_ascii_alphanumeric() || c == '_');
    if valid {
        Ok(key.to_owned())
    } else {
        Err(format!(
            "`{name}` is not a system value name; use a name such as zoho.adminuserid, \
             zoho.loginuserid, zoho.adminuser, zoho.loginuser, zoho.appname or zoho.ipaddress"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_make_the_runner_the_admin() {
        let values = SystemValues::default().resolved();
        assert_eq!(values["adminuserid"], "admin@localhost");
        assert_eq!(values["loginuserid"], "admin@localhost");
        assert_eq!(values["loginuser"], "admin");
        assert_eq!(values["ipaddress"], "127.0.0.1");
        assert!(!values.contains_key("appname"));
    }

    #[test]
    fn explicit_values_win_and_login_follows_admin() {
        let mut values = SystemValues::default();
        values.set("ZOHO.AdminUser", "Ada").unwrap();
        values.set_pair("appname = shop").unwrap();
        assert_eq!(values.get("loginuser").as_deref(), Some("Ada"));
        assert_eq!(values.get("zoho.appname").as_deref(), Some("shop"));
        values.set("loginuser", "Bob").unwrap();
        assert_eq!(values.get("zoho.loginuser").as_deref(), Some("Bob"));
        assert_eq!(values.get("zoho.adminuser").as_deref(), Some("Ada"));
    }

    #[test]
    fn bad_names_and_pairs_are_refused() {
        let mut values = SystemValues::default();
        assert_eq!(
            values.set_pair("zoho.adminuserid").unwrap_err(),
            "--system zoho.adminuserid: expected NAME=VALUE, e.g. zoho.adminuserid=ada@example.com"
        );
        let error = values.set("zoho.crm.x", "1").unwrap_err();
        assert!(
            error.starts_with("`zoho.crm.x` is not a system value name"),
            "{error}"
        );
        assert!(values.get("zoho.").is_none());
    }
}
