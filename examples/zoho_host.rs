// A host for Zoho tasks: `cargo run --example zoho_host`.
//
// The host implements `zoho.crm.getRecordById` from its own records, records `sendmail`
// instead of sending, and stops runaway scripts with the progress callback.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use deluge_lang::{CaptureOutput, Control, Engine, Failure, Host, Value};

/// CRM records by ID, and the mails scripts asked to send.
struct CrmHost {
    mails: Mutex<Vec<String>>,
}

impl Host for CrmHost {
    fn call(&self, name: &str, args: &[Value]) -> Result<Value, Failure> {
        match (name, args) {
            ("zoho.crm.getRecordById", [module, id]) if module.to_string() == "Leads" => {
                match id.to_string().as_str() {
                    "1001" => Ok(Value::from_json(&serde_json::json!({
                        "id": "1001",
                        "Last_Name": "Lovelace",
                        "Email": "ada@example.com",
                    }))),
                    other => Err(format!("no Leads record with ID {other}").into()),
                }
            }
            _ => Err(format!("`{name}` is not provided by this host").into()),
        }
    }

    fn send_mail(&self, params: &[(Box<str>, Value)]) -> Result<(), Failure> {
        let field = |key: &str| {
            params
                .iter()
                .find(|(k, _)| &**k == key)
                .map(|(_, v)| v.to_string())
                .unwrap_or_default()
        };
        if let Ok(mut mails) = self.mails.lock() {
            mails.push(format!("to {}: {}", field("to"), field("subject")));
        }
        Ok(())
    }
}

/// The script this example runs.
const SCRIPT: &str = r#"
lead = zoho.crm.getRecordById("Leads", 1001);
info "lead: " + lead.get("Last_Name");
sendmail
[
    from: zoho.adminuserid
    to: lead.get("Email")
    subject: "Welcome, " + lead.get("Last_Name")
    message: "Thanks for signing up."
];
try {
    zoho.crm.getRecordById("Leads", 7);
} catch (e) {
    info "error: " + e;
}
"#;

/// Runs the script on the CRM host; returns what it printed and the mails it sent.
pub fn transcript() -> String {
    let mut engine = Engine::new();
    let host = Arc::new(CrmHost {
        mails: Mutex::new(Vec::new()),
    });
    engine.set_host(Arc::clone(&host));
    let system = HashMap::from([("adminuserid".to_owned(), "admin@example.com".to_owned())]);
    engine.env_mut().system_vars = Arc::new(system);
    engine.on_progress(1_000, |progress| {
        if progress.statements() > 100_000 {
            Control::Cancel
        } else {
            Control::Continue
        }
    });
    let output = CaptureOutput::new();
    engine.set_output(output.clone());
    let mut text = match engine.run(SCRIPT) {
        Ok(_) => output.text(),
        Err(error) => format!("{}{}", output.text(), error.render(false)),
    };
    for mail in host.mails.lock().map(|m| m.clone()).unwrap_or_default() {
        text.push_str(&format!("mail {mail}\n"));
    }
    text
}

fn main() {
    print!("{}", transcript());
}
