'use strict';
// Builds dist bundles from the fake core (shim/test/helpers/fake-core.js) into a temp dir,
// once per test process, with the real scripts/bundle.mjs.

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { makeFakePkg } = require('./fake-core');

const root = path.resolve(__dirname, '..', '..', '..');
let cached = null;

function bundle(pkgDir, outDir) {
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'bundle.mjs'), '--pkg', pkgDir, '--out', outDir], {
    cwd: root,
    encoding: 'utf8',
  });
  return r;
}

function buildFakeDist() {
  if (cached) return cached;
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-dist-'));
  const pkg = path.join(tmp, 'pkg');
  const dist = path.join(tmp, 'dist');
  makeFakePkg(pkg);
  const r = bundle(pkg, dist);
  if (r.status !== 0) throw new Error(`bundle failed: ${r.stderr}`);
  process.on('exit', () => fs.rmSync(tmp, { recursive: true, force: true }));
  cached = { tmp, pkg, dist, index: path.join(dist, 'index.js'), cli: path.join(dist, 'cli.js') };
  return cached;
}

module.exports = { buildFakeDist, bundle, root };
