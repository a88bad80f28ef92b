'use strict';
// Issue 15, the action's behaviour: the REAL dist/index.js (wasm core) run as the runner runs it
// (INPUT_*, GITHUB_EVENT_PATH with the real webhook payloads of fixtures/events, the same files as
// ../shared/fixtures/github-events, GITHUB_STEP_SUMMARY, GITHUB_OUTPUT) against the loopback GitHub
// API of helpers/fake-github.js. Each test names the numbered defect of the issue it shows fixed.

const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { runAction, nodeBinaries } = require('./helpers/runner');
const { startFakeGitHub } = require('./helpers/fake-github');
const { DIST_INDEX, PID, armTemplate, makeTree, writeFiles } = require('./helpers/e2e');
const { actionDefaults } = require('./helpers/inputs');

const EVENTS = path.join(__dirname, 'fixtures', 'events');
const PR_OPENED = path.join(EVENTS, 'pull_request_opened.payload.json');
const PUSH = path.join(EVENTS, 'push_payload.json');
const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PR = 2; // the pull request of pull_request_opened.payload.json
const MARKER = '<!-- cua-check:comment key=default -->';
const GITHUB_TOKEN = 'ghs_workflow_token_0001';
const APP_TOKEN = 'ghs_app_installation_token_0002';
const PAT = 'github_pat_personal_0003';
const OTHER_PID = 'pid-11111111-2222-4333-8444-555555555555';
// the README text CUA401 looks for
const NOTICE = '# Contoso\n\nWhen you deploy this template, Microsoft is able to identify the installation of Contoso software with the deployed Azure resources. To opt out, remove the tracking deployment.\n';

const event = (file, mutate) => {
  const ev = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (mutate) mutate(ev);
  return ev;
};
const commentWrites = (gh) => gh.writes().filter((w) => /\/issues\/(\d+\/comments|comments\/\d+)$/.test(w.path));
const writesOf = (gh) => commentWrites(gh).map((w) => `${w.method} ${w.path.replace(/^.*\/issues\//, '')}`);
const byCommand = (r, command) => r.commands.filter((c) => c.command === command);
const statusLine = (r) => r.stdout.split('\n').find((l) => /^cua-check: .*; gate (passed|failed)/.test(l)) || '';

