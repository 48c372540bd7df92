//! The REPL's own commands (`:help`, `:vars`, ...): their table, parsing and help text.
//!
//! A command is a line starting with `:`. Any unambiguous prefix of a name works (`:q`, `:ty`).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::Duration;

use deluge_lang::eval::render::try_write_display;
use deluge_lang::eval::value::Value;

use super::helper::ConnectionSummary;
use super::session::{Backend, Outcome, Session};

/// One command as listed by `:help`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct CommandInfo {
    /// Name without the colon.
    pub name: &'static str,
    /// Argument placeholder for the help text, empty when there is none.
    pub args: &'static str,
    /// One line of help.
    pub summary: &'static str,
    /// True when the argument is a Deluge expression (completed like code).
    pub takes_expression: bool,
}

/// Every command, in the order `:help` lists them.
pub const COMMANDS: &[CommandInfo] = &[
    info("help", "", "show this help"),
    info("vars", "", "list the variables and their values"),
    info("funcs", "", "list the functions defined in this session"),
    info("reset", "", "forget every variable and function"),
    info("load", "FILE", "run a script file in this session"),
    CommandInfo {
        takes_expression: true,
        ..info(
            "type",
            "EXPR",
            "show the type of an expression's value (no side effects)",
        )
    },
    CommandInfo {
        takes_expression: true,
        ..info(
            "time",
            "EXPR",
            "run an expression or statement and show how long it took",
        )
    },
    info("connections", "", "list the connections invokeurl can use"),
    info(
        "zoho",
        "PRODUCT LINK",
        "use connection LINK for a product's Zoho tasks (crm, books, creator, desk, inventory)",
    ),
    info("quit", "", "leave the REPL (Ctrl-D does too)"),
];

const fn info(name: &'static str, args: &'static str, summary: &'static str) -> CommandInfo {
    CommandInfo {
        name,
        args,
        summary,
        takes_expression: false,
    }
}

/// A parsed command line.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Command {
    /// `:help`
    Help,
    /// `:vars`
    Vars,
    /// `:funcs`
    Funcs,
    /// `:reset`
    Reset,
    /// `:load FILE`
    Load(PathBuf),
    /// `:type EXPR`
    Type(String),
    /// `:time EXPR`
    Time(String),
    /// `:connections`
    Connections,
    /// `:zoho PRODUCT LINK`
    Zoho(String),
    /// `:quit`
    Quit,
}

/// True when `line` is a command rather than Deluge code.
pub fn is_command(line: &str) -> bool {
    line.trim_start().starts_with(':')
}

/// Parses a command line (`:name [argument]`). The error says what is wrong and what to type.
pub fn parse_command(line: &str) -> Result<Command, String> {
    let line = line.trim();
    let body = line.strip_prefix(':').unwrap_or(line);
    let (name, argument) = match body.find(char::is_whitespace) {
        Some(space) => (&body[..space], body[space..].trim()),
        None => (body, ""),
    };
    let command = find_command(name)?;
    let needs_argument = !command.args.is_empty();
    match (needs_argument, argument.is_empty()) {
        (true, true) => Err(format!(
            "`:{}` needs {}: `:{} {}`",
            command.name,
            argument_noun(command),
            command.name,
            command.args
        )),
        (false, false) => Err(format!("`:{}` takes no argument", command.name)),
        _ => Ok(build(command.name, argument)),
    }
}

/// What a command's argument is, in words.
fn argument_noun(command: &CommandInfo) -> &'static str {
    if command.takes_expression {
        "an expression"
    } else if command.name == "zoho" {
        "a product and a connection"
    } else {
        "a file name"
    }
}

/// The command named `name` with its argument.
fn build(name: &str, argument: &str) -> Command {
    match name {
        "help" => Command::Help,
        "vars" => Command::Vars,
        "funcs" => Command::Funcs,
        "reset" => Command::Reset,
        "load" => Command::Load(PathBuf::from(argument)),
        "type" => Command::Type(argument.to_owned()),
        "time" => Command::Time(argument.to_owned()),
        "connections" => Command::Connections,
        "zoho" => Command::Zoho(argument.to_owned()),
        _ => Command::Quit,
    }
}

