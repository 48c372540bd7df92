//! OAuth 2 connections in the store: authorizing, keeping tokens fresh (refresh before use and
//! once after a 401, single-flight across threads and processes), injecting the token, and
//! revoking.
//!
//! Refresh protocol (connections.md §3): take the in-process mutex for the connection, then its
//! lock file (`locks/<link>.lock`), re-read the store, and refresh only if the stored token still
//! needs it. A rotated refresh token is written to the store (atomic rename) before the new
//! access token is used. `invalid_grant` marks the connection `needs_reauth`.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};

use jiff::{SignedDuration, Timestamp};

use super::client::{Endpoints, ScopeJoin};
use super::error::OAuthError;
use super::flow::{self, CodeFlowOptions, DeviceFlowOptions, PendingCode};
use super::refresh::refresh;
use super::revoke::{revoke, Revocation, TokenKind};
use super::tokens::TokenSet;
use super::ui::AuthorizationUi;
use crate::connections::ConnectionError;
use crate::connections::inject::add_header;
use crate::connections::model::{
    now, AuthSpec, ClientAuth, Connection, Credentials, Grant, OAuth2Spec, ScopeDelimiter, Service,
    ServiceSecrets, Status,
};
use crate::connections::secret::Secret;
use crate::connections::store::{Snapshot, Store};
use crate::http::request::HttpRequest;

/// Refresh when the access token has less than this left, or a tenth of its lifetime when that
/// is smaller (a token that lives 5 s is renewed in its last half second, not always).
pub const REFRESH_MARGIN: Duration = Duration::from_secs(60);
/// After a refresh caused by a 401, further 401s of the same connection within this window are
/// returned to the script without refreshing again (in this process): a host that rejects every
/// token costs one refresh a minute, not one per call.
pub const UNAUTHORIZED_REFRESH_INTERVAL: Duration = Duration::from_secs(60);
/// After a failed refresh (other than `invalid_grant`), wait this long before trying again.
pub const REFRESH_COOLDOWN: Duration = Duration::from_secs(30);
/// Test hook: milliseconds to wait while holding a connection's refresh lock.
pub const HOLD_REFRESH_LOCK_ENV: &str = "DLG_TEST_HOLD_REFRESH_LOCK_MS";

/// The endpoints and client of an OAuth 2 service.
pub fn endpoints(spec: &OAuth2Spec, secrets: &ServiceSecrets) -> Endpoints {
    Endpoints {
        client_id: spec.client_id.clone(),
        client_secret: secrets.client_secret.clone(),
        authorize_url: spec.authorize_url.clone(),
        token_url: spec.token_url.clone(),
        refresh_url: spec.refresh_url.clone(),
        revoke_url: spec.revoke_url.clone(),
        device_url: spec.device_url.clone(),
        scope_join: match spec.scope_delimiter {
            ScopeDelimiter::Comma => ScopeJoin::Comma,
            ScopeDelimiter::Space => ScopeJoin::Space,
            ScopeDelimiter::Plus => ScopeJoin::Plus,
        },
        basic_client_auth: spec.client_auth == ClientAuth::Basic,
        pkce: spec.pkce,
        auth_params: spec
            .auth_params
            .iter()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect(),
    }
}

/// Options of `dlg connection authorize` for OAuth 2.
#[derive(Clone, Copy, Debug, Default)]
pub struct AuthorizeOptions {
    /// The authorization-code flow's options (port, timeout).
    pub code_flow: CodeFlowOptions,
    /// The device grant's options (how long to wait for approval).
    pub device: DeviceFlowOptions,
}

/// Runs the service's grant for connection `link_name` and stores the tokens. On any failure
/// the stored connection is left exactly as it was.
pub fn authorize_connection(
    store: &Store,
    link_name: &str,
    options: AuthorizeOptions,
    ui: &mut dyn AuthorizationUi,
) -> Result<(), ConnectionError> {
    let (connection, spec, endpoints) = grant_parts(store, link_name)?;
    let scopes = connection.scopes.clone();
    let obtained = match spec.grant {
        Grant::AuthorizationCode => {
            flow::authorization_code(&endpoints, &scopes, options.code_flow, ui)
        }
        Grant::ClientCredentials => flow::client_credentials(&endpoints, &scopes),
        Grant::Device => flow::device(&endpoints, &scopes, options.device, ui),
    };
    let tokens = obtained.map_err(|error| flow_failed(link_name, "authorization", &error))?;
    save_tokens(store, link_name, &tokens)
}

