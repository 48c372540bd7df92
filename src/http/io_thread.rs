//! The HTTP engine's own I/O thread: a tokio runtime that lives (and is dropped) on a thread of
//! its own, so that no runtime is ever created, entered or dropped on the caller's thread. A
//! caller on a tokio runtime thread (an async service calling `Engine::run`) therefore never
//! meets tokio's "cannot drop a runtime in a context where blocking is not allowed".

use std::future::Future;

use tokio::runtime::Handle;
use tokio::sync::oneshot;

/// A running I/O thread; it stops when this is dropped (requests in flight are abandoned).
pub(crate) struct IoThread {
    handle: Handle,
    _stop: oneshot::Sender<()>,
}

impl IoThread {
    /// Starts the thread and its runtime.
    pub(crate) fn start() -> Result<IoThread, String> {
        let (stop, stopped) = oneshot::channel::<()>();
        let (ready, handle) = std::sync::mpsc::channel();
        std::thread::Builder::new()
            .name("dlg-http-io".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(runtime) => runtime,
                    Err(error) => {
                        let _ =
                            ready.send(Err(format!("could not start the HTTP runtime: {error}")));
                        return;
                    }
                };
                let _ = ready.send(Ok(runtime.handle().clone()));
                let _ = runtime.block_on(stopped);
            })
            .map_err(|error| format!("could not start the HTTP I/O thread: {error}"))?;
        let handle = handle
            .recv()
            .map_err(|_| "the HTTP I/O thread stopped while starting".to_owned())??;
        Ok(IoThread {
            handle,
            _stop: stop,
        })
    }

    /// Runs `work` on the I/O thread; the returned handle aborts it.
    pub(crate) fn spawn<F>(&self, work: F) -> tokio::task::JoinHandle<()>
    where
        F: Future<Output = ()> + Send + 'static,
    {
        self.handle.spawn(work)
    }

    /// Runs `make` with the I/O thread's runtime as the current one (to build clients that
    /// need a runtime context).
    pub(crate) fn within<T>(&self, make: impl FnOnce() -> T) -> T {
        let _entered = self.handle.enter();
        make()
    }
}
