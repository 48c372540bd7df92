//! The run's Zoho settings (zoho-tasks.md §1.2, §1.3, §1.6): the default connection of each
//! product, the CRM API version of the legacy tasks and the product arguments scripts leave out.
//!
//! A plain struct the command line fills from flags (`--zoho crm=LINK`, `--zoho-param
//! books.organization_id=ID`) and `DLG_*` variables, the REPL from `:zoho`, and embedders through
//! [`Engine::zoho_settings_mut`](crate::Engine::zoho_settings_mut). Settings-file keys go through
//! [`ZohoSettings::set`], which takes the dotted key as written in `dlg.toml`.

use std::collections::BTreeMap;
use std::fmt;

/// A Zoho product whose tasks the Zoho host runs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ZohoProduct {
    /// Zoho CRM (`zoho.crm.*`).
    Crm,
    /// Zoho Books (`zoho.books.*`).
    Books,
    /// Zoho Creator (`zoho.creator.*`).
    Creator,
    /// Zoho Desk (`zoho.desk.*`).
    Desk,
    /// Zoho Inventory (`zoho.inventory.*`).
    Inventory,
}

impl ZohoProduct {
    /// Every product, in the order help texts list them.
    pub const ALL: [ZohoProduct; 5] = [
        ZohoProduct::Crm,
        ZohoProduct::Books,
        ZohoProduct::Creator,
        ZohoProduct::Desk,
        ZohoProduct::Inventory,
    ];

    /// The key used in flags and settings: `crm`, `books`, `creator`, `desk`, `inventory`.
    ///
    /// ```
    /// use deluge_lang::zoho::ZohoProduct;
    /// assert_eq!(ZohoProduct::parse("CRM"), Some(ZohoProduct::Crm));
    /// assert_eq!(ZohoProduct::Crm.key(), "crm");
    /// ```
    pub fn key(self) -> &'static str {
        match self {
            ZohoProduct::Crm => "crm",
            ZohoProduct::Books => "books",
            ZohoProduct::Creator => "creator",
            ZohoProduct::Desk => "desk",
            ZohoProduct::Inventory => "inventory",
        }
    }

    /// The product named `key` (any case), if it is one of the five.
    pub fn parse(key: &str) -> Option<ZohoProduct> {
        ZohoProduct::ALL
            .into_iter()
            .find(|product| product.key().eq_ignore_ascii_case(key.trim()))
    }

    /// The product's name as Zoho writes it: `Zoho CRM`, `Zoho Books`, ...
    pub fn title(self) -> &'static str {
        match self {
            ZohoProduct::Crm => "Zoho CRM",
            ZohoProduct::Books => "Zoho Books",
            ZohoProduct::Creator => "Zoho Creator",
            ZohoProduct::Desk => "Zoho Desk",
            ZohoProduct::Inventory => "Zoho Inventory",
        }
    }

    /// The prefix of the catalog's services for this product, e.g. `zoho_crm_` (`zoho_crm_eu`).
    pub fn service_prefix(self) -> String {
        format!("zoho_{}_", self.key())
    }

    /// The product arguments it takes from the settings: `organization_id` (Books,
    /// Inventory), `orgId` (Desk), `owner` and `app` (Creator).
    pub fn params(self) -> &'static [&'static str] {
        match self {
            ZohoProduct::Crm => &[],
            ZohoProduct::Books | ZohoProduct::Inventory => &["organization_id"],
            ZohoProduct::Creator => &["owner", "app"],
            ZohoProduct::Desk => &["orgId"],
        }
    }
}

impl fmt::Display for ZohoProduct {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.key())
    }
}

/// The settings the Zoho host reads at each task call.
///
/// ```
/// use deluge_lang::zoho::{ZohoProduct, ZohoSettings};
///
/// let mut settings = ZohoSettings::default();
/// settings.set("zoho.default_connection.crm", "my_crm").unwrap();
/// settings.set_flag_param("books.organization_id=12345").unwrap();
/// assert_eq!(settings.default_connection(ZohoProduct::Crm), Some("my_crm"));
/// assert_eq!(settings.param(ZohoProduct::Books, "organization_id"), Some("12345"));
/// assert_eq!(settings.crm_legacy_api_version(), "v2");
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ZohoSettings {
    default_connections: BTreeMap<ZohoProduct, String>,
    crm_legacy_api_version: Option<String>,
    params: BTreeMap<(ZohoProduct, String), String>,
}

