//! Where a store is: a PostgreSQL URL (`postgres://`, `postgresql://`) or else a folder. Known
//! with or without the `postgres` feature, so that a build without it refuses such a URL
//! instead of taking it for a folder name.

/// The URL schemes of a PostgreSQL store.
pub(super) const SCHEMES: [&str; 2] = ["postgres://", "postgresql://"];

/// True when `location` is a PostgreSQL URL (else it is a folder).
pub fn is_postgres_url(location: &str) -> bool {
    SCHEMES.iter().any(|scheme| {
        location
            .get(..scheme.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(scheme))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn recognizes_both_schemes_in_any_case() {
        assert!(is_postgres_url("postgres://h/db"));
        assert!(is_postgres_url("PostgreSQL://h/db"));
        assert!(!is_postgres_url("/var/lib/dlg"));
        assert!(!is_postgres_url("postgres"));
    }
}
