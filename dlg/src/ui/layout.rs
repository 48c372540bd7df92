//! The page shell (header, navigation, embedded stylesheet), messages, and the small pieces
//! several pages show: status badges, times, hidden CSRF fields.

use super::guard::Admission;
use super::state::UiState;
use axum::http::{header, StatusCode};
use axum::response::{Html, IntoResponse, Response};
use deluge_lang::connections::{Connection, ConnectionError, Status};
use jiff::Timestamp;
use maud::{html, Markup, PreEscaped, DOCTYPE};

/// The stylesheet, compiled into the binary.
pub const STYLE: &str = include_str!("style.css");

/// What every page needs: links under the mount point, and the session's CSRF token.
pub struct Ctx {
    pub state: UiState,
    pub csrf: String,
}

impl Ctx {
    /// The context of an admitted request.
    pub fn new(state: &UiState, admission: &Admission) -> Ctx {
        Ctx {
            state: state.clone(),
            csrf: state.csrf_token(admission),
        }
    }

    /// A path under the mount point.
    pub fn link(&self, path: &str) -> String {
        self.state.link(path)
    }

    /// The hidden CSRF field every form carries.
    pub fn csrf_field(&self) -> Markup {
        html! { input type="hidden" name=(super::csrf::FIELD) value=(self.csrf); }
    }
}

/// A full page: `title` as heading, `body` below.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Response {
    shell(&ctx.state.link(""), title, true, body)
}

fn shell(base: &str, title: &str, navigation: bool, body: Markup) -> Response {
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · dlg connections" }
                link rel="stylesheet" href={ (base) "/style.css" };
            }
            body {
                a class="skip" href="#main" { "Skip to content" }
                header {
                    span class="brand" { "dlg · Connections" }
                    @if navigation {
                        nav aria-label="Main" {
                            a href={ (base) "/" } { "My connections" } " "
                            a href={ (base) "/services" } { "New connection" }
                        }
                    }
                }
                main id="main" {
                    h1 { (title) }
                    (body)
                }
            }
        }
    };
    Html(markup.into_string()).into_response()
}

/// A page that redirects (without script) to `url` right away, with a visible link to it.
pub fn continue_page(ctx: &Ctx, title: &str, url: &str, text: &str) -> Response {
    let refresh = format!("0;url={url}");
    let markup = html! {
        (DOCTYPE)
        html lang="en" {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                meta http-equiv="refresh" content=(refresh);
                title { (title) " · dlg connections" }
                link rel="stylesheet" href=(ctx.link("/style.css"));
            }
            body { main id="main" { h1 { (title) } p { a href=(url) { (text) } } } }
        }
    };
    Html(markup.into_string()).into_response()
}

/// The page shown for a refused request (no navigation: the user may not be signed in).
pub fn refusal_page(status: StatusCode, message: &str) -> Response {
    let mut response = shell(
        "",
        "Not allowed",
        false,
        html! { p class="error" role="alert" { (message) } },
    );
    *response.status_mut() = status;
    response
}

/// A failed operation: the library's message (it never holds a secret), status 400.
pub fn error_page(ctx: &Ctx, title: &str, error: &ConnectionError) -> Response {
    let mut response = page(
        ctx,
        title,
        html! {
            p class="error" role="alert" { (error.to_string()) }
            p { a href=(ctx.link("/")) { "Back to my connections" } }
        },
    );
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}

/// An error box for a form shown again.
pub fn error_box(error: Option<&str>) -> Markup {
    html! { @if let Some(error) = error { p class="error" role="alert" { (error) } } }
}

/// A 303 redirect to `path` (under the mount point).
pub fn see_other(ctx: &Ctx, path: &str) -> Response {
    (StatusCode::SEE_OTHER, [(header::LOCATION, ctx.link(path))]).into_response()
}

/// What the list calls a connection's state: connected, expired, needs re-authorization,
/// revoked or not connected (CSS class, words).
pub fn status_of(connection: &Connection, now: Timestamp) -> (&'static str, &'static str) {
    match connection.status {
        Status::Connected if connection.expires_at.is_some_and(|at| at <= now) => {
            ("expired", "expired")
        }
        Status::Connected => ("connected", "connected"),
        Status::NeedsReauth => ("needs_reauth", "needs re-authorization"),
        Status::Disconnected => ("revoked", "revoked"),
        Status::NotConnected => ("not_connected", "not connected"),
    }
}

/// A status badge.
pub fn badge(connection: &Connection, now: Timestamp) -> Markup {
    let (class, words) = status_of(connection, now);
    html! { span class={ "status " (class) } { (words) } }
}

/// A time to the minute, UTC.
pub fn when(time: Option<Timestamp>) -> String {
    time.map_or_else(
        || "never".to_owned(),
        |time| time.strftime("%Y-%m-%d %H:%M UTC").to_string(),
    )
}

/// The stylesheet response.
pub async fn style() -> Response {
    (
        [(header::CONTENT_TYPE, "text/css; charset=utf-8")],
        PreEscaped(STYLE).into_string(),
    )
        .into_response()
}
