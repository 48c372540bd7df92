//! The compiled form of a program: variables resolved to slots, names resolved to functions,
//! built-in groups or host constructs. The interpreter walks this tree; nothing in it needs a
//! string comparison at run time.
//!
//! A [`Script`] holds no `Rc`: literal texts live in a constant table that each run turns into
//! values once, so a compiled script can be shared across threads.

use std::sync::Arc;

use rust_decimal::Decimal;

use crate::eval::builtin::Builtin;
use crate::eval::natives::NativeRegistry;
use crate::eval::number_block::NumberBlock;
use crate::eval::number_code::NumberCode;
use crate::eval::value::DateTime;
use crate::syntax::span::Span;

/// A variable's index in its function's frame.
pub type Slot = u32;

/// A compiled program: its functions, its top-level statements and the sources they came from.
///
/// Compile once with [`Engine::compile`](crate::Engine::compile), then run it any number of
/// times, from any thread: a script holds no `Rc` and is `Send + Sync`.
///
/// ```
/// use std::sync::Arc;
/// let engine = Arc::new(deluge_lang::Engine::new());
/// let script = Arc::new(engine.compile("int sq(int n) { return n * n; }").unwrap());
/// let (e, s) = (Arc::clone(&engine), Arc::clone(&script));
/// let n = std::thread::spawn(move || e.call_fn::<i64>(&s, "sq", (9,)).unwrap()).join().unwrap();
/// assert_eq!(n, 81);
/// assert_eq!(script.function_names().collect::<Vec<_>>(), ["sq"]);
/// ```
#[derive(Debug)]
pub struct Script {
    /// Every source file, the main file first.
    #[doc(hidden)]
    pub sources: Vec<Source>,
    /// User functions, in definition order (main file first, then included files).
    #[doc(hidden)]
    pub functions: Vec<Function>,
    /// The top-level statements of the main file, as a parameterless function.
    #[doc(hidden)]
    pub main: Function,
    /// Literal constants referenced by `Expr::Const`.
    #[doc(hidden)]
    pub consts: Vec<Const>,
    /// The name of every slot of the main frame, in slot order (for a host's `Scope`).
    #[doc(hidden)]
    pub main_slots: Vec<Box<str>>,
    /// The host functions and methods registered on the engine that compiled it.
    pub(crate) natives: Arc<NativeRegistry>,
}

impl Script {
    /// The names of the functions it defines, as written (`billing.total`), in order.
    ///
    /// ```
    /// let engine = deluge_lang::Engine::new();
    /// let script = engine.compile("void a.b() { }\nint c() { return 1; }").unwrap();
    /// assert_eq!(script.function_names().collect::<Vec<_>>(), ["a.b", "c"]);
    /// ```
    pub fn function_names(&self) -> impl Iterator<Item = &str> {
        self.functions.iter().map(|f| &*f.name)
    }
}

/// One named source text: a script file, `<script>`, or a REPL entry (`<repl:3>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// The file name as given (or `<script>`).
    pub name: Arc<str>,
    /// The text.
    pub text: Arc<str>,
}

/// A compiled function.
#[derive(Debug)]
pub struct Function {
    /// The qualified name as written: `automation.sync`, `fib`.
    pub name: Box<str>,
    /// Declared return type, lower case (`void`, `string`, ...).
    pub return_type: Box<str>,
    /// Parameter names and declared types (lower case), in order; they are slots `0..n`.
    pub params: Vec<(Box<str>, Box<str>)>,
    /// Size of the frame: parameters and every other variable.
    pub n_slots: u32,
    /// The body.
    pub body: Block,
    /// The source the function is in (index into [`Script::sources`]).
    pub source: u32,
    /// The definition's span.
    pub span: Span,
}

impl Function {
    /// True when the declared return type is `void`.
    pub fn is_void(&self) -> bool {
        &*self.return_type == "void"
    }
}

