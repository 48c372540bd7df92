//! The `dlg` command.

#![forbid(unsafe_code)]

/// Scripts allocate many small TEXT, LIST and KEY-VALUE values; mimalloc serves them markedly
/// faster than the system allocator (docs/performance.md). The library leaves the choice of
/// allocator to the programs that embed it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Every command runs on the interpreter's large-stack thread, which `dlg run` and the others
/// would otherwise start for each script: one thread holds all the work, so its allocator heap
/// is warm when the script starts (`strings` 0.9 ms and an empty script 0.3 ms faster on this
/// 2-core VM, see docs/performance.md).
fn main() {
    std::process::exit(deluge_lang::with_large_stack(dlg::cli::main));
}
