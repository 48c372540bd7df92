//! Settings by dotted key (`zoho.default_connection.crm`, `mail.smtp_url`, ...) from four
//! layers, highest first:
//!
//! 1. command-line flags ([`Settings::set_flag`]; `--zoho crm=LINK` and the like are shorthands);
//! 2. `DLG_*` environment variables: the key upper-cased with `.` and `-` as `_`
//!    (`zoho.default_connection.crm` is `DLG_ZOHO_DEFAULT_CONNECTION_CRM`);
//! 3. the project's `dlg.toml` (found in the script's folder or a parent);
//! 4. the user's `config.toml` in the dlg configuration folder (`DLG_HOME`, else the platform's
//!    configuration folder for deluge-lang), same format as `dlg.toml`.
//!
//! Every value is text; a TOML list is comma-separated text, which [`Settings::setting_list`]
//! splits again (so a list can also come from a flag or a variable: `a@x.com,b@x.com`).
//!
//! ```
//! use deluge_lang::project::Settings;
//!
//! let mut settings = Settings::from_layers(
//!     vec![("DLG_MAIL_SMTP_URL".into(), "smtp://from-env".into())],
//!     vec![("mail.smtp_url".into(), "smtp://from-dlg-toml".into())],
//!     vec![("mail.admin_address".into(), "me@example.com".into())],
//! );
//! assert_eq!(settings.setting("mail.smtp_url"), Some("smtp://from-env"));
//! assert_eq!(settings.setting("mail.admin_address"), Some("me@example.com"));
//! settings.set_flag("mail.smtp_url", "smtp://from-flag");
//! assert_eq!(settings.setting("mail.smtp_url"), Some("smtp://from-flag"));
//! assert_eq!(settings.setting("mail.nothing"), None);
//! ```

use std::path::{Path, PathBuf};

use super::config::{self, ConfigError};
use super::Project;

/// The prefix of the environment variables that set settings.
pub const ENV_PREFIX: &str = "DLG_";

/// The name of the user's settings file in the dlg configuration folder.
pub const USER_FILE: &str = "config.toml";

/// Where a setting's value came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Origin {
    /// A command-line flag.
    Flag,
    /// A `DLG_*` environment variable.
    Environment,
    /// The project's `dlg.toml`.
    ProjectFile,
    /// The user's `config.toml`.
    UserFile,
}

/// The merged settings; see the module documentation for the order.
#[derive(Clone, Debug, Default)]
pub struct Settings {
    flags: Vec<(String, String)>,
    env: Vec<(String, String)>,
    project: Vec<(String, String)>,
    user: Vec<(String, String)>,
}

impl Settings {
    /// The settings in force for `project` (or outside any project): the `DLG_*` variables of
    /// this process, the project's `dlg.toml` and the user's `config.toml`. No flags yet.
    pub fn load(project: Option<&Project>) -> Result<Settings, ConfigError> {
        Settings::load_with(project, user_file().as_deref(), std::env::vars())
    }

