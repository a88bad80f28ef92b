'use strict';
// The action shim end to end: dist/index.js bundled from the fake core
// (test/helpers/fake-core.js), run as the Actions runner would, against the fake GitHub.
const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { actionDefaults } = require('./helpers/inputs');
const { buildFakeDist } = require('./helpers/build');
const { runAction, nodeBinaries } = require('./helpers/runner');
const { startFakeGitHub } = require('./helpers/fake-github');

const EVENTS = path.join(__dirname, 'fixtures', 'events');
const PR_OPENED = path.join(EVENTS, 'pull_request_opened.payload.json');
const PUSH = path.join(EVENTS, 'push_payload.json');
const TOKEN = 'ghs_actionTOKENabcdef0123456789';
const OWNER = 'Codertocat';
const REPO = 'Hello-World';

const baseInputs = actionDefaults(TOKEN);

function annotations(r) {
  return r.commands.filter((c) => ['error', 'warning', 'notice'].includes(c.command));
}

for (const node of nodeBinaries()) {
  test(`action (${node.name})`, async (t) => {
    const { index } = buildFakeDist();
    const gh = await startFakeGitHub({ pageSize: 2, tokens: { [TOKEN]: { login: 'cua-bot', type: 'Bot' } } });
    t.after(() => gh.close());
    const prNumber = JSON.parse(fs.readFileSync(PR_OPENED, 'utf8')).pull_request.number;
    const go = (opts = {}) =>
      runAction(index, {
        node: node.path,
        github: gh,
        eventName: 'pull_request',
        event: PR_OPENED,
        ...opts,
        inputs: { ...baseInputs, ...(opts.inputs || {}) },
      });

    await t.test('pull request: annotations, outputs, files, summary, comment created then updated', async () => {
      // other people's comments, some with the marker, spread over several pages
      for (let i = 0; i < 6; i++) gh.addComment(OWNER, REPO, prNumber, { body: `noise ${i}`, login: 'someone' });
      gh.addComment(OWNER, REPO, prNumber, { body: '<!-- cua-check:default -->\nforged', login: 'mallory' });
      gh.clearRequests();
      const sarif = path.join(require('os').tmpdir(), `cua-sarif-${process.pid}`, 'deep', 'out.sarif');
      const r = await go({ inputs: { 'sarif-file': sarif } });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      // inputs reach the core raw with hyphenated names; the token is masked first
      assert.ok(r.stdout.startsWith(`::add-mask::${TOKEN}\n`), r.stdout.slice(0, 200));
      // every INPUT_* variable, as the runner set it (action.yml's defaults: empty but the token)
      const line = r.stdout.split('\n').find((l) => l.startsWith('inputs {'));
      const passed = JSON.parse(line.slice('inputs '.length));
      assert.deepEqual(Object.keys(passed).sort(), Object.keys(baseInputs).concat('sarif-file').filter((k, i, a) => a.indexOf(k) === i).sort());
      assert.equal(passed['fail-on'], '');
      assert.equal(passed['sarif-file'], sarif);
      assert.equal(passed.token, '(set)');
      assert.match(r.stdout, /^env GITHUB_API_URL,GITHUB_REF,GITHUB_REPOSITORY,GITHUB_RUN_ID,GITHUB_SERVER_URL,GITHUB_SHA,GITHUB_STEP_SUMMARY,GITHUB_WORKSPACE,RUNNER_TEMP$/m);
      assert.match(r.stdout, new RegExp(`^pr \\{"number":${prNumber}\\}$`, 'm'));
      const ann = annotations(r);
      assert.deepEqual(ann.map((a) => a.command), ['error', 'warning', 'notice']);
      assert.deepEqual(ann[0].props, { title: 'CUA001', file: 'dir,with:odd%chars/main.json', line: '3', col: '5', endLine: '3', endColumn: '9' });
      assert.equal(ann[0].message, 'missing tracking ID\nsecond line 100%');
      assert.deepEqual(ann[1].props, { title: 'CUA002', file: 'b.bicep', line: '1' });
      assert.deepEqual(ann[2].props, {});
      assert.equal(r.outputs.result, 'fail');
      assert.equal(r.outputs.errors, '1');
      assert.equal(r.outputs.multi, 'line one\nline two');
      assert.equal(r.outputs['sarif-file'], sarif);
      assert.ok(fs.existsSync(r.outputs['report-file']));
      assert.ok(r.outputs['report-file'].startsWith(r.runnerTemp));
      assert.equal(fs.readFileSync(sarif, 'utf8'), '{"version":"2.1.0"}');
      assert.equal(r.summary, '## cua-check\n\n| a | b |\n|---|---|\n| 1 | 2 |\n');
      // the comment: all pages listed (cursor sent back), new comment by the token's identity
      const lists = gh.requests.filter((q) => q.method === 'GET' && /\/issues\/\d+\/comments$/.test(q.path));
      assert.equal(lists.length, 4);
      assert.deepEqual(lists.slice(1).map((q) => q.query.cursor), ['c2', 'c3', 'c4']);
      const writes = gh.writes();
      assert.equal(writes.length, 1);
      assert.equal(writes[0].method, 'POST');
      const mine = gh.comments(OWNER, REPO, prNumber).filter((c) => c.user.login === 'cua-bot');
      assert.equal(mine.length, 1);
      assert.equal(r.outputs['comment-url'], mine[0].html_url);
      assert.ok(!r.stderr.includes(TOKEN) && !JSON.stringify(r.outputs).includes(TOKEN));
      assert.equal(r.stdout.split(TOKEN).length, 2, 'the token appears only in add-mask');

      gh.clearRequests();
      const r2 = await go({ sha: 'ffffffffffffffffffffffffffffffffffffffff' });
      assert.equal(r2.code, 1);
      const w2 = gh.writes();
      assert.equal(w2.length, 1);
      assert.equal(w2[0].method, 'PATCH');
      assert.equal(w2[0].path, `/repos/${OWNER}/${REPO}/issues/comments/${mine[0].id}`);
      assert.match(w2[0].body.body, /report for f{40}/);
      assert.equal(r2.outputs['comment-url'], mine[0].html_url);
      fs.rmSync(path.dirname(path.dirname(sarif)), { recursive: true, force: true });
    });

    await t.test('comment failures warn and never change the exit code', async () => {
      const gh2 = await startFakeGitHub({ tokens: { [TOKEN]: { login: 'cua-bot' } } });
      try {
        gh2.failNext('POST', /\/comments$/, { status: 403, message: 'Resource not accessible by integration' });
        const r = await go({ github: gh2, inputs: { 'fail-on': 'never' } });
        assert.equal(r.code, 0, r.stdout + r.stderr);
        const warn = r.commands.find((c) => c.command === 'warning' && /could not comment/.test(c.message));
        assert.ok(warn, r.stdout);
        assert.equal(warn.message, 'could not comment (403): Resource not accessible by integration');
        assert.equal(r.outputs['comment-url'], undefined);
        assert.equal(gh2.writes().length, 1, 'a 403 is not retried');

        gh2.failNext('GET', /\/comments$/, { status: 404, times: 1 });
        const r2 = await go({ github: gh2 });
        assert.equal(r2.code, 1);
        assert.ok(r2.commands.some((c) => c.command === 'warning' && /^could not comment \(404\)/.test(c.message)));
      } finally {
        await gh2.close();
      }
    });

    await t.test('GITHUB_TOKEN identity: viewer and /user refused, a bot-written marked comment is ours', async () => {
      const gh3 = await startFakeGitHub({ tokens: { [TOKEN]: null } });
      try {
        gh3.addComment(OWNER, REPO, prNumber, { body: '<!-- cua-check:default -->\nold', login: 'github-actions[bot]', type: 'Bot' });
        const r = await go({ github: gh3 });
        assert.equal(r.code, 1);
        assert.deepEqual(gh3.writes().map((w) => w.method), ['PATCH']);
      } finally {
        await gh3.close();
      }
    });

    await t.test('5xx on the comment list is retried', async () => {
      gh.failNext('GET', /\/issues\/\d+\/comments$/, { status: 502, times: 2 });
      gh.clearRequests();
      const r = await go();
      assert.equal(r.code, 1);
      assert.ok(!r.commands.some((c) => c.command === 'warning' && /could not comment/.test(c.message)), r.stdout);
      assert.deepEqual(gh.writes().map((w) => w.method), ['PATCH']);
    });

    await t.test('push: PR looked up by sha, changed files paginated', async () => {
      const sha = JSON.parse(fs.readFileSync(PUSH, 'utf8')).after;
      gh.pulls[`${OWNER}/${REPO}@${sha}`] = [{ number: 41, state: 'closed' }, { number: 42, state: 'open' }];
      gh.files[`${OWNER}/${REPO}#42`] = ['a.json', 'b/c.bicep', 'd.tf'];
      gh.clearRequests();
      const r = await go({ eventName: 'push', event: PUSH, sha, inputs: { scope: 'changed', comment: 'never' } });
      assert.equal(r.code, 1);
      assert.match(r.stdout, /^pr \{"number":42\}$/m);
      assert.match(r.stdout, /^changed \["a\.json","b\/c\.bicep","d\.tf"\]$/m);
      assert.equal(gh.writes().length, 0);
      const report = JSON.parse(fs.readFileSync(r.outputs['report-file'], 'utf8'));
      assert.deepEqual(report, { changedFiles: ['a.json', 'b/c.bicep', 'd.tf'], pullRequest: { number: 42 } });
    });

    await t.test('push: lookup failure warns with the core template and goes on without a PR', async () => {
      gh.failNext('GET', /\/commits\/[^/]+\/pulls$/, { status: 500, times: 10 });
      gh.clearRequests();
      const r = await go({ eventName: 'push', event: PUSH, sha: 'abc', inputs: { scope: 'changed' } });
      gh.state.failures.length = 0;
      assert.equal(r.code, 1);
      assert.ok(r.commands.some((c) => c.command === 'warning' && c.message === 'lookup failed (500): scripted 500'), r.stdout);
      assert.match(r.stdout, /^pr null$/m);
      assert.match(r.stdout, /^changed null$/m);
      assert.equal(gh.writes().length, 0);
    });

    await t.test('no token: no API calls at all', async () => {
      gh.clearRequests();
      const r = await go({ inputs: { token: '' } });
      assert.equal(r.code, 1);
      assert.equal(gh.requests.length, 0);
      assert.ok(!r.stdout.includes('::add-mask::'));
    });

    await t.test('missing event file is null, unset GITHUB_STEP_SUMMARY skips the summary', async () => {
      const r = await go({ event: null, eventName: 'workflow_dispatch', env: { GITHUB_STEP_SUMMARY: null } });
      assert.equal(r.code, 1, r.stdout + r.stderr);
      assert.match(r.stdout, /^event workflow_dispatch$/m);
      assert.equal(r.summary, '');
    });

    await t.test('context not ok: setFailed with the core error, exit 1', async () => {
      gh.clearRequests();
      const r = await go({ inputs: { mode: 'bad-context' } });
      assert.equal(r.code, 1);
      assert.ok(r.commands.some((c) => c.command === 'error' && c.message === 'bad context input'));
      assert.equal(gh.requests.length, 0);
      assert.deepEqual(r.outputs, {});
    });

    await t.test('check not ok: setFailed with the core error, exit 1', async () => {
      const r = await go({ inputs: { mode: 'bad-input', 'fail-on': 'never' } });
      assert.equal(r.code, 1);
      assert.ok(r.commands.some((c) => c.command === 'error' && c.message === 'invalid input mode: bad-input'));
      assert.deepEqual(r.outputs, {});
    });

    for (const step of ['context', 'check']) {
      await t.test(`a panic in the ${step} step is reported, exit 1`, async () => {
        const r = await go({ inputs: { mode: `panic-${step}` } });
        assert.equal(r.code, 1);
        const err = r.commands.find((c) => c.command === 'error');
        assert.ok(err, r.stdout + r.stderr);
        assert.match(err.message, new RegExp(`internal error in the core \\(step '${step}'\\): panicked at src/lib\\.rs:1:1:\\nfake ${step} panic`));
        assert.match(err.message, /please report this/);
      });
    }

    await t.test('a panic in the comment step is reported, exit 1', async () => {
      const r = await go({ inputs: { 'comment-key': 'panic', 'fail-on': 'never' } });
      assert.equal(r.code, 1);
      assert.ok(r.commands.some((c) => c.command === 'error' && /step 'comment'.*fake comment panic/s.test(c.message)), r.stdout);
    });

    await t.test('fork notice is emitted', async () => {
      const r = await go({ inputs: { mode: 'fork', comment: 'never' } });
      assert.ok(r.commands.some((c) => c.command === 'notice' && c.message === 'fork PR: no comment'));
    });
  });
}

