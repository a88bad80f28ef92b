//! The platform boundary. Everything the core needs from the outside world goes through
//! [`Host`]: the native binary implements it with `std` (below), the wasm build with Node's `fs`
//! (`src/frontends/wasm.rs` + `shim/host.js`). Paths are strings with `/` separators.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Link,
    Other,
}

pub trait Host {
    /// Entries of a folder (not following links), in any order.
    fn read_dir(&self, path: &str) -> Result<Vec<(String, EntryKind)>, String>;
    /// Kind and size, following links; `None` when missing or a dangling/looping link.
    fn stat(&self, path: &str) -> Option<(EntryKind, u64)>;
    /// Canonical absolute path (links resolved).
    fn realpath(&self, path: &str) -> Option<String>;
    /// Read at most `limit` bytes.
    fn read_file(&self, path: &str, limit: u64) -> Result<Vec<u8>, String>;
    /// Open a file and learn its size, then read its first `max` bytes, or nothing when the
    /// size is over `limit`. Returns the bytes and the size (never less than the bytes read).
    /// One open for both, so the walk needs no `stat` per file and a file can be judged from
    /// its first bytes.
    fn read_start(&self, path: &str, max: u64, limit: u64) -> Result<(Vec<u8>, u64), String> {
        let mut bytes = self.read_file(path, limit.saturating_add(1).max(max))?;
        let size = bytes.len() as u64;
        bytes.truncate(usize::try_from(max).unwrap_or(usize::MAX));
        Ok((bytes, size))
    }
    fn write_file(&self, path: &str, data: &[u8]) -> Result<(), String>;
    fn env(&self, name: &str) -> Option<String>;
    /// Is standard output a terminal (for colour)?
    fn is_tty(&self) -> bool;
    /// 16 random bytes (for `new-id`).
    fn random_bytes(&self) -> [u8; 16];
    /// This host, if it may be used from several threads at once (then files are read and
    /// checked in parallel).
    fn shared(&self) -> Option<&(dyn Host + Sync)> {
        None
    }
}

/// Join a folder and a name with `/`.
pub fn join(dir: &str, name: &str) -> String {
    if dir.is_empty() || dir == "." {
        name.to_string()
    } else if dir.ends_with('/') {
        format!("{dir}{name}")
    } else {
        format!("{dir}/{name}")
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::{EntryKind, Host};
    use std::io::Read;

    /// The real file system and environment.
    pub struct NativeHost;

    fn kind(ft: std::fs::FileType) -> EntryKind {
        if ft.is_symlink() {
            EntryKind::Link
        } else if ft.is_dir() {
            EntryKind::Dir
        } else if ft.is_file() {
            EntryKind::File
        } else {
            EntryKind::Other
        }
    }

    impl Host for NativeHost {
        fn read_dir(&self, path: &str) -> Result<Vec<(String, EntryKind)>, String> {
            let rd = std::fs::read_dir(path).map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            for e in rd.flatten() {
                let name = match e.file_name().into_string() {
                    Ok(n) => n,
                    Err(_) => continue, // not UTF-8: cannot be named in a report
                };
                let k = e.file_type().map(kind).unwrap_or(EntryKind::Other);
                out.push((name, k));
            }
            Ok(out)
        }

        fn stat(&self, path: &str) -> Option<(EntryKind, u64)> {
            let m = std::fs::metadata(path).ok()?;
            Some((kind(m.file_type()), m.len()))
        }

        fn realpath(&self, path: &str) -> Option<String> {
            std::fs::canonicalize(path).ok().and_then(|p| p.into_os_string().into_string().ok())
        }

        fn read_file(&self, path: &str, limit: u64) -> Result<Vec<u8>, String> {
            let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
            let mut buf = Vec::new();
            f.take(limit).read_to_end(&mut buf).map_err(|e| e.to_string())?;
            Ok(buf)
        }

        fn read_start(&self, path: &str, max: u64, limit: u64) -> Result<(Vec<u8>, u64), String> {
            let f = std::fs::File::open(path).map_err(|e| e.to_string())?;
            let size = f.metadata().map(|m| m.len()).unwrap_or(0);
            if size > limit {
                return Ok((Vec::new(), size));
            }
            // Special files report size 0: read them up to `max` all the same.
            let cap = if size == 0 { 8192 } else { size.min(max) + 1 };
            let mut buf = Vec::with_capacity(usize::try_from(cap).unwrap_or(8192));
            f.take(max).read_to_end(&mut buf).map_err(|e| e.to_string())?;
            let size = size.max(buf.len() as u64);
            Ok((buf, size))
        }

        fn write_file(&self, path: &str, data: &[u8]) -> Result<(), String> {
            std::fs::write(path, data).map_err(|e| e.to_string())
        }

        fn env(&self, name: &str) -> Option<String> {
            std::env::var(name).ok()
        }

        fn is_tty(&self) -> bool {
            use std::io::IsTerminal;
            std::io::stdout().is_terminal()
        }

        fn shared(&self) -> Option<&(dyn Host + Sync)> {
            Some(self)
        }

        fn random_bytes(&self) -> [u8; 16] {
            let mut b = [0u8; 16];
            getrandom::getrandom(&mut b).expect("the operating system's random source");
            b
        }
    }
}
