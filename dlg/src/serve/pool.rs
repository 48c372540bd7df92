//! Scripts run on tokio's blocking threads, at most `workers` at once; up to `max_queue` more
//! calls wait for a thread, and a call beyond that is refused at once (503).

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use tokio::sync::Semaphore;

/// The pool of call slots.
pub struct Pool {
    slots: Arc<Semaphore>,
    admitted: AtomicUsize,
    capacity: usize,
}

/// Why a call did not run.
#[derive(Debug, PartialEq, Eq)]
pub enum PoolError {
    /// Every worker is busy and the queue is full.
    Full,
    /// The job panicked (a bug: reported without details).
    Crashed,
}

/// Decrements the admitted count when a call leaves (even if its future is dropped).
struct Admission<'p>(&'p AtomicUsize);

impl Drop for Admission<'_> {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

impl Pool {
    /// `workers` calls at once (at least one), `max_queue` more waiting.
    pub fn new(workers: usize, max_queue: usize) -> Pool {
        let workers = workers.max(1);
        Pool {
            slots: Arc::new(Semaphore::new(workers)),
            admitted: AtomicUsize::new(0),
            capacity: workers + max_queue,
        }
    }

    /// Calls running or waiting now.
    pub fn admitted(&self) -> usize {
        self.admitted.load(Ordering::SeqCst)
    }

    /// Runs `job` on a blocking thread once a worker is free; [`PoolError::Full`] at once when
    /// the queue is full.
    pub async fn run<T: Send + 'static>(
        &self,
        job: impl FnOnce() -> T + Send + 'static,
    ) -> Result<T, PoolError> {
        if self.admitted.fetch_add(1, Ordering::SeqCst) >= self.capacity {
            self.admitted.fetch_sub(1, Ordering::SeqCst);
            return Err(PoolError::Full);
        }
        let _admission = Admission(&self.admitted);
        let _permit = Arc::clone(&self.slots)
            .acquire_owned()
            .await
            .map_err(|_| PoolError::Full)?;
        tokio::task::spawn_blocking(job)
            .await
            .map_err(|_| PoolError::Crashed)
    }
}
