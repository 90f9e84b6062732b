//! `gilsim bench`: measurements run side by side with CPython in one go.
//!
//! `--interp` times the interpreter itself on classic workloads against `python3`.
//! (The threads-vs-processes experiment joins this module with the threading work.)

pub mod interp;
