//! AST to IR for expressions, and the resolution of names: variables, user functions (any
//! spelling: `f()`, `ns.f()`, `standalone.f()`, `thisapp.ns.f()`), built-ins, `zoho.*` system
//! values and tasks, `input.*` and other host constructs.

use crate::eval::builtin::{Builtin, Receiver};
use crate::eval::compile::{join_path, FnCompiler};
use crate::eval::ir::{self, Const, ErrorPart, Expr, HostExpr};
use crate::eval::suggest::closest;
use crate::eval::typed_list::{ElemType, ELEM_TYPE_NAMES};
use crate::syntax::ast::{self, ExprKind};
use crate::syntax::span::Span;

/// How a call's path resolves.
enum Callee {
    /// A user function (index into the script's functions).
    User(u32),
    /// Not found; the compile error has been recorded.
    Missing,
}

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
            ExprKind::Binary { op, lhs, rhs } => Expr::Binary(Box::new(ir::Binary {
                op: *op,
                lhs: self.expr(lhs),
                rhs: self.expr(rhs),
                span,
            })),
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

    fn fields(&mut self, mut object: Expr, rest: &[ast::Ident]) -> Expr {
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
    fn zoho_value(&mut self, path: &[ast::Ident], span: Span) -> Expr {
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

    fn undefined_variable(&mut self, head: &ast::Ident) {
        let candidates: Vec<&str> = self.slots.keys().map(|k| &**k).collect();
        let mut help = match closest(&head.name, candidates.iter().copied()) {
            Some(near) => format!("did you mean `{near}`? Assign a value before using a variable"),
            None => "assign a value to it before this line".to_owned(),
        };
        if self.top_level {
            help.push_str(&format!(
                "; if it is a parameter of this function body, give it with `dlg run FILE --arg {}=VALUE`",
                head.name
            ));
        }
        self.problem(
            head.span,
            format!("Variable '{}' is not defined", head.name),
            Some(help),
        );
    }

    /// `path(args)`: a user function, a built-in, a method on a variable, a host task.
    fn call(&mut self, path: &[ast::Ident], args: &[ast::Expr], span: Span) -> Expr {
        let Some((last, prefix)) = path.split_last() else {
            return Expr::Null;
        };
        if prefix.is_empty() {
            return self.plain_call(last, args, span);
        }
        let head = &prefix[0];
        if self.slots.contains_key(&*head.name) {
            let receiver = self.path_value(prefix, span);
            return self.method(receiver, last, args, span);
        }
        let lower = head.name.to_ascii_lowercase();
        match lower.as_str() {
            "thisapp" | "standalone" => self.qualified_call(&path[1..], path, args, span),
            "zoho" => self.zoho_call(path, args, span),
            "input" => {
                let receiver = self.path_value(prefix, span);
                self.method(receiver, last, args, span)
            }
            _ => self.other_call(path, args, span),
        }
    }

    /// `name(args)`
    fn plain_call(&mut self, name: &ast::Ident, args: &[ast::Expr], span: Span) -> Expr {
        if let Some(index) = self.find_user(&name.name, None) {
            return self.user_call(index, name, args, span);
        }
        if let Some(index) = self.globals.natives.function(&name.name) {
            return self.native_call(index, &name.name, name.span, args, span);
        }
        let group = self.globals.builtins.named(&name.name);
        if !group.is_empty() {
            let args = args.iter().map(|a| self.expr(a)).collect();
            return builtin_call(&name.name, group, false, args, span);
        }
        if name.name.eq_ignore_ascii_case("openurl") {
            return self.host_task(&name.name, args, span);
        }
        let help = self.suggest_function(&name.name);
        self.problem(
            name.span,
            format!("unknown function `{}`", name.name),
            Some(help),
        );
        Expr::Null
    }

    /// `ns.f(args)` after a `thisapp.`/`standalone.` prefix (`rest` is `[ns..., f]`).
    fn qualified_call(
        &mut self,
        rest: &[ast::Ident],
        whole: &[ast::Ident],
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        match self.resolve_user(rest, whole) {
            Callee::User(index) => {
                let name = &whole[whole.len() - 1];
                self.user_call(index, name, args, span)
            }
            Callee::Missing => Expr::Null,
        }
    }

    fn resolve_user(&mut self, rest: &[ast::Ident], whole: &[ast::Ident]) -> Callee {
        let Some((last, ns)) = rest.split_last() else {
            return Callee::Missing;
        };
        let namespace = (!ns.is_empty()).then(|| join_path(ns).to_ascii_lowercase());
        if let Some(index) = self.find_user(&last.name, namespace.as_deref()) {
            return Callee::User(index);
        }
        let include = super::compile::UNRESOLVED_FUNCTION_HELP;
        let help = match self.closest_function(&last.name) {
            Some(near) => format!("did you mean `{near}`? Otherwise {include}"),
            None => include.to_owned(),
        };
        let span = whole[0].span.to(last.span);
        self.problem(
            span,
            format!("unknown function `{}`", join_path(whole)),
            Some(help),
        );
        Callee::Missing
    }

    /// `zoho.x.y(args)`: a built-in (`zoho.encryption.md5`), a product task (`zoho.crm.*`) for
    /// the host, or a method on a system value (`zoho.currentdate.addDay(1)`).
    fn zoho_call(&mut self, path: &[ast::Ident], args: &[ast::Expr], span: Span) -> Expr {
        let full = join_path(path);
        if let Some(index) = self.globals.natives.function(&full) {
            return self.native_call(index, &full, span, args, span);
        }
        let group = self.globals.builtins.named(&full);
        if !group.is_empty() {
            let args = args.iter().map(|a| self.expr(a)).collect();
            return builtin_call(&full, group, false, args, span);
        }
        let is_product_task = path.len() >= 3
            && !matches!(
                crate::eval::host::Product::of_task(&full),
                crate::eval::host::Product::Zoho
            );
        if is_product_task || path.len() == 2 {
            return self.host_task(&full, args, span);
        }
        let (last, prefix) = path.split_last().unwrap_or((&path[0], &[]));
        let receiver = self.zoho_value(prefix, span);
        self.method(receiver, last, args, span)
    }

    /// `ns.f(args)` or `today.addDay(1)` or an unknown dotted call.
    fn other_call(&mut self, path: &[ast::Ident], args: &[ast::Expr], span: Span) -> Expr {
        let (last, prefix) = path.split_last().unwrap_or((&path[0], &[]));
        let namespace = join_path(prefix).to_ascii_lowercase();
        if let Some(index) = self.find_user(&last.name, Some(&namespace)) {
            return self.user_call(index, last, args, span);
        }
        let full = join_path(path);
        if let Some(index) = self.globals.natives.function(&full) {
            return self.native_call(index, &full, span, args, span);
        }
        let head = &path[0];
        if let Some(group) = self.zero_arg_group(&head.name) {
            let receiver = builtin_call(&head.name, group, false, Vec::new(), head.span);
            let receiver = self.fields(receiver, &prefix[1..]);
            return self.method(receiver, last, args, span);
        }
        let group = self.globals.builtins.named(&full);
        if !group.is_empty() {
            let args = args.iter().map(|a| self.expr(a)).collect();
            return builtin_call(&full, group, false, args, span);
        }
        let is_method_name = !self.globals.builtins.named(&last.name).is_empty();
        if prefix.len() == 1 && is_method_name && self.find_user(&last.name, None).is_none() {
            // `emailMap.get(..)` with no `emailMap`: a variable read, not a namespace.
            self.undefined_variable(head);
            return Expr::Null;
        }
        self.qualified_call(path, path, args, span)
    }

    /// The user function named `last` (any case), in `namespace` when given.
    fn find_user(&self, last: &str, namespace: Option<&str>) -> Option<u32> {
        let last = last.to_ascii_lowercase();
        let mut matches = self
            .globals
            .signatures
            .iter()
            .enumerate()
            .filter(|(_, s)| s.last == last);
        match namespace {
            Some(ns) => matches
                .find(|(_, s)| s.namespace == ns || s.namespace.is_empty())
                .map(|(i, _)| i as u32),
            None => matches.next().map(|(i, _)| i as u32),
        }
    }

    fn user_call(&mut self, index: u32, name: &ast::Ident, args: &[ast::Expr], span: Span) -> Expr {
        let signature = &self.globals.signatures[index as usize];
        if signature.arity != args.len() {
            let message = format!(
                "function `{}` takes {} argument{}, but {} {} given",
                signature.display,
                signature.arity,
                if signature.arity == 1 { "" } else { "s" },
                args.len(),
                if args.len() == 1 { "was" } else { "were" }
            );
            self.problem(name.span.to(span), message, None);
        }
        let args = args.iter().map(|a| self.expr(a)).collect();
        Expr::CallUser(Box::new(ir::UserCall {
            function: index,
            args,
            span,
        }))
    }

    fn host_task(&mut self, name: &str, args: &[ast::Expr], span: Span) -> Expr {
        let args = args.iter().map(|a| self.expr(a)).collect();
        Expr::Host(Box::new(HostExpr::Task(name.into(), args)), span)
    }

    /// `receiver.name(args)`: a built-in method.
    pub fn method(
        &mut self,
        receiver: Expr,
        name: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        let group = self.globals.builtins.named(&name.name);
        let registered = self.globals.natives.methods(&name.name);
        if !registered.is_empty() {
            let mut all = Vec::with_capacity(args.len() + 1);
            all.push(receiver);
            all.extend(args.iter().map(|a| self.expr(a)));
            return Expr::CallNative(Box::new(ir::NativeCall {
                name: name.name.clone(),
                candidates: registered.into(),
                fallback: group,
                method: true,
                args: all.into(),
                span,
            }));
        }
        if !group.iter().any(|b| b.receiver != Receiver::None) {
            let help = self.suggest_method(&name.name);
            self.problem(
                name.span,
                format!("unknown method `{}`", name.name),
                Some(help),
            );
            return Expr::Null;
        }
        let mut all = Vec::with_capacity(args.len() + 1);
        all.push(receiver);
        all.extend(args.iter().map(|a| self.expr(a)));
        builtin_call(&name.name, group, true, all, span)
    }

    /// A call to the registered function `index`; its arity is checked here.
    fn native_call(
        &mut self,
        index: u32,
        name: &str,
        name_span: Span,
        args: &[ast::Expr],
        span: Span,
    ) -> Expr {
        let arity = self.globals.natives.get(index).map_or(0, |e| e.arity());
        let accepted = self
            .globals
            .natives
            .get(index)
            .is_some_and(|e| e.accepts(args.len()));
        if !accepted {
            let signature = self
                .globals
                .natives
                .get(index)
                .map(|e| e.signature())
                .unwrap_or_default();
            let message = format!(
                "function `{name}` takes {arity} argument{}, but {} {} given",
                if arity == 1 { "" } else { "s" },
                args.len(),
                if args.len() == 1 { "was" } else { "were" }
            );
            let help = format!("the host registered it as `{signature}`");
            self.problem(name_span.to(span), message, Some(help));
        }
        let args = args.iter().map(|a| self.expr(a)).collect();
        Expr::CallNative(Box::new(ir::NativeCall {
            name: name.into(),
            candidates: Box::new([index]),
            fallback: &[],
            method: false,
            args,
            span,
        }))
    }

    fn suggest_function(&self, name: &str) -> String {
        match self.closest_function(name) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "check the spelling, or define the function in this file".to_owned(),
        }
    }

    fn closest_function(&self, name: &str) -> Option<String> {
        let users = self.globals.signatures.iter().map(|s| s.display.as_str());
        let builtins = self
            .globals
            .builtins
            .all()
            .filter(|b| b.receiver == Receiver::None)
            .map(|b| b.name);
        let natives = self.globals.natives.names(false);
        closest(name, users.chain(natives).chain(builtins)).map(str::to_owned)
    }

    fn suggest_method(&self, name: &str) -> String {
        let methods = self
            .globals
            .builtins
            .all()
            .filter(|b| b.receiver != Receiver::None)
            .map(|b| b.name);
        let natives = self.globals.natives.names(true);
        match closest(name, natives.chain(methods)) {
            Some(near) => format!("did you mean `{near}`?"),
            None => "see docs/builtins.md for the methods each type has".to_owned(),
        }
    }

    /// `Form[criteria].Field.getAll()` (dotted fields allowed) as one host projection.
    fn fetch_projection(
        &mut self,
        receiver: &ast::Expr,
        method: &ast::Ident,
        args: &[ast::Expr],
        span: Span,
    ) -> Option<Expr> {
        if let (ExprKind::Fetch(fetch), [arg]) = (&receiver.kind, args) {
            return self.fetch_aggregate(fetch, method, arg, span);
        }
        if !args.is_empty() || !method.name.eq_ignore_ascii_case("getAll") {
            return None;
        }
        let ExprKind::Field { object, field } = &receiver.kind else {
            return None;
        };
        let ExprKind::Fetch(fetch) = &object.kind else {
            return None;
        };
        let fetch = self.fetch(fetch);
        Some(Expr::Host(
            Box::new(HostExpr::FetchAll(fetch, field.name.clone())),
            span,
        ))
    }

    /// Creator's aggregates `Form[criteria].sum(Field)` (also `avg`, `median`, `maximum`,
    /// `minimum`, `distinct`, `count`): the built-in of that meaning applied to the field's
    /// non-empty values.
    fn fetch_aggregate(
        &mut self,
        fetch: &ast::Fetch,
        method: &ast::Ident,
        arg: &ast::Expr,
        span: Span,
    ) -> Option<Expr> {
        let ExprKind::Path(field) = &arg.kind else {
            return None;
        };
        let builtin = match method.name.to_ascii_lowercase().as_str() {
            "sum" => "sum",
            "avg" | "average" => "average",
            "median" => "median",
            "maximum" | "max" => "largest",
            "minimum" | "min" => "smallest",
            "distinct" => "distinct",
            "count" => "size",
            _ => return None,
        };
        let fetch = self.fetch(fetch);
        let values = Expr::Host(
            Box::new(HostExpr::FetchAggregate(fetch, join_path(field).into())),
            span,
        );
        let name = ast::Ident {
            name: builtin.into(),
            span: method.span,
        };
        Some(self.method(values, &name, &[], span))
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

    fn task(&mut self, task: &ast::Task) -> Expr {
        let kind = match &task.kind {
            ast::TaskKind::InvokeUrl => ir::TaskKind::InvokeUrl,
            ast::TaskKind::InvokeApi => ir::TaskKind::InvokeApi,
            ast::TaskKind::SendMail => ir::TaskKind::SendMail,
            ast::TaskKind::InsertInto(form) => ir::TaskKind::InsertInto(form.name.clone()),
        };
        let params = task
            .params
            .iter()
            .map(|p| {
                let value = match &p.value {
                    ast::TaskValue::Expr(e) => self.task_value(e),
                    ast::TaskValue::Tagged {
                        tag,
                        value,
                        record,
                        format,
                    } => self.tagged_value(tag, value, record.as_ref(), format.as_ref()),
                };
                (p.key.clone(), value)
            })
            .collect();
        Expr::Task(Box::new(ir::TaskExpr {
            kind,
            params,
            span: task.keyword_span,
        }))
    }

    /// `:file:pdf` as the KEY-VALUE `{"file": pdf}`; `:template:Quote as PDF` as
    /// `{"template": "Quote", "format": "PDF"}`; `template:Quote:Orders id as PDF` as
    /// `{"template": "Quote", "form": "Orders", "record": id, "format": "PDF"}`. The tag is
    /// lower case.
    fn tagged_value(
        &mut self,
        tag: &ast::Ident,
        value: &ast::Expr,
        record: Option<&(ast::Ident, ast::Expr)>,
        format: Option<&ast::Ident>,
    ) -> Expr {
        let key = self.globals.text_const(&tag.name.to_ascii_lowercase());
        let mut pairs = vec![(Expr::Const(key), self.task_value(value))];
        if let Some((form, id)) = record {
            let key = self.globals.text_const("form");
            let name = self.globals.text_const(&form.name);
            pairs.push((Expr::Const(key), Expr::Const(name)));
            let key = self.globals.text_const("record");
            pairs.push((Expr::Const(key), self.expr(id)));
        }
        if let Some(format) = format {
            let key = self.globals.text_const("format");
            let value = self.globals.text_const(&format.name);
            pairs.push((Expr::Const(key), Expr::Const(value)));
        }
        Expr::Map(pairs.into(), tag.span.to(value.span))
    }

    /// A task value: a bare name that is not a variable (`GET`, `HTML`) is its own text.
    fn task_value(&mut self, e: &ast::Expr) -> Expr {
        if let ExprKind::Path(path) = &e.kind {
            let bare = path.len() == 1
                && !self.slots.contains_key(&*path[0].name)
                && self.zero_arg_group(&path[0].name).is_none();
            if bare {
                return Expr::Const(self.globals.text_const(&path[0].name));
            }
        }
        self.expr(e)
    }

    /// A record fetch: form, criteria text, the script variables it mentions, sort and range.
    pub fn fetch(&mut self, fetch: &ast::Fetch) -> ir::Fetch {
        let mut variables = Vec::new();
        let criteria = match &fetch.criteria {
            Some(c) => {
                self.criteria_variables(c, &mut variables);
                self.source_text(c.span).to_owned()
            }
            None => String::new(),
        };
        let range = fetch
            .range
            .as_ref()
            .map(|(a, b)| Box::new((self.expr(a), self.expr(b))));
        ir::Fetch {
            form: fetch.form.name.clone(),
            criteria: criteria.into(),
            variables: variables.into(),
            sort_by: fetch
                .sort_by
                .as_ref()
                .map(|(path, desc)| (join_path(path).into(), *desc)),
            range,
        }
    }

    fn criteria_variables(&self, e: &ast::Expr, out: &mut Vec<(Box<str>, ir::Slot)>) {
        match &e.kind {
            ExprKind::Path(path) | ExprKind::Call { path, .. } => {
                if let Some(head) = path.first() {
                    if let Some(&slot) = self.slots.get(&*head.name) {
                        if !out.iter().any(|(n, _)| **n == *head.name) {
                            out.push((head.name.clone(), slot));
                        }
                    }
                }
                if let ExprKind::Call { args, .. } = &e.kind {
                    args.iter().for_each(|a| self.criteria_variables(a, out));
                }
            }
            ExprKind::Binary { lhs, rhs, .. } => {
                self.criteria_variables(lhs, out);
                self.criteria_variables(rhs, out);
            }
            ExprKind::Unary { operand, .. } => self.criteria_variables(operand, out),
            ExprKind::MethodCall { receiver, args, .. } => {
                self.criteria_variables(receiver, out);
                args.iter().for_each(|a| self.criteria_variables(a, out));
            }
            ExprKind::List(items) => items.iter().for_each(|a| self.criteria_variables(a, out)),
            _ => {}
        }
    }

    /// The built-ins named `name` that can be called with no arguments and no receiver
    /// (`today`, `now`, `zoho.currentdate`).
    fn zero_arg_group(&self, name: &str) -> Option<&'static [&'static Builtin]> {
        let group = self.globals.builtins.named(name);
        group
            .iter()
            .any(|b| b.receiver == Receiver::None && b.arity.0 == 0)
            .then_some(group)
    }
}

fn builtin_call(
    name: &str,
    group: &'static [&'static Builtin],
    method: bool,
    args: Vec<Expr>,
    span: Span,
) -> Expr {
    Expr::CallBuiltin(Box::new(ir::BuiltinCall {
        name: name.into(),
        group,
        method,
        args: args.into(),
        span,
    }))
}
