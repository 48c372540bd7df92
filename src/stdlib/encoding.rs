//! Encoding, hashing and encryption (language.md §6.10): `zoho.encryption.*` and `encodeUrl`.
//!
//! - `urlEncode` encodes like Java's `URLEncoder` (letters, digits and `.-*_` kept) but writes
//!   a space as `%20`; `encodeUrl` is form encoding (space as `+`). `urlDecode` reverses both.
//! - Text is hashed and encoded as UTF-8. Digests are lower-case hex by default; HMACs are
//!   Base64 by default, `"hex"` on request.
//! - `aesEncode(key, text)`: Zoho does not document its scheme, so deluge-lang uses
//!   authenticated AES-256-GCM, the key being the SHA-256 of the key text, a random 12-byte
//!   nonce prepended to the cipher text and tag, all Base64 encoded. `aesDecode` reverses it
//!   and reliably rejects a wrong key or altered text. The output is not meant to be
//!   exchanged with Zoho.
//! - A `zoho.encryption` function given a non-TEXT value where text is expected returns null,
//!   as Zoho documents for `urlEncode`/`urlDecode`.

use aes_gcm::aead::Aead;
use aes_gcm::{Aes256Gcm, KeyInit, Nonce};
use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use hmac::{Hmac, Mac};
use percent_encoding::{percent_decode_str, utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::RngCore;
use sha1::Sha1;
use sha2::{Digest, Sha256, Sha512};

use crate::eval::context::NativeCtx;
use crate::eval::value::Value;
use crate::eval::args::Args;
use crate::stdlib::registry::{Builtin, NativeResult, Receiver};

macro_rules! entry {
    ($name:literal, $recv:expr, $params:literal, ($min:literal, $max:literal), $func:path, $summary:literal) => {
        Builtin {
            name: $name,
            receiver: $recv,
            params: $params,
            returns: "TEXT",
            arity: ($min, $max),
            summary: $summary,
            func: $func,
        }
    };
}

/// The encoding, hashing and encryption built-ins.
#[rustfmt::skip]
pub static BUILTINS: &[Builtin] = &[
    entry!("zoho.encryption.urlEncode", Receiver::None, "(text: TEXT)", (1, 1), url_encode, "Percent-encodes text for a URL; a space becomes `%20`."),
    entry!("zoho.encryption.urlDecode", Receiver::None, "(text: TEXT)", (1, 1), url_decode, "Decodes percent-encoded text (`+` is a space)."),
    entry!("encodeUrl", Receiver::Type(crate::eval::value::ValueType::Text), "()", (0, 0), encode_url, "Form-encodes text; a space becomes `+`."),
    entry!("zoho.encryption.base64Encode", Receiver::None, "(text: TEXT)", (1, 1), base64_encode, "Standard Base64 (with padding) of the text's UTF-8 bytes, or of a FILE's bytes."),
    entry!("zoho.encryption.base64Decode", Receiver::None, "(text: TEXT)", (1, 1), base64_decode, "Decodes standard Base64 to text."),
    entry!("zoho.encryption.md5", Receiver::None, "(text: TEXT)", (1, 1), md5, "MD5 digest as lower-case hex."),
    entry!("zoho.encryption.sha256", Receiver::None, "(text: TEXT[, format: TEXT])", (1, 2), sha256, "SHA-256 digest, `\"hex\"` (default) or `\"base64\"`."),
    entry!("zoho.encryption.hmacsha1", Receiver::None, "(key: TEXT, message: TEXT[, format: TEXT])", (2, 3), hmac_with::<Hmac<Sha1>>, "HMAC-SHA1, `\"base64\"` (default) or `\"hex\"`."),
    entry!("zoho.encryption.hmacsha256", Receiver::None, "(key: TEXT, message: TEXT[, format: TEXT])", (2, 3), hmac_with::<Hmac<Sha256>>, "HMAC-SHA256, `\"base64\"` (default) or `\"hex\"`."),
    entry!("zoho.encryption.hmacsha512", Receiver::None, "(key: TEXT, message: TEXT[, format: TEXT])", (2, 3), hmac_with::<Hmac<Sha512>>, "HMAC-SHA512, `\"base64\"` (default) or `\"hex\"`."),
    entry!("zoho.encryption.aesEncode", Receiver::None, "(key: TEXT, text: TEXT)", (2, 2), aes_encode, "Encrypts text: AES-256-CBC, key = SHA-256 of the key text, random IV first, Base64."),
    entry!("zoho.encryption.aesDecode", Receiver::None, "(key: TEXT, text: TEXT)", (2, 2), aes_decode, "Decrypts the output of aesEncode with the same key."),
];

/// Java `URLEncoder`'s set: everything but letters, digits and `.-*_` is encoded.
const URL_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'.')
    .remove(b'-')
    .remove(b'*')
    .remove(b'_');