/// The command whose name is `name` or starts with it (any case), if exactly one does.
pub fn find_command(name: &str) -> Result<&'static CommandInfo, String> {
    if name.is_empty() {
        return Err("type a command after `:`; `:help` lists them".to_owned());
    }
    let lower = name.to_ascii_lowercase();
    if let Some(exact) = COMMANDS.iter().find(|c| c.name == lower) {
        return Ok(exact);
    }
    let matches: Vec<&CommandInfo> = COMMANDS
        .iter()
        .filter(|c| c.name.starts_with(&lower))
        .collect();
    match matches.as_slice() {
        [one] => Ok(one),
        [] => Err(format!(
            "unknown command `:{name}`; `:help` lists the commands"
        )),
        many => Err(format!(
            "`:{name}` is ambiguous: {}",
            many.iter()
                .map(|c| format!(":{}", c.name))
                .collect::<Vec<_>>()
                .join(", ")
        )),
    }
}

/// The text `:help` prints.
pub fn help_text() -> String {
    let mut out = String::from(
        "Type Deluge statements or expressions; an expression alone shows its value.\n\
         An unfinished block, bracket or invokeurl [ ] continues on the next line (`...`);\n\
         an empty line there (two inside brackets) runs what you typed so far. The final `;`\n\
         may be left out.\n\n\
         Commands (any unambiguous prefix works, e.g. `:q`):\n",
    );
    for command in COMMANDS {
        let usage = format!(":{} {}", command.name, command.args);
        out.push_str(&format!("  {:<18}{}\n", usage.trim_end(), command.summary));
    }
    out.push_str(
        "\nKeys: Tab completes, Ctrl-R searches history, Ctrl-C cancels the entry or stops a\n\
         running script, Ctrl-D quits. Lines starting with a space are not saved in history.\n",
    );
    out
}

/// Whether the REPL goes on after a command.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Flow {
    /// Read the next entry.
    Continue,
    /// Leave the REPL.
    Quit,
}

/// The longest value `:vars` shows before cutting it with `…`.
const MAX_SHOWN_VALUE: usize = 120;

/// Runs a command line against `session`; `connections` lists the connections.
/// Returns whether to go on and how the command went.
pub fn execute<B: Backend>(
    line: &str,
    session: &mut Session<B>,
    connections: &dyn Fn() -> Result<Vec<ConnectionSummary>, String>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> (Flow, Outcome) {
    let command = match parse_command(line) {
        Ok(command) => command,
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            return (Flow::Continue, Outcome::SyntaxError);
        }
    };
    let outcome = match command {
        Command::Quit => return (Flow::Quit, Outcome::Success),
        Command::Help => print(out, &help_text()),
        Command::Vars => print(out, &variables_listing(session)),
        Command::Funcs => print(out, &functions_listing(session)),
        Command::Reset => {
            session.reset();
            print(out, "Every variable and function is forgotten.\n")
        }
        Command::Load(path) => load(&path, session, out, err),
        Command::Type(expression) => show_type(&expression, session, out, err),
        Command::Time(text) => {
            let (outcome, elapsed) = session.eval_timed(&text, out, err);
            let _ = writeln!(out, "time: {}", format_duration(elapsed));
            outcome
        }
        Command::Zoho(argument) => set_zoho(&argument, session, out, err),
        Command::Connections => match connections() {
            Ok(list) => print(out, &connections_listing(&list)),
            Err(message) => {
                let _ = writeln!(err, "error: cannot list connections: {message}");
                Outcome::RuntimeError
            }
        },
    };
    (Flow::Continue, outcome)
}

/// `:zoho PRODUCT LINK`: the connection of that product's Zoho tasks for the session.
fn set_zoho<B: Backend>(
    argument: &str,
    session: &mut Session<B>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    let mut words = argument.split_whitespace();
    let (Some(product), Some(link), None) = (words.next(), words.next(), words.next()) else {
        let _ = writeln!(
            err,
            "error: `:zoho` needs a product and a connection: `:zoho crm LINK`"
        );
        return Outcome::SyntaxError;
    };
    let Some(product) = deluge_lang::zoho::ZohoProduct::parse(product) else {
        let _ = writeln!(
            err,
            "error: unknown Zoho product `{product}`; use crm, books, creator, desk or inventory"
        );
        return Outcome::SyntaxError;
    };
    match session.backend_mut().set_zoho_connection(product, link) {
        Ok(()) => print(
            out,
            &format!("{} tasks now use connection \"{link}\".\n", product.title()),
        ),
        Err(message) => {
            let _ = writeln!(err, "error: {message}");
            Outcome::RuntimeError
        }
    }
}

