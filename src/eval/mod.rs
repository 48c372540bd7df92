//! Running programs: values, the compiler to slot-resolved form, the interpreter and limits.

pub mod args;
pub mod builtin;
pub mod compile;
mod compile_call;
mod compile_expr;
mod compile_host;
pub mod context;
pub mod coverage;
pub mod date_ops;
pub mod date_parse;
pub mod env;
pub mod error;
pub mod failure;
pub mod host;
pub mod interp;
mod interp_expr;
mod interp_host;
mod interp_limits;
mod interp_loop;
mod interp_native;
pub mod ir;
pub mod json;
pub mod limits;
pub(crate) mod list_growth;
pub mod natives;
pub mod network;
pub mod number_block;
pub mod number_code;
pub mod number_text;
pub mod ops;
pub mod output;
pub mod progress;
pub mod render;
pub mod setting_names;
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
        Const::Decimal(d) => Value::decimal(*d),
        Const::DateTime(dt) => Value::date_time(*dt),
    }
}

/// A single-quoted literal as a DATE-TIME, when it is one (`'15-Aug-1947'`); else `None`
/// and the literal is TEXT.
pub fn datetime_literal(text: &str) -> Option<DateTime> {
    date_parse::parse_literal(text)
}
