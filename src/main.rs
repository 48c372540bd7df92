//! The `dlg` command.

fn main() {
    std::process::exit(deluge_lang::cli::main());
}