for (const node of nodeBinaries()) {
  describe(`action behaviour, real dist/index.js (${node.name})`, () => {
    const servers = [];
    after(async () => {
      for (const gh of servers) await gh.close();
    });

    async function github() {
      const gh = await startFakeGitHub({
        tokens: {
          [GITHUB_TOKEN]: null, // GITHUB_TOKEN: 403 on /user, the viewer refused
          [APP_TOKEN]: { login: 'cua-app[bot]', id: 424242, type: 'Bot', app: 'cua-app' },
          [PAT]: { login: 'octocat', id: 583231, type: 'User' },
        },
      });
      servers.push(gh);
      return gh;
    }

    function go({ ws, gh, inputs = {}, ev = PR_OPENED, eventName = 'pull_request', env = {}, sha } = {}) {
      return runAction(DIST_INDEX, {
        node: node.path,
        github: gh,
        workspace: ws,
        cwd: ws,
        repository: `${OWNER}/${REPO}`,
        eventName,
        event: ev,
        sha,
        // what the runner passes: every input of action.yml with its default, then the step's `with:`
        inputs: { ...actionDefaults(GITHUB_TOKEN), ...inputs },
        env,
      });
    }

    const untracked = () => makeTree({ 'azuredeploy.json': armTemplate() });

    it('#2: an App installation token (GET /user answers 403) run twice gives ONE comment', async () => {
      for (const [label, identity] of [
        ['GraphQL viewer answers', {}],
        ['viewer login without [bot]', { viewer: 'cua-app' }],
        ['viewer refused too', { viewer: false }],
      ]) {
        const gh = await github();
        Object.assign(gh.state.tokens[APP_TOKEN], identity);
        // a marker planted by a person, and GITHUB_TOKEN's comment of another key, are not ours
        gh.addComment(OWNER, REPO, PR, { body: `${MARKER}\nforged`, login: 'mallory' });
        const ws = untracked();
        const r1 = await go({ ws, gh, inputs: { token: APP_TOKEN } });
        assert.equal(r1.code, 1, r1.stdout);
        assert.ok(gh.requests.some((q) => q.method === 'POST' && q.path === '/graphql' && /viewer/.test(q.body.query)), `${label}: the GraphQL viewer was asked`);
        writeFiles(ws, { 'b/azuredeploy.json': armTemplate() }); // a changed result: the comment is updated
        const r2 = await go({ ws, gh, inputs: { token: APP_TOKEN } });
        assert.equal(r2.code, 1);
        const mine = gh.comments(OWNER, REPO, PR).filter((c) => c.user.login === 'cua-app[bot]');
        assert.equal(mine.length, 1, `${label}: one comment of the App, got ${mine.length}`);
        assert.deepEqual(writesOf(gh), [`POST ${PR}/comments`, `PATCH comments/${mine[0].id}`], label);
        assert.match(mine[0].body, /b\/azuredeploy\.json/, `${label}: the second run's result`);
        assert.equal(gh.comments(OWNER, REPO, PR)[0].body, `${MARKER}\nforged`, `${label}: mallory's comment untouched`);
        assert.equal(r2.outputs['comment-url'], mine[0].html_url);
      }
    });

    it('#2: with a personal access token the comment is found by its author; a bot-marked comment of another identity is left alone', async () => {
      const gh = await github();
      gh.addComment(OWNER, REPO, PR, { body: `${MARKER}\nby the workflow token`, login: 'github-actions[bot]', type: 'Bot', id: 41898282 });
      const ws = untracked();
      await go({ ws, gh, inputs: { token: PAT } });
      writeFiles(ws, { 'b/azuredeploy.json': armTemplate() });
      await go({ ws, gh, inputs: { token: PAT } });
      const all = gh.comments(OWNER, REPO, PR);
      assert.deepEqual(all.map((c) => c.user.login), ['github-actions[bot]', 'octocat']);
      assert.equal(all[0].body, `${MARKER}\nby the workflow token`);
      assert.deepEqual(writesOf(gh), [`POST ${PR}/comments`, `PATCH comments/${all[1].id}`]);
    });

    it('an unchanged re-run makes no PATCH (and still gives comment-url)', async () => {
      for (const token of [GITHUB_TOKEN, APP_TOKEN]) {
        const gh = await github();
        const ws = untracked();
        await go({ ws, gh, inputs: { token } });
        const [mine] = gh.comments(OWNER, REPO, PR);
        gh.clearRequests();
        const r = await go({ ws, gh, inputs: { token } });
        assert.equal(r.code, 1);
        assert.deepEqual(gh.writes(), [], token);
        assert.ok(gh.requests.some((q) => q.method === 'GET' && /\/issues\/2\/comments$/.test(q.path)), 'the comments were read');
        assert.equal(r.outputs['comment-url'], mine.html_url);
      }
    });

    it('a notice-only run creates no new comment, but keeps an existing one current', async () => {
      const clean = { 'azuredeploy.json': armTemplate({ tracking: true }), 'README.md': NOTICE }; // only notices (CUA402)
      const gh = await github();
      const r = await go({ ws: makeTree(clean), gh });
      assert.equal(r.code, 0, r.stdout);
      assert.equal(r.outputs.errors, '0');
      assert.equal(r.outputs.warnings, '0');
      assert.ok(Number(r.outputs.notices) >= 1, r.outputs.notices);
      assert.deepEqual(commentWrites(gh), []);
      // after a failing run made a comment, the notice-only run updates it (green)
      const ws = untracked();
      await go({ ws, gh });
      const [mine] = gh.comments(OWNER, REPO, PR);
      writeFiles(ws, clean);
      gh.clearRequests();
      const r2 = await go({ ws, gh });
      assert.equal(r2.code, 0, r2.stdout);
      assert.deepEqual(writesOf(gh), [`PATCH comments/${mine.id}`]);
      assert.doesNotMatch(gh.comments(OWNER, REPO, PR)[0].body, /CUA101/);
    });

    it('pr-number comments on workflow_run (and other events) and reads that pull request files for scope: changed', async () => {
      const gh = await github();
      gh.files[`${OWNER}/${REPO}#7`] = ['changed/azuredeploy.json'];
      const ws = makeTree({ 'changed/azuredeploy.json': armTemplate(), 'other/azuredeploy.json': armTemplate() });
      const ev = { action: 'completed', workflow_run: { id: 30433642, event: 'pull_request', pull_requests: [] }, repository: event(PR_OPENED).repository };
      const r = await go({ ws, gh, ev, eventName: 'workflow_run', inputs: { 'pr-number': '7', scope: 'changed' } });
      assert.equal(r.code, 1, r.stdout);
      assert.deepEqual(writesOf(gh), ['POST 7/comments']);
      assert.ok(gh.requests.some((q) => q.path === `/repos/${OWNER}/${REPO}/pulls/7/files`));
      const files = [...new Set(byCommand(r, 'error').map((c) => c.props.file).filter(Boolean))];
      assert.deepEqual(files, ['changed/azuredeploy.json']);
      assert.match(statusLine(r), /scope: changed \(1 file changed\)/);
      // without pr-number the same event posts nothing, and says nothing is wrong
      const gh2 = await github();
      const r2 = await go({ ws, gh: gh2, ev, eventName: 'workflow_run' });
      assert.deepEqual(gh2.writes(), []);
      assert.equal(byCommand(r2, 'warning').length, 0, r2.stdout);
      // a bad value is an input error
      const r3 = await go({ ws, gh: gh2, ev, eventName: 'workflow_run', inputs: { 'pr-number': 'seven' } });
      assert.equal(r3.code, 1);
      assert.match(byCommand(r3, 'error')[0].message, /'pr-number'/);
    });

    it('#9: pull_request_target from a fork comments (its token can write); pull_request from a fork still does not', async () => {
      const fork = (ev) => (ev.pull_request.head.repo.owner.id = 999999);
      const gh = await github();
      const r = await go({ ws: untracked(), gh, ev: event(PR_OPENED, fork), eventName: 'pull_request_target' });
      assert.equal(r.code, 1);
      assert.deepEqual(writesOf(gh), [`POST ${PR}/comments`]);
      assert.ok(!byCommand(r, 'notice').some((c) => /fork/.test(c.message)), r.stdout);
      const gh2 = await github();
      const r2 = await go({ ws: untracked(), gh: gh2, ev: event(PR_OPENED, fork), eventName: 'pull_request', inputs: { comment: 'always' } });
      assert.equal(r2.code, 1);
      assert.deepEqual(gh2.writes(), []);
      assert.ok(byCommand(r2, 'notice').some((c) => /fork/.test(c.message) && /workflow_run/.test(c.message)));
    });

    it('#3: scope: changed on a tag push (commits: []) checks every file and says so; the status line names the scope', async () => {
      const cases = [
        ['tag push', (ev) => Object.assign(ev, { ref: 'refs/tags/v1.0.0', after: 'a10867b14bb761a232cd80139fbd4c0d33264240', deleted: false, created: true, commits: [] }), /creates the branch or tag/],
        ['commits: []', (ev) => Object.assign(ev, { ref: 'refs/heads/main', after: 'a10867b14bb761a232cd80139fbd4c0d33264240', deleted: false, commits: [] }), /no commits/],
        ['forced push', (ev) => Object.assign(ev, { after: 'a10867b14bb761a232cd80139fbd4c0d33264240', deleted: false, forced: true, commits: [{ id: 'x', added: [], modified: ['README.md'], removed: [] }] }), /forced/],
      ];
      for (const [label, mutate, why] of cases) {
        const r = await go({ ws: untracked(), ev: event(PUSH, mutate), eventName: 'push', inputs: { scope: 'changed', comment: 'never', token: '' } });
        assert.equal(r.code, 1, `${label}: the untracked template fails the gate\n${r.stdout}`);
        assert.equal(r.outputs.untracked, '1', label);
        assert.ok(byCommand(r, 'error').some((c) => c.props.file === 'azuredeploy.json'), label);
        const notice = byCommand(r, 'notice').find((c) => /scope: changed/.test(c.message));
        assert.ok(notice, `${label}: a notice\n${r.stdout}`);
        assert.match(notice.message, why, label);
        assert.match(notice.message, /checks every file instead/);
        assert.match(statusLine(r), /scope: changed, but every file was checked/, label);
        assert.doesNotMatch(r.summary, /✅/, label);
      }
      // a push that lists its files narrows the report, and the status line says how
      const ws = makeTree({ 'a/azuredeploy.json': armTemplate(), 'b/azuredeploy.json': armTemplate() });
      const ev = event(PUSH, (e) => Object.assign(e, { ref: 'refs/heads/main', after: 'a10867b14bb761a232cd80139fbd4c0d33264240', deleted: false, commits: [{ id: 'y', added: ['a/azuredeploy.json'], modified: [], removed: [] }] }));
      const r = await go({ ws, ev, eventName: 'push', inputs: { scope: 'changed', comment: 'never', token: '' } });
      assert.deepEqual([...new Set(byCommand(r, 'error').map((c) => c.props.file).filter(Boolean))], ['a/azuredeploy.json']);
      assert.match(statusLine(r), /scope: changed \(1 file changed\)/);
      assert.equal(byCommand(r, 'notice').filter((c) => /scope/.test(c.message)).length, 0);
      // scope: all
      const r2 = await go({ ws, ev, eventName: 'push', inputs: { comment: 'never', token: '' } });
      assert.match(statusLine(r2), /scope: all files/);
    });

    it('#3: a truncated pull-request file list (more files than the API lists) or a failed listing checks every file', async () => {
      const ws = makeTree({ 'listed/azuredeploy.json': armTemplate(), 'unlisted/azuredeploy.json': armTemplate() });
      const gh = await github();
      gh.files[`${OWNER}/${REPO}#${PR}`] = ['listed/azuredeploy.json'];
      const big = event(PR_OPENED, (ev) => (ev.pull_request.changed_files = 3500));
      const r = await go({ ws, gh, ev: big, inputs: { scope: 'changed', comment: 'never' } });
      const notice = byCommand(r, 'notice').find((c) => /scope: changed/.test(c.message));
      assert.ok(notice, r.stdout);
      assert.match(notice.message, /changes 3500 files but GitHub lists only 1/);
      assert.equal(r.outputs.errors, '2');
      const gh2 = await github();
      gh2.failNext('GET', /\/pulls\/\d+\/files$/, { status: 404, times: 1 });
      const r2 = await go({ ws, gh: gh2, inputs: { scope: 'changed', comment: 'never' } });
      assert.equal(r2.outputs.errors, '2');
      const w = byCommand(r2, 'warning').find((c) => /files of the pull request/.test(c.message));
      assert.ok(w, r2.stdout);
      assert.match(w.message, /HTTP 404/);
      assert.match(w.message, /pull-requests: read/);
      assert.ok(byCommand(r2, 'notice').some((c) => /did not list the files of pull request #2/.test(c.message)));
    });

    it('#5: path outside GITHUB_WORKSPACE is an input error; ../ inside is normalised (no ../ in SARIF URIs)', async () => {
      const ws = makeTree({ 'infra/azuredeploy.json': armTemplate() });
      for (const p of ['/etc/ssl', '../', `${ws}/../`]) {
        const r = await go({ ws, inputs: { path: p, comment: 'never', token: '' } });
        assert.equal(r.code, 1, p);
        const err = byCommand(r, 'error');
        assert.equal(err.length, 1, `${p}: one error\n${r.stdout}`);
        assert.match(err[0].message, /input 'path'.*outside the workspace/, p);
        assert.equal(r.outputs.errors, undefined, `${p}: nothing was checked`);
      }
      const r = await go({ ws, inputs: { path: 'infra/../infra/./', 'sarif-file': 'out.sarif', comment: 'never', token: '' } });
      assert.equal(r.code, 1, r.stdout);
      const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'out.sarif'), 'utf8'));
      const uris = sarif.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation.uri);
      assert.ok(uris.length > 0);
      for (const u of uris) assert.equal(u, 'infra/azuredeploy.json');
      assert.ok(byCommand(r, 'error').some((c) => c.props.file === 'infra/azuredeploy.json'));
    });

    it('#6: report-file is unique per step (GITHUB_ACTION), so a second step does not overwrite the first', async () => {
      const ws = makeTree({ 'a/azuredeploy.json': armTemplate(), 'b/azuredeploy.json': armTemplate({ tracking: true }) });
      const temp = makeTree({});
      const env = (id) => ({ GITHUB_ACTION: id, RUNNER_TEMP: temp });
      const r1 = await go({ ws, inputs: { path: 'a', comment: 'never', token: '' }, env: env('__owner_cua-check') });
      const r2 = await go({ ws, inputs: { path: 'b', comment: 'never', token: '' }, env: env('__owner_cua-check_2') });
      assert.notEqual(r1.outputs['report-file'], r2.outputs['report-file']);
      for (const [r, file] of [[r1, 'a/azuredeploy.json'], [r2, 'b/azuredeploy.json']]) {
        assert.ok(r.outputs['report-file'].startsWith(temp), r.outputs['report-file']);
        const report = JSON.parse(fs.readFileSync(r.outputs['report-file'], 'utf8'));
        assert.deepEqual([...new Set(report.files.map((f) => f.path))], [path.basename(file)], file);
      }
    });

    it('#7: fail-on: warning with only warnings fails with one ::error:: saying which findings and where the details are', async () => {
      const ws = makeTree({ 'azuredeploy.json': armTemplate({ tracking: true }) }); // tracked, no README: CUA401 warning
      const r = await go({ ws, inputs: { 'fail-on': 'warning', comment: 'never', token: '' } });
      assert.equal(r.code, 1, r.stdout);
      assert.equal(r.outputs.errors, '0');
      assert.ok(Number(r.outputs.warnings) >= 1);
      const errors = byCommand(r, 'error');
      assert.equal(errors.length, 1, r.stdout);
      assert.deepEqual(errors[0].props, {});
      assert.match(errors[0].message, /^cua-check failed the gate \(fail-on: warning\): 1 warning at warning or error level \(CUA401 ×1\)/);
      assert.ok(errors[0].message.includes(r.outputs['report-file']), errors[0].message);
      assert.match(errors[0].message, /job summary/);
      // passing: no such line
      const ok = await go({ ws: makeTree({ 'azuredeploy.json': armTemplate({ tracking: true }), 'README.md': NOTICE }), inputs: { 'fail-on': 'warning', comment: 'never', token: '' } });
      assert.equal(ok.code, 0, ok.stdout);
      assert.equal(byCommand(ok, 'error').length, 0);
    });

    it('#9: a missing or unreadable GITHUB_EVENT_PATH is a warning, and the run goes on', async () => {
      const ws = untracked();
      const notJson = path.join(makeTree({ 'event.json': '{ not json' }), 'event.json');
      for (const [label, opts] of [
        ['missing', { ev: null }],
        ['not JSON', { ev: notJson }],
        ['a folder', { ev: ws }],
      ]) {
        const r = await go({ ws, ...opts, inputs: { comment: 'never', token: '' } });
        assert.equal(r.code, 1, label);
        const w = byCommand(r, 'warning').filter((c) => /GITHUB_EVENT_PATH/.test(c.message));
        assert.equal(w.length, 1, `${label}\n${r.stdout}`);
        assert.equal(r.outputs.untracked, '1', `${label}: the check ran`);
      }
    });

    it('#9: HTTP hints match the status: 5xx is GitHub trouble, 403/404 permissions', async () => {
      for (const [status, want, not] of [
        [500, /HTTP 500.*GitHub had trouble/, /pull-requests: write/],
        [403, /HTTP 403.*pull-requests: write/, /GitHub had trouble/],
        [404, /HTTP 404.*pull-requests: write/, /GitHub had trouble/],
        [422, /HTTP 422.*refused the comment/, /pull-requests: write/],
      ]) {
        const gh = await github();
        gh.failNext('POST', /\/issues\/\d+\/comments$/, { status, times: 10, message: `scripted ${status}` });
        const r = await go({ ws: untracked(), gh, env: { CUA_CHECK_RETRY_BASE_MS: '1' } });
        assert.equal(r.code, 1, 'the exit code follows the findings');
        const w = byCommand(r, 'warning').filter((c) => /comment/.test(c.message));
        assert.equal(w.length, 1, r.stdout);
        assert.match(w[0].message, want, String(status));
        assert.doesNotMatch(w[0].message, not, String(status));
        assert.match(w[0].message, /not affected/);
      }
    });

    it('#4: registered-ids separated by spaces or semicolons register each ID (none becomes a description)', async () => {
      const ws = makeTree({ 'a/azuredeploy.json': armTemplate({ tracking: true }), 'b/azuredeploy.json': armTemplate({ tracking: OTHER_PID }), 'README.md': NOTICE });
      const unregistered = (r) => byCommand(r, 'error').filter((c) => /CUA104/.test(c.props.title || ''));
      // control: with only the first ID, the second template's ID is unregistered
      const control = await go({ ws, inputs: { 'registered-ids': PID, comment: 'never', token: '' } });
      assert.equal(unregistered(control).length, 1, control.stdout);
      for (const ids of [`${PID} ${OTHER_PID}`, `${PID};${OTHER_PID}`, `${PID} ; ${OTHER_PID}\n`]) {
        const r = await go({ ws, inputs: { 'registered-ids': ids, comment: 'never', token: '' } });
        assert.deepEqual(unregistered(r), [], `${JSON.stringify(ids)}\n${r.stdout}`);
      }
    });

    it('#8: a file name with backslashes (C:\\new\\dir) keeps them in the annotation; no line break appears', async () => {
      const name = 'C:\\new\\dir/azuredeploy.json';
      const ws = makeTree({ [name]: armTemplate() });
      const r = await go({ ws, inputs: { comment: 'never', token: '' } });
      const a = byCommand(r, 'error').find((c) => c.props.file && c.props.file.startsWith('C:'));
      assert.ok(a, r.stdout);
      assert.equal(a.props.file, name);
      const raw = r.stdout.split('\n').find((l) => l.startsWith('::error') && l.includes('file=C'));
      assert.equal(/file=([^,]*),/.exec(raw)[1], 'C%3A\\new\\dir/azuredeploy.json', raw);
    });
  });
}
