'use strict';
// Hostile pull requests (issue 16), through the REAL dist/ (wasm core + Node host): a config file
// or registry that names something outside the checked folder, a link to /etc/passwd, a FIFO.
// Nothing of them is printed; the run does not hang.

const { describe, it } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { runAction } = require('./helpers/runner');
const { actionDefaults } = require('./helpers/inputs');
const { DIST_INDEX, DIST_CLI, armTemplate, makeTree, runNode, runProcess } = require('./helpers/e2e');

const SECRET = 's3cr3t-token-do-not-print';

const INPUTS = { ...actionDefaults(''), comment: 'never' };

function noLeak(r) {
  const all = r.stdout + r.stderr;
  assert.ok(!all.includes(SECRET), `the environment leaked:\n${all}`);
  assert.ok(!all.includes('root:'), `a system file leaked:\n${all}`);
  assert.ok(!all.includes('PATH='), `the environment leaked:\n${all}`);
}

const hostile = () => {
  const trees = [
    ['environ', makeTree({ 'azuredeploy.json': armTemplate(), 'cua-check.toml': 'registry = "/proc/self/environ"\n' })],
    ['shadow', makeTree({ 'azuredeploy.json': armTemplate(), 'cua-check.toml': 'registry = "../../../../../../etc/shadow"\n' })],
  ];
  const link = makeTree({ 'azuredeploy.json': armTemplate() });
  fs.symlinkSync('/etc/passwd', path.join(link, 'cua-check.toml'));
  trees.push(['config link', link]);
  const fifo = makeTree({ 'azuredeploy.json': armTemplate(), 'cua-check.toml': 'registry = "ids.txt"\n' });
  execFileSync('mkfifo', [path.join(fifo, 'ids.txt')]);
  trees.push(['fifo', fifo]);
  return trees;
};

describe('hostile repository, dist/cli.js', () => {
  for (const [name, dir] of hostile()) {
    it(`${name}: refused, nothing of it printed`, async () => {
      const r = await runNode(process.execPath, DIST_CLI, ['check', '.'], { cwd: dir, env: { AZURE_ACCESS_TOKEN: SECRET } });
      assert.equal(r.code, 2, r.stdout + r.stderr);
      assert.match(r.stderr, /leads outside the checked folder|not a regular file/);
      noLeak(r);
    });
  }

  it('a FIFO in the tree is a CUA001 finding, not a hang', async () => {
    const dir = makeTree({});
    execFileSync('mkfifo', [path.join(dir, 'azuredeploy.json')]);
    const r = await runNode(process.execPath, DIST_CLI, ['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const f = JSON.parse(r.stdout).findings.find((x) => x.rule === 'CUA001');
    assert.equal(f.path, 'azuredeploy.json');
  });
});

describe('hostile repository, the action (dist/index.js)', () => {
  for (const [name, dir] of hostile()) {
    it(`${name}: refused, nothing of it printed`, async () => {
      const r = await runAction(DIST_INDEX, {
        workspace: dir, cwd: dir, eventName: 'push', event: {}, inputs: INPUTS, env: { AZURE_ACCESS_TOKEN: SECRET },
        timeoutMs: 30000,
      });
      assert.notEqual(r.code, 0, r.stdout + r.stderr);
      assert.match(r.stdout + r.stderr, /leads outside the checked folder|not a regular file/);
      noLeak(r);
    });
  }

  it("input 'registry-file' outside the workspace is refused", async () => {
    const dir = makeTree({ 'azuredeploy.json': armTemplate() });
    const r = await runAction(DIST_INDEX, {
      workspace: dir, cwd: dir, eventName: 'push', event: {}, inputs: { ...INPUTS, 'registry-file': '/proc/self/environ' },
      env: { AZURE_ACCESS_TOKEN: SECRET },
    });
    assert.notEqual(r.code, 0);
    assert.match(r.stdout + r.stderr, /leads outside the checked folder/);
    noLeak(r);
  });
});

// ---- fix --write: atomic and exact (issue 16, case 2), in the Node host ----

const { createHost } = require('../host');
const { spawn } = require('child_process');
const { PID } = require('./helpers/e2e');

/** A template without tracking (CUA101, which fix adds) carrying `pad` bytes of description. */
function untracked(pad) {
  return JSON.stringify({
    $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
    contentVersion: '1.0.0.0',
    metadata: { description: 'x'.repeat(pad) },
    resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'contosodata', location: 'westeurope' }],
  }, null, 2) + '\n';
}

const tempFiles = (dir) => fs.readdirSync(dir).filter((n) => n.includes('.cua-check-') && n.endsWith('.tmp'));

