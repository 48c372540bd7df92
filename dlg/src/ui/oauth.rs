//! Authorizations that involve the provider: the OAuth 2 consent redirect back to this page's
//! callback, and the flows that run in the background (device code, OAuth 1, client
//! credentials) with their progress page.

use super::guard::Admission;
use super::layout::{continue_page, page, refusal_page, see_other, Ctx};
use super::state::{blocking, UiState};
use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::Extension;
use deluge_lang::connections::oauth1::connection as oauth1_connection;
use deluge_lang::connections::oauth1::flow::FlowOptions;
use deluge_lang::connections::oauth2::connection::{self as oauth2_connection, AuthorizeOptions};
use deluge_lang::connections::oauth2::flow::PendingCode;
use deluge_lang::connections::oauth2::ui::AuthorizationUi;
use deluge_lang::connections::{AuthSpec, ConnectionError, Store};
use maud::html;
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

/// How long a started consent may wait for the provider's redirect.
const PENDING_LIFETIME: Duration = Duration::from_secs(600);

/// An OAuth 2 consent in progress: its session, store and connection, and the PKCE secrets.
pub struct PendingGrant {
    session: String,
    store: Store,
    link: String,
    code: PendingCode,
    started: Instant,
}

impl PendingGrant {
    /// The grant `admission` started for `link`.
    pub fn new(admission: &Admission, link: &str, code: PendingCode) -> PendingGrant {
        PendingGrant {
            session: admission.session.clone(),
            store: admission.store.clone(),
            link: link.to_owned(),
            code,
            started: Instant::now(),
        }
    }
}

impl UiState {
    /// Remembers a started consent (dropping expired ones and any earlier one of the link).
    pub(super) fn add_pending(&self, grant: PendingGrant) {
        if let Ok(mut pending) = self.inner.pending.lock() {
            pending.retain(|other| {
                other.started.elapsed() < PENDING_LIFETIME
                    && !(other.link == grant.link && other.session == grant.session)
            });
            pending.push(grant);
        }
    }

    fn take_pending(&self, params: &[(String, String)]) -> Option<PendingGrant> {
        let mut pending = self.inner.pending.lock().ok()?;
        let index = pending.iter().position(|grant| {
            grant.started.elapsed() < PENDING_LIFETIME && grant.code.matches(params)
        })?;
        Some(pending.swap_remove(index))
    }
}

