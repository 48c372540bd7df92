//! "Connection details" and "Create and Connect": the connection's names and scopes, then the
//! authorization its service uses (entered values, the provider's consent page, OAuth 1, the
//! device flow). Also re-authorizing an existing connection.

use super::fields::{items, raw, text, Fields};
use super::guard::Admission;
use super::layout::{continue_page, error_box, error_page, page, see_other, Ctx};
use super::oauth::{start_job, PendingGrant};
use super::state::{blocking, UiState};
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use deluge_lang::connections::model::Grant;
use deluge_lang::connections::oauth2::connection::begin_authorization;
use deluge_lang::connections::values::{authorize_with, prompts_for};
use deluge_lang::connections::{catalog, manage, AuthSpec, ConnectionError, Secret, Service};
use maud::{html, Markup};
use std::collections::BTreeMap;

/// Prefix of the form fields holding API-key and Basic values.
const VALUE: &str = "value:";

/// The stored service `name`, else the built-in one.
fn find_service(admission: &Admission, name: &str) -> Result<Service, ConnectionError> {
    let snapshot = admission.store.load()?;
    snapshot
        .service(name)
        .cloned()
        .or_else(|| catalog::service(name))
        .ok_or_else(|| ConnectionError::UnknownService { name: name.into() })
}

/// GET /new?service=NAME: the connection details form.
pub async fn details(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Query(query): Query<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let name = text(&query, "service").unwrap_or_default();
    let lookup = admission.clone();
    match blocking(move || find_service(&lookup, &name)).await {
        Ok(service) => page(
            &ctx,
            "Connection details",
            details_form(&ctx, &service, &query, None),
        ),
        Err(error) => error_page(&ctx, "Connection details", &error),
    }
}

fn details_form(ctx: &Ctx, service: &Service, fields: &Fields, error: Option<&str>) -> Markup {
    let entry = catalog::entry(&service.link_name).filter(|_| service.builtin);
    let default_scopes = entry
        .map(|entry| entry.default_scopes.join(" "))
        .unwrap_or_default();
    let scopes = fields.get("scopes").cloned().unwrap_or(default_scopes);
    html! {
        (error_box(error))
        p { "Service: " strong { (service.display_name) } " (" code { (service.link_name) } ", " (service.auth.kind().title()) ")" }
        form method="post" action=(ctx.link("/new")) {
            (ctx.csrf_field())
            input type="hidden" name="service" value=(service.link_name);
            label for="link_name" { "Link name" span class="hint" { "used in scripts: invokeurl [ ... connection:\"NAME\" ]; a lowercase letter, then lowercase letters, digits or _" } }
            input type="text" id="link_name" name="link_name" value=(raw(fields, "link_name")) required autocomplete="off";
            label for="display_name" { "Display name" span class="hint" { "optional; default: the link name" } }
            input type="text" id="display_name" name="display_name" value=(raw(fields, "display_name"));
            @if entry.is_some_and(|entry| !entry.tenant_hosts.is_empty()) {
                label for="subdomain" { "Your subdomain" span class="hint" { "the credentials go only to your own tenant: " @for host in &entry.map(|e| e.tenant_hosts.clone()).unwrap_or_default() { code { "SUBDOMAIN." (host) } " " } } }
                input type="text" id="subdomain" name="subdomain" value=(raw(fields, "subdomain")) required;
            }
            (authorization_fields(ctx, service, &scopes))
            button type="submit" { "Create and Connect" }
        }
    }
}

/// The part of the form the service's authentication asks for.
fn authorization_fields(ctx: &Ctx, service: &Service, scopes: &str) -> Markup {
    html! {
        @match &service.auth {
            AuthSpec::OAuth2(spec) => {
                label for="scopes" { "Scopes" span class="hint" { "separated by spaces" } }
                input type="text" id="scopes" name="scopes" value=(scopes);
                @if spec.grant == Grant::AuthorizationCode {
                    p class="notice" { "You will grant access on the provider's consent page, then come back here. This page's callback URL, to register with the provider: " code { (ctx.state.callback_url()) } }
                } @else if spec.grant == Grant::Device {
                    p class="notice" { "You will get a code to enter on the provider's page." }
                }
            }
            AuthSpec::OAuth1(_) => {
                p class="notice" { "You will grant access on the provider's page; the OAuth 1 flow receives the provider's answer on a loopback address of its own." }
            }
            auth => {
                fieldset {
                    legend { "Credentials" }
                    p class="muted" { "Stored encrypted; never shown again." }
                    @for prompt in prompts_for(auth) {
                        @let id = format!("{VALUE}{}", prompt.key);
                        label for=(id) { (prompt.label) }
                        input type=(if prompt.hidden { "password" } else { "text" }) id=(id) name=(id) autocomplete="off";
                    }
                }
            }
        }
    }
}

