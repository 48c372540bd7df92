//! Host names a connection may send credentials to: normalizing what the user types and matching
//! a request's host against the list.

use crate::connections::ConnectionError;
use url::{Host, Url};

/// Normalizes a host given by the user: `API.Example.com`, `https://api.example.com/v1` and
/// `*.example.com` are accepted; the result is lowercase, without scheme, port or path.
pub fn normalize_host(input: &str) -> Result<String, ConnectionError> {
    let trimmed = input.trim();
    if trimmed.contains("://") {
        return host_of_url_text(input, trimmed);
    }
    if let Some(domain) = trimmed.strip_prefix("*.") {
        return parse_host(input, domain).map(|host| format!("*.{host}"));
    }
    parse_host(input, trimmed)
}

/// The normalized host of a request URL, if it has one.
pub fn request_host(url: &Url) -> Option<String> {
    url.host().map(|host| canonical(&host.to_owned()))
}

/// True when `host` (normalized) is in `allowed`, where `*.d` covers every subdomain of `d`.
pub fn host_allowed(host: &str, allowed: &[String]) -> bool {
    allowed
        .iter()
        .any(|pattern| match pattern.strip_prefix("*.") {
            Some(domain) => host
                .strip_suffix(domain)
                .is_some_and(|prefix| prefix.len() > 1 && prefix.ends_with('.')),
            None => pattern == host,
        })
}

fn host_of_url_text(input: &str, text: &str) -> Result<String, ConnectionError> {
    let url = Url::parse(text).map_err(|_| invalid_host(input))?;
    url.host()
        .map(|host| canonical(&host.to_owned()))
        .ok_or_else(|| invalid_host(input))
}

fn parse_host(input: &str, text: &str) -> Result<String, ConnectionError> {
    if text.is_empty() || text.contains(['/', '@', '?', '#', ' ']) || has_port(text) {
        return Err(invalid_host(input));
    }
    Host::parse(text)
        .map(|host| canonical(&host))
        .map_err(|_| invalid_host(input))
}

/// A `:` outside IPv6 brackets means a port was given.
fn has_port(text: &str) -> bool {
    match text.rfind(']') {
        Some(close) => text[close..].contains(':'),
        None => text.contains(':'),
    }
}

/// Lowercase, and without the one trailing dot of a fully qualified name (`example.com.`):
/// `example.com..` is a different name and stays different.
fn canonical(host: &Host<String>) -> String {
    let text = host.to_string();
    text.strip_suffix('.').unwrap_or(&text).to_ascii_lowercase()
}

/// True for `127.0.0.0/8`, `::1` and `localhost`: traffic that never leaves the machine.
pub fn is_loopback(url: &Url) -> bool {
    match url.host() {
        Some(Host::Ipv4(ip)) => ip.is_loopback(),
        Some(Host::Ipv6(ip)) => ip.is_loopback(),
        Some(Host::Domain(name)) => name
            .strip_suffix('.')
            .unwrap_or(name)
            .eq_ignore_ascii_case("localhost"),
        None => false,
    }
}

fn invalid_host(input: &str) -> ConnectionError {
    ConnectionError::InvalidInput(format!(
        "{input:?} is not a host name; give a bare host such as api.example.com (no port or \
         path), or *.example.com for all its subdomains"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalizes_hosts() {
        assert_eq!(
            normalize_host("API.Example.com").unwrap(),
            "api.example.com"
        );
        assert_eq!(
            normalize_host("https://api.example.com:8443/v1?x=1").unwrap(),
            "api.example.com"
        );
        assert_eq!(normalize_host("*.Example.com").unwrap(), "*.example.com");
        assert_eq!(normalize_host("127.0.0.1").unwrap(), "127.0.0.1");
        assert_eq!(normalize_host("[::1]").unwrap(), "[::1]");
        assert_eq!(normalize_host("example.com.").unwrap(), "example.com");
    }

    #[test]
    fn rejects_non_hosts() {
        for bad in [
            "",
            "api.example.com:443",
            "api.example.com/v1",
            "a b",
            "user@host",
        ] {
            let error = normalize_host(bad).unwrap_err().to_string();
            assert!(error.contains("is not a host name"), "{bad}: {error}");
        }
    }

    #[test]
    fn matches_exact_and_wildcard_hosts() {
        let allowed = vec!["api.example.com".to_owned(), "*.zoho.com".to_owned()];
        assert!(host_allowed("api.example.com", &allowed));
        assert!(host_allowed("www.zohoapis.zoho.com", &allowed));
        assert!(!host_allowed("zoho.com", &allowed));
        assert!(!host_allowed("evilzoho.com", &allowed));
        assert!(!host_allowed("example.com", &allowed));
        assert!(!host_allowed("api.example.com.evil.net", &allowed));
    }

    #[test]
    fn request_host_is_normalized() {
        let url = Url::parse("https://API.Example.COM:8443/x").unwrap();
        assert_eq!(request_host(&url).unwrap(), "api.example.com");
        let url = Url::parse("http://[::1]:80/").unwrap();
        assert_eq!(request_host(&url).unwrap(), "[::1]");
    }

    #[test]
    fn exactly_one_trailing_dot_is_trimmed() {
        let allowed = vec!["api.example.com".to_owned(), "127.0.0.1".to_owned()];
        let host = |url: &str| request_host(&Url::parse(url).unwrap()).unwrap();
        assert!(host_allowed(&host("https://api.example.com./"), &allowed));
        assert!(!host_allowed(&host("https://api.example.com../"), &allowed));
        if let Ok(url) = Url::parse("http://127.0.0.1../") {
            assert!(!host_allowed(&request_host(&url).unwrap(), &allowed));
        }
        assert!(normalize_host("example.com..").map_or(true, |h| h != "example.com"));
    }

    #[test]
    fn loopback_means_this_machine_only() {
        for url in [
            "http://127.0.0.1:1/",
            "http://127.9.9.9/",
            "http://[::1]/",
            "http://LOCALHOST./",
        ] {
            assert!(is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
        for url in [
            "http://10.0.0.1/",
            "http://localhost.evil.example/",
            "http://localhost../",
        ] {
            assert!(!is_loopback(&Url::parse(url).unwrap()), "{url}");
        }
    }
}
