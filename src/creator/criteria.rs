//! Creator criteria (`Status == "Open" && Amount > limit`) to an SQL `WHERE` clause with
//! bound parameters. Values are never written into the SQL text.
//!
//! Text comparisons (`==`, `!=`, `in`, `.contains()`, `.startsWith()`, `.endsWith()`) ignore
//! letter case, as Creator's record search does for users (docs/decisions-local.md). `== null` / `is null` match empty fields (null
//! or the empty text); `!=` and `not in` also match records whose field is empty.

use rusqlite::types::Value as Sql;

use super::schema::{system_field, FieldType, Form};
use super::store::quote;
use super::values::{encode, is_empty};
use crate::eval::value::{CollectionData, Value};
use crate::syntax::ast::{BinaryOp, Expr, ExprKind, Ident, StmtKind, UnaryOp};

/// A translated criteria: the `WHERE` text and its parameters in order.
#[derive(Debug, Default)]
pub struct Where {
    /// SQL with `?` placeholders.
    pub sql: String,
    /// The bound values.
    pub params: Vec<Sql>,
}

/// What the translator needs from its caller: script values and the app's other forms.
pub trait CriteriaScope {
    /// The value of a path that is not a field (`limit`, `rec.ID`, `input.Region`,
    /// `zoho.currentdate`), or `None` when no such value exists.
    fn value(&self, path: &[&str]) -> Option<Value>;
    /// Another form of the app (for `Lookup_Field.Related_Field` criteria).
    fn form(&self, name: &str) -> Option<Form>;
}

/// Translates `criteria` on `form` (empty criteria: every record).
pub fn translate(form: &Form, criteria: &str, scope: &dyn CriteriaScope) -> Result<Where, String> {
    let mut out = Where::default();
    if criteria.trim().is_empty() {
        out.sql = "1".to_owned();
        return Ok(out);
    }
    let expr = parse(criteria)?;
    let mut t = Translator {
        form,
        scope,
        params: &mut out.params,
    };
    out.sql = t.condition(&expr)?;
    Ok(out)
}

/// Parses the criteria text as a Deluge expression.
fn parse(criteria: &str) -> Result<Expr, String> {
    let parsed = crate::syntax::parse(&format!("__criteria = {criteria};"));
    if let Some(error) = parsed.errors.first() {
        return Err(format!(
            "cannot read the criteria `{criteria}`: {}",
            error.message
        ));
    }
    match parsed.program.body.into_iter().next().map(|s| s.kind) {
        Some(StmtKind::Assign { value, .. }) => Ok(value),
        _ => Err(format!("cannot read the criteria `{criteria}`")),
    }
}

struct Translator<'a> {
    form: &'a Form,
    scope: &'a dyn CriteriaScope,
    params: &'a mut Vec<Sql>,
}

/// A field a criteria names: its column and type, or a field of a looked-up record.
enum FieldRef {
    Column {
        column: String,
        kind: FieldType,
    },
    Related {
        column: String,
        form: Form,
        path: Vec<String>,
    },
}

