//! Obtaining tokens: authorization code with PKCE and a loopback redirect (RFC 6749 §4.1,
//! RFC 7636, RFC 8252), client credentials (§4.4) and the device grant (RFC 8628).

use std::sync::mpsc;
use std::time::{Duration, Instant};

use oauth2::{AuthorizationCode, CsrfToken, PkceCodeVerifier, Scope};
use url::Url;

use super::client::{log_token_request, Endpoints, TokenEndpoint};
use super::error::{from_device_error, from_token_error, OAuthError};
use super::http::OAuthHttp;
use super::loopback::{LoopbackListener, RedirectFilter};
use super::pkce;
use super::tokens::{TokenSet, DEFAULT_CLIENT_CREDENTIALS_LIFETIME, DEFAULT_USER_TOKEN_LIFETIME};
use super::ui::{may_open, printable, AuthorizationUi};

/// How long the user has to complete the browser part by default.
pub const DEFAULT_AUTHORIZE_TIMEOUT: Duration = Duration::from_secs(300);
/// How often a pasted redirect is looked for while listening.
const PASTE_POLL: Duration = Duration::from_millis(100);

/// Options of the authorization-code flow.
#[derive(Clone, Copy, Debug)]
pub struct CodeFlowOptions {
    /// Listen on this port instead of an ephemeral one.
    pub port: Option<u16>,
    /// How long to wait for the redirect.
    pub timeout: Duration,
}

impl Default for CodeFlowOptions {
    fn default() -> Self {
        CodeFlowOptions {
            port: None,
            timeout: DEFAULT_AUTHORIZE_TIMEOUT,
        }
    }
}

/// Runs the authorization-code flow: listen on the loopback, show the authorize URL (with
/// PKCE S256 and a random state), wait for the redirect (or a pasted URL), check the state
/// and exchange the code.
pub fn authorization_code(
    endpoints: &Endpoints,
    scopes: &[String],
    options: CodeFlowOptions,
    ui: &mut dyn AuthorizationUi,
) -> Result<TokenSet, OAuthError> {
    let listener = LoopbackListener::bind(options.port)?;
    let pending = begin_code(endpoints, scopes, &listener.redirect_uri())?;
    let launch = listener.start_url(&pending.authorize_url);
    ui.present_authorize_url_via(&pending.authorize_url, &launch);
    let params = wait_for_redirect(
        &listener,
        ui.pasted_redirects(),
        options.timeout,
        parse_pasted,
        &|params| carries_state(params, &pending.state),
    )?;
    finish_code(endpoints, &pending, &params)
}

/// An authorization-code grant waiting for the provider's redirect: the URL to send the
/// browser to, and what the exchange needs (state, PKCE verifier, redirect URI). Its `Debug`
/// shows none of them.
pub struct PendingCode {
    /// The provider's authorize URL with every parameter (state and PKCE challenge included).
    pub authorize_url: String,
    state: String,
    verifier: Option<String>,
    redirect_uri: String,
}

impl std::fmt::Debug for PendingCode {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("PendingCode { .. }")
    }
}

impl PendingCode {
    /// Whether a redirect carries this grant's `state` (compared in constant time).
    pub fn matches(&self, params: &[(String, String)]) -> bool {
        carries_state(params, &self.state)
    }
}

/// Starts the authorization-code flow for a redirect to `redirect_uri` (the CLI's loopback
/// listener, or the Connections page's own callback): builds the authorize URL with PKCE S256
/// and a random state.
pub fn begin_code(
    endpoints: &Endpoints,
    scopes: &[String],
    redirect_uri: &str,
) -> Result<PendingCode, OAuthError> {
    let client = endpoints.client(TokenEndpoint::Token, Some(redirect_uri))?;
    let mut request = client.authorize_url(CsrfToken::new_random).map_err(|_| {
        OAuthError::Config(
            "the service has no authorize URL; set one with --authorize-url".to_owned(),
        )
    })?;
    if let Some(scope) = endpoints.scope_join.join(scopes) {
        request = request.add_scope(Scope::new(scope));
    }
    for (name, value) in &endpoints.auth_params {
        check_extra_param(name)?;
        request = request.add_extra_param(name.as_str(), value.as_str());
    }
    let verifier = if endpoints.pkce {
        let (challenge, verifier) = pkce::new_s256();
        request = request.set_pkce_challenge(challenge);
        Some(verifier.into_secret())
    } else {
        None
    };
    let (url, state) = request.url();
    Ok(PendingCode {
        authorize_url: url.to_string(),
        state: state.secret().clone(),
        verifier,
        redirect_uri: redirect_uri.to_owned(),
    })
}

