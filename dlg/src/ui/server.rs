//! `dlg ui`: serves the page on 127.0.0.1 (a free port, or `--port`), opens the browser on a
//! URL carrying the one-time token, and stops on Ctrl-C.

use super::guard::{LocalSession, SESSION_COOKIE};
use super::layout::refusal_page;
use super::routes::router;
use super::state::UiState;
use axum::extract::{Query, Request, State};
use axum::http::{header, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use deluge_lang::connections::oauth2::ui::open_in_browser;
use deluge_lang::connections::Store;
use std::collections::HashMap;
use std::io::Write;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;

/// How `dlg ui` starts.
#[derive(Debug, Clone, Copy, Default)]
pub struct Options {
    /// Listen on this port instead of a free one.
    pub port: Option<u16>,
    /// Open the system browser (else only print the address).
    pub open_browser: bool,
}

/// Serves the page over `store` until Ctrl-C; `Err` says why it could not start.
pub fn run(store: Store, options: Options) -> Result<(), String> {
    let address = SocketAddr::from((Ipv4Addr::LOCALHOST, options.port.unwrap_or(0)));
    let listener = TcpListener::bind(address).map_err(|error| {
        format!("cannot listen on {address} ({error}); choose another port with --port N")
    })?;
    let port = listener
        .local_addr()
        .map_err(|error| format!("cannot read the address listened on: {error}"))?
        .port();
    let host = format!("127.0.0.1:{port}");
    let (guard, token) = LocalSession::new(&host, store);
    let guard = Arc::new(guard);
    let state = UiState::new(guard.clone(), &format!("http://{host}"), "");
    let app = Router::new()
        .route("/start", get(start).with_state(guard))
        .merge(router(state));
    let url = format!("http://{host}/start?token={token}");
    listener
        .set_nonblocking(true)
        .map_err(|error| format!("cannot use the listening socket: {error}"))?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|error| format!("cannot start the server runtime: {error}"))?;
    runtime.block_on(async move {
        let listener = tokio::net::TcpListener::from_std(listener)
            .map_err(|error| format!("cannot use the listening socket: {error}"))?;
        let interrupted = interrupt()?;
        announce(&url, options.open_browser);
        axum::serve(listener, app)
            .with_graceful_shutdown(interrupted)
            .await
            .map_err(|error| format!("the server stopped: {error}"))
    })?;
    eprintln!("dlg ui: stopped");
    Ok(())
}

/// Ctrl-C (SIGINT), listened for from now on (so that one sent right after the address is
/// printed already stops the server gracefully).
#[cfg(unix)]
fn interrupt() -> Result<impl std::future::Future<Output = ()>, String> {
    use tokio::signal::unix::{signal, SignalKind};
    let mut interrupts = signal(SignalKind::interrupt())
        .map_err(|error| format!("cannot listen for Ctrl-C: {error}"))?;
    Ok(async move {
        interrupts.recv().await;
    })
}

/// Ctrl-C.
#[cfg(not(unix))]
fn interrupt() -> Result<impl std::future::Future<Output = ()>, String> {
    Ok(async {
        let _ = tokio::signal::ctrl_c().await;
    })
}

/// Prints the address (and opens the browser on it unless told not to).
fn announce(url: &str, open_browser: bool) {
    let opened = open_browser && open_in_browser(url);
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "Connections page: {url}");
    let _ = out.flush();
    if opened {
        eprintln!("(A browser window was opened; the address works once.) Press Ctrl-C to stop.");
    } else {
        eprintln!("Open the address in your browser (it works once). Press Ctrl-C to stop.");
    }
}

/// GET /start?token=T: exchanges the one-time token for the session cookie.
async fn start(
    State(guard): State<Arc<LocalSession>>,
    Query(query): Query<HashMap<String, String>>,
    request: Request,
) -> Response {
    use super::guard::Guard as _;
    let (parts, _) = request.into_parts();
    if let Err(refusal) = guard.check_host(&parts) {
        return refusal_page(refusal.status, &refusal.message);
    }
    let offered = query.get("token").map_or("", String::as_str);
    let Some(session) = guard.redeem(offered) else {
        return refusal_page(
            StatusCode::FORBIDDEN,
            "this address's one-time token is wrong or was used already; use the session you \
             opened, or start `dlg ui` again for a new address",
        );
    };
    let cookie = format!("{SESSION_COOKIE}={session}; HttpOnly; SameSite=Strict; Path=/");
    (
        StatusCode::SEE_OTHER,
        [
            (header::SET_COOKIE, cookie),
            (header::LOCATION, "/".to_owned()),
        ],
    )
        .into_response()
}
