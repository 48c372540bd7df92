//! The spanned abstract syntax tree produced by the parser.
//!
//! The parser does not resolve names: a dotted chain such as `zoho.currentdate`, `input.Field`,
//! `standalone.f(x)` or `rec.Name` is kept as a [`Path`] (or a [`ExprKind::Call`] on a path), and
//! the compiler in `eval/` decides whether its first segment is a variable, a function namespace or
//! a host name. Keywords are case-insensitive in the source; the tree stores identifiers exactly
//! as written.

use rust_decimal::Decimal;

use super::span::Span;

/// A name as written in the source, with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Ident {
    /// The name exactly as written (case preserved).
    pub name: Box<str>,
    /// Where it is.
    pub span: Span,
}

/// A dotted chain of names: `a`, `zoho.currentdate`, `thisapp.ns.fn`, `input.Field`.
pub type Path = Vec<Ident>;

/// A whole source file: function definitions and top-level statements, in source order.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Program {
    /// `<type> [ns.]name(<type> arg, ...) { ... }` definitions.
    pub functions: Vec<FunctionDef>,
    /// Statements outside any function, in order.
    pub body: Vec<Stmt>,
}

/// A user function definition.
#[derive(Clone, Debug, PartialEq)]
pub struct FunctionDef {
    /// Declared return type as written (`void`, `String`, `map`, ...).
    pub return_type: Ident,
    /// Qualified name: `["automation", "sync"]`, `["format_name"]`.
    pub name: Path,
    /// Typed parameters.
    pub params: Vec<Param>,
    /// The body.
    pub body: Block,
    /// The whole definition, header to closing brace.
    pub span: Span,
}

/// A typed parameter: `String invoiceId`, `Orders rec`.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    /// Type name as written; Creator allows form names here.
    pub ty: Ident,
    /// Parameter name.
    pub name: Ident,
}

/// A `{ ... }` block.
pub type Block = Vec<Stmt>;

/// A statement with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Stmt {
    /// What the statement is.
    pub kind: StmtKind,
    /// From its first token to its `;` or closing brace.
    pub span: Span,
}

/// Every statement form.
#[derive(Clone, Debug, PartialEq)]
pub enum StmtKind {
    /// `x = e;`, `x += e;`, `input.Field = e;`, `rec.Status = e;`
    Assign {
        /// `x` or a dotted field path.
        target: Path,
        /// `=`, `+=`, ...
        op: AssignOp,
        /// Right-hand side.
        value: Expr,
    },
    /// An expression used as a statement: `m.put(k, v);`, `f();`, a bare `invokeurl [...]`.
    Expr(Expr),
    /// `info e;`
    Info(Expr),
    /// `if (c) {..} else if (c) {..} else {..}`
    If {
        /// Each `if` / `else if` condition with its block, in order.
        branches: Vec<(Expr, Block)>,
        /// The final `else` block.
        otherwise: Option<Block>,
    },
    /// `for each x in e { .. }`
    ForEach {
        /// Loop variable.
        var: Ident,
        /// What is iterated.
        iterable: Expr,
        /// Loop body.
        body: Block,
    },
    /// `for each index i in e { .. }`: `i` takes 0..size-1.
    ForEachIndex {
        /// Index variable.
        var: Ident,
        /// The list whose indexes are iterated.
        iterable: Expr,
        /// Loop body.
        body: Block,
    },
    /// `break;`
    Break,
    /// `continue;`
    Continue,
    /// `return;` or `return e;`
    Return(Option<Expr>),
    /// `try { .. } catch (e) { .. }`
    Try {
        /// Guarded block.
        body: Block,
        /// The error variable.
        var: Ident,
        /// Handler block.
        handler: Block,
    },
    /// Creator `delete from Form[criteria];` (boxed, as in `UpdateRecord`: a fetch takes 280
    /// bytes, and every statement takes the size of the largest form).
    DeleteFrom(Box<Fetch>),
    /// Creator record update `Form[criteria].Field = e;` (also `+=`, ...).
    UpdateRecord {
        /// The records to update.
        fetch: Box<Fetch>,
        /// The field, possibly dotted.
        field: Path,
        /// `=`, `+=`, ...
        op: AssignOp,
        /// The new value.
        value: Expr,
    },
    /// Creator form UI statements: `hide F;`, `show Sub.F;`, `enable F;`, `disable a, b;`.
    FormUi {
        /// `hide`, `show`, `enable` or `disable`, as written.
        action: Ident,
        /// The fields named.
        fields: Vec<Path>,
    },
    /// Creator `alert "text";`
    Alert(Expr),
    /// Creator `cancel submit;` / `cancel delete;`
    Cancel(Ident),
    /// Creator field qualifier call: `row.Product:ui.add(list);`, `input.F:ui.append(x);`
    FieldUi {
        /// The field: `row.Product`.
        field: Path,
        /// After the colon: `ui.add`.
        action: Path,
        /// Arguments.
        args: Vec<Expr>,
    },
}

