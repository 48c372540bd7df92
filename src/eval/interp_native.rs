//! Running calls to the functions and methods a host registered on the engine.

use crate::eval::builtin::NativeResult;
use crate::eval::error::RtResult;
use crate::eval::interp::Interp;
use crate::eval::interp_limits::check_text_size;
use crate::eval::interp_expr::no_dispatch_message;
use crate::eval::ir::{NativeCall, Script};
use crate::eval::ops::describe;
use crate::eval::value::Value;

impl<'r> Interp<'r> {
    /// `name(args)` or `recv.name(args)` for a registered native.
    #[inline(never)]
    pub(crate) fn call_native(&mut self, call: &'r NativeCall) -> RtResult<Value> {
        let start = self.stack.len();
        let lent = self.push_call_args(&call.args)?;
        let result = self.native_on_stack(call, start);
        self.pop_call_args(start, lent);
        let value = result.map_err(|failure| self.call_failed(failure, call.span))?;
        check_text_size(&value, self.env.limits.max_text_bytes, call.span)?;
        Ok(value)
    }

    fn native_on_stack(&mut self, call: &'r NativeCall, start: usize) -> NativeResult {
        let script: &'r Script = self.script;
        let args = &self.stack[start..];
        let mut ctx = self.native_ctx();
        if !call.method {
            return match call.candidates.first().and_then(|&i| script.natives.get(i)) {
                Some(entry) => entry.call(&mut ctx, args),
                None => Err(format!("`{}` is not registered on this engine", call.name).into()),
            };
        }
        let receiver = args.first().map(Value::value_type);
        let entry = call
            .candidates
            .iter()
            .filter_map(|&i| script.natives.get(i))
            .find(|e| e.receiver == receiver);
        match entry {
            Some(entry) if args.len() - 1 == entry.arity() => entry.call(&mut ctx, args),
            Some(entry) => Err(format!(
                "`{}` takes {} argument{}, but {} {} given (registered as `{}`)",
                call.name,
                entry.arity(),
                if entry.arity() == 1 { "" } else { "s" },
                args.len() - 1,
                if args.len() == 2 { "was" } else { "were" },
                entry.signature()
            )
            .into()),
            None if !call.fallback.is_empty() => {
                let fallback = call.fallback;
                self.builtin_on_stack(&call.name, fallback, start)
            }
            None => Err(no_method_message(script, call, args).into()),
        }
    }
}

/// Why no registered method `call.name` applies to the receiver `args[0]`.
fn no_method_message(script: &Script, call: &NativeCall, args: &[Value]) -> String {
    let receiver = args.first().unwrap_or(&Value::Null);
    if receiver.is_null() {
        return no_dispatch_message(&call.name, &[], args);
    }
    let types: Vec<&str> = call
        .candidates
        .iter()
        .filter_map(|&i| script.natives.get(i)?.receiver)
        .map(|t| t.name())
        .collect();
    format!(
        "`{}` cannot be applied to {}; it applies to {}",
        call.name,
        describe(receiver),
        types.join(", ")
    )
}
