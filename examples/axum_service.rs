// A web service that runs its users' Deluge scripts: `POST /run` with the script as the body
// answers JSON with the script's result and what it printed. Scripts are untrusted, so the
// engine denies private networks (the service's own network, cloud metadata) and bounds each
// run (statements, wall time, HTTP calls and bytes, mails).
//
// `cargo run --example axum_service` starts the service on a free port, sends it two
// scripts, prints the answers and exits; `-- --serve` keeps serving and prints `READY <port>`.

use std::sync::Arc;
use std::time::Duration;

use axum::extract::State;
use axum::http::StatusCode;
use axum::routing::post;
use axum::{Json, Router};
use deluge_lang::{EgressPolicy, Engine, Limits};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// The engine every request shares: private networks denied, each run bounded.
pub fn service_engine() -> Engine {
    let mut engine = Engine::new();
    engine.set_egress(EgressPolicy::deny_private());
    engine.set_connections(None);
    engine.set_limits(Limits {
        max_statements: Some(1_000_000),
        timeout: Some(Duration::from_secs(10)),
        max_http_calls: Some(20),
        max_http_bytes: Some(4 * 1024 * 1024),
        max_emails: Some(0),
        ..Limits::default()
    });
    engine
}

/// The service's routes.
pub fn router(engine: Arc<Engine>) -> Router {
    Router::new().route("/run", post(run)).with_state(engine)
}

/// Runs the posted script: 200 with `result` and `output`, or 422 with `error` and `output`.
async fn run(
    State(engine): State<Arc<Engine>>,
    script: String,
) -> (StatusCode, Json<serde_json::Value>) {
    let (result, output) = engine.run_async(script).await.into_parts();
    match result {
        Ok(result) => (
            StatusCode::OK,
            Json(serde_json::json!({ "result": result, "output": output })),
        ),
        Err(error) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(serde_json::json!({ "error": error.to_string(), "output": output })),
        ),
    }
}

/// Posts `script` to the service at `port` and returns the status line and the body.
pub async fn post_script(port: u16, script: &str) -> std::io::Result<String> {
    let mut stream = TcpStream::connect(("127.0.0.1", port)).await?;
    let request = format!(
        "POST /run HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: text/plain\r\n\
         Content-Length: {}\r\nConnection: close\r\n\r\n{script}",
        script.len()
    );
    stream.write_all(request.as_bytes()).await?;
    let mut reply = String::new();
    stream.read_to_string(&mut reply).await?;
    let status = reply.lines().next().unwrap_or_default().to_owned();
    let body = reply.split_once("\r\n\r\n").map_or("", |(_, body)| body);
    Ok(format!("{status}\n{body}"))
}

#[tokio::main]
async fn main() -> std::io::Result<()> {
    let listener = TcpListener::bind("127.0.0.1:0").await?;
    let port = listener.local_addr()?.port();
    let app = router(Arc::new(service_engine()));
    if std::env::args().any(|arg| arg == "--serve") {
        println!("READY {port}");
        return axum::serve(listener, app).await;
    }
    tokio::spawn(async move { axum::serve(listener, app).await });
    let scripts = [
        "total = 0;\nfor each n in {1, 2, 3} { total = total + n; }\ninfo \"total: \" + total;\nreturn {\"total\": total};",
        "return invokeurl [ url: \"http://169.254.169.254/latest/meta-data/\" type: GET ];",
    ];
    for script in scripts {
        println!("{}\n", post_script(port, script).await?);
    }
    Ok(())
}