fn print(out: &mut dyn Write, text: &str) -> Outcome {
    let _ = out.write_all(text.as_bytes());
    Outcome::Success
}

/// `name = value  (TYPE)` for every variable.
fn variables_listing<B: Backend>(session: &Session<B>) -> String {
    let variables = session.variables();
    if variables.is_empty() {
        return "No variables yet: assign one with `name = value;`.\n".to_owned();
    }
    let width = variables
        .keys()
        .map(|k| k.chars().count())
        .max()
        .unwrap_or(0);
    variables
        .iter()
        .map(|(name, value)| {
            format!(
                "{name:<width$} = {}  ({})\n",
                preview(value),
                value.value_type().name()
            )
        })
        .collect()
}

/// The start of the value as `info` prints it, on one line: only the part that is shown is
/// rendered, so a huge value costs nothing.
fn preview(value: &Value) -> String {
    let mut text = String::new();
    let cut_short = try_write_display(&mut text, value, 4 * MAX_SHOWN_VALUE).is_err();
    let mut shown = shorten(&text);
    if cut_short && !shown.ends_with('…') {
        shown.push('…');
    }
    shown
}

/// The value as `info` prints it, on one line, cut at [`MAX_SHOWN_VALUE`] characters.
fn shorten(text: &str) -> String {
    let one_line = text.replace('\n', "\\n");
    if one_line.chars().count() <= MAX_SHOWN_VALUE {
        return one_line;
    }
    let cut: String = one_line.chars().take(MAX_SHOWN_VALUE).collect();
    format!("{cut}…")
}

fn functions_listing<B: Backend>(session: &Session<B>) -> String {
    let headers = session.function_headers();
    if headers.is_empty() {
        return "No functions yet: define one with `int twice(int n) { return n * 2; }`.\n"
            .to_owned();
    }
    headers.iter().map(|h| format!("{h}\n")).collect()
}

/// A table of the connections: name, type, service and status.
fn connections_listing(connections: &[ConnectionSummary]) -> String {
    if connections.is_empty() {
        return "No connections yet: create one with `dlg connection create NAME --service \
                SERVICE`.\n"
            .to_owned();
    }
    let header = ["NAME", "TYPE", "SERVICE", "STATUS"].map(str::to_owned);
    let rows: Vec<[String; 4]> = std::iter::once(header)
        .chain(connections.iter().map(|c| {
            [
                c.name.clone(),
                c.auth.clone(),
                c.service.clone(),
                c.status.clone(),
            ]
        }))
        .collect();
    let width = |column: usize| {
        rows.iter()
            .map(|row| row[column].chars().count())
            .max()
            .unwrap_or(0)
    };
    let widths = [width(0), width(1), width(2)];
    rows.iter()
        .map(|row| {
            format!(
                "{:w0$}  {:w1$}  {:w2$}  {}\n",
                row[0],
                row[1],
                row[2],
                row[3],
                w0 = widths[0],
                w1 = widths[1],
                w2 = widths[2]
            )
        })
        .collect()
}

/// `:load FILE`: runs the file in the session; its functions stay defined.
fn load<B: Backend>(
    path: &Path,
    session: &mut Session<B>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    match std::fs::read_to_string(path) {
        Ok(text) => session.eval_source(&path.display().to_string(), &text, out, err),
        Err(error) => {
            let _ = writeln!(err, "error: cannot read {}: {error}", path.display());
            Outcome::RuntimeError
        }
    }
}

/// `:type EXPR`: the type of the value, without keeping any change the expression makes.
fn show_type<B: Backend>(
    expression: &str,
    session: &mut Session<B>,
    out: &mut dyn Write,
    err: &mut dyn Write,
) -> Outcome {
    match session.evaluate_quietly(expression) {
        Ok(Some(value)) => print(out, &format!("{}\n", value.value_type().name())),
        Ok(None) => print(out, "no value: that is a statement or a void call\n"),
        Err(failure) => {
            let _ = err.write_all(failure.report.as_bytes());
            Outcome::RuntimeError
        }
    }
}