/// A literal that needs an allocation at run time.
#[derive(Debug, Clone)]
pub enum Const {
    /// TEXT
    Text(Arc<str>),
    /// DECIMAL
    Decimal(Decimal),
    /// DATE-TIME
    DateTime(DateTime),
}

/// A statement list; each statement with its span (for limit errors).
pub type Block = Box<[(Stmt, Span)]>;

/// A compiled statement.
#[derive(Debug)]
pub enum Stmt {
    /// `x = e;`
    Assign(Slot, Expr),
    /// `x = x + e;` / `x += e;`: appends in place when `x` is TEXT.
    AddAssign(Slot, Expr, Span),
    /// `x = x + "text";` / `x += "text";` (the constant's index): appends the literal in place,
    /// without copying it first, when `x` is TEXT; adds as `AddAssign` does otherwise.
    AppendText(Slot, u32, Span),
    /// `x = x + e;` / `x += e;` where `e` is a variable, a NUMBER literal or NUMBER arithmetic:
    /// the sum on `i64`s when both are NUMBERs, else as `AddAssign` (a TEXT `x` still appends
    /// in place).
    AddNumber(Box<AddNumber>),
    /// `a.b.c = e;` where `a` is a variable: `put` on the map `a.b`.
    SetField(Box<SetField>),
    /// An expression evaluated for its effect.
    Expr(Expr),
    /// `xs.add(e);` where `xs` is a variable: pushes onto the LIST in place, without the
    /// general call's argument stack and dispatch; the call as written when `xs` holds
    /// something else or the list is full, which gives the value or the error.
    AddToList(Box<AddToList>),
    /// `info e;`
    Info(Expr),
    /// `if / else if / else`
    If(Box<IfStmt>),
    /// `for each x in e` and `for each index i in e`
    ForEach(Box<ForEach>),
    /// `break;`
    Break,
    /// `continue;`
    Continue,
    /// `return;` / `return e;`
    Return(Option<Expr>),
    /// `try { } catch (e) { }`
    Try(Box<TryStmt>),
    /// A Creator or host statement.
    Host(Box<HostStmt>, Span),
}

/// `a.b.c = e;`
#[derive(Debug)]
pub struct SetField {
    /// The object holding the field: `a.b`.
    pub object: Expr,
    /// The field name as a TEXT constant (index into the constant table).
    pub key: u32,
    /// The value.
    pub value: Expr,
    /// The statement.
    pub span: Span,
}

/// `if / else if / else`
#[derive(Debug)]
pub struct IfStmt {
    /// Conditions (with their spans) and their blocks.
    pub branches: Box<[(Expr, Span, Block)]>,
    /// The `else` block.
    pub otherwise: Option<Block>,
}

/// A `for each` loop.
#[derive(Debug)]
pub struct ForEach {
    /// The loop variable.
    pub var: Slot,
    /// True for `for each index`.
    pub index: bool,
    /// What is iterated.
    pub iterable: Expr,
    /// The body.
    pub body: Block,
    /// The body compiled to closures, when it is all NUMBER statements.
    pub number_body: Option<NumberBlock>,
    /// The iterable's span, for errors.
    pub span: Span,
}

/// `try { } catch (e) { }`
#[derive(Debug)]
pub struct TryStmt {
    /// Guarded block.
    pub body: Block,
    /// The error variable.
    pub var: Slot,
    /// Handler.
    pub handler: Block,
}

/// Creator and host statements.
#[derive(Debug)]
pub enum HostStmt {
    /// `input.Field = e;`
    SetInput(Box<str>, Expr),
    /// `delete from Form[criteria];`
    DeleteFrom(Fetch),
    /// `Form[criteria].Field = e;`
    UpdateRecord(Fetch, Box<str>, Expr),
    /// `hide F;`, `show a, b;`, `enable`, `disable`
    FormUi(Box<str>, Box<[Box<str>]>),
    /// `alert e;`
    Alert(Expr),
    /// `cancel submit;`
    Cancel(Box<str>),
    /// `row.F:ui.add(args);`
    FieldUi(Box<str>, Box<str>, Box<[Expr]>),
}

