//! Reading numbers written as text (`"12"`, `"-1.50"`, `"2.5e3"`): typed lists
//! (`List:Int({"2"})`) convert with these, and the built-ins (`toNumber`, `toDecimal`,
//! `isNumber`, ...) read text the same way.

use std::str::FromStr;

use rust_decimal::Decimal;

/// Parses whole-number text: optional sign and digits, surrounding white space ignored.
pub fn parse_whole_number(text: &str) -> Option<i64> {
    let t = text.trim();
    let digits = t.strip_prefix(['-', '+']).unwrap_or(t);
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    t.parse::<i64>().ok()
}

/// Parses decimal text (`"12"`, `"-1.50"`, `"2.5e3"`), surrounding white space ignored.
pub fn parse_decimal(text: &str) -> Option<Decimal> {
    let t = text.trim();
    let body = t.strip_prefix(['-', '+']).unwrap_or(t);
    let starts_well = body.starts_with(|c: char| c.is_ascii_digit() || c == '.');
    if !starts_well || !body.bytes().any(|b| b.is_ascii_digit()) {
        return None;
    }
    let t = t.strip_prefix('+').unwrap_or(t);
    if t.contains(['e', 'E']) {
        Decimal::from_scientific(t).ok()
    } else if t
        .bytes()
        .all(|b| b.is_ascii_digit() || b == b'.' || b == b'-')
    {
        Decimal::from_str_exact(t)
            .or_else(|_| Decimal::from_str(t))
            .ok()
    } else {
        None
    }
}
