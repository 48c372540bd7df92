//! `genhtml` from Debian's lcov package, to check that `dlg test --lcov` output renders.
//! Installed with apt-get when missing and running as root; otherwise the caller skips with a
//! message saying why.

/// True when `genhtml` can run (installing lcov first if possible); `Err` says why not.
pub fn ensure() -> Result<(), String> {
    super::debian::ensure("genhtml", &["lcov"])
}
