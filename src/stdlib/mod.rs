//! The built-in functions and methods, one file per value type.

pub mod registry;
