//! `dlg check --jobs N`: the files of a check shared out over threads.

use std::sync::Mutex;

/// Stack for a checking thread: parsing and linting recurse once per nesting level, as they do
/// on the main thread.
const CHECK_STACK_BYTES: usize = 8 * 1024 * 1024;

/// Runs `work` on every item, on up to `threads` threads (this one among them), each thread
/// taking the next item when it is done with one. Runs on this thread alone when there is one
/// thread or one item, or when no thread can be started.
pub fn for_each<T: Send>(items: &mut [T], threads: usize, work: impl Fn(&mut T) + Sync) {
    let threads = threads.min(items.len());
    if threads <= 1 {
        items.iter_mut().for_each(work);
        return;
    }
    let queue = Mutex::new(items.iter_mut());
    let next = || queue.lock().ok()?.next();
    let drain = || {
        while let Some(item) = next() {
            work(item);
        }
    };
    std::thread::scope(|scope| {
        for _ in 1..threads {
            let spawned = std::thread::Builder::new()
                .name("dlg-check".into())
                .stack_size(CHECK_STACK_BYTES)
                .spawn_scoped(scope, drain);
            if spawned.is_err() {
                break;
            }
        }
        drain();
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_item_is_worked_on_once_whatever_the_threads() {
        for threads in [0, 1, 2, 7, 100] {
            let mut items: Vec<(usize, usize)> = (0..50).map(|n| (n, 0)).collect();
            for_each(&mut items, threads, |(n, done)| *done = *n * 2 + 1);
            assert!(
                items.iter().all(|&(n, done)| done == n * 2 + 1),
                "{threads} threads"
            );
        }
        let mut none: Vec<u8> = Vec::new();
        for_each(&mut none, 4, |_| unreachable!("no item"));
    }
}