impl Translator<'_> {
    fn condition(&mut self, e: &Expr) -> Result<String, String> {
        match &e.kind {
            ExprKind::Binary { op: BinaryOp::And, lhs, rhs } => {
                Ok(format!("({} AND {})", self.condition(lhs)?, self.condition(rhs)?))
            }
            ExprKind::Binary { op: BinaryOp::Or, lhs, rhs } => {
                Ok(format!("({} OR {})", self.condition(lhs)?, self.condition(rhs)?))
            }
            ExprKind::Unary { op: UnaryOp::Not, operand } => {
                Ok(format!("(NOT COALESCE({}, 0))", self.condition(operand)?))
            }
            ExprKind::Binary { op, lhs, rhs } => self.comparison(*op, lhs, rhs),
            ExprKind::Call { path, args } if path.len() >= 2 => self.method(path, args),
            ExprKind::Path(path) => match self.field(path)? {
                Some(FieldRef::Column { column, kind: FieldType::Boolean }) => {
                    Ok(format!("{column} = 1"))
                }
                _ => Err(format!("`{}` is not a condition", join(path))),
            },
            ExprKind::Bool(true) => Ok("1".to_owned()),
            ExprKind::Bool(false) => Ok("0".to_owned()),
            _ => Err("a criteria is made of comparisons of fields (`Field == value`) joined by && and ||".to_owned()),
        }
    }

    /// The field a path names, if its head is a field of the form (or a system field).
    fn field(&self, path: &[Ident]) -> Result<Option<FieldRef>, String> {
        let Some(head) = path.first() else {
            return Ok(None);
        };
        let (name, kind) = if let Some(system) = system_field(&head.name) {
            let kind = match system {
                "ID" => FieldType::Number,
                "Added_Time" | "Modified_Time" => FieldType::DateTime,
                _ => FieldType::Text,
            };
            (system.to_owned(), kind)
        } else if let Some(field) = self.form.field(&head.name) {
            (field.name.clone(), field.kind.clone())
        } else {
            return Ok(None);
        };
        let column = quote(&name);
        if path.len() == 1 {
            return Ok(Some(FieldRef::Column { column, kind }));
        }
        match kind {
            FieldType::Lookup(target) => {
                let form = self.scope.form(&target).ok_or_else(|| {
                    format!("the lookup `{name}` refers to form `{target}`, which the app does not have")
                })?;
                let path = path[1..].iter().map(|i| i.name.to_string()).collect();
                Ok(Some(FieldRef::Related { column, form, path }))
            }
            _ => Err(format!(
                "`{}`: field `{name}` of form `{}` is not a lookup, so it has no field `{}`",
                join(path),
                self.form.name,
                path[1].name
            )),
        }
    }

    /// `field` when the path is a field; an error naming the form when it is neither a field
    /// nor a script value.
    /// The left side of a comparison is a field when it names one; the right side a script
    /// value when a variable of that name exists (`ID == id`).
    fn operand(&self, e: &Expr, field_first: bool) -> Result<Operand, String> {
        if let ExprKind::Path(path) = &e.kind {
            let names: Vec<&str> = path.iter().map(|i| &*i.name).collect();
            if !field_first {
                if let Some(v) = self.scope.value(&names) {
                    return Ok(Operand::Value(v));
                }
            }
            if let Some(field) = self.field(path)? {
                return Ok(Operand::Field(field));
            }
            return match self.scope.value(&names) {
                Some(v) => Ok(Operand::Value(v)),
                None if path.len() == 1 => Err(self.form.unknown_field(&path[0].name)),
                None => Err(format!(
                    "`{}` is neither a field of form `{}` nor a variable",
                    join(path),
                    self.form.name
                )),
            };
        }
        literal(e, self.scope).map(Operand::Value)
    }

    fn comparison(&mut self, op: BinaryOp, lhs: &Expr, rhs: &Expr) -> Result<String, String> {
        let left = self.operand(lhs, true)?;
        let right = self.operand(rhs, false)?;
        match (left, right) {
            (Operand::Field(f), Operand::Value(v)) => self.compare(f, op, &v),
            (Operand::Value(v), Operand::Field(f)) => match op {
                BinaryOp::In => self.list_contains(f, &v, false),
                BinaryOp::NotIn => self.list_contains(f, &v, true),
                _ => self.compare(f, flip(op), &v),
            },
            (Operand::Field(a), Operand::Field(b)) => match (a, b, sql_op(op)) {
                (
                    FieldRef::Column { column: a, .. },
                    FieldRef::Column { column: b, .. },
                    Some(o),
                ) => Ok(format!("{a} {o} {b}")),
                _ => Err(
                    "fields can be compared with each other only by ==, !=, <, <=, > and >="
                        .to_owned(),
                ),
            },
            (Operand::Value(_), Operand::Value(_)) => Err(
                "each comparison in a criteria needs a field of the form on one side".to_owned(),
            ),
        }
    }

    fn compare(&mut self, field: FieldRef, op: BinaryOp, value: &Value) -> Result<String, String> {
        let (column, kind) = match field {
            FieldRef::Column { column, kind } => (column, kind),
            FieldRef::Related { column, form, path } => {
                return self.related(column, &form, &path, op, value)
            }
        };
        if matches!(op, BinaryOp::In | BinaryOp::NotIn) {
            return self.in_list(&column, &kind, value, op == BinaryOp::NotIn);
        }
        let Some(o) = sql_op(op) else {
            return Err(format!(
                "`{}` is not a comparison a criteria can use",
                op_text(op)
            ));
        };
        if is_empty(value) {
            return Ok(match op {
                BinaryOp::Eq => format!("({column} IS NULL OR {column} = '')"),
                BinaryOp::Ne => format!("({column} IS NOT NULL AND {column} <> '')"),
                _ => "0".to_owned(),
            });
        }
        let (lhs, param, collate) = self.typed(&column, &kind, value)?;
        self.params.push(param);
        let test = format!("{lhs} {o} ?{collate}");
        Ok(if op == BinaryOp::Ne {
            format!("({column} IS NULL OR {test})")
        } else {
            test
        })
    }

    /// The column expression, parameter and collation to compare `column` with `value`.
    fn typed(
        &self,
        column: &str,
        kind: &FieldType,
        value: &Value,
    ) -> Result<(String, Sql, &'static str), String> {
        let encoded = |k: &FieldType| {
            encode(k, value).map_err(|why| {
                format!(
                    "the criteria compares field {} of form `{}`, which {why}",
                    column, self.form.name
                )
            })
        };
        Ok(match kind {
            FieldType::Text => (column.to_owned(), encoded(kind)?, " COLLATE NOCASE"),
            FieldType::Decimal => (format!("CAST({column} AS REAL)"), real(encoded(kind)?), ""),
            FieldType::Number if matches!(value, Value::Decimal(d) if !d.fract().is_zero()) => {
                (column.to_owned(), real(encoded(&FieldType::Decimal)?), "")
            }
            FieldType::MultiSelect => (
                format!("(SELECT group_concat(value) FROM json_each({column}))"),
                encoded(&FieldType::Text)?,
                " COLLATE NOCASE",
            ),
            FieldType::Subform(_) | FieldType::Json => {
                return Err(format!(
                    "field {column} of form `{}` ({}) cannot be compared in a criteria",
                    self.form.name,
                    kind.describe()
                ))
            }
            _ => (column.to_owned(), encoded(kind)?, ""),
        })
    }

    fn in_list(
        &mut self,
        column: &str,
        kind: &FieldType,
        value: &Value,
        negate: bool,
    ) -> Result<String, String> {
        let items = list_items(value);
        if items.is_empty() {
            return Ok(if negate { "1" } else { "0" }.to_owned());
        }
        let mut marks = Vec::with_capacity(items.len());
        let mut lhs = column.to_owned();
        let mut collate = "";
        for item in &items {
            let (l, param, c) = self.typed(column, kind, item)?;
            lhs = l;
            collate = c;
            self.params.push(param);
            marks.push("?");
        }
        let test = format!("{lhs}{collate} IN ({})", marks.join(", "));
        Ok(if negate {
            format!("({column} IS NULL OR NOT ({test}))")
        } else {
            test
        })
    }

    /// `"x" in Tags` on a multi-select: the list field holds the value.
    fn list_contains(
        &mut self,
        field: FieldRef,
        value: &Value,
        negate: bool,
    ) -> Result<String, String> {
        let FieldRef::Column {
            column,
            kind: FieldType::MultiSelect,
        } = field
        else {
            return Err("`value in Field` needs a multi-select field; write `Field in list` to test a field against a list".to_owned());
        };
        self.params
            .push(encode(&FieldType::Text, value).map_err(|why| format!("the value {why}"))?);
        let test =
            format!("EXISTS (SELECT 1 FROM json_each({column}) WHERE value = ? COLLATE NOCASE)");
        Ok(if negate { format!("NOT {test}") } else { test })
    }

    /// `Lookup.Field op value`: the lookup's ID is one of the matching related records.
    fn related(
        &mut self,
        column: String,
        form: &Form,
        path: &[String],
        op: BinaryOp,
        value: &Value,
    ) -> Result<String, String> {
        let field = form
            .field(&path[0])
            .map(|f| f.name.clone())
            .or_else(|| system_field(&path[0]).map(str::to_owned))
            .ok_or_else(|| form.unknown_field(&path[0]))?;
        let inner_form = form.clone();
        let mut inner = Translator {
            form: &inner_form,
            scope: self.scope,
            params: self.params,
        };
        let ident = |name: &str| Ident {
            name: name.into(),
            span: crate::syntax::span::Span::default(),
        };
        let target = inner
            .field(&[ident(&field)])?
            .ok_or_else(|| form.unknown_field(&field))?;
        let condition = inner.compare(target, op, value)?;
        Ok(format!(
            "{column} IN (SELECT ID FROM {} WHERE {condition})",
            quote(&form.name)
        ))
    }

    /// `Field.contains(x)`, `.startsWith(x)`, `.endsWith(x)`, `.isEmpty()` and their case-insensitive twins.
    fn method(&mut self, path: &[Ident], args: &[Expr]) -> Result<String, String> {
        let (method, field_path) = path.split_last().ok_or("empty criteria")?;
        let Some(field) = self.field(field_path)? else {
            return Err(self.form.unknown_field(&field_path[0].name));
        };
        let FieldRef::Column { column, kind } = field else {
            return Err("`.contains()` and its kin apply to the form's own fields".to_owned());
        };
        let name = method.name.to_ascii_lowercase();
        if name == "isempty" {
            return Ok(format!("({column} IS NULL OR {column} = '')"));
        }
        let [arg] = args else {
            return Err(format!(
                "`.{}()` in a criteria takes one value",
                method.name
            ));
        };
        let value = literal(arg, self.scope)?;
        if kind == FieldType::MultiSelect && name == "contains" {
            return self.list_contains(FieldRef::Column { column, kind }, &value, false);
        }
        let text = crate::eval::render::display(&value);
        let escaped = text
            .replace('\\', "\\\\")
            .replace('%', "\\%")
            .replace('_', "\\_");
        let pattern = match name.as_str() {
            "contains" | "containsignorecase" => format!("%{escaped}%"),
            "startswith" | "startswithignorecase" => format!("{escaped}%"),
            "endswith" | "endswithignorecase" => format!("%{escaped}"),
            "equalsignorecase" => escaped,
            _ => return Err(format!("`.{}()` cannot be used in a criteria (use contains, startsWith, endsWith or isEmpty)", method.name)),
        };
        self.params.push(Sql::Text(pattern));
        Ok(format!("{column} LIKE ? ESCAPE '\\'"))
    }
}

