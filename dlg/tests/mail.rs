//! `sendmail` through `dlg run` against a real SMTP server (aiosmtpd on 127.0.0.1, see
//! tests/support/smtp.rs): every key, bodies, attachments, errors, TLS and the Basic login.

#[path = "../../tests/support/mod.rs"]
mod support;

use std::process::Command;

use support::mail_run::{assert_no_canary, decoded, header, part, succeeded, text, Run, CANARY};
use support::smtp::{Options, Security, SmtpServer};

/// A small HTTP server (Python's standard library) serving `files`, for FILE responses.
fn file_server(files: &[(&str, &[u8])]) -> (support::peer::Peer, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    for (name, bytes) in files {
        std::fs::write(dir.path().join(name), bytes).unwrap();
    }
    let script = "import http.server, functools, sys\n\
        handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])\n\
        server = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)\n\
        print('READY', server.server_address[1], flush=True)\n\
        server.serve_forever()\n";
    let mut command =
        Command::new(std::env::var("DLG_TEST_PYTHON").unwrap_or_else(|_| "python3".into()));
    command.arg("-c").arg(script).arg(dir.path());
    (support::peer::Peer::start("file server", command), dir)
}

const PNG: &[u8] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\xff\xfe binary";

#[test]
fn every_key_reaches_the_smtp_server_with_an_html_body_and_attachments() {
    let server = SmtpServer::start(Options::default());
    let (files, _dir) = file_server(&[("logo.png", PNG)]);
    let script = format!(
        r#"
logo = invokeurl [ url: "http://127.0.0.1:{port}/logo.png" type: GET response-format: FILE ];
csv = "id,total\n1,42\n".toFile("totals.csv");
sendmail
[
    from: zoho.adminuserid
    to: {{"ada@example.com", "Bob <bob@example.com>"}}
    cc: "carol@example.com, dan@example.com"
    bcc: "hidden@example.com"
    reply to: "help@example.com"
    subject: "Grüße, order " + 42
    message: "<p>Your order <b>42</b> shipped.</p>"
    Attachments: file: logo
    attachments: file: csv
];
info "sent";
"#,
        port = files.port
    );
    let output = Run::new().script(
        &script,
        &[
            "--smtp",
            &server.url(),
            "--system",
            "zoho.adminuserid=Shop <shop@example.com>",
        ],
    );
    succeeded(&output);
    assert_eq!(text(&output.stdout), "sent\n");
    let mails = server.messages();
    assert_eq!(mails.len(), 1);
    let mail = &mails[0];
    assert_eq!(mail["mail_from"], "shop@example.com");
    let recipients: Vec<&str> = mail["rcpt_tos"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(
        recipients,
        [
            "ada@example.com",
            "bob@example.com",
            "carol@example.com",
            "dan@example.com",
            "hidden@example.com"
        ]
    );
    assert_eq!(header(mail, "from"), ["Shop <shop@example.com>"]);
    assert_eq!(
        header(mail, "to"),
        ["ada@example.com, Bob <bob@example.com>"]
    );
    assert_eq!(header(mail, "cc"), ["carol@example.com, dan@example.com"]);
    assert_eq!(header(mail, "reply-to"), ["help@example.com"]);
    assert_eq!(header(mail, "subject"), ["Grüße, order 42"]);
    assert!(header(mail, "bcc").is_empty());
    assert!(!mail["raw"].as_str().unwrap().contains("hidden@example.com"));
    let body = part(mail, 0);
    assert_eq!(body["content_type"], "text/html");
    assert_eq!(body["charset"], "utf-8");
    assert_eq!(body["text"], "<p>Your order <b>42</b> shipped.</p>");
    assert_eq!(part(mail, 1)["filename"], "logo.png");
    assert_eq!(part(mail, 1)["content_type"], "image/png");
    assert_eq!(decoded(part(mail, 1)), PNG);
    assert_eq!(part(mail, 2)["filename"], "totals.csv");
    assert_eq!(part(mail, 2)["content_type"], "text/csv");
    assert_eq!(decoded(part(mail, 2)), b"id,total\n1,42\n");
}

#[test]
fn plain_text_content_type_and_a_list_of_attachments() {
    let server = SmtpServer::start(Options::default());
    let script = r#"
files = list();
files.add("a".toFile("a.txt"));
files.add("b".toFile("b.json"));
sendmail
[
    From: zoho.loginuserid
    To: "ada@example.com"
    Subject: "Plain"
    Message: "line 1\nline 2"
    Content Type: "text/plain"
    Attachments: files
]
"#;
    let output = Run::new().script(script, &["--smtp", &server.url()]);
    succeeded(&output);
    let mail = &server.messages()[0];
    assert_eq!(mail["mail_from"], "admin@localhost");
    assert_eq!(part(mail, 0)["content_type"], "text/plain");
    assert_eq!(part(mail, 0)["text"], "line 1\r\nline 2");
    let names: Vec<&str> = (1..3)
        .map(|i| part(mail, i)["filename"].as_str().unwrap())
        .collect();
    assert_eq!(names, ["a.txt", "b.json"]);
}

#[test]
fn a_refused_recipient_is_a_catchable_error_naming_the_server() {
    let server = SmtpServer::start(Options {
        refuse: vec!["nobody@example.com".into()],
        ..Options::default()
    });
    let script = r#"
try {
    sendmail [ from: zoho.adminuserid to: {"ada@example.com", "nobody@example.com"} subject: "x" message: "y" ]
} catch (e) {
    info e;
}
"#;
    let output = Run::new().script(script, &["--smtp", &server.url()]);
    succeeded(&output);
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    assert_eq!(
        text(&output.stdout),
        format!(
            "sendmail: the SMTP server 127.0.0.1:{port} refused the mail: permanent error (550): \
             5.1.1 <nobody@example.com>: Recipient address rejected: no such user\n"
        )
    );
    assert!(server.messages().is_empty());
}

#[test]
fn a_server_that_is_down_is_a_catchable_error() {
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let script = r#"
try {
    sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]
} catch (e) {
    info e;
}
"#;
    let output = Run::new().script(script, &["--smtp", &format!("smtp://127.0.0.1:{port}")]);
    succeeded(&output);
    let stdout = text(&output.stdout);
    assert!(
        stdout.starts_with(&format!(
            "sendmail: cannot reach the SMTP server 127.0.0.1:{port} ("
        )),
        "{stdout}"
    );
    assert!(
        stdout.ends_with("); check --smtp (DLG_SMTP_URL) and that the server is running\n"),
        "{stdout}"
    );
}