/// Percent-encodes `text` like Java's `URLEncoder`, a space as `%20` or `+`.
pub fn url_encode_text(text: &str, space_as_plus: bool) -> String {
    let encoded = utf8_percent_encode(text, URL_SET).to_string();
    if space_as_plus {
        encoded.replace("%20", "+")
    } else {
        encoded
    }
}

/// Decodes percent-encoded text; `+` is a space; invalid UTF-8 becomes U+FFFD.
pub fn url_decode_text(text: &str) -> String {
    let spaced = text.replace('+', " ");
    percent_decode_str(&spaced).decode_utf8_lossy().into_owned()
}

fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut out = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(out, "{b:02x}");
    }
    out
}

/// The text at `i`, or `None` when it is not TEXT (the function then returns null).
fn text_or_none(args: &[Value], i: usize) -> Option<&str> {
    args.get(i).and_then(Value::as_text)
}

fn url_encode(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(text_or_none(args, 0).map_or(Value::Null, |t| Value::text(url_encode_text(t, false))))
}

fn url_decode(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(text_or_none(args, 0).map_or(Value::Null, |t| Value::text(url_decode_text(t))))
}

fn encode_url(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    Ok(Value::text(url_encode_text(a.text(0)?, true)))
}

fn base64_encode(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(match args.first() {
        Some(Value::Text(t)) => Value::text(STANDARD.encode(t.as_bytes())),
        Some(Value::File(f)) => Value::text(STANDARD.encode(&f.bytes)),
        _ => Value::Null,
    })
}

fn base64_decode(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let Some(text) = text_or_none(args, 0) else {
        return Ok(Value::Null);
    };
    let compact: String = text.chars().filter(|c| !c.is_whitespace()).collect();
    let bytes = STANDARD
        .decode(compact.as_bytes())
        .or_else(|_| {
            base64::engine::general_purpose::STANDARD_NO_PAD.decode(compact.trim_end_matches('='))
        })
        .map_err(|e| a.error(format_args!("the text is not valid Base64 ({e})")))?;
    Ok(Value::text(String::from_utf8_lossy(&bytes).into_owned()))
}

fn md5(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    Ok(text_or_none(args, 0).map_or(Value::Null, |t| {
        Value::text(hex(&md5::Md5::digest(t.as_bytes())))
    }))
}

/// Writes `bytes` in the output format named at `i` (`default` when absent).
fn output(a: &Args<'_>, i: usize, bytes: &[u8], default: &str) -> NativeResult {
    let format = a.opt_text(i)?.unwrap_or(default);
    match format.to_ascii_lowercase().as_str() {
        "hex" => Ok(Value::text(hex(bytes))),
        "base64" => Ok(Value::text(STANDARD.encode(bytes))),
        _ => Err((a.error(format!(
            "unknown output format \"{format}\"; use \"hex\" or \"base64\""
        ))).into()),
    }
}

fn sha256(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let Some(text) = text_or_none(args, 0) else {
        return Ok(Value::Null);
    };
    output(&a, 1, &Sha256::digest(text.as_bytes()), "hex")
}

fn hmac_with<M: Mac + hmac::digest::KeyInit>(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let (Some(key), Some(message)) = (text_or_none(args, 0), text_or_none(args, 1)) else {
        return Ok(Value::Null);
    };
    let mut mac =
        <M as hmac::digest::KeyInit>::new_from_slice(key.as_bytes()).map_err(|e| a.error(e))?;
    mac.update(message.as_bytes());
    output(&a, 2, &mac.finalize().into_bytes(), "base64")
}

const NONCE_LEN: usize = 12;