enum Operand {
    Field(FieldRef),
    Value(Value),
}

/// The value of a non-field operand: a literal, a list of literals, a script value.
fn literal(e: &Expr, scope: &dyn CriteriaScope) -> Result<Value, String> {
    Ok(match &e.kind {
        ExprKind::Null => Value::Null,
        ExprKind::Bool(b) => Value::Bool(*b),
        ExprKind::Number(n) => Value::Number(*n),
        ExprKind::Decimal(d) => Value::decimal(*d),
        ExprKind::Text(t) => Value::text(&**t),
        ExprKind::SingleQuoted(t) => crate::stdlib::datetime::parse_literal(t)
            .map(Value::date_time)
            .unwrap_or_else(|| Value::text(&**t)),
        ExprKind::Unary { op: UnaryOp::Neg, operand } => match literal(operand, scope)? {
            Value::Number(n) => Value::Number(-n),
            Value::Decimal(d) => Value::decimal(-*d),
            _ => return Err("`-` applies to numbers".to_owned()),
        },
        ExprKind::Map(entries) if entries.is_empty() => Value::list_from(Vec::new()),
        ExprKind::List(items) => {
            let values = items.iter().map(|i| literal(i, scope)).collect::<Result<Vec<_>, _>>()?;
            Value::list_from(values)
        }
        ExprKind::Path(path) => {
            let names: Vec<&str> = path.iter().map(|i| &*i.name).collect();
            scope.value(&names).ok_or_else(|| format!("`{}` is not a variable", join(path)))?
        }
        ExprKind::Binary { op, lhs, rhs } if sql_op(*op).is_none() && !matches!(op, BinaryOp::And | BinaryOp::Or | BinaryOp::In | BinaryOp::NotIn) => {
            crate::eval::ops::binary(*op, &literal(lhs, scope)?, &literal(rhs, scope)?)?
        }
        ExprKind::Call { path, args } if path.len() >= 2 => {
            let (method, receiver) = path.split_last().ok_or("empty call")?;
            let names: Vec<&str> = receiver.iter().map(|i| &*i.name).collect();
            let value = scope
                .value(&names)
                .ok_or_else(|| format!("`{}` is not a variable", join(receiver)))?;
            call_method(value, &method.name, args, scope)?
        }
        ExprKind::MethodCall { receiver, method, args } => {
            call_method(literal(receiver, scope)?, &method.name, args, scope)?
        }
        _ => return Err("this value is too complex for a criteria run locally: assign it to a variable before the fetch and compare with the variable".to_owned()),
    })
}