async function fixedText(text) {
  const dir = makeTree({ 'azuredeploy.json': text });
  const r = await runNode(process.execPath, DIST_CLI, ['fix', '--write', '--registered', PID], { cwd: dir });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  return fs.readFileSync(path.join(dir, 'azuredeploy.json'));
}

describe('fix --write, the Node host', () => {
  it('a write failing part-way (ENOSPC injected) leaves the file byte-identical and no temporary file', () => {
    const dir = makeTree({ 'a.json': 'old text\n' });
    const file = path.join(dir, 'a.json');
    const realWrite = fs.writeSync;
    let calls = 0;
    fs.writeSync = (fd, buf, off, len, pos) => {
      calls += 1;
      if (calls === 1) return realWrite(fd, buf, off, Math.min(len, 4), pos); // a short write first
      const e = new Error('ENOSPC: no space left on device, write');
      e.code = 'ENOSPC';
      throw e;
    };
    try {
      assert.throws(() => createHost().writeFile(file, Buffer.from('new text that is longer\n')), /ENOSPC/);
    } finally {
      fs.writeSync = realWrite;
    }
    assert.ok(calls >= 2);
    assert.equal(fs.readFileSync(file, 'utf8'), 'old text\n');
    assert.deepEqual(tempFiles(dir), []);
  });

  it('a failing fsync leaves the file as it was', () => {
    const dir = makeTree({ 'a.json': 'old\n' });
    const file = path.join(dir, 'a.json');
    const realFsync = fs.fsyncSync;
    fs.fsyncSync = () => {
      const e = new Error('EIO: i/o error, fsync');
      e.code = 'EIO';
      throw e;
    };
    try {
      assert.throws(() => createHost().writeFile(file, Buffer.from('new\n')), /EIO/);
    } finally {
      fs.fsyncSync = realFsync;
    }
    assert.equal(fs.readFileSync(file, 'utf8'), 'old\n');
    assert.deepEqual(tempFiles(dir), []);
  });

  it('through a link: the target is replaced, the link and the mode kept', () => {
    const dir = makeTree({ 'real/a.json': 'old\n' });
    fs.chmodSync(path.join(dir, 'real/a.json'), 0o640);
    fs.symlinkSync('real/a.json', path.join(dir, 'a.json'));
    createHost().writeFile(path.join(dir, 'a.json'), new Uint8Array(Buffer.from('new\n')));
    assert.ok(fs.lstatSync(path.join(dir, 'a.json')).isSymbolicLink());
    assert.equal(fs.readFileSync(path.join(dir, 'real/a.json'), 'utf8'), 'new\n');
    assert.equal(fs.statSync(path.join(dir, 'real/a.json')).mode & 0o777, 0o640);
    assert.deepEqual(tempFiles(path.join(dir, 'real')), []);
  });
});

