//! One parsed document and what the editor features need from it: its functions (with
//! signature and leading comment), its variables per scope, and every name occurrence with
//! what it refers to.

use deluge_lang::eval::value::ValueType;
use deluge_lang::syntax::ast::{
    ConstructorArg, Expr, ExprKind, Fetch, FunctionDef, Ident, Program, Stmt, StmtKind, Task,
    TaskValue,
};
use deluge_lang::syntax::span::Span;
use deluge_lang::syntax::{parse, ParseOutput};

use super::types::{from_name, TypeEnv};

/// A user function defined in a document.
#[derive(Clone, Debug)]
pub struct FunctionInfo {
    /// The name as written, dotted: `automation.sync`.
    pub name: String,
    /// The span of the last segment of the name (what rename changes).
    pub name_span: Span,
    /// The declared return type as written.
    pub return_type: String,
    /// `(type, name)` of each parameter.
    pub params: Vec<(String, String)>,
    /// The whole definition.
    pub span: Span,
    /// The comment right above the definition, markers removed.
    pub doc: Option<String>,
    /// Where the return and parameter types are written (for highlighting).
    pub type_spans: Vec<Span>,
}

impl FunctionInfo {
    /// `map automation.sync(String id, int count)`.
    pub fn signature(&self) -> String {
        let params: Vec<String> = self
            .params
            .iter()
            .map(|(t, n)| format!("{t} {n}"))
            .collect();
        format!("{} {}({})", self.return_type, self.name, params.join(", "))
    }

    /// The last segment of the name: `sync` for `automation.sync`.
    pub fn short_name(&self) -> &str {
        self.name.rsplit('.').next().unwrap_or(&self.name)
    }

    /// The namespace before the last segment, lower-cased: `automation`; `None` when plain.
    pub fn namespace(&self) -> Option<String> {
        self.name
            .rsplit_once('.')
            .map(|(ns, _)| ns.to_ascii_lowercase())
    }

    /// True when a call written `path` (after any `standalone.`/`thisapp.`) names this function.
    pub fn is_called_by(&self, path: &[String]) -> bool {
        let rest = strip_app_prefix(path);
        let Some((last, ns)) = rest.split_last() else {
            return false;
        };
        if !last.eq_ignore_ascii_case(self.short_name()) {
            return false;
        }
        ns.is_empty() || Some(ns.join(".").to_ascii_lowercase()) == self.namespace()
    }
}

/// `path` without a leading `standalone` or `thisapp`.
pub fn strip_app_prefix(path: &[String]) -> &[String] {
    match path.first() {
        Some(head)
            if path.len() > 1
                && (head.eq_ignore_ascii_case("standalone")
                    || head.eq_ignore_ascii_case("thisapp")) =>
        {
            &path[1..]
        }
        _ => path,
    }
}

/// What a name occurrence refers to.
#[derive(Clone, Debug, PartialEq)]
pub enum Target {
    /// A variable of scope `scope` (0 is the top level, `i + 1` function `i`).
    Variable {
        /// The scope.
        scope: usize,
        /// The variable's name.
        name: String,
        /// True where the variable is assigned or declared (parameter, loop, catch).
        def: bool,
        /// True for a function parameter.
        param: bool,
        /// Its type at this point, when known.
        ty: Option<ValueType>,
    },
    /// The callee of a function call, as written (`["standalone", "f"]`, `["zoho", "crm", "x"]`).
    Call(Vec<String>),
    /// A method called on a receiver of the given type (when known).
    Method {
        /// The method name.
        name: String,
        /// The receiver's type.
        receiver: Option<ValueType>,
    },
    /// The name of function `index` in its definition.
    FunctionName(usize),
}

/// One name in the document and what it refers to.
#[derive(Clone, Debug)]
pub struct Occurrence {
    /// Where the name is (for calls: the last segment).
    pub span: Span,
    /// Where the whole dotted callee is (calls), else the same as `span`.
    pub full_span: Span,
    /// What it refers to.
    pub target: Target,
}

