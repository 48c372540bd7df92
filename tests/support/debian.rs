//! Programs from Debian's packages that some tests need (lcov's genhtml, PostgreSQL, Neovim,
//! Chromium): installed with apt-get when missing and the tests run as root; otherwise the
//! caller skips with the message saying why.

use std::path::Path;
use std::process::{Command, Stdio};

/// True when `program --version` runs.
pub fn present(program: &str) -> bool {
    let runs = |p: &str| {
        Command::new(p)
            .arg("--version")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status()
            .is_ok_and(|s| s.success())
    };
    runs(program) || (Path::new(program).is_absolute() && Path::new(program).exists())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

fn apt_get(args: &[&str]) -> bool {
    Command::new("apt-get")
        .args(args)
        .env("DEBIAN_FRONTEND", "noninteractive")
        .output()
        .is_ok_and(|o| o.status.success())
}

/// Makes `program` available, installing Debian's `packages` first if needed (root only);
/// `Err` says why it is not there.
pub fn ensure(program: &str, packages: &[&str]) -> Result<(), String> {
    if present(program) {
        return Ok(());
    }
    let list = packages.join(" ");
    if !is_root() {
        return Err(format!(
            "{program} is not installed and the tests do not run as root: install Debian's {list}"
        ));
    }
    let mut install = vec!["install", "-y", "-q", "--no-install-recommends"];
    install.extend_from_slice(packages);
    if !apt_get(&install) {
        apt_get(&["update", "-q"]);
        apt_get(&install);
    }
    if present(program) {
        Ok(())
    } else {
        Err(format!(
            "`apt-get install {list}` did not provide {program}"
        ))
    }
}
