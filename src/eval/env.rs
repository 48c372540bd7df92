//! The environment of one run: time zone, clock, limits and host-provided values.

use std::sync::Arc;

use super::limits::Limits;
use super::network::{Network, NoNetwork};

/// A source of the current instant, injectable so tests can pin `now`.
///
/// ```
/// struct Noon;
/// impl deluge_lang::Clock for Noon {
///     fn now(&self) -> jiff::Timestamp {
///         "2024-06-01T12:00:00Z".parse().unwrap()
///     }
/// }
/// let mut engine = deluge_lang::Engine::new();
/// engine.env_mut().time_zone = jiff::tz::TimeZone::UTC;
/// engine.env_mut().clock = std::sync::Arc::new(Noon);
/// assert_eq!(engine.eval::<String>("now.toString()").unwrap(), "01-Jun-2024 12:00:00");
/// ```
pub trait Clock: Send + Sync {
    /// The current instant.
    ///
    /// ```
    /// use deluge_lang::{Clock, FixedClock};
    ///
    /// let noon: jiff::Timestamp = "2024-06-01T12:00:00Z".parse().unwrap();
    /// assert_eq!(FixedClock(noon).now(), noon);
    /// ```
    fn now(&self) -> jiff::Timestamp;
}

/// The machine's clock (the default).
///
/// ```
/// use deluge_lang::Clock;
/// assert!(deluge_lang::SystemClock.now() > jiff::Timestamp::UNIX_EPOCH);
/// ```
#[derive(Debug, Default)]
pub struct SystemClock;

impl Clock for SystemClock {
    fn now(&self) -> jiff::Timestamp {
        jiff::Timestamp::now()
    }
}

/// A clock stopped at one instant (tests, reproducible runs).
///
/// ```
/// let mut engine = deluge_lang::Engine::new();
/// engine.env_mut().time_zone = jiff::tz::TimeZone::UTC;
/// let epoch = deluge_lang::FixedClock(jiff::Timestamp::UNIX_EPOCH);
/// engine.env_mut().clock = std::sync::Arc::new(epoch);
/// assert_eq!(engine.eval::<String>("today.toString()").unwrap(), "01-Jan-1970");
/// ```
#[derive(Debug)]
pub struct FixedClock(pub jiff::Timestamp);

impl Clock for FixedClock {
    fn now(&self) -> jiff::Timestamp {
        self.0
    }
}

/// A source of random numbers for `randomNumber`, injectable so tests and reproducible runs can
/// seed it.
///
/// ```
/// struct Four;
/// impl deluge_lang::RandomSource for Four {
///     fn next_u64(&self) -> u64 { 4 }
/// }
/// let mut engine = deluge_lang::Engine::new();
/// engine.env_mut().random = std::sync::Arc::new(Four);
/// ```
pub trait RandomSource: Send + Sync {
    /// The next 64 random bits.
    ///
    /// ```
    /// use deluge_lang::{RandomSource, SeededRandom};
    ///
    /// let (a, b) = (SeededRandom::new(7), SeededRandom::new(7));
    /// assert_eq!([a.next_u64(), a.next_u64()], [b.next_u64(), b.next_u64()]);
    /// ```
    fn next_u64(&self) -> u64;
}

/// A fast seedable generator (SplitMix64); not for cryptography.
///
/// ```
/// use deluge_lang::{RandomSource, SeededRandom};
/// assert_eq!(SeededRandom::new(7).next_u64(), SeededRandom::new(7).next_u64());
/// ```
#[derive(Debug)]
pub struct SeededRandom(std::sync::atomic::AtomicU64);

impl SeededRandom {
    /// A generator starting from `seed`: the same seed gives the same sequence.
    ///
    /// ```
    /// let mut engine = deluge_lang::Engine::new();
    /// engine.env_mut().random = std::sync::Arc::new(deluge_lang::SeededRandom::new(42));
    /// ```
    pub fn new(seed: u64) -> SeededRandom {
        SeededRandom(std::sync::atomic::AtomicU64::new(seed))
    }

