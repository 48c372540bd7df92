//! [`EgressPolicy`]: which hosts, addresses and ports the HTTP requests of a run may reach.

use std::fmt;
use std::net::IpAddr;

use super::net::{canonical, IpRange};
use super::preset::PRIVATE_RANGES;
use super::rule::Rule;

/// Where the requests of a run (`invokeurl`, `getUrl`/`postUrl`, the Zoho tasks) may go.
///
/// The checks, in order, for each request and each redirect hop:
/// 1. the port must be in `ports` when that list is not empty;
/// 2. a `deny` entry matching the host name (or `host:port`) refuses;
/// 3. when `allow` has entries, the host must match one of them by name, or (checked at
///    connect time) each address it connects to must be in an allowed IP range;
/// 4. at connect time, every address the name resolves to (or the literal address of the URL)
///    is checked: a `deny` range refuses; an `allow` range admits; otherwise the
///    private-network preset, when on, refuses its ranges.
///
/// IPv4-mapped IPv6 addresses are checked as the IPv4 address they map, and URLs like
/// `http://2130706433/` or `http://0x7f.1/` are read as the address they spell (127.0.0.1).
///
/// ```
/// use deluge_lang::EgressPolicy;
///
/// let mut policy = EgressPolicy::deny_private();
/// policy.allow("api.example.com").unwrap().allow("*.zoho.com").unwrap();
/// assert!(policy.check_url(&"https://api.example.com/v1".parse().unwrap()).is_ok());
/// let refused = policy.check_url(&"http://evil.example.net/".parse().unwrap()).unwrap_err();
/// assert!(refused.to_string().contains("not in the allow list"));
/// let metadata = policy.check_url(&"http://169.254.169.254/latest".parse().unwrap()).unwrap_err();
/// assert!(metadata.to_string().contains("refused 169.254.169.254"));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EgressPolicy {
    deny_private: bool,
    allow: Vec<Rule>,
    deny: Vec<Rule>,
    ports: Vec<u16>,
}

/// Why a request was refused: the host, the address (when the check was on one), the rule.
///
/// ```
/// use deluge_lang::EgressPolicy;
/// let refusal = EgressPolicy::deny_private()
///     .check_address("db.internal.example", "10.1.2.3".parse().unwrap())
///     .unwrap_err();
/// assert_eq!(
///     refusal.to_string(),
///     "egress policy: refused db.internal.example (address 10.1.2.3): 10.0.0.0/8 is \
///      private (RFC 1918), denied by the private-network preset"
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub struct Refusal {
    pub(crate) host: String,
    pub(crate) address: Option<IpAddr>,
    pub(crate) rule: String,
}

impl Refusal {
    /// The host name (or address) of the URL.
    pub fn host(&self) -> &str {
        &self.host
    }

    /// The address that was refused, for checks at connect time.
    pub fn address(&self) -> Option<IpAddr> {
        self.address
    }

    /// The rule that refused, in words.
    pub fn rule(&self) -> &str {
        &self.rule
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "egress policy: refused {}", self.host)?;
        if let Some(address) = self.address {
            write!(f, " (address {address})")?;
        }
        write!(f, ": {}", self.rule)
    }
}

impl std::error::Error for Refusal {}

impl EgressPolicy {
    /// A policy that allows everything (the default of an [`Engine`](crate::Engine)).
    ///
    /// ```
    /// let policy = deluge_lang::EgressPolicy::allow_all();
    /// assert!(policy.check_url(&"http://127.0.0.1:8080/".parse().unwrap()).is_ok());
    /// ```
    pub fn allow_all() -> EgressPolicy {
        EgressPolicy::default()
    }

    /// The preset for untrusted scripts: denies loopback, private (RFC 1918, unique-local
    /// IPv6), link-local (cloud metadata at 169.254.169.254 included), carrier-grade NAT,
    /// multicast, broadcast and unspecified addresses ([`PRIVATE_RANGES`](super::PRIVATE_RANGES)).
    ///
    /// ```
    /// let policy = deluge_lang::EgressPolicy::deny_private();
    /// assert!(policy.check_url(&"http://[::1]/".parse().unwrap()).is_err());
    /// assert!(policy.check_url(&"http://8.8.8.8/".parse().unwrap()).is_ok());
    /// ```
    pub fn deny_private() -> EgressPolicy {
        EgressPolicy {
            deny_private: true,
            ..EgressPolicy::default()
        }
    }

    /// Turns the private-network preset on or off.
    ///
    /// ```
    /// let mut policy = deluge_lang::EgressPolicy::deny_private();
    /// policy.set_deny_private(false);
    /// assert!(policy.check_url(&"http://127.0.0.1/".parse().unwrap()).is_ok());
    /// ```
    pub fn set_deny_private(&mut self, on: bool) -> &mut EgressPolicy {
        self.deny_private = on;
        self
    }

    /// Adds an allow entry: `api.example.com`, `*.example.com`, `10.1.0.0/16`, `192.0.2.7`,
    /// `*`, each host form optionally with `:PORT`. An allowed IP range is exempt from the
    /// preset (to reach one internal service while denying the rest).
    ///
    /// ```
    /// let mut policy = deluge_lang::EgressPolicy::deny_private();
    /// policy.allow("10.1.0.0/16").unwrap();
    /// assert!(policy.check_url(&"http://10.1.2.3/".parse().unwrap()).is_ok());
    /// assert!(policy.allow("10.1.0.0/99").is_err());
    /// ```
    pub fn allow(&mut self, entry: &str) -> Result<&mut EgressPolicy, String> {
        self.allow.push(entry.parse()?);
        Ok(self)
    }

