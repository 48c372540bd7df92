//! OAuth 1.0a request signing (RFC 5849 §3): percent-encoding, parameter normalisation, the
//! signature base string, HMAC-SHA1 / HMAC-SHA256 / PLAINTEXT, and placement of the protocol
//! parameters in the `Authorization` header, the query string or a form body.

use std::fmt;
use std::time::{SystemTime, UNIX_EPOCH};

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine as _;
use hmac::{Hmac, Mac};
use percent_encoding::{utf8_percent_encode, AsciiSet, NON_ALPHANUMERIC};
use rand::distributions::Alphanumeric;
use rand::Rng;
use url::Url;

use crate::connections::model::{Placement, SignatureMethod};
use crate::http::request::{Body, HttpRequest, Method};

/// RFC 5849 §3.6: every byte except `A-Z a-z 0-9 - . _ ~` is escaped with uppercase hex.
const OAUTH_ENCODE_SET: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

/// Percent-encodes `text` as RFC 5849 §3.6 requires (UTF-8, uppercase hex).
pub fn percent_encode(text: &str) -> String {
    utf8_percent_encode(text, OAUTH_ENCODE_SET).to_string()
}

/// The `oauth_signature_method` value of a method.
pub fn method_name(method: SignatureMethod) -> &'static str {
    match method {
        SignatureMethod::HmacSha1 => "HMAC-SHA1",
        SignatureMethod::HmacSha256 => "HMAC-SHA256",
        SignatureMethod::Plaintext => "PLAINTEXT",
    }
}

/// The secrets that form the signing key. `Debug` never shows them.
#[derive(Clone)]
pub struct SigningKeys<'a> {
    /// `oauth_consumer_key`.
    pub consumer_key: &'a str,
    /// Consumer (client) shared secret.
    pub consumer_secret: &'a str,
    /// `oauth_token`, when signing with a temporary or token credential.
    pub token: Option<&'a str>,
    /// The secret of that token.
    pub token_secret: &'a str,
}

impl fmt::Debug for SigningKeys<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("SigningKeys")
            .field("consumer_key", &self.consumer_key)
            .field("consumer_secret", &"<redacted>")
            .field("token", &self.token.map(|_| "<redacted>"))
            .field("token_secret", &"<redacted>")
            .finish()
    }
}

/// The protocol parameters of one signature besides the keys.
#[derive(Clone, Debug, Default)]
pub struct ProtocolParams {
    /// `oauth_nonce`; a random one is made when `None`.
    pub nonce: Option<String>,
    /// `oauth_timestamp`; the current time when `None`.
    pub timestamp: Option<String>,
    /// `oauth_callback` (request-token step only).
    pub callback: Option<String>,
    /// `oauth_verifier` (access-token step only).
    pub verifier: Option<String>,
    /// Whether to send `oauth_version=1.0` (optional in the RFC; sent by most clients).
    pub include_version: bool,
    /// `realm` for the header (never signed).
    pub realm: Option<String>,
}

/// A computed signature, with the ordered `oauth_*` parameters that go on the wire.
#[derive(Clone)]
pub struct Signature {
    /// Protocol parameters including `oauth_signature`, in sending order (not encoded).
    pub oauth_params: Vec<(String, String)>,
    /// The signature base string (useful for tests and diagnostics; contains no secret).
    pub base_string: String,
    /// The `oauth_signature` value (not encoded).
    pub signature: String,
}

impl fmt::Debug for Signature {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Signature")
            .field("base_string", &self.base_string)
            .field("signature", &"<redacted>")
            .finish()
    }
}

/// The base string URI (§3.4.1.2): lowercase scheme and host, port only when not the default,
/// path; no query, no fragment.
pub fn base_string_uri(url: &Url) -> String {
    let scheme = url.scheme().to_ascii_lowercase();
    let host = url.host_str().unwrap_or_default().to_ascii_lowercase();
    // `Url` already drops a scheme's default port, so any port left is significant.
    let port = url.port().map(|p| format!(":{p}")).unwrap_or_default();
    let path = if url.path().is_empty() {
        "/"
    } else {
        url.path()
    };
    format!("{scheme}://{host}{port}{path}")
}

