//! "My connections": every connection with its service, type, status and last use, and the
//! summary shown after a successful connect.

use super::guard::Admission;
use super::layout::{badge, error_page, page, when, Ctx};
use super::state::{blocking, UiState};
use axum::extract::{Path, State};
use axum::response::Response;
use axum::Extension;
use deluge_lang::connections::authorizer::allowed_hosts;
use deluge_lang::connections::usage::last_used;
use deluge_lang::connections::{Connection, Service};
use jiff::Timestamp;
use maud::html;

/// One row of the list: the connection, its service (if stored), its last use, its credential
/// field names (masked: names only, never values).
struct Row {
    connection: Connection,
    service: Option<Service>,
    last_used: Option<Timestamp>,
    fields: Vec<String>,
}

fn rows(
    admission: &Admission,
    only: Option<&str>,
) -> Result<Vec<Row>, deluge_lang::connections::ConnectionError> {
    let snapshot = admission.store.load()?;
    if let Some(link) = only {
        snapshot.require_connection(link)?;
    }
    let mut rows = Vec::new();
    for connection in snapshot.connections() {
        if only.is_some_and(|link| link != connection.link_name) {
            continue;
        }
        let fields = snapshot
            .credentials(&connection.link_name)?
            .map(|credentials| credentials.field_names())
            .unwrap_or_default();
        rows.push(Row {
            service: snapshot.service(&connection.service).cloned(),
            last_used: last_used(&admission.store, &connection.link_name),
            connection: connection.clone(),
            fields,
        });
    }
    Ok(rows)
}

/// GET /: the list.
pub async fn list(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let lookup = admission.clone();
    let rows = match blocking(move || rows(&lookup, None)).await {
        Ok(rows) => rows,
        Err(error) => return error_page(&ctx, "My connections", &error),
    };
    let now = Timestamp::now();
    page(
        &ctx,
        "My connections",
        html! {
            p { a class="button" href=(ctx.link("/services")) { "New connection" } }
            @if rows.is_empty() {
                p class="muted" { "No connection yet. Pick a service to create one." }
            } @else {
                table {
                    caption class="skip" { "Connections" }
                    thead { tr { th scope="col" { "Connection" } th scope="col" { "Service" } th scope="col" { "Type" } th scope="col" { "Status" } th scope="col" { "Last used" } th scope="col" { "Actions" } } }
                    tbody {
                        @for row in &rows {
                            @let link = &row.connection.link_name;
                            tr id={ "conn-" (link) } {
                                td data-label="Connection" { strong { (row.connection.display_name) } br; code { (link) } }
                                td data-label="Service" { (row.connection.service) }
                                td data-label="Type" { (row.service.as_ref().map_or("service missing", |s| s.auth.kind().title())) }
                                td data-label="Status" { (badge(&row.connection, now)) }
                                td data-label="Last used" { (when(row.last_used)) }
                                td class="actions" data-label="Actions" {
                                    a href=(ctx.link(&format!("/c/{link}/edit"))) aria-label={ "Edit " (link) } { "Edit" }
                                    a href=(ctx.link(&format!("/c/{link}/connect"))) aria-label={ "Connect " (link) } { "Connect" }
                                    a href=(ctx.link(&format!("/c/{link}/revoke"))) aria-label={ "Revoke " (link) } { "Revoke" }
                                    a href=(ctx.link(&format!("/c/{link}/delete"))) aria-label={ "Delete " (link) } { "Delete" }
                                }
                            }
                        }
                    }
                }
            }
        },
    )
}

/// GET /c/{link}/done: the summary of a connection (secrets masked, as `connection show`).
pub async fn summary(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let lookup = admission.clone();
    let name = link.clone();
    let row = match blocking(move || rows(&lookup, Some(&name))).await {
        Ok(mut rows) if !rows.is_empty() => rows.swap_remove(0),
        Ok(_) => return super::layout::see_other(&ctx, "/"),
        Err(error) => return error_page(&ctx, "Summary", &error),
    };
    let connection = &row.connection;
    let hosts = row.service.as_ref().map_or_else(
        || connection.extra_hosts.clone(),
        |service| allowed_hosts(connection, service),
    );
    let masked: Vec<String> = row
        .fields
        .iter()
        .map(|field| format!("{field}=***"))
        .collect();
    page(
        &ctx,
        "Summary",
        html! {
            p class="notice" role="status" { "Connection " code { (link) } " is " (badge(connection, Timestamp::now())) "." }
            dl class="card" {
                dt { "Link name" } dd { code { (link) } }
                dt { "Display name" } dd { (connection.display_name) }
                dt { "Service" } dd { (connection.service) " (" (row.service.as_ref().map_or("service missing", |s| s.auth.kind().title())) ")" }
                @if !connection.scopes.is_empty() { dt { "Scopes" } dd { (connection.scopes.join(", ")) } }
                dt { "Allowed hosts" } dd { (if hosts.is_empty() { "none".to_owned() } else { hosts.join(", ") }) }
                dt { "Credentials" } dd { (if masked.is_empty() { "none".to_owned() } else { masked.join(", ") }) }
                dt { "Authorized" } dd { (when(connection.authorized_at)) }
                @if connection.expires_at.is_some() { dt { "Token expires" } dd { (when(connection.expires_at)) } }
                dt { "Last used" } dd { (when(row.last_used)) }
            }
            p { "Use it in a script: " code { "invokeurl [ url: \"…\" type: GET connection: \"" (link) "\" ]" } }
            p { a href=(ctx.link("/")) { "My connections" } }
        },
    )
}
