//! Reading secrets for `dlg service create` and `dlg connection authorize`: a hidden prompt on a
//! terminal (echo off, like `ssh` and `sudo`), else one line of standard input per value.

use deluge_lang::connections::{ConnectionError, Secret};
use std::fs::File;
use std::io::{self, BufRead, IsTerminal, Read, Write};
use std::path::Path;
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
        if hidden {
            return read_hidden(label);
        }
        prompt(label);
        read_line(label)
    }
}

/// Resolves a secret flag's value: `-` reads it (hidden prompt, or standard input when piped),
/// `@FILE` reads the file (one trailing line ending dropped). Any other value is refused: it
/// sat on the command line, where other local users see it (`ps`, `/proc`) and shell history
/// keeps it. `usage` is the flag as the user writes it before the value, e.g. `--client-secret `
/// or `--param X-Api-Key=`.
pub fn secret_from_flag(
    value: &Secret,
    usage: &str,
    label: &str,
    input: &mut dyn SecretSource,
) -> Result<Secret, ConnectionError> {
    let text = value.expose();
    if text == "-" {
        return input.read(label, true);
    }
    if let Some(path) = text.strip_prefix('@') {
        return read_secret_file(usage, Path::new(path));
    }
    Err(ConnectionError::InvalidInput(format!(
        "{} was given a secret on the command line (value not shown), where other local users \
         can see it (`ps`, /proc) and shell history keeps it, so dlg refuses it; use \
         `{usage}-` to type it at a hidden prompt or pipe it on standard input, or \
         `{usage}@FILE` to read it from a file",
        usage.trim_end_matches([' ', '='])
    )))
}

/// Reads a secret from a file, dropping one trailing line ending.
fn read_secret_file(usage: &str, path: &Path) -> Result<Secret, ConnectionError> {
    let mut text = Zeroizing::new(String::new());
    File::open(path)
        .and_then(|mut file| file.read_to_string(&mut text))
        .map_err(|error| {
            ConnectionError::InvalidInput(format!(
                "cannot read the value of `{usage}@FILE` from {}: {error}",
                path.display()
            ))
        })?;
    let value = text
        .strip_suffix('\n')
        .map(|rest| rest.strip_suffix('\r').unwrap_or(rest))
        .unwrap_or(&text);
    Ok(Secret::new(value.to_owned()))
}

/// Shows `label: ` on standard error.
fn prompt(label: &str) {
    let mut stderr = io::stderr();
    let _ = write!(stderr, "{label}: ");
    let _ = stderr.flush();
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
    let value = line.trim_end_matches(['\r', '\n']);
    Ok(Secret::new(value.to_owned()))
}

/// The longest hidden value accepted (long enough for JWTs and PEM-free tokens).
const MAX_HIDDEN_LEN: usize = 16 * 1024;

/// Prompts for and reads a value from the terminal without echo. The terminal is put in non-canonical mode with
/// signals off, so Ctrl-C cancels at once (and the settings are always restored), Ctrl-D on an
/// empty line ends input, Backspace and Ctrl-U edit, Enter finishes.
#[cfg(unix)]
fn read_hidden(label: &str) -> Result<Secret, ConnectionError> {
    let fail = |error: io::Error| input_error(label, &error.to_string());
    // Echo goes off before the prompt shows, so nothing typed after the prompt is echoed.
    let raw = RawInput::new().map_err(fail)?;
    prompt(label);
    let mut bytes = Zeroizing::new(Vec::with_capacity(MAX_HIDDEN_LEN));
    let finished = loop {
        let Some(byte) = raw.read_byte().map_err(fail)? else {
            break bytes
                .is_empty()
                .then(|| input_error(label, "standard input ended before it"));
        };
        match byte {
            b'\n' | b'\r' => break None,
            0x03 => break Some(ConnectionError::InvalidInput("cancelled".into())),
            0x04 if bytes.is_empty() => {
                break Some(input_error(label, "standard input ended before it"))
            }
            0x7f | 0x08 => pop_char(&mut bytes),
            0x15 => bytes.clear(),
            _ if bytes.len() == MAX_HIDDEN_LEN => {
                break Some(input_error(label, "the value is too long"))
            }
            other => bytes.push(other),
        }
    };
    drop(raw);
    eprintln!();
    if let Some(error) = finished {
        return Err(error);
    }
    String::from_utf8(std::mem::take(&mut *bytes))
        .map(Secret::new)
        .map_err(|error| {
            let mut invalid = error.into_bytes();
            zeroize::Zeroize::zeroize(&mut invalid);
            input_error(label, "the value is not valid UTF-8")
        })
}

