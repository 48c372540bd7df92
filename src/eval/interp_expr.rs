//! Evaluating expressions: literals, variables, operators (with NUMBER fast paths), calls,
//! fields and constructors.

use crate::eval::builtin::{dispatch, Builtin, NativeResult, Receiver};
use crate::eval::error::{RtResult, RuntimeError};
use crate::eval::interp::{copy_value, release, Interp};
use crate::eval::interp_limits::check_text_size;
use crate::eval::ir::{self, BinOp, ConstructKind, ErrorPart, Expr};
use crate::eval::number_code::{arithmetic_i64, compare_i64};
use crate::eval::ops;
use crate::eval::value::{Collection, CollectionData, List, Map, MapData, Value};
use crate::syntax::span::Span;

impl<'r> Interp<'r> {
    /// Evaluates an expression.
    pub(crate) fn eval(&mut self, e: &'r Expr) -> RtResult<Value> {
        match e {
            Expr::Null => Ok(Value::Null),
            Expr::Bool(b) => Ok(Value::Bool(*b)),
            Expr::Number(n) => Ok(Value::Number(*n)),
            Expr::Const(index) => Ok(self.consts[*index as usize].clone()),
            Expr::Local(slot) => Ok(self.local(*slot)),
            Expr::Unary(unary) => self.unary(unary),
            Expr::Binary(binary) => self.binary(binary),
            Expr::NumberOp(binary) => self.number_op(binary),
            Expr::Conditional(c) => {
                if self.condition(&c.cond, c.cond_span, "if(...)")? {
                    self.eval(&c.then)
                } else {
                    self.eval(&c.otherwise)
                }
            }
            Expr::List(items, span) => self.list_literal(items, *span),
            Expr::Map(pairs, span) => self.map_literal(pairs, *span),
            Expr::Construct(c) => self.construct(c),
            Expr::CallUser(call) => self.call_user(call),
            Expr::CallBuiltin(call) => self.call_builtin(call),
            Expr::CallNative(call) => self.call_native(call),
            Expr::Field(field) => self.field(field),
            Expr::Task(task) => self.task(task),
            Expr::Host(host, span) => self.host_expr(host, *span),
        }
    }

    // The rarer expressions live out of line so that `eval`, which every expression goes
    // through, stays small (a smaller frame to set up on each call).

    #[inline(never)]
    fn unary(&mut self, unary: &'r ir::Unary) -> RtResult<Value> {
        let value = self.eval(&unary.operand)?;
        let result = if unary.not {
            ops::not(&value)
        } else {
            ops::negate(&value)
        };
        result.map_err(|m| RuntimeError::new(m, unary.span))
    }

    #[inline(never)]
    fn list_literal(&mut self, items: &'r [Expr], span: Span) -> RtResult<Value> {
        let mut values = Vec::with_capacity(items.len());
        for item in items.iter() {
            values.push(self.eval(item)?);
        }
        self.check_len(values.len(), span)?;
        Ok(Value::list_from(values))
    }

    #[inline(never)]
    fn map_literal(&mut self, pairs: &'r [(Expr, Expr)], span: Span) -> RtResult<Value> {
        let mut data = MapData::default();
        for (k, v) in pairs.iter() {
            let key = self.eval(k)?;
            let value = self.eval(v)?;
            data.insert(key, value);
        }
        self.check_len(data.len(), span)?;
        Ok(Value::Map(Map::from_data(data)))
    }

    fn binary(&mut self, b: &'r ir::Binary) -> RtResult<Value> {
        match b.op {
            BinOp::And | BinOp::Or => {
                let left = self.operand_bool(&b.lhs, b)?;
                if left == (b.op == BinOp::Or) {
                    return Ok(Value::Bool(left));
                }
                self.operand_bool(&b.rhs, b).map(Value::Bool)
            }
            op => {
                let lhs = self.operand(&b.lhs)?;
                let rhs = self.operand(&b.rhs)?;
                if let (Value::Number(x), Value::Number(y)) = (&lhs, &rhs) {
                    if let Some(v) = number_fast_path(op, *x, *y) {
                        // NUMBERs own nothing: skip the out-of-line drop of two values.
                        std::mem::forget((lhs, rhs));
                        return Ok(v);
                    }
                }
                if op == BinOp::Add {
                    let max_text = self.env.limits.max_text_bytes;
                    let result = ops::add_within(&lhs, &rhs, max_text)
                        .map_err(|m| RuntimeError::new(m, b.span))?;
                    check_text_size(&result, max_text, b.span)?;
                    return Ok(result);
                }
                ops::binary(op, &lhs, &rhs).map_err(|m| RuntimeError::new(m, b.span))
            }
        }
    }

