//! Transparent huge pages, turned back on once `dlg`'s start-up work is done.
//!
//! The binary starts with them off (`dlg/startup/huge_pages.c`): mimalloc asks for them on its
//! whole arena, and the few allocations of a start would otherwise each bring in a 2 MiB page.
//! What a script or a check builds after that gets them, as before: large lists and trees take
//! a fifth less time with 2 MiB pages than with 4 KiB ones (docs/performance.md, "start-up
//! memory"). `MIMALLOC_ALLOW_THP=0`, mimalloc's own switch, keeps them off for the whole run.

/// Turns transparent huge pages back on for the process, unless `MIMALLOC_ALLOW_THP=0` asks
/// for them off. Nothing to do where the kernel has no such switch.
pub fn allow_after_start_up() {
    #[cfg(target_os = "linux")]
    if std::env::var_os("MIMALLOC_ALLOW_THP").is_none_or(|value| value != "0") {
        let _ = rustix::thread::disable_transparent_huge_pages(false);
    }
}
