//! The interpreter: runs compiled statements over one value stack.
//!
//! Every frame is a window of `stack` starting at `base`: parameters first, then the other
//! variables. Arguments are evaluated straight onto the stack, so calling a user function copies
//! nothing. Expressions are in `interp_expr.rs`, host constructs and tasks in `interp_host.rs`,
//! the limits and watchers of a run (statement count, clock, Ctrl-C, progress, coverage, sizes) in
//! `interp_limits.rs`.

use std::rc::Rc;
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::Instant;

use crate::eval::coverage::{Coverage, CoverageHits};
use crate::eval::env::RunEnv;
use crate::eval::context::NativeCtx;
use crate::eval::error::{CallFrame, RtResult, RuntimeError, RuntimeErrorKind};
use crate::eval::failure::{ErrorKind, LimitKind};
use crate::eval::host::Host;
use crate::eval::interp_limits::{check_text_size, text_too_long, too_large};
use crate::eval::ir::{Block, Expr, Function, Script, Slot, Stmt, TryStmt};
use crate::eval::output::Output;
use crate::eval::progress::ProgressHook;
use crate::eval::render::{try_display, try_write_display};
use crate::eval::value::{CollectionData, ErrorValue, Value};
use crate::syntax::span::{line_col, Span};

/// How a statement ended.
pub(crate) enum Flow {
    /// Go on with the next statement.
    Normal,
    /// `break;`
    Break,
    /// `continue;`
    Continue,
    /// `return e;`
    Return(Value),
}