test('GHES: the API prefix is used for every call', async (t) => {
  const { index } = buildFakeDist();
  const gh = await startFakeGitHub({ prefix: '/api/v3', tokens: { [TOKEN]: { login: 'ghes-bot' } } });
  t.after(() => gh.close());
  const r = await runAction(index, { github: gh, eventName: 'pull_request', event: PR_OPENED, inputs: { ...baseInputs, scope: 'changed' } });
  assert.equal(r.code, 1);
  assert.ok(gh.requests.length >= 3);
  // REST under /api/v3, GraphQL (the token's identity) at /api/graphql
  assert.ok(gh.requests.every((q) => q.path.startsWith('/api/v3/') || q.path === '/api/graphql'), JSON.stringify(gh.requests.map((q) => q.path)));
  assert.ok(gh.requests.some((q) => q.path === '/api/graphql'));
  assert.ok(r.outputs['comment-url']);
});

test('the bundle without its wasm reports an internal error', async () => {
  const { dist } = buildFakeDist();
  const tmp = fs.mkdtempSync(path.join(require('os').tmpdir(), 'cua-nowasm-'));
  fs.copyFileSync(path.join(dist, 'index.js'), path.join(tmp, 'index.js'));
  const r = await runAction(path.join(tmp, 'index.js'), { inputs: baseInputs });
  assert.equal(r.code, 1);
  assert.ok(r.commands.some((c) => c.command === 'error' && /internal error in the core \(step 'load'\).*cua_check_bg\.wasm/.test(c.message)), r.stdout);
  fs.rmSync(tmp, { recursive: true, force: true });
});