describe('fix --write, dist/cli.js', () => {
  it('a write past a file-size limit (EFBIG) leaves that file unchanged, writes the others and says which', async () => {
    const big = untracked(300000);
    const small = untracked(10);
    const smallFixed = await fixedText(small);
    const dir = makeTree({ 'big/azuredeploy.json': big, 'small/azuredeploy.json': small });
    const r = await runNode('/bin/sh', '-c', [`trap '' XFSZ; ulimit -f 64; exec "$0" "$@"`, process.execPath, DIST_CLI, 'fix', '--write', '--registered', PID], { cwd: dir });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.equal(fs.readFileSync(path.join(dir, 'big/azuredeploy.json'), 'utf8'), big);
    assert.deepEqual(fs.readFileSync(path.join(dir, 'small/azuredeploy.json')), smallFixed);
    assert.match(r.stderr, /error: could not write big\/azuredeploy\.json: .*the file was left unchanged/);
    assert.match(r.stderr, /1 fix in 1 file written; not written \(left unchanged\): big\/azuredeploy\.json/);
    assert.deepEqual(tempFiles(path.join(dir, 'big')), []);
  });

  it('killed (SIGKILL) once the write has begun, the file is the old or the new text, never a cut', async () => {
    const before = untracked(2000000);
    const after = await fixedText(before);
    const dir = makeTree({ 'azuredeploy.json': before });
    const file = path.join(dir, 'azuredeploy.json');
    const counts = { old: 0, new: 0, inWrite: 0 };
    for (let i = 0; i < 8; i++) {
      fs.writeFileSync(file, before);
      for (const n of tempFiles(dir)) fs.unlinkSync(path.join(dir, n));
      const child = spawn(process.execPath, [DIST_CLI, 'fix', '--write', '--registered', PID], { cwd: dir, stdio: 'ignore' });
      let exited = false;
      const done = new Promise((resolve) => child.on('exit', () => { exited = true; resolve(); }));
      const t0 = Date.now();
      // Poll until the write begins (a temporary file, or the template's size changes as when
      // rewritten in place), then kill after a random few hundred microseconds.
      await new Promise((resolve) => {
        const poll = () => {
          const began = tempFiles(dir).length > 0 || fs.statSync(file).size !== before.length;
          if (began || exited || Date.now() - t0 > 60000) {
            const until = process.hrtime.bigint() + BigInt(Math.floor(Math.random() * 500000));
            while (process.hrtime.bigint() < until) { /* spin */ }
            resolve();
          } else setImmediate(poll);
        };
        poll();
      });
      child.kill('SIGKILL');
      await done;
      if (tempFiles(dir).length > 0) counts.inWrite += 1;
      const now = fs.readFileSync(file);
      if (now.equals(Buffer.from(before))) counts.old += 1;
      else if (now.equals(after)) counts.new += 1;
      else assert.fail(`run ${i}: the file is neither the old nor the new text (${now.length} bytes)`);
    }
    process.stderr.write(`kill loop (dist/cli.js): ${JSON.stringify(counts)}\n`);
  });

  it('a file reached through a link and its own name is written once with every fix', async () => {
    const nested = {
      $schema: ARM, contentVersion: '1.0.0.0',
      resources: [{
        type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: 'outer',
        properties: {
          mode: 'Incremental',
          template: {
            $schema: ARM, contentVersion: '1.0.0.0',
            resources: [{
              type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: PID,
              properties: { mode: 'Complete', template: { $schema: ARM, contentVersion: '1.0.0.0', resources: [] } },
            }],
          },
        },
      }],
    };
    const dir = makeTree({
      'azuredeploy.json': JSON.stringify(nested, null, 2) + '\n',
      'cua-check.toml': '[[ignore]]\npath = "azuredeploy.json"\nrules = ["CUA107"]\nreason = "test"\n',
    });
    fs.symlinkSync('azuredeploy.json', path.join(dir, 'x.json'));
    const r = await runNode(process.execPath, DIST_CLI, ['fix', '--write', '--registered', PID], { cwd: dir });
    assert.equal(r.code, 0, r.stdout + r.stderr);
    assert.match(r.stdout, /fixed azuredeploy\.json \(also reached as x\.json\):/);
    const text = fs.readFileSync(path.join(dir, 'azuredeploy.json'), 'utf8');
    assert.ok(!text.includes('"Complete"'), text);
    assert.ok(text.indexOf(PID) < text.indexOf('"outer"'), text);
    assert.ok(fs.lstatSync(path.join(dir, 'x.json')).isSymbolicLink());
    const c = await runNode(process.execPath, DIST_CLI, ['check', '.', '--format', 'json', '--registered', PID], { cwd: dir });
    const left = JSON.parse(c.stdout).findings.filter((f) => /^CUA10/.test(f.rule));
    assert.deepEqual(left, []);
  });
});

const ARM = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

// ---- budgets and no silent skips, through dist/cli.js (and the native binary, for parity) ----

const http = require('http');
const { request: httpRequest } = require('../http');
const NATIVE = path.resolve(__dirname, '..', '..', process.env.CUA_CHECK_NATIVE || path.join('target', 'debug', 'cua-check'));

/** A local server answering with `answer(req, url)` = { status, body }; resolves its base URL. */
function serve(answer) {
  return new Promise((resolve) => {
    const server = http.createServer((req, res) => {
      server.count = (server.count || 0) + 1;
      const { status, body } = answer(req, server.url);
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(body);
    });
    server.listen(0, '127.0.0.1', () => {
      server.url = `http://127.0.0.1:${server.address().port}`;
      server.unref();
      resolve(server);
    });
  });
}

const verifyArgs = (url) => ['verify', '--subscription', '00000000-0000-0000-0000-000000000001', '--resource-group', 'rg', '--tracking-id', PID, '--arm-endpoint', url];
const verifyEnv = { AZURE_ACCESS_TOKEN: SECRET, NO_COLOR: '1', HTTP_PROXY: undefined, HTTPS_PROXY: undefined, http_proxy: undefined, https_proxy: undefined };

