// Capturing `info` output: `cargo run --example capture_info`.
//
// A host sends `info` lines to its own sink (here a logger that numbers them), and reads back
// the script's variables and result.

use std::sync::{Arc, Mutex};

use deluge_lang::{Engine, Output, Scope};

/// An `info` sink that numbers the lines it keeps.
#[derive(Default)]
struct NumberedLog {
    lines: Mutex<Vec<String>>,
}

impl Output for NumberedLog {
    fn line(&self, text: &str) {
        if let Ok(mut lines) = self.lines.lock() {
            let number = lines.len() + 1;
            lines.push(format!("{number:>2} | {text}"));
        }
    }
}

/// The script this example runs.
const SCRIPT: &str = r#"
total = 0;
for each item in items {
    info item.get("name") + " x" + item.get("qty");
    total = total + item.get("qty") * item.get("price");
}
info "total: " + total;
return total > 100;
"#;

/// Runs the script with a numbered log; returns the log and what the host read back.
pub fn transcript() -> String {
    let log = Arc::new(NumberedLog::default());
    let mut engine = Engine::new();
    engine.set_output(Arc::clone(&log));
    let items = serde_json::json!([
        {"name": "pens", "qty": 3, "price": 12},
        {"name": "paper", "qty": 10, "price": 9},
    ]);
    let mut scope = Scope::new();
    scope.push("items", items);
    let result = engine.run_with_scope(&mut scope, SCRIPT);
    let mut text = log.lines.lock().map(|l| l.join("\n")).unwrap_or_default();
    text.push('\n');
    match result {
        Ok(value) => text.push_str(&format!(
            "result: {value}\ntotal in scope: {}\n",
            scope.get::<i64>("total").unwrap_or_default()
        )),
        Err(error) => text.push_str(&error.render(false)),
    }
    text
}

fn main() {
    print!("{}", transcript());
}