/// Starts authorizing `link_name` (an authorization-code service) with the provider redirecting
/// to `redirect_uri`, a web page's own callback; finish with [`finish_authorization`].
pub fn begin_authorization(
    store: &Store,
    link_name: &str,
    redirect_uri: &str,
) -> Result<PendingCode, ConnectionError> {
    let (connection, spec, endpoints) = grant_parts(store, link_name)?;
    if spec.grant != Grant::AuthorizationCode {
        return Err(ConnectionError::InvalidInput(format!(
            "connection \"{link_name}\" uses the {} grant, which has no redirect back to a page",
            spec.grant.as_str()
        )));
    }
    flow::begin_code(&endpoints, &connection.scopes, redirect_uri)
        .map_err(|error| flow_failed(link_name, "authorization", &error))
}

/// Finishes [`begin_authorization`] with the redirect's query parameters and stores the
/// tokens. On any failure the stored connection is left exactly as it was.
pub fn finish_authorization(
    store: &Store,
    link_name: &str,
    pending: &PendingCode,
    params: &[(String, String)],
) -> Result<(), ConnectionError> {
    let (_, _, endpoints) = grant_parts(store, link_name)?;
    let tokens = flow::finish_code(&endpoints, pending, params)
        .map_err(|error| flow_failed(link_name, "authorization", &error))?;
    save_tokens(store, link_name, &tokens)
}

/// The connection, its service's OAuth 2 settings and endpoints; refuses a service without a
/// client id.
fn grant_parts(
    store: &Store,
    link_name: &str,
) -> Result<(Connection, OAuth2Spec, Endpoints), ConnectionError> {
    let snapshot = store.load()?;
    let (connection, spec, secrets) = oauth2_parts(&snapshot, link_name)?;
    if spec.client_id.trim().is_empty() {
        return Err(ConnectionError::InvalidInput(format!(
            "service \"{}\" has no OAuth client id; register an app with the provider and give \
             its client id (and secret) to the service before authorizing \"{link_name}\"",
            connection.service
        )));
    }
    let endpoints = endpoints(&spec, &secrets);
    Ok((connection, spec, endpoints))
}

/// Stores fresh tokens of `link_name` and marks it connected.
fn save_tokens(store: &Store, link_name: &str, tokens: &TokenSet) -> Result<(), ConnectionError> {
    let _lock = store.lock_connection(link_name)?;
    store.update(|tx| {
        let credentials = credentials_from(tokens, None);
        tx.set_credentials(link_name, Some(&credentials))?;
        let connection = tx.connection_mut(link_name)?;
        let at = now();
        connection.status = Status::Connected;
        connection.authorized_at = Some(at);
        connection.updated_at = at;
        record_success(connection, tokens, at);
        Ok(())
    })
}

fn flow_failed(link_name: &str, step: &str, error: &OAuthError) -> ConnectionError {
    ConnectionError::OAuth {
        link_name: link_name.to_owned(),
        message: format!("{step} failed: {error}; the connection was left unchanged"),
    }
}

fn oauth2_parts(
    snapshot: &Snapshot,
    link_name: &str,
) -> Result<(Connection, OAuth2Spec, ServiceSecrets), ConnectionError> {
    let connection = snapshot.require_connection(link_name)?.clone();
    let service =
        snapshot
            .service(&connection.service)
            .ok_or_else(|| ConnectionError::MissingService {
                link_name: link_name.to_owned(),
                service: connection.service.clone(),
            })?;
    let spec = oauth2_spec(service).ok_or_else(|| {
        ConnectionError::InvalidInput(format!(
            "connection \"{link_name}\" does not use OAuth 2 (its service \"{}\" uses {})",
            service.link_name,
            service.auth.kind().title()
        ))
    })?;
    let secrets = snapshot.service_secrets(&service.link_name)?;
    Ok((connection, spec, secrets))
}

