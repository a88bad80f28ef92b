'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { bundle, buildFakeDist, root } = require('./helpers/build');
const { makeFakePkg } = require('./helpers/fake-core');

test('bundle writes index.js, cli.js and the wasm next to them', () => {
  const b = buildFakeDist();
  for (const f of ['index.js', 'cli.js', 'cua_check_bg.wasm']) assert.ok(fs.existsSync(path.join(b.dist, f)), f);
  assert.deepEqual(fs.readFileSync(path.join(b.dist, 'cua_check_bg.wasm')), fs.readFileSync(path.join(b.pkg, 'cua_check_bg.wasm')));
  const cli = fs.readFileSync(b.cli, 'utf8');
  assert.ok(cli.startsWith('#!/usr/bin/env node\n'));
  // everything is bundled: only Node built-ins are required at run time
  const builtins = new Set(require('module').builtinModules);
  for (const f of [b.index, b.cli]) {
    const text = fs.readFileSync(f, 'utf8');
    for (const m of text.matchAll(/\brequire\("([^"]+)"\)/g)) {
      assert.ok(builtins.has(m[1].replace(/^node:/, '')), `${path.basename(f)} requires ${m[1]}`);
    }
  }
});

test('bundle output is deterministic and has no absolute paths', (t) => {
  const b = buildFakeDist();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-dist2-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const pkg2 = path.join(tmp, 'elsewhere', 'pkg');
  makeFakePkg(pkg2);
  const r = bundle(pkg2, path.join(tmp, 'out'));
  assert.equal(r.status, 0, r.stderr);
  for (const f of ['index.js', 'cli.js']) {
    const a = fs.readFileSync(path.join(b.dist, f));
    const c = fs.readFileSync(path.join(tmp, 'out', f));
    assert.ok(a.equals(c), `${f} differs between builds`);
    const text = a.toString('utf8');
    for (const p of [root, b.tmp, tmp, os.tmpdir(), os.homedir()]) assert.ok(!text.includes(p), `${f} contains ${p}`);
  }
});

test('bundle fails clearly without a pkg and on unknown options', (t) => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-nopkg-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  const r = bundle(path.join(tmp, 'nope'), path.join(tmp, 'out'));
  assert.equal(r.status, 1);
  assert.match(r.stderr, /missing .*cua_check\.js/);
  const { spawnSync } = require('child_process');
  const r2 = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs'), '--bogus'], { encoding: 'utf8' });
  assert.equal(r2.status, 1);
  assert.match(r2.stderr, /unknown argument/);
});
