//! The text layer (Modules/_io/textio.c, TextIOWrapper): decoding, universal newlines,
//! lines, and positions.
//!
//! As in CPython, text is pulled from the buffered layer in 8 KiB chunks, each chunk is
//! checked to decode as a whole as soon as it arrives (so a bad byte anywhere in it fails
//! the read that pulled it), and a write after reads lands at the buffered layer's
//! position, the end of the last chunk. Unlike CPython, the chunk stays bytes and only what
//! is handed out gets decoded, so `tell()` is always a plain byte offset rather than an
//! opaque cookie.

use std::borrow::Cow;

use crate::vm::value::Value;
use crate::vm::vm::Vm;
use crate::vm::PyResult;

use super::buffered::FileCore;
use super::codec::{self, Codec, DecodeFailure, Unit};
use super::errors::os_error;

/// TextIOWrapper's `_CHUNK_SIZE`.
const CHUNK_SIZE: usize = 8192;

/// The `newline` argument.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Newline {
    /// `None`: lines end at \n, \r or \r\n, all read as \n.
    Universal,
    /// `''`: lines end at \n, \r or \r\n, read untranslated.
    Any,
    Lf,
    Cr,
    CrLf,
}

impl Newline {
    /// `None` for an illegal value.
    pub(crate) fn parse(v: Option<&str>) -> Option<Newline> {
        Some(match v {
            None => Newline::Universal,
            Some("") => Newline::Any,
            Some("\n") => Newline::Lf,
            Some("\r") => Newline::Cr,
            Some("\r\n") => Newline::CrLf,
            Some(_) => return None,
        })
    }

    /// What `\n` becomes on write (os.linesep is `\n`, so only `\r` and `\r\n` change it).
    fn on_write(self) -> Option<&'static str> {
        match self {
            Newline::Cr => Some("\r"),
            Newline::CrLf => Some("\r\n"),
            _ => None,
        }
    }
}

/// Bits of the newline kinds seen, for the `newlines` attribute (textio.c SEEN_*).
const SEEN_LF: u8 = 1;
const SEEN_CR: u8 = 2;
const SEEN_CRLF: u8 = 4;

pub(crate) struct TextLayer {
    pub codec: Codec,
    /// The encoding as the program named it (the `encoding` attribute).
    pub encoding: String,
    pub errors: String,
    pub newline: Newline,
    pub line_buffering: bool,
    /// Whether the file can seek (cached at open, as TextIOWrapper does).
    pub seekable: bool,
    /// `tell()` is disabled while iterating with `next()`, as in CPython.
    pub telling: bool,
    /// Bytes pulled from the buffered layer; `buf[pos..]` has not been handed out.
    buf: Vec<u8>,
    pos: usize,
    /// `buf[..checked]` holds whole units that decode (or that the error handler accepts).
    checked: usize,
    /// `buf[..scanned]` has been scanned for the `newlines` attribute.
    scanned: usize,
    eof: bool,
    seen: u8,
    /// Decoded characters a `read(n)` could not return yet (an error handler's replacement
    /// can be several characters for one undecodable byte).
    carry: String,
    /// Encoded text not yet passed to the buffered layer: TextIOWrapper collects up to a
    /// chunk of it (`pending_bytes`) whatever the buffer size below.
    pending: Vec<u8>,
}

/// Where the current line ends, as far as the buffer shows.
enum LineEnd {
    At(usize),
    /// A `\r` at this index may be followed by `\n`: the next byte decides.
    NeedMore(usize),
    NotFound,
}

impl TextLayer {
    pub(crate) fn new(codec: Codec, encoding: String, errors: String, newline: Newline) -> TextLayer {
        TextLayer {
            codec,
            encoding,
            errors,
            newline,
            line_buffering: false,
            seekable: false,
            telling: false,
            buf: Vec::new(),
            pos: 0,
            checked: 0,
            scanned: 0,
            eof: false,
            seen: 0,
            carry: String::new(),
            pending: Vec::new(),
        }
    }