/// A compiled expression.
#[derive(Debug)]
pub enum Expr {
    /// `null`
    Null,
    /// `true` / `false`
    Bool(bool),
    /// A NUMBER literal.
    Number(i64),
    /// A literal from the constant table.
    Const(u32),
    /// A variable.
    Local(Slot),
    /// `!e`, `-e`
    Unary(Box<Unary>),
    /// Binary operators, including the short-circuit `&&` and `||`.
    Binary(Box<Binary>),
    /// Arithmetic or a comparison whose operands are variables, NUMBER literals or such
    /// arithmetic (see [`Expr::binary`]): worked out on `i64`s first by its compiled
    /// [`NumberCode`], without building a value for each operand. When an operand is not a
    /// NUMBER, or the arithmetic overflows or divides by zero, it is evaluated as a
    /// [`Expr::Binary`], which gives the value or error.
    NumberOp(Box<NumberOp>),
    /// `if(c, a, b)`
    Conditional(Box<Conditional>),
    /// `{a, b}`
    List(Box<[Expr]>, Span),
    /// `{k: v}`
    Map(Box<[(Expr, Expr)]>, Span),
    /// `List()`, `Map()`, `Collection(..)`
    Construct(Box<Construct>),
    /// A user function call.
    CallUser(Box<UserCall>),
    /// A built-in call (method or function form).
    CallBuiltin(Box<BuiltinCall>),
    /// A call to a function or method the host registered on the engine.
    CallNative(Box<NativeCall>),
    /// `obj.field`: a map key, `e.message`, `e.lineNo`.
    Field(Box<FieldAccess>),
    /// `invokeurl [..]` and the other bracket tasks.
    Task(Box<TaskExpr>),
    /// A value the host provides.
    Host(Box<HostExpr>, Span),
}

impl Expr {
    /// `lhs op rhs`: an [`Expr::NumberOp`] when the operator is arithmetic or a comparison and
    /// each operand is a variable, a NUMBER literal or arithmetic of that kind; otherwise an
    /// [`Expr::Binary`]. Both evaluate to the same value: reading a variable has no effect, so
    /// a `NumberOp` that falls back to the general path reads the same operands again.
    pub fn binary(op: BinOp, lhs: Expr, rhs: Expr, span: Span) -> Expr {
        let code = NumberCode::compile(op, &lhs, &rhs);
        let binary = Binary { op, lhs, rhs, span };
        match code {
            Some(code) => Expr::NumberOp(Box::new(NumberOp {
                binary,
                code,
                comparison: is_comparison(op),
            })),
            None => Expr::Binary(Box::new(binary)),
        }
    }
}

/// A [`Stmt::AddNumber`]: `x = x + value`.
#[derive(Debug)]
pub struct AddNumber {
    /// `x`.
    pub slot: Slot,
    /// `x + value` on `i64`s.
    pub sum: NumberCode,
    /// `value`, for the general path.
    pub value: Expr,
    /// The `+`'s span, for its errors.
    pub span: Span,
}

/// An [`Expr::NumberOp`]: the binary, and the closure that works it out on `i64`s.
#[derive(Debug)]
pub struct NumberOp {
    /// The expression, for the general path.
    pub binary: Binary,
    /// Its result on `i64`s (a comparison's as 1 or 0), when every operand is a NUMBER.
    pub code: NumberCode,
    /// True for a comparison: the result is a BOOLEAN. Kept, though `binary.op` says it too:
    /// reading the flag instead of matching the operator on each evaluation saves fib 1 % of
    /// its instructions.
    pub comparison: bool,
}

