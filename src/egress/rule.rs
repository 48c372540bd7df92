//! One entry of an allow or deny list: a host name, a domain (`*.example.com`), an IP range, or
//! any host (`*`), optionally with a port (`api.example.com:443`, `*:25`).

use std::fmt;
use std::net::IpAddr;

use super::net::IpRange;

/// What a rule matches.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// Every host.
    Any,
    /// One host name, lower case, without a trailing dot.
    Host(String),
    /// A domain's subdomains: `*.example.com` matches `api.example.com` and
    /// `a.b.example.com`, not `example.com` itself.
    Domain(String),
    /// The addresses of a range (checked on the addresses a name resolves to).
    Range(IpRange),
}

/// One allow or deny entry.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Rule {
    pub(crate) target: Target,
    pub(crate) port: Option<u16>,
}

impl Rule {
    /// Whether the rule matches the URL host `name` (lower case) on `port`, by name.
    pub(crate) fn matches_name(&self, name: &str, port: u16) -> bool {
        self.port.is_none_or(|wanted| wanted == port) && self.matches_host(name)
    }

    /// Whether the rule matches the host `name` (lower case) by name, whatever the port.
    pub(crate) fn matches_host(&self, name: &str) -> bool {
        match &self.target {
            Target::Any => true,
            Target::Host(host) => host == name,
            Target::Domain(domain) => name
                .strip_suffix(domain.as_str())
                .is_some_and(|head| head.ends_with('.') && head.len() > 1),
            Target::Range(_) => false,
        }
    }

    /// Whether the rule is an IP range containing `address`.
    pub(crate) fn matches_address(&self, address: IpAddr) -> bool {
        matches!(&self.target, Target::Range(range) if range.contains(address))
    }

    /// Whether the rule is an IP range (checked at connect time, on every port).
    pub(crate) fn is_range(&self) -> bool {
        matches!(self.target, Target::Range(_))
    }
}

impl std::str::FromStr for Rule {
    type Err = String;

    /// Parses `api.example.com`, `*.example.com`, `*`, `10.0.0.0/8`, `fd00::/8`, `192.0.2.7`,
    /// each host form optionally followed by `:PORT`.
    fn from_str(text: &str) -> Result<Rule, String> {
        let entry = text.trim();
        if entry.is_empty() {
            return Err("an empty egress entry (write a host, *.domain, an IP range or *)".into());
        }
        if entry.contains('/') {
            return entry_range(entry);
        }
        if let Ok(range) = entry.parse::<IpRange>() {
            return Ok(Rule {
                target: Target::Range(range),
                port: None,
            });
        }
        if let Some(address) = entry
            .strip_prefix('[')
            .and_then(|rest| rest.strip_suffix(']'))
        {
            return entry_range(address);
        }
        let (host, port) = split_port(entry, text)?;
        if let Ok(range) = host.parse::<IpRange>() {
            if port.is_some() {
                return Err(format!(
                    "'{text}': an IP address or range applies to every port (drop ':PORT'; \
                     limit ports with the `ports` list)"
                ));
            }
            return Ok(Rule {
                target: Target::Range(range),
                port: None,
            });
        }
        Ok(Rule {
            target: host_target(host, text)?,
            port,
        })
    }
}

fn entry_range(address: &str) -> Result<Rule, String> {
    let range = address.parse::<IpRange>()?;
    Ok(Rule {
        target: Target::Range(range),
        port: None,
    })
}

/// Splits `host:port`; a port must be a number from 1 to 65535.
fn split_port<'e>(entry: &'e str, text: &str) -> Result<(&'e str, Option<u16>), String> {
    let Some((host, port)) = entry.rsplit_once(':') else {
        return Ok((entry, None));
    };
    let port = port
        .parse::<u16>()
        .ok()
        .filter(|port| *port != 0)
        .ok_or_else(|| format!("'{text}': '{port}' is not a port (1 to 65535)"))?;
    Ok((host, Some(port)))
}

fn host_target(host: &str, text: &str) -> Result<Target, String> {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    if host == "*" {
        return Ok(Target::Any);
    }
    let (target, name) = match host.strip_prefix("*.") {
        Some(domain) => (Target::Domain(domain.to_owned()), domain),
        None => (Target::Host(host.clone()), host.as_str()),
    };
    let valid_label = |label: &str| {
        !label.is_empty()
            && label
                .bytes()
                .all(|byte| byte.is_ascii_alphanumeric() || byte == b'-' || byte == b'_')
    };
    if name.split('.').all(valid_label) {
        Ok(target)
    } else {
        Err(format!(
            "'{text}' is not a host name, *.domain, IP range or * (write e.g. api.example.com, \
             *.example.com, 10.0.0.0/8 or api.example.com:443)"
        ))
    }
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.target {
            Target::Any => f.write_str("*")?,
            Target::Host(host) => f.write_str(host)?,
            Target::Domain(domain) => write!(f, "*.{domain}")?,
            Target::Range(range) => write!(f, "{range}")?,
        }
        match self.port {
            Some(port) => write!(f, ":{port}"),
            None => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn rule(text: &str) -> Rule {
        text.parse().unwrap()
    }

    #[test]
    fn domains_match_subdomains_only() {
        let domain = rule("*.example.com");
        assert!(domain.matches_name("api.example.com", 443));
        assert!(domain.matches_name("a.b.example.com", 80));
        assert!(!domain.matches_name("example.com", 443));
        assert!(!domain.matches_name("badexample.com", 443));
    }

    #[test]
    fn ports_narrow_a_rule() {
        let smtp = rule("*:25");
        assert!(smtp.matches_name("mail.example.com", 25));
        assert!(!smtp.matches_name("mail.example.com", 587));
        assert_eq!(
            rule("API.Example.com.:8443").to_string(),
            "api.example.com:8443"
        );
    }

    #[test]
    fn ranges_and_addresses_parse_in_every_form() {
        assert!(rule("10.0.0.0/8").matches_address("10.9.9.9".parse().unwrap()));
        assert!(rule("[::1]").matches_address("::1".parse().unwrap()));
        assert!(rule("fd00::/8").is_range());
        assert_eq!(rule("192.0.2.7").to_string(), "192.0.2.7/32");
    }

    #[test]
    fn bad_entries_say_what_to_write() {
        let error = "10.0.0.1:80".parse::<Rule>().unwrap_err();
        assert!(error.contains("applies to every port"), "{error}");
        let error = "api.example.com:http".parse::<Rule>().unwrap_err();
        assert!(error.contains("'http' is not a port"), "{error}");
        let error = "bad host!".parse::<Rule>().unwrap_err();
        assert!(error.contains("is not a host name"), "{error}");
        assert!("".parse::<Rule>().unwrap_err().contains("empty"));
    }
}