/// `850 µs`, `12.3 ms`, `2.041 s`.
pub fn format_duration(elapsed: Duration) -> String {
    let micros = elapsed.as_micros();
    if micros < 1_000 {
        format!("{micros} µs")
    } else if micros < 1_000_000 {
        format!("{:.1} ms", micros as f64 / 1_000.0)
    } else {
        format!("{:.3} s", elapsed.as_secs_f64())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_parse_with_their_arguments() {
        assert_eq!(parse_command(":help"), Ok(Command::Help));
        assert_eq!(parse_command("  :VARS "), Ok(Command::Vars));
        assert_eq!(
            parse_command(":load scripts/a b.dg"),
            Ok(Command::Load("scripts/a b.dg".into()))
        );
        assert_eq!(
            parse_command(":type  m.get(\"a\")"),
            Ok(Command::Type("m.get(\"a\")".into()))
        );
        assert_eq!(
            parse_command(":time f(30)"),
            Ok(Command::Time("f(30)".into()))
        );
    }

    #[test]
    fn unambiguous_prefixes_work() {
        assert_eq!(parse_command(":q"), Ok(Command::Quit));
        assert_eq!(parse_command(":ty 1"), Ok(Command::Type("1".into())));
        assert_eq!(parse_command(":c"), Ok(Command::Connections));
    }

    #[test]
    fn errors_say_what_to_type() {
        assert_eq!(
            parse_command(":t 1"),
            Err("`:t` is ambiguous: :type, :time".into())
        );
        assert_eq!(
            parse_command(":frobnicate"),
            Err("unknown command `:frobnicate`; `:help` lists the commands".into())
        );
        assert_eq!(
            parse_command(":load"),
            Err("`:load` needs a file name: `:load FILE`".into())
        );
        assert_eq!(
            parse_command(":type"),
            Err("`:type` needs an expression: `:type EXPR`".into())
        );
        assert_eq!(
            parse_command(":vars x"),
            Err("`:vars` takes no argument".into())
        );
        assert_eq!(
            parse_command(":"),
            Err("type a command after `:`; `:help` lists them".into())
        );
    }

    #[test]
    fn connections_list_their_type_service_and_status() {
        let summary = |name: &str, auth: &str, status: &str| ConnectionSummary {
            name: name.into(),
            auth: auth.into(),
            service: "shop".into(),
            status: status.into(),
        };
        let listing = connections_listing(&[
            summary("shop_main", "basic", "connected"),
            summary("crm", "oauth2", "needs re-authorization"),
        ]);
        assert_eq!(
            listing,
            "NAME       TYPE    SERVICE  STATUS\n\
             shop_main  basic   shop     connected\n\
             crm        oauth2  shop     needs re-authorization\n"
        );
        assert!(connections_listing(&[]).starts_with("No connections yet"));
    }

    #[test]
    fn durations_read_naturally() {
        assert_eq!(format_duration(Duration::from_micros(850)), "850 µs");
        assert_eq!(format_duration(Duration::from_micros(12_340)), "12.3 ms");
        assert_eq!(format_duration(Duration::from_millis(2_041)), "2.041 s");
    }

    #[test]
    fn a_value_too_large_to_print_previews_its_start_at_once() {
        // Printed in full this would be 2^60 copies of `1`.
        let mut value = Value::list_from(vec![Value::Number(1)]);
        for _ in 0..60 {
            value = Value::list_from(vec![value.clone(), value]);
        }
        let shown = preview(&value);
        assert!(shown.starts_with("[[[[[["), "{shown}");
        assert!(shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), MAX_SHOWN_VALUE + 1);
        assert_eq!(preview(&Value::text("a\nb")), "a\\nb");
    }

    #[test]
    fn long_values_are_cut_on_one_line() {
        assert_eq!(shorten("a\nb"), "a\\nb");
        let long = "x".repeat(200);
        let shown = shorten(&long);
        assert_eq!(shown.chars().count(), MAX_SHOWN_VALUE + 1);
        assert!(shown.ends_with('…'));
    }

    #[test]
    fn help_lists_every_command() {
        let help = help_text();
        for command in COMMANDS {
            assert!(help.contains(&format!(":{}", command.name)), "{help}");
        }
        assert!(help.contains(":load FILE"));
    }
}
