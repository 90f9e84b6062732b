//! The messages between a parent and its worker processes, and their framing: each frame
//! is a 4-byte little-endian length followed by that many bytes of postcard. Requests go
//! down the worker's standard input; replies come back on a second pipe (see
//! [`super::spawn`] for why the worker's stdout is not used).

use std::io::{self, Read, Write};

use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};

use super::codec::Wire;

/// The largest frame either side accepts: a corrupt length cannot make it allocate more.
pub const MAX_FRAME: usize = 1 << 30;

/// Parent → worker.
#[derive(Serialize, Deserialize, Debug)]
pub enum Request {
    /// Always the first request: the parent's compiled library modules
    /// (`crate::library::image`), so the worker need not compile them again.
    Preload { image: Vec<u8> },
    /// Call `func(*args, **kwargs)` and reply with [`Reply::Ok`] or [`Reply::Err`].
    Call {
        id: u64,
        func: Wire,
        args: Vec<Wire>,
        kwargs: Vec<(String, Wire)>,
    },
    /// `Process.start()`: run `func(*args, **kwargs)` as the process's whole life, then exit
    /// with its exit code (Lib/multiprocessing/process.py `BaseProcess._bootstrap`).
    Run {
        func: Wire,
        args: Vec<Wire>,
        kwargs: Vec<(String, Wire)>,
    },
    /// Reply with [`Reply::Stats`].
    Stats,
    /// Finish: run the exit handlers and exit 0.
    Shutdown,
}

/// Worker → parent.
#[derive(Serialize, Deserialize, Debug)]
pub enum Reply {
    /// The main module was imported; the worker serves requests from now on.
    Ready {
        pid: u32,
        startup_us: u64,
    },
    Ok {
        id: u64,
        value: Wire,
    },
    /// The call raised `exc`; `traceback` is its traceback as text, as the worker printed it.
    Err {
        id: u64,
        exc: Wire,
        traceback: String,
    },
    Stats(WorkerStats),
}

/// What a worker reports about itself for `--processes N`.
#[derive(Serialize, Deserialize, Debug, Clone, Default)]
pub struct WorkerStats {
    pub pid: u32,
    pub startup_us: u64,
    pub cpu_us: u64,
    pub held_us: u64,
    pub waiting_us: u64,
    pub blocked_us: u64,
    pub threads: u32,
    pub switches: u64,
    pub forced_drops: u64,
    pub longest_hold_us: u64,
}

/// Writes one frame.
pub fn write_frame<T: Serialize>(w: &mut impl Write, msg: &T) -> io::Result<()> {
    let body = postcard::to_stdvec(msg).map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))?;
    if body.len() > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            format!("message of {} bytes is over the {} byte limit", body.len(), MAX_FRAME),
        ));
    }
    let mut frame = Vec::with_capacity(4 + body.len());
    frame.extend_from_slice(&(body.len() as u32).to_le_bytes());
    frame.extend_from_slice(&body);
    w.write_all(&frame)?;
    w.flush()
}

/// Reads one frame; `Ok(None)` when the other side closed the pipe between frames.
pub fn read_frame<T: DeserializeOwned>(r: &mut impl Read) -> io::Result<Option<T>> {
    let mut len = [0u8; 4];
    let mut got = 0;
    while got < 4 {
        match r.read(&mut len[got..]) {
            Ok(0) if got == 0 => return Ok(None),
            Ok(0) => return Err(io::ErrorKind::UnexpectedEof.into()),
            Ok(n) => got += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    let len = u32::from_le_bytes(len) as usize;
    if len > MAX_FRAME {
        return Err(io::Error::new(
            io::ErrorKind::InvalidData,
            "frame length over the limit",
        ));
    }
    let mut body = vec![0u8; len];
    r.read_exact(&mut body)?;
    postcard::from_bytes(&body)
        .map(Some)
        .map_err(|e| io::Error::new(io::ErrorKind::InvalidData, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn frames_round_trip_and_eof_is_none() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &Request::Stats).unwrap();
        write_frame(
            &mut buf,
            &Reply::Ok {
                id: 7,
                value: Wire::Str("x".into()),
            },
        )
        .unwrap();
        let mut r = &buf[..];
        assert!(matches!(read_frame::<Request>(&mut r).unwrap(), Some(Request::Stats)));
        assert!(matches!(
            read_frame::<Reply>(&mut r).unwrap(),
            Some(Reply::Ok { id: 7, .. })
        ));
        assert!(read_frame::<Reply>(&mut r).unwrap().is_none());
    }

    #[test]
    fn truncated_frame_is_an_error() {
        let mut buf = Vec::new();
        write_frame(&mut buf, &Request::Shutdown).unwrap();
        buf.pop();
        buf.push(0);
        buf.truncate(3);
        assert!(read_frame::<Request>(&mut &buf[..]).is_err());
    }
}
