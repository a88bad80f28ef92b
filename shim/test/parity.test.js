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

    // GUIDs are parsed, validated and normalised by the `uuid` crate in both builds: every
    // kind of malformed GUID gets the same message, every upper-case ID the same normal form.
    test(`parity: GUID checks and new-id (${node.name})`, async (t) => {
      const guids = makeTree({
        'upper/azuredeploy.json': armTemplate({ tracking: 'PID-7867E591-C1EE-4530-BED8-7387AB893A26' }),
        'short-group/azuredeploy.json': armTemplate({ tracking: 'pid-eb7927c8-dd66-43e1-b0cf-c346a422063' }),
        'not-hex/azuredeploy.json': armTemplate({ tracking: 'pid-eb7927c8-dd66-43e1-b0cf-c346a422063g' }),
        'four-groups/azuredeploy.json': armTemplate({ tracking: 'pid-eb7927c8-dd66-43e1-b0cf' }),
        'no-hyphens/azuredeploy.json': armTemplate({ tracking: 'pid-7867e591c1ee4530bed87387ab893a26' }),
        'short/azuredeploy.json': armTemplate({ tracking: 'pid-1234' }),
        'braced/azuredeploy.json': armTemplate({ tracking: 'pid-{7867e591-c1ee-4530-bed8-7387ab893a26}' }),
        'nil/azuredeploy.json': armTemplate({ tracking: 'pid-00000000-0000-0000-0000-000000000000' }),
      });
      const cases = [
        { name: 'check (malformed, upper-case, placeholder GUIDs) --format json', args: ['check', path.basename(guids), '--format', 'json'], cwd: path.dirname(guids) },
        { name: 'check --registered with an upper-case bare GUID', args: ['check', path.basename(guids), '--format', 'json', '--registered', '7867E591-C1EE-4530-BED8-7387AB893A26'], cwd: path.dirname(guids) },
        { name: 'new-id from given random bytes', args: ['new-id'], env: { CUA_CHECK_TEST_RANDOM: '00112233445566778899aabbccddeeff' } },
        { name: 'new-id from an upper-case GUID', args: ['new-id'], env: { CUA_CHECK_TEST_GUID: '7867E591-C1EE-4530-BED8-7387AB893A26' } },
        { name: 'map of the examples --format json', args: ['map', 'examples/', '--format', 'json'] },
      ];
      for (const c of cases) {
        await t.test(c.name, async () => {
          const env = { NO_COLOR: '1', ...(c.env || {}) };
          const native = await runProcess(NATIVE, c.args, { cwd: c.cwd || ROOT, env });
          const wasm = await runNode(node.path, DIST_CLI, c.args, { cwd: c.cwd || ROOT, env });
          assert.ok(native.stdout.length > 0, `native printed nothing: ${native.stderr}`);
          assert.equal(wasm.stdout, native.stdout, 'stdout differs');
          assert.equal(wasm.code, native.code, 'exit codes differ');
        });
      }
      await t.test('new-id: the given bytes make a version-4 GUID in both builds', async () => {
        const env = { CUA_CHECK_TEST_RANDOM: '00112233445566778899aabbccddeeff' };
        const wasm = await runNode(node.path, DIST_CLI, ['new-id'], { env });
        assert.match(wasm.stdout, /Tracking ID: pid-00112233-4455-4677-8899-aabbccddeeff\n/);
      });
      await t.test('new-id: random GUIDs are well formed and differ', async () => {
        const a = await runNode(node.path, DIST_CLI, ['new-id']);
        const b = await runProcess(NATIVE, ['new-id']);
        const id = (r) => /Tracking ID: pid-([0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\n/.exec(r.stdout)?.[1];
        assert.ok(id(a) && id(b), a.stdout + b.stdout);
        assert.notEqual(id(a), id(b));
      });
    });
  }
}