    /// Forgets what was pulled but not handed out (after a seek or a write).
    pub(crate) fn reset_read(&mut self) {
        self.buf.clear();
        self.pos = 0;
        self.checked = 0;
        self.scanned = 0;
        self.eof = false;
        self.carry.clear();
    }

    /// Forgets the newline kinds seen: CPython resets its decoder (and with it `newlines`)
    /// on a write and on a seek to the start or the end, but not on other seeks.
    pub(crate) fn reset_decoder(&mut self) {
        self.seen = 0;
    }

    /// Bytes pulled but not handed out: the text position is this much behind the buffered
    /// layer's.
    pub(crate) fn unconsumed(&self) -> usize {
        self.buf.len() - self.pos
    }

    fn translates(&self) -> bool {
        self.newline == Newline::Universal
    }

    /// Pulls more bytes (one chunk, or everything to end of file with `all`) and checks
    /// they decode. Returns false at end of file.
    fn pull(&mut self, core: &mut FileCore, vm: &mut Vm, all: bool) -> PyResult<bool> {
        if self.pos > 0 {
            self.buf.drain(..self.pos);
            self.checked -= self.pos;
            self.scanned = self.scanned.saturating_sub(self.pos);
            self.pos = 0;
        }
        let got = if all {
            core.read(vm, None)
        } else {
            core.read1(vm, Some(CHUNK_SIZE))
        };
        let got = got.map_err(|e| os_error(vm, e, None))?;
        // End of file is not sticky: a file can grow (or a truncate extend it) between
        // reads, and CPython asks the OS again each time.
        self.eof = got.is_empty() || all;
        self.buf.extend_from_slice(&got);
        let input = &self.buf[self.checked..];
        let (ok, failure) = codec::check(self.codec, input, self.eof);
        if let Some(fail) = failure {
            // The strict handler (or an unknown one) raises here; the others apply later,
            // as the text is handed out.
            if let Err(e) = codec::decode_replacement(self.codec, &self.errors, input, &fail, &mut String::new()) {
                // Drop the chunk, as CPython's decoder has consumed it: a program that
                // catches the error reads on instead of failing on it forever.
                self.buf.truncate(self.checked);
                return Err(e);
            }
        }
        self.checked += ok;
        self.scan_newlines();
        Ok(!got.is_empty())
    }

    /// Records the newline kinds in the newly checked bytes.
    fn scan_newlines(&mut self) {
        if !matches!(self.newline, Newline::Universal | Newline::Any) {
            return;
        }
        let mut i = self.scanned;
        while i < self.checked {
            match self.buf[i] {
                b'\n' => self.seen |= SEEN_LF,
                b'\r' => match self.buf.get(i + 1) {
                    Some(b'\n') => {
                        self.seen |= SEEN_CRLF;
                        i += 1;
                    }
                    Some(_) => self.seen |= SEEN_CR,
                    None if self.eof => self.seen |= SEEN_CR,
                    // Decided by the next chunk.
                    None => break,
                },
                _ => {}
            }
            i += 1;
        }
        self.scanned = i;
    }

    /// The `newlines` attribute: the kinds of line ending read so far.
    pub(crate) fn newlines(&self) -> Value {
        let kinds: Vec<Value> = [(SEEN_CR, "\r"), (SEEN_LF, "\n"), (SEEN_CRLF, "\r\n")]
            .iter()
            .filter(|(bit, _)| self.seen & bit != 0)
            .map(|(_, s)| Value::str(s))
            .collect();
        match kinds.len() {
            0 => Value::None,
            1 => kinds.into_iter().next().unwrap_or(Value::None),
            _ => Value::tuple(kinds),
        }
    }

    /// `\r\n` and `\r` read as `\n` (universal newlines).
    fn translate(&self, s: String) -> String {
        if self.translates() && s.contains('\r') {
            s.replace("\r\n", "\n").replace('\r', "\n")
        } else {
            s
        }
    }

    /// `read()`: everything to end of file.
    pub(crate) fn read_all(&mut self, core: &mut FileCore, vm: &mut Vm) -> PyResult<String> {
        self.write_flush(core, vm)?;
        self.pull(core, vm, true)?;
        let mut out = std::mem::take(&mut self.carry);
        let s = codec::decode(self.codec, &self.errors, &self.buf[self.pos..self.checked])?;
        self.pos = self.checked;
        out.push_str(&self.translate(s));
        Ok(out)
    }

