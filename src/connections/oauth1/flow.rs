//! The OAuth 1.0a three-legged flow (RFC 5849 §2): temporary credentials, user approval (loopback
//! callback, or an out-of-band PIN), token credentials.

use std::time::Duration;

use url::Url;

use super::signer::{sign_request, ProtocolParams, SigningKeys};
use crate::connections::model::{Placement, SignatureMethod};
use crate::connections::oauth2::client::check_endpoint_url;
use crate::connections::oauth2::error::OAuthError;
use crate::connections::oauth2::flow::wait_for_redirect;
use crate::connections::oauth2::http::OAuthHttp;
use crate::connections::oauth2::loopback::LoopbackListener;
use crate::connections::oauth2::ui::AuthorizationUi;
use crate::http::request::{Body, HttpRequest, Method};

/// How long the user has to approve by default.
pub const DEFAULT_AUTHORIZE_TIMEOUT: Duration = Duration::from_secs(300);

/// An OAuth 1 provider and client, as the flow needs them. `Debug` hides the secret.
#[derive(Clone)]
pub struct Consumer<'a> {
    /// Temporary-credentials endpoint.
    pub request_token_url: &'a str,
    /// Where the user approves.
    pub authorize_url: &'a str,
    /// Token-credentials endpoint.
    pub access_token_url: &'a str,
    /// Consumer key.
    pub key: &'a str,
    /// Consumer secret.
    pub secret: &'a str,
    /// Signature method.
    pub method: SignatureMethod,
    /// Where the protocol parameters go.
    pub placement: Placement,
}

impl std::fmt::Debug for Consumer<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Consumer")
            .field("request_token_url", &self.request_token_url)
            .field("key", &self.key)
            .field("secret", &"***")
            .finish_non_exhaustive()
    }
}

/// Options of the three-legged flow.
#[derive(Clone, Copy, Debug)]
pub struct FlowOptions {
    /// Listen on this port instead of an ephemeral one.
    pub port: Option<u16>,
    /// Use `oauth_callback=oob`: the provider shows a PIN that the user types in.
    pub out_of_band: bool,
    /// How long to wait for the approval.
    pub timeout: Duration,
}

impl Default for FlowOptions {
    fn default() -> Self {
        FlowOptions {
            port: None,
            out_of_band: false,
            timeout: DEFAULT_AUTHORIZE_TIMEOUT,
        }
    }
}

/// Token credentials. `Debug` hides them.
#[derive(Clone)]
pub struct TokenCredentials {
    /// `oauth_token`.
    pub token: String,
    /// `oauth_token_secret`.
    pub secret: String,
}

impl std::fmt::Debug for TokenCredentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TokenCredentials(***)")
    }
}

/// Runs the three legs and returns the token credentials.
pub fn three_legged(
    consumer: &Consumer<'_>,
    options: FlowOptions,
    ui: &mut dyn AuthorizationUi,
) -> Result<TokenCredentials, OAuthError> {
    let listener = if options.out_of_band {
        None
    } else {
        Some(LoopbackListener::bind(options.port)?)
    };
    let callback = listener
        .as_ref()
        .map_or_else(|| "oob".to_owned(), LoopbackListener::redirect_uri);
    let temporary = request_temporary(consumer, &callback)?;
    let mut authorize = check_endpoint_url(consumer.authorize_url, "authorize")?;
    authorize
        .query_pairs_mut()
        .append_pair("oauth_token", &temporary.token);
    let verifier = match &listener {
        Some(listener) => {
            let launch = listener.start_url(authorize.as_str());
            ui.present_authorize_url_via(authorize.as_str(), &launch);
            let request_token = temporary.token.as_str();
            let params = wait_for_redirect(
                listener,
                ui.pasted_redirects(),
                options.timeout,
                parse_pasted,
                &|params| names_request_token(params, request_token),
            )?;
            verifier_from_callback(&params, &temporary.token)?
        }
        None => {
            ui.present_authorize_url(authorize.as_str());
            ui.prompt_verifier().ok_or_else(|| {
                OAuthError::Callback("no verification code was entered; nothing was changed".into())
            })?
        }
    };
    exchange(consumer, &temporary, &verifier)
}

/// Leg 1: `POST request_token_url` with `oauth_callback`.
fn request_temporary(
    consumer: &Consumer<'_>,
    callback: &str,
) -> Result<TokenCredentials, OAuthError> {
    let keys = SigningKeys {
        consumer_key: consumer.key,
        consumer_secret: consumer.secret,
        token: None,
        token_secret: "",
    };
    let protocol = ProtocolParams {
        callback: Some(callback.to_owned()),
        include_version: true,
        ..ProtocolParams::default()
    };
    let reply = signed_post(
        consumer,
        consumer.request_token_url,
        "request token",
        &keys,
        &protocol,
    )?;
    token_pair(&reply, "request token")
}

/// Leg 3: `POST access_token_url` with `oauth_verifier`, signed with the temporary secret.
fn exchange(
    consumer: &Consumer<'_>,
    temporary: &TokenCredentials,
    verifier: &str,
) -> Result<TokenCredentials, OAuthError> {
    let keys = SigningKeys {
        consumer_key: consumer.key,
        consumer_secret: consumer.secret,
        token: Some(&temporary.token),
        token_secret: &temporary.secret,
    };
    let protocol = ProtocolParams {
        verifier: Some(verifier.to_owned()),
        include_version: true,
        ..ProtocolParams::default()
    };
    let reply = signed_post(
        consumer,
        consumer.access_token_url,
        "access token",
        &keys,
        &protocol,
    )?;
    token_pair(&reply, "access token")
}