/// POST /new: creates the connection and authorizes it.
pub async fn create_and_connect(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Form(fields): Form<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let link = text(&fields, "link_name").unwrap_or_default();
    let service_name = text(&fields, "service").unwrap_or_default();
    let store = admission.store.clone();
    let (link_c, service_c) = (link.clone(), service_name.clone());
    let display = text(&fields, "display_name");
    let scopes = items(&fields, "scopes", true);
    let subdomain = text(&fields, "subdomain");
    let created = blocking(move || {
        manage::create(
            &store,
            &link_c,
            &service_c,
            display.as_deref(),
            scopes,
            subdomain.as_deref(),
        )
    })
    .await;
    if let Err(error) = created {
        let lookup = admission.clone();
        let message = error.to_string();
        return match blocking(move || find_service(&lookup, &service_name)).await {
            Ok(service) => {
                let body = details_form(&ctx, &service, &fields, Some(&message));
                let mut response = page(&ctx, "Connection details", body);
                *response.status_mut() = StatusCode::BAD_REQUEST;
                response
            }
            Err(error) => error_page(&ctx, "Connection details", &error),
        };
    }
    authorize(&ctx, &admission, &link, fields).await
}

/// GET /c/{link}/connect: re-authorize (or first connect) an existing connection.
pub async fn reconnect_form(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let lookup = admission.clone();
    let name = link.clone();
    let found = blocking(move || {
        let snapshot = lookup.store.load()?;
        let connection = snapshot.require_connection(&name)?;
        Ok((
            manage::service_of(&snapshot, connection)?.clone(),
            connection.scopes.join(" "),
        ))
    })
    .await;
    match found {
        Ok((service, scopes)) => page(
            &ctx,
            "Connect",
            html! {
                p { "Connection " code { (link) } " of " strong { (service.display_name) } "." }
                form method="post" action=(ctx.link(&format!("/c/{link}/connect"))) {
                    (ctx.csrf_field())
                    @if matches!(service.auth, AuthSpec::OAuth2(_)) {
                        p class="muted" { "Scopes: " (scopes) " (change them with Edit)." }
                        @if let AuthSpec::OAuth2(spec) = &service.auth { @if spec.grant == Grant::AuthorizationCode {
                            p class="notice" { "Callback URL: " code { (ctx.state.callback_url()) } }
                        } }
                    } @else {
                        (authorization_fields(&ctx, &service, &scopes))
                    }
                    button type="submit" { "Connect" }
                }
            },
        ),
        Err(error) => error_page(&ctx, "Connect", &error),
    }
}

/// POST /c/{link}/connect.
pub async fn reconnect(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    authorize(&ctx, &admission, &link, fields).await
}

/// Authorizes `link` the way its service asks: entered values right away, OAuth 2 consent via
/// this page's callback, the others (device flow, OAuth 1, client credentials) in the background.
async fn authorize(ctx: &Ctx, admission: &Admission, link: &str, fields: Fields) -> Response {
    let lookup = admission.clone();
    let name = link.to_owned();
    let service = blocking(move || {
        let snapshot = lookup.store.load()?;
        let connection = snapshot.require_connection(&name)?;
        Ok(manage::service_of(&snapshot, connection)?.clone())
    })
    .await;
    let service = match service {
        Ok(service) => service,
        Err(error) => return not_connected(ctx, link, &error),
    };
    match &service.auth {
        AuthSpec::ApiKey { .. } | AuthSpec::Basic => {
            let entered: BTreeMap<String, Secret> = fields
                .into_iter()
                .filter_map(|(name, value)| {
                    name.strip_prefix(VALUE)
                        .map(|key| (key.to_owned(), Secret::new(value)))
                })
                .collect();
            let store = admission.store.clone();
            let name = link.to_owned();
            match blocking(move || authorize_with(&store, &name, entered)).await {
                Ok(()) => see_other(ctx, &format!("/c/{link}/done")),
                Err(error) => not_connected(ctx, link, &error),
            }
        }
        AuthSpec::OAuth2(spec) if spec.grant == Grant::AuthorizationCode => {
            let store = admission.store.clone();
            let name = link.to_owned();
            let callback = ctx.state.callback_url();
            match blocking(move || begin_authorization(&store, &name, &callback)).await {
                Ok(code) => {
                    let url = code.authorize_url.clone();
                    ctx.state
                        .add_pending(PendingGrant::new(admission, link, code));
                    continue_page(
                        ctx,
                        "Grant access",
                        &url,
                        "Continue to the provider's consent page",
                    )
                }
                Err(error) => not_connected(ctx, link, &error),
            }
        }
        _ => {
            start_job(&ctx.state, admission, link);
            see_other(ctx, &format!("/c/{link}/progress"))
        }
    }
}

/// The connection exists but could not be connected: say why and offer to try again.
pub fn not_connected(ctx: &Ctx, link: &str, error: &ConnectionError) -> Response {
    let mut response = page(
        ctx,
        "Not connected",
        html! {
            p class="error" role="alert" { (error.to_string()) }
            p {
                a href=(ctx.link(&format!("/c/{link}/connect"))) { "Try again" } " · "
                a href=(ctx.link("/")) { "My connections" }
            }
        },
    );
    *response.status_mut() = StatusCode::BAD_REQUEST;
    response
}