/// A built-in method on a value inside a criteria (`input.Email.trim()`, `today.addDay(-30)`).
fn call_method(
    receiver: Value,
    method: &str,
    args: &[Expr],
    scope: &dyn CriteriaScope,
) -> Result<Value, String> {
    let mut values = vec![receiver];
    for arg in args {
        values.push(literal(arg, scope)?);
    }
    let entries = crate::stdlib::builtins_named(method);
    let builtin = crate::eval::builtin::dispatch(entries, values.first().map(Value::value_type))
        .ok_or_else(|| {
            format!("`{method}` is not a built-in method, so a criteria cannot call it")
        })?;
    let env = crate::eval::env::RunEnv::default();
    let mut ctx = crate::eval::context::NativeCtx::new(&env);
    builtin
        .call(&mut ctx, &values)
        .map_err(|failure| failure.to_string())
}

fn list_items(value: &Value) -> Vec<Value> {
    match value {
        Value::List(l) => l.borrow().clone(),
        Value::Collection(c) => match &*c.borrow() {
            CollectionData::List(items) => items.clone(),
            _ => Vec::new(),
        },
        Value::Null => Vec::new(),
        other => vec![other.clone()],
    }
}

fn real(param: Sql) -> Sql {
    match param {
        Sql::Text(t) => t.parse::<f64>().map(Sql::Real).unwrap_or(Sql::Text(t)),
        other => other,
    }
}

