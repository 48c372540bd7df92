//! SMTP mode: sending one message with lettre.
//!
//! `smtps://` is TLS from the first byte. `smtp://` upgrades with STARTTLS when the server
//! offers it; when a password is to be sent, STARTTLS is required unless the host is loopback
//! (and `mail.smtp.plaintext_loopback` is not turned off). Errors name the server and never hold
//! the password, in clear or in the base64 forms SMTP AUTH sends.

use std::net::IpAddr;

use base64::engine::general_purpose::STANDARD as BASE64;
use base64::Engine;
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Certificate, Tls, TlsParameters};
use lettre::transport::smtp::Error as SmtpError;
use lettre::{Message, SmtpTransport, Transport};

use super::settings::{SmtpEndpoint, SmtpSecurity, SmtpSettings};
use crate::connections::Secret;

/// The user name and password of a Basic connection, for `AUTH`.
pub struct SmtpLogin {
    /// The connection's link name, for messages.
    pub link_name: String,
    /// The user name.
    pub username: Secret,
    /// The password: never printed.
    pub password: Secret,
}

/// Sends `message` to its envelope recipients through `endpoint`.
pub fn send(
    endpoint: &SmtpEndpoint,
    settings: &SmtpSettings,
    login: Option<&SmtpLogin>,
    message: &Message,
) -> Result<(), String> {
    let parameters = tls_parameters(endpoint, settings)?;
    let tls = match endpoint.security {
        SmtpSecurity::ImplicitTls => Tls::Wrapper(parameters),
        SmtpSecurity::StartTls if login.is_some() && !plaintext_allowed(endpoint, settings) => {
            Tls::Required(parameters)
        }
        SmtpSecurity::StartTls => Tls::Opportunistic(parameters),
    };
    let mut builder = SmtpTransport::builder_dangerous(endpoint.host.as_str())
        .port(endpoint.port)
        .tls(tls)
        .timeout(Some(settings.timeout));
    if let Some(login) = login {
        builder = builder.credentials(Credentials::new(
            login.username.expose().to_owned(),
            login.password.expose().to_owned(),
        ));
    }
    builder
        .build()
        .send(message)
        .map(|_| ())
        .map_err(|error| scrub(&describe(endpoint, login, &error), login))
}

/// Whether a password may be sent without TLS: only to a loopback host, unless turned off.
pub fn plaintext_allowed(endpoint: &SmtpEndpoint, settings: &SmtpSettings) -> bool {
    settings.plaintext_loopback && is_loopback(&endpoint.host)
}

/// `localhost`, `*.localhost`, 127.0.0.0/8, `::1` and IPv4-mapped loopback addresses.
pub fn is_loopback(host: &str) -> bool {
    let lower = host.to_ascii_lowercase();
    if lower == "localhost" || lower.ends_with(".localhost") {
        return true;
    }
    match lower.parse::<IpAddr>() {
        Ok(IpAddr::V4(ip)) => ip.is_loopback(),
        Ok(IpAddr::V6(ip)) => {
            ip.is_loopback() || ip.to_ipv4_mapped().is_some_and(|v4| v4.is_loopback())
        }
        Err(_) => false,
    }
}

fn tls_parameters(
    endpoint: &SmtpEndpoint,
    settings: &SmtpSettings,
) -> Result<TlsParameters, String> {
    let mut builder = TlsParameters::builder(endpoint.host.clone());
    if let Some(path) = &settings.ca_file {
        let pem = std::fs::read(path).map_err(|e| {
            format!(
                "sendmail: cannot read mail.smtp.ca_file {} ({e})",
                path.display()
            )
        })?;
        let certificate = Certificate::from_pem(&pem).map_err(|e| {
            format!(
                "sendmail: mail.smtp.ca_file {} holds no PEM certificate ({e})",
                path.display()
            )
        })?;
        builder = builder.add_root_certificate(certificate);
    }
    builder.build_rustls().map_err(|e| {
        format!(
            "sendmail: cannot set up TLS for {}: {e}",
            endpoint.address()
        )
    })
}

