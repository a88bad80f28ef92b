'use strict';
// `cua-check verify` against a fake ARM server, through BOTH dist/cli.js and the native binary.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { startFakeArm } = require('./helpers/fake-arm');
const { ROOT, DIST_CLI, runNode, runProcess } = require('./helpers/e2e');
const { nodeBinaries } = require('./helpers/runner');

const NATIVE = path.resolve(ROOT, process.env.CUA_CHECK_NATIVE || path.join('target', 'debug', 'cua-check'));
const TOKEN = 'eyJ0eXAi.secret-token-value-123';
const SUB = '00000000-1111-2222-3333-444444444444';
const PID = 'pid-7867e591-c1ee-4530-bed8-7387ab893a26';
const SA = { id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Storage/storageAccounts/sa1`, resourceType: 'Microsoft.Storage/storageAccounts', resourceName: 'sa1' };
const VNET = { id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Network/virtualNetworks/vn1`, resourceType: 'Microsoft.Network/virtualNetworks', resourceName: 'vn1' };
const OTHER = { id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Web/sites/other`, resourceType: 'Microsoft.Web/sites', resourceName: 'other' };
const NESTED = { id: `/subscriptions/${SUB}/resourceGroups/rg1/providers/Microsoft.Resources/deployments/${PID}`, resourceType: 'Microsoft.Resources/deployments', resourceName: PID };

const runners = [];
for (const node of nodeBinaries()) {
  if (fs.existsSync(DIST_CLI)) runners.push({ name: `dist/cli.js (${node.name})`, run: (args, env) => runNode(node.path, DIST_CLI, args, { env }) });
}
if (fs.existsSync(NATIVE)) runners.push({ name: 'native', run: (args, env) => runProcess(NATIVE, args, { env }) });

async function fixture(pageSize = 100) {
  const arm = await startFakeArm({ token: TOKEN, pageSize });
  arm.addDeployment({ sub: SUB, rg: 'rg1', name: 'main', correlationId: 'corr-1', operations: [SA, NESTED, VNET] });
  arm.addDeployment({ sub: SUB, rg: 'rg1', name: PID.toUpperCase(), correlationId: 'corr-1', operations: [] });
  arm.addDeployment({ sub: SUB, rg: 'rg1', name: 'unrelated', correlationId: 'corr-2', operations: [OTHER] });
  return arm;
}

const env = { AZURE_ACCESS_TOKEN: TOKEN, CUA_CHECK_RETRY_BASE_MS: '1', NO_COLOR: '1', PATH: '/nonexistent' };
const base = (arm) => ['verify', '--subscription', SUB, '--resource-group', 'rg1', '--arm-endpoint', arm.url];

for (const r of runners) {
  test(`verify via ${r.name}`, async (t) => {
    await t.test('tracked deployment: its correlation group resources, not deployments, not another group', async () => {
      const arm = await fixture();
      const out = await r.run([...base(arm), '--tracking-id', PID, '--format', 'json', '--registered', PID], env);
      await arm.close();
      assert.equal(out.code, 0, out.stderr);
      const j = JSON.parse(out.stdout);
      assert.equal(j.found, true);
      assert.equal(j.trackingId, PID);
      assert.equal(j.registered, true);
      assert.deepEqual(j.resources.map((x) => x.resourceName).sort(), ['sa1', 'vn1']);
      assert.ok(!out.stdout.includes(TOKEN) && !out.stderr.includes(TOKEN));
    });
    await t.test('text output and paging on deployments and operations', async () => {
      const arm = await fixture(1);
      const out = await r.run([...base(arm), '--tracking-id', PID], env);
      await arm.close();
      assert.equal(out.code, 0, out.stderr);
      assert.match(out.stdout, /sa1/);
      assert.match(out.stdout, /vn1/);
      assert.doesNotMatch(out.stdout, /other/);
      assert.ok(arm.requests.some((q) => q.url.includes('skiptoken') && q.url.includes('/operations')));
      assert.ok(arm.requests.some((q) => q.url.includes('skiptoken') && !q.url.includes('/operations')));
    });
    await t.test('tracking deployment missing: exit 1', async () => {
      const arm = await startFakeArm({ token: TOKEN });
      arm.addDeployment({ sub: SUB, rg: 'rg1', name: 'main', correlationId: 'c', operations: [SA] });
      const out = await r.run([...base(arm), '--tracking-id', PID], env);
      await arm.close();
      assert.equal(out.code, 1, out.stderr);
      assert.match(out.stdout, /no tracking deployment matching pid-7867e591/);
    });
    await t.test('429 with Retry-After then success', async () => {
      const arm = await fixture();
      arm.failNext(/\/deployments\/?$/, { status: 429, headers: { 'retry-after': '1' } });
      const t0 = Date.now();
      const out = await r.run([...base(arm), '--tracking-id', PID], env);
      await arm.close();
      assert.equal(out.code, 0, out.stderr);
      assert.ok(Date.now() - t0 >= 900);
    });
    await t.test('403: permission message, exit 2, no token', async () => {
      const arm = await fixture();
      arm.failNext(/./, { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'denied' } } });
      const out = await r.run([...base(arm), '--tracking-id', PID], env);
      await arm.close();
      assert.equal(out.code, 2);
      assert.match(out.stderr, /Microsoft\.Resources\/deployments\/read/);
      assert.ok(!out.stdout.includes(TOKEN) && !out.stderr.includes(TOKEN));
    });
    await t.test('401: wrong token says az login', async () => {
      const arm = await fixture();
      const out = await r.run([...base(arm), '--tracking-id', PID], { ...env, AZURE_ACCESS_TOKEN: 'wrong' });
      await arm.close();
      assert.equal(out.code, 2);
      assert.match(out.stderr, /az login/);
    });
  });
}
