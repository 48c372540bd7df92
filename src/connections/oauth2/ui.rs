//! How the authorization flows talk to the user: show the authorize URL (and open a browser),
//! accept a pasted redirect URL, show a device code. The CLI uses [`TerminalUi`]; tests and
//! embedders supply their own [`AuthorizationUi`].

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;

/// The user-facing side of an authorization flow.
pub trait AuthorizationUi {
    /// Shows the URL the user must open to authorize (and opens a browser when it can).
    fn present_authorize_url(&mut self, url: &str);

    /// Like [`AuthorizationUi::present_authorize_url`], with `launch_url`: a one-time local
    /// address that redirects to `url`, for opening the browser without putting `url` (and its
    /// `state`) on a command line. By default shows `url` as usual.
    fn present_authorize_url_via(&mut self, url: &str, launch_url: &str) {
        let _ = launch_url;
        self.present_authorize_url(url);
    }

    /// Redirect URLs pasted by the user (the `--no-browser` fallback), if pasting is offered.
    fn pasted_redirects(&mut self) -> Option<mpsc::Receiver<String>> {
        None
    }

    /// Asks for the verifier (PIN) an OAuth 1 provider displays in out-of-band mode.
    fn prompt_verifier(&mut self) -> Option<String> {
        None
    }

    /// Shows a device-flow code and where to enter it.
    fn present_device_code(
        &mut self,
        user_code: &str,
        verification_uri: &str,
        verification_uri_complete: Option<&str>,
    );
}

/// The terminal: messages on standard error, `xdg-open` when present, pasting on standard input.
#[derive(Debug, Clone, Copy)]
pub struct TerminalUi {
    /// Try to open the system browser.
    pub open_browser: bool,
    /// Accept the redirected URL pasted on standard input.
    pub accept_paste: bool,
}

impl AuthorizationUi for TerminalUi {
    fn present_authorize_url(&mut self, url: &str) {
        self.present_authorize_url_via(url, url);
    }

    fn present_authorize_url_via(&mut self, url: &str, launch_url: &str) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(err, "Open this URL in a browser to authorize:\n\n  {url}\n");
        if self.open_browser && open_in_browser(launch_url) {
            let _ = writeln!(err, "(A browser window was opened.)");
        }
        if self.accept_paste {
            let _ = writeln!(
                err,
                "After approving, paste the full URL your browser was sent to \
                 (http://127.0.0.1:...) here and press Enter:"
            );
        } else {
            let _ = writeln!(err, "Waiting for the provider to redirect back...");
        }
    }

    fn pasted_redirects(&mut self) -> Option<mpsc::Receiver<String>> {
        if !self.accept_paste {
            return None;
        }
        let (sender, receiver) = mpsc::channel();
        thread::spawn(move || {
            for line in std::io::stdin().lock().lines() {
                let Ok(line) = line else { break };
                let line = line.trim().to_owned();
                if !line.is_empty() && sender.send(line).is_err() {
                    break;
                }
            }
        });
        Some(receiver)
    }

    fn prompt_verifier(&mut self) -> Option<String> {
        eprint!("Enter the verification code (PIN) the provider shows: ");
        let mut line = String::new();
        std::io::stdin().lock().read_line(&mut line).ok()?;
        let line = line.trim();
        (!line.is_empty()).then(|| line.to_owned())
    }

    fn present_device_code(
        &mut self,
        user_code: &str,
        verification_uri: &str,
        verification_uri_complete: Option<&str>,
    ) {
        let mut err = std::io::stderr().lock();
        let _ = writeln!(
            err,
            "To authorize, open {verification_uri} and enter the code:\n\n  {user_code}\n"
        );
        if let Some(complete) = verification_uri_complete {
            let _ = writeln!(err, "Or open this URL directly:\n\n  {complete}\n");
            // Only https: the address comes from the server, not from the user's settings.
            if self.open_browser && complete.starts_with("https://") {
                open_in_browser(complete);
            }
        }
        let _ = writeln!(err, "Waiting for approval...");
    }
}

/// `text` without control characters (escape sequences, bells, line breaks, C1 codes): what a
/// server sends is printed only after this, so it cannot drive the terminal.
pub fn printable(text: &str) -> String {
    text.chars().filter(|c| !c.is_control()).collect()
}

/// Whether `url` may be handed to the system opener: `https` only, or plain `http` to this
/// machine (an authorize URL of a local test provider). A `file:` or custom-scheme URL from a
/// server would run whatever handler the desktop has for it.
pub fn may_open(url: &str) -> bool {
    url::Url::parse(url).is_ok_and(|parsed| match parsed.scheme() {
        "https" => true,
        "http" => crate::connections::hosts::is_loopback(&parsed),
        _ => false,
    })
}

/// Opens `url` with `xdg-open` (or `open` on macOS) when available and [`may_open`] allows it;
/// never fails the flow.
pub fn open_in_browser(url: &str) -> bool {
    if !may_open(url) {
        return false;
    }
    let opener = if cfg!(target_os = "macos") {
        "open"
    } else {
        "xdg-open"
    };
    if !on_path(opener) {
        return false;
    }
    Command::new(opener)
        .arg(url)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .is_ok()
}

fn on_path(program: &str) -> bool {
    std::env::var_os("PATH").is_some_and(|paths| {
        std::env::split_paths(&paths).any(|dir| Path::new(&dir).join(program).is_file())
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn control_characters_are_removed() {
        assert_eq!(printable("AB\u{1b}[2JCD\u{7}\r\n\u{9b}31m"), "AB[2JCD31m");
    }

    #[test]
    fn only_https_or_loopback_http_may_be_opened() {
        assert!(may_open("https://example.com/device?code=1"));
        assert!(may_open("http://127.0.0.1:5555/authorize"));
        for url in [
            "file:///etc/passwd",
            "http://example.com/",
            "javascript:alert(1)",
            "x",
        ] {
            assert!(!may_open(url), "{url}");
        }
    }
}
