//! AST to IR for calls, and the resolution of their names: user functions (any spelling:
//! `f()`, `ns.f()`, `standalone.f()`, `thisapp.ns.f()`), built-ins, the host's registered
//! natives, `zoho.*` tasks and methods; "did you mean" suggestions for unknown names.

use crate::eval::builtin::{Builtin, Receiver};
use crate::eval::compile::{join_path, FnCompiler};
use crate::eval::ir::{self, Expr, HostExpr, Stmt};
use crate::eval::value::ValueType;
use crate::eval::suggest::closest;
use crate::syntax::ast::{self};
use crate::syntax::span::Span;

/// How a call's path resolves.
enum Callee {
    /// A user function (index into the script's functions).
    User(u32),
    /// Not found; the compile error has been recorded.
    Missing,
}

impl FnCompiler<'_> {
    /// `path(args)`: a user function, a built-in, a method on a variable, a host task.
    pub(super) fn call(&mut self, path: &[ast::Ident], args: &[ast::Expr], span: Span) -> Expr {
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

    /// The built-ins named `name` that can be called with no arguments and no receiver
    /// (`today`, `now`, `zoho.currentdate`).
    pub(super) fn zero_arg_group(&self, name: &str) -> Option<&'static [&'static Builtin]> {
        let group = self.globals.builtins.named(name);
        group
            .iter()
            .any(|b| b.receiver == Receiver::None && b.arity.0 == 0)
            .then_some(group)
    }
}

/// A call of the built-in `group` (every entry spelled `name`); dispatch picks the entry
/// by the receiver's type at run time.
pub(super) fn builtin_call(
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

/// An expression statement: [`Stmt::AddToList`] when it is `xs.add(item)` on a variable `xs`
/// and `add` is the built-in LIST method (a method the host registered is a
/// [`Expr::CallNative`] and stays as written).
pub(super) fn expr_stmt(e: Expr) -> Stmt {
    let Expr::CallBuiltin(call) = e else {
        return Stmt::Expr(e);
    };
    if !(call.method && is_list_add(call.group)) {
        return Stmt::Expr(Expr::CallBuiltin(call));
    }
    let ir::BuiltinCall {
        name,
        group,
        method,
        args,
        span,
    } = *call;
    let args = match <Box<[Expr; 2]>>::try_from(args) {
        Ok(pair) => match *pair {
            [Expr::Local(list), item] => {
                return Stmt::AddToList(Box::new(ir::AddToList {
                    list,
                    item,
                    name,
                    group,
                    span,
                }))
            }
            pair => Box::new(pair) as Box<[Expr]>,
        },
        Err(args) => args,
    };
    Stmt::Expr(Expr::CallBuiltin(Box::new(ir::BuiltinCall {
        name,
        group,
        method,
        args,
        span,
    })))
}

/// Whether `group` holds the built-in LIST method `add`.
fn is_list_add(group: &[&Builtin]) -> bool {
    group
        .iter()
        .any(|b| b.name == "add" && b.receiver == Receiver::Type(ValueType::List))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::eval::args::Args;
    use crate::eval::builtin::NativeResult;
    use crate::eval::context::NativeCtx;
    use crate::eval::value::Value;

    fn null(_: &mut NativeCtx<'_>, _: Args<'_>) -> NativeResult {
        Ok(Value::Null)
    }

    const fn entry(name: &'static str, receiver: Receiver) -> Builtin {
        Builtin {
            name,
            receiver,
            params: "(element: any)",
            returns: "null",
            arity: (1, 1),
            summary: "",
            func: null,
        }
    }

    static LIST_ADD: Builtin = entry("add", Receiver::Type(ValueType::List));
    static MAP_ADD: Builtin = entry("add", Receiver::Type(ValueType::Map));
    static LIST_REMOVE: Builtin = entry("remove", Receiver::Type(ValueType::List));
    static ADD_GROUP: [&Builtin; 2] = [&MAP_ADD, &LIST_ADD];
    static REMOVE_GROUP: [&Builtin; 1] = [&LIST_REMOVE];

    fn statement(group: &'static [&'static Builtin], method: bool, args: Vec<Expr>) -> Stmt {
        let name = group[0].name;
        expr_stmt(builtin_call(name, group, method, args, Span::new(0, 1)))
    }

    #[test]
    fn add_on_a_variable_becomes_an_add_to_list_statement() {
        let stmt = statement(&ADD_GROUP, true, vec![Expr::Local(3), Expr::Number(7)]);
        let Stmt::AddToList(add) = stmt else {
            panic!("expected AddToList, got {stmt:?}");
        };
        assert_eq!(add.list, 3);
        assert!(matches!(add.item, Expr::Number(7)));
        assert_eq!(&*add.name, "add");
    }

    #[test]
    fn other_calls_stay_as_written() {
        let cases = [
            statement(&ADD_GROUP, false, vec![Expr::Local(3), Expr::Number(7)]),
            statement(&ADD_GROUP, true, vec![Expr::Number(1), Expr::Number(7)]),
            statement(&ADD_GROUP, true, vec![Expr::Local(3)]),
            statement(
                &ADD_GROUP,
                true,
                vec![Expr::Local(3), Expr::Number(7), Expr::Number(8)],
            ),
            statement(&REMOVE_GROUP, true, vec![Expr::Local(3), Expr::Number(7)]),
        ];
        for stmt in cases {
            let Stmt::Expr(Expr::CallBuiltin(call)) = &stmt else {
                panic!("expected the call as written, got {stmt:?}");
            };
            assert!(!call.args.is_empty());
        }
    }
}