#[test]
fn the_password_of_a_basic_connection_goes_over_starttls() {
    let server = SmtpServer::start(Options {
        auth: Some(format!("bob:{CANARY}")),
        security: Security::StartTls,
        ..Options::default()
    });
    let run = Run::new();
    run.basic_connection("bob", CANARY);
    let script = r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "TLS" message: "secure" ]"#;
    let ca = server.certificate();
    let output = run.script(
        script,
        &[
            "--smtp",
            &server.url(),
            "--smtp-connection",
            "mailer",
            "--mail",
            &format!("smtp.ca_file={}", ca.display()),
        ],
    );
    succeeded(&output);
    assert_no_canary(&output);
    let mail = &server.messages()[0];
    assert_eq!(mail["login"], "bob");
    assert_eq!(mail["tls"], true);
    assert_eq!(server.logins()[0]["tls"], true);
}

#[test]
fn smtps_is_tls_from_the_first_byte() {
    let server = SmtpServer::start(Options {
        auth: Some(format!("bob:{CANARY}")),
        security: Security::Implicit,
        ..Options::default()
    });
    let run = Run::new();
    run.basic_connection("bob", CANARY);
    assert!(server.url().starts_with("smtps://"));
    let output = run
        .command()
        .arg("run")
        .arg(run.write_script(r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "s" message: "m" ]"#))
        .env("DLG_SMTP_URL", server.url())
        .env("DLG_SMTP_CONNECTION", "mailer")
        .args(["--mail", &format!("smtp.ca_file={}", server.certificate().display())])
        .output()
        .unwrap();
    succeeded(&output);
    assert_no_canary(&output);
    let mail = &server.messages()[0];
    assert_eq!(
        (mail["login"].as_str(), mail["tls"].as_bool()),
        (Some("bob"), Some(true))
    );
}

#[test]
fn a_self_signed_certificate_is_refused_without_mail_smtp_ca_file() {
    let server = SmtpServer::start(Options {
        security: Security::StartTls,
        ..Options::default()
    });
    let script = r#"
try {
    sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]
} catch (e) {
    info e;
}
"#;
    let output = Run::new().script(script, &["--smtp", &server.url()]);
    succeeded(&output);
    let stdout = text(&output.stdout);
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    assert!(
        stdout.starts_with(&format!(
            "sendmail: TLS with the SMTP server 127.0.0.1:{port} failed ("
        )),
        "{stdout}"
    );
    assert!(stdout.contains("UnknownIssuer"), "{stdout}");
    assert!(
        stdout.ends_with("(add a private authority with mail.smtp.ca_file)\n"),
        "{stdout}"
    );
    assert!(server.messages().is_empty());
}

