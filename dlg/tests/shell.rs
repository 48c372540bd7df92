//! Shell integration: `dlg completions SHELL` loads in a real bash and completes subcommands and
//! the link names of existing connections; `dlg manpage` renders roff pages.

use std::path::Path;
use std::process::{Command, Output};

fn dlg(home: &Path) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_dlg"));
    command.env("DLG_HOME", home).env_remove("DLG_MASTER_KEY");
    command
}

fn run_ok(command: &mut Command) -> String {
    let output = command.output().unwrap();
    assert!(
        output.status.success(),
        "{command:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

/// Sources the bash completion script in a fresh `bash`, then asks the function registered for
/// `dlg` to complete `line` (the cursor at its end); returns the candidates, one a line.
fn complete_in_bash(home: &Path, script: &Path, line: &str) -> Output {
    let program = r#"
set -u
source "$SCRIPT" || exit 90
spec="$(complete -p dlg)" || exit 91
function="$(sed -E 's/.*-F ([^ ]+).*/\1/' <<<"$spec")"
read -r -a COMP_WORDS <<<"$LINE"
[[ "$LINE" == *" " ]] && COMP_WORDS+=("")
COMP_CWORD=$(( ${#COMP_WORDS[@]} - 1 ))
COMP_LINE="$LINE"
COMP_POINT=${#LINE}
COMPREPLY=()
"$function" dlg "${COMP_WORDS[COMP_CWORD]}" "${COMP_WORDS[COMP_CWORD-1]}"
printf '%s\n' "${COMPREPLY[@]}"
"#;
    Command::new("bash")
        .args(["--norc", "--noprofile", "-c", program])
        .env("SCRIPT", script)
        .env("LINE", line)
        .env("PATH", path_with_dlg())
        .env("DLG_HOME", home)
        .env_remove("DLG_MASTER_KEY")
        .output()
        .unwrap()
}

/// `PATH` with the folder of the `dlg` under test first, as after installing it.
fn path_with_dlg() -> std::ffi::OsString {
    let bin = Path::new(env!("CARGO_BIN_EXE_dlg"))
        .parent()
        .unwrap()
        .to_path_buf();
    let rest = std::env::var_os("PATH").unwrap_or_default();
    std::env::join_paths(std::iter::once(bin).chain(std::env::split_paths(&rest))).unwrap()
}

fn candidates(output: &Output) -> Vec<String> {
    assert!(
        output.status.success(),
        "bash failed ({:?}): {}",
        output.status.code(),
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout.clone())
        .unwrap()
        .lines()
        .filter(|line| !line.is_empty())
        .map(str::to_owned)
        .collect()
}

#[test]
fn bash_completion_loads_and_completes_commands_and_link_names() {
    let home = tempfile::tempdir().unwrap();
    let script = home.path().join("dlg.bash");
    std::fs::write(
        &script,
        run_ok(dlg(home.path()).args(["completions", "bash"])),
    )
    .unwrap();

    let loaded = Command::new("bash")
        .args(["--norc", "--noprofile", "-c", "source \"$0\""])
        .arg(&script)
        .output()
        .unwrap();
    assert!(loaded.status.success());
    assert_eq!(String::from_utf8_lossy(&loaded.stderr), "");

    let output = complete_in_bash(home.path(), &script, "dlg con");
    assert_eq!(candidates(&output), vec!["connection"]);
    let output = complete_in_bash(home.path(), &script, "dlg connection sh");
    assert_eq!(candidates(&output), vec!["show"]);

    // No store yet: no link names, and no error shown.
    let output = complete_in_bash(home.path(), &script, "dlg connection show ");
    assert_eq!(candidates(&output), Vec::<String>::new());
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");

    run_ok(dlg(home.path()).args([
        "service",
        "create",
        "weather",
        "--auth",
        "api-key",
        "--param",
        "X-Api-Key:header",
        "--host",
        "api.example.com",
    ]));
    for link in ["weather_main", "weather_test", "other"] {
        run_ok(dlg(home.path()).args(["connection", "create", link, "--service", "weather"]));
    }
    let output = complete_in_bash(home.path(), &script, "dlg connection show ");
    assert_eq!(
        candidates(&output),
        vec!["weather_main", "weather_test", "other"]
    );
    let output = complete_in_bash(home.path(), &script, "dlg connection revoke weather_");
    assert_eq!(candidates(&output), vec!["weather_main", "weather_test"]);
    let output = complete_in_bash(home.path(), &script, "dlg -v connection authorize o");
    assert_eq!(candidates(&output), vec!["other"]);
    // Elsewhere the generated completion answers: flags, not link names.
    let output = complete_in_bash(home.path(), &script, "dlg connection show other --j");
    assert_eq!(candidates(&output), vec!["--json"]);
}

#[test]
fn link_name_listing_holds_names_only() {
    let home = tempfile::tempdir().unwrap();
    assert_eq!(
        run_ok(dlg(home.path()).args(["connection", "list", "--names"])),
        ""
    );
    run_ok(dlg(home.path()).args(["service", "create", "b", "--auth", "basic"]));
    run_ok(dlg(home.path()).args(["connection", "create", "acct", "--service", "b"]));
    let output = support_stdin(
        dlg(home.path()).args([
            "connection",
            "authorize",
            "acct",
            "--param",
            "username=-",
            "--param",
            "password=-",
        ]),
        "alice\nhunter2\n",
    );
    assert!(output.status.success(), "{output:?}");
    let names = run_ok(dlg(home.path()).args(["connection", "list", "--names"]));
    assert_eq!(names, "acct\n");
    let help = run_ok(dlg(home.path()).args(["connection", "list", "--help"]));
    assert!(!help.contains("--names"), "{help}");
    let output = dlg(home.path())
        .args(["connection", "list", "--names", "--json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr)
        .contains("the argument '--names' cannot be used with '--json'"));
}

fn support_stdin(command: &mut Command, input: &str) -> Output {
    use std::io::Write;
    use std::process::Stdio;
    let mut child = command
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(input.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn zsh_completion_offers_link_names_where_a_command_takes_one() {
    let home = tempfile::tempdir().unwrap();
    let script = run_ok(dlg(home.path()).args(["completions", "zsh"]));
    assert!(
        script.starts_with("#compdef dlg\n\n_dlg_link_names() {"),
        "{script}"
    );
    let completed: Vec<&str> = script
        .lines()
        .filter(|line| line.starts_with("':link_name -- "))
        .collect();
    assert_eq!(completed.len(), 6, "{completed:?}");
    let with_names = completed
        .iter()
        .filter(|line| line.ends_with(":_dlg_link_names' \\"))
        .count();
    assert_eq!(
        with_names, 5,
        "show, authorize, edit, revoke and delete: {completed:?}"
    );
    assert!(
        completed[0].contains("Link name used in scripts") && completed[0].contains("_default")
    );

    // Run the completer in a real zsh where one is installed (compadd stubbed to print).
    if Command::new("zsh").arg("--version").output().is_err() {
        return;
    }
    let file = home.path().join("_dlg");
    std::fs::write(&file, &script).unwrap();
    run_ok(dlg(home.path()).args(["service", "create", "b", "--auth", "basic"]));
    for link in ["alpha_one", "beta_two"] {
        run_ok(dlg(home.path()).args(["connection", "create", link, "--service", "b"]));
    }
    let output = Command::new("zsh")
        .args([
            "-f",
            "-c",
            "compdef() { :; }; compadd() { print -l -- ${(P)2}; }; source \"$0\"; _dlg_link_names",
        ])
        .arg(&file)
        .env("PATH", path_with_dlg())
        .env("DLG_HOME", home.path())
        .env_remove("DLG_MASTER_KEY")
        .output()
        .unwrap();
    assert_eq!(String::from_utf8_lossy(&output.stderr), "");
    assert_eq!(
        String::from_utf8_lossy(&output.stdout),
        "alpha_one\nbeta_two\n"
    );
}

#[test]
fn every_shell_gets_a_script() {
    let home = tempfile::tempdir().unwrap();
    let script = |shell: &str| run_ok(dlg(home.path()).args(["completions", shell]));
    assert!(script("zsh").starts_with("#compdef dlg"));
    let fish = script("fish");
    assert!(fish.contains("complete -c dlg"), "{fish}");
    assert!(fish.contains("connection list --names"), "{fish}");
    assert!(script("powershell").contains("Register-ArgumentCompleter"));
    assert!(script("elvish").contains("edit:completion:arg-completer[dlg]"));
    for shell in ["zsh", "fish", "powershell", "elvish"] {
        assert!(script(shell).contains("connection"), "{shell}");
    }
    let output = dlg(home.path())
        .args(["completions", "tcsh"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("invalid value 'tcsh'")
            && stderr.contains("[possible values: bash, zsh, fish, powershell, elvish]"),
        "{stderr}"
    );
}

#[test]
fn manpage_renders_roff_and_writes_every_page() {
    let home = tempfile::tempdir().unwrap();
    let page = run_ok(dlg(home.path()).arg("manpage"));
    assert!(page.starts_with(".ie \\n(.g .ds Aq"), "{}", &page[..80]);
    assert!(page.contains(".TH dlg 1"), "{page}");
    assert!(page.contains("Run, check and explore Deluge scripts"));
    assert!(page.contains("dlg\\-connection(1)"), "{page}");

    let dir = home.path().join("man1");
    let out = run_ok(dlg(home.path()).args(["manpage", "--dir"]).arg(&dir));
    assert!(out.starts_with("wrote "), "{out}");
    for name in [
        "dlg.1",
        "dlg-run.1",
        "dlg-connection.1",
        "dlg-connection-show.1",
        "dlg-service-configure.1",
        "dlg-completions.1",
    ] {
        assert!(dir.join(name).is_file(), "{name} missing");
    }
    let show = std::fs::read_to_string(dir.join("dlg-connection-show.1")).unwrap();
    assert!(show.contains(".TH dlg-connection-show 1"), "{show}");

    let blocked = home.path().join("file");
    std::fs::write(&blocked, "").unwrap();
    let output = dlg(home.path())
        .args(["manpage", "--dir"])
        .arg(blocked.join("sub"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.starts_with(&format!(
            "error: cannot write manual pages to {}: ",
            blocked.join("sub").display()
        )),
        "{stderr}"
    );
}