/// Assignment operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum AssignOp {
    /// `=`
    Set,
    /// `+=`
    Add,
    /// `-=`
    Sub,
    /// `*=`
    Mul,
    /// `/=`
    Div,
    /// `%=`
    Rem,
}

/// An expression with its span.
#[derive(Clone, Debug, PartialEq)]
pub struct Expr {
    /// What the expression is.
    pub kind: ExprKind,
    /// Its source range.
    pub span: Span,
}

/// Every expression form.
#[derive(Clone, Debug, PartialEq)]
pub enum ExprKind {
    /// `null`
    Null,
    /// `true` / `false` (any case)
    Bool(bool),
    /// An integer literal that fits in i64.
    Number(i64),
    /// A literal with a fractional part, scale kept (`1.50`).
    Decimal(Decimal),
    /// A double-quoted string, escapes already processed.
    Text(Box<str>),
    /// A single-quoted string: a date-time literal when it parses as one, otherwise text.
    /// The parser does not decide; the compiler does.
    SingleQuoted(Box<str>),
    /// A name or dotted chain without a call: `x`, `zoho.currentdate`, `input.Field`, `e.message`.
    Path(Path),
    /// A call on a path: `f(x)`, `ns.f(x)`, `thisapp.ns.f()`, `zoho.crm.getRecordById(..)`,
    /// and also `x.get(0)` when `x` is a variable: the compiler decides which.
    Call {
        /// The callee path.
        path: Path,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `expr.name(args)` on anything that is not a plain path: `"a".length()`, `f().get(0)`.
    MethodCall {
        /// Receiver.
        receiver: Box<Expr>,
        /// Method name.
        method: Ident,
        /// Arguments.
        args: Vec<Expr>,
    },
    /// `expr.name` on anything that is not a plain path: `Form[c].ID`, `m.get("a").Name`.
    Field {
        /// The object.
        object: Box<Expr>,
        /// Field name.
        field: Ident,
    },
    /// `!e`, `-e`
    Unary {
        /// Operator.
        op: UnaryOp,
        /// Operand.
        operand: Box<Expr>,
    },
    /// `a + b`, `a == b`, `a && b`, `a in b`, `a not in b`, ...
    Binary {
        /// Operator.
        op: BinaryOp,
        /// Left operand.
        lhs: Box<Expr>,
        /// Right operand.
        rhs: Box<Expr>,
    },
    /// `{a, b}` or `[a, b]`
    List(Vec<Expr>),
    /// `{k: v, ...}`; `{}` is an empty map.
    Map(Vec<(Expr, Expr)>),
    /// `List()`, `List:String()`, `Map()`, `Collection(..)` in any case.
    Constructor {
        /// Which constructor.
        kind: ConstructorKind,
        /// `String` in `List:String()`.
        elem_type: Option<Ident>,
        /// Positional arguments, or `k : v` pairs for `Collection("a":1)`.
        args: Vec<ConstructorArg>,
    },
    /// `if(cond, a, b)`: only the chosen branch is evaluated.
    Conditional {
        /// Condition.
        cond: Box<Expr>,
        /// Value when true.
        then: Box<Expr>,
        /// Value when false.
        otherwise: Box<Expr>,
    },
    /// `invokeurl [..]`, `invokeapi [..]`, `sendmail [..]`, `insert into Form [..]`.
    Task(Box<Task>),
    /// Creator record fetch `Form[criteria] sort by F desc range from a to b`.
    Fetch(Box<Fetch>),
}

/// Unary operators.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum UnaryOp {
    /// `!`
    Not,
    /// `-`
    Neg,
}

