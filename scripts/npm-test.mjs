#!/usr/bin/env node
// `npm test`: the Node tests need the wasm-pack glue in pkg/ and the native binary that
// scripts/build and cargo produce; in a fresh clone say so instead of failing with
// ERR_MODULE_NOT_FOUND. scripts/test builds everything and runs every test.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const missing = ['pkg/cua_check.js', 'dist/cli.js', 'dist/cua_check_bg.wasm'].filter((f) => !fs.existsSync(path.join(root, f)));
if (missing.length) {
  console.error(`npm test: missing ${missing.join(', ')}: run scripts/test (it installs the tools, builds dist/ and runs every test)`);
  process.exit(1);
}
const tests = fs.readdirSync(path.join(root, 'test')).filter((f) => f.endsWith('.test.js')).sort().map((f) => path.join('test', f));
const r = spawnSync(process.execPath, ['--test', '--test-concurrency=1', ...tests], { cwd: root, stdio: 'inherit' });
process.exit(r.status === null ? 1 : r.status);
