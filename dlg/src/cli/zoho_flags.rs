//! The Zoho flags shared by `dlg run` and `dlg repl`: `--zoho PRODUCT=LINK` and
//! `--zoho-param PRODUCT.NAME=VALUE`, over the `DLG_ZOHO_*` variables.

use clap::Args;

use deluge_lang::zoho::ZohoSettings;

/// The Zoho task settings a run takes from the command line.
#[derive(Debug, Default, Clone, Args)]
pub struct ZohoArgs {
    /// The connection of a product's Zoho tasks when the script names none, e.g.
    /// `crm=my_crm` (repeatable; crm, books, creator, desk, inventory; env DLG_ZOHO_CRM ...).
    #[arg(long = "zoho", value_name = "PRODUCT=LINK")]
    pub connections: Vec<String>,
    /// A product argument scripts leave empty, e.g. `books.organization_id=12345`,
    /// `desk.orgId=7`, `creator.owner=ada` (repeatable; env DLG_ZOHO_PARAMS, comma-separated).
    #[arg(long = "zoho-param", value_name = "PRODUCT.NAME=VALUE")]
    pub params: Vec<String>,
}

impl ZohoArgs {
    /// Fills `settings` from the `DLG_ZOHO_*` variables, then the flags (which win).
    pub fn apply(&self, settings: &mut ZohoSettings) -> Result<(), String> {
        settings.apply_env(|name| std::env::var(name).ok())?;
        for flag in &self.connections {
            settings.set_flag_connection(flag)?;
        }
        for flag in &self.params {
            settings.set_flag_param(flag)?;
        }
        Ok(())
    }
}
