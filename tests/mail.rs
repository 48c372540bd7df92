//! `sendmail` end to end through `dlg run`: a real SMTP server (aiosmtpd on 127.0.0.1, see
//! tests/support/smtp.rs) for SMTP mode, and the outbox folder parsed by Python's email package.

mod support;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use base64::Engine;
use serde_json::Value as Json;
use support::smtp::{parse_eml, Options, Security, SmtpServer};

/// A password that must never appear in any output.
const CANARY: &str = "CANARY-pw-7f3a";

/// A `dlg` run in its own `DLG_HOME`, with the mail environment variables cleared.
struct Run {
    home: tempfile::TempDir,
}

impl Run {
    fn new() -> Run {
        Run {
            home: tempfile::tempdir().unwrap(),
        }
    }

    fn command(&self) -> Command {
        let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
        command
            .env("DLG_HOME", self.home.path())
            .env("NO_COLOR", "1")
            .env_remove("DLG_MASTER_KEY");
        for (name, _) in std::env::vars() {
            if name.starts_with("DLG_SMTP")
                || name.starts_with("DLG_SYSTEM")
                || name.starts_with("DLG_MAIL")
                || name == "DLG_OUTBOX"
            {
                command.env_remove(name);
            }
        }
        command
    }

    /// Runs `script` with `dlg run SCRIPT args...`.
    fn script(&self, script: &str, args: &[&str]) -> Output {
        let path = self.home.path().join("script.dg");
        std::fs::write(&path, script).unwrap();
        self.command()
            .arg("run")
            .arg(&path)
            .args(args)
            .output()
            .unwrap()
    }

    /// A Basic service allowed to reach 127.0.0.1 and an authorized connection `mailer`.
    fn basic_connection(&self, username: &str, password: &str) {
        let dlg = |args: &[&str]| {
            let output = self.command().args(args).output().unwrap();
            assert!(
                output.status.success(),
                "{args:?}: {}",
                text(&output.stderr)
            );
        };
        dlg(&[
            "service",
            "create",
            "smtp_login",
            "--auth",
            "basic",
            "--host",
            "127.0.0.1",
        ]);
        dlg(&["connection", "create", "mailer", "--service", "smtp_login"]);
        let output = support::output_with_stdin(
            self.command().args([
                "connection",
                "authorize",
                "mailer",
                "--param",
                &format!("username={username}"),
                "--param",
                "password=-",
            ]),
            format!("{password}\n").as_bytes(),
        );
        assert!(output.status.success(), "{}", text(&output.stderr));
    }
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

fn assert_no_canary(output: &Output) {
    let all = format!("{}{}", text(&output.stdout), text(&output.stderr));
    assert!(!all.contains(CANARY), "the password leaked: {all}");
    let encoded = base64::engine::general_purpose::STANDARD.encode(CANARY);
    assert!(
        !all.contains(&encoded),
        "the password leaked in base64: {all}"
    );
}

fn succeeded(output: &Output) {
    assert!(
        output.status.success(),
        "dlg failed: {}{}",
        text(&output.stdout),
        text(&output.stderr)
    );
}

fn header<'a>(mail: &'a Json, name: &str) -> Vec<&'a str> {
    mail["headers"][name]
        .as_array()
        .map(|values| values.iter().filter_map(Json::as_str).collect())
        .unwrap_or_default()
}

fn part(mail: &Json, index: usize) -> &Json {
    &mail["parts"][index]
}

fn decoded(part: &Json) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(part["base64"].as_str().unwrap())
        .unwrap()
}

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
        .arg(write_script(&run, r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "s" message: "m" ]"#))
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

fn write_script(run: &Run, script: &str) -> PathBuf {
    let path = run.home.path().join("env-script.dg");
    std::fs::write(&path, script).unwrap();
    path
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

fn outbox_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| entries.filter_map(|e| e.ok().map(|e| e.path())).collect())
        .unwrap_or_default();
    files.sort();
    files
}

