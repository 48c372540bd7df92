//! The private-network preset: the ranges a service running untrusted scripts denies, each
//! with the name a refusal shows.

/// The ranges of [`EgressPolicy::deny_private`](super::EgressPolicy::deny_private): (range,
/// what it is).
///
/// ```
/// let names: Vec<&str> = deluge_lang::egress::PRIVATE_RANGES.iter().map(|(_, name)| *name).collect();
/// assert!(names.contains(&"link-local (cloud metadata at 169.254.169.254)"));
/// ```
pub const PRIVATE_RANGES: &[(&str, &str)] = &[
    ("0.0.0.0/8", "unspecified (\"this network\")"),
    ("127.0.0.0/8", "loopback"),
    ("10.0.0.0/8", "private (RFC 1918)"),
    ("172.16.0.0/12", "private (RFC 1918)"),
    ("192.168.0.0/16", "private (RFC 1918)"),
    ("100.64.0.0/10", "carrier-grade NAT (RFC 6598)"),
    (
        "169.254.0.0/16",
        "link-local (cloud metadata at 169.254.169.254)",
    ),
    ("224.0.0.0/4", "multicast"),
    ("255.255.255.255/32", "broadcast"),
    ("::/128", "unspecified"),
    ("::1/128", "loopback"),
    ("fc00::/7", "unique-local (private IPv6)"),
    ("fe80::/10", "link-local"),
    ("ff00::/8", "multicast"),
];
