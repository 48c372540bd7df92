//! One cassette for a whole script run (`dlg run --record FILE` / `--replay FILE`).

use std::path::Path;
use std::sync::Arc;

use crate::api::engine::Engine;
use crate::testing::cassette::{Cassette, CASSETTE_VERSION};
use crate::testing::record::{Recorder, RecordingConnections, RecordingTransport};
use crate::testing::replay::{OfflineConnections, ReplayTransport};

/// Answers the engine's HTTP requests from the cassette at `path`, offline and without
/// connections. `record_hint` says how that cassette is recorded, for the messages of a
/// missing cassette or exchange (dlg: `dlg run --record FILE`; a library user: how its
/// program calls [`record_into`]).
pub fn replay_from(engine: &mut Engine, path: &Path, record_hint: &str) -> Result<(), String> {
    let shown = path.display().to_string();
    let cassette = Cassette::load(path)?.ok_or_else(|| {
        format!("cassette {shown} does not exist: record it with `{record_hint}`")
    })?;
    engine.set_transport(ReplayTransport::new(
        Some(cassette.exchanges),
        &shown,
        record_hint,
    ));
    engine.set_connections(Some(Arc::new(OfflineConnections::new(
        cassette.connections,
        &shown,
        record_hint,
    ))));
    Ok(())
}

/// Makes the engine record every exchange (and what its connections add, to scrub it).
pub fn record_into(engine: &mut Engine) -> Arc<Recorder> {
    let recorder = Recorder::new();
    let inner = engine.transport();
    engine.set_transport(RecordingTransport {
        inner,
        recorder: Arc::clone(&recorder),
    });
    if let Some(store) = engine.connections() {
        engine.set_connections(Some(Arc::new(RecordingConnections {
            inner: store,
            recorder: Arc::clone(&recorder),
        })));
    }
    recorder
}

/// Writes what `recorder` saw, scrubbed, to `path`.
pub fn save_recording(recorder: &Recorder, path: &Path) -> Result<(), String> {
    Cassette {
        version: CASSETTE_VERSION,
        connections: recorder.connections(),
        exchanges: recorder.scrubbed(),
        ..Cassette::default()
    }
    .save(path)
}