fn oauth2_spec(service: &Service) -> Option<OAuth2Spec> {
    match &service.auth {
        AuthSpec::OAuth2(spec) => Some(spec.clone()),
        _ => None,
    }
}

/// Stored credentials from a token response; keeps `previous_refresh` when none was issued.
fn credentials_from(tokens: &TokenSet, previous_refresh: Option<Secret>) -> Credentials {
    Credentials::OAuth2 {
        access_token: Secret::new(tokens.access_token.clone()),
        refresh_token: tokens
            .refresh_token
            .clone()
            .map(Secret::new)
            .or(previous_refresh),
        token_type: Some(tokens.token_type.clone()),
        metadata: tokens.metadata.clone(),
    }
}

fn record_success(connection: &mut Connection, tokens: &TokenSet, at: Timestamp) {
    connection.expires_at = Some(tokens.expires_at);
    connection.last_refresh_at = Some(at);
    connection.last_refresh_error = None;
    connection.refresh_failures = 0;
}

/// Adds `Authorization: <prefix> <access token>` to `request`.
pub fn inject(
    link_name: &str,
    spec: &OAuth2Spec,
    credentials: &Credentials,
    request: &mut HttpRequest,
) -> Result<(), ConnectionError> {
    let Credentials::OAuth2 { access_token, .. } = credentials else {
        return Err(mismatch(link_name));
    };
    let value = Secret::new(format!("{} {}", spec.token_prefix, access_token.expose()));
    add_header(link_name, request, "Authorization", &value)
}

fn mismatch(link_name: &str) -> ConnectionError {
    ConnectionError::UnusableCredential {
        link_name: link_name.into(),
        field: "credentials".into(),
        reason: "do not match the service's authentication type (OAuth 2)".into(),
    }
}

/// The connection's credentials, refreshed first when the access token is about to expire.
pub fn fresh_credentials(
    store: &Store,
    snapshot: &Snapshot,
    link_name: &str,
) -> Result<Credentials, ConnectionError> {
    let connection = snapshot.require_connection(link_name)?;
    let credentials =
        snapshot
            .credentials(link_name)?
            .ok_or_else(|| ConnectionError::NotConnected {
                link_name: link_name.to_owned(),
            })?;
    if !needs_refresh(connection, now()) {
        return Ok(credentials);
    }
    let Credentials::OAuth2 { access_token, .. } = &credentials else {
        return Err(mismatch(link_name));
    };
    let seen = access_token.expose().to_owned();
    refresh_single_flight(store, link_name, Trigger::Expiry(seen)).map(Renewal::into_credentials)
}

/// After an HTTP 401: refresh once (unless another thread or process already did) and say
/// whether the request is worth retrying.
pub fn renew_after_unauthorized(store: &Store, link_name: &str) -> Result<bool, ConnectionError> {
    let snapshot = store.load()?;
    let Some(connection) = snapshot.connection(link_name) else {
        return Ok(false);
    };
    let oauth2 = snapshot
        .service(&connection.service)
        .is_some_and(|service| matches!(service.auth, AuthSpec::OAuth2(_)));
    if !oauth2 || connection.status != Status::Connected {
        return Ok(false);
    }
    let Some(Credentials::OAuth2 { access_token, .. }) = snapshot.credentials(link_name)? else {
        return Ok(false);
    };
    let rejected = access_token.expose().to_owned();
    refresh_single_flight(store, link_name, Trigger::Rejected(rejected))
        .map(|renewal| matches!(renewal, Renewal::Renewed(_)))
}

/// Why a refresh is attempted.
enum Trigger {
    /// The stored token is (about to be) expired; holds the token seen before waiting for the
    /// lock, so that a token another process stored meanwhile is used instead of refreshed.
    Expiry(String),
    /// The provider rejected this access token.
    Rejected(String),
}

