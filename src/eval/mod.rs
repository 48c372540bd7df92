//! Running programs: values, the compiler to slot-resolved form, the interpreter and limits.

pub mod context;
pub mod env;
pub mod limits;
pub mod render;
pub mod value;
