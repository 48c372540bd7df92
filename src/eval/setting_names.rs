//! How a front end names the engine's settings in messages.
//!
//! Library messages that tell the reader what to change name the engine's setting, in
//! backticks: `` `Limits::max_statements` ``, `` `Engine::compile_files` ``. A front end with
//! its own spelling of those settings (command-line flags, a configuration file) gives the
//! engine a [`SettingNames`] table (`RunEnv::setting_names`), and every message that leaves
//! the engine speaks its words instead: compile errors, runtime errors (their hints too) and
//! the message a script's `catch` sees, whoever made it (the interpreter, a built-in, a host).

use std::sync::Arc;

/// A table from the library's names of settings to a front end's words for them; empty by
/// default (messages keep the library's names).
///
/// ```
/// use deluge_lang::{Engine, Limits, SettingNames};
/// let mut engine = Engine::new();
/// engine.set_limits(Limits { max_statements: Some(5), ..Limits::default() });
/// let err = engine.run("for each x in {1,2,3,4,5,6} { y = x; }").unwrap_err();
/// let help = |err: &deluge_lang::Error| err.problems()[0].help().unwrap_or_default().to_owned();
/// assert!(help(&err).contains("`Limits::max_statements`"));
///
/// engine.env_mut().setting_names =
///     SettingNames::new([("`Limits::max_statements`", "the max_statements key of app.toml")]);
/// let err = engine.run("for each x in {1,2,3,4,5,6} { y = x; }").unwrap_err();
/// assert!(help(&err).contains("the max_statements key of app.toml"));
/// ```
#[derive(Clone, Debug, Default)]
pub struct SettingNames {
    pairs: Arc<[(String, String)]>,
}

impl SettingNames {
    /// A table of (library name, front-end words) pairs, applied in order.
    pub fn new<N: Into<String>, W: Into<String>>(pairs: impl IntoIterator<Item = (N, W)>) -> Self {
        SettingNames {
            pairs: pairs
                .into_iter()
                .map(|(name, words)| (name.into(), words.into()))
                .collect(),
        }
    }

    /// `text` with every library name of the table replaced by the front end's words.
    ///
    /// ```
    /// let names = deluge_lang::SettingNames::new([("`Limits::timeout`", "--timeout SECONDS")]);
    /// assert_eq!(names.apply("raise `Limits::timeout`"), "raise --timeout SECONDS");
    /// ```
    pub fn apply(&self, text: &str) -> String {
        self.reword(text.to_owned())
    }

    /// [`SettingNames::apply`] on an owned text, which is returned as it is when it names no
    /// setting of the table.
    pub(crate) fn reword(&self, text: String) -> String {
        self.pairs.iter().fold(text, |text, (name, words)| {
            if text.contains(name.as_str()) {
                text.replace(name.as_str(), words)
            } else {
                text
            }
        })
    }

    /// Whether the table is empty (messages keep the library's names).
    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }
}