    /// Like [`load`](Settings::load) with the user's file and the environment given: `vars`
    /// may hold any variables, only the `DLG_*` ones are kept; a missing `user_file` is no
    /// error, a bad one is (its `[sources]` table is ignored).
    pub fn load_with(
        project: Option<&Project>,
        user_file: Option<&Path>,
        vars: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Settings, ConfigError> {
        let env = vars
            .into_iter()
            .filter(|(name, _)| name.starts_with(ENV_PREFIX))
            .collect();
        let project = project
            .map(|p| p.config.settings.clone())
            .unwrap_or_default();
        let user = match user_file {
            Some(path) if path.is_file() => config::read(path)?.settings,
            _ => Vec::new(),
        };
        Ok(Settings::from_layers(env, project, user))
    }

    /// Settings from given layers (for tests and embedders): `env` holds `(DLG_NAME, value)`
    /// pairs, `project` and `user` hold `(dotted.key, value)` pairs.
    pub fn from_layers(
        env: Vec<(String, String)>,
        project: Vec<(String, String)>,
        user: Vec<(String, String)>,
    ) -> Settings {
        Settings {
            flags: Vec::new(),
            env,
            project,
            user,
        }
    }

    /// Sets `key` from a command-line flag (the highest layer); a later call wins.
    pub fn set_flag(&mut self, key: &str, value: &str) {
        self.flags.retain(|(k, _)| k != key);
        self.flags.push((key.to_owned(), value.to_owned()));
    }

    /// The value of `key` from the highest layer that has it.
    pub fn setting(&self, key: &str) -> Option<&str> {
        self.setting_with_origin(key).map(|(value, _)| value)
    }

    /// The value of `key` and the layer it came from.
    pub fn setting_with_origin(&self, key: &str) -> Option<(&str, Origin)> {
        let env_name = env_var_name(key);
        find(&self.flags, key)
            .map(|v| (v, Origin::Flag))
            .or_else(|| find(&self.env, &env_name).map(|v| (v, Origin::Environment)))
            .or_else(|| find(&self.project, key).map(|v| (v, Origin::ProjectFile)))
            .or_else(|| find(&self.user, key).map(|v| (v, Origin::UserFile)))
    }

    /// Every key set by a flag, the project's `dlg.toml` or the user's `config.toml` that
    /// starts with `prefix`, sorted, once each. Environment variables are not listed (their
    /// names do not give the key back); read the keys a reader knows with [`Settings::setting`].
    pub fn keys_with_prefix(&self, prefix: &str) -> Vec<String> {
        let mut keys: Vec<String> = [&self.flags, &self.project, &self.user]
            .into_iter()
            .flatten()
            .map(|(key, _)| key)
            .filter(|key| key.starts_with(prefix))
            .cloned()
            .collect();
        keys.sort();
        keys.dedup();
        keys
    }

    /// The value of `key` split at commas, each part trimmed, empty parts left out.
    pub fn setting_list(&self, key: &str) -> Vec<String> {
        self.setting(key)
            .map(|v| {
                v.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default()
    }
}

/// The value of `name` among `pairs`.
fn find<'a>(pairs: &'a [(String, String)], name: &str) -> Option<&'a str> {
    pairs
        .iter()
        .find(|(k, _)| k == name)
        .map(|(_, v)| v.as_str())
}

/// The environment variable for a setting: `mail.smtp_url` is `DLG_MAIL_SMTP_URL`.
pub fn env_var_name(key: &str) -> String {
    let mut name = String::with_capacity(ENV_PREFIX.len() + key.len());
    name.push_str(ENV_PREFIX);
    name.extend(key.chars().map(|c| match c {
        '.' | '-' => '_',
        c => c.to_ascii_uppercase(),
    }));
    name
}

/// The user's settings file: `config.toml` in `DLG_HOME` when set, else in the platform's
/// configuration folder for deluge-lang; `None` when neither is known.
pub fn user_file() -> Option<PathBuf> {
    let dir = match std::env::var_os("DLG_HOME") {
        Some(home) if !home.is_empty() => PathBuf::from(home),
        _ => directories::ProjectDirs::from("", "", "deluge-lang")?
            .config_dir()
            .to_path_buf(),
    };
    Some(Path::new(&dir).join(USER_FILE))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pair(k: &str, v: &str) -> (String, String) {
        (k.to_owned(), v.to_owned())
    }

    #[test]
    fn each_layer_wins_over_the_ones_below() {
        let mut settings = Settings::from_layers(
            vec![pair("DLG_A_B", "env")],
            vec![pair("a.b", "project"), pair("a.c", "project")],
            vec![
                pair("a.b", "user"),
                pair("a.c", "user"),
                pair("a.d", "user"),
            ],
        );
        assert_eq!(
            settings.setting_with_origin("a.b"),
            Some(("env", Origin::Environment))
        );
        assert_eq!(
            settings.setting_with_origin("a.c"),
            Some(("project", Origin::ProjectFile))
        );
        assert_eq!(
            settings.setting_with_origin("a.d"),
            Some(("user", Origin::UserFile))
        );
        settings.set_flag("a.d", "flag");
        assert_eq!(
            settings.setting_with_origin("a.d"),
            Some(("flag", Origin::Flag))
        );
        assert_eq!(settings.keys_with_prefix("a."), ["a.b", "a.c", "a.d"]);
        assert!(settings.keys_with_prefix("b.").is_empty());
    }

    #[test]
    fn load_reads_the_project_the_user_file_and_dlg_variables() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(
            dir.path().join("dlg.toml"),
            "[mail]\nsmtp_url = \"smtp://project\"\n",
        )
        .unwrap();
        let user = dir.path().join("config.toml");
        std::fs::write(
            &user,
            "[mail]\nsmtp_url = \"smtp://user\"\nadmin_address = \"me@x.com\"\n",
        )
        .unwrap();
        let project = Project::discover(dir.path()).unwrap().unwrap();
        let vars = vec![
            pair("DLG_ZOHO_DEFAULT_CONNECTION_CRM", "crm1"),
            pair("PATH", "/bin"),
        ];
        let settings = Settings::load_with(Some(&project), Some(&user), vars).unwrap();
        assert_eq!(settings.setting("mail.smtp_url"), Some("smtp://project"));
        assert_eq!(settings.setting("mail.admin_address"), Some("me@x.com"));
        assert_eq!(
            settings.setting("zoho.default_connection.crm"),
            Some("crm1")
        );
        std::fs::write(&user, "[mail\n").unwrap();
        let error = Settings::load_with(None, Some(&user), Vec::new()).unwrap_err();
        assert_eq!(error.line, 1, "{error}");
        assert!(error.to_string().contains("config.toml:1:"), "{error}");
    }

    #[test]
    fn variable_names_and_lists() {
        assert_eq!(
            env_var_name("zoho.default_connection.crm"),
            "DLG_ZOHO_DEFAULT_CONNECTION_CRM"
        );
        assert_eq!(env_var_name("mail.smtp-url"), "DLG_MAIL_SMTP_URL");
        let settings = Settings::from_layers(
            Vec::new(),
            vec![pair("m.to", " a@x.com, ,b@x.com ")],
            Vec::new(),
        );
        assert_eq!(settings.setting_list("m.to"), vec!["a@x.com", "b@x.com"]);
        assert!(settings.setting_list("m.none").is_empty());
    }
}
