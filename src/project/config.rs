//! Reading a `dlg.toml` (or the user's `config.toml`): the `[sources]` table and every other
//! table flattened to dotted setting keys.
//!
//! ```toml
//! [sources]
//! include = ["functions/**/*.ts"]    # more Deluge files than *.dg, *.deluge, *.ds
//! exclude = ["archive/**"]
//!
//! [zoho.default_connection]
//! crm = "crm_main"                   # the setting zoho.default_connection.crm
//!
//! [mail]
//! smtp_url = "smtp://127.0.0.1:2525" # the setting mail.smtp_url
//! ```

use std::fmt;
use std::path::{Path, PathBuf};

use toml::de::{DeTable, DeValue};
use toml::Spanned;

/// What a `dlg.toml` says.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct ProjectConfig {
    /// `[sources] include`: glob patterns, relative to the project folder, of further files that
    /// hold Deluge.
    pub include: Vec<String>,
    /// `[sources] exclude`: glob patterns of files that are never sources.
    pub exclude: Vec<String>,
    /// Every other value as `(dotted key, text)`, in key order. Arrays are comma-separated.
    pub settings: Vec<(String, String)>,
}

/// A project or configuration file that cannot be used: which file, where in it, and what is
/// wrong.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ConfigError {
    pub(crate) file: PathBuf,
    pub(crate) line: usize,
    pub(crate) column: usize,
    pub(crate) message: String,
}

impl ConfigError {
    /// The file.
    pub fn file(&self) -> &Path {
        &self.file
    }

    /// 1-based line (0 when the file could not be read).
    pub fn line(&self) -> usize {
        self.line
    }

    /// 1-based column (0 when the file could not be read).
    pub fn column(&self) -> usize {
        self.column
    }

    /// What is wrong, and how to fix it when known.
    pub fn message(&self) -> &str {
        &self.message
    }
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.line == 0 {
            write!(f, "{}: {}", self.file.display(), self.message)
        } else {
            write!(
                f,
                "{}:{}:{}: {}",
                self.file.display(),
                self.line,
                self.column,
                self.message
            )
        }
    }
}

impl std::error::Error for ConfigError {}

/// Reads and parses the file at `path`.
pub fn read(path: &Path) -> Result<ProjectConfig, ConfigError> {
    let text = std::fs::read_to_string(path).map_err(|e| ConfigError {
        file: path.to_path_buf(),
        line: 0,
        column: 0,
        message: format!("cannot read it: {e}"),
    })?;
    parse(path, &text)
}

/// Parses `text`, the contents of the file `path` (named in errors).
pub fn parse(path: &Path, text: &str) -> Result<ProjectConfig, ConfigError> {
    let error_at = |offset: usize, message: String| {
        let (line, column) = line_column(text, offset);
        ConfigError {
            file: path.to_path_buf(),
            line,
            column,
            message,
        }
    };
    let table = DeTable::parse(text).map_err(|e| {
        let offset = e.span().map_or(0, |s| s.start);
        error_at(offset, format!("not valid TOML: {}", e.message()))
    })?;
    let mut config = ProjectConfig::default();
    for (key, value) in table.get_ref().iter() {
        if key.get_ref() == "sources" {
            read_sources(value, &mut config).map_err(|(at, m)| error_at(at, m))?;
        } else {
            flatten(key.get_ref(), value, &mut config.settings)
                .map_err(|(at, m)| error_at(at, m))?;
        }
    }
    config.settings.sort();
    Ok(config)
}

/// A problem at a byte offset.
type Located = (usize, String);

fn read_sources(value: &Spanned<DeValue<'_>>, config: &mut ProjectConfig) -> Result<(), Located> {
    let DeValue::Table(table) = value.get_ref() else {
        return Err((
            value.span().start,
            "`sources` must be a table: [sources] include = [\"functions/**/*.ts\"]".into(),
        ));
    };
    for (key, value) in table.iter() {
        let list = match key.get_ref().as_ref() {
            "include" => &mut config.include,
            "exclude" => &mut config.exclude,
            other => {
                return Err((
                    key.span().start,
                    format!("[sources] has no key `{other}` (use include or exclude)"),
                ))
            }
        };
        *list = patterns(key.get_ref(), value)?;
    }
    Ok(())
}

