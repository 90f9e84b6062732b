//! The `mode` argument of `open()`: its checks in the order CPython makes them
//! (Modules/_io/_iomodule.c `_io_open_impl`, then Modules/_io/fileio.c for a mode without
//! r/w/a/x) and what it means for the descriptor.

use crate::vm::PyResult;

use super::errors::value_error;

#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Mode {
    pub creating: bool,
    pub reading: bool,
    pub writing: bool,
    pub appending: bool,
    pub updating: bool,
    pub text: bool,
    pub binary: bool,
}

impl Mode {
    /// Decodes `mode`, given whether `encoding`, `errors` and `newline` were passed.
    pub(crate) fn parse(mode: &str, encoding: bool, errors: bool, newline: bool) -> PyResult<Mode> {
        let mut m = Mode::default();
        let invalid = || value_error(format!("invalid mode: '{mode}'"));
        for (i, c) in mode.char_indices() {
            let flag = match c {
                'x' => &mut m.creating,
                'r' => &mut m.reading,
                'w' => &mut m.writing,
                'a' => &mut m.appending,
                '+' => &mut m.updating,
                't' => &mut m.text,
                'b' => &mut m.binary,
                _ => return Err(invalid()),
            };
            *flag = true;
            if mode[i + c.len_utf8()..].contains(c) {
                return Err(invalid());
            }
        }
        if m.text && m.binary {
            return Err(value_error("can't have text and binary mode at once"));
        }
        let kinds = [m.creating, m.reading, m.writing, m.appending];
        if kinds.iter().filter(|&&k| k).count() > 1 {
            return Err(value_error("must have exactly one of create/read/write/append mode"));
        }
        if m.binary {
            for (given, what) in [(encoding, "an encoding"), (errors, "an errors"), (newline, "a newline")] {
                if given {
                    return Err(value_error(format!("binary mode doesn't take {what} argument")));
                }
            }
        }
        if !kinds.contains(&true) {
            return Err(value_error(
                "Must have exactly one of create/read/write/append mode and at most one plus",
            ));
        }
        Ok(m)
    }

    pub(crate) fn readable(&self) -> bool {
        self.reading || self.updating
    }

    pub(crate) fn writable(&self) -> bool {
        !self.reading || self.updating
    }

    /// The flags for open(2).
    pub(crate) fn flags(&self) -> libc::c_int {
        let access = if self.updating {
            libc::O_RDWR
        } else if self.reading {
            libc::O_RDONLY
        } else {
            libc::O_WRONLY
        };
        let extra = if self.creating {
            libc::O_CREAT | libc::O_EXCL
        } else if self.writing {
            libc::O_CREAT | libc::O_TRUNC
        } else if self.appending {
            libc::O_CREAT | libc::O_APPEND
        } else {
            0
        };
        access | extra
    }

    /// FileIO's `mode` attribute (fileio.c `mode_string`): 'w+' shows as 'rb+'.
    pub(crate) fn raw_mode(&self) -> &'static str {
        match (self.creating, self.appending, self.readable(), self.writable()) {
            (true, _, true, _) => "xb+",
            (true, _, false, _) => "xb",
            (_, true, true, _) => "ab+",
            (_, true, false, _) => "ab",
            (_, _, true, true) => "rb+",
            (_, _, true, false) => "rb",
            _ => "wb",
        }
    }
}