/// `+ - * / %`
pub(crate) fn is_arithmetic(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Add | BinOp::Sub | BinOp::Mul | BinOp::Div | BinOp::Rem
    )
}

/// `< <= > >= == !=`
pub(crate) fn is_comparison(op: BinOp) -> bool {
    matches!(
        op,
        BinOp::Lt | BinOp::Le | BinOp::Gt | BinOp::Ge | BinOp::Eq | BinOp::Ne
    )
}

/// `!e`, `-e`
#[derive(Debug)]
pub struct Unary {
    /// True for `!`, false for `-`.
    pub not: bool,
    /// Operand.
    pub operand: Expr,
    /// The whole expression.
    pub span: Span,
}

/// The binary operators: the same as the syntax tree's.
pub use crate::syntax::ast::BinaryOp as BinOp;

/// A binary operation.
#[derive(Debug)]
pub struct Binary {
    /// Operator.
    pub op: BinOp,
    /// Left operand.
    pub lhs: Expr,
    /// Right operand.
    pub rhs: Expr,
    /// The whole expression.
    pub span: Span,
}

/// `if(c, a, b)`
#[derive(Debug)]
pub struct Conditional {
    /// Condition.
    pub cond: Expr,
    /// When true.
    pub then: Expr,
    /// When false.
    pub otherwise: Expr,
    /// The condition's span.
    pub cond_span: Span,
}

/// Which constructor.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstructKind {
    /// `List()`
    List,
    /// `Map()`
    Map,
    /// `Collection()`
    Collection,
}

/// `List(..)`, `Map()`, `Collection(..)`
#[derive(Debug)]
pub struct Construct {
    /// Which.
    pub kind: ConstructKind,
    /// Positional arguments.
    pub values: Box<[Expr]>,
    /// `k : v` arguments (collections).
    pub pairs: Box<[(Expr, Expr)]>,
    /// `String` in `List:String(..)`: the elements are converted to it.
    pub elem: Option<crate::eval::typed_list::ElemType>,
    /// The expression.
    pub span: Span,
}

/// A call to a user function.
#[derive(Debug)]
pub struct UserCall {
    /// Index into [`Script::functions`].
    pub function: u32,
    /// Arguments.
    pub args: Box<[Expr]>,
    /// The call.
    pub span: Span,
}

/// A call to a built-in.
#[derive(Debug)]
pub struct BuiltinCall {
    /// The name as written, for messages.
    pub name: Box<str>,
    /// Every entry with this name; dispatch picks one by receiver type.
    pub group: &'static [&'static Builtin],
    /// True for `recv.name(..)`: `args[0]` is the receiver.
    pub method: bool,
    /// Arguments (receiver first for methods).
    pub args: Box<[Expr]>,
    /// The call.
    pub span: Span,
}

/// A [`Stmt::AddToList`]: `xs.add(item);`.
#[derive(Debug)]
pub struct AddToList {
    /// `xs`.
    pub list: Slot,
    /// `item`.
    pub item: Expr,
    /// The method's name as written, for messages.
    pub name: Box<str>,
    /// Every built-in named `add`, for the general path.
    pub group: &'static [&'static Builtin],
    /// The call.
    pub span: Span,
}

/// A call to a registered host function or method.
#[derive(Debug)]
pub struct NativeCall {
    /// The name as written, for messages.
    pub name: Box<str>,
    /// The registered entries it may reach (index into the script's natives): one function, or
    /// the methods of that name, picked by receiver type at run time.
    pub candidates: Box<[u32]>,
    /// Built-in methods of the same name, for receivers no registered method applies to.
    pub fallback: &'static [&'static Builtin],
    /// True for `recv.name(..)`: `args[0]` is the receiver.
    pub method: bool,
    /// Arguments (receiver first for methods).
    pub args: Box<[Expr]>,
    /// The call.
    pub span: Span,
}

