//! The Connections pages under `dlg serve` at `/connections`, behind an admin key: the
//! [`AdminGuard`] (Host check against the configured public host, session cookie set by the
//! login form from an admin key of the key file) over the server's store and tenant, and the
//! login form itself.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use axum::extract::{Form, Request, State};
use axum::http::request::Parts;
use axum::http::{header, HeaderValue, StatusCode};
use axum::middleware::from_fn;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use maud::{html, Markup, DOCTYPE};
use serde::Deserialize;

use super::keys::KeyFile;
use crate::ui::{Admission, Guard, Refusal, UiState};
use deluge_lang::connections::Store;

/// Where the pages are mounted.
pub const MOUNT: &str = "/connections";
/// The admin session cookie (scoped to [`MOUNT`]).
pub const ADMIN_COOKIE: &str = "dlg_serve_admin";
/// Admin sessions kept at once; the oldest is dropped beyond it.
const MAX_SESSIONS: usize = 1024;

/// Who may use the pages: a browser holding a session made from a current admin key, sent to
/// one of the configured hosts.
pub struct AdminGuard {
    hosts: Vec<String>,
    store: Store,
    keys: KeyFile,
    /// Session id -> SHA-256 of the admin key that opened it (rechecked on every request, so
    /// revoking the key closes its sessions).
    sessions: Mutex<HashMap<String, (u64, String)>>,
}

impl AdminGuard {
    /// A guard accepting `Host: HOST` for each of `hosts`, over `store`, with the keys of `keys`.
    pub fn new(hosts: Vec<String>, store: Store, keys: KeyFile) -> AdminGuard {
        AdminGuard {
            hosts,
            store,
            keys,
            sessions: Mutex::new(HashMap::new()),
        }
    }

    /// A new session for `key` if it is a current admin key; else why not.
    fn login(&self, key: &str) -> Result<String, Refusal> {
        let entry = self
            .keys
            .verify_entry(key.trim())
            .map_err(|problem| {
                super::access_log::event("error", "key_file_unreadable", &[("error", &problem)]);
                refusal(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "the key file cannot be read; see the server's log",
                )
            })?
            .ok_or_else(|| {
                refusal(
                    StatusCode::UNAUTHORIZED,
                    "this is not a current API key; make an admin key with \
                     `dlg serve key create NAME --admin`",
                )
            })?;
        if !entry.admin {
            return Err(refusal(
                StatusCode::FORBIDDEN,
                "this key calls functions but does not open the Connections pages; make an \
                 admin key with `dlg serve key create NAME --admin`",
            ));
        }
        let session = random_id();
        let mut sessions = self
            .sessions
            .lock()
            .map_err(|_| refusal(StatusCode::INTERNAL_SERVER_ERROR, "sessions unusable"))?;
        if sessions.len() >= MAX_SESSIONS {
            let oldest = sessions
                .iter()
                .min_by_key(|(_, (serial, _))| *serial)
                .map(|(id, _)| id.clone());
            if let Some(oldest) = oldest {
                sessions.remove(&oldest);
            }
        }
        let serial = sessions.values().map(|(n, _)| *n).max().unwrap_or(0) + 1;
        sessions.insert(session.clone(), (serial, entry.sha256));
        super::access_log::event("info", "admin_login", &[("key", &entry.name)]);
        Ok(session)
    }

    /// Whether the admin key behind a session is still in the key file as an admin key.
    fn still_admin(&self, digest: &str) -> bool {
        self.keys
            .list()
            .map(|keys| keys.iter().any(|k| k.admin && k.sha256 == digest))
            .unwrap_or(false)
    }
}

impl Guard for AdminGuard {
    fn check_host(&self, parts: &Parts) -> Result<(), Refusal> {
        let host = parts
            .headers
            .get(header::HOST)
            .and_then(|value| value.to_str().ok())
            .unwrap_or("");
        if self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host)) {
            return Ok(());
        }
        Err(refusal(
            StatusCode::MISDIRECTED_REQUEST,
            &format!(
                "the Connections pages answer only at {} (the Host header was {host:?}; refused \
                 as a DNS-rebinding guard); start dlg serve with --public-host HOST to name the \
                 address browsers use",
                self.hosts.join(", ")
            ),
        ))
    }

    fn admit(&self, parts: &Parts) -> Result<Admission, Refusal> {
        let no_session = || {
            refusal(
                StatusCode::UNAUTHORIZED,
                &format!("sign in with an admin key at {MOUNT}/login"),
            )
        };
        let session = session_cookie(parts).ok_or_else(no_session)?;
        let digest = self
            .sessions
            .lock()
            .ok()
            .and_then(|sessions| sessions.get(&session).map(|(_, d)| d.clone()))
            .ok_or_else(no_session)?;
        if !self.still_admin(&digest) {
            if let Ok(mut sessions) = self.sessions.lock() {
                sessions.remove(&session);
            }
            return Err(no_session());
        }
        Ok(Admission {
            store: self.store.clone(),
            session,
        })
    }
}