fn needs_refresh(connection: &Connection, at: Timestamp) -> bool {
    connection
        .expires_at
        .is_some_and(|expires| expires.duration_since(at) < refresh_margin(connection))
}

/// The smaller of [`REFRESH_MARGIN`] and a tenth of the token's lifetime (from its last refresh
/// to its expiry), never negative.
fn refresh_margin(connection: &Connection) -> SignedDuration {
    let most = SignedDuration::try_from(REFRESH_MARGIN).unwrap_or(SignedDuration::ZERO);
    let Some((obtained, expires)) = connection.last_refresh_at.zip(connection.expires_at) else {
        return most;
    };
    let tenth = expires.duration_since(obtained) / 10;
    tenth.clamp(SignedDuration::ZERO, most)
}

/// Whether a 401 may trigger a refresh of this connection now; records the attempt when it may.
fn unauthorized_refresh_allowed(store: &Store, link_name: &str) -> bool {
    type Attempts = HashMap<(String, String), Instant>;
    static LAST: OnceLock<Mutex<Attempts>> = OnceLock::new();
    let mut last = LAST
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let key = (store.describe(), link_name.to_owned());
    if last
        .get(&key)
        .is_some_and(|at| at.elapsed() < UNAUTHORIZED_REFRESH_INTERVAL)
    {
        return false;
    }
    last.insert(key, Instant::now());
    true
}

/// One refresh mutex per (store, connection link name).
type LockTable = HashMap<(String, String), Arc<Mutex<()>>>;

/// The in-process half of the single-flight lock: one mutex per (store, connection).
fn process_lock(store: &Store, link_name: &str) -> Arc<Mutex<()>> {
    static LOCKS: OnceLock<Mutex<LockTable>> = OnceLock::new();
    let mut locks = LOCKS
        .get_or_init(Mutex::default)
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    Arc::clone(
        locks
            .entry((store.describe(), link_name.to_owned()))
            .or_default(),
    )
}

/// The outcome of a renewal attempt.
enum Renewal {
    /// Fresh credentials (refreshed here, or by another thread or process meanwhile).
    Renewed(Credentials),
    /// The token cannot be renewed (no refresh token) but is not known to be expired.
    NotPossible(Credentials),
}

impl Renewal {
    fn into_credentials(self) -> Credentials {
        match self {
            Renewal::Renewed(credentials) | Renewal::NotPossible(credentials) => credentials,
        }
    }
}