/// GET /cb: the provider's redirect. Reached without the session cookie (a cross-site
/// redirect does not carry a `SameSite=Strict` cookie), so the `state` it carries is what
/// admits it: only a consent started here matches.
pub async fn callback(State(state): State<UiState>, RawQuery(query): RawQuery) -> Response {
    let params: Vec<(String, String)> =
        url::form_urlencoded::parse(query.unwrap_or_default().as_bytes())
            .into_owned()
            .collect();
    let Some(grant) = state.take_pending(&params) else {
        return refusal_page(
            StatusCode::BAD_REQUEST,
            "this redirect does not belong to a consent started on this page (or it expired \
             after 10 minutes); nothing was changed: start again from My connections",
        );
    };
    let link = grant.link.clone();
    let finished = blocking(move || {
        oauth2_connection::finish_authorization(&grant.store, &grant.link, &grant.code, &params)
    })
    .await;
    let ctx = Ctx {
        state: state.clone(),
        csrf: String::new(),
    };
    match finished {
        Ok(()) => continue_page(
            &ctx,
            "Connected",
            &state.link(&format!("/c/{link}/done")),
            "See the summary",
        ),
        Err(error) => {
            let mut response = page(
                &ctx,
                "Not connected",
                html! {
                    p class="error" role="alert" { (error.to_string()) }
                    p { a href=(state.link("/")) { "My connections" } }
                },
            );
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// Where a background authorization stands.
#[derive(Clone, Debug)]
pub enum Progress {
    /// Started; nothing to show yet.
    Starting,
    /// Device flow: the code to enter and where.
    Device {
        user_code: String,
        uri: String,
        complete: Option<String>,
    },
    /// OAuth 1: the provider's page to open.
    Visit(String),
    /// Connected.
    Done,
    /// Failed, with the library's message.
    Failed(String),
}

/// A background authorization of one connection.
#[derive(Clone)]
pub struct Job(Arc<Mutex<Progress>>);

impl Job {
    fn set(&self, progress: Progress) {
        if let Ok(mut current) = self.0.lock() {
            *current = progress;
        }
    }

    fn get(&self) -> Progress {
        self.0
            .lock()
            .map(|progress| progress.clone())
            .unwrap_or(Progress::Failed(
                "the authorization stopped unexpectedly".into(),
            ))
    }
}

/// The flows' user interface: what they would print goes to the progress page.
struct PageUi(Job);

impl AuthorizationUi for PageUi {
    fn present_authorize_url(&mut self, url: &str) {
        self.0.set(Progress::Visit(url.to_owned()));
    }

    fn present_device_code(&mut self, user_code: &str, uri: &str, complete: Option<&str>) {
        self.0.set(Progress::Device {
            user_code: user_code.to_owned(),
            uri: uri.to_owned(),
            complete: complete.map(str::to_owned),
        });
    }
}

/// Starts authorizing `link` in the background (device flow, OAuth 1, client credentials).
pub fn start_job(state: &UiState, admission: &Admission, link: &str) {
    let job = Job(Arc::new(Mutex::new(Progress::Starting)));
    if let Ok(mut jobs) = state.inner.jobs.lock() {
        jobs.insert((admission.session.clone(), link.to_owned()), job.clone());
    }
    let store = admission.store.clone();
    let link = link.to_owned();
    std::thread::spawn(move || {
        let mut ui = PageUi(job.clone());
        let result = run_flow(&store, &link, &mut ui);
        job.set(match result {
            Ok(()) => Progress::Done,
            Err(error) => Progress::Failed(error.to_string()),
        });
    });
}

fn run_flow(store: &Store, link: &str, ui: &mut PageUi) -> Result<(), ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link)?;
    let service = deluge_lang::connections::manage::service_of(&snapshot, connection)?;
    match service.auth {
        AuthSpec::OAuth1(_) => {
            oauth1_connection::authorize_connection(store, link, FlowOptions::default(), ui)
        }
        _ => oauth2_connection::authorize_connection(store, link, AuthorizeOptions::default(), ui),
    }
}

/// GET /c/{link}/progress: the background authorization's state (refreshes itself).
pub async fn progress(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let job = state.inner.jobs.lock().ok().and_then(|jobs| {
        jobs.get(&(admission.session.clone(), link.clone()))
            .cloned()
    });
    let Some(job) = job else {
        return see_other(&ctx, "/");
    };
    let here = state.link(&format!("/c/{link}/progress"));
    match job.get() {
        Progress::Done => see_other(&ctx, &format!("/c/{link}/done")),
        Progress::Failed(message) => {
            super::connect::not_connected(&ctx, &link, &ConnectionError::InvalidInput(message))
        }
        Progress::Visit(url) => continue_page(
            &ctx,
            "Grant access",
            &url,
            "Continue to the provider's page",
        ),
        Progress::Starting => refreshing(
            &ctx,
            "Connecting…",
            &here,
            html! { p { "Starting the authorization. " a href=(here) { "Check again" } } },
        ),
        Progress::Device {
            user_code,
            uri,
            complete,
        } => refreshing(
            &ctx,
            "Enter the code",
            &here,
            html! {
                p { "Open " a href=(uri) { (uri) } " and enter this code:" }
                p class="usercode code" { (user_code) }
                @if let Some(complete) = complete { p { "Or open " a href=(complete) { "the page with the code filled in" } "." } }
                p class="muted" { "This page checks again every 5 seconds. " a href=(here) { "Check now" } }
            },
        ),
    }
}

/// A page that reloads itself every 5 seconds.
fn refreshing(ctx: &Ctx, title: &str, here: &str, body: maud::Markup) -> Response {
    let mut response = page(ctx, title, body);
    if let Ok(value) = format!("5;url={here}").parse() {
        response.headers_mut().insert("refresh", value);
    }
    response
}
