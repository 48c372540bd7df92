//! The engine every `dlg` command that runs scripts starts from: the connection store the
//! command line chose attached explicitly (the library's `Engine::new()` has none), and the
//! engine's settings named by dlg's flags in messages.

use std::sync::Arc;

use deluge_lang::api::engine::Engine;
use deluge_lang::connections::{FileStoreAuthorizer, Store};
use deluge_lang::eval::setting_names::SettingNames;
use deluge_lang::zoho::endpoint::{default_connection_setting, no_connection_of_product};
use deluge_lang::zoho::ZohoProduct;

/// The store `--store`/`DLG_STORE` and `--tenant`/`DLG_TENANT` chose, else the one under
/// `DLG_HOME`; `None` (said with `--verbose`) when it cannot be opened, as scripts that name
/// no connection still run.
pub fn default_store() -> Option<Store> {
    Store::open_default()
        .inspect_err(|error| log::debug!("no connection store: {error}"))
        .ok()
}

/// A new engine signing with `store`'s connections and speaking of dlg's flags.
pub fn new_engine(store: Option<&Store>) -> Engine {
    let mut engine = Engine::new();
    if let Some(store) = store {
        engine.set_connections(Some(Arc::new(FileStoreAuthorizer::new(store.clone()))));
    }
    engine.env_mut().setting_names = setting_names();
    engine
}

/// A new engine with [`default_store`].
pub fn with_default_store() -> Engine {
    new_engine(default_store().as_ref())
}

/// `text` (a library message) with the engine's settings named by dlg's flags.
pub fn for_dlg(text: &str) -> String {
    setting_names().apply(text)
}

/// The engine's settings as `dlg`'s flags and commands set them.
pub fn setting_names() -> SettingNames {
    let fixed = [
        ("`Limits::max_statements`", "--max-statements N"),
        ("`Limits::timeout`", "--timeout SECONDS"),
        (
            "compile the file that defines it with this one (`Engine::compile_files`)",
            "pass the file that defines it with --include",
        ),
        (
            "give it in the run's `Scope` (`Scope::push(\"",
            "give it with `dlg run FILE --arg ",
        ),
        ("\", VALUE)`)", "=VALUE`"),
        (
            "load data with `CreatorHost::seed`",
            "load data with `dlg app load`",
        ),
        (
            "define the app with `CreatorHost::define_app`",
            "give --app-def",
        ),
        ("(another run?)", "(another `dlg run`?)"),
        ("`CreatorOptions::database`", "--app"),
        ("`MailSettings::outbox`", "--outbox DIR"),
        ("set the system value ", "set --system "),
        (
            "give `mail.smtp.url` (DLG_SMTP_URL)",
            "give --smtp URL or DLG_SMTP_URL",
        ),
        ("(`mail.smtp.url`)", "(--smtp URL)"),
        ("`HttpMode::Record`", "`dlg test --record`"),
        ("this version of deluge-lang reads", "this dlg reads"),
        (
            "; authorize connection \"",
            "; authorize it again with `dlg connection authorize ",
        ),
        ("\" again in the engine's connection store", "`"),
    ]
    .map(|(name, words)| (name.to_owned(), words.to_owned()));
    SettingNames::new(fixed.into_iter().chain(zoho_names()))
}

/// For each Zoho product: its default connection (`--zoho`, the variable, the REPL command)
/// and how a connection of it is created.
fn zoho_names() -> impl Iterator<Item = (String, String)> {
    ZohoProduct::ALL.into_iter().flat_map(|product| {
        let key = product.key();
        let upper = key.to_ascii_uppercase();
        let prefix = product.service_prefix();
        [
            (
                default_connection_setting(product),
                format!("`dlg run --zoho {key}=LINK` (DLG_ZOHO_{upper}; `:zoho {key} LINK` in the REPL)"),
            ),
            (
                no_connection_of_product(product),
                format!("(dlg connection create … --service {prefix}com)"),
            ),
        ]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn limits_are_named_by_their_flags() {
        let names = setting_names();
        assert_eq!(
            names.apply("raise the limit with `Limits::max_statements`, or look"),
            "raise the limit with --max-statements N, or look"
        );
        assert_eq!(
            names.apply("give it in the run's `Scope` (`Scope::push(\"n\", VALUE)`)"),
            "give it with `dlg run FILE --arg n=VALUE`"
        );
    }
}