/// A parsed document with its functions and occurrences.
#[derive(Debug, Default)]
pub struct Analysis {
    /// The parser's output (recovered program and every syntax error).
    pub parse: ParseOutput,
    /// The functions defined, in source order.
    pub functions: Vec<FunctionInfo>,
    /// Every name occurrence, in source order.
    pub occurrences: Vec<Occurrence>,
}

impl Analysis {
    /// Parses and analyses `text`.
    pub fn new(text: &str) -> Analysis {
        let parse = parse(text);
        let functions: Vec<FunctionInfo> = parse
            .program
            .functions
            .iter()
            .map(|f| function_info(text, f))
            .collect();
        let occurrences = Walker::occurrences(&parse.program, &functions);
        Analysis {
            parse,
            functions,
            occurrences,
        }
    }

    /// The occurrence under byte `offset` (touching its start or end counts).
    pub fn occurrence_at(&self, offset: usize) -> Option<&Occurrence> {
        let offset = offset as u32;
        self.occurrences
            .iter()
            .find(|o| o.span.start <= offset && offset <= o.span.end)
    }

    /// The scope at `offset`: `i + 1` inside function `i`, else 0.
    pub fn scope_at(&self, offset: usize) -> usize {
        let offset = offset as u32;
        self.functions
            .iter()
            .position(|f| f.span.start <= offset && offset <= f.span.end)
            .map_or(0, |i| i + 1)
    }

    /// The variables of `scope` with the type of their latest assignment before `offset`.
    pub fn variables_in(&self, scope: usize, offset: usize) -> Vec<(String, Option<ValueType>)> {
        let mut seen: Vec<(String, Option<ValueType>)> = Vec::new();
        for occurrence in &self.occurrences {
            let Target::Variable {
                scope: s,
                name,
                def: true,
                ty,
                ..
            } = &occurrence.target
            else {
                continue;
            };
            if *s != scope {
                continue;
            }
            let before = (occurrence.span.start as usize) < offset;
            match seen.iter_mut().find(|(n, _)| n == name) {
                Some(entry) if before => entry.1 = *ty,
                Some(_) => {}
                None => seen.push((name.clone(), if before { *ty } else { None })),
            }
        }
        seen
    }
}

fn function_info(text: &str, def: &FunctionDef) -> FunctionInfo {
    let name: Vec<&str> = def.name.iter().map(|i| &*i.name).collect();
    FunctionInfo {
        name: name.join("."),
        name_span: def.name.last().map_or(def.span, |i| i.span),
        return_type: def.return_type.name.to_string(),
        params: def
            .params
            .iter()
            .map(|p| (p.ty.name.to_string(), p.name.name.to_string()))
            .collect(),
        span: def.span,
        doc: leading_comment(text, def.span.start as usize),
        type_spans: std::iter::once(def.return_type.span)
            .chain(def.params.iter().map(|p| p.ty.span))
            .collect(),
    }
}

/// The comment directly above byte `start` (line comments or one block comment), unmarked.
pub fn leading_comment(text: &str, start: usize) -> Option<String> {
    let before = text.get(..start)?.trim_end();
    if let Some(body) = before.strip_suffix("*/") {
        let open = body.rfind("/*")?;
        let lines: Vec<&str> = body[open + 2..]
            .lines()
            .map(|l| l.trim().trim_start_matches('*').trim())
            .collect();
        let doc = lines.join("\n").trim().to_owned();
        return (!doc.is_empty()).then_some(doc);
    }
    let mut lines: Vec<&str> = before
        .lines()
        .rev()
        .map(str::trim)
        .take_while(|l| l.starts_with("//"))
        .map(|l| l.trim_start_matches('/').trim())
        .collect();
    lines.reverse();
    let doc = lines.join("\n").trim().to_owned();
    (!doc.is_empty()).then_some(doc)
}

/// Walks one program in source order, recording occurrences and variable types.
struct Walker {
    scope: usize,
    params: Vec<String>,
    env: TypeEnv,
    out: Vec<Occurrence>,
}

