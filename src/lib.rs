//! gilsim: a Python-subset bytecode interpreter whose threads are real OS threads behind a
//! modelled global interpreter lock.

pub mod syntax;
