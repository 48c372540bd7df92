//! Reading secrets for `dlg service create` and `dlg connection authorize`: a hidden prompt on a
//! terminal (echo off, like `ssh` and `sudo`), else one line of standard input per value.

use crate::connections::{ConnectionError, Secret};
use std::io::{self, BufRead, IsTerminal, Write};
use zeroize::Zeroizing;

/// Where secret values come from.
pub trait SecretSource {
    /// True when a person can be asked (standard input is a terminal).
    fn is_interactive(&self) -> bool;

    /// Reads one value. Interactive: prompts with `label`, without echo when `hidden`.
    /// Otherwise: reads the next line of standard input.
    fn read(&mut self, label: &str, hidden: bool) -> Result<Secret, ConnectionError>;
}

/// The process's standard input and, for prompts, standard error.
#[derive(Debug)]
pub struct StdinSource {
    interactive: bool,
}

impl StdinSource {
    /// A source over the real standard input.
    pub fn new() -> Self {
        StdinSource {
            interactive: io::stdin().is_terminal(),
        }
    }
}

impl Default for StdinSource {
    fn default() -> Self {
        Self::new()
    }
}

impl SecretSource for StdinSource {
    fn is_interactive(&self) -> bool {
        self.interactive
    }

    fn read(&mut self, label: &str, hidden: bool) -> Result<Secret, ConnectionError> {
        if !self.interactive {
            return read_line(label);
        }
        let mut stderr = io::stderr();
        let _ = write!(stderr, "{label}: ");
        let _ = stderr.flush();
        if hidden {
            read_hidden(label)
        } else {
            read_line(label)
        }
    }
}

/// Reads a line of standard input, without its line ending.
fn read_line(label: &str) -> Result<Secret, ConnectionError> {
    let mut line = Zeroizing::new(String::with_capacity(512));
    let read = io::stdin()
        .lock()
        .read_line(&mut line)
        .map_err(|error| input_error(label, &error.to_string()))?;
    if read == 0 {
        return Err(input_error(label, "standard input ended before it"));
    }
    if line.contains('\u{3}') {
        return Err(ConnectionError::InvalidInput("cancelled".into()));
    }
    let value = line.trim_end_matches(['\r', '\n']);
    Ok(Secret::new(value.to_owned()))
}

#[cfg(unix)]
fn read_hidden(label: &str) -> Result<Secret, ConnectionError> {
    let _echo_off = EchoOff::new().map_err(|error| input_error(label, &error.to_string()))?;
    read_line(label)
}

#[cfg(not(unix))]
fn read_hidden(label: &str) -> Result<Secret, ConnectionError> {
    Err(input_error(
        label,
        "hidden prompts need a Unix terminal here; pipe the value instead (--param KEY=-)",
    ))
}

fn input_error(label: &str, reason: &str) -> ConnectionError {
    ConnectionError::InvalidInput(format!("cannot read {label}: {reason}"))
}

/// Turns terminal echo (and Ctrl-C signals, which would leave echo off) off until dropped.
/// Ctrl-C then arrives as a character and cancels the prompt.
#[cfg(unix)]
struct EchoOff {
    original: libc::termios,
}

#[cfg(unix)]
impl EchoOff {
    fn new() -> io::Result<EchoOff> {
        let mut original = std::mem::MaybeUninit::<libc::termios>::uninit();
        // SAFETY: tcgetattr fills the termios struct on success; we read it only then.
        let original = unsafe {
            if libc::tcgetattr(libc::STDIN_FILENO, original.as_mut_ptr()) != 0 {
                return Err(io::Error::last_os_error());
            }
            original.assume_init()
        };
        let mut silent = original;
        silent.c_lflag &= !(libc::ECHO | libc::ISIG);
        silent.c_lflag |= libc::ECHONL;
        // SAFETY: `silent` is a valid termios obtained from tcgetattr.
        if unsafe { libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &silent) } != 0 {
            return Err(io::Error::last_os_error());
        }
        Ok(EchoOff { original })
    }
}

#[cfg(unix)]
impl Drop for EchoOff {
    fn drop(&mut self) {
        // SAFETY: restores the settings read in `new`.
        unsafe {
            libc::tcsetattr(libc::STDIN_FILENO, libc::TCSANOW, &self.original);
        }
    }
}