impl ZohoSettings {
    /// The connection a product's tasks use when the script names none.
    pub fn default_connection(&self, product: ZohoProduct) -> Option<&str> {
        self.default_connections.get(&product).map(String::as_str)
    }

    /// Sets the default connection of `product` (`--zoho crm=LINK`, `:zoho crm LINK`).
    pub fn set_default_connection(&mut self, product: ZohoProduct, link_name: &str) {
        self.default_connections
            .insert(product, link_name.trim().to_owned());
    }

    /// The CRM API version legacy `zoho.crm.X` tasks call (`v2` unless set).
    pub fn crm_legacy_api_version(&self) -> &str {
        self.crm_legacy_api_version.as_deref().unwrap_or("v2")
    }

    /// A product argument set for the run, e.g. Books' `organization_id`.
    pub fn param(&self, product: ZohoProduct, name: &str) -> Option<&str> {
        self.params
            .get(&(product, name.to_ascii_lowercase()))
            .map(String::as_str)
    }

    /// Sets a product argument (`owner`, `app`, `organization_id`, `orgId`).
    pub fn set_param(
        &mut self,
        product: ZohoProduct,
        name: &str,
        value: &str,
    ) -> Result<(), String> {
        let known = product.params();
        let Some(canonical) = known.iter().find(|p| p.eq_ignore_ascii_case(name)) else {
            return Err(match known {
                [] => format!(
                    "{} tasks take no product argument (`{name}`)",
                    product.title()
                ),
                _ => format!(
                    "unknown {} argument `{name}`; it takes {}",
                    product.title(),
                    known.join(", ")
                ),
            });
        };
        self.params.insert(
            (product, canonical.to_ascii_lowercase()),
            value.trim().to_owned(),
        );
        Ok(())
    }

    /// Applies `--zoho PRODUCT=LINK`.
    pub fn set_flag_connection(&mut self, flag: &str) -> Result<(), String> {
        let (product, link) = flag
            .split_once('=')
            .ok_or_else(|| format!("--zoho {flag}: expected PRODUCT=LINK, e.g. crm=my_crm"))?;
        let product = parse_product(product)?;
        if link.trim().is_empty() {
            return Err(format!("--zoho {flag}: the connection link name is empty"));
        }
        self.set_default_connection(product, link);
        Ok(())
    }

    /// Applies `--zoho-param PRODUCT.NAME=VALUE`, e.g. `books.organization_id=12345`.
    pub fn set_flag_param(&mut self, flag: &str) -> Result<(), String> {
        let example = "e.g. books.organization_id=12345";
        let (key, value) = flag.split_once('=').ok_or_else(|| {
            format!("--zoho-param {flag}: expected PRODUCT.NAME=VALUE, {example}")
        })?;
        let (product, name) = key.split_once('.').ok_or_else(|| {
            format!("--zoho-param {flag}: expected PRODUCT.NAME=VALUE, {example}")
        })?;
        let product = parse_product(product)?;
        self.set_param(product, name.trim(), value)
            .map_err(|e| format!("--zoho-param {flag}: {e}"))
    }