fn describe(endpoint: &SmtpEndpoint, login: Option<&SmtpLogin>, error: &SmtpError) -> String {
    let server = format!("the SMTP server {}", endpoint.address());
    let detail = error.to_string();
    if error.is_client() && detail.contains("STARTTLS") {
        return format!(
            "sendmail: {server} does not offer STARTTLS, and dlg sends a password only over TLS \
             (except to a loopback host); use smtps:// or a server that offers STARTTLS"
        );
    }
    if error.is_tls() || is_tls_failure(&detail) {
        return format!(
            "sendmail: TLS with {server} failed ({detail}); its certificate must be issued by a \
             trusted authority for that host name (add a private authority with \
             mail.smtp.ca_file)"
        );
    }
    if error.is_timeout() {
        return format!("sendmail: {server} did not answer in time ({detail})");
    }
    let code = error.status().map(|code| code.to_string());
    if let (Some("535" | "534" | "530"), Some(login)) = (code.as_deref(), login) {
        return format!(
            "sendmail: {server} refused the login of connection \"{}\" ({detail}); check its \
             user name and password with `dlg connection authorize {}`",
            login.link_name, login.link_name
        );
    }
    if code.as_deref() == Some("530") && login.is_none() {
        return format!(
            "sendmail: {server} requires a login ({detail}); keep the user name and password in \
             a Basic connection and give it with --smtp-connection LINK"
        );
    }
    if error.is_permanent() || error.is_transient() {
        return format!("sendmail: {server} refused the mail: {detail}");
    }
    if detail.starts_with("Connection error") || detail.starts_with("network error") {
        return format!(
            "sendmail: cannot reach {server} ({detail}); check --smtp (DLG_SMTP_URL) and that \
             the server is running"
        );
    }
    format!("sendmail: sending through {server} failed: {detail}")
}

/// A handshake failure lettre reports as a network error (rustls' own messages).
fn is_tls_failure(detail: &str) -> bool {
    [
        "peer certificate",
        "received fatal alert",
        "peer is incompatible",
        "corrupt message",
    ]
    .iter()
    .any(|marker| detail.contains(marker))
}

/// Removes the password and the base64 forms AUTH PLAIN and AUTH LOGIN send it in.
fn scrub(message: &str, login: Option<&SmtpLogin>) -> String {
    let Some(login) = login else {
        return message.to_owned();
    };
    let password = login.password.expose();
    if password.is_empty() {
        return message.to_owned();
    }
    let plain = format!("\0{}\0{password}", login.username.expose());
    let mut text = message.to_owned();
    for secret in [
        BASE64.encode(plain),
        BASE64.encode(password),
        password.to_owned(),
    ] {
        text = text.replace(&secret, "<redacted>");
    }
    text
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn loopback_hosts_are_recognised() {
        for host in [
            "localhost",
            "LOCALHOST",
            "mail.localhost",
            "127.0.0.1",
            "127.9.9.9",
            "::1",
            "::ffff:127.0.0.1",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in [
            "smtp.example.com",
            "10.0.0.1",
            "::ffff:10.0.0.1",
            "localhost.example.com",
        ] {
            assert!(!is_loopback(host), "{host}");
        }
    }

    #[test]
    fn plaintext_passwords_go_only_to_loopback() {
        let endpoint = |host: &str| SmtpEndpoint::parse(&format!("smtp://{host}:25")).unwrap();
        let mut settings = SmtpSettings::default();
        assert!(plaintext_allowed(&endpoint("127.0.0.1"), &settings));
        assert!(!plaintext_allowed(&endpoint("smtp.example.com"), &settings));
        settings.plaintext_loopback = false;
        assert!(!plaintext_allowed(&endpoint("127.0.0.1"), &settings));
    }

    #[test]
    fn scrub_removes_every_form_of_the_password() {
        let login = SmtpLogin {
            link_name: "mailer".into(),
            username: Secret::from("bob"),
            password: Secret::from("CANARY-pw"),
        };
        let plain = BASE64.encode("\0bob\0CANARY-pw");
        let text = format!("a CANARY-pw b {plain} c {}", BASE64.encode("CANARY-pw"));
        assert_eq!(
            scrub(&text, Some(&login)),
            "a <redacted> b <redacted> c <redacted>"
        );
    }
}
