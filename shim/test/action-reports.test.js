'use strict';
// Reports on a big repository (issue 15), with the REAL action (dist/index.js and the wasm core)
// run the way the Actions runner runs it, against the fake GitHub REST API on 127.0.0.1.
// A generated tree with 50 errors, 100 warnings and 3,000 notices: the PR comment stays under
// GitHub's limit, lists all 50 errors first, folds the rest and says truly what it left out; the
// job summary too, under its 1 MiB. Both are rendered to HTML with a GitHub-flavoured Markdown
// renderer (marked, GFM on) to check their structure and that no file name injects markup.
// CUA_CHECK_RENDER_OUT=DIR also writes the comment and summary, as Markdown and as the HTML
// marked renders, to DIR (to look at them; keep them out of the repository).

const { describe, it, before, after } = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const path = require('path');
const { marked } = require('marked');
const { runAction, nodeBinaries } = require('./helpers/runner');
const { startFakeGitHub } = require('./helpers/fake-github');
const { DIST_INDEX, makeTree } = require('./helpers/e2e');
const { actionDefaults } = require('./helpers/inputs');

const PR_OPENED = path.join(__dirname, 'fixtures', 'events', 'pull_request_opened.payload.json');
const TOKEN = 'ghs_reports_test_token_456';
const OWNER = 'Codertocat';
const REPO = 'Hello-World';
const PR = 2;
const SHA = '0123456789abcdef0123456789abcdef01234567';
const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const NOTICE = '# T\n\nMicrosoft can identify the deployments of these templates with the deployed Azure resources (customer usage attribution). To turn it off, set `enableTelemetry` to `false`.\n';
// File names that would be markup if they reached the comment raw.
const HOSTILE = ['<img src=x onerror=alert(1)>', '[click](javascript:alert(1)) **b** @someone | x'];

const guid = (seed) => {
  const h = crypto.createHash('sha256').update(seed).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
};

function tracking(name, conditional) {
  const d = {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2021-04-01',
    name: `pid-${guid(name)}`,
    properties: { mode: 'Incremental', template: { $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [] } },
  };
  if (conditional) d.condition = "[equals(parameters('enableTelemetry'), 'Yes')]";
  return d;
}

const params = { enableTelemetry: { type: 'string', defaultValue: 'Yes' } };
const json = (v) => JSON.stringify(v, null, 2);

/**
 * 50 errors: untracked main templates (CUA101), two of them under hostile folder names;
 * 100 warnings: tracked templates with a comment (CUA112), each with one conditional tracking
 * deployment (a CUA111 notice); 2,900 more notices: 58 templates of 50 conditional ones.
 */
function bigTree() {
  const files = { 'README.md': NOTICE };
  const untracked = (i) => json({ $schema: SCHEMA, contentVersion: '1.0.0.0', resources: [{ type: 'Microsoft.Storage/storageAccounts', apiVersion: '2023-01-01', name: `st${i}`, location: 'westeurope' }] });
  for (let i = 0; i < 48; i++) files[`errors/e${String(i).padStart(2, '0')}/azuredeploy.json`] = untracked(i);
  HOSTILE.forEach((name, i) => (files[`${name}/azuredeploy.json`] = untracked(100 + i)));
  for (let i = 0; i < 100; i++) {
    const text = json({ $schema: SCHEMA, contentVersion: '1.0.0.0', parameters: params, resources: [tracking(`w${i}`, true)] });
    files[`warnings/w${String(i).padStart(3, '0')}/azuredeploy.json`] = text.replace('{\n', '{\n  // partner tracking\n');
  }
  for (let i = 0; i < 58; i++) {
    const deps = Array.from({ length: 50 }, (_, k) => tracking(`n${i}-${k}`, true));
    files[`notices/n${String(i).padStart(2, '0')}/azuredeploy.json`] = json({ $schema: SCHEMA, contentVersion: '1.0.0.0', parameters: params, resources: deps });
  }
  return makeTree(files, 'cua-reports-');
}

