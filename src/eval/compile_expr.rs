//! AST to IR for expressions: literals, operators, constructors and name values (variables,
//! `zoho.*` system values, `input.*` and fields). Calls are in `compile_call.rs`, host
//! constructs (tasks, fetches) in `compile_host.rs`.

use crate::eval::compile::{join_path, FnCompiler};
use crate::eval::compile_call::builtin_call;
use crate::eval::ir::{self, Const, ErrorPart, Expr, HostExpr};
use crate::eval::suggest::closest;
use crate::eval::typed_list::{ElemType, ELEM_TYPE_NAMES};
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::span::Span;

impl FnCompiler<'_> {
    /// Compiles an expression.
    pub fn expr(&mut self, e: &ast::Expr) -> Expr {
        let span = e.span;
        match &e.kind {
            ExprKind::Null => Expr::Null,
            ExprKind::Bool(b) => Expr::Bool(*b),
            ExprKind::Number(n) => Expr::Number(*n),
            ExprKind::Decimal(d) => Expr::Const(self.globals.push_const(Const::Decimal(*d))),
            ExprKind::Text(t) => Expr::Const(self.globals.text_const(t)),
            ExprKind::SingleQuoted(t) => self.single_quoted(t),
            ExprKind::Path(path) => self.path_value(path, span),
            ExprKind::Call { path, args } => self.call(path, args, span),
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                if let Some(projection) = self.fetch_projection(receiver, method, args, span) {
                    return projection;
                }
                let receiver = self.expr(receiver);
                self.method(receiver, method, args, span)
            }
            ExprKind::Field { object, field } => {
                let object = self.expr(object);
                self.field(object, &field.name, field.span)
            }
            ExprKind::Unary { op, operand } => Expr::Unary(Box::new(ir::Unary {
                not: *op == ast::UnaryOp::Not,
                operand: self.expr(operand),
                span,
            })),
            ExprKind::Binary { op, lhs, rhs } => {
                Expr::binary(*op, self.expr(lhs), self.expr(rhs), span)
            }
            ExprKind::List(items) => Expr::List(items.iter().map(|i| self.expr(i)).collect(), span),
            ExprKind::Map(pairs) => Expr::Map(
                pairs
                    .iter()
                    .map(|(k, v)| (self.expr(k), self.expr(v)))
                    .collect(),
                span,
            ),
            ExprKind::Constructor {
                kind,
                args,
                elem_type,
            } => {
                let elem = elem_type.as_ref().and_then(|t| self.elem_type(t));
                self.construct(*kind, elem, args, span)
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => Expr::Conditional(Box::new(ir::Conditional {
                cond: self.expr(cond),
                then: self.expr(then),
                otherwise: self.expr(otherwise),
                cond_span: cond.span,
            })),
            ExprKind::Task(task) => self.task(task),
            ExprKind::Fetch(fetch) => {
                Expr::Host(Box::new(HostExpr::Fetch(self.fetch(fetch))), span)
            }
        }
    }

    fn single_quoted(&mut self, text: &str) -> Expr {
        match crate::eval::datetime_literal(text) {
            Some(dt) => Expr::Const(self.globals.push_const(Const::DateTime(dt))),
            None => Expr::Const(self.globals.text_const(text)),
        }
    }

    /// `obj.field`
    pub fn field(&mut self, object: Expr, name: &str, span: Span) -> Expr {
        let error_part = if name.eq_ignore_ascii_case("message") {
            Some(ErrorPart::Message)
        } else if name.eq_ignore_ascii_case("lineno") {
            Some(ErrorPart::LineNo)
        } else {
            None
        };
        Expr::Field(Box::new(ir::FieldAccess {
            object,
            key: self.globals.text_const(name),
            error_part,
            span,
        }))
    }

    pub(super) fn fields(&mut self, mut object: Expr, rest: &[ast::Ident]) -> Expr {
        for ident in rest {
            object = self.field(object, &ident.name, ident.span);
        }
        object
    }

    /// A dotted name used as a value: `x`, `e.message`, `input.F`, `zoho.currentdate`, `today`.
    pub fn path_value(&mut self, path: &[ast::Ident], span: Span) -> Expr {
        let Some(head) = path.first() else {
            return Expr::Null;
        };
        if let Some(&slot) = self.slots.get(&*head.name) {
            return self.fields(Expr::Local(slot), &path[1..]);
        }
        let lower = head.name.to_ascii_lowercase();
        if path.len() >= 2 && lower == "input" {
            let read = Expr::Host(Box::new(HostExpr::Input(path[1].name.clone())), span);
            return self.fields(read, &path[2..]);
        }
        if lower == "zoho" && path.len() >= 2 {
            return self.zoho_value(path, span);
        }
        if lower == "thisapp" && path.len() >= 2 {
            return Expr::Host(Box::new(HostExpr::ZohoValue(join_path(path).into())), span);
        }
        if let Some(group) = self.zero_arg_group(&head.name) {
            let value = builtin_call(&head.name, group, false, Vec::new(), head.span);
            return self.fields(value, &path[1..]);
        }
        self.undefined_variable(head);
        Expr::Null
    }

    /// `zoho.x.y`: the longest prefix that a zero-argument built-in provides, else a system
    /// value asked from the run environment or the host.
    pub(super) fn zoho_value(&mut self, path: &[ast::Ident], span: Span) -> Expr {
        for len in (2..=path.len()).rev() {
            let name = join_path(&path[..len]);
            if let Some(group) = self.zero_arg_group(&name) {
                let value = builtin_call(&name, group, false, Vec::new(), span);
                return self.fields(value, &path[len..]);
            }
        }
        let name = join_path(&path[..2]);
        let value = Expr::Host(Box::new(HostExpr::ZohoValue(name.into())), span);
        self.fields(value, &path[2..])
    }

    pub(super) fn undefined_variable(&mut self, head: &ast::Ident) {
        let candidates: Vec<&str> = self.slots.keys().map(|k| &**k).collect();
        let mut help = match closest(&head.name, candidates.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? Assign a value before using a variable"),
            None => "assign a value to it before this line".to_owned(),
        };
        if self.top_level {
            help.push_str(&format!(
                "; if it is a parameter of this function body, give it in the run's `Scope` (`Scope::push(\"{}\", VALUE)`)",
                head.name
            ));
        }
        self.problem(
            head.span,
            format!("Variable '{}' is not defined", head.name),
            Some(help),
        );
    }

    /// The element type of `List:Type(..)`; an unknown name is a compile error.
    fn elem_type(&mut self, name: &ast::Ident) -> Option<ElemType> {
        let elem = ElemType::from_name(&name.name);
        if elem.is_none() {
            self.problem(
                name.span,
                format!("`{}` is not a list element type", name.name),
                Some(format!(
                    "write List:TYPE(...) with TYPE one of {ELEM_TYPE_NAMES}"
                )),
            );
        }
        elem
    }

    fn construct(
        &mut self,
        kind: ast::ConstructorKind,
        elem: Option<ElemType>,
        args: &[ast::ConstructorArg],
        span: Span,
    ) -> Expr {
        let mut values = Vec::new();
        let mut pairs = Vec::new();
        for arg in args {
            match arg {
                ast::ConstructorArg::Value(e) => values.push(self.expr(e)),
                ast::ConstructorArg::Pair(k, v) => pairs.push((self.expr(k), self.expr(v))),
            }
        }
        let kind = match kind {
            ast::ConstructorKind::List => ir::ConstructKind::List,
            ast::ConstructorKind::Map => ir::ConstructKind::Map,
            ast::ConstructorKind::Collection => ir::ConstructKind::Collection,
        };
        Expr::Construct(Box::new(ir::Construct {
            kind,
            values: values.into(),
            pairs: pairs.into(),
            elem,
            span,
        }))
    }
}