fn signed_post(
    consumer: &Consumer<'_>,
    url: &str,
    step: &'static str,
    keys: &SigningKeys<'_>,
    protocol: &ProtocolParams,
) -> Result<Vec<(String, String)>, OAuthError> {
    let what = if step == "request token" {
        "request token"
    } else {
        "access token"
    };
    let url = check_endpoint_url(url, what)?;
    let mut request = HttpRequest {
        method: Method::Post,
        url,
        headers: Vec::new(),
        body: Body::Empty,
    };
    sign_request(
        &mut request,
        keys,
        consumer.method,
        consumer.placement,
        protocol,
    );
    let response = send(&request).map_err(|detail| OAuthError::Transport { step, detail })?;
    let (status, body) = response;
    let pairs: Vec<(String, String)> = url::form_urlencoded::parse(body.as_bytes())
        .into_owned()
        .collect();
    if (200..300).contains(&status) {
        return Ok(pairs);
    }
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    Err(OAuthError::Provider {
        step,
        code: field("error").unwrap_or_else(|| format!("HTTP {status}")),
        description: field("error_description").or_else(|| {
            let text: String = body.chars().take(200).collect();
            (!text.trim().is_empty() && field("error").is_none()).then_some(text)
        }),
    })
}

/// Sends a signed request to the provider (no redirects, at most 1 MiB read, errors without
/// the URL); returns status and body text.
pub fn send(request: &HttpRequest) -> Result<(u16, String), String> {
    let response = OAuthHttp::new()
        .send(request.clone())
        .map_err(|error| error.to_string())?;
    Ok((
        response.status,
        String::from_utf8_lossy(&response.body).into_owned(),
    ))
}

fn token_pair(
    pairs: &[(String, String)],
    step: &'static str,
) -> Result<TokenCredentials, OAuthError> {
    let field = |name: &str| {
        pairs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    match (field("oauth_token"), field("oauth_token_secret")) {
        (Some(token), Some(secret)) if !token.is_empty() => Ok(TokenCredentials { token, secret }),
        _ => Err(OAuthError::Transport {
            step,
            detail: "the provider's answer has no oauth_token and oauth_token_secret".into(),
        }),
    }
}

/// A pasted line: the redirected URL, or just the verifier (PIN).
fn parse_pasted(text: &str) -> Result<Vec<(String, String)>, OAuthError> {
    let text = text.trim();
    match Url::parse(text) {
        Ok(url) => Ok(url.query_pairs().into_owned().collect()),
        Err(_) => Ok(vec![("oauth_verifier".to_owned(), text.to_owned())]),
    }
}

/// Whether a callback names this flow's request token (`oauth_token`, or `denied` when the user
/// refused); others' callbacks are ignored by the listener.
fn names_request_token(params: &[(String, String)], request_token: &str) -> bool {
    params
        .iter()
        .any(|(name, value)| (name == "oauth_token" || name == "denied") && value == request_token)
}

/// Checks the callback's `oauth_token` (when present) and returns its verifier.
pub fn verifier_from_callback(
    params: &[(String, String)],
    request_token: &str,
) -> Result<String, OAuthError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    if let Some(problem) = get("error").or(get("denied").map(|_| "access denied")) {
        return Err(OAuthError::Provider {
            step: "authorization",
            code: problem.to_owned(),
            description: get("error_description").map(str::to_owned),
        });
    }
    if get("oauth_token").is_some_and(|token| token != request_token) {
        return Err(OAuthError::Callback(
            "the callback is for another authorization (its oauth_token does not match); \
             nothing was changed. Run the authorization again"
                .into(),
        ));
    }
    get("oauth_verifier")
        .filter(|v| !v.is_empty())
        .map(str::to_owned)
        .ok_or_else(|| {
            OAuthError::Callback(
                "the callback carries no oauth_verifier; nothing was changed".into(),
            )
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn pairs(list: &[(&str, &str)]) -> Vec<(String, String)> {
        list.iter()
            .map(|(k, v)| ((*k).into(), (*v).into()))
            .collect()
    }

    #[test]
    fn callback_checks() {
        let ok = verifier_from_callback(
            &pairs(&[("oauth_token", "t"), ("oauth_verifier", "v")]),
            "t",
        );
        assert_eq!(ok.unwrap(), "v");
        let other = verifier_from_callback(
            &pairs(&[("oauth_token", "x"), ("oauth_verifier", "v")]),
            "t",
        );
        assert!(other
            .unwrap_err()
            .to_string()
            .contains("oauth_token does not match"));
        let denied = verifier_from_callback(&pairs(&[("denied", "t")]), "t");
        assert_eq!(
            denied.unwrap_err().to_string(),
            "the provider rejected the authorization: access denied"
        );
        let none = verifier_from_callback(&pairs(&[("oauth_token", "t")]), "t");
        assert!(none.unwrap_err().to_string().contains("no oauth_verifier"));
    }

    #[test]
    fn pasted_pin_or_url() {
        assert_eq!(
            parse_pasted(" 12345 ").unwrap(),
            pairs(&[("oauth_verifier", "12345")])
        );
        assert_eq!(
            parse_pasted("http://127.0.0.1:9/cb?oauth_token=a&oauth_verifier=b").unwrap(),
            pairs(&[("oauth_token", "a"), ("oauth_verifier", "b")])
        );
    }

    #[test]
    fn token_answers_must_hold_both_values() {
        let error = token_pair(&pairs(&[("oauth_token", "t")]), "request token").unwrap_err();
        assert_eq!(
            error.to_string(),
            "request token failed: the provider's answer has no oauth_token and oauth_token_secret"
        );
    }
}