/// Finishes the flow with the redirect's query parameters: checks the state, then exchanges
/// the code (with the PKCE verifier) for tokens.
pub fn finish_code(
    endpoints: &Endpoints,
    pending: &PendingCode,
    params: &[(String, String)],
) -> Result<TokenSet, OAuthError> {
    let code = code_from_redirect(params, &pending.state)?;
    let client = endpoints.client(TokenEndpoint::Token, Some(&pending.redirect_uri))?;
    log_token_request("exchanging the authorization code", &endpoints.token_url);
    let mut exchange = client
        .exchange_code(AuthorizationCode::new(code))
        .map_err(|_| OAuthError::Config("the service has no token URL".to_owned()))?;
    if let Some(verifier) = &pending.verifier {
        exchange = exchange.set_pkce_verifier(PkceCodeVerifier::new(verifier.clone()));
    }
    let response = exchange
        .request(&OAuthHttp::new())
        .map_err(|e| from_token_error("authorization code exchange", e))?;
    token_set(
        &response,
        DEFAULT_USER_TOKEN_LIFETIME,
        "authorization code exchange",
    )
}

/// Authorize-URL parameters that dlg sets itself and a service may not override.
const RESERVED_AUTHORIZE_PARAMS: [&str; 7] = [
    "response_type",
    "client_id",
    "redirect_uri",
    "scope",
    "state",
    "code_challenge",
    "code_challenge_method",
];

fn check_extra_param(name: &str) -> Result<(), OAuthError> {
    if RESERVED_AUTHORIZE_PARAMS.contains(&name) {
        return Err(OAuthError::Config(format!(
            "the service's extra authorize parameter \"{name}\" is set by dlg itself; remove it \
             from the service (scopes go on the connection with --scope)"
        )));
    }
    Ok(())
}

/// The query parameters of a redirect back from the provider.
pub type RedirectParams = Vec<(String, String)>;

/// Waits for the flow's own redirect on the listener (one `is_ours` accepts; others are
/// ignored) or a pasted line (read by `parse`), whichever comes first.
pub fn wait_for_redirect(
    listener: &LoopbackListener,
    pasted: Option<mpsc::Receiver<String>>,
    timeout: Duration,
    parse: fn(&str) -> Result<RedirectParams, OAuthError>,
    is_ours: RedirectFilter<'_>,
) -> Result<Vec<(String, String)>, OAuthError> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(line) = pasted
            .as_ref()
            .and_then(|receiver| receiver.try_recv().ok())
        {
            return parse(&line);
        }
        let now = Instant::now();
        if now >= deadline {
            return Err(OAuthError::Timeout {
                waiting_for:
                    "the provider's redirect (run `dlg connection authorize` again to retry)",
                seconds: timeout.as_secs(),
            });
        }
        if let Some(params) = listener.wait((now + PASTE_POLL).min(deadline), is_ours) {
            return Ok(params);
        }
    }
}

/// Reads the query parameters of a pasted redirect URL.
pub fn parse_pasted(text: &str) -> Result<Vec<(String, String)>, OAuthError> {
    let url = Url::parse(text.trim()).map_err(|e| {
        OAuthError::Callback(format!(
            "the pasted text is not a URL ({e}); paste the whole address your browser was \
             redirected to, starting with http://127.0.0.1"
        ))
    })?;
    Ok(url.query_pairs().into_owned().collect())
}

