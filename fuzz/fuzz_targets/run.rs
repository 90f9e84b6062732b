//! Source to a run: what compiles runs in this process with an instruction budget
//! (`driver::run_contained`), so that infinite loops end. Nothing may panic; the exit
//! status is 0 or 1 (or what `sys.exit` asked for); an uncaught exception names its line.
//!
//! Only programs `driver::containable` accepts run: no threads, processes, `os`, sleeps or
//! stdin (see docs/RELIABILITY.md). Their output is discarded. Files they open land in a
//! scratch directory, the working directory while they run, emptied after every input.

#![no_main]

use std::path::PathBuf;

use gilsim::driver::{compile_source, containable, run_contained};
use gilsim::syntax::source::SourceFile;
use libfuzzer_sys::fuzz_target;

/// Instructions per input: about a millisecond of interpretation.
const BUDGET: u64 = 100_000;

fn scratch() -> PathBuf {
    std::env::temp_dir().join(format!("gilsim-fuzz-run-{}", std::process::id()))
}

fn empty_scratch() {
    if let Ok(entries) = std::fs::read_dir(".") {
        for e in entries.flatten() {
            let p = e.path();
            let _ = if p.is_dir() {
                std::fs::remove_dir_all(&p)
            } else {
                std::fs::remove_file(&p)
            };
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let src = SourceFile::new("fuzz.py", text);
    let Ok(compiled) = compile_source(&src, false) else {
        return;
    };
    if !containable(&compiled) {
        return;
    }
    // The working directory changes only while the program runs: libFuzzer starts its
    // children (-fork, -merge, -minimize_crash) by a path relative to the original one.
    let home = std::env::current_dir().expect("working directory");
    let dir = scratch();
    std::fs::create_dir_all(&dir).expect("scratch directory");
    std::env::set_current_dir(&dir).expect("cd to the scratch directory");
    // `import name` finds nothing: the directory does not exist.
    let run = run_contained(&compiled, &dir.join("no-modules"), BUDGET);
    empty_scratch();
    std::env::set_current_dir(&home).expect("cd back");
    if !run.system_exit {
        assert!(run.code == 0 || run.code == 1, "{run:?}");
        if run.code == 1 {
            assert!(run.report.contains("File \"fuzz.py\", line "), "{run:?}");
        }
    }
});