/// Removes the last UTF-8 character.
fn pop_char(bytes: &mut Vec<u8>) {
    while let Some(byte) = bytes.pop() {
        if byte & 0b1100_0000 != 0b1000_0000 {
            break;
        }
    }
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

/// The terminal in no-echo, byte-at-a-time mode until dropped.
#[cfg(unix)]
struct RawInput {
    original: rustix::termios::Termios,
}

#[cfg(unix)]
impl RawInput {
    fn new() -> io::Result<RawInput> {
        use rustix::termios::{
            tcgetattr, tcsetattr, LocalModes, OptionalActions, SpecialCodeIndex,
        };
        let original = tcgetattr(io::stdin())?;
        let mut raw = original.clone();
        raw.local_modes &= !(LocalModes::ECHO | LocalModes::ICANON | LocalModes::ISIG);
        raw.special_codes[SpecialCodeIndex::VMIN] = 1;
        raw.special_codes[SpecialCodeIndex::VTIME] = 0;
        tcsetattr(io::stdin(), OptionalActions::Now, &raw)?;
        Ok(RawInput { original })
    }

    /// The next byte typed, or `None` at end of input.
    fn read_byte(&self) -> io::Result<Option<u8>> {
        let mut byte = [0u8; 1];
        loop {
            match rustix::io::read(io::stdin(), &mut byte) {
                Ok(1) => return Ok(Some(byte[0])),
                Ok(_) => return Ok(None),
                Err(rustix::io::Errno::INTR) => continue,
                Err(error) => return Err(error.into()),
            }
        }
    }
}

#[cfg(unix)]
impl Drop for RawInput {
    fn drop(&mut self) {
        use rustix::termios::{tcsetattr, OptionalActions};
        // Nothing more can be done if the terminal refuses its own settings back.
        let _ = tcsetattr(io::stdin(), OptionalActions::Now, &self.original);
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    struct NoInput;

    impl SecretSource for NoInput {
        fn is_interactive(&self) -> bool {
            false
        }
        fn read(&mut self, label: &str, _hidden: bool) -> Result<Secret, ConnectionError> {
            Ok(Secret::from(format!("typed {label}").as_str()))
        }
    }

    #[test]
    fn secret_flags_take_dash_or_a_file_never_a_value() {
        let resolve = |value: &str| {
            secret_from_flag(
                &Secret::from(value),
                "--client-secret ",
                "Client secret",
                &mut NoInput,
            )
        };
        assert_eq!(resolve("-").unwrap().expose(), "typed Client secret");
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("secret");
        std::fs::write(&file, "from-file\r\n").unwrap();
        let from_file = resolve(&format!("@{}", file.display())).unwrap();
        assert_eq!(from_file.expose(), "from-file");
        let error = resolve("hunter2").unwrap_err().to_string();
        assert!(!error.contains("hunter2"), "{error}");
        assert!(
            error.starts_with("--client-secret was given a secret on the command line"),
            "{error}"
        );
        assert!(
            error.contains("`--client-secret -`") && error.contains("`--client-secret @FILE`"),
            "{error}"
        );
        let error = resolve("@/nonexistent/x").unwrap_err().to_string();
        assert!(
            error.contains("cannot read the value of `--client-secret @FILE` from /nonexistent/x"),
            "{error}"
        );
    }

    #[test]
    fn backspace_removes_a_whole_character() {
        let mut bytes = "a£".as_bytes().to_vec();
        pop_char(&mut bytes);
        assert_eq!(bytes, b"a");
        pop_char(&mut bytes);
        pop_char(&mut bytes);
        assert!(bytes.is_empty());
    }
}
