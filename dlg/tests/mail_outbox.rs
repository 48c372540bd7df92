//! `sendmail` without an SMTP server (outbox and log modes, parsed with Python's email
//! package), its input errors, the sender rule, the system values and the mail flags.

#[path = "../../tests/support/mod.rs"]
mod support;

use support::mail_run::{decoded, header, outbox_files, part, succeeded, text, Run};
use support::smtp::parse_eml;

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
    let output = run.script(script, &["--mail", "mode=log", "--max-emails", "1"]);
    assert_eq!(output.status.code(), Some(1));
    let stderr = text(&output.stderr);
    assert!(
        stderr.starts_with(
            "dlg: sendmail (log mode, not sent): from admin@localhost to ada@example.com, subject \"One\"\n\
             Error: quota exceeded: this run may send at most 1 mail (max_emails; raise it with \
             --max-emails N)"
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
        "admin@localhost\nadmin@localhost\nadmin\napp\n127.0.0.1\n"
    );
    let path = run.write_script(script);
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
    let script = support::workspace_root().join("scripts/mail_report.dg");
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
