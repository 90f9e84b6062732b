//! `gilsim bench`: measurements run side by side with CPython in one go.
//!
//! `--interp` times the interpreter itself on classic workloads against `python3`.
//! `--phenomena` measures what the lock does (CPU-bound threads, I/O overlap, switch slices,
//! lost updates, the convoy effect) beside CPython.

mod child;
pub mod gil;
pub mod interp;
