'use strict';
// Platform access for the Rust core. The core calls these synchronously.
// Paths are used exactly as the core gives them (absolute, or relative to cwd).

const fs = require('fs');
const { createJobs } = require('./jobs');

function direntKind(d) {
  if (d.isSymbolicLink()) return 'link';
  if (d.isFile()) return 'file';
  if (d.isDirectory()) return 'dir';
  return 'other';
}

function statsKind(st) {
  if (st.isSymbolicLink()) return 'link';
  if (st.isFile()) return 'file';
  if (st.isDirectory()) return 'dir';
  return 'other';
}

// Copy into a plain Uint8Array (not a pooled Buffer slice).
function toUint8(buf, length) {
  const out = new Uint8Array(length);
  out.set(buf.subarray(0, length));
  return out;
}

function limitToNumber(limit) {
  if (limit === undefined || limit === null) return Infinity;
  const n = Number(limit); // the core may pass a BigInt (u64)
  if (Number.isNaN(n) || n < 0) return Infinity;
  return n;
}

function fdSize(fd) {
  try {
    return fs.fstatSync(fd).size;
  } catch {
    return 0;
  }
}

// Read at most `max` bytes from `fd`. Files may be special (size 0) or growing: read in
// chunks until EOF or `max`.
function readFd(fd, max, size, copy = true) {
  let cap = Math.min(max, size > 0 ? size : 65536);
  if (cap === 0 && max > 0) cap = Math.min(max, 65536);
  let buf = Buffer.allocUnsafe(cap);
  let total = 0;
  while (total < max) {
    if (total === buf.length) {
      // Buffer full: probe for more data before growing it.
      const probe = Buffer.allocUnsafe(Math.min(65536, max - total));
      const m = fs.readSync(fd, probe, 0, probe.length, null);
      if (m === 0) break;
      const bigger = Buffer.allocUnsafe(Math.min(max, Math.max(buf.length * 2, total + m)));
      buf.copy(bigger, 0, 0, total);
      probe.copy(bigger, total, 0, m);
      buf = bigger;
      total += m;
      continue;
    }
    const n = fs.readSync(fd, buf, total, buf.length - total, null);
    if (n === 0) break;
    total += n;
  }
  // The core copies what it is given at once, so readStart can hand over a view.
  return copy ? toUint8(buf, total) : buf.subarray(0, total);
}

