//! Running programs: values, the compiler to slot-resolved form, the interpreter and limits.

pub mod compile;
mod compile_expr;
pub mod context;
pub mod coverage;
mod date_ops;
pub mod env;
pub mod error;
pub mod host;
pub mod interp;
mod interp_expr;
mod interp_host;
mod interp_native;
pub mod ir;
pub mod json;
pub mod limits;
pub mod natives;
pub mod ops;
pub mod output;
pub mod progress;
pub mod render;
pub mod suggest;
pub mod typed_list;
pub mod usage;
pub mod value;
pub mod zoho_settings;

use ir::Const;
use value::{DateTime, Value};

/// The run-time value of a compiled constant.
pub(crate) fn const_value(c: &Const) -> Value {
    match c {
        Const::Text(t) => Value::text(&**t),
        Const::Decimal(d) => Value::Decimal(*d),
        Const::DateTime(dt) => Value::DateTime(*dt),
    }
}

/// A single-quoted literal as a DATE-TIME, when it is one (`'15-Aug-1947'`); else `None`
/// and the literal is TEXT.
pub(crate) fn datetime_literal(text: &str) -> Option<DateTime> {
    crate::stdlib::datetime::parse_literal(text)
}
