//! The value type of an expression when it can be seen without running it: literals,
//! constructors, variables assigned such values, built-ins with a declared result.

use std::collections::HashMap;

use deluge_lang::eval::value::ValueType;
use deluge_lang::stdlib::{builtins_named, dispatch};
use deluge_lang::syntax::ast::{BinaryOp, ConstructorKind, Expr, ExprKind};

/// Every type name the LSP shows, as Deluge users know them (`ValueType::name`).
const TYPES: [ValueType; 10] = [
    ValueType::Bool,
    ValueType::Number,
    ValueType::Decimal,
    ValueType::Text,
    ValueType::DateTime,
    ValueType::List,
    ValueType::Map,
    ValueType::Collection,
    ValueType::File,
    ValueType::Error,
];

/// The value type a type name stands for: a registry result (`TEXT`, `KEY-VALUE`) or a declared
/// parameter or return type (`String`, `int`, `map`, `list`, `bool`, `date`, ...).
pub fn from_name(name: &str) -> Option<ValueType> {
    let lower = name.trim().to_ascii_lowercase();
    let declared = match lower.as_str() {
        "string" | "text" => Some(ValueType::Text),
        "int" | "number" | "long" | "bigint" => Some(ValueType::Number),
        "decimal" | "float" | "double" => Some(ValueType::Decimal),
        "bool" | "boolean" => Some(ValueType::Bool),
        "map" | "key-value" => Some(ValueType::Map),
        "list" => Some(ValueType::List),
        "date" | "datetime" | "date-time" | "timestamp" => Some(ValueType::DateTime),
        "collection" => Some(ValueType::Collection),
        "file" => Some(ValueType::File),
        _ => None,
    };
    declared.or_else(|| {
        TYPES
            .into_iter()
            .find(|t| t.name().eq_ignore_ascii_case(&lower))
    })
}

/// The types known so far for the variables of one scope, and the return types of the file's
/// functions, used to type expressions in source order.
#[derive(Default)]
pub struct TypeEnv {
    /// Variable name -> its type after the latest assignment seen, when known.
    pub variables: HashMap<String, Option<ValueType>>,
    /// Lower-cased function short name -> declared return type.
    pub functions: HashMap<String, Option<ValueType>>,
}

impl TypeEnv {
    /// The type of `expr` when it is known without running it.
    pub fn infer(&self, expr: &Expr) -> Option<ValueType> {
        match &expr.kind {
            ExprKind::Bool(_) => Some(ValueType::Bool),
            ExprKind::Number(_) => Some(ValueType::Number),
            ExprKind::Decimal(_) => Some(ValueType::Decimal),
            ExprKind::Text(_) => Some(ValueType::Text),
            ExprKind::List(_) => Some(ValueType::List),
            ExprKind::Map(_) => Some(ValueType::Map),
            ExprKind::Constructor { kind, .. } => Some(match kind {
                ConstructorKind::List => ValueType::List,
                ConstructorKind::Map => ValueType::Map,
                ConstructorKind::Collection => ValueType::Collection,
            }),
            ExprKind::Path(path) if path.len() == 1 => {
                self.variables.get(&*path[0].name).copied().flatten()
            }
            ExprKind::Path(path) => zoho_value(path.iter().map(|i| &*i.name)),
            ExprKind::Call { path, .. } => self.call(path),
            ExprKind::MethodCall {
                receiver, method, ..
            } => method_result(&method.name, self.infer(receiver)),
            ExprKind::Binary { op, lhs, rhs } => self.binary(*op, lhs, rhs),
            ExprKind::Unary { operand, .. } => self.infer(operand),
            ExprKind::Conditional { then, .. } => self.infer(then),
            _ => None,
        }
    }

    fn call(&self, path: &[deluge_lang::syntax::ast::Ident]) -> Option<ValueType> {
        let (last, prefix) = path.split_last()?;
        if let Some(head) = prefix.first() {
            if let Some(receiver) = self.variables.get(&*head.name) {
                return method_result(&last.name, *receiver);
            }
            if !matches!(
                head.name.to_ascii_lowercase().as_str(),
                "standalone" | "thisapp"
            ) {
                return None;
            }
        }
        let lower = last.name.to_ascii_lowercase();
        if let Some(declared) = self.functions.get(&lower) {
            return *declared;
        }
        if prefix.is_empty() {
            return method_result(&last.name, None);
        }
        None
    }

    fn binary(&self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Option<ValueType> {
        match op {
            BinaryOp::Add => {
                let (a, b) = (self.infer(lhs), self.infer(rhs));
                if a == Some(ValueType::Text) || b == Some(ValueType::Text) {
                    Some(ValueType::Text)
                } else if a == b {
                    a
                } else {
                    None
                }
            }
            BinaryOp::Sub | BinaryOp::Mul | BinaryOp::Rem => {
                let (a, b) = (self.infer(lhs), self.infer(rhs));
                (a == b).then_some(a).flatten()
            }
            BinaryOp::Div => None,
            _ => Some(ValueType::Bool),
        }
    }
}

/// The result type of built-in `name` applied to a receiver of type `receiver`.
pub fn method_result(name: &str, receiver: Option<ValueType>) -> Option<ValueType> {
    let builtin = dispatch(builtins_named(name), receiver)?;
    from_name(builtin.returns)
}

fn zoho_value<'a>(mut path: impl Iterator<Item = &'a str>) -> Option<ValueType> {
    let head = path.next()?;
    let rest = path.next()?;
    if !head.eq_ignore_ascii_case("zoho") || path.next().is_some() {
        return None;
    }
    match rest.to_ascii_lowercase().as_str() {
        "currentdate" | "currenttime" => Some(ValueType::DateTime),
        "loginuser" | "loginuserid" | "adminuser" | "adminuserid" | "appname" | "appuri" => {
            Some(ValueType::Text)
        }
        _ => None,
    }
}
