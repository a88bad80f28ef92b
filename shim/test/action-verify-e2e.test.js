'use strict';
// The action's verify mode end to end: the REAL dist/index.js (wasm core), run the way the
// Actions runner runs it, against the fake ARM (test/helpers/fake-arm.js) and the fake GitHub
// REST API (test/helpers/fake-github.js) on loopback, with the recorded pull_request event
// payload (test/fixtures/events, see its SOURCE.md). Runs once per Node binary.

const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { actionDefaults } = require('./helpers/inputs');
const { runAction, nodeBinaries } = require('./helpers/runner');
const { startFakeGitHub } = require('./helpers/fake-github');
const { startFakeArm } = require('./helpers/fake-arm');
const { startProxy } = require('./helpers/proxy');
const { DIST_INDEX, PID, armTemplate, makeTree } = require('./helpers/e2e');

const EVENTS = path.join(__dirname, 'fixtures', 'events');
const PR_OPENED = path.join(EVENTS, 'pull_request_opened.payload.json');
const GH_TOKEN = 'ghs_verify_test_token_456';
const ARM_TOKEN = 'eyJ0eXAiOiJKV1Qi.arm-secret-token-789';
const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PR = 2; // the pull request in pull_request_opened.payload.json
const VERIFY_MARKER = '<!-- cua-check:verify key=default -->';
const CHECK_MARKER = '<!-- cua-check:comment key=default -->';
const SUB = '00000000-1111-2222-3333-444444444444';
const RG = 'contoso-rg';
const DEPLOYMENTS = '/providers/Microsoft.Resources/deployments';

// What the runner passes: every input declared in action.yml, with its default.
const DEFAULT_INPUTS = actionDefaults(GH_TOKEN);

const res = (rg, type, name) => ({ id: `/subscriptions/${SUB}/resourceGroups/${rg}/providers/${type}/${name}`, resourceType: type, resourceName: name });
const SA = res(RG, 'Microsoft.Storage/storageAccounts', 'contosostorage');
const SITE = res(RG, 'Microsoft.Web/sites', 'contoso-web');
const OTHER = res(RG, 'Microsoft.Sql/servers', 'unrelated-sql');
const NESTED = { id: `/subscriptions/${SUB}/resourceGroups/${RG}${DEPLOYMENTS}/${PID}`, resourceType: 'Microsoft.Resources/deployments', resourceName: PID };
// A resource whose name tries to inject workflow commands, HTML and a mention.
const EVIL = res(RG, 'Microsoft.Web/sites', '::error::pwned ##[error]x @someone <img src=x onerror=alert(1)> [a](https://evil.example)');

/** A resource group where `main` (correlation c-1) created SA and SITE, with the tracking deployment `tracked`. */
async function fakeArm({ tracked = true, extra = [], pageSize = 1 } = {}) {
  const arm = await startFakeArm({ token: ARM_TOKEN, pageSize });
  arm.addDeployment({ sub: SUB, rg: RG, name: 'main', correlationId: 'c-1', operations: [SA, NESTED, SITE, ...extra] });
  if (tracked) arm.addDeployment({ sub: SUB, rg: RG, name: PID, correlationId: 'c-1', operations: [] });
  arm.addDeployment({ sub: SUB, rg: RG, name: 'unrelated', correlationId: 'c-2', operations: [OTHER] });
  return arm;
}

const commentWrites = (gh) => gh.writes().filter((w) => /\/issues\/(\d+\/comments|comments\/\d+)$/.test(w.path));
const writesOf = (gh) => commentWrites(gh).map((w) => `${w.method} ${w.path}`);

/** Lines the runner would take as workflow commands (`::cmd…` after leading blanks, or `##[` anywhere). */
function commandLines(stdout) {
  return stdout.split('\n').filter((l) => l.trimStart().startsWith('::') || l.includes('##['));
}