    /// [`Expr::NumberOp`]: on `i64`s when every operand is a NUMBER, else as any binary.
    fn number_op(&mut self, op: &'r ir::NumberOp) -> RtResult<Value> {
        match op.code.run(self.frame()) {
            Some(r) if op.comparison => Ok(Value::Bool(r != 0)),
            Some(n) => Ok(Value::Number(n)),
            None => self.binary(&op.binary),
        }
    }

    /// The NUMBER that a [`Expr::NumberOp`]'s arithmetic gives; `None` when an operand is not a
    /// NUMBER, the operator is a comparison, or the arithmetic fails (then the general path
    /// decides).
    #[inline(always)]
    pub(crate) fn arithmetic(&self, op: &ir::NumberOp) -> Option<i64> {
        if op.comparison {
            return None;
        }
        op.code.run(self.frame())
    }

    /// A [`Expr::NumberOp`]'s comparison of two NUMBERs; `None` when an operand is not a NUMBER
    /// or the operator is not a comparison.
    #[inline(always)]
    pub(crate) fn compare_numbers(&self, op: &ir::NumberOp) -> Option<bool> {
        if !op.comparison {
            return None;
        }
        op.code.run(self.frame()).map(|r| r != 0)
    }

    /// The current function's variables.
    #[inline(always)]
    pub(crate) fn frame(&self) -> &[Value] {
        &self.stack[self.base..]
    }

    /// Evaluates an operand, with variables, NUMBER literals and NUMBER arithmetic handled
    /// without a call to `eval`, and user-function calls and binary operators reached without
    /// `eval`'s frame in between (fib 4.1 % fewer instructions: `fib(n - 1) + fib(n - 2)` went
    /// through `eval` twice on the way to each call).
    #[inline(always)]
    pub(crate) fn operand(&mut self, e: &'r Expr) -> RtResult<Value> {
        match e {
            Expr::Local(slot) => Ok(self.local(*slot)),
            Expr::Number(n) => Ok(Value::Number(*n)),
            Expr::NumberOp(b) => match self.arithmetic(b) {
                Some(n) => Ok(Value::Number(n)),
                None => self.eval(e),
            },
            Expr::CallUser(call) => self.call_user(call),
            Expr::Binary(binary) => self.binary(binary),
            _ => self.eval(e),
        }
    }

    /// A copy of a variable's value; NUMBERs without the out-of-line `clone`.
    #[inline(always)]
    fn local(&self, slot: ir::Slot) -> Value {
        copy_value(&self.stack[self.base + slot as usize])
    }

    fn operand_bool(&mut self, e: &'r Expr, b: &'r ir::Binary) -> RtResult<bool> {
        match self.eval(e)? {
            Value::Bool(v) => Ok(v),
            other => Err(RuntimeError::new(
                format!(
                    "`{}` needs BOOLEAN operands, but got {}",
                    b.op.symbol(),
                    ops::describe(&other)
                ),
                b.span,
            )),
        }
    }

    /// A call of a user function: its arguments pushed as its first slots, then its body.
    /// Out of line: `operand` is inlined in many places.
    #[inline(never)]
    fn call_user(&mut self, call: &'r ir::UserCall) -> RtResult<Value> {
        let function = &self.script.functions[call.function as usize];
        let start = self.stack.len();
        for arg in call.args.iter() {
            let value = self.operand(arg)?;
            self.stack.push(value);
        }
        self.enter(function, start, call.span)
    }

    #[inline(never)]
    fn call_builtin(&mut self, call: &'r ir::BuiltinCall) -> RtResult<Value> {
        let start = self.stack.len();
        let lent = self.push_call_args(&call.args)?;
        self.finish_builtin(&call.name, call.group, call.span, start, lent)
    }

