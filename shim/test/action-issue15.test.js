'use strict';
// Issue 15, the parts action-behaviour.test.js and action-reports.test.js leave to the Rust tests:
// the REAL dist/index.js (wasm core) run as the runner runs it (every action.yml input passed with
// its default, then the step's `with:`; GITHUB_EVENT_PATH holding the real webhook payloads of
// fixtures/events, the same files as ../shared/fixtures/github-events) against the loopback GitHub
// API of helpers/fake-github.js.
//   #1  cua-check.toml's fail-on, mode, sources and max-file-size apply when the input is not given;
//       a given input wins; the Checked: line names the config file.
//   #4  registered-ids separated by new lines, commas, semicolons, spaces (and mixed); a
//       description only as `id: description`.
//   #5  SARIF: one fingerprint per result (26 findings on equal lines of one file), unchanged by
//       unrelated edits; `category` -> runs[].automationDetails.id.
//   comment.create: comment-level decides whether a run creates a comment; an existing comment
//       is still updated; `comment: true/false` are auto/never.
//   One order: annotations and the job summary go errors, warnings, notices; rule, file, line.

const { describe, it, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { runAction, nodeBinaries } = require('./helpers/runner');
const { startFakeGitHub } = require('./helpers/fake-github');
const { DIST_INDEX, PID, ARM_SCHEMA, armTemplate, makeTree, writeFiles } = require('./helpers/e2e');
const { actionDefaults } = require('./helpers/inputs');

const EVENTS = path.join(__dirname, 'fixtures', 'events');
const PR_OPENED = path.join(EVENTS, 'pull_request_opened.payload.json');
const PUSH = path.join(EVENTS, 'push_payload.json');
const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PR = 2;
const TOKEN = 'ghs_issue15_token_0042';
const SHA = 'a10867b14bb761a232cd80139fbd4c0d33264240';
const NOTICE = '# Contoso\n\nWhen you deploy this template, Microsoft is able to identify the installation of Contoso software with the deployed Azure resources. To opt out, remove the tracking deployment.\n';
const OTHER_PID = 'pid-11111111-2222-4333-8444-555555555555';
const THIRD_PID = 'pid-99999999-8888-4777-8666-555555555555';
const UNTRACKED_BICEP = "resource st 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'contosostorage'\n  location: 'westeurope'\n  kind: 'StorageV2'\n  sku: { name: 'Standard_LRS' }\n}\n";

const guid = (seed) => {
  const h = crypto.createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};
/** A main template with `n` tracking deployments whose condition defaults to on: n CUA111 notices, all on equal lines. */
function conditional(n, seed) {
  const deps = Array.from({ length: n }, (_, k) => ({
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2021-04-01',
    name: `pid-${guid(`${seed}-${k}`)}`,
    condition: "[equals(parameters('enableTelemetry'), 'Yes')]",
    properties: { mode: 'Incremental', template: { $schema: ARM_SCHEMA, contentVersion: '1.0.0.0', resources: [] } },
  }));
  const params = { enableTelemetry: { type: 'string', defaultValue: 'Yes' } };
  return JSON.stringify({ $schema: ARM_SCHEMA, contentVersion: '1.0.0.0', parameters: params, resources: deps }, null, 2) + '\n';
}

const byCommand = (r, command) => r.commands.filter((c) => c.command === command);
const findingsOf = (r) => JSON.parse(fs.readFileSync(r.outputs['report-file'], 'utf8')).findings;
const rulesOf = (r) => [...new Set(findingsOf(r).map((f) => f.rule))].sort();
const commentWrites = (gh) => gh.writes().filter((w) => /\/issues\/(\d+\/comments|comments\/\d+)$/.test(w.path));
const writesOf = (gh) => commentWrites(gh).map((w) => `${w.method} ${w.path.replace(/^.*\/issues\//, '')}`);

for (const node of nodeBinaries()) {
  describe(`issue 15 end to end, real dist/index.js (${node.name})`, () => {
    const servers = [];
    after(async () => {
      for (const gh of servers) await gh.close();
    });
    async function github() {
      const gh = await startFakeGitHub({ tokens: { [TOKEN]: null } });
      servers.push(gh);
      return gh;
    }

    function go({ ws, gh, inputs = {}, ev = PR_OPENED, eventName = 'pull_request', env = {} } = {}) {
      return runAction(DIST_INDEX, {
        node: node.path,
        github: gh,
        workspace: ws,
        cwd: ws,
        repository: `${OWNER}/${REPO}`,
        eventName,
        event: ev,
        sha: SHA,
        // what the runner passes: every input of action.yml with its default, then the step's `with:`
        inputs: { ...actionDefaults(gh ? TOKEN : ''), ...(gh ? {} : { comment: 'never' }), ...inputs },
        env,
      });
    }

    describe('#1: cua-check.toml applies in the action; a given input wins', () => {
      it('the runner passes every input of action.yml, and none of them has a value of its own', () => {
        const d = actionDefaults(TOKEN);
        for (const name of ['fail-on', 'mode', 'sources', 'max-file-size', 'scope', 'comment', 'comment-level', 'path', 'registered-ids', 'exclude']) {
          assert.equal(d[name], '', `${name}: action.yml's default must be empty so the config file can apply`);
        }
      });

      it('fail-on', async () => {
        const files = { 'azuredeploy.json': armTemplate(), 'README.md': NOTICE, 'cua-check.toml': 'fail-on = "never"\n' };
        const r = await go({ ws: makeTree(files) });
        assert.equal(r.code, 0, r.stdout);
        assert.equal(r.outputs.result, 'passed');
        assert.equal(r.outputs.errors, '1', 'the finding is still reported');
        assert.match(r.summary, /^Checked: .* · config `cua-check\.toml`$/m);
        const given = await go({ ws: makeTree(files), inputs: { 'fail-on': 'error' } });
        assert.equal(given.code, 1, given.stdout);
        assert.equal(given.outputs.result, 'failed');
        // and the other way round: the file is stricter than the built-in default, the input looser
        const strict = { 'azuredeploy.json': armTemplate({ tracking: true }), 'cua-check.toml': 'fail-on = "warning"\n' }; // no README: CUA401 warning
        const r2 = await go({ ws: makeTree(strict) });
        assert.equal(r2.code, 1, r2.stdout);
        assert.equal(r2.outputs.errors, '0');
        assert.match(byCommand(r2, 'error').find((c) => /gate/.test(c.message)).message, /fail-on: warning/);
        const r3 = await go({ ws: makeTree(strict), inputs: { 'fail-on': 'error' } });
        assert.equal(r3.code, 0, r3.stdout);
      });

      it('mode', async () => {
        const files = { 'azuredeploy.json': armTemplate(), 'README.md': NOTICE, '.github/cua-check.toml': 'mode = "marketplace"\n' };
        const r = await go({ ws: makeTree(files) });
        assert.ok(rulesOf(r).includes('CUA118'), `marketplace: Partner Center adds the ID (CUA118)\n${r.stdout}`);
        assert.ok(!rulesOf(r).includes('CUA101'), rulesOf(r).join());
        assert.equal(r.code, 0, r.stdout);
        assert.match(r.summary, /^Checked: .* · config `\.github\/cua-check\.toml`$/m);
        const given = await go({ ws: makeTree(files), inputs: { mode: 'standard' } });
        assert.ok(rulesOf(given).includes('CUA101'), rulesOf(given).join());
        assert.ok(!rulesOf(given).includes('CUA118'));
        assert.equal(given.code, 1);
      });

      it('sources', async () => {
        const files = { 'arm/azuredeploy.json': armTemplate(), 'bicep/main.bicep': UNTRACKED_BICEP, 'README.md': NOTICE, 'cua-check.toml': 'sources = ["bicep"]\n' };
        const errorFiles = (r) => [...new Set(findingsOf(r).filter((f) => f.rule === 'CUA101').map((f) => f.path))].sort();
        const none = await go({ ws: makeTree({ ...files, 'cua-check.toml': '' }) });
        assert.deepEqual(errorFiles(none), ['arm/azuredeploy.json', 'bicep/main.bicep'], 'control: both kinds are read by default');
        const r = await go({ ws: makeTree(files) });
        assert.deepEqual(errorFiles(r), ['bicep/main.bicep'], r.stdout);
        const given = await go({ ws: makeTree(files), inputs: { sources: 'arm' } });
        assert.deepEqual(errorFiles(given), ['arm/azuredeploy.json'], given.stdout);
      });

      it('max-file-size', async () => {
        const files = { 'azuredeploy.json': armTemplate(), 'README.md': NOTICE, 'cua-check.toml': 'max-file-size = "200B"\n' };
        assert.ok(Buffer.byteLength(files['azuredeploy.json']) > 200);
        const r = await go({ ws: makeTree(files) });
        assert.deepEqual(rulesOf(r), ['CUA002'], r.stdout);
        assert.equal(findingsOf(r)[0].path, 'azuredeploy.json');
        const given = await go({ ws: makeTree(files), inputs: { 'max-file-size': '32MiB' } });
        assert.deepEqual(rulesOf(given), ['CUA101'], given.stdout);
      });

      it('an input given as an empty string is not given', async () => {
        const files = { 'azuredeploy.json': armTemplate(), 'README.md': NOTICE, 'cua-check.toml': 'fail-on = "never"\nmode = "marketplace"\n' };
        const r = await go({ ws: makeTree(files), inputs: { 'fail-on': '', mode: '' } });
        assert.equal(r.code, 0, r.stdout);
        assert.ok(rulesOf(r).includes('CUA118'));
      });
    });

    describe('#4: registered-ids', () => {
      // a/: tracked with PID, b/: with OTHER_PID, c/: with THIRD_PID
      const tree = () =>
        makeTree({
          'a/azuredeploy.json': armTemplate({ tracking: true }),
          'b/azuredeploy.json': armTemplate({ tracking: OTHER_PID }),
          'c/azuredeploy.json': armTemplate({ tracking: THIRD_PID }),
          'README.md': NOTICE,
        });
      const unregistered = (r) => findingsOf(r).filter((f) => f.rule === 'CUA104').map((f) => f.path.split('/')[0]).sort();

      it('new lines, commas, semicolons, spaces and tabs separate IDs, also mixed', async () => {
        const ws = tree();
        const control = await go({ ws, inputs: { 'registered-ids': PID } });
        assert.deepEqual(unregistered(control), ['b', 'c'], control.stdout);
        for (const ids of [
          `${PID}\n${OTHER_PID}\n${THIRD_PID}\n`,
          `${PID},${OTHER_PID},${THIRD_PID}`,
          `${PID}, ${OTHER_PID}, ${THIRD_PID}`,
          `${PID};${OTHER_PID};${THIRD_PID}`,
          `${PID} ${OTHER_PID} ${THIRD_PID}`,
          `${PID}\t${OTHER_PID}  ${THIRD_PID}`,
          `\n  ${PID},\n  ${OTHER_PID} ;${THIRD_PID}\r\n`,
        ]) {
          const r = await go({ ws, inputs: { 'registered-ids': ids } });
          assert.equal(r.code, 0, `${JSON.stringify(ids)}\n${r.stdout}`);
          assert.deepEqual(unregistered(r), [], JSON.stringify(ids));
        }
      });

      it('a description only as `id: description`, one per line', async () => {
        const ws = tree();
        const r = await go({ ws, inputs: { 'registered-ids': `${PID}: Contoso web app, v2; the old one\n${OTHER_PID}: Contoso data\n${THIRD_PID}` } });
        assert.equal(r.code, 0, r.stdout);
        assert.deepEqual(unregistered(r), []);
        // without the colon, words after an ID are not a description: they are an input error
        const bad = await go({ ws, inputs: { 'registered-ids': `${PID} Contoso web app` } });
        assert.equal(bad.code, 1);
        const err = byCommand(bad, 'error');
        assert.equal(err.length, 1, bad.stdout);
        assert.match(err[0].message, /'registered-ids'/);
        assert.match(err[0].message, /Contoso/);
        assert.equal(bad.outputs.errors, undefined, 'nothing was checked');
      });
    });

    describe('#5: SARIF', () => {
      it('26 findings on equal lines of one file have 26 fingerprints, and unrelated edits change none', async () => {
        const ws = makeTree({ 'README.md': NOTICE, 'n/azuredeploy.json': conditional(26, 'n'), 'e/azuredeploy.json': armTemplate() });
        const prints = (r) =>
          JSON.parse(fs.readFileSync(path.join(ws, 'out.sarif'), 'utf8')).runs[0].results.map((x) => ({
            key: `${x.ruleId} ${x.locations[0].physicalLocation.artifactLocation.uri}`,
            line: x.locations[0].physicalLocation.region.startLine,
            fp: x.partialFingerprints['cuaCheck/v2'],
          }));
        const inputs = { 'sarif-file': 'out.sarif' };
        const before = prints(await go({ ws, inputs }));
        const cua111 = before.filter((p) => p.key === 'CUA111 n/azuredeploy.json');
        assert.equal(cua111.length, 26);
        assert.equal(new Set(before.map((p) => p.fp)).size, before.length, 'one fingerprint per result');
        // the same run again: the same fingerprints
        assert.deepEqual(prints(await go({ ws, inputs })), before);
        // unrelated edits: lines added above every finding, another value changed, a new file
        const file = path.join(ws, 'n', 'azuredeploy.json');
        fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace('{\n', '{\n\n\n\n').replace('"defaultValue": "Yes"', '"defaultValue": "Yes",\n      "metadata": { "description": "send usage" }'));
        const e = path.join(ws, 'e', 'azuredeploy.json');
        fs.writeFileSync(e, fs.readFileSync(e, 'utf8').replace('"contosostorage"', '"contosodata"').replace('{\n', '{\n\n'));
        writeFiles(ws, { 'new/azuredeploy.json': armTemplate() });
        const after = prints(await go({ ws, inputs }));
        const old = after.filter((p) => !p.key.endsWith('new/azuredeploy.json'));
        assert.equal(old.length, before.length);
        for (const [b, a] of before.map((b, i) => [b, old[i]])) {
          assert.equal(a.key, b.key);
          assert.notEqual(a.line, b.line, `${b.key}: the finding moved`);
          assert.equal(a.fp, b.fp, `${b.key} (line ${b.line} -> ${a.line}): same finding, same fingerprint`);
        }
        assert.equal(new Set(after.map((p) => p.fp)).size, after.length);
      });

      it('category is written as runs[].automationDetails.id; without it there is none', async () => {
        const ws = makeTree({ 'azuredeploy.json': armTemplate() });
        await go({ ws, inputs: { 'sarif-file': 'a.sarif', category: 'cua-check/templates' } });
        const a = JSON.parse(fs.readFileSync(path.join(ws, 'a.sarif'), 'utf8'));
        assert.equal(a.runs[0].automationDetails.id, 'cua-check/templates/');
        await go({ ws, inputs: { 'sarif-file': 'b.sarif' } });
        const b = JSON.parse(fs.readFileSync(path.join(ws, 'b.sarif'), 'utf8'));
        assert.equal(b.runs[0].automationDetails, undefined);
        // a control character is an input error naming the input
        const bad = await go({ ws, inputs: { 'sarif-file': 'c.sarif', category: 'a\u0007b' } });
        assert.equal(bad.code, 1);
        assert.match(byCommand(bad, 'error')[0].message, /'category'/);
        assert.ok(!fs.existsSync(path.join(ws, 'c.sarif')));
      });

      it('path: ../x and absolute paths outside the workspace are input errors; URIs stay relative and clean', async () => {
        const ws = makeTree({ 'infra/main/azuredeploy.json': armTemplate() });
        for (const p of ['../x', 'infra/../../x', '/etc/ssl']) {
          const r = await go({ ws, inputs: { path: p, 'sarif-file': 'x.sarif' } });
          assert.equal(r.code, 1, p);
          assert.match(byCommand(r, 'error')[0].message, /input 'path'.*outside the workspace/, p);
          assert.ok(!fs.existsSync(path.join(ws, 'x.sarif')), p);
        }
        const r = await go({ ws, inputs: { path: `${ws}/./infra/main/../main`, 'sarif-file': 'ok.sarif' } });
        const doc = JSON.parse(fs.readFileSync(path.join(ws, 'ok.sarif'), 'utf8'));
        const uris = doc.runs[0].results.map((x) => x.locations[0].physicalLocation.artifactLocation);
        assert.ok(uris.length > 0, r.stdout);
        for (const u of uris) {
          assert.equal(u.uri, 'infra/main/azuredeploy.json');
          assert.ok(!/^[a-z]+:|^\/|(^|\/)\.\.?\//.test(u.uri), u.uri);
        }
      });
    });

    describe('the comment: comment-level decides whether a run creates one (comment.create)', () => {
      const warningsOnly = () => ({ 'azuredeploy.json': armTemplate({ tracking: true }) }); // no README: CUA401 warning
      const noticesOnly = () => ({ 'azuredeploy.json': conditional(3, 'c'), 'README.md': NOTICE }); // CUA111 notices

      it('comment-level: error with only warnings creates none, but updates an existing comment', async () => {
        const gh = await github();
        const r = await go({ ws: makeTree(warningsOnly()), gh, inputs: { 'comment-level': 'error' } });
        assert.equal(r.code, 0, r.stdout);
        assert.ok(Number(r.outputs.warnings) >= 1);
        assert.deepEqual(commentWrites(gh), []);
        assert.equal(r.outputs['comment-url'], undefined);
        // the default (warning) does create one
        const r2 = await go({ ws: makeTree(warningsOnly()), gh });
        assert.deepEqual(writesOf(gh), [`POST ${PR}/comments`], r2.stdout);
        const [mine] = gh.comments(OWNER, REPO, PR);
        assert.match(mine.body, /CUA401/);
        // and comment-level: error then updates it (the warnings as counts)
        gh.clearRequests();
        const r3 = await go({ ws: makeTree(warningsOnly()), gh, inputs: { 'comment-level': 'error' } });
        assert.deepEqual(writesOf(gh), [`PATCH comments/${mine.id}`], r3.stdout);
        const body = gh.comments(OWNER, REPO, PR)[0].body;
        assert.match(body, /^#### Not listed here: 1 warning \(CUA401 ×1 in 1 file\)/m);
        assert.equal(r3.outputs['comment-url'], mine.html_url);
      });

      it('comment-level: notice with only notices creates one that lists them', async () => {
        const gh = await github();
        const r = await go({ ws: makeTree(noticesOnly()), gh, inputs: { 'comment-level': 'notice' } });
        assert.equal(r.code, 0, r.stdout);
        assert.equal(r.outputs.notices, '3');
        assert.deepEqual(writesOf(gh), [`POST ${PR}/comments`]);
        const body = gh.comments(OWNER, REPO, PR)[0].body;
        assert.match(body, /^#### ℹ️ 3 notices$/m);
        assert.match(body, /`azuredeploy\.json` ×3, lines \[/);
        assert.doesNotMatch(body, /Not listed here/);
        assert.equal(r.outputs['comment-url'], gh.comments(OWNER, REPO, PR)[0].html_url);
      });

      it('comment: always creates one for a notice-only run; on-failure and never do not', async () => {
        for (const [mode, want] of [['always', [`POST ${PR}/comments`]], ['true', []], ['on-failure', []], ['never', []], ['false', []]]) {
          const gh = await github();
          const r = await go({ ws: makeTree(noticesOnly()), gh, inputs: { comment: mode } });
          assert.equal(r.code, 0, `${mode}\n${r.stdout}`);
          assert.deepEqual(writesOf(gh), want, mode);
        }
      });

      it('comment: true is auto and false is never (boolean-like inputs)', async () => {
        for (const [value, want] of [['true', 1], ['false', 0], ['auto', 1], ['never', 0]]) {
          const gh = await github();
          const r = await go({ ws: makeTree({ 'azuredeploy.json': armTemplate() }), gh, inputs: { comment: value } });
          assert.equal(r.code, 1, `${value}\n${r.stdout}`);
          assert.equal(commentWrites(gh).length, want, value);
          assert.equal(byCommand(r, 'error').filter((c) => /input 'comment'/.test(c.message)).length, 0, value);
        }
      });
    });

    it('one order: annotations and the job summary go errors, warnings, notices; then rule, file, line', async () => {
      // errors: CUA101 (z/, a/), CUA104 (IDs not registered: m/, q/, c/); warnings: CUA112 (a
      // comment) in y/ and b/; notices: CUA111 (tracking off by a condition) in q/ and c/
      const commented = (t) => t.replace('{\n', '{\n  // partner tracking\n');
      const ws = makeTree({
        'z/azuredeploy.json': armTemplate(),
        'a/azuredeploy.json': armTemplate(),
        'm/azuredeploy.json': armTemplate({ tracking: OTHER_PID }),
        'y/azuredeploy.json': commented(armTemplate({ tracking: true })),
        'b/azuredeploy.json': commented(armTemplate({ tracking: true })),
        'q/azuredeploy.json': conditional(2, 'q'),
        'c/azuredeploy.json': conditional(1, 'c'),
        'README.md': NOTICE,
      });
      const r = await go({ ws, inputs: { 'registered-ids': PID } });
      assert.equal(r.code, 1);
      const rank = { error: 0, warning: 1, notice: 2 };
      const annotations = r.commands.filter((c) => c.command in rank && c.props.file);
      const findings = findingsOf(r);
      assert.equal(annotations.length, findings.length, `every finding is annotated (fewer than 10 per level)\n${r.stdout}`);
      const seen = annotations.map((c) => [rank[c.command], /^(CUA\d+)/.exec(c.props.title)[1], c.props.file, Number(c.props.line)]);
      assert.ok(new Set(seen.map((s) => s[0])).size === 3, 'all three levels are present');
      assert.ok(new Set(seen.map((s) => s[1])).size >= 4, seen.map((s) => s[1]).join());
      const cmp = (x, y) => x[0] - y[0] || (x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0) || (x[2] < y[2] ? -1 : x[2] > y[2] ? 1 : 0) || x[3] - y[3];
      assert.deepEqual(seen, [...seen].sort(cmp), 'the annotations are in the one order');
      // every finding of the JSON report is annotated, once (the report keeps its own order: by file)
      assert.deepEqual(findings.map((f) => [rank[f.severity], f.rule, f.path, f.line]).sort(cmp), seen);
      // the job summary follows the one order too
      // (each finding's link found after the previous one's: two findings may share a line)
      let from = 0;
      for (const [level, rule, file, line] of seen) {
        const i = r.summary.indexOf(`/${file}#L${line})`, from);
        assert.ok(i > 0, `${level} ${rule} ${file}:${line} is not in the summary after the finding before it`);
        from = i + 1;
      }
      // and the summary says what was checked
      assert.match(r.summary, /^Checked: scope `all` · 7 files \(7 templates\) · commit \[`a10867b`\]\([^)]*\/Codertocat\/Hello-World\/commit\/a10867b14bb761a232cd80139fbd4c0d33264240\) · no config file$/m);
    });

    it('a push with scope: changed names its scope in the summary too', async () => {
      const ev = JSON.parse(fs.readFileSync(PUSH, 'utf8'));
      Object.assign(ev, { ref: 'refs/heads/main', after: SHA, deleted: false, forced: false, created: false, commits: [{ id: 'y', added: ['a/azuredeploy.json'], modified: [], removed: [] }] });
      const ws = makeTree({ 'a/azuredeploy.json': armTemplate(), 'b/azuredeploy.json': armTemplate() });
      const r = await go({ ws, ev, eventName: 'push', inputs: { scope: 'changed' } });
      assert.match(r.summary, /^Checked: scope `changed` \(1 file changed\) · /m);
      ev.commits = [];
      const r2 = await go({ ws, ev, eventName: 'push', inputs: { scope: 'changed' } });
      assert.match(r2.summary, /^Checked: scope `changed`, but every file was checked/m);
      assert.equal(r2.outputs.untracked, '2');
    });
  });
}