/// Encrypts `plain` with the deluge-lang AES scheme (see the module docs).
pub fn aes_encrypt(key: &str, plain: &[u8]) -> String {
    let mut nonce = [0u8; NONCE_LEN];
    rand::rngs::OsRng.fill_bytes(&mut nonce);
    aes_encrypt_with_nonce(key, plain, nonce)
}

fn aes_encrypt_with_nonce(key: &str, plain: &[u8], nonce: [u8; NONCE_LEN]) -> String {
    let cipher = Aes256Gcm::new(&Sha256::digest(key.as_bytes()));
    let sealed = cipher
        .encrypt(Nonce::from_slice(&nonce), plain)
        .unwrap_or_default();
    let mut out = Vec::with_capacity(NONCE_LEN + sealed.len());
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    STANDARD.encode(out)
}

/// Decrypts the output of [`aes_encrypt`]; `None` when the key is wrong or the text damaged.
pub fn aes_decrypt(key: &str, encoded: &str) -> Option<Vec<u8>> {
    let data = STANDARD.decode(encoded.trim()).ok()?;
    if data.len() < NONCE_LEN + 16 {
        return None;
    }
    let (nonce, sealed) = data.split_at(NONCE_LEN);
    let cipher = Aes256Gcm::new(&Sha256::digest(key.as_bytes()));
    cipher.decrypt(Nonce::from_slice(nonce), sealed).ok()
}

fn aes_encode(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let (Some(key), Some(text)) = (text_or_none(args, 0), text_or_none(args, 1)) else {
        return Ok(Value::Null);
    };
    Ok(Value::text(aes_encrypt(key, text.as_bytes())))
}

