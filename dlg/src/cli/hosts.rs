//! The settings and host stack `dlg run`, `dlg repl` and `dlg test` share (zoho-tasks.md §1.6):
//! the `zoho.*` and `mail.*` keys of the `DLG_*` variables, the project's `dlg.toml` and the
//! user's `config.toml`, under the `DLG_ZOHO_*`/`DLG_SMTP_*` variables and the flags
//! (`--zoho`, `--zoho-param`, `--smtp`, `--mail` ...), which win; then the mail layer over the
//! Zoho host.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use super::mail_options::MailArgs;
use super::zoho_flags::ZohoArgs;
use deluge_lang::api::engine::Engine;
use deluge_lang::connections::Store;
use deluge_lang::mail::{install_host, MailHost, MailSettings, KEYS as MAIL_KEYS};
use deluge_lang::project::settings::env_var_name;
use deluge_lang::project::{Origin, Project, Settings};
use deluge_lang::zoho::{ZohoHost, ZohoProduct, ZohoSettings};

/// The settings layers below the flags for a script or folder at `start`, and the folder of
/// its project's `dlg.toml` (relative paths in it are relative to that folder).
pub fn settings_at(start: &Path) -> Result<(Settings, Option<PathBuf>), String> {
    let project = Project::discover(start).map_err(|e| e.to_string())?;
    settings_of(project.as_ref())
}

/// The settings layers below the flags for `project` (or outside any), and its folder.
pub fn settings_of(project: Option<&Project>) -> Result<(Settings, Option<PathBuf>), String> {
    let settings = Settings::load(project).map_err(|e| e.to_string())?;
    Ok((settings, project.map(|p| p.root().to_path_buf())))
}

/// Fills the engine's Zoho settings and installs the mail layer over the Zoho host, from
/// `settings` (the layers below the flags), then the `DLG_ZOHO_*`/mail variables and flags.
/// The mail layer reads its SMTP connection from `store` and prints its notices on standard
/// error.
pub fn configure(
    engine: &mut Engine,
    store: Option<&Store>,
    settings: &Settings,
    root: Option<&Path>,
    zoho: &ZohoArgs,
    mail: &MailArgs,
) -> Result<(), String> {
    zoho_settings(settings, zoho, engine.zoho_settings_mut())?;
    let mail = mail_settings(settings, root, mail)?;
    mail.mode()?;
    if mail.max_emails.is_some() {
        // The run's mail quota: not catchable, like the other quotas.
        engine.env_mut().limits.max_emails = mail.max_emails;
    }
    let host = MailHost::new(mail, Arc::new(ZohoHost::default()))
        .with_notices(|line| eprintln!("dlg: {}", super::engine::for_dlg(line)));
    install_host(
        engine,
        match store {
            Some(store) => host.with_store(store.clone()),
            None => host,
        },
    );
    Ok(())
}

/// Applies the `zoho.*` settings to `into`, then the `DLG_ZOHO_*` variables and the flags.
pub fn zoho_settings(
    settings: &Settings,
    args: &ZohoArgs,
    into: &mut ZohoSettings,
) -> Result<(), String> {
    for key in keys(settings, "zoho.", &zoho_keys()) {
        if let Some((value, origin)) = settings.setting_with_origin(&key) {
            into.set(&key, value)
                .map_err(|e| format!("{}: {e}", origin_label(&key, origin)))?;
        }
    }
    args.apply(into)
}

/// The mail settings: the `mail.*` settings, then the mail variables and the flags.
pub fn mail_settings(
    settings: &Settings,
    root: Option<&Path>,
    args: &MailArgs,
) -> Result<MailSettings, String> {
    let mut base = MailSettings::default();
    let known: Vec<String> = MAIL_KEYS.iter().map(|k| (*k).to_owned()).collect();
    for key in keys(settings, "mail.", &known) {
        if let Some((value, origin)) = settings.setting_with_origin(&key) {
            let value = project_relative(&key, value, origin, root);
            base.set(&key, &value)
                .map_err(|e| format!("{}: {e}", origin_label(&key, origin)))?;
        }
    }
    args.settings(base)
}