#[test]
fn a_password_is_never_sent_without_tls_when_loopback_plaintext_is_off() {
    let server = SmtpServer::start(Options {
        auth: Some(format!("bob:{CANARY}")),
        ..Options::default()
    });
    let run = Run::new();
    run.basic_connection("bob", CANARY);
    let script =
        r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]"#;
    let output = run.script(
        script,
        &[
            "--smtp",
            &server.url(),
            "--smtp-connection",
            "mailer",
            "--mail",
            "smtp.plaintext_loopback=false",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_no_canary(&output);
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "Error: sendmail: the SMTP server 127.0.0.1:{port} does not offer STARTTLS, and dlg \
             sends a password only over TLS (except to a loopback host); use smtps:// or a server \
             that offers STARTTLS"
        )),
        "{stderr}"
    );
    assert!(
        server.logins().is_empty(),
        "the password reached the server"
    );
}

#[test]
fn a_loopback_server_may_take_the_password_without_tls() {
    let server = SmtpServer::start(Options {
        auth: Some(format!("bob:{CANARY}")),
        ..Options::default()
    });
    let run = Run::new();
    run.basic_connection("bob", CANARY);
    let script =
        r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]"#;
    let output = run.script(
        script,
        &["--smtp", &server.url(), "--smtp-connection", "mailer"],
    );
    succeeded(&output);
    assert_no_canary(&output);
    assert_eq!(server.messages()[0]["login"], "bob");
    assert_eq!(server.messages()[0]["tls"], false);
}

#[test]
fn a_wrong_password_names_the_connection_and_never_the_password() {
    let server = SmtpServer::start(Options {
        auth: Some("bob:right-password".into()),
        ..Options::default()
    });
    let run = Run::new();
    run.basic_connection("bob", CANARY);
    let script = r#"
try {
    sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]
} catch (e) {
    info e;
}
"#;
    let output = run.script(
        script,
        &["--smtp", &server.url(), "--smtp-connection", "mailer"],
    );
    succeeded(&output);
    assert_no_canary(&output);
    let stdout = text(&output.stdout);
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    assert!(
        stdout.starts_with(&format!(
            "sendmail: the SMTP server 127.0.0.1:{port} refused the login of connection \"mailer\" ("
        )),
        "{stdout}"
    );
    assert!(
        stdout
            .ends_with("check its user name and password with `dlg connection authorize mailer`\n"),
        "{stdout}"
    );
}

#[test]
fn the_connection_must_allow_the_smtp_host() {
    let run = Run::new();
    run.basic_connection("bob", CANARY);
    let script =
        r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]"#;
    let output = run.script(
        script,
        &[
            "--smtp",
            "smtps://localhost:1",
            "--smtp-connection",
            "mailer",
        ],
    );
    assert_eq!(output.status.code(), Some(1));
    assert_no_canary(&output);
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "Error: sendmail: connection \"mailer\" may not send its password to localhost (its \
             hosts: 127.0.0.1); allow it with `dlg connection edit mailer --add-host localhost`"
        ),
        "{stderr}"
    );
}

#[test]
fn a_server_that_requires_a_login_says_how_to_give_one() {
    let server = SmtpServer::start(Options {
        auth: Some(format!("bob:{CANARY}")),
        ..Options::default()
    });
    let script =
        r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "x" message: "y" ]"#;
    let output = Run::new().script(script, &["--smtp", &server.url()]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    let port = server.url().rsplit(':').next().unwrap().to_owned();
    assert!(
        stderr.starts_with(&format!(
            "Error: sendmail: the SMTP server 127.0.0.1:{port} requires a login (permanent error \
             (530): 5.7.0 Authentication required); keep the user name and password in a Basic \
             connection and give it with --smtp-connection LINK"
        )),
        "{stderr}"
    );
}
