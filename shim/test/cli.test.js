'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { buildFakeDist } = require('./helpers/build');
const { nodeBinaries } = require('./helpers/runner');
const { runCli } = require('../cli-main');

function run(node, script, args, opts = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(node, [script, ...args], { cwd: opts.cwd || os.tmpdir(), stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString() }));
  });
}

for (const node of nodeBinaries()) {
  test(`cli (${node.name})`, async (t) => {
    const { cli } = buildFakeDist();

    await t.test('passes argv through and prints the answer', async () => {
      const r = await run(node.path, cli, ['check', 'examples/', '--format', 'text']);
      assert.equal(r.code, 0);
      assert.equal(r.stdout, 'fake cua-check check examples/ --format text\n');
      assert.equal(r.stderr, `tty=false cwd=${fs.realpathSync(os.tmpdir())}\n`);
    });

    await t.test('exit code and large stdout are delivered in full', async () => {
      const r = await run(node.path, cli, ['big', String(3 * 1024 * 1024)]);
      assert.equal(r.code, 1);
      assert.equal(r.stdout.length, 3 * 1024 * 1024 + 1);
      assert.equal(r.stderr, 'done\n');
    });

    await t.test('host readDir reaches the file system', async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-ls-'));
      fs.writeFileSync(path.join(dir, 'a.json'), '{}');
      fs.mkdirSync(path.join(dir, 'sub'));
      fs.symlinkSync('a.json', path.join(dir, 'link'));
      const r = await run(node.path, cli, ['ls', dir]);
      assert.equal(r.stdout, 'dir sub\nfile a.json\nlink link\n');
      fs.rmSync(dir, { recursive: true, force: true });
    });

    await t.test('a panic in the core is an internal error, exit 2', async () => {
      const r = await run(node.path, cli, ['panic']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /^cua-check: internal error: panicked at src\/lib\.rs:1:1:\nfake CLI panic\n/);
      assert.match(r.stderr, /please report this/);
      assert.equal(r.stdout, '');
    });

    await t.test('a plain exception from the core is an internal error too', async () => {
      const r = await run(node.path, cli, ['throw']);
      assert.equal(r.code, 2);
      assert.match(r.stderr, /internal error: plain JS error/);
    });
  });
}

test('cli without its wasm file fails with an internal error', async (t) => {
  const { dist } = buildFakeDist();
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-nowasm-'));
  t.after(() => fs.rmSync(tmp, { recursive: true, force: true }));
  fs.copyFileSync(path.join(dist, 'cli.js'), path.join(tmp, 'cli.js'));
  const r = await run(process.execPath, path.join(tmp, 'cli.js'), ['check']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /cua-check: internal error: .*cua_check_bg\.wasm/);
});

test('runCli (in process) treats a missing code as 2', () => {
  const chunks = [];
  const sink = { write: (s) => chunks.push(s) };
  const code = runCli({ runCli: () => ({ stdout: 'x' }) }, [], { stdout: sink, stderr: sink });
  assert.equal(code, 2);
  assert.deepEqual(chunks, ['x']);
});