/** The core's url_path: RFC 3986 path characters kept, every other byte %XX. */
const urlPath = (p) => Array.from(Buffer.from(p, 'utf8')).map((b) => (/[A-Za-z0-9\-._~/]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`)).join('');
const escapeHtml = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const headings = (html) => [...html.matchAll(/<h([1-6])[^>]*>([\s\S]*?)<\/h\1>/g)].map((m) => `h${m[1]} ${m[2].replace(/<[^>]+>/g, '')}`);

/** What the rendered HTML must never contain from a file name: live tags, links, emphasis. */
function assertNoInjection(html, label) {
  assert.doesNotMatch(html, /<img/i, `${label}: an <img> tag`);
  assert.doesNotMatch(html, /href="javascript:/i, `${label}: a javascript: link`);
  assert.doesNotMatch(html, /<strong>b<\/strong>/, `${label}: emphasis from a file name`);
  // the hostile names are shown, as code
  // (a `|` is written `\|` so that it cannot end a table cell; GFM drops the `\` in a table only)
  for (const name of HOSTILE) {
    const shown = [escapeHtml(name), escapeHtml(name.replace(/\|/g, '\\|'))].map((n) => `<code>${n}/azuredeploy.json</code>`);
    assert.ok(shown.some((c) => html.includes(c)), `${label}: ${name} is not shown as code`);
  }
}

for (const node of nodeBinaries()) {
  describe(`reports on a big tree, real dist/index.js (${node.name})`, () => {
    let gh;
    let r;
    let report;
    let body;
    let ws;

    before(async () => {
      gh = await startFakeGitHub({ tokens: { [TOKEN]: null } });
      ws = bigTree();
      r = await runAction(DIST_INDEX, {
        node: node.path,
        github: gh,
        workspace: ws,
        cwd: ws,
        repository: `${OWNER}/${REPO}`,
        eventName: 'pull_request',
        event: PR_OPENED,
        sha: SHA,
        // what the runner passes: every input of action.yml with its default, then the step's `with:`
        inputs: { ...actionDefaults(TOKEN), 'sarif-file': 'cua.sarif' },
      });
      report = JSON.parse(fs.readFileSync(r.outputs['report-file'], 'utf8'));
      const posts = gh.writes().filter((w) => w.method === 'POST' && w.path.endsWith(`/issues/${PR}/comments`));
      assert.equal(posts.length, 1, r.stdout.slice(-2000) + r.stderr);
      body = posts[0].body.body;
      const out = process.env.CUA_CHECK_RENDER_OUT;
      if (out) {
        fs.mkdirSync(out, { recursive: true });
        const page = (title, md) => `<!doctype html>\n<meta charset="utf-8">\n<title>${title}</title>\n<body style="max-width:900px;margin:2em auto;font-family:sans-serif">\n${marked.parse(md, { gfm: true })}</body>\n`;
        fs.writeFileSync(path.join(out, 'comment.md'), body);
        fs.writeFileSync(path.join(out, 'comment.html'), page('PR comment', body));
        fs.writeFileSync(path.join(out, 'summary.md'), r.summary);
        fs.writeFileSync(path.join(out, 'summary.html'), page('job summary', r.summary));
      }
    });
    after(async () => gh && gh.close());

    it('the tree has 50 errors, 100 warnings and 3,000 notices', () => {
      assert.equal(r.code, 1);
      assert.deepEqual([r.outputs.errors, r.outputs.warnings, r.outputs.notices], ['50', '100', '3000']);
      assert.equal(report.findings.length, 3150, 'the JSON report has one entry per finding');
      // SARIF: one result per finding, each with its own fingerprint
      const sarif = JSON.parse(fs.readFileSync(path.join(ws, 'cua.sarif'), 'utf8'));
      const results = sarif.runs[0].results;
      assert.equal(results.length, 3150);
      assert.equal(new Set(results.map((x) => x.partialFingerprints['cuaCheck/v2'])).size, 3150);
    });

    it('the comment is under the limit, lists all 50 errors first and folds the rest', () => {
      assert.ok(body.length < 65536, `${body.length} characters`);
      const html = marked.parse(body, { gfm: true });
      assert.deepEqual(headings(html), [
        'h3 ❌ cua-check failed: 50 errors, 100 warnings, 3,000 notices (fail-on: error)',
        'h4 ❌ 50 errors',
        'h4 ⚠️ 100 warnings',
        'h4 Not listed here: 3,000 notices (CUA111 ×3,000 in 158 files)',
        'h4 Main templates',
      ]);
      const warningsAt = html.indexOf('<h4>⚠️ 100 warnings</h4>');
      for (const f of report.findings.filter((x) => x.severity === 'error')) {
        const link = `${urlPath(f.path)}#L${f.line}"`;
        const at = html.indexOf(link);
        assert.ok(at > 0 && at < warningsAt, `${f.path}:${f.line} is not listed before the warnings`);
      }
      // the 100 warnings of one rule: one explanation, one fix, one line
      const warnings = html.slice(warningsAt, html.indexOf('<h4>Not listed here'));
      assert.equal((warnings.match(/<li>/g) || []).length, 1, warnings);
      assert.match(warnings, /<strong>CUA112<\/strong> <a href="[^"]+#cua112">comments<\/a> ×100 in 100 files: /);
      assert.equal((warnings.match(/Fix: /g) || []).length, 1);
      assertNoInjection(html, 'comment');
    });

    it('the note on what the comment leaves out is true and names where the complete list is', () => {
      const notices = report.findings.filter((f) => f.severity === 'notice');
      const files = new Set(notices.map((f) => f.path));
      assert.ok(notices.every((f) => f.rule === 'CUA111'));
      assert.ok(body.includes(`#### Not listed here: ${notices.length.toLocaleString('en-US')} notices (CUA111 ×${notices.length.toLocaleString('en-US')} in ${files.size} files)`), body.slice(-3000));
      assert.match(body, /The complete list: the job summary of \[this run\]\([^)]*\/Codertocat\/Hello-World\/actions\/runs\/\d+\), the JSON report \(output `report-file`\) and the SARIF file `cua\.sarif`\./);
      // and the summary does list every one of them
      for (const f of notices.slice(0, 200)) assert.ok(r.summary.includes(`${urlPath(f.path)}#L${f.line})`), `${f.path}:${f.line}`);
      // the comment says what was checked
      assert.match(body, /^Checked: scope `all` · 208 files \(208 templates\) · commit \[`0123456`\]\([^)]*\/Codertocat\/Hello-World\/commit\/0123456789abcdef0123456789abcdef01234567\) · no config file$/m);
    });

    it('the job summary is under 1 MiB, has every finding, errors first, and no injection', () => {
      const summary = r.summary;
      assert.ok(Buffer.byteLength(summary, 'utf8') < 1024 * 1024, `${Buffer.byteLength(summary)} bytes`);
      const html = marked.parse(summary, { gfm: true });
      const h = headings(html);
      assert.deepEqual(h.slice(0, 5), [
        'h3 ❌ cua-check failed: 50 errors, 100 warnings, 3,000 notices (fail-on: error)',
        'h4 ❌ 50 errors',
        'h4 ⚠️ 100 warnings',
        'h4 ℹ️ 3,000 notices',
        'h4 Main templates',
      ]);
      assert.ok(!summary.includes('_Not shown here (size limit)'), 'no finding cut');
      assert.match(summary, /^Checked: scope `all` · 208 files \(208 templates\) · commit \[`0123456`\]\([^)]*\) · no config file$/m);
      const at = { error: html.indexOf('<h4>❌ 50 errors'), warning: html.indexOf('<h4>⚠️ 100 warnings'), notice: html.indexOf('<h4>ℹ️ 3,000 notices') };
      const end = { error: at.warning, warning: at.notice, notice: html.indexOf('<h4>Main templates') };
      for (const f of report.findings) {
        const i = html.indexOf(`${urlPath(f.path)}#L${f.line}"`, at[f.severity]);
        assert.ok(i > 0 && i < end[f.severity], `${f.severity} ${f.rule} ${f.path}:${f.line} is not in its section`);
      }
      assertNoInjection(html, 'summary');
    });
  });
}