    /// Adds a deny entry (same forms as [`allow`](EgressPolicy::allow)); deny entries win
    /// over allow entries.
    ///
    /// ```
    /// let mut policy = deluge_lang::EgressPolicy::allow_all();
    /// policy.deny("*:25").unwrap();
    /// assert!(policy.check_url(&"http://mail.example.com:25/".parse().unwrap()).is_err());
    /// ```
    pub fn deny(&mut self, entry: &str) -> Result<&mut EgressPolicy, String> {
        self.deny.push(entry.parse()?);
        Ok(self)
    }

    /// Restricts requests to these ports (any port when never called).
    ///
    /// ```
    /// let mut policy = deluge_lang::EgressPolicy::allow_all();
    /// policy.allow_ports(&[443]);
    /// assert!(policy.check_url(&"http://example.com/".parse().unwrap()).is_err());
    /// ```
    pub fn allow_ports(&mut self, ports: &[u16]) -> &mut EgressPolicy {
        self.ports.extend_from_slice(ports);
        self
    }

    /// Whether the policy allows everything (no check needed).
    ///
    /// ```
    /// assert!(deluge_lang::EgressPolicy::allow_all().is_open());
    /// assert!(!deluge_lang::EgressPolicy::deny_private().is_open());
    /// ```
    pub fn is_open(&self) -> bool {
        *self == EgressPolicy::default()
    }

    /// The checks made before connecting: port, host name rules, and the address itself when
    /// the URL's host is an IP address (in any spelling the URL parser accepts).
    ///
    /// ```
    /// let policy = deluge_lang::EgressPolicy::deny_private();
    /// // Decimal and hexadecimal spellings are read as 127.0.0.1.
    /// assert!(policy.check_url(&"http://2130706433/".parse().unwrap()).is_err());
    /// assert!(policy.check_url(&"http://0x7f.1/".parse().unwrap()).is_err());
    /// ```
    pub fn check_url(&self, url: &url::Url) -> Result<(), Refusal> {
        let port = url.port_or_known_default().unwrap_or(0);
        match url.host() {
            Some(url::Host::Ipv4(v4)) => self.check_literal(IpAddr::V4(v4), port),
            Some(url::Host::Ipv6(v6)) => self.check_literal(IpAddr::V6(v6), port),
            Some(url::Host::Domain(name)) => self.check_name(name, port).map(|_| ()),
            None => Err(Refusal {
                host: url.scheme().to_owned(),
                address: None,
                rule: "the URL has no host".into(),
            }),
        }
    }

    /// The check made at connect time on each address `host` resolved to.
    ///
    /// ```
    /// let policy = deluge_lang::EgressPolicy::deny_private();
    /// let mapped = "::ffff:169.254.169.254".parse().unwrap();
    /// assert!(policy.check_address("metadata.example", mapped).is_err());
    /// ```
    pub fn check_address(&self, host: &str, address: IpAddr) -> Result<(), Refusal> {
        let address = canonical(address);
        let refuse = |rule: String| Refusal {
            host: host.to_owned(),
            address: Some(address),
            rule,
        };
        if let Some(rule) = self.deny.iter().find(|rule| rule.matches_address(address)) {
            return Err(refuse(format!("{rule} is in the deny list")));
        }
        if self.allow.iter().any(|rule| rule.matches_address(address)) {
            return Ok(());
        }
        let name = host.trim_end_matches('.').to_ascii_lowercase();
        let name_allowed =
            self.allow.is_empty() || self.allow.iter().any(|rule| rule.matches_host(&name));
        if !name_allowed {
            return Err(refuse(format!(
                "neither {host} nor this address is in the allow list ({})",
                list(&self.allow)
            )));
        }
        match self.preset_range(address) {
            Some((range, what)) => Err(refuse(format!(
                "{range} is {what}, denied by the private-network preset"
            ))),
            None => Ok(()),
        }
    }

    fn check_literal(&self, address: IpAddr, port: u16) -> Result<(), Refusal> {
        self.check_port(&address.to_string(), port)?;
        self.check_address(&canonical(address).to_string(), address)
    }

    /// Port and name rules for a host name; `Ok(true)` when an allow entry names it.
    fn check_name(&self, name: &str, port: u16) -> Result<bool, Refusal> {
        let name = name.trim_end_matches('.').to_ascii_lowercase();
        self.check_port(&name, port)?;
        let refuse = |rule: String| Refusal {
            host: name.clone(),
            address: None,
            rule,
        };
        if let Some(rule) = self.deny.iter().find(|rule| rule.matches_name(&name, port)) {
            return Err(refuse(format!("{rule} is in the deny list")));
        }
        if self.allow.is_empty() {
            return Ok(false);
        }
        if self.allow.iter().any(|rule| rule.matches_name(&name, port)) {
            return Ok(true);
        }
        if self.allow.iter().any(Rule::is_range) {
            return Ok(false);
        }
        Err(refuse(format!(
            "not in the allow list ({})",
            list(&self.allow)
        )))
    }

    fn check_port(&self, host: &str, port: u16) -> Result<(), Refusal> {
        if self.ports.is_empty() || self.ports.contains(&port) {
            return Ok(());
        }
        let ports: Vec<String> = self.ports.iter().map(u16::to_string).collect();
        Err(Refusal {
            host: host.to_owned(),
            address: None,
            rule: format!("port {port} is not an allowed port ({})", ports.join(", ")),
        })
    }

    fn preset_range(&self, address: IpAddr) -> Option<(IpRange, &'static str)> {
        if !self.deny_private {
            return None;
        }
        PRIVATE_RANGES.iter().find_map(|(range, what)| {
            let range: IpRange = range.parse().ok()?;
            range.contains(address).then_some((range, *what))
        })
    }
}

fn list(rules: &[Rule]) -> String {
    let names: Vec<String> = rules.iter().map(Rule::to_string).collect();
    names.join(", ")
}
