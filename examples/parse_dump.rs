//! Prints the AST and syntax errors of a Deluge file: `cargo run --example parse_dump FILE`.

fn main() {
    let path = std::env::args().nth(1).unwrap_or_default();
    let src = std::fs::read_to_string(&path).unwrap_or_default();
    let out = deluge_lang::syntax::parse(&src);
    println!("{:#?}", out.program);
    print!(
        "{}",
        deluge_lang::syntax::diagnostics::render_syntax_errors(&path, &src, &out.errors, false)
    );
}
