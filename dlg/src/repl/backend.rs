//! The REPL's [`Backend`] on the real interpreter: each statement is compiled with the
//! session's variables predeclared as the first slots of the main frame, run with their values,
//! and the final frame is read back into the session.

use std::io::Write;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;

use deluge_lang::api::engine::Engine;
use deluge_lang::api::run::return_last_expression;
use deluge_lang::eval::compile::{compile_session, Unit};
use deluge_lang::eval::error::{Error, ErrorPhase};
use deluge_lang::eval::failure::ErrorKind;
use deluge_lang::eval::ir;
use deluge_lang::eval::output::Output;
use deluge_lang::eval::value::Value;
use deluge_lang::syntax::ast::Program;

use super::session::{Backend, Code, Failure, FailureKind};
use super::snapshot::Variables;

/// Runs REPL entries on an [`Engine`].
pub struct EngineBackend {
    engine: Engine,
}

impl EngineBackend {
    /// A backend on `engine`, stopped by `interrupt` (set by Ctrl-C).
    pub fn new(mut engine: Engine, interrupt: Arc<AtomicBool>) -> Self {
        engine.set_interrupt(interrupt);
        EngineBackend { engine }
    }
}

/// `info` lines straight to standard output, one at a time, so that a long loop shows its
/// progress while it runs.
pub struct LineOutput;

impl Output for LineOutput {
    fn line(&self, text: &str) {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "{text}");
    }
}

impl Backend for EngineBackend {
    fn run(
        &mut self,
        main: Code<'_>,
        library: &[Code<'_>],
        variables: &mut Variables,
        color: bool,
    ) -> Result<Option<Value>, Failure> {
        let mut program = main.program.clone();
        let shows_value = return_last_expression(&mut program);
        let units: Vec<Unit<'_>> = std::iter::once(unit(main.source, &program))
            .chain(library.iter().map(|code| unit(code.source, code.program)))
            .collect();
        let names: Vec<&str> = variables.keys().map(String::as_str).collect();
        let (script, slot_names) = compile_session(&units, &names, deluge_lang::stdlib::builtins())
            .map_err(|problems| {
                let error = Error::new(ErrorPhase::Compile, problems)
                    .reworded(&self.engine.env().setting_names);
                failure(FailureKind::Compile, &error, color)
            })?;
        let frame: Vec<Value> = variables.values().cloned().collect();
        match self.engine.run_with_frame(&script, frame) {
            Ok((value, frame)) => {
                for (name, value) in slot_names.into_iter().zip(frame) {
                    variables.insert(name.into(), value);
                }
                Ok(shows_value.then_some(value))
            }
            Err(error) if error.kind() == ErrorKind::Interrupted => {
                Err(failure(FailureKind::Interrupted, &error, color))
            }
            Err(error) => Err(failure(FailureKind::Runtime, &error, color)),
        }
    }

    fn set_zoho_connection(
        &mut self,
        product: deluge_lang::zoho::ZohoProduct,
        link_name: &str,
    ) -> Result<(), String> {
        self.engine
            .zoho_settings_mut()
            .set_default_connection(product, link_name);
        Ok(())
    }
}

fn unit<'a>(source: &ir::Source, program: &'a Program) -> Unit<'a> {
    Unit {
        source: source.clone(),
        program,
    }
}

fn failure(kind: FailureKind, error: &Error, color: bool) -> Failure {
    Failure {
        kind,
        report: error.render(color),
    }
}