impl Walker {
    fn occurrences(program: &Program, functions: &[FunctionInfo]) -> Vec<Occurrence> {
        let mut env = TypeEnv::default();
        for f in functions {
            env.functions.insert(
                f.short_name().to_ascii_lowercase(),
                from_name(&f.return_type),
            );
        }
        let mut walker = Walker {
            scope: 0,
            params: Vec::new(),
            env,
            out: Vec::new(),
        };
        walker.block(&program.body);
        for (index, def) in program.functions.iter().enumerate() {
            walker.function(index, def);
        }
        walker.out.sort_by_key(|o| o.span.start);
        walker.out
    }

    fn function(&mut self, index: usize, def: &FunctionDef) {
        self.scope = index + 1;
        self.env.variables.clear();
        self.params = def.params.iter().map(|p| p.name.name.to_string()).collect();
        if let Some(last) = def.name.last() {
            let full = def.name[0].span.to(last.span);
            self.push(last.span, full, Target::FunctionName(index));
        }
        for param in &def.params {
            let ty = from_name(&param.ty.name);
            self.define(&param.name, ty);
        }
        self.block(&def.body);
    }

    fn push(&mut self, span: Span, full_span: Span, target: Target) {
        self.out.push(Occurrence {
            span,
            full_span,
            target,
        });
    }

    fn define(&mut self, ident: &Ident, ty: Option<ValueType>) {
        let name = ident.name.to_string();
        self.env.variables.insert(name.clone(), ty);
        let param = self.params.contains(&name);
        self.push(
            ident.span,
            ident.span,
            Target::Variable {
                scope: self.scope,
                name,
                def: true,
                param,
                ty,
            },
        );
    }

    /// A use of `ident` when it names a variable of the current scope.
    fn use_name(&mut self, ident: &Ident) -> bool {
        let Some(ty) = self.env.variables.get(&*ident.name).copied() else {
            return false;
        };
        let name = ident.name.to_string();
        let param = self.params.contains(&name);
        self.push(
            ident.span,
            ident.span,
            Target::Variable {
                scope: self.scope,
                name,
                def: false,
                param,
                ty,
            },
        );
        true
    }

    fn block(&mut self, block: &[Stmt]) {
        for stmt in block {
            self.stmt(stmt);
        }
    }

    fn stmt(&mut self, stmt: &Stmt) {
        match &stmt.kind {
            StmtKind::Assign { target, value, .. } => {
                self.expr(value);
                match target.as_slice() {
                    [single] => {
                        let ty = self.env.infer(value);
                        self.define(single, ty);
                    }
                    [head, ..] => {
                        self.use_name(head);
                    }
                    [] => {}
                }
            }
            StmtKind::Expr(e) | StmtKind::Info(e) | StmtKind::Alert(e) => self.expr(e),
            StmtKind::Return(e) => e.iter().for_each(|e| self.expr(e)),
            StmtKind::If {
                branches,
                otherwise,
            } => {
                for (cond, body) in branches {
                    self.expr(cond);
                    self.block(body);
                }
                otherwise.iter().for_each(|b| self.block(b));
            }
            StmtKind::ForEach {
                var,
                iterable,
                body,
            } => {
                self.expr(iterable);
                self.define(var, None);
                self.block(body);
            }
            StmtKind::ForEachIndex {
                var,
                iterable,
                body,
            } => {
                self.expr(iterable);
                self.define(var, Some(ValueType::Number));
                self.block(body);
            }
            StmtKind::Try { body, var, handler } => {
                self.block(body);
                self.define(var, Some(ValueType::Error));
                self.block(handler);
            }
            StmtKind::DeleteFrom(fetch) => self.fetch(fetch),
            StmtKind::UpdateRecord { fetch, value, .. } => {
                self.fetch(fetch);
                self.expr(value);
            }
            StmtKind::FieldUi { field, args, .. } => {
                if let Some(head) = field.first() {
                    self.use_name(head);
                }
                args.iter().for_each(|a| self.expr(a));
            }
            StmtKind::Break
            | StmtKind::Continue
            | StmtKind::FormUi { .. }
            | StmtKind::Cancel(_) => {}
        }
    }

    fn fetch(&mut self, fetch: &Fetch) {
        fetch.criteria.iter().for_each(|c| self.expr(c));
        if let Some((from, to)) = &fetch.range {
            self.expr(from);
            self.expr(to);
        }
    }

