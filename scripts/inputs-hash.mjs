#!/usr/bin/env node
// Prints a content hash of everything that goes into dist/cua_check_bg.wasm: src/**, vendor/**, Cargo.toml,
// Cargo.lock, rust-toolchain.toml, the build scripts (which carry RUSTFLAGS, wasm-opt flags and the
// pinned wasm-pack version), package-lock.json (pins binaryen's wasm-opt) and the active rustc
// version. scripts/build keeps it in dist/.inputs-hash and pkg/.inputs-hash and skips wasm-pack and
// wasm-opt when it is unchanged. Only file contents and relative paths count, not mtimes.
//
// Usage: node scripts/inputs-hash.mjs [ROOT]   (ROOT defaults to the repository root)
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const FILES = ['Cargo.toml', 'Cargo.lock', 'rust-toolchain.toml', 'package-lock.json', 'scripts/build', 'scripts/setup', 'scripts/inputs-hash.mjs'];
const DIRS = ['src', 'vendor']; // vendor/: patched dependencies (vendor/hcl-edit/PATCHES.md)

function walk(root, rel, out) {
  const entries = fs.readdirSync(path.join(root, rel), { withFileTypes: true });
  for (const e of entries) {
    const r = rel + '/' + e.name;
    if (e.isDirectory()) walk(root, r, out);
    else if (e.isFile()) out.push(r);
  }
}

export function inputsHash(root, rustc = rustcVersion(root)) {
  const files = [];
  for (const f of FILES) if (fs.existsSync(path.join(root, f))) files.push(f);
  for (const d of DIRS) if (fs.existsSync(path.join(root, d))) walk(root, d, files);
  files.sort();
  const h = crypto.createHash('sha256');
  h.update('rustc\0' + rustc + '\0');
  for (const f of files) {
    const body = fs.readFileSync(path.join(root, f));
    h.update(f + '\0' + body.length + '\0');
    h.update(body);
  }
  return h.digest('hex');
}

function rustcVersion(root) {
  try {
    return execFileSync('rustc', ['-vV'], { cwd: root, encoding: 'utf8' });
  } catch {
    return 'unknown';
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const root = path.resolve(process.argv[2] || path.join(path.dirname(fileURLToPath(import.meta.url)), '..'));
  process.stdout.write(inputsHash(root) + '\n');
}
