// Registering host functions and methods: `cargo run --example host_function`.
//
// The host gives scripts a typed function (`tax`), a fallible one (`sku.lookup`) whose error a
// script can catch, and a method on TEXT (`slug`).

use deluge_lang::{CaptureOutput, Engine, ValueType};

/// The script this example runs.
const SCRIPT: &str = r#"
info "tax: " + tax(120.00, 0.2);
info "title".slug() + " / " + "Hello Big World".slug();
try {
    info sku.lookup("A-1");
    info sku.lookup("Z-9");
} catch (e) {
    info "lookup failed: " + e.message;
}
"#;

/// Runs the script on an engine with the host functions; returns what it printed.
pub fn transcript() -> String {
    let mut engine = Engine::new();
    engine.register_fn("tax", |amount: f64, rate: f64| amount * rate);
    engine.register_fallible_fn("sku.lookup", |code: String| match code.as_str() {
        "A-1" => Ok("Blue pen"),
        _ => Err(format!("no product with SKU {code}")),
    });
    engine.register_method(ValueType::Text, "slug", |text: String| {
        text.to_lowercase().replace(' ', "-")
    });
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    match engine.run(SCRIPT) {
        Ok(_) => output.text(),
        Err(error) => format!("{}{}", output.text(), error.render(false)),
    }
}

fn main() {
    print!("{}", transcript());
}
