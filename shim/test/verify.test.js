'use strict';
// `cua-check verify` against a fake ARM server, through BOTH dist/cli.js and the native binary.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { startFakeArm } = require('./helpers/fake-arm');
const { startProxy } = require('./helpers/proxy');
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

// No proxy from the caller's environment: the proxy tests set their own.
const NO_PROXY_ENV = { HTTP_PROXY: undefined, HTTPS_PROXY: undefined, http_proxy: undefined, https_proxy: undefined, NO_PROXY: undefined, no_proxy: undefined };
const env = { AZURE_ACCESS_TOKEN: TOKEN, CUA_CHECK_RETRY_BASE_MS: '1', NO_COLOR: '1', PATH: '/nonexistent', ...NO_PROXY_ENV };
const DEPLOYMENTS = '/providers/Microsoft.Resources/deployments';
const pathOf = (q) => q.url.split('?')[0];
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

    await t.test('--deployment: Deployments - Get of that one deployment, then its correlation group', async () => {
      const arm = await fixture(1);
      const out = await r.run([...base(arm), '--deployment', PID.toUpperCase(), '--format', 'json'], env);
      await arm.close();
      assert.equal(out.code, 0, out.stderr);
      const first = arm.requests[0];
      assert.equal(first.method, 'GET');
      assert.equal(pathOf(first), `/subscriptions/${SUB}/resourcegroups/rg1${DEPLOYMENTS}/${PID.toUpperCase()}`);
      assert.match(first.url, /\?api-version=2021-04-01$/);
      // the one GET by name; the rest are the (paged) list and the operations
      const byName = arm.requests.filter((q) => /\/deployments\/[^/]+$/.test(pathOf(q)));
      assert.equal(byName.length, 1, JSON.stringify(arm.requests.map((q) => q.url)));
      const j = JSON.parse(out.stdout);
      assert.equal(j.found, true);
      assert.equal(j.deployment, PID.toUpperCase());
      assert.equal(j.correlationId, 'corr-1');
      assert.deepEqual(j.correlatedDeployments.sort(), ['main', PID.toUpperCase()].sort());
      assert.deepEqual(j.resources.map((x) => x.resourceName).sort(), ['sa1', 'vn1']);
      assert.ok(!arm.requests.some((q) => q.url.includes('/unrelated/')), 'the other correlation group is not read');
    });
    await t.test('--deployment that does not exist: a finding naming it, the group and the subscription', async () => {
      const arm = await fixture();
      const out = await r.run([...base(arm), '--deployment', 'pid-00000000-0000-0000-0000-000000000000'], env);
      await arm.close();
      assert.equal(out.code, 1, out.stderr);
      assert.match(out.stdout, /deployment pid-00000000-0000-0000-0000-000000000000 was not found in resource group rg1 \(subscription 00000000-1111-2222-3333-444444444444\)/);
      assert.equal(arm.requests.length, 1, 'nothing is listed after the 404');
    });
    await t.test('a resource group that does not exist is a failure that names it', async () => {
      const arm = await fixture();
      const out = await r.run(['verify', '--subscription', SUB, '--resource-group', 'rg-typo', '--arm-endpoint', arm.url], env);
      await arm.close();
      assert.equal(out.code, 2);
      assert.match(out.stderr, /resource group "rg-typo" was not found in subscription "00000000-1111-2222-3333-444444444444"/);
    });

    const subFixture = async (pageSize) => {
      const arm = await startFakeArm({ token: TOKEN, pageSize });
      const S = (p) => `/subscriptions/${SUB}${p}`;
      const RG = { id: S('/resourceGroups/app-rg'), resourceType: 'Microsoft.Resources/resourceGroups', resourceName: 'app-rg' };
      const POLICY = { id: S('/providers/Microsoft.Authorization/policyAssignments/tagging'), resourceType: 'Microsoft.Authorization/policyAssignments', resourceName: 'tagging' };
      const NESTED_SUB = { id: S(`${DEPLOYMENTS}/${PID}`), resourceType: 'Microsoft.Resources/deployments', resourceName: PID };
      arm.addDeployment({ sub: SUB, location: 'westus2', name: 'landing-zone', correlationId: 'sub-corr', operations: [RG, NESTED_SUB, POLICY] });
      arm.addDeployment({ sub: SUB, location: 'westus2', name: PID, correlationId: 'sub-corr', operations: [] });
      arm.addDeployment({ sub: SUB, location: 'eastus', name: 'other-sub-deployment', correlationId: 'sub-corr-2', operations: [OTHER] });
      // a resource-group deployment with the same name is not looked at
      arm.addDeployment({ sub: SUB, rg: 'rg1', name: PID, correlationId: 'rg-corr', operations: [SA] });
      return arm;
    };
    const subBase = (arm) => ['verify', '--subscription', SUB, '--arm-endpoint', arm.url];

    await t.test('subscription scope (--location, no resource group): List, Operations at subscription scope, with paging', async () => {
      const arm = await subFixture(1);
      const out = await r.run([...subBase(arm), '--location', 'westus2', '--tracking-id', PID, '--format', 'json'], env);
      await arm.close();
      assert.equal(out.code, 0, out.stderr);
      const j = JSON.parse(out.stdout);
      assert.equal(j.found, true);
      assert.equal(j.trackingId, PID);
      assert.equal(j.location, 'westus2');
      assert.equal(j.resourceGroup, null);
      assert.deepEqual(j.resources.map((x) => x.resourceName).sort(), ['app-rg', 'tagging']);
      for (const q of arm.requests) assert.ok(pathOf(q).startsWith(`/subscriptions/${SUB}${DEPLOYMENTS}`), q.url);
      assert.ok(arm.requests.some((q) => q.url.includes('skiptoken') && !q.url.includes('/operations')), 'the list was paged');
      assert.ok(arm.requests.some((q) => q.url.includes('skiptoken') && q.url.includes('/operations')), 'the operations were paged');
      assert.ok(!arm.requests.some((q) => q.url.includes('other-sub-deployment')));
    });
    await t.test('subscription scope: --location filters by the deployments\' location', async () => {
      const arm = await subFixture(2);
      const out = await r.run([...subBase(arm), '--location', 'East US', '--tracking-id', PID], env);
      await arm.close();
      assert.equal(out.code, 1, out.stderr);
      assert.match(out.stdout, /no tracking deployment matching pid-7867e591-c1ee-4530-bed8-7387ab893a26 in subscription 00000000-1111-2222-3333-444444444444 \(location East US\) \(1 deployment listed\)/);
      assert.ok(!arm.requests.some((q) => q.url.includes('/operations')));
    });
    await t.test('subscription scope: --deployment uses Deployments - Get At Subscription Scope', async () => {
      const arm = await subFixture(1);
      const out = await r.run([...subBase(arm), '--deployment', PID, '--location', 'westus2'], env);
      await arm.close();
      assert.equal(out.code, 0, out.stderr);
      assert.equal(pathOf(arm.requests[0]), `/subscriptions/${SUB}${DEPLOYMENTS}/${PID}`);
      assert.match(out.stdout, /tagging/);
      assert.doesNotMatch(out.stdout, /sa1/);

      const arm2 = await subFixture(1);
      const out2 = await r.run([...subBase(arm2), '--deployment', PID, '--location', 'eastus'], env);
      await arm2.close();
      assert.equal(out2.code, 1, out2.stderr);
      assert.match(out2.stdout, /is stored in location westus2, not eastus/);
    });

    await t.test('HTTP_PROXY / HTTPS_PROXY: requests go through the proxy; NO_PROXY bypasses it', async () => {
      // arm.test resolves only inside the proxy: an answer proves the request went through it.
      const arm = await fixture(1);
      const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1' } });
      const endpoint = `http://arm.test:${arm.port}`;
      const args = ['verify', '--subscription', SUB, '--resource-group', 'rg1', '--arm-endpoint', endpoint, '--tracking-id', PID];
      try {
        const out = await r.run(args, { ...env, HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url });
        assert.equal(out.code, 0, out.stdout + out.stderr);
        assert.match(out.stdout, /sa1/);
        assert.ok(arm.requests.length >= 4, 'list pages and operations were answered');
        for (const q of arm.requests) assert.equal(q.host, `arm.test:${arm.port}`, 'the fake ARM was reached under the proxied name');
        assert.ok(proxy.requests.length >= 1);
        for (const p of proxy.requests) assert.ok(p.target.includes(`arm.test:${arm.port}`), JSON.stringify(p));
        for (const p of proxy.requests.filter((x) => x.method === 'CONNECT')) assert.equal(p.authorization, null, 'no token to the proxy on CONNECT');
        assert.ok(!out.stdout.includes(TOKEN) && !out.stderr.includes(TOKEN));

        // without the proxy the name does not resolve; with NO_PROXY the proxy is bypassed
        for (const extra of [{}, { HTTP_PROXY: proxy.url, HTTPS_PROXY: proxy.url, NO_PROXY: 'arm.test' }]) {
          const before = proxy.requests.length;
          const direct = await r.run(args, { ...env, ...extra });
          assert.equal(direct.code, 2, direct.stdout + direct.stderr);
          assert.match(direct.stderr, /no answer/);
          assert.equal(proxy.requests.length, before, `the proxy was not used with ${JSON.stringify(extra)}`);
        }
      } finally {
        await proxy.close();
        await arm.close();
      }
    });
  });
}
