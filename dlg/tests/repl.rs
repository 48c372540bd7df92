//! `dlg repl` end to end: scripted through a pipe, and interactive in a pseudo-terminal
//! (rexpect) for multi-line input, completion, Ctrl-C, Ctrl-R and history across restarts.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Output, Stdio};

use rexpect::session::{spawn_with_options, Options, PtySession};

#[path = "../../tests/support/mod.rs"]
mod support;

const DLG: &str = env!("CARGO_BIN_EXE_dlg");
/// How long an expectation may wait before the test fails.
const TIMEOUT_MS: u64 = 20_000;

/// Runs `dlg repl` with `input` on a pipe.
fn piped(input: &str) -> Output {
    let home = tempfile::tempdir().unwrap();
    support::output_with_stdin(
        Command::new(DLG)
            .arg("repl")
            .env("DLG_HOME", home.path())
            .env("TZ", "UTC")
            .env("NO_COLOR", "1"),
        input.as_bytes(),
    )
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// Starts `dlg repl` in a pseudo-terminal with `home` as DLG_HOME and waits for the prompt.
fn terminal(home: &Path) -> PtySession {
    terminal_with(home, &["repl"])
}

/// Starts `dlg` with `args` in a pseudo-terminal and waits for the REPL prompt.
fn terminal_with(home: &Path, args: &[&str]) -> PtySession {
    let mut command = Command::new(DLG);
    command
        .args(args)
        .env("DLG_HOME", home)
        .env("TERM", "xterm")
        .env("TZ", "UTC")
        .env_remove("NO_COLOR");
    let options = Options::new()
        .timeout_ms(Some(TIMEOUT_MS))
        .strip_ansi_escape_codes(true);
    let mut session = spawn_with_options(command, options).unwrap();
    session.exp_string("dlg> ").unwrap();
    session
}

/// Types `keys` followed by Enter.
fn enter(session: &mut PtySession, keys: &str) {
    session.send(keys).unwrap();
    session.send("\r").unwrap();
    session.flush().unwrap();
}

/// Leaves with Ctrl-D and waits for the process to end.
fn quit(mut session: PtySession) {
    session.send_control('d').unwrap();
    session.exp_eof().unwrap();
}

#[test]
fn piped_input_runs_without_prompts_and_keeps_state() {
    let out =
        piped("x = 1 + 2\nx\ny = x * 10;\ninfo y;\nint twice(int n) { return n * 2; }\ntwice(y)\n");
    let stdout = text(&out.stdout);
    assert_eq!(stdout, "3\n30\n60\n", "stderr: {}", text(&out.stderr));
    assert!(!stdout.contains("dlg>"));
    assert_eq!(out.status.code(), Some(0));
}

#[test]
fn piped_multi_line_entries_wait_for_their_end() {
    let out = piped("total = 0;\nfor each n in {1, 2, 3}\n{\n  total = total + n;\n}\ntotal\n");
    assert_eq!(text(&out.stdout), "6\n", "stderr: {}", text(&out.stderr));
}

#[test]
fn a_runtime_error_is_reported_and_the_state_is_restored() {
    let out =
        piped("x = 1;\nx = 5; for each d in {1, 0} { x = 10 / d; }\nx\ninfo \"still here\";\n");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("<repl:2>"), "{stderr}");
    assert!(stderr.contains("x = 10 / d;"), "{stderr}");
    assert_eq!(text(&out.stdout), "5\nstill here\n", "{stderr}");
    assert_eq!(out.status.code(), Some(1));
}

#[test]
fn a_syntax_error_points_into_the_entry() {
    let out = piped("x = = 2;\ninfo \"after\";\n");
    let stderr = text(&out.stderr);
    assert!(stderr.contains("<repl:1>:1:"), "{stderr}");
    assert_eq!(text(&out.stdout), "after\n");
    assert_eq!(out.status.code(), Some(2));
}

#[test]
fn commands_show_and_reset_the_state() {
    let out = piped(
        "name = \"Ada\";\nint twice(int n) { return n * 2; }\n:vars\n:funcs\n:type name\n:reset\n:vars\n:quit\ninfo \"not run\";\n",
    );
    let stdout = text(&out.stdout);
    assert!(stdout.contains("name = Ada  (TEXT)"), "{stdout}");
    assert!(stdout.contains("int twice(int n)"), "{stdout}");
    assert!(stdout.contains("TEXT\n"), "{stdout}");
    assert!(stdout.contains("No variables yet"), "{stdout}");
    assert!(!stdout.contains("not run"), "{stdout}");
}

