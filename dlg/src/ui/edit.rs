//! Edit (rename, scopes, allowed hosts, re-authorize), revoke and delete, each confirmed on a
//! page of its own before anything changes.

use super::fields::{items, text, Fields};
use super::guard::Admission;
use super::layout::{error_box, error_page, page, Ctx};
use super::state::{blocking, UiState};
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use axum::{Extension, Form};
use deluge_lang::connections::{manage, AuthSpec, Connection, ConnectionError, Service};
use maud::{html, Markup};

async fn load(admission: &Admission, link: &str) -> Result<(Connection, Service), ConnectionError> {
    let lookup = admission.clone();
    let name = link.to_owned();
    blocking(move || {
        let snapshot = lookup.store.load()?;
        let connection = snapshot.require_connection(&name)?;
        Ok((
            connection.clone(),
            manage::service_of(&snapshot, connection)?.clone(),
        ))
    })
    .await
}

/// GET /c/{link}/edit.
pub async fn edit_form(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    match load(&admission, &link).await {
        Ok((connection, service)) => page(
            &ctx,
            "Edit connection",
            edit_body(&ctx, &connection, &service, None),
        ),
        Err(error) => error_page(&ctx, "Edit connection", &error),
    }
}

fn edit_body(ctx: &Ctx, connection: &Connection, service: &Service, error: Option<&str>) -> Markup {
    let link = &connection.link_name;
    html! {
        (error_box(error))
        form method="post" action=(ctx.link(&format!("/c/{link}/edit"))) {
            (ctx.csrf_field())
            p { "Link name " code { (link) } " (it cannot change: scripts use it)." }
            label for="display_name" { "Display name" }
            input type="text" id="display_name" name="display_name" value=(connection.display_name);
            @if matches!(service.auth, AuthSpec::OAuth2(_)) {
                label for="scopes" { "Scopes" span class="hint" { "separated by spaces; new scopes need a new authorization" } }
                input type="text" id="scopes" name="scopes" value=(connection.scopes.join(" "));
            }
            label for="add_hosts" { "Also allow these hosts" span class="hint" { "one a line; already allowed: " (service.allowed_hosts.iter().chain(&connection.extra_hosts).cloned().collect::<Vec<_>>().join(", ")) } }
            textarea id="add_hosts" name="add_hosts" {}
            button type="submit" { "Save changes" }
            a class="button secondary" href=(ctx.link(&format!("/c/{link}/connect"))) { "Re-authorize" }
        }
    }
}

/// POST /c/{link}/edit.
pub async fn edit(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    let store = admission.store.clone();
    let name = link.clone();
    let display = text(&fields, "display_name");
    let scopes = items(&fields, "scopes", true);
    let hosts = items(&fields, "add_hosts", true);
    let result = blocking(move || {
        let current = store.load()?.require_connection(&name)?.clone();
        let display = display.filter(|display| *display != current.display_name);
        let scopes = if scopes == current.scopes {
            Vec::new()
        } else {
            scopes
        };
        if display.is_none() && scopes.is_empty() && hosts.is_empty() {
            return Ok("nothing changed\n".to_owned());
        }
        manage::edit(&store, &name, display.as_deref(), scopes, &hosts)
    })
    .await;
    match result {
        Ok(message) => done(&ctx, "Connection updated", &message),
        Err(error) => match load(&admission, &link).await {
            Ok((connection, service)) => {
                let mut response = page(
                    &ctx,
                    "Edit connection",
                    edit_body(&ctx, &connection, &service, Some(&error.to_string())),
                );
                *response.status_mut() = StatusCode::BAD_REQUEST;
                response
            }
            Err(error) => error_page(&ctx, "Edit connection", &error),
        },
    }
}

/// The result of an action: the library's message (CLI hints about commands dropped).
fn done(ctx: &Ctx, title: &str, message: &str) -> Response {
    page(
        ctx,
        title,
        html! {
            @for line in message.lines().filter(|line| !line.trim().is_empty()) {
                p class="notice" role="status" { (line) }
            }
            p { a href=(ctx.link("/")) { "My connections" } }
        },
    )
}

fn confirm(ctx: &Ctx, link: &str, action: &str, question: &str, button: &str) -> Response {
    page(
        ctx,
        question,
        html! {
            form method="post" action=(ctx.link(&format!("/c/{link}/{action}"))) {
                (ctx.csrf_field())
                input type="hidden" name="confirm" value="yes";
                @if action == "delete" {
                    p { "The connection " code { (link) } " and its credentials are removed; scripts using it stop working." }
                } @else {
                    p { "The credentials of " code { (link) } " are deleted (and the provider told, when it can); the connection stays, to authorize again later." }
                }
                button class="danger" type="submit" { (button) }
                a class="button secondary" href=(ctx.link("/")) { "Cancel" }
            }
        },
    )
}

/// GET /c/{link}/revoke: asks for confirmation.
pub async fn revoke_form(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    confirm(&ctx, &link, "revoke", "Revoke this connection?", "Revoke")
}

/// GET /c/{link}/delete: asks for confirmation.
pub async fn delete_form(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    confirm(&ctx, &link, "delete", "Delete this connection?", "Delete")
}

/// POST /c/{link}/revoke (confirmed).
pub async fn revoke(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    act(state, admission, link, fields, "Revoked", manage::revoke).await
}

/// POST /c/{link}/delete (confirmed).
pub async fn delete(
    State(state): State<UiState>,
    Extension(admission): Extension<Admission>,
    Path(link): Path<String>,
    Form(fields): Form<Fields>,
) -> Response {
    act(state, admission, link, fields, "Deleted", manage::delete).await
}

async fn act(
    state: UiState,
    admission: Admission,
    link: String,
    fields: Fields,
    title: &str,
    action: fn(&deluge_lang::connections::Store, &str) -> Result<String, ConnectionError>,
) -> Response {
    let ctx = Ctx::new(&state, &admission);
    if text(&fields, "confirm").as_deref() != Some("yes") {
        return error_page(
            &ctx,
            title,
            &ConnectionError::InvalidInput("not confirmed; nothing was changed".into()),
        );
    }
    let store = admission.store.clone();
    match blocking(move || action(&store, &link)).await {
        Ok(message) => done(&ctx, title, &message),
        Err(error) => error_page(&ctx, title, &error),
    }
}
