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
const { DIST_INDEX, DIST_CLI, armTemplate, makeTree, runNode } = require('./helpers/e2e');

const SECRET = 's3cr3t-token-do-not-print';

const INPUTS = {
  path: '.', 'registered-ids': '', 'registry-file': '', 'main-templates': '', exclude: '', mode: 'standard',
  'fail-on': 'error', comment: 'never', 'comment-key': 'default', scope: 'all', 'sarif-file': '',
  sources: 'arm,bicep,terraform,code', 'max-file-size': '32MiB', token: '',
};

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