#[test]
fn load_runs_a_file_in_the_session() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("lib.dg");
    std::fs::write(
        &file,
        "int triple(int n) { return n * 3; }\nloaded = triple(2);\n",
    )
    .unwrap();
    let out = piped(&format!(
        ":load {}\nloaded\ntriple(5)\n:load /no/such.dg\n",
        file.display()
    ));
    assert_eq!(text(&out.stdout), "6\n15\n");
    assert!(text(&out.stderr).contains("cannot read /no/such.dg"));
}

#[test]
fn multi_line_input_continues_with_a_dots_prompt() {
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal(home.path());
    enter(&mut session, "if (1 < 2) {");
    session.exp_string("...").unwrap();
    enter(&mut session, "info \"in\" + \"side\";");
    session.exp_string("...").unwrap();
    enter(&mut session, "}");
    session.exp_string("inside").unwrap();
    session.exp_string("dlg> ").unwrap();
    quit(session);
}

#[test]
fn tab_completes_variables_and_keywords() {
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal(home.path());
    enter(&mut session, "grand_total = 40 + 2;");
    session.exp_string("dlg> ").unwrap();
    session.send("inf\t \"do\" + \"ne\";\r").unwrap();
    session.flush().unwrap();
    session.exp_string("done").unwrap();
    session.send("grand_t\t\r").unwrap();
    session.flush().unwrap();
    session.exp_string("42").unwrap();
    quit(session);
}

#[test]
fn tab_completes_a_variable_assigned_earlier_in_the_same_entry() {
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal(home.path());
    enter(&mut session, "if (true) {");
    session.exp_string("...").unwrap();
    enter(&mut session, "  running_sum = 40 + 2;");
    session.exp_string("...").unwrap();
    session.send("  info running_s\t;\r").unwrap();
    session.flush().unwrap();
    session.exp_string("info running_sum;").unwrap();
    enter(&mut session, "}");
    enter(&mut session, "");
    session.exp_string("42").unwrap();
    quit(session);
}

#[test]
fn ctrl_c_interrupts_a_running_loop_and_keeps_the_session() {
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal(home.path());
    enter(&mut session, "kept = 7;");
    session.exp_string("dlg> ").unwrap();
    enter(
        &mut session,
        "d = {1,2,3,4,5,6,7,8,9,10}; n = 0; info \"loop \" + \"started\"; for each a in d { for each b in d { for each c in d { for each e in d { for each f in d { for each g in d { for each h in d { for each i in d { n = n + 1; } } } } } } } }",
    );
    session.exp_string("loop started").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(200));
    session.send_control('c').unwrap();
    session.exp_string("interrupted").unwrap();
    session.exp_string("dlg> ").unwrap();
    enter(&mut session, "kept");
    session.exp_string("7").unwrap();
    quit(session);
}

/// A server on 127.0.0.1 that accepts connections and never answers; its port.
fn silent_server() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            held.push(stream);
        }
    });
    port
}

/// Runs `request` (a statement that waits on a peer that never answers) in a session, presses
/// Ctrl-C, and checks the session reports the interrupt and keeps its state.
fn ctrl_c_interrupts_a_waiting_request(request: impl Fn(u16) -> String) {
    let port = silent_server();
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal(home.path());
    enter(&mut session, "kept = 7;");
    session.exp_string("dlg> ").unwrap();
    enter(
        &mut session,
        &format!("info \"wait \" + \"started\"; {}", request(port)),
    );
    session.exp_string("wait started").unwrap();
    std::thread::sleep(std::time::Duration::from_millis(300));
    let pressed = std::time::Instant::now();
    session.send_control('c').unwrap();
    session.exp_string("interrupted (Ctrl-C)").unwrap();
    session.exp_string("dlg> ").unwrap();
    let waited = pressed.elapsed();
    assert!(
        waited < std::time::Duration::from_secs(3),
        "took {waited:?} to stop"
    );
    enter(&mut session, "kept");
    session.exp_string("7").unwrap();
    enter(&mut session, "info \"still \" + \"alive\";");
    session.exp_string("still alive").unwrap();
    quit(session);
}

#[test]
fn ctrl_c_interrupts_a_waiting_invokeurl_and_keeps_the_session() {
    ctrl_c_interrupts_a_waiting_request(|port| {
        format!("r = invokeurl [ url: \"http://127.0.0.1:{port}/slow\" type: GET ];")
    });
}

