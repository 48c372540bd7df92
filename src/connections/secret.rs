//! `Secret`: a text value that never prints and is wiped from memory when dropped.

use serde::{Deserialize, Deserializer, Serialize, Serializer};
use std::fmt;
use zeroize::Zeroize;

/// A password, API key, client secret or token.
///
/// `Debug` and `Display` print `***`; the text is only reachable through [`Secret::expose`], and
/// the buffer is zeroed when the value is dropped. `Serialize` writes the plain text: it exists
/// only so the store can encrypt credentials, and must never feed any output.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value, taking ownership of its buffer.
    pub fn new(value: String) -> Self {
        Secret(value)
    }

    /// The secret text. Callers must not log, print or format it into messages.
    pub fn expose(&self) -> &str {
        &self.0
    }

    /// True when the secret is the empty text.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl From<&str> for Secret {
    fn from(value: &str) -> Self {
        Secret(value.to_owned())
    }
}

impl Drop for Secret {
    fn drop(&mut self) {
        self.0.zeroize();
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("***")
    }
}

impl Serialize for Secret {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for Secret {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        String::deserialize(deserializer).map(Secret)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_are_masked() {
        let secret = Secret::from("hunter2");
        assert_eq!(format!("{secret:?}"), "***");
        assert_eq!(format!("{secret}"), "***");
        assert_eq!(format!("{:?}", Some(secret.clone())), "Some(***)");
        assert_eq!(secret.expose(), "hunter2");
    }

    #[test]
    fn zeroizes_its_buffer() {
        let mut secret = Secret::from("hunter2");
        secret.0.zeroize();
        assert!(secret.is_empty());
    }
}