fn refresh_single_flight(
    store: &Store,
    link_name: &str,
    trigger: Trigger,
) -> Result<Renewal, ConnectionError> {
    let mutex = process_lock(store, link_name);
    let _thread_guard = mutex
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let _store_guard = store.lock_connection(link_name)?;
    hold_for_tests(link_name);
    let snapshot = store.load()?;
    let (connection, spec, secrets) = oauth2_parts(&snapshot, link_name)?;
    let credentials =
        snapshot
            .credentials(link_name)?
            .ok_or_else(|| ConnectionError::NotConnected {
                link_name: link_name.to_owned(),
            })?;
    let Credentials::OAuth2 {
        access_token,
        refresh_token,
        ..
    } = &credentials
    else {
        return Err(mismatch(link_name));
    };
    check_usable(&connection)?;
    let at = now();
    let already_done = match &trigger {
        Trigger::Expiry(seen) => {
            !needs_refresh(&connection, at)
                || (access_token.expose() != seen
                    && connection.expires_at.is_none_or(|expires| expires > at))
        }
        Trigger::Rejected(rejected) => access_token.expose() != rejected,
    };
    if already_done {
        return Ok(Renewal::Renewed(credentials));
    }
    if matches!(trigger, Trigger::Rejected(_)) && !unauthorized_refresh_allowed(store, link_name) {
        log::debug!(
            "connection \"{link_name}\": the host rejected a token renewed less than {} s \
             ago; not renewing again yet",
            UNAUTHORIZED_REFRESH_INTERVAL.as_secs()
        );
        return Ok(Renewal::NotPossible(credentials));
    }
    check_cooldown(&connection, at)?;
    let endpoints = endpoints(&spec, &secrets);
    let why = match &trigger {
        Trigger::Expiry(_) => "the access token expired",
        Trigger::Rejected(_) => "the provider rejected the access token",
    };
    log::debug!("connection \"{link_name}\": {why}; renewing it");
    let result = match (refresh_token, spec.grant) {
        (Some(refresh_token), _) => refresh(&endpoints, refresh_token.expose()),
        (None, Grant::ClientCredentials) => {
            flow::client_credentials(&endpoints, &connection.scopes)
        }
        (None, _) if connection.expires_at.is_some_and(|e| e <= at) => {
            return Err(mark_needs_reauth(
                store,
                link_name,
                "the access token expired and the provider issued no refresh token",
            )?)
        }
        // Not renewable, but not known to be dead either: use it, or do not retry.
        (None, _) => return Ok(Renewal::NotPossible(credentials)),
    };
    super::renewals::record(result.is_ok());
    match &result {
        Ok(_) => log::debug!("connection \"{link_name}\": access token renewed"),
        Err(error) => log::debug!("connection \"{link_name}\": renewal failed: {error}"),
    }
    match result {
        Ok(tokens) => persist_refreshed(store, link_name, &tokens, refresh_token.clone())
            .map(Renewal::Renewed),
        Err(error) if error.is_invalid_grant() => Err(mark_needs_reauth(
            store,
            link_name,
            "the provider rejected the refresh token (invalid_grant)",
        )?),
        Err(error) => Err(record_failure(store, link_name, &error)?),
    }
}

/// Test hook: with `DLG_TEST_HOLD_REFRESH_LOCK_MS` set, waits that long holding the refresh
/// lock (after saying so on standard error), so that tests can kill a process holding it.
fn hold_for_tests(link_name: &str) {
    let Some(millis) = std::env::var(HOLD_REFRESH_LOCK_ENV)
        .ok()
        .and_then(|value| value.parse::<u64>().ok())
    else {
        return;
    };
    eprintln!("dlg: test hook: holding the refresh lock of \"{link_name}\" for {millis} ms");
    std::thread::sleep(std::time::Duration::from_millis(millis));
}

fn check_usable(connection: &Connection) -> Result<(), ConnectionError> {
    let link_name = connection.link_name.clone();
    match connection.status {
        Status::Connected => Ok(()),
        Status::NotConnected => Err(ConnectionError::NotConnected { link_name }),
        Status::Disconnected => Err(ConnectionError::Revoked { link_name }),
        Status::NeedsReauth => Err(ConnectionError::NeedsReauthorization {
            link_name,
            reason: connection
                .last_refresh_error
                .clone()
                .unwrap_or_else(|| "the provider no longer accepts its authorization".into()),
        }),
    }
}

fn check_cooldown(connection: &Connection, at: Timestamp) -> Result<(), ConnectionError> {
    if connection.refresh_failures == 0 {
        return Ok(());
    }
    let cooldown = SignedDuration::try_from(REFRESH_COOLDOWN).unwrap_or(SignedDuration::ZERO);
    let waited = at.duration_since(connection.updated_at);
    if waited >= cooldown {
        return Ok(());
    }
    let left = (cooldown - waited).as_secs().max(1);
    let reason = connection
        .last_refresh_error
        .clone()
        .unwrap_or_else(|| "the last token refresh failed".into());
    Err(ConnectionError::OAuth {
        link_name: connection.link_name.clone(),
        message: format!("token refresh failed ({reason}); retrying after {left} s"),
    })
}

/// Writes the new tokens (the rotated refresh token included) before anyone uses them.
fn persist_refreshed(
    store: &Store,
    link_name: &str,
    tokens: &TokenSet,
    previous_refresh: Option<Secret>,
) -> Result<Credentials, ConnectionError> {
    let credentials = credentials_from(tokens, previous_refresh);
    store.update(|tx| {
        tx.set_credentials(link_name, Some(&credentials))?;
        let connection = tx.connection_mut(link_name)?;
        let at = now();
        connection.updated_at = at;
        record_success(connection, tokens, at);
        Ok(())
    })?;
    Ok(credentials)
}

