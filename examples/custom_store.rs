// A custom connection store and HTTP transport: `cargo run --example custom_store`.
//
// The host keeps API keys in its own secrets service (here an in-memory map) and routes
// `invokeurl` through its own client (here a fake that answers locally, so the example needs no
// network). The script never sees the key; the transport shows it arrived, masked.

use std::collections::HashMap;
use std::sync::Arc;

use deluge_lang::http::{
    ConnectionAuthorizer, ConnectionError, HttpError, HttpRequest, HttpResponse, SendOptions,
    Transport,
};
use deluge_lang::{CaptureOutput, Engine};

/// API keys by connection link name, as a host's secrets service would hold them.
struct VaultStore {
    keys: HashMap<String, String>,
}

impl ConnectionAuthorizer for VaultStore {
    fn authorize(&self, link_name: &str, request: &mut HttpRequest) -> Result<(), ConnectionError> {
        let key = self
            .keys
            .get(link_name)
            .ok_or_else(|| ConnectionError::UnknownConnection {
                link_name: link_name.to_owned(),
            })?;
        request.set_header("Authorization", format!("Bearer {key}"));
        Ok(())
    }
}

/// Answers every request locally with a JSON echo of what it received.
struct EchoTransport;

impl Transport for EchoTransport {
    fn send(&self, request: HttpRequest, _: &SendOptions) -> Result<HttpResponse, HttpError> {
        let auth = request.header("authorization").unwrap_or("none");
        let masked = match auth.get(..10) {
            Some(prefix) if auth.len() > 10 => format!("{prefix}..."),
            _ => auth.to_owned(),
        };
        let body = serde_json::json!({
            "method": request.method.as_str(),
            "path": request.url.path(),
            "authorization": masked,
        });
        Ok(HttpResponse {
            status: 200,
            headers: vec![("content-type".into(), "application/json".into())],
            body: body.to_string().into_bytes(),
            url: request.url,
        })
    }
}

/// The script this example runs.
const SCRIPT: &str = r#"
response = invokeurl
[
    url: "https://api.example.com/v1/deals"
    type: GET
    connection: "crm_api"
];
info response.get("method") + " " + response.get("path");
info "auth: " + response.get("authorization");
try {
    invokeurl [ url: "https://api.example.com/v1/x" type: GET connection: "nope" ];
} catch (e) {
    info "error: " + e;
}
"#;

/// Runs the script with the custom store and transport; returns what it printed.
pub fn transcript() -> String {
    let mut engine = Engine::new();
    let keys = HashMap::from([("crm_api".to_owned(), "sk_live_0123456789".to_owned())]);
    engine.set_connections(Some(Arc::new(VaultStore { keys })));
    engine.set_transport(EchoTransport);
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    match engine.run(SCRIPT) {
        Ok(_) => output.text(),
        Err(error) => format!("{}{}", output.text(), error.render(false)),
    }
}

fn main() {
    print!("{}", transcript());
}