#[test]
fn without_smtp_settings_mail_goes_to_the_outbox_and_the_run_says_where() {
    let run = Run::new();
    let script = r#"
sendmail
[
    from: zoho.adminuserid
    to: "ada@example.com"
    bcc: "hidden@example.com"
    subject: "Outbox"
    message: "<i>kept</i>"
    attachments: file: "x,y".toFile("data.csv")
]
info "done";
"#;
    let output = run.script(script, &[]);
    succeeded(&output);
    let outbox = run.home.path().join("outbox");
    let files = outbox_files(&outbox);
    assert_eq!(files.len(), 1, "{files:?}");
    let stderr = text(&output.stderr);
    assert_eq!(
        stderr,
        format!(
            "dlg: sendmail: no SMTP server is set (--smtp URL), so the mail (from admin@localhost \
             to ada@example.com, bcc hidden@example.com, subject \"Outbox\", attachments \
             data.csv) was written to {}\n",
            files[0].display()
        )
    );
    let name = files[0].file_name().unwrap().to_string_lossy().into_owned();
    assert!(
        name.ends_with("-1.eml") && name.len() == "20261204T174300Z-1.eml".len(),
        "{name}"
    );
    let mail = parse_eml(&files[0]);
    assert_eq!(header(&mail, "to"), ["ada@example.com"]);
    assert!(header(&mail, "bcc").is_empty());
    assert!(!mail["raw"].as_str().unwrap().contains("hidden@example.com"));
    assert_eq!(part(&mail, 0)["content_type"], "text/html");
    assert_eq!(part(&mail, 1)["filename"], "data.csv");
    assert_eq!(decoded(part(&mail, 1)), b"x,y");
}

#[test]
fn outbox_flag_and_log_mode() {
    let run = Run::new();
    let dir = run.home.path().join("my-outbox");
    let script = r#"sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "One" message: "m" ]
sendmail [ from: zoho.adminuserid to: "ada@example.com" subject: "Two" message: "m" ]"#;
    let output = run.script(script, &["--outbox", dir.to_str().unwrap()]);
    succeeded(&output);
    let files = outbox_files(&dir);
    assert_eq!(files.len(), 2);
    assert_eq!(header(&parse_eml(&files[1]), "subject"), ["Two"]);
    let output = run.script(script, &["--mail", "mode=log", "--mail", "max_emails=1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "dlg: sendmail (log mode, not sent): from admin@localhost to ada@example.com, subject \"One\"\n\
             Error: sendmail: this run may send at most 1 mails (mail.max_emails)"
        ),
        "{stderr}"
    );
}

#[test]
fn an_unverified_sender_is_skipped_with_a_warning() {
    let run = Run::new();
    let script = r#"sendmail [ from: "sales@example.com" to: "ada@example.com" subject: "x" message: "y" ]
info "after";"#;
    let output = run.script(script, &["--mail", "mode=log"]);
    succeeded(&output);
    assert_eq!(text(&output.stdout), "after\n");
    assert_eq!(
        text(&output.stderr),
        "dlg: sendmail: skipped, as Zoho skips it: the sender sales@example.com is not \
         zoho.adminuserid, zoho.loginuserid or a verified sender (set --system \
         zoho.adminuserid=sales@example.com, or list it in mail.verified_senders)\n"
    );
    let output = run.script(
        script,
        &[
            "--mail",
            "mode=log",
            "--mail",
            "verified_senders=SALES@example.com",
        ],
    );
    succeeded(&output);
    assert!(text(&output.stderr)
        .starts_with("dlg: sendmail (log mode, not sent): from sales@example.com"));
}