/// Every `zoho.*` key the Zoho settings take, so their `DLG_*` variables are read too.
fn zoho_keys() -> Vec<String> {
    let mut known = vec!["zoho.crm.legacy_api_version".to_owned()];
    for product in ZohoProduct::ALL {
        known.push(format!("zoho.default_connection.{product}"));
        known.extend(
            product
                .params()
                .iter()
                .map(|param| format!("zoho.{product}.{param}")),
        );
    }
    known
}

/// The keys with `prefix` set in a file or flag, and the `known` ones (which may be set by
/// a `DLG_*` variable only).
fn keys(settings: &Settings, prefix: &str, known: &[String]) -> Vec<String> {
    let mut keys = settings.keys_with_prefix(prefix);
    keys.extend(known.iter().cloned());
    keys.sort();
    keys.dedup();
    keys
}

/// A path from `dlg.toml` (`mail.outbox`, `mail.smtp.ca_file`) relative to its folder.
fn project_relative(key: &str, value: &str, origin: Origin, root: Option<&Path>) -> String {
    let is_path = matches!(key, "mail.outbox" | "mail.smtp.ca_file");
    match root {
        Some(root)
            if is_path && origin == Origin::ProjectFile && Path::new(value).is_relative() =>
        {
            root.join(value).display().to_string()
        }
        _ => value.to_owned(),
    }
}

/// Where a setting came from, for messages: `dlg.toml: zoho.crm.legacy_api_version`.
fn origin_label(key: &str, origin: Origin) -> String {
    match origin {
        Origin::Flag => format!("flag {key}"),
        Origin::Environment => env_var_name(key),
        Origin::ProjectFile => format!("dlg.toml: {key}"),
        Origin::UserFile => format!("config.toml: {key}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(key: &str, value: &str) -> (String, String) {
        (key.to_owned(), value.to_owned())
    }

    #[test]
    fn file_keys_fill_zoho_and_mail_settings_below_the_variables() {
        let settings = Settings::from_layers(
            vec![pair("DLG_ZOHO_DEFAULT_CONNECTION_BOOKS", "books_env")],
            vec![
                pair("zoho.default_connection.crm", "crm_file"),
                pair("zoho.default_connection.books", "books_file"),
                pair("zoho.books.organization_id", "77"),
                pair("mail.outbox", "sent"),
                pair("mail.admin_address", "ada@example.com"),
                pair("mail.smtp_url", "smtp://127.0.0.1:2525"),
            ],
            vec![pair("zoho.crm.legacy_api_version", "v8")],
        );
        let mut zoho = ZohoSettings::default();
        zoho_settings(&settings, &ZohoArgs::default(), &mut zoho).unwrap();
        assert_eq!(zoho.default_connection(ZohoProduct::Crm), Some("crm_file"));
        assert_eq!(
            zoho.default_connection(ZohoProduct::Books),
            Some("books_env")
        );
        assert_eq!(
            zoho.param(ZohoProduct::Books, "organization_id"),
            Some("77")
        );
        assert_eq!(zoho.crm_legacy_api_version(), "v8");
        let mail = mail_settings(&settings, Some(Path::new("/p")), &MailArgs::default()).unwrap();
        assert_eq!(mail.outbox.as_deref(), Some(Path::new("/p/sent")));
        assert_eq!(mail.smtp.url.as_deref(), Some("smtp://127.0.0.1:2525"));
        assert_eq!(
            mail.system.get("adminuserid").as_deref(),
            Some("ada@example.com")
        );
    }

    #[test]
    fn a_bad_file_setting_names_where_it_came_from() {
        let settings = Settings::from_layers(
            Vec::new(),
            vec![
                pair("mail.colour", "red"),
                pair("zoho.crm.legacy_api_version", "v9"),
            ],
            Vec::new(),
        );
        let error = zoho_settings(
            &settings,
            &ZohoArgs::default(),
            &mut ZohoSettings::default(),
        )
        .unwrap_err();
        assert_eq!(
            error,
            "dlg.toml: zoho.crm.legacy_api_version: zoho.crm.legacy_api_version must be v2 ... v8, not `v9`"
        );
        let error = mail_settings(&settings, None, &MailArgs::default()).unwrap_err();
        assert!(
            error.starts_with("dlg.toml: mail.colour: unknown mail setting `mail.colour`"),
            "{error}"
        );
    }
}