/// Checks the redirect's state and returns its code, or explains the error it carries.
pub fn code_from_redirect(
    params: &[(String, String)],
    expected_state: &str,
) -> Result<String, OAuthError> {
    let get = |name: &str| {
        params
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    };
    match get("state") {
        Some(state) if constant_time_eq(state.as_bytes(), expected_state.as_bytes()) => {}
        Some(_) => {
            return Err(OAuthError::Callback(
                "the redirect's state does not match the one this authorization sent (a stale \
                 or forged redirect); nothing was changed. Run the authorization again"
                    .to_owned(),
            ))
        }
        None => {
            return Err(OAuthError::Callback(
                "the redirect carries no state parameter, so it cannot be trusted; nothing was \
                 changed. Run the authorization again"
                    .to_owned(),
            ))
        }
    }
    if let Some(code) = get("error") {
        return Err(OAuthError::Provider {
            step: "authorization",
            code: code.to_owned(),
            description: get("error_description").map(str::to_owned),
        });
    }
    get("code").map(str::to_owned).ok_or_else(|| {
        OAuthError::Callback(
            "the redirect carries neither a code nor an error; nothing was changed".to_owned(),
        )
    })
}

/// Whether a redirect carries the `state` this authorization sent (compared in constant time).
pub fn carries_state(params: &[(String, String)], expected_state: &str) -> bool {
    params
        .iter()
        .find(|(name, _)| name == "state")
        .is_some_and(|(_, state)| constant_time_eq(state.as_bytes(), expected_state.as_bytes()))
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Requests a token with the client-credentials grant.
pub fn client_credentials(
    endpoints: &Endpoints,
    scopes: &[String],
) -> Result<TokenSet, OAuthError> {
    let client = endpoints.client(TokenEndpoint::Token, None)?;
    let mut request = client
        .exchange_client_credentials()
        .map_err(|_| OAuthError::Config("the service has no token URL".to_owned()))?;
    if let Some(scope) = endpoints.scope_join.join(scopes) {
        request = request.add_scope(Scope::new(scope));
    }
    log_token_request(
        "requesting a token (client credentials)",
        &endpoints.token_url,
    );
    let response = request
        .request(&OAuthHttp::new())
        .map_err(|e| from_token_error("client credentials request", e))?;
    token_set(
        &response,
        DEFAULT_CLIENT_CREDENTIALS_LIFETIME,
        "client credentials request",
    )
}

/// The least time between two polls of the token endpoint in the device grant, whatever the
/// provider says (RFC 8628 §3.5's default; `interval: 0` would mean thousands of requests a
/// second).
pub const MIN_DEVICE_POLL_INTERVAL: Duration = Duration::from_secs(5);
/// How long the device grant waits for approval by default, however long the provider lets
/// the code live.
pub const DEFAULT_DEVICE_MAX_WAIT: Duration = Duration::from_secs(15 * 60);

/// Options of the device grant.
#[derive(Clone, Copy, Debug)]
pub struct DeviceFlowOptions {
    /// Give up after this long without approval (or earlier, when the code expires).
    pub max_wait: Duration,
}

impl Default for DeviceFlowOptions {
    fn default() -> Self {
        DeviceFlowOptions {
            max_wait: DEFAULT_DEVICE_MAX_WAIT,
        }
    }
}

/// Runs the device grant: request a device code, show it (control characters removed; a
/// complete URI is offered only when `https`, or `http` to this machine), poll the token
/// endpoint every `interval` seconds but never more often than every 5 s (`slow_down` adds
/// 5 s), until the user approves, denies, the code expires or `options.max_wait` has passed.
pub fn device(
    endpoints: &Endpoints,
    scopes: &[String],
    options: DeviceFlowOptions,
    ui: &mut dyn AuthorizationUi,
) -> Result<TokenSet, OAuthError> {
    let client = endpoints.client(TokenEndpoint::Token, None)?;
    let mut request = client.exchange_device_code().map_err(|_| {
        OAuthError::Config(
            "the service has no device authorization URL; set one with --device-url".to_owned(),
        )
    })?;
    if let Some(scope) = endpoints.scope_join.join(scopes) {
        request = request.add_scope(Scope::new(scope));
    }
    let http = OAuthHttp::new();
    let details: oauth2::StandardDeviceAuthorizationResponse = request
        .request(&http)
        .map_err(|e| from_token_error("device authorization request", e))?;
    let details = with_min_interval(details)?;
    let complete = details
        .verification_uri_complete()
        .map(|uri| uri.secret().as_str())
        .filter(|uri| may_open(uri))
        .map(printable);
    ui.present_device_code(
        &printable(details.user_code().secret()),
        &printable(details.verification_uri().as_str()),
        complete.as_deref(),
    );
    let max_wait = options.max_wait.min(details.expires_in());
    let deadline = Instant::now().checked_add(max_wait).ok_or_else(|| {
        OAuthError::Config(format!(
            "cannot wait {} s for the device approval; give a shorter --max-wait",
            max_wait.as_secs()
        ))
    })?;
    let result = client
        .exchange_device_access_token(&details)
        .map_err(|_| OAuthError::Config("the service has no token URL".to_owned()))?
        .request(
            &http,
            |pause| sleep_until_at_most(pause, deadline),
            Some(max_wait),
        )
        .map_err(|e| from_device_error("device authorization", e));
    let response = match result {
        Err(_) if max_wait < details.expires_in() && Instant::now() >= deadline => {
            return Err(OAuthError::Timeout {
                waiting_for: "the device approval (wait longer with --max-wait SECONDS)",
                seconds: max_wait.as_secs(),
            });
        }
        other => other?,
    };
    token_set(
        &response,
        DEFAULT_USER_TOKEN_LIFETIME,
        "device authorization",
    )
}

/// The device-authorization response with its polling interval raised to at least
/// [`MIN_DEVICE_POLL_INTERVAL`].
fn with_min_interval(
    details: oauth2::StandardDeviceAuthorizationResponse,
) -> Result<oauth2::StandardDeviceAuthorizationResponse, OAuthError> {
    let unreadable = |e: serde_json::Error| OAuthError::Transport {
        step: "device authorization request",
        detail: format!("unreadable device authorization response: {e}"),
    };
    let mut json = serde_json::to_value(&details).map_err(unreadable)?;
    let floor = MIN_DEVICE_POLL_INTERVAL.as_secs();
    if let Some(fields) = json.as_object_mut() {
        let interval = fields
            .get("interval")
            .and_then(serde_json::Value::as_u64)
            .unwrap_or(floor);
        fields.insert("interval".into(), interval.max(floor).into());
    }
    serde_json::from_value(json).map_err(unreadable)
}

/// Sleeps for `pause`, but not past `deadline`: the total wait stays within its cap.
fn sleep_until_at_most(pause: Duration, deadline: Instant) {
    let now = Instant::now();
    if now < deadline {
        std::thread::sleep(pause.min(deadline - now));
    }
}

/// Reads a token response received now, or explains why it cannot be used.
fn token_set(
    response: &super::tokens::TokenResponse,
    default_lifetime: Duration,
    step: &'static str,
) -> Result<TokenSet, OAuthError> {
    TokenSet::from_response(response, super::now(), default_lifetime)
        .map_err(|detail| OAuthError::Transport { step, detail })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect()
    }

    #[test]
    fn redirect_with_matching_state_yields_the_code() {
        let code = code_from_redirect(&params(&[("code", "c1"), ("state", "s1")]), "s1");
        assert_eq!(code.unwrap(), "c1");
    }

    #[test]
    fn wrong_or_missing_state_is_refused() {
        let error =
            code_from_redirect(&params(&[("code", "c1"), ("state", "evil")]), "s1").unwrap_err();
        assert!(
            error.to_string().contains("state does not match"),
            "{error}"
        );
        let error = code_from_redirect(&params(&[("code", "c1")]), "s1").unwrap_err();
        assert!(error.to_string().contains("no state parameter"), "{error}");
    }

    #[test]
    fn error_redirect_is_reported_with_its_description() {
        let error = code_from_redirect(
            &params(&[
                ("error", "access_denied"),
                ("error_description", "End-User aborted interaction"),
                ("state", "s1"),
            ]),
            "s1",
        )
        .unwrap_err();
        assert_eq!(
            error.to_string(),
            "the provider rejected the authorization: access_denied (End-User aborted interaction)"
        );
    }

    #[test]
    fn reserved_authorize_parameters_are_refused() {
        assert!(check_extra_param("access_type").is_ok());
        let error = check_extra_param("state").unwrap_err();
        assert!(
            error.to_string().contains("\"state\" is set by dlg itself"),
            "{error}"
        );
    }

    #[test]
    fn pasted_text_must_be_a_url() {
        let pairs = parse_pasted(" http://127.0.0.1:5000/cb?code=a&state=b \n").unwrap();
        assert_eq!(pairs, params(&[("code", "a"), ("state", "b")]));
        let error = parse_pasted("a-code-only").unwrap_err();
        assert!(
            error.to_string().contains("paste the whole address"),
            "{error}"
        );
    }
}