    fn expr(&mut self, expr: &Expr) {
        match &expr.kind {
            ExprKind::Path(path) => {
                if let Some(head) = path.first() {
                    self.use_name(head);
                }
            }
            ExprKind::Call { path, args } => {
                args.iter().for_each(|a| self.expr(a));
                self.call(path);
            }
            ExprKind::MethodCall {
                receiver,
                method,
                args,
            } => {
                self.expr(receiver);
                args.iter().for_each(|a| self.expr(a));
                let receiver = self.env.infer(receiver);
                let name = method.name.to_string();
                self.push(method.span, method.span, Target::Method { name, receiver });
            }
            ExprKind::Field { object, .. } => self.expr(object),
            ExprKind::Unary { operand, .. } => self.expr(operand),
            ExprKind::Binary { lhs, rhs, .. } => {
                self.expr(lhs);
                self.expr(rhs);
            }
            ExprKind::List(items) => items.iter().for_each(|e| self.expr(e)),
            ExprKind::Map(pairs) => {
                for (k, v) in pairs {
                    self.expr(k);
                    self.expr(v);
                }
            }
            ExprKind::Constructor { args, .. } => {
                for arg in args {
                    match arg {
                        ConstructorArg::Value(v) => self.expr(v),
                        ConstructorArg::Pair(k, v) => {
                            self.expr(k);
                            self.expr(v);
                        }
                    }
                }
            }
            ExprKind::Conditional {
                cond,
                then,
                otherwise,
            } => {
                self.expr(cond);
                self.expr(then);
                self.expr(otherwise);
            }
            ExprKind::Task(task) => self.task(task),
            ExprKind::Fetch(fetch) => self.fetch(fetch),
            ExprKind::Null
            | ExprKind::Bool(_)
            | ExprKind::Number(_)
            | ExprKind::Decimal(_)
            | ExprKind::Text(_)
            | ExprKind::SingleQuoted(_) => {}
        }
    }

    fn task(&mut self, task: &Task) {
        for param in &task.params {
            match &param.value {
                TaskValue::Expr(e) => self.expr(e),
                TaskValue::Tagged { value, record, .. } => {
                    self.expr(value);
                    if let Some((_, id)) = record {
                        self.expr(id);
                    }
                }
            }
        }
    }

    fn call(&mut self, path: &[Ident]) {
        let (Some(first), Some(last)) = (path.first(), path.last()) else {
            return;
        };
        if path.len() > 1 && self.use_name(first) {
            let receiver = self.env.variables.get(&*first.name).copied().flatten();
            let name = last.name.to_string();
            self.push(last.span, last.span, Target::Method { name, receiver });
            return;
        }
        let names = path.iter().map(|i| i.name.to_string()).collect();
        self.push(last.span, first.span.to(last.span), Target::Call(names));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn variables_get_types_and_functions_their_comment() {
        let text = "// Adds one.\nint inc(int n) { m = Map(); s = \"a\"; return n + 1; }";
        let analysis = Analysis::new(text);
        assert_eq!(analysis.functions[0].doc.as_deref(), Some("Adds one."));
        assert_eq!(analysis.functions[0].signature(), "int inc(int n)");
        let vars = analysis.variables_in(1, text.len());
        assert!(vars.contains(&("m".to_owned(), Some(ValueType::Map))));
        assert!(vars.contains(&("s".to_owned(), Some(ValueType::Text))));
        assert!(vars.contains(&("n".to_owned(), Some(ValueType::Number))));
    }

    #[test]
    fn calls_on_variables_are_methods_and_others_are_calls() {
        let analysis = Analysis::new("s = \"x\"; n = s.length(); standalone.f(n);");
        let targets: Vec<&Target> = analysis.occurrences.iter().map(|o| &o.target).collect();
        assert!(targets.iter().any(|t| matches!(t, Target::Method { name, receiver: Some(ValueType::Text) } if name == "length")));
        assert!(targets.contains(&&Target::Call(vec!["standalone".into(), "f".into()])));
    }
}