    /// `read(n)`: at most `n` characters (fewer only at end of file).
    pub(crate) fn read_chars(&mut self, core: &mut FileCore, vm: &mut Vm, n: usize) -> PyResult<String> {
        self.write_flush(core, vm)?;
        self.eof = false;
        let mut out = String::new();
        let mut count = 0;
        while count < n {
            if let Some(c) = self.carry.chars().next() {
                self.carry.drain(..c.len_utf8());
                out.push(c);
                count += 1;
                continue;
            }
            if self.pos >= self.checked {
                if !self.pull(core, vm, false)? && self.pos >= self.checked {
                    break;
                }
                continue;
            }
            let translates = self.translates();
            let avail = &self.buf[self.pos..self.checked];
            // Fast path: a run of plain ASCII.
            let want = (n - count).min(avail.len());
            let run = avail[..want]
                .iter()
                .position(|&b| b >= 0x80 || (b == b'\r' && translates))
                .unwrap_or(want);
            if run > 0 {
                out.extend(avail[..run].iter().map(|&b| b as char));
                self.pos += run;
                count += run;
                continue;
            }
            if avail[0] == b'\r' && translates {
                if self.pos + 1 >= self.buf.len() && !self.eof {
                    self.pull(core, vm, false)?;
                    continue;
                }
                let crlf = self.buf.get(self.pos + 1) == Some(&b'\n');
                self.pos += 1 + crlf as usize;
                out.push('\n');
                count += 1;
                continue;
            }
            match codec::next_unit(self.codec, avail, self.eof) {
                Unit::Char(c, len) => {
                    out.push(c);
                    self.pos += len;
                    count += 1;
                }
                Unit::Invalid { len, reason } => {
                    let fail = DecodeFailure {
                        start: 0,
                        end: len,
                        reason,
                    };
                    let mut rep = String::new();
                    codec::decode_replacement(self.codec, &self.errors, avail, &fail, &mut rep)?;
                    self.pos += len;
                    self.carry = rep;
                }
                // `checked` never ends inside a character; pull to be safe.
                Unit::Incomplete => {
                    if !self.pull(core, vm, false)? {
                        break;
                    }
                }
            }
        }
        Ok(out)
    }

    /// Where the line starting at `self.pos` ends, looking from `from`.
    fn find_line_end(&self, from: usize) -> LineEnd {
        let b = &self.buf[..self.checked];
        let nl = self.newline;
        let is_end = |c: u8| match nl {
            Newline::Lf => c == b'\n',
            Newline::Cr | Newline::CrLf => c == b'\r',
            Newline::Universal | Newline::Any => c == b'\n' || c == b'\r',
        };
        let mut i = from;
        loop {
            let Some(j) = b
                .get(i..)
                .and_then(|rest| rest.iter().position(|&c| is_end(c)))
                .map(|off| i + off)
            else {
                return LineEnd::NotFound;
            };
            if b[j] == b'\n' || nl == Newline::Cr {
                return LineEnd::At(j + 1);
            }
            // A \r, in a mode where \r\n is one line ending.
            match self.buf.get(j + 1) {
                Some(b'\n') => return LineEnd::At(j + 2),
                Some(_) if nl != Newline::CrLf => return LineEnd::At(j + 1),
                None if !self.eof => return LineEnd::NeedMore(j),
                None if nl != Newline::CrLf => return LineEnd::At(j + 1),
                _ => i = j + 1,
            }
        }
    }

