//! JSON text to values and back: parsing never panics, and whatever parses prints as JSON that
//! parses again to the same JSON text.

use deluge_lang::eval::render::to_json;
use deluge_lang::stdlib::json;

/// Parses `data` (when it is UTF-8) and checks the round trip.
pub fn check(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let _ = json::parse_limited(text, 1_000);
    if let Ok(value) = json::parse(text) {
        let printed = to_json(&value);
        let again = json::parse(&printed)
            .unwrap_or_else(|e| panic!("printed JSON does not parse: {e}: {printed}"));
        assert_eq!(to_json(&again), printed, "JSON round trip changed the text");
    }
}
