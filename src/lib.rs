//! gilsim: a Python-subset bytecode interpreter whose threads are real OS threads behind a
//! modelled global interpreter lock.
//!
//! Data flows one way: source → tokens → AST ([`syntax`]) → bytecode ([`compile`]) →
//! the VM ([`vm`]) with its built-ins ([`builtins`], [`modules`]); [`driver`] ties them up.

pub mod bench;
pub mod builtins;
pub mod clock;
pub mod compile;
pub mod deterministic;
pub mod driver;
pub mod gil;
pub mod library;
pub mod modules;
pub mod process;
pub mod signals;
pub mod syntax;
pub mod threads;
pub mod trace;
pub mod vm;