/// Sets the connection's status to `needs_reauth` with `reason` as its last refresh error;
/// returns the error to report.
pub fn mark_needs_reauth(
    store: &Store,
    link_name: &str,
    reason: &str,
) -> Result<ConnectionError, ConnectionError> {
    store.update(|tx| {
        let connection = tx.connection_mut(link_name)?;
        connection.status = Status::NeedsReauth;
        connection.last_refresh_error = Some(reason.to_owned());
        connection.updated_at = now();
        Ok(())
    })?;
    Ok(ConnectionError::NeedsReauthorization {
        link_name: link_name.to_owned(),
        reason: reason.to_owned(),
    })
}

fn record_failure(
    store: &Store,
    link_name: &str,
    error: &OAuthError,
) -> Result<ConnectionError, ConnectionError> {
    let reason = error.to_string();
    store.update(|tx| {
        let connection = tx.connection_mut(link_name)?;
        connection.last_refresh_error = Some(reason.clone());
        connection.refresh_failures = connection.refresh_failures.saturating_add(1);
        connection.updated_at = now();
        Ok(())
    })?;
    Ok(ConnectionError::OAuth {
        link_name: link_name.to_owned(),
        message: format!(
            "token refresh failed ({reason}); retrying after {} s",
            REFRESH_COOLDOWN.as_secs()
        ),
    })
}

/// What revoking did at the provider.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RemoteRevocation {
    /// The provider revoked the token.
    Revoked,
    /// The service has no revocation URL; tokens were only forgotten locally.
    NoEndpoint,
    /// There was nothing to revoke (never authorized).
    NothingToRevoke,
    /// The provider could not be told; tokens were forgotten locally anyway. Holds why.
    Failed(String),
}

/// Revokes the connection's grant at the provider (best effort: the refresh token if there is
/// one, else the access token), then drops the tokens and marks it disconnected.
pub fn revoke_connection(
    store: &Store,
    link_name: &str,
) -> Result<RemoteRevocation, ConnectionError> {
    let _lock = store.lock_connection(link_name)?;
    let outcome = revoke_remote(store, link_name)?;
    store.update(|tx| {
        tx.set_credentials(link_name, None)?;
        let connection = tx.connection_mut(link_name)?;
        connection.status = Status::Disconnected;
        connection.expires_at = None;
        connection.last_refresh_error = None;
        connection.refresh_failures = 0;
        connection.updated_at = now();
        Ok(())
    })?;
    Ok(outcome)
}

/// Revokes at the provider, then removes the connection from the store.
pub fn delete_connection(
    store: &Store,
    link_name: &str,
) -> Result<RemoteRevocation, ConnectionError> {
    let _lock = store.lock_connection(link_name)?;
    let outcome = revoke_remote(store, link_name)?;
    store.update(|tx| tx.remove_connection(link_name).map(|_| ()))?;
    Ok(outcome)
}

fn revoke_remote(store: &Store, link_name: &str) -> Result<RemoteRevocation, ConnectionError> {
    let snapshot = store.load()?;
    let (_, spec, secrets) = oauth2_parts(&snapshot, link_name)?;
    let Some(Credentials::OAuth2 {
        access_token,
        refresh_token,
        ..
    }) = snapshot.credentials(link_name)?
    else {
        return Ok(RemoteRevocation::NothingToRevoke);
    };
    let endpoints = endpoints(&spec, &secrets);
    let result = match &refresh_token {
        Some(token) => revoke(&endpoints, token.expose(), TokenKind::Refresh),
        None => revoke(&endpoints, access_token.expose(), TokenKind::Access),
    };
    Ok(match result {
        Ok(Revocation::Revoked) => RemoteRevocation::Revoked,
        Ok(Revocation::NoEndpoint) => RemoteRevocation::NoEndpoint,
        Err(error) => RemoteRevocation::Failed(error.to_string()),
    })
}
