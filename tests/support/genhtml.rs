//! `genhtml` from Debian's lcov package, to check that `dlg test --lcov` output renders.
//! Installed with apt-get when missing and running as root; otherwise the caller skips with a
//! message saying why.

use std::process::{Command, Stdio};

fn present() -> bool {
    Command::new("genhtml")
        .arg("--version")
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status()
        .is_ok_and(|s| s.success())
}

fn is_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// True when `genhtml` can run (installing lcov first if possible); `Err` says why not.
pub fn ensure() -> Result<(), String> {
    if present() {
        return Ok(());
    }
    if !is_root() {
        return Err("genhtml is not installed and the tests do not run as root: install Debian's lcov package".into());
    }
    let install = |args: &[&str]| {
        Command::new("apt-get")
            .args(args)
            .env("DEBIAN_FRONTEND", "noninteractive")
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !install(&["install", "-y", "-q", "lcov"]) {
        install(&["update", "-q"]);
        install(&["install", "-y", "-q", "lcov"]);
    }
    if present() {
        Ok(())
    } else {
        Err("`apt-get install lcov` did not provide genhtml".into())
    }
}