/// A field read.
#[derive(Debug)]
pub struct FieldAccess {
    /// The object.
    pub object: Expr,
    /// The field name as a TEXT constant (index into the constant table).
    pub key: u32,
    /// Which error part this field names, when it is `message` or `lineNo`.
    pub error_part: Option<ErrorPart>,
    /// The access.
    pub span: Span,
}

/// The parts of a caught error.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorPart {
    /// `e.message`
    Message,
    /// `e.lineNo`
    LineNo,
}

/// Which bracket task.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TaskKind {
    /// `invokeurl`
    InvokeUrl,
    /// `invokeapi`
    InvokeApi,
    /// `sendmail`
    SendMail,
    /// `insert into Form`
    InsertInto(Box<str>),
}

/// A bracket task with its compiled parameters.
#[derive(Debug)]
pub struct TaskExpr {
    /// Which task.
    pub kind: TaskKind,
    /// `(key, value)` in source order; keys are lower case for tasks, as written for forms.
    pub params: Box<[(Box<str>, Expr)]>,
    /// The keyword's span.
    pub span: Span,
}

/// A Creator record fetch.
#[derive(Debug)]
pub struct Fetch {
    /// The form name.
    pub form: Box<str>,
    /// The criteria as written in the source (empty for `Form[]`).
    pub criteria: Box<str>,
    /// Script variables the criteria mention, with the slot holding each.
    pub variables: Box<[(Box<str>, Slot)]>,
    /// `sort by` field and descending flag.
    pub sort_by: Option<(Box<str>, bool)>,
    /// `range from a to b`.
    pub range: Option<Box<(Expr, Expr)>>,
}

/// Values and calls the host provides.
#[derive(Debug)]
pub enum HostExpr {
    /// `input.Field`
    Input(Box<str>),
    /// `zoho.<name>` that no built-in provides: system variables or the host.
    ZohoValue(Box<str>),
    /// `zoho.crm.getRecordById(..)` and other host tasks, `openUrl(..)`, `thisapp.x(..)` unknown.
    Task(Box<str>, Box<[Expr]>),
    /// `Form[criteria]`
    Fetch(Fetch),
    /// `Form[criteria].Field.getAll()`: the field of every matching record, as a LIST.
    FetchAll(Fetch, Box<str>),
    /// `Form[criteria].sum(Field)` and Creator's other aggregates: the non-empty values of the
    /// field, as a LIST, for the named built-in (`sum`, `average`, ...).
    FetchAggregate(Fetch, Box<str>),
}

#[cfg(test)]
mod tests {
    use super::*;

    fn span() -> Span {
        Span::new(0, 1)
    }

    fn op(op: BinOp, lhs: Expr, rhs: Expr) -> Expr {
        Expr::binary(op, lhs, rhs, span())
    }

    #[test]
    fn arithmetic_and_comparisons_of_variables_and_numbers_are_number_ops() {
        let square = op(BinOp::Mul, Expr::Local(0), Expr::Local(0));
        let remainder = op(BinOp::Rem, square, Expr::Number(7));
        assert!(matches!(remainder, Expr::NumberOp(_)));
        assert!(matches!(
            op(BinOp::Gt, remainder, Expr::Number(2)),
            Expr::NumberOp(_)
        ));
    }

    #[test]
    fn other_operands_and_operators_stay_general() {
        let text = op(BinOp::Add, Expr::Const(0), Expr::Local(0));
        assert!(matches!(text, Expr::Binary(_)));
        let comparison = op(BinOp::Lt, Expr::Local(0), Expr::Local(1));
        assert!(matches!(
            op(BinOp::Add, comparison, Expr::Number(1)),
            Expr::Binary(_)
        ));
        assert!(matches!(
            op(BinOp::And, Expr::Local(0), Expr::Local(1)),
            Expr::Binary(_)
        ));
        assert!(matches!(
            op(BinOp::In, Expr::Local(0), Expr::Local(1)),
            Expr::Binary(_)
        ));
    }
}