    /// `readline(limit)`: through the next line ending, at most `limit` characters.
    pub(crate) fn readline(&mut self, core: &mut FileCore, vm: &mut Vm, limit: Option<usize>) -> PyResult<String> {
        self.write_flush(core, vm)?;
        self.eof = false;
        if limit == Some(0) {
            return Ok(String::new());
        }
        if !self.carry.is_empty() {
            // Rare (after an error handler's replacement): go character by character.
            return self.readline_slow(core, vm, limit);
        }
        // Offsets from `pos`, which moves when a pull compacts the buffer.
        let mut from = 0;
        let end = loop {
            match self.find_line_end(self.pos + from) {
                LineEnd::At(end) => break end,
                LineEnd::NeedMore(i) => from = i - self.pos,
                LineEnd::NotFound => {
                    from = self.checked - self.pos;
                    // Enough characters for the limit already: no need to find the end.
                    if limit.is_some_and(|l| self.chars_at_least(self.pos, self.checked) >= l) {
                        break self.checked;
                    }
                }
            }
            if !self.pull(core, vm, false)? {
                // End of file: re-scan once with that known (a final \r ends a line).
                match self.find_line_end(self.pos + from) {
                    LineEnd::At(end) => break end,
                    _ => break self.checked,
                }
            }
        };
        let line = self.translate(codec::decode(self.codec, &self.errors, &self.buf[self.pos..end])?);
        if let Some(l) = limit {
            if line.chars().count() > l {
                // The line ending lies beyond the limit, so `read_chars` stops before it.
                return self.read_chars(core, vm, l);
            }
        }
        self.pos = end;
        Ok(line)
    }

    /// A lower bound of how many characters `buf[from..to]` decodes to (UTF-8: its lead
    /// bytes; an error handler may add replacements for stray continuation bytes).
    fn chars_at_least(&self, from: usize, to: usize) -> usize {
        match self.codec {
            Codec::Utf8 => self.buf[from..to]
                .iter()
                .filter(|&&b| !(0x80..0xC0).contains(&b))
                .count(),
            _ => to - from,
        }
    }

    /// readline one character at a time (only while `carry` holds characters).
    fn readline_slow(&mut self, core: &mut FileCore, vm: &mut Vm, limit: Option<usize>) -> PyResult<String> {
        let mut out = String::new();
        let mut n = 0;
        while limit.is_none_or(|l| n < l) {
            let c = self.read_chars(core, vm, 1)?;
            if c.is_empty() {
                break;
            }
            out.push_str(&c);
            n += 1;
            if c == "\n" || (c == "\r" && self.newline != Newline::Lf) {
                break;
            }
        }
        Ok(out)
    }

    /// `write(s)`: encodes `s` (with `\n` translated for newline='\r' or '\r\n') and
    /// collects it; returns the number of characters (textio.c `_io_TextIOWrapper_write_impl`).
    pub(crate) fn write(&mut self, core: &mut FileCore, vm: &mut Vm, s: &str) -> PyResult<usize> {
        let text: Cow<str> = match self.newline.on_write() {
            Some(nl) if s.contains('\n') => Cow::Owned(s.replace('\n', nl)),
            _ => Cow::Borrowed(s),
        };
        let bytes = codec::encode(self.codec, &self.errors, &text)?;
        let line_flush = self.line_buffering && (s.contains('\n') || s.contains('\r'));
        if !self.pending.is_empty() && self.pending.len() + bytes.len() > CHUNK_SIZE {
            self.write_flush(core, vm)?;
        }
        self.pending.extend_from_slice(&bytes);
        if self.pending.len() >= CHUNK_SIZE || line_flush {
            self.write_flush(core, vm)?;
        }
        if line_flush {
            core.flush(vm).map_err(|e| os_error(vm, e, None))?;
        }
        // CPython drops decoded-but-unread text on write; the write goes where the
        // buffered layer stands.
        self.reset_read();
        self.reset_decoder();
        Ok(s.chars().count())
    }

    /// Passes collected text to the buffered layer (`_textiowrapper_writeflush`); reads,
    /// seeks, `tell()`, `flush()` and `close()` do this first.
    pub(crate) fn write_flush(&mut self, core: &mut FileCore, vm: &mut Vm) -> PyResult<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let pending = std::mem::take(&mut self.pending);
        core.write(vm, &pending).map_err(|e| os_error(vm, e, None))?;
        Ok(())
    }

    /// The collected text, for finalizers that write it out themselves.
    pub(crate) fn take_pending(&mut self) -> Vec<u8> {
        std::mem::take(&mut self.pending)
    }
}
