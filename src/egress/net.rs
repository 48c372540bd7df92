//! IP ranges (`10.0.0.0/8`, `fd00::/8`) and the canonical form of an address, so that no
//! spelling of an address escapes a range that contains it.

use std::fmt;
use std::net::IpAddr;

/// A range of IP addresses in CIDR notation. A single address is a range of one.
///
/// ```
/// use deluge_lang::egress::IpRange;
///
/// let private: IpRange = "10.0.0.0/8".parse().unwrap();
/// assert!(private.contains("10.1.2.3".parse().unwrap()));
/// assert!(!private.contains("11.0.0.1".parse().unwrap()));
/// // An IPv4-mapped IPv6 address is the IPv4 address it maps.
/// assert!(private.contains("::ffff:10.1.2.3".parse().unwrap()));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct IpRange {
    network: IpAddr,
    prefix: u8,
}

impl IpRange {
    /// The range of `prefix` leading bits of `network` (bits past the prefix are cleared).
    /// `None` when the prefix is longer than the address.
    ///
    /// ```
    /// use deluge_lang::egress::IpRange;
    /// let range = IpRange::new("192.168.7.9".parse().unwrap(), 16).unwrap();
    /// assert_eq!(range.to_string(), "192.168.0.0/16");
    /// assert!(IpRange::new("10.0.0.0".parse().unwrap(), 33).is_none());
    /// ```
    pub fn new(network: IpAddr, prefix: u8) -> Option<IpRange> {
        let network = canonical(network);
        let bits = address_bits(network);
        if prefix > bits {
            return None;
        }
        let masked = to_u128(network) & mask(prefix, bits);
        Some(IpRange {
            network: from_u128(masked, network.is_ipv4()),
            prefix,
        })
    }

    /// Whether `address` (in any of its spellings: IPv4-mapped IPv6 is IPv4) is in the range.
    ///
    /// ```
    /// use deluge_lang::egress::IpRange;
    /// let loopback: IpRange = "127.0.0.0/8".parse().unwrap();
    /// assert!(loopback.contains("::ffff:127.0.0.1".parse().unwrap()));
    /// ```
    pub fn contains(&self, address: IpAddr) -> bool {
        let address = canonical(address);
        if address.is_ipv4() != self.network.is_ipv4() {
            return false;
        }
        let bits = address_bits(address);
        to_u128(address) & mask(self.prefix, bits) == to_u128(self.network)
    }
}

impl std::str::FromStr for IpRange {
    type Err = String;

    fn from_str(text: &str) -> Result<IpRange, String> {
        let bad = || {
            format!(
                "'{text}' is not an IP address or range (write e.g. 10.0.0.0/8, 192.168.1.5 or \
                 fd00::/8)"
            )
        };
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let address = canonical(address.parse::<IpAddr>().map_err(|_| bad())?);
        let prefix = match prefix {
            Some(prefix) => prefix.parse::<u8>().map_err(|_| bad())?,
            None => address_bits(address),
        };
        IpRange::new(address, prefix).ok_or_else(bad)
    }
}

impl fmt::Display for IpRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.network, self.prefix)
    }
}

/// The address as it is reached: an IPv4-mapped IPv6 address (`::ffff:127.0.0.1`) is its IPv4
/// address, so that ranges and rules see one spelling.
///
/// ```
/// use deluge_lang::egress::canonical;
/// assert_eq!(canonical("::ffff:127.0.0.1".parse().unwrap()).to_string(), "127.0.0.1");
/// assert_eq!(canonical("::1".parse().unwrap()).to_string(), "::1");
/// ```
pub fn canonical(address: IpAddr) -> IpAddr {
    match address {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(IpAddr::V6(v6), IpAddr::V4),
        v4 => v4,
    }
}

fn address_bits(address: IpAddr) -> u8 {
    if address.is_ipv4() {
        32
    } else {
        128
    }
}

fn to_u128(address: IpAddr) -> u128 {
    match address {
        IpAddr::V4(v4) => u128::from(u32::from(v4)),
        IpAddr::V6(v6) => u128::from(v6),
    }
}

fn from_u128(bits: u128, v4: bool) -> IpAddr {
    if v4 {
        IpAddr::V4(std::net::Ipv4Addr::from(bits as u32))
    } else {
        IpAddr::V6(std::net::Ipv6Addr::from(bits))
    }
}

/// The mask of the first `prefix` of `bits` bits, in the low `bits` bits of a u128.
fn mask(prefix: u8, bits: u8) -> u128 {
    if prefix == 0 {
        return 0;
    }
    let all = if bits == 128 {
        u128::MAX
    } else {
        (1u128 << bits) - 1
    };
    all & !((1u128 << (bits - prefix)) - 1)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn range(text: &str) -> IpRange {
        text.parse().unwrap()
    }

    #[test]
    fn prefixes_of_every_length_match_their_addresses() {
        assert!(range("0.0.0.0/0").contains("8.8.8.8".parse().unwrap()));
        assert!(range("100.64.0.0/10").contains("100.127.255.255".parse().unwrap()));
        assert!(!range("100.64.0.0/10").contains("100.128.0.0".parse().unwrap()));
        assert!(range("fe80::/10").contains("fe80::1".parse().unwrap()));
        assert!(!range("fe80::/10").contains("fec0::1".parse().unwrap()));
        assert!(range("::1").contains("::1".parse().unwrap()));
        assert!(range("::/0").contains("2001:db8::1".parse().unwrap()));
    }

    #[test]
    fn ipv4_ranges_never_match_ipv6_addresses() {
        assert!(!range("0.0.0.0/0").contains("2001:db8::1".parse().unwrap()));
    }

    #[test]
    fn bad_ranges_say_how_to_write_one() {
        let error = "10.0.0.0/40".parse::<IpRange>().unwrap_err();
        assert!(
            error.contains("'10.0.0.0/40' is not an IP address or range"),
            "{error}"
        );
        assert!("example.com".parse::<IpRange>().is_err());
    }
}
