//! Rendering uncaught exceptions as CPython does (Lib/traceback.py): chained causes and
//! contexts, one `File "…", line N, in f` entry per frame with its source line, collapsed
//! repeats, and the final `Type: message` line.

use std::fmt::Write;

use super::errors::PyErr;
use super::objects::TracebackEntry;
use super::value::Value;
use super::vm::Vm;

/// After this many identical consecutive entries, the rest are summarised
/// (traceback.py `_RECURSIVE_CUTOFF`).
const RECURSIVE_CUTOFF: usize = 3;

impl Vm {
    /// The full report for an uncaught exception, ending with a newline.
    pub fn format_exception(&mut self, err: &PyErr) -> String {
        let mut out = String::new();
        let mut seen = Vec::new();
        self.format_chain(err, &mut out, &mut seen);
        out
    }

    fn format_chain(&mut self, err: &PyErr, out: &mut String, seen: &mut Vec<usize>) {
        seen.push(std::sync::Arc::as_ptr(&err.0) as usize);
        let (cause, context, suppress) = {
            let st = err.state();
            (st.cause.clone(), st.context.clone(), st.suppress_context)
        };
        let chained = |v: &Option<Value>| match v {
            Some(Value::Instance(i)) if i.exc.is_some() => Some(PyErr(i.clone())),
            _ => None,
        };
        if let Some(c) = chained(&cause) {
            if !seen.contains(&(std::sync::Arc::as_ptr(&c.0) as usize)) {
                self.format_chain(&c, out, seen);
                out.push_str("\nThe above exception was the direct cause of the following exception:\n\n");
            }
        } else if let (Some(c), false) = (chained(&context), suppress) {
            if !seen.contains(&(std::sync::Arc::as_ptr(&c.0) as usize)) {
                self.format_chain(&c, out, seen);
                out.push_str("\nDuring handling of the above exception, another exception occurred:\n\n");
            }
        }
        // Entries are recorded as the exception travels outwards; print outermost first.
        let mut entries = err.state().traceback.clone();
        entries.reverse();
        if !entries.is_empty() {
            out.push_str("Traceback (most recent call last):\n");
            format_entries(&entries, out);
        }
        out.push_str(&self.exception_line(err));
        out.push('\n');
        if let Some(note) = err.state().note.clone() {
            out.push_str(&note);
            if !note.ends_with('\n') {
                out.push('\n');
            }
        }
    }

    /// `Type: message`, or just `Type` when the message is empty.
    pub fn exception_line(&mut self, err: &PyErr) -> String {
        let class = err.class().clone();
        let name = if matches!(&*class.module, "__main__" | "builtins") {
            class.qualname.to_string()
        } else {
            format!("{}.{}", class.module, class.qualname)
        };
        let mut msg = match self.str(&err.value()) {
            Ok(m) => m,
            Err(_) => "<exception str() failed>".to_string(),
        };
        let suggestion = err.state().suggestion.clone();
        if let Some(s) = suggestion.and_then(|s| s.resolve()) {
            msg.push_str(&format!(". Did you mean: '{}'?", s));
        }
        if msg.is_empty() {
            name
        } else {
            format!("{}: {}", name, msg)
        }
    }
}

fn format_entries(entries: &[TracebackEntry], out: &mut String) {
    let mut last: Option<(String, usize, String)> = None;
    let mut repeats = 0usize;
    for e in entries {
        let line = e.code.line_of(e.ip);
        let key = (e.code.filename().to_string(), line, e.code.name.to_string());
        if last.as_ref() == Some(&key) {
            repeats += 1;
            if repeats >= RECURSIVE_CUTOFF {
                continue;
            }
        } else {
            flush_repeats(out, repeats);
            repeats = 0;
            last = Some(key);
        }
        let _ = writeln!(
            out,
            "  File \"{}\", line {}, in {}",
            e.code.filename(),
            line,
            e.code.name
        );
        let text = e.code.source.line_text(line);
        let trimmed = text.trim_start();
        if !trimmed.is_empty() {
            let _ = writeln!(out, "    {}", trimmed.trim_end());
            if let Some(carets) = caret_line(e, text) {
                let _ = writeln!(out, "    {}", carets);
            }
        }
    }
    flush_repeats(out, repeats);
}

fn flush_repeats(out: &mut String, repeats: usize) {
    if repeats >= RECURSIVE_CUTOFF {
        let n = repeats - (RECURSIVE_CUTOFF - 1);
        let _ = writeln!(
            out,
            "  [Previous line repeated {} more time{}]",
            n,
            if n == 1 { "" } else { "s" }
        );
    }
}

/// `^^^^` under the failing expression, when it is not the whole line (as 3.11 does).
fn caret_line(e: &TracebackEntry, line_text: &str) -> Option<String> {
    let span = *e.code.spans.get(e.ip)?;
    let src = &e.code.source;
    let line = src.line_of(span.start);
    if src.line_of(span.end.saturating_sub(1).max(span.start)) != line {
        return None;
    }
    let indent = line_text.len() - line_text.trim_start().len();
    let start_col = src.column_of(span.start).saturating_sub(1);
    let end_col = src.column_of(span.end).saturating_sub(1);
    let content_len = line_text.trim().chars().count();
    let start = start_col.checked_sub(indent)?;
    let width = end_col.saturating_sub(start_col);
    if width == 0 || (start == 0 && width >= content_len) {
        return None;
    }
    Some(format!("{}{}", " ".repeat(start), "^".repeat(width)))
}
