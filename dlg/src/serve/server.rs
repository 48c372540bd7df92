//! Starting and stopping: compile the files, open the key file, bind the listener, serve on a
//! tokio runtime whose blocking threads run the scripts, reload on change, and on SIGTERM or
//! Ctrl-C stop accepting, finish the calls in flight and exit.

use std::sync::Arc;

use tokio::net::{TcpListener, TcpSocket};
use tokio::sync::Notify;

use std::net::SocketAddr;

use super::access_log;
use super::admin;
use super::catalog;
use super::config::Config;
use super::engine;
use super::keys::KeyFile;
use super::reload;
use super::state::State;
use deluge_lang::api::engine::LARGE_STACK_BYTES;
use deluge_lang::connections::Store;

/// Runs `dlg serve` until a shutdown signal; an error says why it could not start.
pub fn run(config: Config) -> Result<(), String> {
    let engine = engine::build(&config);
    let catalog = catalog::load(&engine, &config.paths).map_err(|e| e.0)?;
    let keys = open_keys(&config)?;
    let functions = catalog.script.functions.len();
    let state = Arc::new(State::new(&config, engine, catalog, keys));
    reload::watch(
        Arc::clone(&state),
        config.paths.clone(),
        config.reload_interval,
    );
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_io()
        .enable_time()
        .thread_name("dlg-serve")
        .thread_stack_size(LARGE_STACK_BYTES)
        .build()
        .map_err(|e| format!("cannot start the server runtime: {e}"))?;
    runtime.block_on(serve(state, &config, functions))
}

/// The key file, or `None` with `--public` (said loudly, as it lets anyone call).
fn open_keys(config: &Config) -> Result<Option<KeyFile>, String> {
    if config.public {
        access_log::event(
            "warn",
            "PUBLIC: no API key is needed; anyone who can reach this address can call every function",
            &[("listen", &config.listen.to_string())],
        );
        return Ok(None);
    }
    let keys = KeyFile::open_default()?;
    if keys.list()?.is_empty() {
        access_log::event(
            "warn",
            "no API keys yet: every call is refused (401) until one is made with dlg serve key create NAME",
            &[("key_file", &keys.path().display().to_string())],
        );
    }
    Ok(Some(keys))
}

async fn serve(state: Arc<State>, config: &Config, functions: usize) -> Result<(), String> {
    let listener = bind(config)?;
    let address = listener
        .local_addr()
        .map_err(|e| format!("cannot read the listening address: {e}"))?;
    access_log::event(
        "info",
        "listening",
        &[
            ("address", &format!("http://{address}")),
            ("functions", &functions.to_string()),
            ("allow_private", &config.allow_private.to_string()),
        ],
    );
    let app = super::router(Arc::clone(&state)).merge(connections_pages(config, address)?);
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown_signal(Arc::clone(&state)))
        .await
        .map_err(|e| format!("the server stopped: {e}"))?;
    access_log::event("info", "stopped", &[]);
    Ok(())
}

/// The Connections pages at `/connections` over the store chosen by `--store`/`--tenant`,
/// behind the admin keys of the key file, answering at `--public-host` (else `address`).
fn connections_pages(config: &Config, address: SocketAddr) -> Result<axum::Router, String> {
    let store = Store::open_default().map_err(|e| e.to_string())?;
    let keys = KeyFile::open_default()?;
    let (origin, hosts) = admin::origin_and_hosts(&config.public_hosts, &address.to_string());
    access_log::event(
        "info",
        "connections_pages",
        &[
            ("url", &format!("{origin}{}/login", admin::MOUNT)),
            ("store", &store.describe()),
        ],
    );
    let guard = Arc::new(admin::AdminGuard::new(hosts, store, keys));
    Ok(admin::router(guard, &origin))
}

/// The listening socket (`SO_REUSEPORT` with `--reuse-port`, so that several processes share
/// one port).
fn bind(config: &Config) -> Result<TcpListener, String> {
    let cannot = |e: std::io::Error| {
        format!(
            "cannot listen on {}: {e}; choose another address with --listen",
            config.listen
        )
    };
    let socket = if config.listen.is_ipv4() {
        TcpSocket::new_v4()
    } else {
        TcpSocket::new_v6()
    }
    .map_err(cannot)?;
    socket.set_reuseaddr(true).map_err(cannot)?;
    #[cfg(unix)]
    if config.reuse_port {
        socket.set_reuseport(true).map_err(cannot)?;
    }
    socket.bind(config.listen).map_err(cannot)?;
    socket.listen(1024).map_err(cannot)
}

/// Resolves on SIGTERM or Ctrl-C (SIGINT), after logging how many calls are still running.
async fn shutdown_signal(state: Arc<State>) {
    let notify = Arc::new(Notify::new());
    let on_interrupt = Arc::clone(&notify);
    tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            on_interrupt.notify_one();
        }
    });
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut terminate) => {
                let on_terminate = Arc::clone(&notify);
                tokio::spawn(async move {
                    if terminate.recv().await.is_some() {
                        on_terminate.notify_one();
                    }
                });
            }
            Err(e) => {
                access_log::event("warn", "SIGTERM not handled", &[("error", &e.to_string())])
            }
        }
    }
    notify.notified().await;
    access_log::event(
        "info",
        "shutting_down",
        &[
            ("in_flight", &state.pool.admitted().to_string()),
            (
                "action",
                "refusing new connections, finishing calls in flight",
            ),
        ],
    );
}