fn sql_op(op: BinaryOp) -> Option<&'static str> {
    Some(match op {
        BinaryOp::Eq => "=",
        BinaryOp::Ne => "<>",
        BinaryOp::Lt => "<",
        BinaryOp::Le => "<=",
        BinaryOp::Gt => ">",
        BinaryOp::Ge => ">=",
        _ => return None,
    })
}

fn op_text(op: BinaryOp) -> &'static str {
    match op {
        BinaryOp::Add => "+",
        BinaryOp::Sub => "-",
        BinaryOp::Mul => "*",
        BinaryOp::Div => "/",
        _ => "this operator",
    }
}

/// The same comparison with its sides swapped (`5 < Qty` is `Qty > 5`).
fn flip(op: BinaryOp) -> BinaryOp {
    match op {
        BinaryOp::Lt => BinaryOp::Gt,
        BinaryOp::Le => BinaryOp::Ge,
        BinaryOp::Gt => BinaryOp::Lt,
        BinaryOp::Ge => BinaryOp::Le,
        other => other,
    }
}

fn join(path: &[Ident]) -> String {
    path.iter().map(|i| &*i.name).collect::<Vec<_>>().join(".")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::creator::schema::Field;

    struct Vars(Vec<(&'static str, Value)>);

    impl CriteriaScope for Vars {
        fn value(&self, path: &[&str]) -> Option<Value> {
            let [name] = path else { return None };
            self.0
                .iter()
                .find(|(n, _)| n == name)
                .map(|(_, v)| v.clone())
        }

        fn form(&self, _: &str) -> Option<Form> {
            None
        }
    }

    fn orders() -> Form {
        let field = |name: &str, kind| Field {
            name: name.into(),
            kind,
            required: false,
        };
        Form {
            name: "Orders".into(),
            fields: vec![
                field("Status", FieldType::Text),
                field("Qty", FieldType::Number),
                field("Price", FieldType::Decimal),
                field("Tags", FieldType::MultiSelect),
                field("Lines", FieldType::Subform("Lines".into())),
                field("Customer", FieldType::Lookup("Customers".into())),
            ],
            declared: true,
        }
    }

    fn sql(criteria: &str, vars: Vec<(&'static str, Value)>) -> Result<String, String> {
        let w = translate(&orders(), criteria, &Vars(vars))?;
        Ok(format!("{} {:?}", w.sql, w.params))
    }

    #[test]
    fn values_are_bound_parameters_never_sql_text() {
        let hostile = Value::text("x' OR 1=1 --");
        assert_eq!(
            sql("Status == s && Qty > 2", vec![("s", hostile)]).unwrap(),
            r#"("Status" = ? COLLATE NOCASE AND "Qty" > ?) [Text("x' OR 1=1 --"), Integer(2)]"#
        );
    }

    #[test]
    fn comparisons_translate_by_field_type() {
        assert_eq!(
            sql("Price >= 2.50 || Status != \"Void\"", vec![]).unwrap(),
            r#"(CAST("Price" AS REAL) >= ? OR ("Status" IS NULL OR "Status" <> ? COLLATE NOCASE)) [Real(2.5), Text("Void")]"#
        );
        assert_eq!(
            sql("Status.startsWith(\"50%_\")", vec![]).unwrap(),
            r#""Status" LIKE ? ESCAPE '\' [Text("50\\%\\_%")]"#
        );
        assert_eq!(
            sql("Qty in {1, 2} && \"rush\" in Tags", vec![]).unwrap(),
            r#"("Qty" IN (?, ?) AND EXISTS (SELECT 1 FROM json_each("Tags") WHERE value = ? COLLATE NOCASE)) [Integer(1), Integer(2), Text("rush")]"#
        );
        assert_eq!(sql("Qty in {}", vec![]).unwrap(), "0 []");
        assert_eq!(sql("", vec![]).unwrap(), "1 []");
    }

    #[test]
    fn criteria_that_cannot_run_say_why() {
        assert_eq!(
            sql("Lines == 1", vec![]).unwrap_err(),
            "field \"Lines\" of form `Orders` (a subform (a LIST of rows)) cannot be compared in a criteria"
        );
        assert_eq!(sql("Qty", vec![]).unwrap_err(), "`Qty` is not a condition");
        assert_eq!(
            sql("Qty + 1", vec![]).unwrap_err(),
            "`+` is not a comparison a criteria can use"
        );
        assert_eq!(
            sql("\"text\"", vec![]).unwrap_err(),
            "a criteria is made of comparisons of fields (`Field == value`) joined by && and ||"
        );
        assert_eq!(
            sql("1 == 1", vec![]).unwrap_err(),
            "each comparison in a criteria needs a field of the form on one side"
        );
        assert_eq!(
            sql("Status.Name == \"x\"", vec![]).unwrap_err(),
            "`Status.Name`: field `Status` of form `Orders` is not a lookup, so it has no field `Name`"
        );
        assert_eq!(
            sql("Customer.Name == \"x\"", vec![]).unwrap_err(),
            "the lookup `Customer` refers to form `Customers`, which the app does not have"
        );
        assert_eq!(
            sql("\"x\" in Status", vec![]).unwrap_err(),
            "`value in Field` needs a multi-select field; write `Field in list` to test a field against a list"
        );
        assert_eq!(
            sql("Status.matches(\"a\")", vec![]).unwrap_err(),
            "`.matches()` cannot be used in a criteria (use contains, startsWith, endsWith or isEmpty)"
        );
        assert_eq!(
            sql("Status == rec.Name", vec![]).unwrap_err(),
            "`rec.Name` is neither a field of form `Orders` nor a variable"
        );
        assert_eq!(
            sql("Status == (", vec![]).unwrap_err().split(':').next(),
            Some("cannot read the criteria `Status == (`")
        );
    }
}
