'use strict';
// scripts/build skips wasm-pack and wasm-opt only when the inputs hash is unchanged: a change to
// any input must change it (so a stale dist/ is rebuilt and scripts/test fails on it), and touching
// files without changing them must not.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('node:fs');
const os = require('node:os');
const path = require('node:path');

const root = path.resolve(__dirname, '..', '..');

test('the wasm inputs hash follows content, not mtimes', async (t) => {
  const { inputsHash } = await import(path.join(root, 'scripts', 'inputs-hash.mjs'));
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-inputs-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  fs.mkdirSync(path.join(tmp, 'src', 'arm'), { recursive: true });
  fs.mkdirSync(path.join(tmp, 'scripts'));
  fs.mkdirSync(path.join(tmp, 'vendor', 'dep', 'src'), { recursive: true });
  fs.writeFileSync(path.join(tmp, 'Cargo.toml'), '[package]\nname = "x"\n');
  fs.writeFileSync(path.join(tmp, 'Cargo.lock'), '# lock\n');
  fs.writeFileSync(path.join(tmp, 'scripts', 'build'), 'wasm-opt -Oz\n');
  fs.writeFileSync(path.join(tmp, 'src', 'lib.rs'), 'pub mod arm;\n');
  fs.writeFileSync(path.join(tmp, 'src', 'arm', 'mod.rs'), 'pub fn f() {}\n');
  const base = inputsHash(tmp, 'rustc 1.0');
  assert.match(base, /^[0-9a-f]{64}$/);

  const later = new Date(Date.now() + 60_000);
  fs.utimesSync(path.join(tmp, 'src', 'lib.rs'), later, later);
  assert.strictEqual(inputsHash(tmp, 'rustc 1.0'), base, 'touching a file must not force a rebuild');

  const changes = [
    ['src/arm/mod.rs', 'pub fn f() { }\n'],
    ['Cargo.lock', '# lock 2\n'],
    ['scripts/build', 'wasm-opt -O3\n'],
    ['src/arm/new.rs', '\n'],
    ['vendor/dep/src/lib.rs', 'pub fn patched() {}\n'],
  ];
  for (const [file, body] of changes) {
    const p = path.join(tmp, file);
    const before = fs.existsSync(p) ? fs.readFileSync(p) : null;
    fs.writeFileSync(p, body);
    assert.notStrictEqual(inputsHash(tmp, 'rustc 1.0'), base, `changing ${file} must change the hash`);
    if (before === null) fs.rmSync(p);
    else fs.writeFileSync(p, before);
    assert.strictEqual(inputsHash(tmp, 'rustc 1.0'), base, `restoring ${file} restores the hash`);
  }
  assert.notStrictEqual(inputsHash(tmp, 'rustc 2.0'), base, 'another toolchain must change the hash');
});