#[test]
fn ctrl_c_interrupts_a_waiting_get_url_and_keeps_the_session() {
    ctrl_c_interrupts_a_waiting_request(|port| {
        format!("r = getUrl(\"http://127.0.0.1:{port}/slow\");")
    });
}

#[test]
fn ctrl_c_at_the_prompt_cancels_the_entry() {
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal(home.path());
    enter(&mut session, "m = {");
    session.exp_string("...").unwrap();
    session.send_control('c').unwrap();
    session.exp_string("dlg> ").unwrap();
    enter(&mut session, "info \"fr\" + \"esh\";");
    session.exp_string("fresh").unwrap();
    quit(session);
}

#[test]
fn history_persists_across_restarts_and_ctrl_r_finds_it() {
    let home = tempfile::tempdir().unwrap();
    let mut first = terminal(home.path());
    enter(&mut first, "marker_value = 41 + 1;");
    first.exp_string("dlg> ").unwrap();
    quit(first);
    let saved = std::fs::read_to_string(home.path().join("repl_history")).unwrap();
    assert!(saved.contains("marker_value = 41 + 1;"), "{saved}");

    let mut second = terminal(home.path());
    second.send_control('r').unwrap();
    second.send("marker_val").unwrap();
    second.flush().unwrap();
    second.send("\r").unwrap();
    second.flush().unwrap();
    second.exp_string("dlg> ").unwrap();
    enter(&mut second, "marker_value");
    second.exp_string("42").unwrap();
    quit(second);
}

#[cfg(unix)]
#[test]
fn the_history_file_is_private() {
    use std::os::unix::fs::PermissionsExt;
    let home = tempfile::tempdir().unwrap();
    let session = terminal(home.path());
    quit(session);
    let mode = std::fs::metadata(home.path().join("repl_history"))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

/// Creates a Basic service `shop` and the connections `shop_main` and `shop_backup` in `home`.
fn store_with_connections(home: &Path) {
    let dlg = |args: &[&str]| {
        let out = Command::new(DLG)
            .args(args)
            .env("DLG_HOME", home)
            .output()
            .unwrap();
        assert!(out.status.success(), "{}", text(&out.stderr));
    };
    dlg(&[
        "service",
        "create",
        "shop",
        "--auth",
        "basic",
        "--host",
        "127.0.0.1",
    ]);
    dlg(&["connection", "create", "shop_main", "--service", "shop"]);
    dlg(&["connection", "create", "shop_backup", "--service", "shop"]);
    let mut authorize = Command::new(DLG)
        .args(["connection", "authorize", "shop_main"])
        .args(["--param", "username=ana", "--param", "password=-"])
        .env("DLG_HOME", home)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = authorize.stdin.take().unwrap();
    writeln!(stdin, "{SHOP_PASSWORD}").unwrap();
    drop(stdin);
    let out = authorize.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", text(&out.stderr));
}

/// The Basic password of `shop_main`, which `:connections` must never show.
const SHOP_PASSWORD: &str = "S3CRET-shop-pw";

#[test]
fn connections_are_listed_and_completed_inside_connection() {
    let home = tempfile::tempdir().unwrap();
    store_with_connections(home.path());
    let mut session = terminal(home.path());
    enter(&mut session, ":connections");
    session.exp_string("NAME").unwrap();
    let listing = session.exp_string("dlg> ").unwrap();
    for line in [
        "         TYPE   SERVICE  STATUS",
        "shop_main    basic  shop     connected",
        "shop_backup  basic  shop     not connected",
    ] {
        assert!(listing.contains(line), "{line:?} not in:\n{listing}");
    }
    assert!(!listing.contains(SHOP_PASSWORD), "{listing}");
    enter(&mut session, "r = invokeurl [");
    session.exp_string("...").unwrap();
    session.send("connection: \"shop_m\t").unwrap();
    session.flush().unwrap();
    session.exp_string("connection: \"shop_main\"").unwrap();
    session.send_control('c').unwrap();
    session.exp_string("dlg> ").unwrap();
    quit(session);
}

#[test]
fn dlg_alone_on_a_terminal_opens_the_repl() {
    let home = tempfile::tempdir().unwrap();
    let mut session = terminal_with(home.path(), &[]);
    enter(&mut session, "6 * 7");
    session.exp_string("42").unwrap();
    quit(session);
}
