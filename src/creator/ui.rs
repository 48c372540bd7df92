//! Form UI actions a script performs (`hide`, `alert`, `cancel submit`, `input.F = v`, ...),
//! recorded in order so a workflow's effect can be printed and asserted.

use std::fmt;

/// One UI action.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum UiAction {
    /// `hide F`, `show F`, `enable F`, `disable F`, `clear F`: the action and the field.
    Field {
        /// `hide`, `show`, `enable`, `disable` or `clear` (lower case).
        action: String,
        /// The field (dotted for a subform field).
        field: String,
    },
    /// `input.F = value`: the field and the value as printed.
    Set {
        /// The field.
        field: String,
        /// The new value, as `info` prints it.
        value: String,
    },
    /// `alert "text"`.
    Alert(String),
    /// `cancel submit` / `cancel delete`: what was cancelled.
    Cancel(String),
    /// `openUrl(url, target)`.
    OpenUrl {
        /// The address.
        url: String,
        /// `same window`, `new window`, `popup window`, ... (empty when not given).
        target: String,
    },
    /// `F:ui.add(..)` and the other field UI calls: field, call and arguments as printed.
    FieldCall {
        /// The field.
        field: String,
        /// `ui.add`, `ui.append`, ...
        call: String,
        /// The arguments as `info` prints them.
        args: Vec<String>,
    },
}

impl fmt::Display for UiAction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            UiAction::Field { action, field } => write!(f, "{action} {field}"),
            UiAction::Set { field, value } => write!(f, "set {field} = {value}"),
            UiAction::Alert(message) => write!(f, "alert {message}"),
            UiAction::Cancel(what) => write!(f, "cancel {what}"),
            UiAction::OpenUrl { url, target } if target.is_empty() => write!(f, "openUrl {url}"),
            UiAction::OpenUrl { url, target } => write!(f, "openUrl {url} ({target})"),
            UiAction::FieldCall { field, call, args } => {
                write!(f, "{field}:{call}({})", args.join(", "))
            }
        }
    }
}

impl UiAction {
    /// Whether this action cancels the submit or delete (so the run's writes are dropped).
    pub fn is_cancel(&self) -> bool {
        matches!(self, UiAction::Cancel(_))
    }
}

/// The block `dlg run` prints after a run: a header and one action a line (empty when none).
///
/// ```
/// use deluge_lang::creator::{render_actions, UiAction};
/// let actions = [UiAction::Alert("Saved".into()), UiAction::Cancel("submit".into())];
/// assert_eq!(render_actions(&actions), "--- form actions ---\nalert Saved\ncancel submit\n");
/// ```
pub fn render_actions(actions: &[UiAction]) -> String {
    if actions.is_empty() {
        return String::new();
    }
    let mut out = String::from("--- form actions ---\n");
    for action in actions {
        out.push_str(&action.to_string());
        out.push('\n');
    }
    out
}
