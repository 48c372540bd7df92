//! A PostgreSQL store's URL: recognized, parsed for the driver, and shown without its password.

use crate::connections::location::SCHEMES;
use crate::connections::ConnectionError;
use std::str::FromStr;

/// What replaces a password when a URL is shown.
const HIDDEN: &str = "***";

/// `url` without its password (in the user part or a `password=` query parameter).
pub fn redact(url: &str) -> String {
    let Ok(mut parsed) = url::Url::parse(url) else {
        return format!("{}(unreadable URL)", scheme_of(url));
    };
    if parsed.password().is_some() {
        let _ = parsed.set_password(Some(HIDDEN));
    }
    let pairs: Vec<(String, String)> = parsed
        .query_pairs()
        .map(|(name, value)| {
            let hidden = name.eq_ignore_ascii_case("password");
            let value = if hidden {
                HIDDEN.to_owned()
            } else {
                value.into_owned()
            };
            (name.into_owned(), value)
        })
        .collect();
    if !pairs.is_empty() {
        parsed.query_pairs_mut().clear().extend_pairs(pairs);
    }
    parsed.to_string()
}

fn scheme_of(url: &str) -> &'static str {
    SCHEMES
        .iter()
        .find(|scheme| {
            url.get(..scheme.len())
                .is_some_and(|h| h.eq_ignore_ascii_case(scheme))
        })
        .copied()
        .unwrap_or("postgres://")
}

/// The driver's configuration for `url`; the error shows the URL without its password.
pub fn config(url: &str) -> Result<postgres::Config, ConnectionError> {
    postgres::Config::from_str(url).map_err(|error| ConnectionError::Database {
        store: redact(url),
        action: "read the store URL",
        detail: format!("{error} (expected postgres://USER:PASSWORD@HOST:PORT/DATABASE)"),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hides_the_password_wherever_it_is() {
        let shown =
            redact("postgres://app:s3cret@127.0.0.1:5432/dlg?password=other&sslmode=disable");
        assert!(
            !shown.contains("s3cret") && !shown.contains("other"),
            "{shown}"
        );
        assert!(shown.contains("app:***@127.0.0.1:5432/dlg"), "{shown}");
        assert!(shown.contains("sslmode=disable"), "{shown}");
        assert_eq!(redact("postgres://h/db"), "postgres://h/db");
    }

    #[test]
    fn a_bad_url_error_does_not_show_the_password() {
        let error = config("postgres://app:s3cret@127.0.0.1:notaport/dlg").unwrap_err();
        let message = error.to_string();
        assert!(!message.contains("s3cret"), "{message}");
        assert!(message.contains("read the store URL"), "{message}");
    }
}