/// Binary operators, loosest first: `||`, `&&`, equality, relational/`in`, additive, multiplicative.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BinaryOp {
    /// `||`
    Or,
    /// `&&`
    And,
    /// `==`, or a single `=` inside a condition or criteria
    Eq,
    /// `!=`
    Ne,
    /// `<`
    Lt,
    /// `<=`
    Le,
    /// `>`
    Gt,
    /// `>=`
    Ge,
    /// `in`
    In,
    /// `not in`
    NotIn,
    /// `+`
    Add,
    /// `-`
    Sub,
    /// `*`
    Mul,
    /// `/`
    Div,
    /// `%`
    Rem,
}

impl BinaryOp {
    /// The operator as written.
    pub fn symbol(self) -> &'static str {
        match self {
            BinaryOp::Or => "||",
            BinaryOp::And => "&&",
            BinaryOp::Eq => "==",
            BinaryOp::Ne => "!=",
            BinaryOp::Lt => "<",
            BinaryOp::Le => "<=",
            BinaryOp::Gt => ">",
            BinaryOp::Ge => ">=",
            BinaryOp::In => "in",
            BinaryOp::NotIn => "not in",
            BinaryOp::Add => "+",
            BinaryOp::Sub => "-",
            BinaryOp::Mul => "*",
            BinaryOp::Div => "/",
            BinaryOp::Rem => "%",
        }
    }
}

/// The typed constructors.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ConstructorKind {
    /// `List()` / `list()`
    List,
    /// `Map()` / `map()`
    Map,
    /// `Collection()`
    Collection,
}

/// One argument of a constructor: a value, or a `key : value` pair (collections).
#[derive(Clone, Debug, PartialEq)]
pub enum ConstructorArg {
    /// `e`
    Value(Expr),
    /// `k : v`
    Pair(Expr, Expr),
}

/// A bracket task block.
#[derive(Clone, Debug, PartialEq)]
pub struct Task {
    /// Which task.
    pub kind: TaskKind,
    /// The task keyword(s), e.g. `invokeurl` or `insert into Orders`.
    pub keyword_span: Span,
    /// The `key : value` (or Creator `Field = value`) entries in source order.
    pub params: Vec<TaskParam>,
}

/// The bracket tasks.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskKind {
    /// `invokeurl` / `invokeUrl`
    InvokeUrl,
    /// `invokeapi`
    InvokeApi,
    /// `sendmail`
    SendMail,
    /// Creator `insert into <Form>`
    InsertInto(Ident),
}

/// One task entry.
#[derive(Clone, Debug, PartialEq)]
pub struct TaskParam {
    /// The key normalised to lower case with single separators as written:
    /// `url`, `content-type`, `content type`, `reply to`, or a Creator field name as written.
    pub key: Box<str>,
    /// Where the key is.
    pub key_span: Span,
    /// The value.
    pub value: TaskValue,
}

/// The value of a task entry.
#[derive(Clone, Debug, PartialEq)]
pub enum TaskValue {
    /// An ordinary expression. Bare names such as `GET`, `HTML` or `zohobilling` arrive as
    /// single-segment [`ExprKind::Path`]s; the task decides what they mean.
    Expr(Expr),
    /// A colon-tagged value: `Attachments :file:invoicePdf`, `:template:Quote as PDF`,
    /// `template:Invoice_PDF:Invoice recId as PDF`.
    Tagged {
        /// `file`, `template`, ...
        tag: Ident,
        /// The value after the second colon.
        value: Expr,
        /// Creator record templates: the form and the record id after a third colon
        /// (`template:Invoice_PDF:Invoice recId as PDF`).
        record: Option<(Ident, Expr)>,
        /// `as PDF` after the value (templates and views), when written.
        format: Option<Ident>,
    },
}

/// A Creator record fetch.
#[derive(Clone, Debug, PartialEq)]
pub struct Fetch {
    /// The form name.
    pub form: Ident,
    /// The criteria between brackets; `None` for `Form[]`.
    pub criteria: Option<Expr>,
    /// `sort by Field [asc|desc]`: the field and whether it is descending.
    pub sort_by: Option<(Path, bool)>,
    /// `range from a to b`
    pub range: Option<(Expr, Expr)>,
    /// The whole fetch.
    pub span: Span,
}