/// One run of a script.
pub struct Interp<'r> {
    pub(crate) script: &'r Script,
    pub(crate) consts: Vec<Value>,
    pub(crate) stack: Vec<Value>,
    pub(crate) base: usize,
    pub(crate) depth: u32,
    pub(crate) source: u32,
    pub(crate) steps: u64,
    pub(crate) next_check: u64,
    pub(crate) max_steps: u64,
    pub(crate) deadline: Option<Instant>,
    /// Set from outside (Ctrl-C in the REPL) to stop the run; checked with the clock.
    /// (Also the flag to hand to long waits such as an HTTP request.)
    pub(crate) interrupt: Option<Arc<AtomicBool>>,
    pub(crate) env: &'r RunEnv,
    pub(crate) output: &'r dyn Output,
    pub(crate) host: &'r dyn Host,
    /// The run's quota counters (HTTP calls and bytes, mails).
    pub(crate) usage: crate::eval::usage::Usage,
    /// The host's progress/cancel callback, with the step count of its next call.
    pub(crate) progress: Option<(&'r ProgressHook, u64)>,
    pub(crate) started: Instant,
    /// With coverage on: where the hits go when the run ends, and this run's hits
    /// (source index, statement offset).
    pub(crate) coverage: Option<(&'r Coverage, CoverageHits)>,
}

impl<'r> Interp<'r> {
    /// Prepares a run: materialises the constants and starts the clock.
    pub fn new(
        script: &'r Script,
        env: &'r RunEnv,
        output: &'r dyn Output,
        host: &'r dyn Host,
    ) -> Self {
        let consts = script.consts.iter().map(crate::eval::const_value).collect();
        let max_steps = env.limits.max_statements.unwrap_or(u64::MAX);
        let deadline = env.limits.timeout.map(|t| Instant::now() + t);
        let mut interp = Interp {
            script,
            consts,
            stack: Vec::with_capacity(256),
            base: 0,
            depth: 0,
            source: 0,
            steps: 0,
            next_check: 0,
            max_steps,
            deadline,
            interrupt: None,
            env,
            output,
            host,
            usage: crate::eval::usage::Usage::new(deadline),
            progress: None,
            started: Instant::now(),
            coverage: None,
        };
        interp.schedule_check();
        interp
    }

    /// Runs the top-level statements with the first slots of the main frame set to `frame`
    /// (a REPL session's variables, see `compile::compile_session`). Returns the value of a
    /// top-level `return e;` (or null) and the final value of every main slot.
    pub fn run_main_with(&mut self, frame: Vec<Value>) -> RtResult<(Value, Vec<Value>)> {
        let main = &self.script.main;
        let start = self.stack.len();
        self.stack.extend(frame);
        self.stack
            .resize(start + main.n_slots as usize, Value::Null);
        let (saved_base, saved_source) = (self.base, self.source);
        self.base = start;
        self.source = main.source;
        self.depth += 1;
        let result = self.exec_block(&main.body);
        self.depth -= 1;
        self.base = saved_base;
        self.source = saved_source;
        let frame = self.stack.split_off(start);
        match result {
            Ok(Flow::Return(value)) => Ok((value, frame)),
            Ok(_) => Ok((Value::Null, frame)),
            Err(mut err) => {
                err.source.get_or_insert(main.source);
                Err(err)
            }
        }
    }

    /// Runs the top-level statements. They are not a call: `max_call_depth` user-function
    /// calls may nest inside them.
    pub fn run_main(&mut self) -> RtResult<Value> {
        self.run_main_with(Vec::new()).map(|(value, _)| value)
    }

    /// Calls a user function with argument values.
    pub fn call_function(
        &mut self,
        function: &'r Function,
        args: Vec<Value>,
        span: Span,
    ) -> RtResult<Value> {
        let start = self.stack.len();
        self.stack.extend(args);
        self.enter(function, start, span).map_err(|mut err| {
            if let Some(entry) = err.trace.frames.last_mut() {
                entry.call_site = None;
            }
            err
        })
    }

    /// Runs `function` with its arguments already on the stack from `start`.
    pub(crate) fn enter(
        &mut self,
        function: &'r Function,
        start: usize,
        span: Span,
    ) -> RtResult<Value> {
        // `depth` counts the frame the run started in (the top level, or the function an
        // embedder calls) too: `max_call_depth` calls may nest inside it.
        if self.depth > self.env.limits.max_call_depth {
            return Err(self.too_deep(function, start, span));
        }
        self.depth += 1;
        let (saved_base, saved_source) = (self.base, self.source);
        self.base = start;
        self.source = function.source;
        let frame_end = start + function.n_slots as usize;
        while self.stack.len() < frame_end {
            self.stack.push(Value::Null);
        }
        let result = self.statements(&function.body);
        self.base = saved_base;
        self.source = saved_source;
        self.depth -= 1;
        self.pop_frame(start);
        match result {
            Ok(Flow::Return(value)) => Ok(value),
            Ok(_) => Ok(Value::Null),
            Err(mut err) => {
                err.source.get_or_insert(function.source);
                self.unwind_through(&mut err, function, span);
                Err(err)
            }
        }
    }

    /// The error of a call that would nest deeper than `max_call_depth`; drops the arguments
    /// pushed from `start`. Out of line: `enter` stays small.
    #[cold]
    #[inline(never)]
    fn too_deep(&mut self, function: &Function, start: usize, span: Span) -> Box<RuntimeError> {
        self.stack.truncate(start);
        RuntimeError::limit(
            ErrorKind::Limit(LimitKind::CallDepth),
            format!(
                "too many nested function calls (more than {}) while calling `{}`",
                self.env.limits.max_call_depth, function.name
            ),
            span,
        )
        .with_help("check the recursion has a base case that is reached")
    }

    /// Drops the values above `start`, skipping the out-of-line drop for scalars (a frame of
    /// NUMBER parameters and variables owns nothing).
    #[inline(always)]
    pub(crate) fn pop_frame(&mut self, start: usize) {
        while self.stack.len() > start {
            if let Some(value) = self.stack.pop() {
                release(value);
            }
        }
    }

    /// Records on `err` that it unwound through a call of `function` made at `span` (from the
    /// current source). [`Interp::call_function`] removes the call site of the function a run
    /// starts with.
    #[cold]
    fn unwind_through(&mut self, err: &mut RuntimeError, function: &Function, span: Span) {
        err.trace.push(CallFrame {
            function: function.name.clone(),
            call_site: Some((self.source, span)),
            caller: None,
        });
    }

    #[inline]
    pub(crate) fn slot(&mut self, slot: Slot) -> &mut Value {
        let index = self.base + slot as usize;
        &mut self.stack[index]
    }

    /// What a native or host task sees of the run: its environment, Ctrl-C flag and quota
    /// counters.
    pub(crate) fn native_ctx(&self) -> NativeCtx<'_> {
        NativeCtx {
            env: self.env,
            interrupt: self.interrupt.as_ref(),
            usage: Some(&self.usage),
        }
    }

    /// Runs a block: how it ended (normally, `break`, `continue` or `return`) or its error.
    pub(crate) fn exec_block(&mut self, block: &'r Block) -> RtResult<Flow> {
        self.statements(block)
    }

    /// Runs `block`'s statements until one does not end normally. Inlined into both
    /// `exec_block` and `enter`: a call runs its body without the extra call (fib -4.5 %
    /// instructions).
    #[inline(always)]
    fn statements(&mut self, block: &'r Block) -> RtResult<Flow> {
        for (stmt, span) in block.iter() {
            match self.exec(stmt, *span)? {
                Flow::Normal => {}
                flow => return Ok(flow),
            }
        }
        Ok(Flow::Normal)
    }

    /// Runs one statement. Inlined into `statements` and into `for_each`'s loop over its body.
    #[inline(always)]
    pub(crate) fn exec(&mut self, stmt: &'r Stmt, span: Span) -> RtResult<Flow> {
        match stmt {
            Stmt::Assign(slot, value) => {
                self.tick(span)?;
                let value = self.operand(value)?;
                release(std::mem::replace(self.slot(*slot), value));
            }
            Stmt::AddAssign(slot, value, op_span) => {
                self.tick(span)?;
                self.add_assign(*slot, value, *op_span)?;
            }
            Stmt::AddNumber(add) => {
                self.tick(span)?;
                match add.sum.run(self.frame()) {
                    Some(sum) => release(std::mem::replace(self.slot(add.slot), Value::Number(sum))),
                    None => self.add_assign(add.slot, &add.value, add.span)?,
                }
            }
            Stmt::AppendText(slot, index, op_span) => {
                self.tick(span)?;
                self.append_text(*slot, *index, *op_span)?;
            }
            Stmt::SetField(set) => {
                self.tick(span)?;
                self.set_field(set)?;
            }
            Stmt::Expr(e) => {
                self.tick(span)?;
                release(self.eval(e)?);
            }
            Stmt::AddToList(add) => {
                self.tick(span)?;
                self.add_to_list(add)?;
            }
            Stmt::Info(e) => {
                self.tick(span)?;
                self.info(e, span)?;
            }
            Stmt::If(if_stmt) => {
                self.tick(span)?;
                for (cond, cond_span, body) in if_stmt.branches.iter() {
                    if self.condition(cond, *cond_span, "if")? {
                        return self.branch(body);
                    }
                }
                if let Some(body) = &if_stmt.otherwise {
                    return self.branch(body);
                }
            }
            Stmt::ForEach(for_each) => return self.for_each(for_each),
            Stmt::Break => {
                self.tick(span)?;
                return Ok(Flow::Break);
            }
            Stmt::Continue => {
                self.tick(span)?;
                return Ok(Flow::Continue);
            }
            Stmt::Return(value) => return self.return_value(value.as_ref(), span),
            Stmt::Try(try_stmt) => return self.try_catch(try_stmt),
            Stmt::Host(host, span) => {
                self.tick(*span)?;
                self.host_stmt(host, *span)?;
            }
        }
        Ok(Flow::Normal)
    }

    /// Runs an `if` branch; a branch that is one `return` (a guard clause) without the call to
    /// `exec_block`.
    #[inline(always)]
    fn branch(&mut self, body: &'r Block) -> RtResult<Flow> {
        match &body[..] {
            [(Stmt::Return(value), span)] => self.return_value(value.as_ref(), *span),
            _ => self.exec_block(body),
        }
    }

    /// `return e;` / `return;`
    #[inline(always)]
    fn return_value(&mut self, value: Option<&'r Expr>, span: Span) -> RtResult<Flow> {
        self.tick(span)?;
        let value = match value {
            Some(e) => self.operand(e)?,
            None => Value::Null,
        };
        Ok(Flow::Return(value))
    }

    /// `info e;` (out of line: `exec` stays small).
    #[inline(never)]
    fn info(&mut self, e: &'r crate::eval::ir::Expr, span: Span) -> RtResult<()> {
        let value = self.eval(e)?;
        match &value {
            Value::Text(t) => self.output.line(t),
            other => {
                let max = self.env.limits.max_text_bytes;
                let text = try_display(other, max).map_err(|e| too_large(e, span))?;
                self.output.line(&text)
            }
        }
        Ok(())
    }

    /// `x = x + e` / `x += e`: appends in place when `x` is TEXT (no copy when unshared).
    fn add_assign(
        &mut self,
        slot: Slot,
        value: &'r crate::eval::ir::Expr,
        span: Span,
    ) -> RtResult<()> {
        let rhs = self.operand(value)?;
        self.add_value(slot, rhs, span)
    }

    /// `x = x + "text"` with the literal's constant `index`: appends it where it is when `x` is
    /// TEXT (no copy of the literal, no drop), else adds as [`Interp::add_assign`] does. The
    /// append is written out as in `add_value`'s TEXT arm: one helper for both changed how
    /// `add_value` compiles, and `list` and `map` ran 1.5 % more instructions.
    fn append_text(&mut self, slot: Slot, index: u32, span: Span) -> RtResult<()> {
        let max_text = self.env.limits.max_text_bytes;
        let current = &mut self.stack[self.base + slot as usize];
        let constant = &self.consts[index as usize];
        if let (Value::Text(text), Value::Text(piece)) = (current, constant) {
            let grown = text.as_str().len() + piece.as_str().len();
            if grown > max_text {
                return Err(text_too_long(grown, max_text, span));
            }
            text.make_mut().push_str(piece.as_str());
            return Ok(());
        }
        self.add_value(slot, constant.clone(), span)
    }

    /// Adds `rhs` to variable `slot` in place: NUMBERs, TEXT appends, and `+` for the rest.
    #[inline(always)]
    fn add_value(&mut self, slot: Slot, rhs: Value, span: Span) -> RtResult<()> {
        let max_text = self.env.limits.max_text_bytes;
        let current = self.slot(slot);
        match (current, &rhs) {
            (Value::Number(a), Value::Number(b)) => match a.checked_add(*b) {
                Some(sum) => *a = sum,
                None => {
                    let message = crate::eval::ops::number_op(crate::eval::ir::BinOp::Add, *a, *b)
                        .err()
                        .unwrap_or_default();
                    return Err(RuntimeError::new(message, span));
                }
            },
            (Value::Text(text), Value::Text(piece)) => {
                let grown = text.as_str().len() + piece.as_str().len();
                if grown > max_text {
                    return Err(text_too_long(grown, max_text, span));
                }
                text.make_mut().push_str(piece.as_str());
            }
            (Value::Text(text), _) => {
                let buffer = text.make_mut();
                let start = buffer.len();
                if let Err(e) = try_write_display(buffer, &rhs, max_text) {
                    buffer.truncate(start);
                    return Err(too_large(e, span));
                }
                if buffer.len() > max_text {
                    return Err(text_too_long(buffer.len(), max_text, span));
                }
            }
            (current, _) => {
                let old = std::mem::take(current);
                let result = crate::eval::ops::add_within(&old, &rhs, max_text);
                let current = self.slot(slot);
                match result {
                    Ok(value) => {
                        check_text_size(&value, max_text, span)?;
                        *current = value;
                    }
                    Err(message) => {
                        *current = old;
                        return Err(RuntimeError::new(message, span));
                    }
                }
            }
        }
        release(rhs);
        Ok(())
    }

    #[inline(never)]
    fn set_field(&mut self, set: &'r crate::eval::ir::SetField) -> RtResult<()> {
        let object = self.eval(&set.object)?;
        let value = self.eval(&set.value)?;
        let key = self.consts[set.key as usize].clone();
        let record = match &object {
            Value::Collection(c) => first_record(c).unwrap_or(object),
            _ => object,
        };
        match record {
            Value::Map(ref map) => {
                let len = {
                    let mut data = map.borrow_mut();
                    data.insert(key.clone(), value.clone());
                    data.len()
                };
                self.check_len(len, set.span)?;
                let Some(field) = key.as_text() else {
                    return Ok(());
                };
                self.host
                    .record_field_set(&record, field, &value)
                    .map_err(|failure| RuntimeError::failed(failure, set.span))
            }
            other => Err(RuntimeError::new(
                format!(
                    "cannot set field `{}`: the value is {}, not a KEY-VALUE",
                    crate::eval::render::display(&key),
                    crate::eval::ops::describe(&other)
                ),
                set.span,
            )),
        }
    }

    /// Evaluates a condition, which must be BOOLEAN. A comparison of two NUMBERs is decided
    /// here, without the call (and the larger frame) of the general path.
    #[inline(always)]
    pub(crate) fn condition(
        &mut self,
        cond: &'r crate::eval::ir::Expr,
        span: Span,
        what: &str,
    ) -> RtResult<bool> {
        if let crate::eval::ir::Expr::NumberOp(b) = cond {
            if let Some(result) = self.compare_numbers(b) {
                return Ok(result);
            }
        }
        self.any_condition(cond, span, what)
    }

    /// [`Interp::condition`] for every condition that is not two NUMBERs compared.
    fn any_condition(
        &mut self,
        cond: &'r crate::eval::ir::Expr,
        span: Span,
        what: &str,
    ) -> RtResult<bool> {
        let binary = match cond {
            crate::eval::ir::Expr::NumberOp(op) => Some(&op.binary),
            crate::eval::ir::Expr::Binary(b) => Some(&**b),
            _ => None,
        };
        if let Some(b) = binary {
            if let Some(result) = self.number_comparison(b)? {
                return Ok(result);
            }
        }
        match self.eval(cond)? {
            Value::Bool(b) => Ok(b),
            other => Err(RuntimeError::new(
                format!(
                    "the condition of `{what}` must be a BOOLEAN, but it is {}",
                    crate::eval::ops::describe(&other)
                ),
                span,
            )
            .with_help("compare explicitly, e.g. `x != null`, `x == \"\"` or `list.size() > 0`")),
        }
    }

    /// `a < b` and the other comparisons when both sides are NUMBERs, without building a value;
    /// `None` when the operator or the operand types need the general path.
    #[inline(always)]
    fn number_comparison(&mut self, b: &'r crate::eval::ir::Binary) -> RtResult<Option<bool>> {
        if !crate::eval::ir::is_comparison(b.op) {
            return Ok(None);
        }
        let lhs = self.operand(&b.lhs)?;
        let rhs = self.operand(&b.rhs)?;
        if let (Value::Number(x), Value::Number(y)) = (&lhs, &rhs) {
            let (x, y) = (*x, *y);
            // NUMBERs own nothing: skip the out-of-line drop of two values.
            std::mem::forget((lhs, rhs));
            return Ok(crate::eval::number_code::compare_i64(b.op, x, y));
        }
        match crate::eval::ops::binary(b.op, &lhs, &rhs) {
            Ok(Value::Bool(result)) => Ok(Some(result)),
            Ok(_) => Ok(None),
            Err(message) => Err(RuntimeError::new(message, b.span)),
        }
    }

    #[inline(never)]
    fn try_catch(&mut self, try_stmt: &'r TryStmt) -> RtResult<Flow> {
        let (base, depth, source, len) = (self.base, self.depth, self.source, self.stack.len());
        match self.exec_block(&try_stmt.body) {
            Ok(flow) => Ok(flow),
            Err(err) if err.kind == RuntimeErrorKind::Error => {
                self.stack.truncate(len);
                (self.base, self.depth) = (base, depth);
                self.source = source;
                let error_source = err.source.unwrap_or(source) as usize;
                let text = &self.script.sources[error_source].text;
                let caught = ErrorValue {
                    message: self.env.setting_names.reword(err.message),
                    line: line_col(text, err.span.start).line,
                };
                *self.slot(try_stmt.var) = Value::Error(Rc::new(caught));
                self.exec_block(&try_stmt.handler)
            }
            Err(err) => Err(err),
        }
    }
}

