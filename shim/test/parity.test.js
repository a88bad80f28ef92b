'use strict';
// The native binary and `node dist/cli.js` must give byte-identical reports and equal exit codes.
// Native binary: env CUA_CHECK_NATIVE, default target/debug/cua-check under the repository root.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { nodeBinaries } = require('./helpers/runner');
const { ROOT, DIST_CLI, armTemplate, trackingDeployment, makeTree, runNode, runProcess } = require('./helpers/e2e');

const NATIVE = path.resolve(ROOT, process.env.CUA_CHECK_NATIVE || path.join('target', 'debug', 'cua-check'));
const FORMATS = ['json', 'text', 'sarif'];

function findingsTree() {
  const complete = trackingDeployment();
  complete.properties.mode = 'Complete';
  const tree = makeTree({
    'untracked/azuredeploy.json': armTemplate(),
    'placeholder/mainTemplate.json': armTemplate({ tracking: 'pid-<your-registered-GUID>' }),
    'complete-mode/azuredeploy.json': armTemplate({ extra: [complete] }),
    'good/azuredeploy.json': armTemplate({ tracking: true }),
    'linked/storage.json': armTemplate(),
    'with space & 100%/azuredeploy.json': armTemplate(),
  });
  return tree;
}

if (!fs.existsSync(NATIVE)) {
  test('parity: native binary vs node dist/cli.js', { skip: `native binary not found at ${NATIVE} (build it with \`cargo build\`, or set CUA_CHECK_NATIVE)` }, () => {});
} else {
  const tree = findingsTree();
  const targets = [
    { name: 'examples/good', cwd: ROOT, arg: 'examples/good' },
    { name: 'examples/bad', cwd: ROOT, arg: 'examples/bad' },
    { name: 'examples/', cwd: ROOT, arg: 'examples/' },
    { name: 'temp tree with findings', cwd: path.dirname(tree), arg: path.basename(tree) },
  ];
  for (const node of nodeBinaries()) {
    test(`parity: ${path.relative(ROOT, NATIVE) || NATIVE} vs node dist/cli.js (${node.name})`, async (t) => {
      for (const target of targets) {
        for (const format of FORMATS) {
          await t.test(`check ${target.name} --format ${format}`, async () => {
            const args = ['check', target.arg, '--format', format];
            const env = { NO_COLOR: '1' };
            const native = await runProcess(NATIVE, args, { cwd: target.cwd, env });
            const wasm = await runNode(node.path, DIST_CLI, args, { cwd: target.cwd, env });
            assert.ok(native.stdout.length > 0, `native printed nothing: ${native.stderr}`);
            assert.equal(wasm.stdout, native.stdout, `stdout differs (native exit ${native.code}, node exit ${wasm.code})`);
            assert.equal(wasm.code, native.code, 'exit codes differ');
          });
        }
      }
    });
  }
}