/// Normalises request parameters (§3.4.1.3.2): encode names and values, sort by name then
/// value, join as `k=v` with `&`.
pub fn normalize_parameters(params: &[(String, String)]) -> String {
    let mut encoded: Vec<(String, String)> = params
        .iter()
        .map(|(k, v)| (percent_encode(k), percent_encode(v)))
        .collect();
    encoded.sort();
    let pairs: Vec<String> = encoded
        .into_iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect();
    pairs.join("&")
}

/// The signature base string (§3.4.1.1).
pub fn signature_base_string(method: &str, url: &Url, params: &[(String, String)]) -> String {
    format!(
        "{}&{}&{}",
        method.to_ascii_uppercase(),
        percent_encode(&base_string_uri(url)),
        percent_encode(&normalize_parameters(params))
    )
}

/// Signs a base string with the given method and keys (§3.4.2–3.4.4); returns base64 for the
/// HMAC methods and the key itself for PLAINTEXT.
pub fn sign_base_string(method: SignatureMethod, keys: &SigningKeys<'_>, base: &str) -> String {
    let key = format!(
        "{}&{}",
        percent_encode(keys.consumer_secret),
        percent_encode(keys.token_secret)
    );
    match method {
        SignatureMethod::HmacSha1 => hmac_base64::<Hmac<sha1::Sha1>>(&key, base),
        SignatureMethod::HmacSha256 => hmac_base64::<Hmac<sha2::Sha256>>(&key, base),
        SignatureMethod::Plaintext => key,
    }
}

fn hmac_base64<M: Mac + hmac::digest::KeyInit>(key: &str, message: &str) -> String {
    let Ok(mut mac) = <M as hmac::digest::KeyInit>::new_from_slice(key.as_bytes()) else {
        // HMAC accepts keys of any length, so this branch cannot be taken.
        return String::new();
    };
    mac.update(message.as_bytes());
    BASE64.encode(mac.finalize().into_bytes())
}

/// Computes the signature for `method` + `url` + (single-part form) `form` parameters.
pub fn compute_signature(
    http_method: &str,
    url: &Url,
    form: &[(String, String)],
    keys: &SigningKeys<'_>,
    method: SignatureMethod,
    protocol: &ProtocolParams,
) -> Signature {
    let oauth_params = protocol_parameters(keys, method, protocol);
    let mut all: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    all.extend(oauth_params.iter().cloned());
    all.extend(form.iter().cloned());
    let base_string = signature_base_string(http_method, url, &all);
    let signature = sign_base_string(method, keys, &base_string);
    let mut oauth_params = oauth_params;
    oauth_params.push(("oauth_signature".to_owned(), signature.clone()));
    Signature {
        oauth_params,
        base_string,
        signature,
    }
}

fn protocol_parameters(
    keys: &SigningKeys<'_>,
    method: SignatureMethod,
    protocol: &ProtocolParams,
) -> Vec<(String, String)> {
    let mut params = vec![(
        "oauth_consumer_key".to_owned(),
        keys.consumer_key.to_owned(),
    )];
    if let Some(token) = keys.token {
        params.push(("oauth_token".to_owned(), token.to_owned()));
    }
    params.push((
        "oauth_signature_method".to_owned(),
        method_name(method).to_owned(),
    ));
    let timestamp = protocol.timestamp.clone().unwrap_or_else(unix_timestamp);
    params.push(("oauth_timestamp".to_owned(), timestamp));
    let nonce = protocol.nonce.clone().unwrap_or_else(random_nonce);
    params.push(("oauth_nonce".to_owned(), nonce));
    if protocol.include_version {
        params.push(("oauth_version".to_owned(), "1.0".to_owned()));
    }
    if let Some(callback) = &protocol.callback {
        params.push(("oauth_callback".to_owned(), callback.clone()));
    }
    if let Some(verifier) = &protocol.verifier {
        params.push(("oauth_verifier".to_owned(), verifier.clone()));
    }
    params
}

