//! Who may use the page: the [`Guard`] the embedder injects, and [`LocalSession`], the guard of
//! `dlg ui` (Host check against DNS rebinding, one-time token, session cookie).

use axum::http::request::Parts;
use axum::http::{header, StatusCode};
use base64::Engine as _;
use deluge_lang::connections::Store;
use rand::RngCore;
use std::collections::HashSet;
use std::sync::Mutex;

/// The session cookie `dlg ui` sets.
pub const SESSION_COOKIE: &str = "dlg_ui_session";

/// An admitted request: the store it works on and the session it belongs to (the CSRF tokens
/// and pending authorizations are bound to it).
#[derive(Clone)]
pub struct Admission {
    /// The connection store of this user or tenant.
    pub store: Store,
    /// An unguessable id of the session (never shown).
    pub session: String,
}

/// Why a request was refused; the message is shown on the error page.
#[derive(Debug, Clone)]
pub struct Refusal {
    /// The HTTP status.
    pub status: StatusCode,
    /// What is wrong and how to get in.
    pub message: String,
}

impl Refusal {
    fn forbidden(message: &str) -> Refusal {
        Refusal {
            status: StatusCode::FORBIDDEN,
            message: message.to_owned(),
        }
    }
}

/// Decides who may use the page, over which store.
pub trait Guard: Send + Sync + 'static {
    /// Checks the `Host` header (every request, the OAuth callback included).
    fn check_host(&self, parts: &Parts) -> Result<(), Refusal>;
    /// Admits a request to the pages (after [`Guard::check_host`]).
    fn admit(&self, parts: &Parts) -> Result<Admission, Refusal>;
}

/// `dlg ui`'s guard: one store, one listen address, one-time token, session cookies.
pub struct LocalSession {
    host: String,
    store: Store,
    token: Mutex<Option<String>>,
    sessions: Mutex<HashSet<String>>,
}

impl LocalSession {
    /// A guard for the page listening at `host` (`127.0.0.1:PORT`) over `store`, with its
    /// one-time token (to put in the URL that is opened).
    pub fn new(host: &str, store: Store) -> (LocalSession, String) {
        let token = random_id();
        let guard = LocalSession {
            host: host.to_owned(),
            store,
            token: Mutex::new(Some(token.clone())),
            sessions: Mutex::new(HashSet::new()),
        };
        (guard, token)
    }

    /// Exchanges the one-time token for a new session id (the cookie's value); `None` when the
    /// token is wrong or was used already.
    pub fn redeem(&self, offered: &str) -> Option<String> {
        let mut token = self.token.lock().ok()?;
        let expected = token.as_deref()?;
        if !super::csrf::same(expected.as_bytes(), offered.as_bytes()) {
            return None;
        }
        *token = None;
        let session = random_id();
        self.sessions.lock().ok()?.insert(session.clone());
        Some(session)
    }
}

impl Guard for LocalSession {
    fn check_host(&self, parts: &Parts) -> Result<(), Refusal> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        if host.eq_ignore_ascii_case(&self.host) {
            return Ok(());
        }
        Err(Refusal {
            status: StatusCode::MISDIRECTED_REQUEST,
            message: format!(
                "this page answers only at http://{}/ (the Host header was {host:?}; refused \
                 as a DNS-rebinding guard)",
                self.host
            ),
        })
    }

    fn admit(&self, parts: &Parts) -> Result<Admission, Refusal> {
        let cookie = session_cookie(parts).ok_or_else(|| {
            Refusal::forbidden(
                "no session: open the address `dlg ui` printed (it carries a one-time token), \
                 or start `dlg ui` again for a new one",
            )
        })?;
        let known = self
            .sessions
            .lock()
            .map(|sessions| sessions.contains(&cookie))
            .unwrap_or(false);
        if !known {
            return Err(Refusal::forbidden(
                "the session is unknown (dlg ui was restarted?): open the new address `dlg ui` \
                 printed",
            ));
        }
        Ok(Admission {
            store: self.store.clone(),
            session: cookie,
        })
    }
}

/// The session cookie's value, if the request carries one.
fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == SESSION_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// 32 random bytes, base64url.
pub(super) fn random_id() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}