    /// A generator seeded from the operating system's randomness (the default).
    ///
    /// ```
    /// let _ = deluge_lang::SeededRandom::from_entropy();
    /// ```
    pub fn from_entropy() -> SeededRandom {
        SeededRandom::new(rand::random())
    }
}

impl RandomSource for SeededRandom {
    fn next_u64(&self) -> u64 {
        use std::sync::atomic::Ordering;
        let state = self
            .0
            .fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed)
            .wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
}

/// Everything a run reads from outside the script.
///
/// ```
/// use std::collections::HashMap;
/// let mut engine = deluge_lang::Engine::new();
/// let vars = HashMap::from([("loginuser".to_owned(), "ada@example.com".to_owned())]);
/// engine.env_mut().system_vars = std::sync::Arc::new(vars);
/// assert_eq!(engine.eval::<String>("zoho.loginuser").unwrap(), "ada@example.com");
/// ```
#[derive(Clone)]
pub struct RunEnv {
    /// The application time zone: date literals, `now`, epoch conversions.
    pub time_zone: jiff::tz::TimeZone,
    /// Where `now` comes from.
    pub clock: Arc<dyn Clock>,
    /// Execution limits.
    pub limits: Limits,
    /// Host system variables (`zoho.loginuser`, `zoho.appname`, ...), by lower-case name
    /// without the `zoho.` prefix.
    pub system_vars: Arc<std::collections::HashMap<String, String>>,
    /// Where `invokeurl`, `getUrl`, `postUrl` and the Zoho tasks send their requests. The
    /// default is `NoNetwork`; [`Engine`](crate::Engine) sets the HTTP engine, configured
    /// with `Engine::set_transport` (behind the engine's egress policy) and
    /// `Engine::set_connections`.
    pub network: Arc<dyn Network>,
    /// Where `randomNumber` draws from.
    pub random: Arc<dyn RandomSource>,
    /// The Zoho tasks' settings: default connections, CRM API version, product arguments.
    pub zoho: super::zoho_settings::ZohoSettings,
    /// How the front end names the engine's settings in messages (none by default: messages
    /// name `Limits::max_statements` and the like).
    pub setting_names: super::setting_names::SettingNames,
}

impl Default for RunEnv {
    fn default() -> Self {
        RunEnv {
            time_zone: system_time_zone(),
            clock: Arc::new(SystemClock),
            limits: Limits::default(),
            system_vars: Arc::default(),
            network: Arc::new(NoNetwork),
            random: Arc::new(SeededRandom::from_entropy()),
            zoho: super::zoho_settings::ZohoSettings::default(),
            setting_names: super::setting_names::SettingNames::default(),
        }
    }
}

/// The machine's time zone, like `jiff::tz::TimeZone::system()` but without loading the whole
/// time zone database: when `TZ` is unset and `/etc/localtime` links into a `zoneinfo` folder,
/// the zone is read from that one file and named after the link (as jiff names it). Walking
/// `/usr/share/zoneinfo` was three quarters of `dlg run`'s start-up.
pub fn system_time_zone() -> jiff::tz::TimeZone {
    localtime_zone().unwrap_or_else(jiff::tz::TimeZone::system)
}

fn localtime_zone() -> Option<jiff::tz::TimeZone> {
    const LOCALTIME: &str = "/etc/localtime";
    if !cfg!(unix) || std::env::var_os("TZ").is_some() {
        return None;
    }
    let target = std::fs::read_link(LOCALTIME).ok()?;
    let target = target.to_str()?;
    let name = &target[target.rfind("zoneinfo/")? + "zoneinfo/".len()..];
    let data = std::fs::read(LOCALTIME).ok()?;
    jiff::tz::TimeZone::tzif(name, &data).ok()
}

#[cfg(test)]
mod tests {
    use super::system_time_zone;

    #[test]
    fn the_machine_time_zone_is_the_one_jiff_finds() {
        let ours = system_time_zone();
        let jiffs = jiff::tz::TimeZone::system();
        assert_eq!(ours.iana_name(), jiffs.iana_name());
        for seconds in [0, 1_700_000_000, 1_720_000_000] {
            let instant = jiff::Timestamp::from_second(seconds).unwrap();
            assert_eq!(ours.to_offset(instant), jiffs.to_offset(instant));
        }
    }
}
