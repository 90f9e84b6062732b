//! Writing a rendered trace: to a file atomically (an interrupted run never leaves a
//! truncated file that looks valid), or to standard output.

use std::fs::{self, File};
use std::io::{self, Write};
use std::path::{Path, PathBuf};

/// The temporary file next to `path` that is renamed onto it: same directory, so the
/// rename stays on one filesystem and is atomic.
fn temp_path(path: &Path) -> io::Result<PathBuf> {
    let name = path
        .file_name()
        .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "the output path names no file"))?;
    let mut temp = std::ffi::OsString::from(".");
    temp.push(name);
    temp.push(format!(".tmp-{}", std::process::id()));
    Ok(path.with_file_name(temp))
}

/// Writes `contents` to `path`: into a temporary file in the same directory, synced to
/// disk, then renamed into place. On any error the temporary file is removed and `path`
/// is left as it was.
pub fn write_atomically(path: &Path, contents: &[u8]) -> io::Result<()> {
    let temp = temp_path(path)?;
    let result = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(contents)?;
        file.sync_all()?;
        drop(file);
        fs::rename(&temp, path)
    })();
    if result.is_err() {
        let _ = fs::remove_file(&temp);
        return result;
    }
    // Make the rename itself durable; not every platform can sync a directory, and the
    // file is already complete either way, so failure here is not an error.
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// Writes to `out`; a reader that went away (`gilsim … | head`) is not an error.
fn write_quietly(out: &mut impl Write, contents: &[u8]) -> io::Result<()> {
    match out.write_all(contents).and_then(|()| out.flush()) {
        Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Writes a rendering to `path`, or to standard output when there is none or it is `-`.
pub fn write_output(path: Option<&Path>, contents: &[u8]) -> io::Result<()> {
    match path {
        Some(p) if p.as_os_str() != "-" => write_atomically(p, contents),
        _ => write_quietly(&mut io::stdout().lock(), contents),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A fresh, empty directory for one test.
    fn scratch(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("gilsim-output-{name}-{}", std::process::id()));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn entries(dir: &Path) -> Vec<String> {
        let mut names: Vec<String> = fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect();
        names.sort();
        names
    }

    #[test]
    fn writes_and_replaces_leaving_no_temp_file() {
        let dir = scratch("replace");
        let path = dir.join("trace.json");
        write_atomically(&path, b"first").unwrap();
        write_atomically(&path, b"second, longer").unwrap();
        assert_eq!(fs::read(&path).unwrap(), b"second, longer");
        assert_eq!(entries(&dir), ["trace.json"]);
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn a_failed_write_leaves_the_old_file_and_no_temp_file() {
        let dir = scratch("fail");
        // The target is a non-empty directory: the rename fails after the temp file exists.
        let path = dir.join("out.svg");
        fs::create_dir(&path).unwrap();
        fs::write(path.join("keep"), b"x").unwrap();
        assert!(write_atomically(&path, b"data").is_err());
        assert_eq!(entries(&dir), ["out.svg"]);
        assert_eq!(entries(&path), ["keep"]);
        // A directory that does not exist fails cleanly too.
        assert!(write_atomically(&dir.join("missing/out.txt"), b"data").is_err());
        assert!(write_atomically(Path::new("/"), b"data").is_err());
        let _ = fs::remove_dir_all(&dir);
    }

    #[test]
    fn the_temp_file_is_hidden_beside_the_target() {
        let temp = temp_path(Path::new("/a/b/trace.svg")).unwrap();
        assert_eq!(
            temp,
            PathBuf::from(format!("/a/b/.trace.svg.tmp-{}", std::process::id()))
        );
    }

    struct ClosedPipe;

    impl Write for ClosedPipe {
        fn write(&mut self, _: &[u8]) -> io::Result<usize> {
            Err(io::Error::from(io::ErrorKind::BrokenPipe))
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    #[test]
    fn a_closed_reader_is_silent_but_other_errors_are_not() {
        assert!(write_quietly(&mut ClosedPipe, b"trace").is_ok());
        let mut full = [0u8; 2];
        let mut short = &mut full[..];
        assert!(write_quietly(&mut short, b"trace").is_err());
        let mut buf = Vec::new();
        write_quietly(&mut buf, b"trace").unwrap();
        assert_eq!(buf, b"trace");
    }
}
