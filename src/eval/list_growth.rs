//! How a LIST's buffer grows when `add` or `addAll` outgrows it.
//!
//! A short list grows as `Vec` does (doubling). A long one, from [`LARGE_LIST`] items, grows
//! its capacity [`LARGE_GROWTH`]-fold, never past the run's `max_collection_len`. The reason is
//! memory, not speed: each growth copies the items into a new buffer and frees the old one,
//! and the allocator keeps a freed buffer resident for a while (mimalloc's purge delay) without
//! reusing it for the next, larger one. Doubling leaves buffers adding up to the final one's
//! size resident beside it; growing eight-fold leaves an eighth. The unused capacity of the
//! last buffer is address space only: a page is resident once an item is written to it.
//! docs/performance.md ("a large list's growth") has the measurements.

use crate::eval::value::Value;

/// From this many items a list grows by [`LARGE_GROWTH`] instead of doubling.
pub(crate) const LARGE_LIST: usize = 1 << 16;

/// The factor a long list's capacity grows by.
pub(crate) const LARGE_GROWTH: usize = 8;

/// Makes room in `items` for `additional` more. A long list asks for [`LARGE_GROWTH`] times
/// its capacity (at most `max_len` items, and at least what is needed); when the allocator
/// refuses that much, it grows as a short one does.
#[inline]
pub(crate) fn reserve_items(items: &mut Vec<Value>, additional: usize, max_len: usize) {
    if items.capacity() - items.len() < additional {
        grow(items, additional, max_len);
    }
}

/// [`reserve_items`] when the room is not there. Out of line: the check is on `add`'s path.
#[inline(never)]
fn grow(items: &mut Vec<Value>, additional: usize, max_len: usize) {
    if items.len() >= LARGE_LIST {
        let needed = items.len().saturating_add(additional);
        let target = items
            .capacity()
            .saturating_mul(LARGE_GROWTH)
            .min(max_len)
            .max(needed);
        if items.try_reserve_exact(target - items.len()).is_ok() {
            return;
        }
    }
    items.reserve(additional);
}

#[cfg(test)]
mod tests {
    use super::*;

    fn full_list(len: usize) -> Vec<Value> {
        let mut items = Vec::with_capacity(len);
        items.resize(len, Value::Null);
        items
    }

    #[test]
    fn a_short_list_grows_as_a_vec_does() {
        let mut items = full_list(1_000);
        reserve_items(&mut items, 1, usize::MAX);
        assert_eq!(items.capacity(), 2_000);
    }

    #[test]
    fn a_long_list_grows_eight_fold() {
        let mut items = full_list(LARGE_LIST);
        reserve_items(&mut items, 1, usize::MAX);
        assert_eq!(items.capacity(), LARGE_LIST * LARGE_GROWTH);
    }

    #[test]
    fn a_long_list_never_grows_past_the_collection_limit() {
        let mut items = full_list(LARGE_LIST);
        reserve_items(&mut items, 10, LARGE_LIST + 100);
        assert_eq!(items.capacity(), LARGE_LIST + 100);
    }

    #[test]
    fn a_long_list_gets_at_least_the_room_asked_for() {
        let mut items = full_list(LARGE_LIST);
        let asked = LARGE_LIST * LARGE_GROWTH * 2;
        reserve_items(&mut items, asked, usize::MAX);
        assert!(items.capacity() >= LARGE_LIST + asked);
    }

    #[test]
    fn room_already_there_is_not_grown() {
        let mut items = Vec::with_capacity(LARGE_LIST * 2);
        items.resize(LARGE_LIST, Value::Null);
        reserve_items(&mut items, 5, usize::MAX);
        assert_eq!(items.capacity(), LARGE_LIST * 2);
    }
}