/// A list of glob patterns: `["functions/**/*.ts", "lib/*.txt"]`.
fn patterns(key: &str, value: &Spanned<DeValue<'_>>) -> Result<Vec<String>, Located> {
    let wrong = |at: usize| {
        (
            at,
            format!(
                "[sources] {key} must be a list of glob patterns: {key} = [\"functions/**/*.ts\"]"
            ),
        )
    };
    let DeValue::Array(items) = value.get_ref() else {
        return Err(wrong(value.span().start));
    };
    items
        .iter()
        .map(|item| match item.get_ref() {
            DeValue::String(text) => globset::Glob::new(text)
                .map(|_| text.to_string())
                .map_err(|e| (item.span().start, format!("[sources] {key}: {e}"))),
            _ => Err(wrong(item.span().start)),
        })
        .collect()
}

/// Adds `prefix` (a scalar or list) or every key under it (a table) to `out` as dotted keys.
fn flatten(
    prefix: &str,
    value: &Spanned<DeValue<'_>>,
    out: &mut Vec<(String, String)>,
) -> Result<(), Located> {
    match value.get_ref() {
        DeValue::Table(table) => {
            for (key, value) in table.iter() {
                flatten(&format!("{prefix}.{}", key.get_ref()), value, out)?;
            }
            Ok(())
        }
        DeValue::Array(items) => {
            let texts = items
                .iter()
                .map(|item| {
                    scalar(item.get_ref()).ok_or_else(|| {
                        (
                            item.span().start,
                            format!(
                                "`{prefix}` must be a list of plain values, not of tables or lists"
                            ),
                        )
                    })
                })
                .collect::<Result<Vec<_>, _>>()?;
            out.push((prefix.to_owned(), texts.join(",")));
            Ok(())
        }
        other => {
            let text = scalar(other).unwrap_or_default();
            out.push((prefix.to_owned(), text));
            Ok(())
        }
    }
}

/// A string, number, boolean or date as text; `None` for tables and arrays.
fn scalar(value: &DeValue<'_>) -> Option<String> {
    match value {
        DeValue::String(text) => Some(text.to_string()),
        DeValue::Integer(n) => Some(n.as_str().to_owned()),
        DeValue::Float(n) => Some(n.as_str().to_owned()),
        DeValue::Boolean(b) => Some(b.to_string()),
        DeValue::Datetime(d) => Some(d.to_string()),
        DeValue::Array(_) | DeValue::Table(_) => None,
    }
}

/// The 1-based line and column (in characters) of byte `offset` in `text`.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let line_start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(line_start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parsed(text: &str) -> Result<ProjectConfig, String> {
        parse(Path::new("dlg.toml"), text).map_err(|e| e.to_string())
    }

    #[test]
    fn sources_and_flattened_settings() {
        let config = parsed(
            "[sources]\ninclude = [\"functions/**/*.ts\"]\nexclude = [\"old/**\"]\n\n\
             [zoho.default_connection]\ncrm = \"crm_main\"\n[mail]\nsmtp_url = \"smtp://h\"\nport = 2525\n\
             verified_senders = [\"a@x.com\", \"b@x.com\"]\n",
        )
        .unwrap();
        assert_eq!(config.include, vec!["functions/**/*.ts"]);
        assert_eq!(config.exclude, vec!["old/**"]);
        assert_eq!(
            config.settings,
            vec![
                ("mail.port".to_owned(), "2525".to_owned()),
                ("mail.smtp_url".to_owned(), "smtp://h".to_owned()),
                (
                    "mail.verified_senders".to_owned(),
                    "a@x.com,b@x.com".to_owned()
                ),
                (
                    "zoho.default_connection.crm".to_owned(),
                    "crm_main".to_owned()
                ),
            ]
        );
    }

    #[test]
    fn errors_name_the_file_line_column_and_problem() {
        assert_eq!(
            parsed("[sources]\ninclude = \"*.ts\"\n").unwrap_err(),
            "dlg.toml:2:11: [sources] include must be a list of glob patterns: include = [\"functions/**/*.ts\"]"
        );
        assert_eq!(
            parsed("[sources]\nincludes = []\n").unwrap_err(),
            "dlg.toml:2:1: [sources] has no key `includes` (use include or exclude)"
        );
        assert_eq!(
            parsed("[sources]\ninclude = [\"a/[b\"]\n").unwrap_err(),
            "dlg.toml:2:12: [sources] include: error parsing glob 'a/[b': unclosed character class; missing ']'"
        );
        let broken = parsed("[mail]\nsmtp_url = \n").unwrap_err();
        assert!(broken.starts_with("dlg.toml:2:"), "{broken}");
        assert!(broken.contains("not valid TOML"), "{broken}");
        assert_eq!(
            parsed("sources = 3\n").unwrap_err(),
            "dlg.toml:1:11: `sources` must be a table: [sources] include = [\"functions/**/*.ts\"]"
        );
    }
}