#[test]
fn bad_input_names_the_key() {
    let run = Run::new();
    let cases = [
        (
            r#"sendmail [ from: zoho.adminuserid subject: "x" ]"#,
            "sendmail: `to` is missing or empty; give one or more recipients, e.g. to: \"ada@example.com\" or a LIST of addresses",
        ),
        (
            r#"sendmail [ from: zoho.adminuserid to: {"a": 1} ]"#,
            "sendmail: `to` takes TEXT or a LIST of TEXT, not KEY-VALUE",
        ),
        (
            r#"sendmail [ from: zoho.adminuserid to: "a@example.com" subject: {1, 2} ]"#,
            "sendmail: `subject` takes TEXT, not LIST",
        ),
        (
            r#"sendmail [ from: zoho.adminuserid to: "a@example.com" attachments: file: "not a file" ]"#,
            "sendmail: `attachments` file: needs a FILE (an invokeurl response read as FILE, or text.toFile(\"name.txt\")), not TEXT",
        ),
        (
            r#"sendmail [ from: zoho.adminuserid to: "a@example.com" attachments: template: Quote as PDF ]"#,
            "sendmail: `attachments`: Creator record templates/report views are not available outside Zoho",
        ),
    ];
    for (body, expected) in cases {
        let script = format!("try {{ {body} }} catch (e) {{ info e; }}");
        let output = run.script(&script, &["--mail", "mode=log"]);
        succeeded(&output);
        assert_eq!(text(&output.stdout), format!("{expected}\n"), "{body}");
    }
}

#[test]
fn system_values_come_from_flags_then_environment_then_defaults() {
    let run = Run::new();
    let script = r#"info zoho.adminuserid; info zoho.loginuserid; info zoho.loginuser; info zoho.appname; info zoho.ipaddress;"#;
    let output = run.script(script, &[]);
    succeeded(&output);
    assert_eq!(
        text(&output.stdout),
        "admin@localhost\nadmin@localhost\nadmin\nnull\n127.0.0.1\n"
    );
    let path = write_script(&run, script);
    let output = run
        .command()
        .arg("run")
        .arg(&path)
        .env("DLG_SYSTEM_LOGINUSER", "Env User")
        .env("DLG_SYSTEM_APPNAME", "from_env")
        .args([
            "--system",
            "zoho.adminuserid=ada@example.com",
            "--system",
            "appname=shop",
        ])
        .output()
        .unwrap();
    succeeded(&output);
    assert_eq!(
        text(&output.stdout),
        "ada@example.com\nada@example.com\nEnv User\nshop\n127.0.0.1\n"
    );
    let output = run.script(script, &["--system", "zoho.adminuserid"]);
    assert_eq!(output.status.code(), Some(2));
    assert_eq!(
        text(&output.stderr),
        "error: --system zoho.adminuserid: expected NAME=VALUE, e.g. zoho.adminuserid=ada@example.com\n"
    );
    let output = run.script(script, &["--smtp", "smtp://bob:CANARY@mail.example.com"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(!text(&output.stderr).contains("CANARY"));
}

#[test]
fn the_example_script_writes_a_mail_with_an_attachment_to_the_outbox() {
    let run = Run::new();
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("scripts/mail_report.dg");
    let outbox = run.home.path().join("outbox-example");
    let output = run
        .command()
        .arg("run")
        .arg(&script)
        .args(["--outbox", outbox.to_str().unwrap()])
        .output()
        .unwrap();
    succeeded(&output);
    let files = outbox_files(&outbox);
    assert_eq!(files.len(), 1);
    let mail = parse_eml(&files[0]);
    assert_eq!(
        header(&mail, "subject"),
        ["Weekly orders: 3 orders, 60.50 total"]
    );
    assert_eq!(part(&mail, 1)["filename"], "orders.csv");
    assert_eq!(
        text(&decoded(part(&mail, 1))),
        "id,customer,total\n1,Ada,10.00\n2,Bob,20.50\n3,Carol,30.00\n"
    );
}

#[test]
fn the_repl_takes_the_same_mail_flags() {
    let run = Run::new();
    let output = support::output_with_stdin(
        run.command().args(["repl", "--mail", "mode=log", "--system", "zoho.adminuserid=ada@example.com"]),
        b"sendmail [ from: zoho.adminuserid to: \"bob@example.com\" subject: \"From the REPL\" message: \"m\" ]\n",
    );
    succeeded(&output);
    assert_eq!(
        text(&output.stderr),
        "dlg: sendmail (log mode, not sent): from ada@example.com to bob@example.com, subject \"From the REPL\"\n"
    );
}
