//! Links `dlg` for a small start (docs/performance.md, "start-up memory"):
//!
//! - on Linux, a constructor starts the process without transparent huge pages
//!   (`startup/huge_pages.c`); `dlg` turns them back on once its start-up work is done;
//! - with the toolchain's own linker (LLD, the default for x86-64 Linux since Rust 1.90), the
//!   functions a start runs are gathered at the front of the code (`startup/layout.ld`, written
//!   by `startup/generate.py`; it names v0 symbols, so only with `.cargo/config.toml`'s
//!   `symbol-mangling-version=v0`), and the relocations are packed (RELR) when this machine's
//!   glibc reads them (2.36 and later).
//!
//! Whatever does not apply is left out: the program is the same, only its start is larger.

use std::env;
use std::path::Path;
use std::process::Command;

/// The first Rust release whose x86-64 Linux target links with its bundled LLD by default.
const FIRST_RUST_MINOR_LINKING_WITH_LLD: u32 = 90;
/// The first glibc whose loader reads packed (RELR) relocations.
const FIRST_GLIBC_READING_RELR: (u32, u32) = (2, 36);

fn main() {
    println!("cargo:rerun-if-changed=startup/huge_pages.c");
    println!("cargo:rerun-if-changed=startup/layout.ld");
    if env::var("CARGO_CFG_TARGET_OS").as_deref() == Ok("linux") {
        link_start_without_huge_pages();
    }
    if links_with_bundled_lld() {
        if rustflags().contains("symbol-mangling-version=v0") {
            let layout = Path::new(&env::var("CARGO_MANIFEST_DIR").unwrap_or_default())
                .join("startup/layout.ld");
            println!(
                "cargo:rustc-link-arg-bins=-Wl,--script={}",
                layout.display()
            );
            // tests/startup.rs checks what the build says it linked
            println!("cargo:rustc-env=DLG_START_LAYOUT=1");
        }
        if host_glibc_reads_relr() {
            println!("cargo:rustc-link-arg-bins=-Wl,-z,pack-relative-relocs");
            println!("cargo:rustc-env=DLG_PACKED_RELOCATIONS=1");
        }
    }
}

/// Compiles the constructor and links its object into the binary directly, so the linker keeps
/// it although nothing refers to it.
fn link_start_without_huge_pages() {
    let objects = cc::Build::new()
        .file("startup/huge_pages.c")
        .compile_intermediates();
    for object in objects {
        println!("cargo:rustc-link-arg-bins={}", object.display());
    }
}

/// True when the binary is linked by the toolchain's bundled LLD: the x86-64 Linux target of a
/// recent enough rustc, with no linker chosen in the configuration or the flags.
fn links_with_bundled_lld() -> bool {
    let flags = rustflags();
    env::var("TARGET").as_deref() == Ok("x86_64-unknown-linux-gnu")
        && env::var_os("RUSTC_LINKER").is_none()
        && !["linker", "fuse-ld", "link-self-contained"]
            .iter()
            .any(|flag| flags.contains(flag))
        && rustc_minor().is_some_and(|minor| minor >= FIRST_RUST_MINOR_LINKING_WITH_LLD)
}

fn rustflags() -> String {
    env::var("CARGO_ENCODED_RUSTFLAGS").unwrap_or_default()
}

/// The minor version of the rustc building this crate (`rustc 1.95.0 (...)` gives 95).
fn rustc_minor() -> Option<u32> {
    let rustc = env::var("RUSTC").unwrap_or_else(|_| "rustc".to_owned());
    let version = command_output(&rustc, &["--version"])?;
    version
        .split_whitespace()
        .nth(1)?
        .split('.')
        .nth(1)?
        .parse()
        .ok()
}

/// True when the binary runs where it is built and that machine's glibc reads RELR.
fn host_glibc_reads_relr() -> bool {
    if env::var("HOST").ok() != env::var("TARGET").ok() {
        return false;
    }
    // `glibc 2.36`
    let Some(version) = command_output("getconf", &["GNU_LIBC_VERSION"]) else {
        return false;
    };
    let mut numbers = version
        .trim()
        .trim_start_matches("glibc ")
        .split('.')
        .map(str::parse::<u32>);
    match (numbers.next(), numbers.next()) {
        (Some(Ok(major)), Some(Ok(minor))) => (major, minor) >= FIRST_GLIBC_READING_RELR,
        _ => false,
    }
}

fn command_output(program: &str, args: &[&str]) -> Option<String> {
    let output = Command::new(program).args(args).output().ok()?;
    output
        .status
        .success()
        .then(|| String::from_utf8_lossy(&output.stdout).into_owned())
}