    /// Calls the entry of `group` that fits the arguments pushed from `start` (`lent` as
    /// [`Interp::push_call_args`] gives it), then drops them.
    #[inline(always)]
    fn finish_builtin(
        &mut self,
        name: &str,
        group: &'static [&'static Builtin],
        span: Span,
        start: usize,
        lent: Option<usize>,
    ) -> RtResult<Value> {
        let result = self.builtin_on_stack(name, group, start);
        self.pop_call_args(start, lent);
        let value = result.map_err(|failure| self.call_failed(failure, span))?;
        check_text_size(&value, self.env.limits.max_text_bytes, span)?;
        Ok(value)
    }

    /// `xs.add(item);`: pushes `item` onto the LIST in `xs` in place. When `xs` holds
    /// something else or the list is full, the call goes the general way with `item` as
    /// evaluated, which gives the value or the error.
    pub(crate) fn add_to_list(&mut self, add: &'r ir::AddToList) -> RtResult<()> {
        let item = self.operand(&add.item)?;
        let max_len = self.env.limits.max_collection_len;
        let item = match self.slot(add.list) {
            Value::List(list) => match list.push_within(item, max_len) {
                Ok(()) => return Ok(()),
                Err(item) => item,
            },
            _ => item,
        };
        self.add_by_call(add, item)
    }

    /// [`Interp::add_to_list`]'s general way: `xs` lent as the receiver, as
    /// [`Interp::push_call_args`] does.
    #[cold]
    fn add_by_call(&mut self, add: &'r ir::AddToList, item: Value) -> RtResult<()> {
        let start = self.stack.len();
        self.stack.push(Value::Null);
        self.stack.push(item);
        let slot_at = self.base + add.list as usize;
        self.stack.swap(slot_at, start);
        let value = self.finish_builtin(&add.name, add.group, add.span, start, Some(slot_at))?;
        release(value);
        Ok(())
    }

    /// Pushes the values of a built-in's or native's arguments. A first argument that is a
    /// variable (the receiver of `list.add(x)`, `map.get(k)`) is lent rather than copied: once
    /// the other arguments are evaluated, its value moves from the variable's slot to the stack,
    /// and [`Interp::pop_call_args`] moves it back. A native cannot see the variables, so
    /// nothing observes the slot while it is lent; copying would touch a LIST's or TEXT's
    /// reference count twice per call. Returns the lent slot's stack index.
    #[inline(always)]
    pub(crate) fn push_call_args(&mut self, args: &'r [Expr]) -> RtResult<Option<usize>> {
        let Some((Expr::Local(slot), rest)) = args.split_first() else {
            for arg in args.iter() {
                let value = self.operand(arg)?;
                self.stack.push(value);
            }
            return Ok(None);
        };
        let receiver_at = self.stack.len();
        self.stack.push(Value::Null);
        for arg in rest.iter() {
            let value = self.operand(arg)?;
            self.stack.push(value);
        }
        let slot_at = self.base + *slot as usize;
        self.stack.swap(slot_at, receiver_at);
        Ok(Some(slot_at))
    }

    /// Ends a call whose arguments [`Interp::push_call_args`] pushed from `start`: returns a
    /// lent variable's value to its slot and drops the rest.
    #[inline(always)]
    pub(crate) fn pop_call_args(&mut self, start: usize, lent: Option<usize>) {
        if let Some(slot_at) = lent {
            self.stack.swap(slot_at, start);
        }
        self.pop_frame(start);
    }

    /// Calls the entry of `group` that fits the arguments on the stack from `start`.
    pub(crate) fn builtin_on_stack(
        &mut self,
        name: &str,
        group: &'static [&'static Builtin],
        start: usize,
    ) -> NativeResult {
        let args = &self.stack[start..];
        match pick(group, args) {
            Some(builtin) => {
                let given = args.len() - usize::from(builtin.receiver != Receiver::None);
                let (min, max) = (builtin.arity.0 as usize, builtin.arity.1 as usize);
                if given < min || given > max {
                    Err(arity_message(builtin, given).into())
                } else {
                    let mut ctx = self.native_ctx();
                    builtin.call(&mut ctx, args)
                }
            }
            None => Err(no_dispatch_message(name, group, args).into()),
        }
    }

    #[inline(never)]
    fn field(&mut self, field: &'r ir::FieldAccess) -> RtResult<Value> {
        let object = self.eval(&field.object)?;
        let key = &self.consts[field.key as usize];
        match &object {
            Value::Error(error) => match field.error_part {
                Some(ErrorPart::Message) => Ok(Value::text(error.message.clone())),
                Some(ErrorPart::LineNo) => Ok(Value::Number(i64::from(error.line))),
                None => Err(RuntimeError::new(
                    format!(
                        "a caught error has the fields `message` and `lineNo`, not `{}`",
                        crate::eval::render::display(key)
                    ),
                    field.span,
                )),
            },
            Value::Map(map) => Ok(map.borrow().get(key).cloned().unwrap_or_default()),
            Value::Collection(c) => match &*c.borrow() {
                CollectionData::Map(entries) => Ok(entries.get(key).cloned().unwrap_or_default()),
                CollectionData::Empty => Ok(Value::Null),
                CollectionData::List(items) => match items.first() {
                    Some(Value::Map(record)) => {
                        Ok(record.borrow().get(key).cloned().unwrap_or_default())
                    }
                    _ => Err(field_error(&object, key, field.span)),
                },
            },
            _ => {
                let key = key.clone();
                match self.related_field(field, &object)? {
                    Some(value) => Ok(value),
                    None => Err(field_error(&object, &key, field.span)),
                }
            }
        }
    }

    /// `rec.Lookup.Field` where `rec` is a variable holding a record and `Lookup` holds a
    /// related record's ID: the host may answer with that record's field.
    fn related_field(
        &mut self,
        field: &'r ir::FieldAccess,
        lookup_value: &Value,
    ) -> RtResult<Option<Value>> {
        let Expr::Field(lookup) = &field.object else {
            return Ok(None);
        };
        if !matches!(lookup.object, Expr::Local(_)) || lookup_value.is_null() {
            return Ok(None);
        }
        let record = self.eval(&lookup.object)?;
        let (Some(lookup_name), Some(name)) = (
            self.consts[lookup.key as usize].as_text(),
            self.consts[field.key as usize].as_text(),
        ) else {
            return Ok(None);
        };
        self.host
            .related_field(&record, lookup_name, name)
            .map_err(|failure| RuntimeError::failed(failure, field.span))
    }

    #[inline(never)]
    fn construct(&mut self, c: &'r ir::Construct) -> RtResult<Value> {
        let mut values = Vec::with_capacity(c.values.len());
        for v in c.values.iter() {
            values.push(self.eval(v)?);
        }
        match c.kind {
            ConstructKind::List => {
                let mut elements = list_elements(values);
                if let Some(elem) = c.elem {
                    for element in &mut elements {
                        let value = std::mem::take(element);
                        *element = elem
                            .convert(value, &self.env.time_zone)
                            .map_err(|m| RuntimeError::new(m, c.span))?;
                    }
                }
                Ok(Value::List(List::from_vec(elements)))
            }
            ConstructKind::Map => match values.as_slice() {
                [] => Ok(Value::new_map()),
                [Value::Map(m)] => Ok(Value::Map(Map::from_data(m.borrow().clone()))),
                _ => Err(RuntimeError::new(
                    "Map() takes no arguments (or one KEY-VALUE to copy)",
                    c.span,
                )),
            },
            ConstructKind::Collection => {
                let data = if !c.pairs.is_empty() {
                    let mut data = MapData::default();
                    for (k, v) in c.pairs.iter() {
                        let key = self.eval(k)?;
                        let value = self.eval(v)?;
                        data.insert(key, value);
                    }
                    CollectionData::Map(data)
                } else if values.is_empty() {
                    CollectionData::Empty
                } else {
                    CollectionData::List(values)
                };
                Ok(Value::Collection(Collection::from_data(data)))
            }
        }
    }
}

