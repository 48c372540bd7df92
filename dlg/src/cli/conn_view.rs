//! `dlg connection list` and `show`: the human and the stable JSON views of connections.

use super::conn_output::{json_text, list_or_none, table};
use deluge_lang::connections::authorizer::allowed_hosts;
use deluge_lang::connections::{Connection, ConnectionError, Snapshot, Store};
use serde_json::json;
use std::fmt::Write as _;

pub(super) fn list(store: &Store, json: bool) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    if json {
        let connections: Vec<_> = snapshot
            .connections()
            .map(|connection| connection_json(&snapshot, connection))
            .collect();
        return Ok(json_text(&json!({ "connections": connections })));
    }
    if snapshot.connections().next().is_none() {
        return Ok("no connections yet; create one with \
                   `dlg connection create LINK --service SERVICE`\n"
            .into());
    }
    let mut rows = vec![vec![
        "LINK NAME".to_owned(),
        "SERVICE".to_owned(),
        "STATUS".to_owned(),
        "DISPLAY NAME".to_owned(),
    ]];
    for connection in snapshot.connections() {
        rows.push(vec![
            connection.link_name.clone(),
            connection.service.clone(),
            connection.status.to_string(),
            connection.display_name.clone(),
        ]);
    }
    Ok(table(&rows))
}

pub(super) fn show(store: &Store, link_name: &str, json: bool) -> Result<String, ConnectionError> {
    let snapshot = store.load()?;
    let connection = snapshot.require_connection(link_name)?;
    let fields = snapshot
        .credentials(link_name)?
        .map(|credentials| credentials.field_names());
    if json {
        let mut value = connection_json(&snapshot, connection);
        value["credentials"] = match &fields {
            Some(fields) => fields
                .iter()
                .map(|field| (field.clone(), json!("***")))
                .collect::<serde_json::Map<_, _>>()
                .into(),
            None => serde_json::Value::Null,
        };
        return Ok(json_text(&value));
    }
    Ok(describe(&snapshot, connection, fields.as_deref()))
}

/// The stable JSON form of a connection (docs/connections-json.md). Holds no secret.
pub fn connection_json(snapshot: &Snapshot, connection: &Connection) -> serde_json::Value {
    let service = snapshot.service(&connection.service);
    let hosts = match service {
        Some(service) => allowed_hosts(connection, service),
        None => connection.extra_hosts.clone(),
    };
    let time = |value: &Option<jiff::Timestamp>| value.map(|time| time.to_string());
    json!({
        "link_name": connection.link_name,
        "display_name": connection.display_name,
        "service": connection.service,
        "auth": service.map(|service| service.auth.kind().as_str()),
        "status": connection.status.as_str(),
        "scopes": connection.scopes,
        "allowed_hosts": hosts,
        "extra_hosts": connection.extra_hosts,
        "has_credentials": snapshot.has_credentials(&connection.link_name),
        "created_at": connection.created_at.to_string(),
        "updated_at": connection.updated_at.to_string(),
        "authorized_at": time(&connection.authorized_at),
        "expires_at": time(&connection.expires_at),
    })
}

fn describe(snapshot: &Snapshot, connection: &Connection, fields: Option<&[String]>) -> String {
    let service = snapshot.service(&connection.service);
    let auth = service.map_or("unknown (service missing)", |service| {
        service.auth.kind().title()
    });
    let hosts = service.map_or_else(
        || connection.extra_hosts.clone(),
        |service| allowed_hosts(connection, service),
    );
    let credentials = match fields {
        Some(fields) => fields
            .iter()
            .map(|field| format!("{field}=***"))
            .collect::<Vec<_>>()
            .join(", "),
        None => "none".into(),
    };
    let mut text = String::new();
    let _ = writeln!(text, "connection:     {}", connection.link_name);
    let _ = writeln!(text, "display name:   {}", connection.display_name);
    let _ = writeln!(text, "service:        {} ({auth})", connection.service);
    let _ = writeln!(text, "status:         {}", connection.status);
    if !connection.scopes.is_empty() {
        let _ = writeln!(text, "scopes:         {}", connection.scopes.join(", "));
    }
    let _ = writeln!(text, "allowed hosts:  {}", list_or_none(&hosts));
    let _ = writeln!(text, "credentials:    {credentials}");
    let _ = writeln!(text, "created:        {}", connection.created_at);
    let _ = writeln!(text, "updated:        {}", connection.updated_at);
    if let Some(time) = connection.authorized_at {
        let _ = writeln!(text, "authorized:     {time}");
    }
    if let Some(time) = connection.expires_at {
        let _ = writeln!(text, "token expires:  {time}");
    }
    if let Some(error) = &connection.last_refresh_error {
        let _ = writeln!(text, "last refresh:   failed: {error}");
    }
    text
}