// Replace a file's content so that a reader, or a crash at any moment, sees the old bytes or
// the new ones and never a cut: a temporary file in the same folder (created new), the
// target's mode (and owner, when allowed) copied, flushed to the disk, renamed over the
// target, then the folder flushed. Through a symbolic link the file it leads to is replaced
// and the link kept. A failure before the rename removes the temporary file.
function replaceFile(path, data) {
  const nodePath = require('path');
  let target = path;
  try {
    if (fs.lstatSync(path).isSymbolicLink()) target = fs.realpathSync.native(path);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  let st = null;
  try {
    st = fs.statSync(target);
  } catch (e) {
    if (e.code !== 'ENOENT') throw e;
  }
  if (st && !st.isFile()) throw new Error('not a regular file; not written');
  const dir = nodePath.dirname(target);
  const base = nodePath.basename(target);
  let tmp;
  let fd = null;
  for (let tries = 0; fd === null; tries++) {
    tmp = nodePath.join(dir, `.${base}.cua-check-${process.pid}-${require('crypto').randomBytes(4).toString('hex')}.tmp`);
    try {
      fd = fs.openSync(tmp, 'wx', 0o600);
    } catch (e) {
      if (e.code !== 'EEXIST' || tries >= 16) {
        throw new Error(`no temporary file could be created next to it: ${e.message}`);
      }
    }
  }
  try {
    let off = 0;
    while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
    if (st) {
      try {
        fs.fchownSync(fd, st.uid, st.gid);
      } catch {
        // only allowed to root: the file becomes the writer's, as an editor would leave it
      }
      fs.fchmodSync(fd, st.mode & 0o7777);
    }
    fs.fsyncSync(fd);
    fs.closeSync(fd);
    fd = null;
    fs.renameSync(tmp, target);
  } catch (e) {
    if (fd !== null) {
      try {
        fs.closeSync(fd);
      } catch {
        // already failing
      }
    }
    try {
      fs.unlinkSync(tmp);
    } catch {
      // already gone
    }
    throw e;
  }
  try {
    const d = fs.openSync(dir, 'r');
    try {
      fs.fsyncSync(d);
    } finally {
      fs.closeSync(d);
    }
  } catch {
    // some systems cannot flush a folder; the rename is done
  }
}

function createHost(options = {}) {
  const env = options.env || process.env;
  const stdout = options.stdout || process.stdout;
  return {
    /** @returns {Array<[string, 'file'|'dir'|'link'|'other']>} throws on error */
    readDir(path) {
      const entries = fs.readdirSync(path, { withFileTypes: true }).map((d) => [d.name, direntKind(d)]);
      // A name that is not UTF-8 comes back with U+FFFD in it (and could not be opened): only
      // then, read the folder again as bytes and hand those names over raw, for the core to
      // report (escaped as natively).
      if (!entries.some((e) => e[0].includes('\uFFFD'))) return entries;
      return fs.readdirSync(path, { withFileTypes: true, encoding: 'buffer' }).map((d) => {
        const name = d.name.toString('utf8');
        if (Buffer.from(name, 'utf8').equals(d.name)) return [name, direntKind(d)];
        let dir = d.isDirectory();
        if (d.isSymbolicLink()) {
          try {
            dir = fs.statSync(Buffer.concat([Buffer.from(`${path}/`), d.name])).isDirectory();
          } catch {
            dir = false;
          }
        }
        return [name, dir ? 'undecodable-dir' : 'undecodable-file', new Uint8Array(d.name)];
      });
    },

    /** Follows links. null when missing, dangling, looping or otherwise not stat-able. */
    stat(path) {
      try {
        const st = fs.statSync(path, { throwIfNoEntry: false });
        if (!st) return null;
        const kind = statsKind(st);
        return { kind: kind === 'link' ? 'other' : kind, size: st.size };
      } catch {
        return null;
      }
    },

    lstatKind(path) {
      try {
        const st = fs.lstatSync(path, { throwIfNoEntry: false });
        return st ? statsKind(st) : null;
      } catch {
        return null;
      }
    },

    realpath(path) {
      try {
        return fs.realpathSync.native(path);
      } catch {
        return null;
      }
    },

    /** Reads at most `limit` bytes. Throws an Error with the OS message (e.g. EACCES). */
    readFile(path, limit) {
      const fd = fs.openSync(path, 'r');
      try {
        return readFd(fd, limitToNumber(limit), fdSize(fd));
      } finally {
        fs.closeSync(fd);
      }
    },

    /**
     * Opens a file, learns its size, and reads its first `max` bytes, or nothing when the size
     * is over `limit`: `{ bytes, size }`. One open for both (no separate stat).
     */
    readStart(path, max, limit) {
      // The walk reads regular files only: opened without blocking (a FIFO swapped in cannot
      // hang the run) and checked once open.
      const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK || 0));
      try {
        const st = fs.fstatSync(fd);
        if (!st.isFile()) throw new Error('not a regular file (a FIFO, device or socket); not read');
        const size = st.size;
        if (size > limitToNumber(limit)) return { bytes: new Uint8Array(0), size };
        const bytes = readFd(fd, limitToNumber(max), size, false);
        return { bytes, size: Math.max(size, bytes.length) };
      } finally {
        fs.closeSync(fd);
      }
    },

    /**
     * Replaces a file atomically (see replaceFile). Throws with the OS message; then the file
     * is unchanged.
     */
    writeFile(path, bytes) {
      replaceFile(path, typeof bytes === 'string' ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
    },

    env(name) {
      const v = env[name];
      return v === undefined ? undefined : String(v);
    },

    isTty() {
      return Boolean(stdout && stdout.isTTY);
    },

    randomBytes() {
      return new Uint8Array(require('crypto').randomBytes(16)); // loaded on first use (start-up)
    },

    cwd() {
      return process.cwd();
    },

    // startJobs / nextJob / finishJobs: worker threads for the core's parallel read.
    ...createJobs(env, options.workerFile, { waitForWorkers: options.waitForWorkers }),
  };
}

module.exports = { createHost, replaceFile };
