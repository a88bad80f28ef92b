'use strict';
// `node dist/cli.js check <tree> --format sarif` (the real wasm core) validated against the
// official SARIF 2.1.0 JSON schema (test/fixtures/sarif-schema-2.1.0.json, see SOURCE.md).

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const Ajv = require('ajv-draft-04');
const addFormats = require('ajv-formats');
const { nodeBinaries } = require('./helpers/runner');
const { DIST_CLI, armTemplate, trackingDeployment, makeTree, runNode } = require('./helpers/e2e');

const SCHEMA = JSON.parse(fs.readFileSync(path.join(__dirname, 'fixtures', 'sarif-schema-2.1.0.json'), 'utf8'));

function validator() {
  const ajv = new Ajv({ allErrors: true, strict: false });
  addFormats(ajv);
  return ajv.compile(SCHEMA);
}

/** A tree with several kinds of findings (errors and a warning), one clean template, odd path characters. */
function treeWithFindings() {
  const complete = trackingDeployment();
  complete.properties.mode = 'Complete';
  const nonEmpty = trackingDeployment();
  nonEmpty.properties.template.resources = [
    { type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: 'inner', location: 'westeurope' },
  ];
  return makeTree({
    'untracked/azuredeploy.json': armTemplate(), // CUA101
    'placeholder/mainTemplate.json': armTemplate({ tracking: 'pid-<your-registered-GUID>' }), // CUA105
    'complete-mode/azuredeploy.json': armTemplate({ extra: [complete] }), // CUA107
    'not-empty/azuredeploy.json': armTemplate({ extra: [nonEmpty] }), // CUA108 (warning)
    'good/azuredeploy.json': armTemplate({ tracking: true }), // clean
    'with space & 100%/azuredeploy.json': armTemplate(), // CUA101, URI-encoded path
  });
}

for (const node of nodeBinaries()) {
  test(`SARIF from dist/cli.js is valid SARIF 2.1.0 (${node.name})`, async (t) => {
    const validate = validator();
    const tree = treeWithFindings();
    const run = () => runNode(node.path, DIST_CLI, ['check', tree, '--format', 'sarif'], { cwd: tree, env: { NO_COLOR: '1' } });
    const first = await run();
    assert.equal(first.code, 1, first.stderr);
    const sarif = JSON.parse(first.stdout);

    await t.test('validates against the official schema', () => {
      const ok = validate(sarif);
      assert.ok(ok, JSON.stringify(validate.errors, null, 2));
      assert.equal(sarif.version, '2.1.0');
      assert.equal(sarif.runs.length, 1);
    });

    await t.test('the schema check is not vacuous: a broken document is rejected', () => {
      const broken = JSON.parse(first.stdout);
      broken.runs[0].results[0].level = 'fatal';
      delete broken.runs[0].tool.driver.name;
      assert.equal(validate(broken), false);
    });

    const results = sarif.runs[0].results;
    const rules = sarif.runs[0].tool.driver.rules;

    await t.test('several findings, every ruleId is in tool.driver.rules (and ruleIndex points at it)', () => {
      assert.ok(results.length >= 5, `results: ${results.length}`);
      const ids = rules.map((r) => r.id);
      assert.equal(new Set(ids).size, ids.length, 'rule ids are unique');
      for (const r of results) {
        assert.ok(ids.includes(r.ruleId), `${r.ruleId} not in tool.driver.rules`);
        if (r.ruleIndex !== undefined) assert.equal(rules[r.ruleIndex].id, r.ruleId, `ruleIndex of ${r.ruleId}`);
      }
      const found = new Set(results.map((r) => r.ruleId));
      for (const code of ['CUA101', 'CUA105', 'CUA107', 'CUA108']) assert.ok(found.has(code), `${code} in ${[...found]}`);
      assert.ok(results.some((r) => r.level === 'warning') && results.some((r) => r.level === 'error'));
    });

    await t.test('locations are relative to the checked folder', () => {
      for (const r of results) {
        assert.ok(r.locations.length >= 1);
        for (const loc of r.locations) {
          const a = loc.physicalLocation.artifactLocation;
          assert.ok(!/^[a-z][a-z0-9+.-]*:/i.test(a.uri), `absolute URI: ${a.uri}`);
          assert.ok(!a.uri.startsWith('/'), `rooted path: ${a.uri}`);
          assert.ok(!a.uri.includes(path.basename(tree)), `contains the temp folder: ${a.uri}`);
          assert.ok(!a.uri.split('/').includes('..'), a.uri);
          const rel = decodeURIComponent(a.uri);
          assert.ok(fs.existsSync(path.join(tree, rel)), `${a.uri} resolves to a file in the tree`);
          const region = loc.physicalLocation.region;
          assert.ok(region.startLine >= 1 && region.startColumn >= 1);
        }
      }
      assert.ok(results.some((r) => r.locations[0].physicalLocation.artifactLocation.uri === 'with%20space%20%26%20100%25/azuredeploy.json'));
    });

    await t.test('partialFingerprints are present and stable across two runs', async () => {
      const second = await run();
      assert.equal(second.code, 1);
      const again = JSON.parse(second.stdout).runs[0].results;
      const fp = (list) => list.map((r) => `${r.ruleId} ${r.locations[0].physicalLocation.artifactLocation.uri} ${JSON.stringify(r.partialFingerprints)}`);
      for (const r of results) {
        assert.ok(r.partialFingerprints && Object.keys(r.partialFingerprints).length > 0, `${r.ruleId} has partialFingerprints`);
      }
      assert.deepEqual(fp(again), fp(results));
      const values = results.map((r) => JSON.stringify(r.partialFingerprints));
      assert.equal(new Set(values).size, values.length, 'fingerprints tell results apart');
      assert.equal(second.stdout, first.stdout, 'the whole SARIF document is deterministic');
    });
  });
}