impl Drop for Interp<'_> {
    /// Hands this run's coverage hits to the shared record.
    fn drop(&mut self) {
        if let Some((coverage, hits)) = &self.coverage {
            coverage.merge(&self.script.sources, hits);
        }
    }
}

/// Drops a value, skipping the out-of-line drop for scalars that own nothing (the common case
/// when a loop overwrites a NUMBER variable).
#[inline(always)]
pub(crate) fn release(value: Value) {
    if matches!(value, Value::Null | Value::Bool(_) | Value::Number(_)) {
        std::mem::forget(value);
    } else {
        drop(value);
    }
}

/// A copy of `value`; NUMBERs without the out-of-line `clone`.
#[inline(always)]
pub(crate) fn copy_value(value: &Value) -> Value {
    match value {
        Value::Number(n) => Value::Number(*n),
        other => other.clone(),
    }
}

/// The first record of an index-value COLLECTION (Creator's fetched records): `records.Field`
/// reads and writes the first record's field.
pub(crate) fn first_record(collection: &crate::eval::value::Collection) -> Option<Value> {
    match &*collection.borrow() {
        CollectionData::List(items) => match items.first() {
            Some(first @ Value::Map(_)) => Some(first.clone()),
            _ => None,
        },
        _ => None,
    }
}
