//! The `dlg` command.

#![forbid(unsafe_code)]

/// Scripts allocate many small TEXT, LIST and KEY-VALUE values; mimalloc serves them markedly
/// faster than the system allocator (docs/performance.md). The library leaves the choice of
/// allocator to the programs that embed it.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn main() {
    std::process::exit(dlg::cli::main());
}