describe('budgets, dist/cli.js', () => {
  it('http.js keeps at most maxBody + 1 bytes and says it cut the answer', async () => {
    const server = await serve(() => ({ status: 200, body: 'x'.repeat(1 << 20) }));
    const r = await httpRequest(`${server.url}/big`, { maxBody: 1000 });
    assert.equal(r.truncated, true);
    assert.equal(r.body.length, 1001);
    const small = await httpRequest(`${server.url}/big`);
    assert.equal(small.truncated, false);
    assert.equal(small.body.length, 1 << 20);
    server.close();
  });

  it('verify stops on a nextLink back to a page already read', async () => {
    const server = await serve((req, base) => ({
      status: 200,
      body: JSON.stringify({ value: [], nextLink: req.url.startsWith('/b') ? `${base}${server.first}` : `${base}/b` }),
    }));
    server.first = null;
    server.on('request', (req) => {
      if (!server.first) server.first = req.url;
    });
    const r = await runNode(process.execPath, DIST_CLI, verifyArgs(server.url), { env: verifyEnv });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /a nextLink to a page already read/);
    assert.equal(server.count, 2);
    noLeak(r);
    server.close();
  });

  it('verify refuses an answer over 32 MiB (before: 1 GB took 2.2 GB and crashed)', async () => {
    const big = Buffer.alloc(40 << 20, 0x20);
    const server = await serve(() => ({ status: 200, body: big }));
    const r = await runNode(process.execPath, DIST_CLI, verifyArgs(server.url), { env: verifyEnv });
    assert.equal(r.code, 2, r.stdout + r.stderr);
    assert.match(r.stderr, /answered with more than 32 MiB \(HTTP 200\); the answer was not read/);
    server.close();
  });

  it('one large variable used as thousands of names is cut by the file budget (before: 4.2 GB, "unreachable")', async () => {
    const dep = { type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: "[concat('pid-', variables('v'))]", properties: { mode: 'Incremental', template: { $schema: ARM, contentVersion: '1.0.0.0', resources: [] } } };
    const text = JSON.stringify({ $schema: ARM, contentVersion: '1.0.0.0', variables: { v: 'a'.repeat((1 << 20) - 100) }, resources: Array(2000).fill(dep) });
    const dir = makeTree({ 'azuredeploy.json': text });
    const r = await runNode(process.execPath, DIST_CLI, ['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const spent = JSON.parse(r.stdout).findings.filter((f) => f.rule === 'CUA114' && /was not evaluated: this file's evaluation budget/.test(f.message));
    assert.ok(spent.length > 1900, `${spent.length}`);
  });
});

describe('no silent skips, dist/cli.js', () => {
  it('a folder or template whose name is not UTF-8 is CUA001 with the bytes escaped, as natively', async () => {
    const dir = makeTree({});
    const bad = Buffer.concat([Buffer.from(`${dir}/caf`), Buffer.from([0xe9])]);
    fs.mkdirSync(bad);
    fs.writeFileSync(Buffer.concat([bad, Buffer.from('/azuredeploy.json')]), armTemplate());
    fs.writeFileSync(Buffer.concat([Buffer.from(`${dir}/x`), Buffer.from([0xff]), Buffer.from('.json')]), '{}');
    const r = await runNode(process.execPath, DIST_CLI, ['check', '.', '--format', 'json'], { cwd: dir });
    assert.equal(r.code, 1, r.stderr);
    const got = JSON.parse(r.stdout).findings.filter((f) => f.rule === 'CUA001').map((f) => [f.path, f.message.split(' (')[0]]);
    assert.deepEqual(got, [['caf\\xE9', 'folder name is not valid UTF-8'], ['x\\xFF.json', 'file name is not valid UTF-8']]);
    if (fs.existsSync(NATIVE)) {
      const n = await runProcess(NATIVE, ['check', '.', '--format', 'json'], { cwd: dir });
      assert.equal(n.stdout, r.stdout, 'native and wasm agree');
    }
  });

  it('padLeft with a width past 32 bits is too large on wasm as natively', async () => {
    const dep = { type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: `[padLeft('${PID}', 5000000000, '0')]`, properties: { mode: 'Incremental', template: { $schema: ARM, contentVersion: '1.0.0.0', resources: [] } } };
    const dir = makeTree({ 'azuredeploy.json': JSON.stringify({ $schema: ARM, contentVersion: '1.0.0.0', resources: [dep] }, null, 2) });
    const r = await runNode(process.execPath, DIST_CLI, ['check', '.', '--format', 'json'], { cwd: dir });
    const names = JSON.parse(r.stdout).files[0].tracking.map((t) => t.id);
    assert.deepEqual(names, [null], 'not resolved to the bare ID (wasm took the width as 0)');
    if (fs.existsSync(NATIVE)) {
      const n = await runProcess(NATIVE, ['check', '.', '--format', 'json'], { cwd: dir });
      assert.equal(n.stdout, r.stdout, 'native and wasm agree');
    }
  });
});