/// The origin browsers use and the `Host` header values accepted, from the `--public-host`
/// values (`HOST[:PORT]`, or a URL such as `https://dlg.example.com` behind a TLS proxy);
/// without any, the address listened on.
pub fn origin_and_hosts(public_hosts: &[String], listening: &str) -> (String, Vec<String>) {
    let split = |entry: &str| -> (String, String) {
        let entry = entry.trim().trim_end_matches('/');
        match entry.split_once("://") {
            Some((scheme, host)) => (format!("{scheme}://{host}"), host.to_owned()),
            None => (format!("http://{entry}"), entry.to_owned()),
        }
    };
    let entries: Vec<(String, String)> = if public_hosts.is_empty() {
        vec![split(listening)]
    } else {
        public_hosts.iter().map(|entry| split(entry)).collect()
    };
    let origin = entries
        .first()
        .map(|(origin, _)| origin.clone())
        .unwrap_or_default();
    (origin, entries.into_iter().map(|(_, host)| host).collect())
}

/// The pages at [`MOUNT`]: the login form and the Connections pages of `crate::ui` over
/// `guard`, for browsers reaching the server at `origin` (`http://HOST:PORT`).
pub fn router(guard: Arc<AdminGuard>, origin: &str) -> Router {
    let state = UiState::new(guard.clone(), origin, MOUNT);
    let login = Router::new()
        .route("/login", get(login_form).post(login_submit))
        .with_state(guard)
        .layer(from_fn(crate::ui::headers::secure));
    Router::new()
        .route("/connections/", get(to_the_list))
        .nest(MOUNT, crate::ui::router(state).merge(login))
}

/// `GET /connections/`: the list is at `/connections`.
async fn to_the_list() -> Response {
    (StatusCode::PERMANENT_REDIRECT, [(header::LOCATION, MOUNT)]).into_response()
}

/// The login form's fields.
#[derive(Deserialize)]
pub struct LoginForm {
    key: String,
}

/// `GET /connections/login`: the form.
async fn login_form(State(guard): State<Arc<AdminGuard>>, request: Request) -> Response {
    let (parts, _) = request.into_parts();
    if let Err(refusal) = guard.check_host(&parts) {
        return refused(refusal);
    }
    login_page(StatusCode::OK, None)
}

/// `POST /connections/login`: an admin key becomes a session cookie, then the list.
async fn login_submit(
    State(guard): State<Arc<AdminGuard>>,
    parts: Parts,
    Form(form): Form<LoginForm>,
) -> Response {
    if let Err(refusal) = guard.check_host(&parts) {
        return refused(refusal);
    }
    let key = form.key;
    let result = tokio::task::spawn_blocking({
        let guard = Arc::clone(&guard);
        move || guard.login(&key)
    })
    .await
    .unwrap_or_else(|_| {
        Err(refusal(
            StatusCode::INTERNAL_SERVER_ERROR,
            "the sign-in stopped unexpectedly; try again",
        ))
    });
    match result {
        Ok(session) => {
            let cookie = format!(
                "{ADMIN_COOKIE}={session}; HttpOnly; SameSite=Strict; Path={MOUNT}; Max-Age=43200"
            );
            let mut response = (StatusCode::SEE_OTHER, "").into_response();
            let headers = response.headers_mut();
            headers.insert(header::LOCATION, HeaderValue::from_static(MOUNT));
            if let Ok(value) = HeaderValue::from_str(&cookie) {
                headers.insert(header::SET_COOKIE, value);
            }
            response
        }
        Err(refusal) => login_page(refusal.status, Some(&refusal.message)),
    }
}

/// The login page, with an error above the form when a sign-in failed.
fn login_page(status: StatusCode, error: Option<&str>) -> Response {
    let body: Markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { "Sign in - Connections" }
                link rel="stylesheet" href={ (MOUNT) "/style.css" };
            }
            body {
                main id="main" {
                    h1 { "Sign in to Connections" }
                    @if let Some(error) = error {
                        p class="error" role="alert" { (error) }
                    }
                    form method="post" action={ (MOUNT) "/login" } {
                        label for="key" { "Admin key" }
                        input id="key" name="key" type="password" autocomplete="off" required;
                        p { "Made with " code { "dlg serve key create NAME --admin" } "." }
                        button type="submit" { "Sign in" }
                    }
                }
            }
        }
    };
    (status, Html(body.into_string())).into_response()
}

fn refused(refusal: Refusal) -> Response {
    (refusal.status, refusal.message).into_response()
}

fn refusal(status: StatusCode, message: &str) -> Refusal {
    Refusal {
        status,
        message: message.to_owned(),
    }
}

/// The admin session cookie's value, if the request carries one.
fn session_cookie(parts: &Parts) -> Option<String> {
    parts
        .headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|value| value.to_str().ok())
        .flat_map(|value| value.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == ADMIN_COOKIE)
        .map(|(_, value)| value.to_owned())
}

/// 32 random bytes from the OS, hex.
fn random_id() -> String {
    use rand::RngCore;
    let mut bytes = [0u8; 32];
    rand::rngs::OsRng.fill_bytes(&mut bytes);
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::origin_and_hosts;

    #[test]
    fn the_public_host_names_the_origin_and_the_accepted_hosts() {
        let (origin, hosts) = origin_and_hosts(&[], "127.0.0.1:8080");
        assert_eq!(
            (origin.as_str(), hosts),
            ("http://127.0.0.1:8080", vec!["127.0.0.1:8080".to_owned()])
        );
        let given = vec![
            "https://dlg.example.com/".to_owned(),
            "10.0.0.5:8080".to_owned(),
        ];
        let (origin, hosts) = origin_and_hosts(&given, "0.0.0.0:8080");
        assert_eq!(origin, "https://dlg.example.com");
        assert_eq!(
            hosts,
            vec!["dlg.example.com".to_owned(), "10.0.0.5:8080".to_owned()]
        );
    }
}