/** Removes inline code spans: what is left is rendered Markdown/HTML. */
const outsideCode = (md) => md.replace(/(`+)[\s\S]*?\1/g, '');

for (const node of nodeBinaries()) {
  describe(`action verify mode e2e, real dist/index.js (${node.name})`, () => {
    const runs = [];
    const servers = [];
    after(async () => {
      for (const s of servers) await s.close();
    });
    async function github(options = {}) {
      const gh = await startFakeGitHub({ tokens: { [GH_TOKEN]: null }, ...options });
      servers.push(gh);
      return gh;
    }
    async function arm(options) {
      const a = await fakeArm(options);
      servers.push(a);
      return a;
    }

    async function go(label, { gh, armServer, inputs = {}, env = {}, event = PR_OPENED, eventName = 'pull_request' }) {
      const ws = makeTree({ 'azuredeploy.json': armTemplate() });
      const r = await runAction(DIST_INDEX, {
        node: node.path,
        github: gh,
        workspace: ws,
        cwd: ws,
        repository: `${OWNER}/${REPO}`,
        eventName,
        event,
        inputs: {
          ...DEFAULT_INPUTS,
          'verify-subscription': SUB,
          'verify-resource-group': RG,
          'verify-arm-endpoint': armServer ? armServer.url : '',
          ...inputs,
        },
        env: { AZURE_ACCESS_TOKEN: ARM_TOKEN, ...env },
      });
      runs.push({ label, r, writes: gh ? gh.writes().map((w) => JSON.stringify(w.body)) : [] });
      return r;
    }

    it('tracked: outputs, report file, job summary and one verify comment, updated (PATCH) on the next run', async () => {
      const gh = await github();
      const a = await arm();
      const r = await go('tracked', { gh, armServer: a, inputs: { 'verify-tracking-id': PID, 'registered-ids': PID } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.outputs.result, 'passed');
      assert.equal(r.outputs.tracked, '1');
      assert.equal(r.outputs.found, 'true');
      assert.equal(r.outputs['tracking-id'], PID);
      assert.equal(r.outputs.deployment, PID);
      assert.equal(r.outputs['correlation-id'], 'c-1');
      assert.equal(r.outputs.registered, 'true');
      assert.equal(r.outputs.resources, '2');
      assert.ok(r.outputs['report-file'].startsWith(r.runnerTemp), r.outputs['report-file']);
      const report = JSON.parse(fs.readFileSync(r.outputs['report-file'], 'utf8'));
      assert.equal(report.found, true);
      assert.deepEqual(report.resources.map((x) => x.resourceName).sort(), ['contoso-web', 'contosostorage']);
      // the log names the resources; nothing of the other correlation group
      assert.match(r.stdout, /✓ tracking deployment pid-7867e591-c1ee-4530-bed8-7387ab893a26 found in resource group contoso-rg/);
      assert.match(r.stdout, /Microsoft\.Storage\/storageAccounts contosostorage/);
      assert.doesNotMatch(r.stdout, /unrelated-sql/);
      // the job summary
      assert.match(r.summary, /### ✅ \*\*cua-check verify: tracked\*\*/);
      assert.match(r.summary, /\| Registered \| ✅ \|/);
      assert.match(r.summary, /`contosostorage`/);
      assert.match(r.summary, /`contoso-web`/);
      assert.doesNotMatch(r.summary, /unrelated-sql/);
      // the comment: created once, with the verify marker
      assert.deepEqual(writesOf(gh), [`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`]);
      const [mine] = gh.comments(OWNER, REPO, PR);
      assert.ok(mine.body.startsWith(`${VERIFY_MARKER}\n`), mine.body.slice(0, 100));
      assert.match(mine.body, /cua-check verify: tracked/);
      assert.match(mine.body, /\| Tracking ID \| `pid-7867e591-c1ee-4530-bed8-7387ab893a26` \|/);
      assert.match(mine.body, /\| `Microsoft\.Storage\/storageAccounts` \| `contosostorage` \|/);
      assert.match(mine.body, /\[workflow run\]\(http:\/\/127\.0\.0\.1:\d+\/Codertocat\/Hello-World\/actions\/runs\/1\)/);
      assert.equal(r.outputs['comment-url'], mine.html_url);

      // second run: the same comment is updated
      gh.clearRequests();
      const r2 = await go('tracked again', { gh, armServer: a, inputs: { 'verify-tracking-id': PID } });
      assert.equal(r2.code, 0, r2.stdout + r2.stderr);
      assert.deepEqual(writesOf(gh), [`PATCH /repos/${OWNER}/${REPO}/issues/comments/${mine.id}`]);
      assert.equal(gh.comments(OWNER, REPO, PR).length, 1);
      assert.match(gh.comments(OWNER, REPO, PR)[0].body, /\| Registered \| not checked \(no registry given\) \|/);
      assert.equal(r2.outputs['comment-url'], mine.html_url);
      assert.equal(r2.outputs.registered, '');
    });

    it('not tracked, then tracked: the comment is created red and turns green with PATCH; check and verify comments stay apart', async () => {
      const gh = await github();
      const a = await arm({ tracked: false });
      const r = await go('not tracked', { gh, armServer: a });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.equal(r.outputs.result, 'failed');
      assert.equal(r.outputs.found, 'false');
      assert.equal(r.outputs.tracked, '0');
      assert.equal(r.outputs['tracking-id'], '');
      const err = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      assert.equal(err.length, 1, r.stdout);
      assert.match(err[0], /no tracking deployment matching pid-<GUID> in resource group contoso-rg \(subscription 00000000-1111-2222-3333-444444444444\)/);
      assert.match(r.summary, /cua-check verify: not tracked/);
      assert.deepEqual(writesOf(gh), [`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`]);
      const [mine] = gh.comments(OWNER, REPO, PR);
      assert.ok(mine.body.startsWith(VERIFY_MARKER));
      assert.match(mine.body, /❌ \*\*cua-check verify: not tracked\*\*/);
      assert.match(mine.body, /\| Looked for \| `pid-<GUID>` \|/);

      // a check-mode step on the same pull request writes its own comment
      gh.clearRequests();
      const check = await runAction(DIST_INDEX, {
        node: node.path,
        github: gh,
        workspace: makeTree({ 'azuredeploy.json': armTemplate() }),
        repository: `${OWNER}/${REPO}`,
        eventName: 'pull_request',
        event: PR_OPENED,
        inputs: DEFAULT_INPUTS,
      });
      assert.equal(check.code, 1);
      assert.deepEqual(writesOf(gh), [`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`]);
      const all = gh.comments(OWNER, REPO, PR);
      assert.equal(all.length, 2);
      assert.ok(all[1].body.startsWith(CHECK_MARKER));

      // the deployment is redeployed with tracking: the verify comment (only) turns green
      a.addDeployment({ sub: SUB, rg: RG, name: PID, correlationId: 'c-1', operations: [] });
      gh.clearRequests();
      const r2 = await go('now tracked', { gh, armServer: a });
      assert.equal(r2.code, 0, r2.stdout + r2.stderr);
      assert.deepEqual(writesOf(gh), [`PATCH /repos/${OWNER}/${REPO}/issues/comments/${mine.id}`]);
      const after = gh.comments(OWNER, REPO, PR);
      assert.equal(after.length, 2);
      assert.match(after[0].body, /✅ \*\*cua-check verify: tracked\*\*/);
      assert.doesNotMatch(after[0].body, /not tracked/);
      assert.equal(after[1].body, all[1].body, 'the check comment is untouched');
    });

    it('verify-deployment: Deployments - Get of that deployment; a missing one is a finding naming it', async () => {
      const gh = await github();
      const a = await arm();
      const r = await go('by name', { gh, armServer: a, inputs: { 'verify-deployment': PID } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(a.requests[0].path, `/subscriptions/${SUB}/resourcegroups/${RG}${DEPLOYMENTS}/${PID}`);
      assert.equal(r.outputs.resources, '2');

      const r2 = await go('missing name', { gh, armServer: a, inputs: { 'verify-deployment': 'pid-00000000-0000-0000-0000-000000000000' } });
      assert.equal(r2.code, 1);
      const err = r2.stdout.split('\n').find((l) => l.startsWith('::error::'));
      assert.match(err, /deployment pid-00000000-0000-0000-0000-000000000000 was not found in resource group contoso-rg/);
      assert.match(gh.comments(OWNER, REPO, PR)[0].body, /\| Looked for \| `pid-00000000-0000-0000-0000-000000000000` \|/);
    });

    it('a 403 from ARM fails the step with the permission it needs; an existing comment says so, none is created', async () => {
      const gh = await github();
      const a = await arm();
      a.failNext(/./, { status: 403, body: { error: { code: 'AuthorizationFailed', message: "The client 'x' does not have authorization to perform action 'Microsoft.Resources/deployments/read'." } } });
      const r = await go('403 first', { gh, armServer: a });
      assert.equal(r.code, 1);
      const err = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
      assert.equal(err.length, 1, r.stdout);
      assert.match(err[0], /HTTP 403: the identity may not read deployments of resource group "contoso-rg" in subscription "00000000-1111-2222-3333-444444444444"/);
      assert.match(err[0], /Microsoft\.Resources\/deployments\/read/);
      assert.match(err[0], /Reader role/);
      assert.equal(r.outputs.result, 'failed');
      assert.equal(r.outputs.found, '');
      assert.deepEqual(commentWrites(gh), [], 'comment: auto creates no comment for a failure to check');
      assert.match(r.summary, /could not check the deployment/);

      // with a comment from an earlier run, it is updated so that it does not go stale
      await go('ok', { gh, armServer: a });
      const [mine] = gh.comments(OWNER, REPO, PR);
      a.failNext(/./, { status: 403, body: { error: { code: 'AuthorizationFailed', message: 'denied' } } });
      gh.clearRequests();
      const r2 = await go('403 again', { gh, armServer: a });
      assert.equal(r2.code, 1);
      assert.deepEqual(writesOf(gh), [`PATCH /repos/${OWNER}/${REPO}/issues/comments/${mine.id}`]);
      assert.match(gh.comments(OWNER, REPO, PR)[0].body, /⚠️ \*\*cua-check verify could not check the deployment\*\*/);
    });

    it('429 with Retry-After, then success', async () => {
      const gh = await github();
      const a = await arm();
      a.failNext(/\/operations$/, { status: 429, headers: { 'retry-after': '1' } });
      const t0 = Date.now();
      const r = await go('429', { gh, armServer: a, inputs: { 'verify-tracking-id': PID } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(Date.now() - t0 >= 900);
      assert.equal(r.outputs.resources, '2');
    });

    it('names read from ARM cannot inject workflow commands, HTML or mentions into the log, summary or comment', async () => {
      const gh = await github();
      const a = await arm({ extra: [EVIL] });
      const r = await go('evil', { gh, armServer: a });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      for (const l of commandLines(r.stdout)) assert.match(l, /^::(add-mask|error|warning|notice)::/, `unexpected command line: ${l}`);
      assert.ok(r.stdout.includes('pwned'), 'the name is shown, escaped');
      const body = commentWrites(gh)[0].body.body;
      for (const [what, md] of [['comment', body], ['summary', r.summary]]) {
        const rendered = outsideCode(md);
        assert.ok(!/<img/i.test(rendered), `${what}: raw <img outside code`);
        assert.ok(!/@someone/.test(rendered), `${what}: mention outside code`);
        assert.ok(!/\[a\]\(https:\/\/evil/.test(rendered), `${what}: live link`);
        const row = md.split('\n').find((l) => l.includes('pwned'));
        assert.equal(row.split(' | ').length, 3, `${what}: the name stays in its table cell: ${row}`);
      }
    });

    it('subscription scope: verify-subscription and verify-location without a resource group', async () => {
      const gh = await github();
      const a = await startFakeArm({ token: ARM_TOKEN, pageSize: 1 });
      servers.push(a);
      const RGRES = { id: `/subscriptions/${SUB}/resourceGroups/app-rg`, resourceType: 'Microsoft.Resources/resourceGroups', resourceName: 'app-rg' };
      a.addDeployment({ sub: SUB, location: 'westus2', name: 'landing-zone', correlationId: 's-1', operations: [RGRES] });
      a.addDeployment({ sub: SUB, location: 'westus2', name: PID, correlationId: 's-1', operations: [] });
      const r = await go('subscription', { gh, armServer: a, inputs: { 'verify-resource-group': '', 'verify-location': 'westus2' } });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.outputs.resources, '1');
      for (const q of a.requests) assert.ok(q.path.startsWith(`/subscriptions/${SUB}${DEPLOYMENTS}`), q.url);
      assert.match(r.summary, /\| Scope \| subscription `00000000-1111-2222-3333-444444444444` · location `westus2` \|/);
      assert.match(gh.comments(OWNER, REPO, PR)[0].body, /`app-rg`/);
    });

    it('invalid verify inputs and a missing Azure token fail the step before any request, naming what is wrong', async () => {
      const gh = await github();
      const a = await arm();
      const cases = [
        [{ 'verify-subscription': '' }, {}, /input 'verify-subscription' is required/],
        [{ 'verify-tracking-id': 'pid-nope' }, {}, /invalid value "pid-nope" for input 'verify-tracking-id' \(allowed values: a tracking ID/],
        [{ 'verify-tracking-id': PID, 'verify-deployment': 'x' }, {}, /'verify-deployment' and 'verify-tracking-id' are both set/],
        [{ 'verify-location': 'westus2' }, {}, /input 'verify-location' applies to subscription-scope deployments only/],
        [{ 'verify-arm-endpoint': 'mars' }, {}, /invalid value "mars" for input 'verify-arm-endpoint' \(allowed values: public, usgov, china/],
        [{}, { AZURE_ACCESS_TOKEN: undefined, PATH: '/nonexistent' }, /no Azure access token: set the AZURE_ACCESS_TOKEN environment variable/],
      ];
      for (const [inputs, env, message] of cases) {
        const r = await go(`invalid ${JSON.stringify(inputs)}`, { gh, armServer: a, inputs, env });
        assert.equal(r.code, 1, `${JSON.stringify(inputs)} must fail the step`);
        const err = r.stdout.split('\n').filter((l) => l.startsWith('::error::'));
        assert.equal(err.length, 1, r.stdout);
        assert.match(err[0], message);
      }
      assert.deepEqual(a.requests, [], 'no ARM request');
      assert.deepEqual(gh.writes(), []);
    });

    it('a fork pull request gets no comment; the result still shows in the log and the summary', async () => {
      const gh = await github();
      const a = await arm();
      const event = JSON.parse(fs.readFileSync(PR_OPENED, 'utf8'));
      event.pull_request.head.repo.owner.id = 999999;
      const r = await go('fork', { gh, armServer: a, event });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.ok(r.stdout.split('\n').some((l) => l.startsWith('::notice::') && /workflow_run/.test(l)), r.stdout);
      assert.deepEqual(gh.writes(), []);
      assert.match(r.summary, /cua-check verify: tracked/);
    });

    it('behind a proxy: ARM requests go through HTTPS_PROXY/HTTP_PROXY, the loopback GitHub API does not', async () => {
      const gh = await github();
      const a = await arm();
      const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1' } });
      servers.push(proxy);
      const r = await go('proxy', {
        gh,
        armServer: a,
        inputs: { 'verify-arm-endpoint': `http://arm.test:${a.port}` },
        env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: proxy.url },
      });
      assert.equal(r.code, 0, r.stdout + r.stderr);
      assert.equal(r.outputs.resources, '2');
      assert.ok(a.requests.length >= 4);
      for (const q of a.requests) assert.equal(q.host, `arm.test:${a.port}`);
      assert.ok(proxy.requests.length >= 1);
      assert.ok(proxy.requests.every((p) => p.target.startsWith(`arm.test:${a.port}`) || p.target.startsWith(`http://arm.test:${a.port}/`)), JSON.stringify(proxy.requests));
      assert.deepEqual(writesOf(gh), [`POST /repos/${OWNER}/${REPO}/issues/${PR}/comments`], 'GitHub (on 127.0.0.1) was reached directly');
    });

    it('neither token is ever printed (only in ::add-mask::), nor in outputs, summary, report or comment bodies', () => {
      assert.ok(runs.length >= 15, `runs recorded: ${runs.length}`);
      for (const { label, r, writes } of runs) {
        for (const token of [ARM_TOKEN, GH_TOKEN]) {
          assert.ok(!r.stderr.includes(token), `${label}: token in stderr`);
          const leaking = r.stdout.split('\n').filter((l) => l.includes(token) && l !== `::add-mask::${token}`);
          assert.deepEqual(leaking, [], `${label}: token in stdout`);
          assert.ok(!JSON.stringify(r.outputs).includes(token), `${label}: token in outputs`);
          assert.ok(!(r.summary || '').includes(token), `${label}: token in summary`);
          for (const w of writes) assert.ok(!w.includes(token), `${label}: token in a request body`);
          const reportFile = r.outputs['report-file'];
          if (reportFile && fs.existsSync(reportFile)) assert.ok(!fs.readFileSync(reportFile, 'utf8').includes(token), `${label}: token in the report`);
        }
        if (r.outputs.result) {
          const mask = r.stdout.split('\n').indexOf(`::add-mask::${ARM_TOKEN}`);
          assert.ok(mask >= 0, `${label}: the ARM token is masked`);
        }
      }
    });
  });
}