/// `List("a,b")` splits the text on commas; `List(list)` copies; otherwise the arguments.
fn list_elements(values: Vec<Value>) -> Vec<Value> {
    match values.as_slice() {
        [Value::Text(t)] => t.split(',').map(Value::text).collect(),
        [Value::List(l)] => l.borrow().clone(),
        _ => values,
    }
}

/// NUMBER op NUMBER without leaving the hot path; `None` for errors and non-arithmetic ops.
#[inline(always)]
fn number_fast_path(op: BinOp, x: i64, y: i64) -> Option<Value> {
    match compare_i64(op, x, y) {
        Some(result) => Some(Value::Bool(result)),
        None => arithmetic_i64(op, x, y).map(Value::Number),
    }
}

/// The entry of `group` that applies to the first argument's type (see [`dispatch`]).
fn pick(group: &'static [&'static Builtin], args: &[Value]) -> Option<&'static Builtin> {
    dispatch(group, args.first().map(Value::value_type))
}

fn arity_message(builtin: &Builtin, given: usize) -> String {
    let (min, max) = builtin.arity;
    let expected = if min == max {
        format!("{min}")
    } else {
        format!("{min} to {max}")
    };
    format!(
        "`{}` takes {expected} argument{} {}, but {given} {} given",
        builtin.name,
        if max == 1 { "" } else { "s" },
        builtin.params,
        if given == 1 { "was" } else { "were" }
    )
}

/// Why no entry of `group` applies to the receiver `args[0]`.
pub(crate) fn no_dispatch_message(
    name: &str,
    group: &[&'static Builtin],
    args: &[Value],
) -> String {
    let Some(receiver) = args.first() else {
        return format!("`{name}` needs a value to apply to");
    };
    if receiver.is_null() {
        return format!(
            "Value is empty and '{name}' function cannot be applied (check it with isNull() first)"
        );
    }
    let types: Vec<&str> = group
        .iter()
        .filter_map(|b| match b.receiver {
            Receiver::Type(t) => Some(t.name()),
            _ => None,
        })
        .collect();
    format!(
        "`{name}` cannot be applied to {}; it applies to {}",
        ops::describe(receiver),
        types.join(", ")
    )
}

fn field_error(object: &Value, key: &Value, span: Span) -> Box<RuntimeError> {
    let name = crate::eval::render::display(key);
    if object.is_null() {
        return RuntimeError::new(
            format!("Value is empty and the field `{name}` cannot be read"),
            span,
        );
    }
    RuntimeError::new(
        format!(
            "cannot read the field `{name}` of {}; fields exist on KEY-VALUE values and records",
            ops::describe(object)
        ),
        span,
    )
    .with_help(format!("use .get(\"{name}\") on a KEY-VALUE"))
}
