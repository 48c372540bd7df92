//! The page's routes and the layers around them: security headers everywhere, the Host check
//! everywhere, the guard and the CSRF check on every page but the OAuth callback (which the
//! provider's redirect reaches without the session cookie and which its `state` authenticates).

use super::guard::Admission;
use super::layout::{refusal_page, style};
use super::state::UiState;
use super::{connect, connections, csrf, edit, headers, oauth, services};
use axum::extract::{Request, State};
use axum::middleware::{from_fn, from_fn_with_state, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::get;
use axum::Router;

/// The Connections page as a router, to serve on its own (`dlg ui`) or to nest (`dlg serve`
/// at `/connections`, with the `base` given to [`UiState::new`]).
pub fn router(state: UiState) -> Router {
    let pages = Router::new()
        .route("/", get(connections::list))
        .route("/services", get(services::pick).post(services::create))
        .route("/services/new", get(services::new_form))
        .route(
            "/new",
            get(connect::details).post(connect::create_and_connect),
        )
        .route(
            "/c/{link}/connect",
            get(connect::reconnect_form).post(connect::reconnect),
        )
        .route("/c/{link}/progress", get(oauth::progress))
        .route("/c/{link}/done", get(connections::summary))
        .route("/c/{link}/edit", get(edit::edit_form).post(edit::edit))
        .route(
            "/c/{link}/revoke",
            get(edit::revoke_form).post(edit::revoke),
        )
        .route(
            "/c/{link}/delete",
            get(edit::delete_form).post(edit::delete),
        )
        .layer(from_fn_with_state(state.clone(), csrf::check))
        .layer(from_fn_with_state(state.clone(), admit));
    let open = Router::new()
        .route("/cb", get(oauth::callback))
        .route("/style.css", get(style));
    Router::new()
        .merge(pages)
        .merge(open)
        .layer(from_fn_with_state(state.clone(), check_host))
        .layer(from_fn(headers::secure))
        .with_state(state)
}

/// Middleware: the guard's Host check.
async fn check_host(State(state): State<UiState>, request: Request, next: Next) -> Response {
    let (parts, body) = request.into_parts();
    if let Err(refusal) = state.inner.guard.check_host(&parts) {
        return refusal_page(refusal.status, &refusal.message);
    }
    next.run(Request::from_parts(parts, body)).await
}

/// Middleware: the guard admits the request (its [`Admission`] goes into the extensions).
async fn admit(State(state): State<UiState>, request: Request, next: Next) -> Response {
    let (mut parts, body) = request.into_parts();
    match state.inner.guard.admit(&parts) {
        Ok(admission) => {
            parts.extensions.insert::<Admission>(admission);
            next.run(Request::from_parts(parts, body)).await
        }
        Err(refusal) => refusal_page(refusal.status, &refusal.message).into_response(),
    }
}
