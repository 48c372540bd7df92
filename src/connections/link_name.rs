//! Link names of services and connections: the rules (`^[a-z][a-z0-9_]{0,49}$`) and the
//! message saying which rule a name breaks.

use crate::connections::ConnectionError;

/// The longest link name allowed.
pub const MAX_LINK_NAME_LEN: usize = 50;

/// What a link name names, for messages.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum NameKind {
    /// A connection link name.
    Connection,
    /// A service link name.
    Service,
}

impl NameKind {
    fn as_str(self) -> &'static str {
        match self {
            NameKind::Connection => "connection",
            NameKind::Service => "service",
        }
    }
}

/// Checks a link name against `^[a-z][a-z0-9_]{0,49}$`, explaining what is wrong.
pub fn validate_link_name(kind: NameKind, name: &str) -> Result<(), ConnectionError> {
    let invalid = |reason: String| ConnectionError::InvalidName {
        kind: kind.as_str(),
        reason,
    };
    let Some(first) = name.chars().next() else {
        return Err(invalid(
            "the name is empty; use 1 to 50 characters: a lowercase letter first, then \
             lowercase letters, digits or _"
                .into(),
        ));
    };
    let length = name.chars().count();
    if length > MAX_LINK_NAME_LEN {
        return Err(invalid(format!(
            "{name:?} is {length} characters long; the limit is {MAX_LINK_NAME_LEN}"
        )));
    }
    if !first.is_ascii_lowercase() {
        return Err(invalid(format!(
            "{name:?} must start with a lowercase letter (a-z), not {first:?}"
        )));
    }
    let bad = name
        .chars()
        .enumerate()
        .find(|(_, c)| !(c.is_ascii_lowercase() || c.is_ascii_digit() || *c == '_'));
    if let Some((index, c)) = bad {
        return Err(invalid(format!(
            "{name:?} contains {c:?} at position {}; only lowercase letters (a-z), digits and _ \
             are allowed",
            index + 1
        )));
    }
    Ok(())
}

/// Checks a display name: 1 to 50 characters, no control characters.
pub fn check_display_name(text: &str) -> Result<String, ConnectionError> {
    let trimmed = text.trim();
    let invalid =
        |reason: &str| ConnectionError::InvalidInput(format!("display name {text:?} {reason}"));
    if trimmed.is_empty() {
        return Err(invalid("is empty"));
    }
    if trimmed.chars().count() > 50 {
        return Err(invalid("is longer than 50 characters"));
    }
    if trimmed.chars().any(char::is_control) {
        return Err(invalid("contains a control character"));
    }
    Ok(trimmed.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn reason(name: &str) -> String {
        validate_link_name(NameKind::Connection, name)
            .unwrap_err()
            .to_string()
    }

    #[test]
    fn accepts_valid_link_names() {
        for name in ["a", "crm", "zoho_crm_2", &format!("a{}", "b".repeat(49))] {
            assert!(
                validate_link_name(NameKind::Connection, name).is_ok(),
                "{name}"
            );
        }
    }

    #[test]
    fn explains_invalid_link_names() {
        assert!(reason("").contains("is empty"));
        assert!(reason(&"a".repeat(51)).contains("51 characters long; the limit is 50"));
        assert!(reason("Crm").contains("must start with a lowercase letter (a-z), not 'C'"));
        assert!(reason("1crm").contains("not '1'"));
        assert!(reason("_crm").contains("not '_'"));
        assert!(reason("my-crm").contains("contains '-' at position 3"));
        assert!(reason("crmé").contains("contains 'é' at position 4"));
        assert!(reason("my crm").starts_with("invalid connection link name: \"my crm\""));
        let service = validate_link_name(NameKind::Service, "X").unwrap_err();
        assert!(service.to_string().starts_with("invalid service link name"));
    }
}