fn unix_timestamp() -> String {
    let seconds = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or_default();
    seconds.to_string()
}

/// A fresh 32-character alphanumeric nonce.
pub fn random_nonce() -> String {
    rand::thread_rng()
        .sample_iter(&Alphanumeric)
        .take(32)
        .map(char::from)
        .collect()
}

/// The `Authorization: OAuth ...` header value (§3.5.1).
pub fn authorization_header(signature: &Signature, realm: Option<&str>) -> String {
    let mut parts = Vec::with_capacity(signature.oauth_params.len() + 1);
    if let Some(realm) = realm {
        parts.push(format!("realm=\"{}\"", percent_encode(realm)));
    }
    for (name, value) in &signature.oauth_params {
        parts.push(format!(
            "{}=\"{}\"",
            percent_encode(name),
            percent_encode(value)
        ));
    }
    format!("OAuth {}", parts.join(", "))
}

/// Signs `request` in place: computes the signature over its final URL, method and form body and
/// places the protocol parameters as asked. Form placement on a request that cannot carry a form
/// body (GET, HEAD, or a non-form body) falls back to the query string.
pub fn sign_request(
    request: &mut HttpRequest,
    keys: &SigningKeys<'_>,
    method: SignatureMethod,
    placement: Placement,
    protocol: &ProtocolParams,
) {
    let form = form_parameters(&request.body);
    let signature = compute_signature(
        request.method.as_str(),
        &request.url,
        form.as_deref().unwrap_or(&[]),
        keys,
        method,
        protocol,
    );
    match effective_placement(request, placement) {
        Placement::Header => {
            request
                .headers
                .retain(|(name, _)| !name.eq_ignore_ascii_case("authorization"));
            request.headers.push((
                "Authorization".to_owned(),
                authorization_header(&signature, protocol.realm.as_deref()),
            ));
        }
        Placement::Query => {
            let mut query = request.url.query_pairs_mut();
            for (name, value) in &signature.oauth_params {
                query.append_pair(name, value);
            }
        }
        Placement::Form => append_form(&mut request.body, &signature.oauth_params),
    }
}

fn effective_placement(request: &HttpRequest, placement: Placement) -> Placement {
    let can_carry_form = !matches!(request.method, Method::Get | Method::Head)
        && matches!(request.body, Body::Empty | Body::Form(_))
        || is_urlencoded_raw(&request.body);
    if placement == Placement::Form && !can_carry_form {
        Placement::Query
    } else {
        placement
    }
}

fn is_urlencoded_raw(body: &Body) -> bool {
    match body {
        Body::Raw { content_type, .. } => content_type.as_deref().is_some_and(is_form_content_type),
        _ => false,
    }
}

fn is_form_content_type(content_type: &str) -> bool {
    content_type.split(';').next().is_some_and(|mime| {
        mime.trim()
            .eq_ignore_ascii_case("application/x-www-form-urlencoded")
    })
}

/// The body parameters that take part in the signature (§3.4.1.3.1): only a single-part
/// `application/x-www-form-urlencoded` body.
fn form_parameters(body: &Body) -> Option<Vec<(String, String)>> {
    match body {
        Body::Form(pairs) => Some(pairs.clone()),
        Body::Raw { bytes, .. } if is_urlencoded_raw(body) => {
            Some(url::form_urlencoded::parse(bytes).into_owned().collect())
        }
        _ => None,
    }
}

fn append_form(body: &mut Body, params: &[(String, String)]) {
    match body {
        Body::Form(pairs) => pairs.extend(params.iter().cloned()),
        Body::Raw { bytes, .. } => {
            let mut serializer = url::form_urlencoded::Serializer::new(String::new());
            serializer.extend_pairs(params);
            let extra = serializer.finish();
            if !bytes.is_empty() {
                bytes.push(b'&');
            }
            bytes.extend_from_slice(extra.as_bytes());
        }
        Body::Empty => *body = Body::Form(params.to_vec()),
        // `effective_placement` never picks the form for a multipart body.
        Body::Multipart(_) => {}
    }
}

#[cfg(test)]
mod tests;