fn aes_decode(_: &mut NativeCtx<'_>, a: Args<'_>) -> NativeResult {
    let args = a.values();
    let (Some(key), Some(text)) = (text_or_none(args, 0), text_or_none(args, 1)) else {
        return Ok(Value::Null);
    };
    let plain = aes_decrypt(key, text).ok_or_else(|| {
        a.error("cannot decrypt: the key is wrong or the text was not produced by aesEncode")
    })?;
    Ok(String::from_utf8(plain)
        .map(Value::text)
        .map_err(|_| a.error("the decrypted data is not UTF-8 text"))?)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::env::RunEnv;

    fn call(name: &str, args: &[Value]) -> Result<Value, String> {
        let env = RunEnv::default();
        let mut ctx = NativeCtx::new(&env);
        let builtin = BUILTINS.iter().find(|b| b.name == name).unwrap();
        let n = args.len() as u8;
        assert!(
            n >= builtin.arity.0
                && n <= builtin.arity.1 + u8::from(builtin.receiver != Receiver::None)
        );
        builtin.call(&mut ctx, args).map_err(|f| f.to_string())
    }

    fn text(name: &str, args: &[&str]) -> String {
        let values: Vec<Value> = args.iter().map(|s| Value::text(*s)).collect();
        match call(name, &values) {
            Ok(v) => crate::eval::render::display(&v),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn documented_url_examples() {
        assert_eq!(
            text(
                "zoho.encryption.urlEncode",
                &["https://www.zoho.com/creator"]
            ),
            "https%3A%2F%2Fwww.zoho.com%2Fcreator"
        );
        assert_eq!(text("zoho.encryption.urlEncode", &["a b"]), "a%20b");
        assert_eq!(
            text("zoho.encryption.urlDecode", &["https%3A%2F%2Fwww.zoho.com"]),
            "https://www.zoho.com"
        );
        assert_eq!(
            text(
                "encodeUrl",
                &["http://www.zoho.com/zohotest?name=John&country=Australia&age=101"]
            ),
            "http%3A%2F%2Fwww.zoho.com%2Fzohotest%3Fname%3DJohn%26country%3DAustralia%26age%3D101"
        );
        assert_eq!(text("encodeUrl", &["a b~é"]), "a+b%7E%C3%A9");
        assert_eq!(
            text("zoho.encryption.urlDecode", &["a+b%7E%C3%A9"]),
            "a b~é"
        );
    }

    #[test]
    fn non_text_gives_null() {
        for name in [
            "zoho.encryption.urlEncode",
            "zoho.encryption.urlDecode",
            "zoho.encryption.md5",
            "zoho.encryption.base64Encode",
        ] {
            assert!(call(name, &[Value::Number(5)]).unwrap().is_null(), "{name}");
        }
        assert!(call(
            "zoho.encryption.hmacsha256",
            &[Value::Null, Value::text("m")]
        )
        .unwrap()
        .is_null());
    }

    #[test]
    fn hashes() {
        assert_eq!(
            text("zoho.encryption.sha256", &["hello"]),
            "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"
        );
        assert_eq!(
            text("zoho.encryption.sha256", &["hello", "base64"]),
            "LPJNul+wow4m6DsqxbninhsWHlwfp0JecwQzYpOLmCQ="
        );
        assert_eq!(
            text("zoho.encryption.md5", &["hello"]),
            "5d41402abc4b2a76b9719d911017c592"
        );
        assert_eq!(
            text("zoho.encryption.sha256", &["hello", "binary"]),
            "error: zoho.encryption.sha256: unknown output format \"binary\"; use \"hex\" or \"base64\""
        );
    }

    #[test]
    fn base64_round_trip() {
        assert_eq!(
            text("zoho.encryption.base64Encode", &["Zoho Créator"]),
            "Wm9obyBDcsOpYXRvcg=="
        );
        assert_eq!(
            text("zoho.encryption.base64Decode", &["Wm9obyBDcsOpYXRvcg=="]),
            "Zoho Créator"
        );
        assert_eq!(text("zoho.encryption.base64Decode", &["Wm9obw"]), "Zoho");
        assert!(text("zoho.encryption.base64Decode", &["***"])
            .starts_with("error: zoho.encryption.base64Decode: the text is not valid Base64"));
    }

    /// RFC 4231 test case 2 (the key and data are text) and RFC 2202 for SHA-1.
    #[test]
    fn hmac_vectors() {
        let key = "Jefe";
        let data = "what do ya want for nothing?";
        assert_eq!(
            text("zoho.encryption.hmacsha256", &[key, data, "hex"]),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
        assert_eq!(
            text("zoho.encryption.hmacsha512", &[key, data, "hex"]),
            "164b7a7bfcf819e2e395fbe73b56e0a387bd64222e831fd610270cd7ea2505549758bf75c05a994a6d034f65f8f0e6fdcaeab1a34d4a6b4b636e070a38bce737"
        );
        assert_eq!(
            text("zoho.encryption.hmacsha1", &[key, data, "hex"]),
            "effcdf6ae5eb2fa2d27416d5f184df9c259a7c79"
        );
        assert_eq!(
            text("zoho.encryption.hmacsha256", &[key, data]),
            "W9zBRr9gdU5qBCQmCJV1x1oAPwidJzmDnexYuWTsOEM="
        );
        assert_eq!(
            text("zoho.encryption.hmacsha256", &[key, data, "octal"]),
            "error: zoho.encryption.hmacsha256: unknown output format \"octal\"; use \"hex\" or \"base64\""
        );
    }

    /// RFC 4231 test case 1: 20 bytes of 0x0b as key, "Hi There".
    #[test]
    fn hmac_rfc4231_binary_key() {
        let key = "\u{0b}".repeat(20);
        assert_eq!(
            text("zoho.encryption.hmacsha256", &[&key, "Hi There", "hex"]),
            "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7"
        );
    }

    #[test]
    fn aes_round_trip() {
        let encrypted = text("zoho.encryption.aesEncode", &["secret key", "Zoho Créator"]);
        let again = text("zoho.encryption.aesEncode", &["secret key", "Zoho Créator"]);
        assert_ne!(
            encrypted, again,
            "a random IV makes each encryption different"
        );
        assert_eq!(
            text("zoho.encryption.aesDecode", &["secret key", &encrypted]),
            "Zoho Créator"
        );
        assert_eq!(
            text("zoho.encryption.aesDecode", &["wrong key", &encrypted]),
            "error: zoho.encryption.aesDecode: cannot decrypt: the key is wrong or the text was not produced by aesEncode"
        );
        assert!(text("zoho.encryption.aesDecode", &["k", "not base64!"]).starts_with("error:"));
        let fixed = aes_encrypt_with_nonce("k", b"abc", [7; NONCE_LEN]);
        assert_eq!(aes_decrypt("k", &fixed), Some(b"abc".to_vec()));
        let mut tampered = STANDARD.decode(&fixed).unwrap();
        tampered[NONCE_LEN] ^= 1;
        assert_eq!(aes_decrypt("k", &STANDARD.encode(tampered)), None);
    }
}
