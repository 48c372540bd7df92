//! Shell integration: `dlg completions SHELL` (clap_complete) and `dlg manpage` (clap_mangen).
//!
//! The bash, zsh and fish scripts also complete the link names of existing connections after
//! `dlg connection show|authorize|edit|revoke|delete`, by calling the hidden
//! `dlg connection list --names`, which prints link names only (never a secret).

use clap::{Args, CommandFactory, ValueEnum};
use clap_complete::Shell;
use std::io::{self, Write};
use std::path::PathBuf;

use super::{Cli, EXIT_OK};

/// Exit code when the output cannot be written.
const EXIT_FAILURE: i32 = 1;

/// The shells `dlg completions` writes scripts for.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum ShellName {
    /// Bash (with link-name completion).
    Bash,
    /// Zsh (with link-name completion).
    Zsh,
    /// Fish (with link-name completion).
    Fish,
    /// PowerShell.
    Powershell,
    /// Elvish.
    Elvish,
}

/// `dlg completions SHELL`
#[derive(Debug, Args)]
pub struct CompletionsArgs {
    /// The shell: bash, zsh, fish, powershell or elvish.
    #[arg(value_enum)]
    pub shell: ShellName,
}

/// `dlg manpage [--dir DIR]`
#[derive(Debug, Args)]
pub struct ManpageArgs {
    /// Write one page per command (dlg.1, dlg-run.1, ...) into this folder instead of
    /// printing the main page.
    #[arg(long, value_name = "DIR")]
    pub dir: Option<PathBuf>,
}

/// The subcommands of `dlg connection` whose first argument is an existing link name.
const LINK_NAME_COMMANDS: &str = "show authorize edit revoke delete";

/// Bash: after clap's `_dlg`, a wrapper that completes link names, registered in its place.
const BASH_LINK_NAMES: &str = r#"
_dlg_with_link_names() {
    local cur="${COMP_WORDS[COMP_CWORD]}" word i
    local -a positional=()
    for (( i = 1; i < COMP_CWORD; i++ )); do
        word="${COMP_WORDS[i]}"
        [[ "$word" == -* ]] || positional+=("$word")
    done
    if [[ ${#positional[@]} -eq 2 && "${positional[0]}" == connection && "$cur" != -* ]]; then
        case " @COMMANDS@ " in
            *" ${positional[1]} "*)
                local names
                names="$("${COMP_WORDS[0]}" connection list --names 2>/dev/null)"
                COMPREPLY=($(compgen -W "$names" -- "$cur"))
                return 0
                ;;
        esac
    fi
    _dlg "$@"
}
if [[ "${BASH_VERSINFO[0]}" -eq 4 && "${BASH_VERSINFO[1]}" -ge 4 || "${BASH_VERSINFO[0]}" -gt 4 ]]; then
    complete -F _dlg_with_link_names -o nosort -o bashdefault -o default dlg
else
    complete -F _dlg_with_link_names -o bashdefault -o default dlg
fi
"#;

/// Zsh: a completer for existing link names, defined before clap's `_dlg` runs.
const ZSH_LINK_NAMES: &str = r#"
_dlg_link_names() {
    local -a names
    names=(${(f)"$(dlg connection list --names 2>/dev/null)"})
    compadd -a names
}
"#;

/// How clap's zsh script completes an existing connection's link name, and what replaces it.
const ZSH_LINK_NAME_ARG: &str = "':link_name -- The connection'\\''s link name";

/// Fish: link names after the connection subcommands that take one.
const FISH_LINK_NAMES: &str = r#"
complete -c dlg -n "__fish_seen_subcommand_from connection; and __fish_seen_subcommand_from @COMMANDS@" -f -a "((commandline -opc)[1] connection list --names 2>/dev/null)"
"#;

/// Runs `dlg completions SHELL`: prints the script.
pub fn completions(args: CompletionsArgs) -> i32 {
    write_out(&completion_script(args.shell))
}

/// The completion script for `shell`.
pub fn completion_script(shell: ShellName) -> Vec<u8> {
    let generator = match shell {
        ShellName::Bash => Shell::Bash,
        ShellName::Zsh => Shell::Zsh,
        ShellName::Fish => Shell::Fish,
        ShellName::Powershell => Shell::PowerShell,
        ShellName::Elvish => Shell::Elvish,
    };
    let mut script = Vec::new();
    clap_complete::generate(generator, &mut Cli::command(), "dlg", &mut script);
    if shell == ShellName::Zsh {
        return zsh_with_link_names(&String::from_utf8_lossy(&script)).into_bytes();
    }
    let extra = match shell {
        ShellName::Bash => BASH_LINK_NAMES,
        ShellName::Fish => FISH_LINK_NAMES,
        _ => "",
    };
    script.extend_from_slice(extra.replace("@COMMANDS@", LINK_NAME_COMMANDS).as_bytes());
    script
}

/// Clap's zsh script, with existing link names completed where a command takes one.
fn zsh_with_link_names(script: &str) -> String {
    let mut out = String::with_capacity(script.len() + ZSH_LINK_NAMES.len());
    for line in script.split_inclusive('\n') {
        if line.starts_with(ZSH_LINK_NAME_ARG) {
            out.push_str(&line.replacen(":_default'", ":_dlg_link_names'", 1));
        } else {
            out.push_str(line);
        }
        if line.starts_with("#compdef") {
            out.push_str(ZSH_LINK_NAMES);
        }
    }
    out
}

/// Runs `dlg manpage`: prints the main page, or writes every page into `--dir`.
pub fn manpage(args: ManpageArgs) -> i32 {
    match args.dir {
        Some(dir) => match write_pages(&dir) {
            Ok(count) => {
                println!("wrote {count} manual pages to {}", dir.display());
                EXIT_OK
            }
            Err(error) => {
                eprintln!(
                    "error: cannot write manual pages to {}: {error}",
                    dir.display()
                );
                EXIT_FAILURE
            }
        },
        None => {
            let mut page = Vec::new();
            match clap_mangen::Man::new(Cli::command()).render(&mut page) {
                Ok(()) => write_out(&page),
                Err(error) => {
                    eprintln!("error: cannot render the manual page: {error}");
                    EXIT_FAILURE
                }
            }
        }
    }
}

/// Writes one page per visible command into `dir` (created if missing); returns how many.
fn write_pages(dir: &std::path::Path) -> io::Result<usize> {
    std::fs::create_dir_all(dir)?;
    clap_mangen::generate_to(Cli::command(), dir)?;
    let pages = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .filter(|entry| entry.file_name().to_string_lossy().ends_with(".1"))
        .count();
    Ok(pages)
}

/// Writes `bytes` to standard output; a closed pipe is not an error.
fn write_out(bytes: &[u8]) -> i32 {
    let mut stdout = io::stdout().lock();
    match stdout.write_all(bytes).and_then(|()| stdout.flush()) {
        Ok(()) => EXIT_OK,
        Err(error) if error.kind() == io::ErrorKind::BrokenPipe => EXIT_OK,
        Err(error) => {
            eprintln!("error: cannot write to standard output: {error}");
            EXIT_FAILURE
        }
    }
}
