//! Pinned Python packages for the test servers and tools: one virtual environment per tool
//! under `target/test-servers/<name>-venv`, installed once (under a file lock) from a
//! requirements text. Set `DLG_TEST_PYTHON` to choose the interpreter (default `python3`).

use std::fs;
use std::path::{Path, PathBuf};
use std::process::Command;

use super::peer::{ensure_installed, run_install_step, servers_dir};

/// The virtual environment `target/test-servers/<name>-venv` holding the pinned packages of
/// `requirements` (the text of a requirements file), installed on first use.
pub fn pinned_venv(name: &str, requirements: &str) -> PathBuf {
    let venv = servers_dir().join(format!("{name}-venv"));
    ensure_installed(name, &venv, requirements, |dir| {
        install(name, dir, requirements)
    });
    venv
}

/// The Python interpreter inside `venv`.
pub fn venv_python(venv: &Path) -> PathBuf {
    venv.join("bin").join("python")
}

/// A program that pip installed into `venv` (`pytest`, say).
pub fn venv_program(venv: &Path, program: &str) -> PathBuf {
    venv.join("bin").join(program)
}

fn python() -> String {
    std::env::var("DLG_TEST_PYTHON").unwrap_or_else(|_| "python3".to_owned())
}

fn install(name: &str, venv: &Path, requirements: &str) {
    let python = python();
    run_install_step(
        Command::new(&python).args(["-m", "venv"]).arg(venv),
        &format!("'{python} -m venv' (set DLG_TEST_PYTHON to another Python 3.9+)"),
    );
    let file = venv.join(format!("{name}-requirements.txt"));
    fs::write(&file, requirements)
        .unwrap_or_else(|e| panic!("cannot write {}: {e}", file.display()));
    run_install_step(
        Command::new(venv_python(venv))
            .args([
                "-m",
                "pip",
                "install",
                "--disable-pip-version-check",
                "-q",
                "-r",
            ])
            .arg(&file),
        &format!("pip install of the pinned {name} packages"),
    );
}
