//! "Pick your service": the catalog (searchable) and the user's own services; "Create your
//! own" with the fields of `dlg service create`.

use super::fields::{items, parsed, raw, text, ticked, Fields};
use super::guard::Admission;
use super::layout::{error_box, page, see_other, Ctx};
use super::state::{blocking, UiState};
use axum::extract::{Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use deluge_lang::connections::catalog;
use deluge_lang::connections::service_create::{
    create as create_service, is_configured, ServiceDraft,
};
use deluge_lang::connections::{AuthKind, ConnectionError, Secret, Service};
use maud::{html, Markup};

/// GET /services?q=: the services to choose from.
pub async fn pick(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Query(query): Query<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let store = admission.store.clone();
    let loaded = blocking(move || Ok(store.load()?.services().cloned().collect::<Vec<Service>>()));
    let own = match loaded.await {
        Ok(own) => own,
        Err(error) => return super::layout::error_page(&ctx, "Pick your service", &error),
    };
    let search = text(&query, "q").unwrap_or_default();
    page(&ctx, "Pick your service", pick_body(&ctx, &own, &search))
}

fn pick_body(ctx: &Ctx, own: &[Service], search: &str) -> Markup {
    let needle = search.to_lowercase();
    let matches = |service: &Service, extra: &[String]| {
        needle.is_empty()
            || service.link_name.contains(&needle)
            || service.display_name.to_lowercase().contains(&needle)
            || extra.iter().any(|category| category.contains(&needle))
    };
    let own: Vec<&Service> = own.iter().filter(|service| matches(service, &[])).collect();
    let builtin: Vec<Service> = catalog::entries()
        .iter()
        .filter(|entry| own.iter().all(|s| s.link_name != entry.service.link_name))
        .filter(|entry| matches(&entry.service, &entry.categories))
        .map(|entry| entry.service.clone())
        .collect();
    html! {
        form method="get" action=(ctx.link("/services")) role="search" {
            label for="q" { "Search services" }
            input type="search" id="q" name="q" value=(search) placeholder="e.g. github, crm";
            button type="submit" { "Search" }
        }
        p { a class="button secondary" href=(ctx.link("/services/new")) { "Create your own service" } }
        h2 { "Your services" }
        @if own.is_empty() { p class="muted" { "None yet." } }
        ul class="grid" { @for service in &own { (service_card(ctx, service)) } }
        h2 { "Built-in services" }
        @if builtin.is_empty() { p class="muted" { "No built-in service matches." } }
        ul class="grid" { @for service in &builtin { (service_card(ctx, service)) } }
    }
}

fn service_card(ctx: &Ctx, service: &Service) -> Markup {
    let kind = service.auth.kind();
    html! {
        li {
            strong { (service.display_name) } br;
            span class="muted" { code { (service.link_name) } " · " (kind.title()) } br;
            @if is_configured(service) {
                a href={ (ctx.link("/new")) "?service=" (service.link_name) }
                    aria-label={ "Choose " (service.display_name) } { "Choose" }
            } @else {
                span class="muted" { "Needs your own app's client id. " }
                a href={ (ctx.link("/services/new")) "?name=" (service.link_name) "&auth=" (kind.as_str()) }
                    aria-label={ "Set up " (service.display_name) } { "Set up" }
            }
        }
    }
}

/// GET /services/new: the "Create your own" form (`?name=&auth=` pre-fill a catalog set-up).
pub async fn new_form(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Query(query): Query<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    page(
        &ctx,
        "Create your own service",
        service_form(&ctx, &query, None),
    )
}

/// POST /services: creates the service, then goes on to its connection details.
pub async fn create(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Form(fields): Form<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let store = admission.store.clone();
    let result = match draft(&fields) {
        Ok(draft) => {
            let name = draft.name.clone();
            blocking(move || create_service(&store, draft).map(|_| name)).await
        }
        Err(error) => Err(error),
    };
    match result {
        Ok(name) => see_other(&ctx, &format!("/new?service={name}")),
        Err(error) => {
            let message = error.to_string();
            let mut response = page(
                &ctx,
                "Create your own service",
                service_form(&ctx, &fields, Some(&message)),
            );
            *response.status_mut() = StatusCode::BAD_REQUEST;
            response
        }
    }
}

/// The draft the form describes (empty fields are absent, as unset flags are).
fn draft(fields: &Fields) -> Result<ServiceDraft, ConnectionError> {
    let auth: AuthKind = parsed(fields, "auth")?
        .ok_or_else(|| ConnectionError::InvalidInput("choose an authentication type".to_owned()))?;
    let mut draft = ServiceDraft::new(&text(fields, "name").unwrap_or_default(), auth);
    draft.display_name = text(fields, "display_name");
    draft.hosts = items(fields, "hosts", true);
    draft.allow_insecure_http = ticked(fields, "allow_insecure_http");
    draft.api_base = text(fields, "api_base");
    draft.params = items(fields, "params", false);
    let secret = |name: &str| text(fields, name).map(Secret::new);
    match auth {
        AuthKind::OAuth2 => {
            draft.authorize_url = text(fields, "authorize_url");
            draft.token_url = text(fields, "token_url");
            draft.refresh_url = text(fields, "refresh_url");
            draft.revoke_url = text(fields, "revoke_url");
            draft.device_url = text(fields, "device_url");
            draft.client_id = text(fields, "client_id");
            draft.client_secret = secret("client_secret");
            draft.grant = parsed(fields, "grant")?;
            draft.scope_delimiter = parsed(fields, "scope_delimiter")?;
            draft.token_prefix = text(fields, "token_prefix");
            draft.auth_params = items(fields, "auth_params", false);
        }
        AuthKind::OAuth1 => {
            draft.authorize_url = text(fields, "oauth1_authorize_url");
            draft.request_token_url = text(fields, "request_token_url");
            draft.access_token_url = text(fields, "access_token_url");
            draft.consumer_key = text(fields, "consumer_key");
            draft.consumer_secret = secret("consumer_secret");
            draft.signature = parsed(fields, "signature")?;
            draft.placement = parsed(fields, "placement")?;
        }
        AuthKind::ApiKey | AuthKind::Basic => {}
    }
    Ok(draft)
}

fn input(fields: &Fields, name: &str, label: &str, hint: &str, kind: &str) -> Markup {
    let value = if kind == "password" {
        ""
    } else {
        raw(fields, name)
    };
    html! {
        label for=(name) { (label) @if !hint.is_empty() { span class="hint" { (hint) } } }
        input type=(kind) id=(name) name=(name) value=(value) autocomplete="off";
    }
}

fn area(fields: &Fields, name: &str, label: &str, hint: &str) -> Markup {
    html! {
        label for=(name) { (label) span class="hint" { (hint) } }
        textarea id=(name) name=(name) { (raw(fields, name)) }
    }
}

/// A choice; with `default`, a first empty option keeps the built-in (or usual) value.
fn select(
    fields: &Fields,
    name: &str,
    label: &str,
    default: Option<&str>,
    options: &[(&str, &str)],
) -> Markup {
    let current = raw(fields, name);
    html! {
        label for=(name) { (label) }
        select id=(name) name=(name) {
            @if let Some(default) = default {
                option value="" selected[current.is_empty()] { (default) }
            }
            @for (value, text) in options {
                option value=(value) selected[*value == current] { (text) }
            }
        }
    }
}

fn service_form(ctx: &Ctx, fields: &Fields, error: Option<&str>) -> Markup {
    html! {
        (error_box(error))
        p class="muted" { "The same fields as " code { "dlg service create" } ". Fill in the part of your authentication type; secrets are stored encrypted and never shown again." }
        form method="post" action=(ctx.link("/services")) {
            (ctx.csrf_field())
            fieldset {
                legend { "Service" }
                (input(fields, "name", "Link name", "a lowercase letter, then lowercase letters, digits or _ (at most 50)", "text"))
                (input(fields, "display_name", "Display name", "optional; default: the link name", "text"))
                (select(fields, "auth", "Authentication type", None, &[("api-key", "API key"), ("basic", "Basic authentication"), ("oauth2", "OAuth 2"), ("oauth1", "OAuth 1")]))
                (area(fields, "hosts", "Allowed hosts", "where the credentials may be sent, one a line; *.example.com covers subdomains"))
                label { input type="checkbox" name="allow_insecure_http" value="on" checked[ticked(fields, "allow_insecure_http")]; " Allow plain http:// to hosts other than this machine (anyone on the network path could read the credentials)" }
                (input(fields, "api_base", "Zoho tasks' REST base URL", "optional, e.g. https://www.zohoapis.eu", "url"))
            }
            fieldset {
                legend { "API key" }
                (area(fields, "params", "Parameters", "one a line: KEY:PLACEMENT[:LABEL], placement query (query string), form (form data) or header, e.g. X-Api-Key:header:API key"))
            }
            fieldset {
                legend { "OAuth 2" }
                (select(fields, "grant", "Grant", Some("default (the built-in one, else authorization code)"), &[("authorization-code", "Authorization code (consent page, PKCE)"), ("device", "Device (code to enter on another device)"), ("client-credentials", "Client credentials")]))
                (input(fields, "authorize_url", "Authorization URL", "", "url"))
                (input(fields, "token_url", "Token URL", "", "url"))
                (input(fields, "refresh_url", "Refresh URL", "optional; default: the token URL", "url"))
                (input(fields, "revoke_url", "Revocation URL", "optional (RFC 7009)", "url"))
                (input(fields, "device_url", "Device authorization URL", "for the device grant", "url"))
                (input(fields, "client_id", "Client id", "", "text"))
                (input(fields, "client_secret", "Client secret", "empty for a public client", "password"))
                (select(fields, "scope_delimiter", "Scope delimiter", Some("default (the built-in one, else comma)"), &[("comma", "comma"), ("space", "space"), ("plus", "plus")]))
                (input(fields, "token_prefix", "Token prefix", "the Authorization scheme, header only; default Bearer (Zoho-oauthtoken for Zoho)", "text"))
                (area(fields, "auth_params", "Extra authorize parameters", "one a line: KEY=VALUE, e.g. access_type=offline"))
                p class="muted" { "Register this callback URL with the provider: " code { (ctx.state.callback_url()) } }
            }
            fieldset {
                legend { "OAuth 1" }
                (input(fields, "request_token_url", "Request-token URL", "", "url"))
                (input(fields, "oauth1_authorize_url", "Authorization URL", "", "url"))
                (input(fields, "access_token_url", "Access-token URL", "", "url"))
                (input(fields, "consumer_key", "Consumer key", "", "text"))
                (input(fields, "consumer_secret", "Consumer secret", "", "password"))
                (select(fields, "signature", "Signature method", Some("default (HMAC-SHA1)"), &[("hmac-sha1", "HMAC-SHA1"), ("hmac-sha256", "HMAC-SHA256"), ("plaintext", "PLAINTEXT")]))
                (select(fields, "placement", "Where the oauth_* parameters go", Some("default (header)"), &[("header", "header"), ("query", "query string"), ("form", "form data")]))
            }
            button type="submit" { "Create service" }
        }
    }
}