    /// Sets one setting by its `dlg.toml` key: `zoho.default_connection.<product>`,
    /// `zoho.crm.legacy_api_version` or `zoho.<product>.<argument>` (e.g.
    /// `zoho.books.organization_id`).
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), String> {
        let rest = key
            .strip_prefix("zoho.")
            .ok_or_else(|| format!("`{key}` is not a Zoho setting (they start with `zoho.`)"))?;
        if let Some(product) = rest.strip_prefix("default_connection.") {
            self.set_default_connection(parse_product(product)?, value);
            return Ok(());
        }
        if rest == "crm.legacy_api_version" {
            return self.set_crm_legacy_api_version(value);
        }
        match rest.split_once('.') {
            Some((product, name)) => self
                .set_param(parse_product(product)?, name, value)
                .map_err(|e| format!("`{key}`: {e}")),
            None => Err(format!(
                "unknown Zoho setting `{key}`; known: zoho.default_connection.<product>, \
                 zoho.crm.legacy_api_version, zoho.<product>.<argument>"
            )),
        }
    }

    /// Sets the CRM version of legacy tasks: `v2` to `v8` (with or without the `v`).
    pub fn set_crm_legacy_api_version(&mut self, version: &str) -> Result<(), String> {
        let digits = version.trim().trim_start_matches(['v', 'V']);
        match digits.parse::<u8>() {
            Ok(n) if (2..=8).contains(&n) => {
                self.crm_legacy_api_version = Some(format!("v{n}"));
                Ok(())
            }
            _ => Err(format!(
                "zoho.crm.legacy_api_version must be v2 ... v8, not `{version}`"
            )),
        }
    }

    /// Reads the `DLG_ZOHO_*` variables: `DLG_ZOHO_CRM` ... `DLG_ZOHO_INVENTORY` (default
    /// connections), `DLG_ZOHO_CRM_API_VERSION` and `DLG_ZOHO_PARAMS` (comma-separated
    /// `PRODUCT.NAME=VALUE`). `lookup` is `std::env::var` outside tests.
    pub fn apply_env(&mut self, lookup: impl Fn(&str) -> Option<String>) -> Result<(), String> {
        for product in ZohoProduct::ALL {
            let name = format!("DLG_ZOHO_{}", product.key().to_ascii_uppercase());
            if let Some(link) = lookup(&name).filter(|v| !v.trim().is_empty()) {
                self.set_default_connection(product, &link);
            }
        }
        if let Some(version) = lookup("DLG_ZOHO_CRM_API_VERSION") {
            self.set_crm_legacy_api_version(&version)
                .map_err(|e| format!("DLG_ZOHO_CRM_API_VERSION: {e}"))?;
        }
        if let Some(params) = lookup("DLG_ZOHO_PARAMS") {
            for param in params.split(',').filter(|p| !p.trim().is_empty()) {
                self.set_flag_param(param.trim())
                    .map_err(|e| format!("DLG_ZOHO_PARAMS: {e}"))?;
            }
        }
        Ok(())
    }
}

fn parse_product(key: &str) -> Result<ZohoProduct, String> {
    ZohoProduct::parse(key).ok_or_else(|| {
        format!("unknown Zoho product `{key}`; use crm, books, creator, desk or inventory")
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn flags_env_and_keys_fill_the_settings() {
        let mut settings = ZohoSettings::default();
        settings.set_flag_connection("crm=a").unwrap();
        settings.set("zoho.default_connection.desk", "d").unwrap();
        settings.set("zoho.crm.legacy_api_version", "v8").unwrap();
        settings.set("zoho.creator.owner", "ada").unwrap();
        settings
            .apply_env(|name| match name {
                "DLG_ZOHO_BOOKS" => Some("b".into()),
                "DLG_ZOHO_PARAMS" => Some("desk.orgid=7, creator.app=shop".into()),
                _ => None,
            })
            .unwrap();
        assert_eq!(settings.default_connection(ZohoProduct::Crm), Some("a"));
        assert_eq!(settings.default_connection(ZohoProduct::Books), Some("b"));
        assert_eq!(settings.default_connection(ZohoProduct::Desk), Some("d"));
        assert_eq!(settings.crm_legacy_api_version(), "v8");
        assert_eq!(settings.param(ZohoProduct::Desk, "orgId"), Some("7"));
        assert_eq!(settings.param(ZohoProduct::Creator, "owner"), Some("ada"));
        assert_eq!(settings.param(ZohoProduct::Creator, "app"), Some("shop"));
    }

    #[test]
    fn bad_settings_say_what_is_expected() {
        let mut settings = ZohoSettings::default();
        assert_eq!(
            settings.set_flag_connection("crm").unwrap_err(),
            "--zoho crm: expected PRODUCT=LINK, e.g. crm=my_crm"
        );
        assert_eq!(
            settings.set_flag_connection("mail=x").unwrap_err(),
            "unknown Zoho product `mail`; use crm, books, creator, desk or inventory"
        );
        assert_eq!(
            settings.set_flag_param("books.org=1").unwrap_err(),
            "--zoho-param books.org=1: unknown Zoho Books argument `org`; it takes organization_id"
        );
        assert_eq!(
            settings
                .set("zoho.crm.legacy_api_version", "v9")
                .unwrap_err(),
            "zoho.crm.legacy_api_version must be v2 ... v8, not `v9`"
        );
    }
}
