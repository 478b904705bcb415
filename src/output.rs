//! Files brikg writes (exports, split files, manifests, validation reports): each is written
//! under a temporary name beside its target and renamed into place once complete, so a failure
//! (a bad graph name, a full disk, Ctrl-C) never leaves half a file where a whole one is expected,
//! and a reader never sees one being written.

use crate::error::{Error, Result};
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};

/// Where a command's data goes: standard output, or a file written atomically.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Destination {
    Stdout,
    File(PathBuf),
}

impl Destination {
    /// `-` and no path both mean standard output.
    pub fn from_arg(path: Option<&Path>) -> Self {
        match path {
            Some(p) if p.as_os_str() != "-" => Destination::File(p.to_owned()),
            _ => Destination::Stdout,
        }
    }

    /// The file's path, if it is one.
    pub fn path(&self) -> Option<&Path> {
        match self {
            Destination::Stdout => None,
            Destination::File(p) => Some(p),
        }
    }

    /// Runs `write` on a buffered writer to this destination; a file appears only when `write`
    /// succeeded and everything is flushed.
    pub fn write<T>(&self, write: impl FnOnce(&mut dyn Write) -> Result<T>) -> Result<T> {
        match self {
            Destination::Stdout => {
                let mut out = BufWriter::new(std::io::stdout().lock());
                let value = write(&mut out)?;
                out.flush().map_err(Error::Output)?;
                Ok(value)
            }
            Destination::File(path) => write_atomically(path, write),
        }
    }
}

/// Writes `path` through a temporary file in the same directory, renamed over `path` when
/// `write` succeeded; on any error the temporary file is removed and `path` is untouched.
pub fn write_atomically<T>(
    path: &Path,
    write: impl FnOnce(&mut dyn Write) -> Result<T>,
) -> Result<T> {
    let io = |e: std::io::Error| Error::Io {
        path: path.to_owned(),
        source: e,
    };
    let dir = match path.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    // Mode 0666 before the umask, as any other file the user creates.
    let temp = tempfile::Builder::new()
        .prefix(&format!(".{name}."))
        .suffix(".partial")
        .permissions(file_permissions())
        .tempfile_in(dir)
        .map_err(io)?;
    let value = {
        let mut out = BufWriter::new(temp.as_file());
        let value = write(&mut out)?;
        out.flush().map_err(io)?;
        value
    };
    temp.persist(path).map_err(|e| io(e.error))?;
    Ok(value)
}

#[cfg(unix)]
fn file_permissions() -> std::fs::Permissions {
    use std::os::unix::fs::PermissionsExt;
    std::fs::Permissions::from_mode(0o666)
}

#[cfg(not(unix))]
fn file_permissions() -> std::fs::Permissions {
    std::fs::metadata(".")
        .map(|m| m.permissions())
        .expect("the working directory exists")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_failed_write_leaves_nothing_and_keeps_the_old_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ttl");
        std::fs::write(&path, "old").unwrap();
        let result: Result<()> = write_atomically(&path, |w| {
            w.write_all(b"half").unwrap();
            Err(Error::Usage("stopped".into()))
        });
        assert_eq!(result.unwrap_err().to_string(), "stopped");
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "old");
        let names: Vec<_> = std::fs::read_dir(dir.path())
            .unwrap()
            .map(|e| e.unwrap().file_name())
            .collect();
        assert_eq!(names, vec![std::ffi::OsString::from("out.ttl")]);
    }

    #[test]
    fn a_successful_write_replaces_the_file() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("out.ttl");
        std::fs::write(&path, "old").unwrap();
        let n = write_atomically(&path, |w| {
            w.write_all(b"new").map_err(Error::Output)?;
            Ok(3)
        })
        .unwrap();
        assert_eq!(n, 3);
        assert_eq!(std::fs::read_to_string(&path).unwrap(), "new");
    }
}
