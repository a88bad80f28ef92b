//! The platform boundary. Everything the core needs from the outside world goes through
//! [`Host`]: the native binary implements it with `std` (below), the wasm build with Node's `fs`
//! (`src/frontends/wasm.rs` + `shim/host.js`). Paths are strings with `/` separators.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum EntryKind {
    File,
    Dir,
    Link,
    Other,
    /// A name that is not valid UTF-8 (a folder, or anything else): it cannot be opened through
    /// a `/`-separated string path. The name given is [`escape_name`]'s.
    Undecodable { dir: bool },
}

/// A file name's bytes as text: valid UTF-8 as it is, every other byte as `\xNN`.
pub fn escape_name(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.push_str(chunk.valid());
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02X}"));
        }
    }
    out
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
    /// Replace a file's content atomically: a reader (or a crash at any moment) sees the old
    /// bytes or the new ones, never a mix or a cut. Through a symbolic link the file it leads to
    /// is replaced and the link is kept; the file's mode is kept. On `Err` the file is unchanged.
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
    /// Helpers for a batch of `jobs` independent jobs (the wasm build in Node: worker threads,
    /// each with its own core, running [`crate::check::read::serve_jobs`] on `request`). Returns
    /// how many helpers were started (0: none, the caller does every job itself). Helpers and
    /// caller take jobs with [`Host::next_job`] until none is left.
    fn start_jobs(&self, _request: &[u8], _jobs: usize) -> usize {
        0
    }
    /// The next job not yet taken by anyone (caller or helper) of the batch, `None` when all are.
    fn next_job(&self) -> Option<usize> {
        None
    }
    /// Waits for the helpers of the batch and returns what each one answered (in any order; a
    /// helper that failed gives nothing, and the caller does its jobs again).
    fn finish_jobs(&self) -> Vec<Vec<u8>> {
        Vec::new()
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

/// Is `path` (canonical) `root` (canonical) or inside it?
pub fn inside(path: &str, root: &str) -> bool {
    path == root || (path.starts_with(root) && (root.ends_with('/') || path.as_bytes().get(root.len()) == Some(&b'/')))
}

/// A path or name taken from a repository, made short and safe to print in a message: at most
/// `max` characters (then `…`), control characters escaped, no workflow command.
pub fn shown(s: &str, max: usize) -> String {
    let mut cut: String = s.chars().take(max).collect();
    if cut.len() < s.len() {
        cut.push('…');
    }
    crate::render::log_safe(&cut)
}

/// Read a file that the repository names (a registry in the config file, the config file found
/// in the checked folder, a Bicep `loadTextContent`, `.git/config`): the path must resolve,
/// links followed, inside `root`, be a regular file (no FIFO, device, socket or folder) and be
/// at most `limit` bytes. The error says why it was not read and never quotes the file.
/// Paths the user gives on the command line are read with [`Host::read_file`] instead.
pub fn read_confined(host: &dyn Host, root: &str, path: &str, limit: u64) -> Result<Vec<u8>, String> {
    let root_real = host.realpath(if root.is_empty() { "." } else { root }).ok_or_else(|| "the checked folder could not be resolved".to_string())?;
    let real = host.realpath(path).ok_or_else(|| "not found (or a broken or looping link)".to_string())?;
    if !inside(&real, &root_real) {
        return Err("it leads outside the checked folder (after following links); not read".into());
    }
    match host.stat(&real) {
        Some((EntryKind::File, size)) if size > limit => Err(format!("it is larger than {limit} bytes; not read")),
        Some((EntryKind::File, _)) => {
            let bytes = host.read_file(&real, limit.saturating_add(1))?;
            if bytes.len() as u64 > limit {
                return Err(format!("it is larger than {limit} bytes; not read"));
            }
            Ok(bytes)
        }
        Some((EntryKind::Dir, _)) => Err("it is a folder, not a file; not read".into()),
        _ => Err("it is not a regular file (a FIFO, device or socket); not read".into()),
    }
}

#[cfg(not(target_arch = "wasm32"))]
pub mod native {
    use super::{EntryKind, Host};
    use std::io::Read;

    /// The real file system and environment.
    pub struct NativeHost;

    /// Open for reading without waiting for a writer (FIFO) or a device.
    fn open_nonblocking(path: &str) -> std::io::Result<std::fs::File> {
        let mut o = std::fs::OpenOptions::new();
        o.read(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            #[cfg(any(target_os = "linux", target_os = "android"))]
            const O_NONBLOCK: i32 = if cfg!(any(target_arch = "mips", target_arch = "mips64")) { 0x80 } else { 0o4000 };
            #[cfg(not(any(target_os = "linux", target_os = "android")))]
            const O_NONBLOCK: i32 = 0x0004; // macOS and the BSDs
            o.custom_flags(O_NONBLOCK);
        }
        o.open(path)
    }

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

    /// [`Host::write_file`] natively: write a temporary file in the target's folder (created
    /// new, never an existing name), copy the target's mode (and owner, when allowed), flush it
    /// to the disk, rename it over the target, then flush the folder. Any failure before the
    /// rename removes the temporary file and leaves the target as it was.
    pub fn replace_file(path: &std::path::Path, data: &[u8]) -> Result<(), String> {
        use std::io::Write;
        // Through a link: replace what it leads to, keep the link.
        let target = match std::fs::symlink_metadata(path) {
            Ok(m) if m.file_type().is_symlink() => std::fs::canonicalize(path).map_err(|e| format!("the symbolic link could not be followed: {e}"))?,
            _ => path.to_path_buf(),
        };
        let meta = match std::fs::metadata(&target) {
            Ok(m) if !m.is_file() => return Err("not a regular file; not written".into()),
            Ok(m) => Some(m),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => None,
            Err(e) => return Err(e.to_string()),
        };
        let name = target.file_name().ok_or("not a file name")?.to_string_lossy().into_owned();
        let dir = match target.parent() {
            Some(d) if !d.as_os_str().is_empty() => d.to_path_buf(),
            _ => std::path::PathBuf::from("."),
        };
        let (tmp, mut file) = {
            let mut tries = 0;
            loop {
                let mut r = [0u8; 4];
                let _ = getrandom::getrandom(&mut r);
                let tmp = dir.join(format!(".{name}.cua-check-{}-{:08x}.tmp", std::process::id(), u32::from_le_bytes(r)));
                let mut o = std::fs::OpenOptions::new();
                o.write(true).create_new(true);
                #[cfg(unix)]
                {
                    use std::os::unix::fs::OpenOptionsExt;
                    o.mode(0o600);
                }
                match o.open(&tmp) {
                    Ok(f) => break (tmp, f),
                    Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists && tries < 16 => tries += 1,
                    Err(e) => return Err(format!("no temporary file could be created next to it: {e}")),
                }
            }
        };
        let written = (|| -> std::io::Result<()> {
            file.write_all(data)?;
            if let Some(m) = &meta {
                #[cfg(unix)]
                {
                    use std::os::unix::fs::MetadataExt;
                    let _ = std::os::unix::fs::fchown(&file, Some(m.uid()), Some(m.gid()));
                }
                file.set_permissions(m.permissions())?;
            }
            file.sync_all()?;
            drop(file);
            std::fs::rename(&tmp, &target)
        })();
        if let Err(e) = written {
            let _ = std::fs::remove_file(&tmp);
            return Err(e.to_string());
        }
        // The rename itself reaches the disk with the folder.
        if let Ok(d) = std::fs::File::open(&dir) {
            let _ = d.sync_all();
        }
        Ok(())
    }

    impl Host for NativeHost {
        fn read_dir(&self, path: &str) -> Result<Vec<(String, EntryKind)>, String> {
            let rd = std::fs::read_dir(path).map_err(|e| e.to_string())?;
            let mut out = Vec::new();
            for e in rd.flatten() {
                let k = e.file_type().map(kind).unwrap_or(EntryKind::Other);
                match e.file_name().into_string() {
                    Ok(n) => out.push((n, k)),
                    // Not UTF-8: said (the walk reports it), not dropped.
                    Err(raw) => {
                        #[cfg(unix)]
                        let name = super::escape_name(std::os::unix::ffi::OsStrExt::as_bytes(raw.as_os_str()));
                        #[cfg(not(unix))]
                        let name = raw.to_string_lossy().into_owned();
                        let dir = k == EntryKind::Dir || (k == EntryKind::Link && std::fs::metadata(e.path()).is_ok_and(|m| m.is_dir()));
                        out.push((name, EntryKind::Undecodable { dir }));
                    }
                }
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
            // The walk reads regular files only: opened without blocking (a FIFO swapped in
            // cannot hang the run) and checked once open.
            let f = open_nonblocking(path).map_err(|e| e.to_string())?;
            let meta = f.metadata().map_err(|e| e.to_string())?;
            if !meta.is_file() {
                return Err("not a regular file (a FIFO, device or socket); not read".into());
            }
            let size = meta.len();
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
            replace_file(std::path::Path::new(path), data)
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
