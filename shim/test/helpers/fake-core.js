'use strict';
// A JavaScript stand-in for the wasm-pack glue `pkg/cua_check.js`, implementing the
// core's API contract just enough to exercise the shim. It loads its .wasm the way
// the real glue does (`${__dirname}/cua_check_bg.wasm`), so a bundle built from it
// proves the wasm file is found next to dist/*.js.
//
// makeFakePkg(dir) writes dir/cua_check.js (this file) and dir/cua_check_bg.wasm
// (an empty but valid wasm module).
//
// Behaviour is steered by the request (inputs) so tests need no other channel:
//   inputs.mode === 'panic-context' | 'panic-check' | 'panic-comment'  -> trap in that step
//   inputs.mode === 'bad-input'                                       -> check answers ok:false
//   inputs['fail-on'] === 'never'                                     -> exitCode 0 even with errors
// CLI: `runCli(['panic'])` traps; `runCli(['ls', dir])` lists a directory through the host.

const fs = require('fs');
const path = require('path');

// (not when this helper is required from test/helpers for makeFakePkg)
if (path.basename(__filename) !== 'fake-core.js') {
  const wasmBytes = require('fs').readFileSync(`${__dirname}/cua_check_bg.wasm`);
  new WebAssembly.Module(wasmBytes);
}

let panic;

function trap(message) {
  panic = `panicked at src/lib.rs:1:1:\n${message}`;
  throw new WebAssembly.RuntimeError('unreachable');
}

exports.lastPanic = () => panic;

exports.runCli = (args, host) => {
  if (args[0] === 'panic') trap('fake CLI panic');
  if (args[0] === 'throw') throw new Error('plain JS error');
  if (args[0] === 'ls') {
    const entries = host.readDir(args[1]);
    return { code: 0, stdout: entries.map(([n, k]) => `${k} ${n}`).sort().join('\n') + '\n', stderr: '' };
  }
  if (args[0] === 'big') {
    return { code: 1, stdout: 'x'.repeat(Number(args[1])) + '\n', stderr: 'done\n' };
  }
  return { code: 0, stdout: `fake cua-check ${args.join(' ')}\n`, stderr: `tty=${host.isTty()} cwd=${host.cwd()}\n` };
};

function repoOf(env) {
  const [owner, name] = String(env.GITHUB_REPOSITORY || '').split('/');
  return owner && name ? { owner, name } : null;
}

exports.action = (step, requestJson, host) => {
  const req = JSON.parse(requestJson);
  if (step === 'context') {
    if (req.inputs.mode === 'panic-context') trap('fake context panic');
    if (req.inputs.mode === 'bad-context') return JSON.stringify({ ok: false, error: 'bad context input', log: [] });
    const pr = req.event && req.event.pull_request ? { number: req.event.pull_request.number } : null;
    return JSON.stringify({
      ok: true,
      log: [`event ${req.eventName}`, `inputs ${JSON.stringify({ ...req.inputs, token: req.inputs.token ? '(set)' : '' })}`, `env ${Object.keys(req.env).sort().join(',')}`],
      repo: repoOf(req.env),
      pullRequest: pr,
      lookupPullForSha: !pr && req.eventName === 'push' ? req.env.GITHUB_SHA : null,
      needChangedFiles: req.inputs.scope === 'changed',
      commentWanted: req.inputs.comment !== 'never',
      ...(req.inputs.mode === 'fork' ? { forkNotice: 'fork PR: no comment' } : {}),
    });
  }
  if (step === 'check') {
    if (req.inputs.mode === 'panic-check') trap('fake check panic');
    if (req.inputs.mode === 'bad-input') return JSON.stringify({ ok: false, error: 'invalid input mode: bad-input', messages: { commentFailed: 'c', lookupFailed: 'lookup failed ({status}): {detail}' } });
    const temp = req.env.RUNNER_TEMP;
    const files = [{ path: path.join(temp, 'cua-check', 'report.json'), content: JSON.stringify({ changedFiles: req.changedFiles, pullRequest: req.pullRequest }) }];
    if (req.inputs['sarif-file']) files.push({ path: req.inputs['sarif-file'], content: '{"version":"2.1.0"}' });
    const errors = 1;
    const comment =
      req.inputs.comment === 'never' || !req.pullRequest
        ? null
        : {
            marker: `<!-- cua-check:${req.inputs['comment-key'] || 'default'} -->`,
            body: `<!-- cua-check:${req.inputs['comment-key'] || 'default'} -->\nreport for ${req.env.GITHUB_SHA}`,
            create: req.inputs.comment !== 'update',
            update: true,
          };
    return JSON.stringify({
      ok: true,
      exitCode: req.inputs['fail-on'] === 'never' ? 0 : errors > 0 ? 1 : 0,
      log: ['checked 3 files', `changed ${JSON.stringify(req.changedFiles)}`, `pr ${JSON.stringify(req.pullRequest)}`],
      annotations: [
        { level: 'error', message: 'missing tracking ID\nsecond line 100%', title: 'CUA001', file: 'dir,with:odd%chars/main.json', startLine: 3, startColumn: 5, endLine: 3, endColumn: 9 },
        { level: 'warning', message: 'unregistered ID', title: 'CUA002', file: 'b.bicep', startLine: 1 },
        { level: 'notice', message: 'just so you know' },
      ],
      outputs: { result: 'fail', errors: String(errors), warnings: '1', notices: '1', tracked: '0', untracked: '1', 'report-file': files[0].path, 'sarif-file': req.inputs['sarif-file'] || '', multi: 'line one\nline two' },
      files,
      summary: '## cua-check\n\n| a | b |\n|---|---|\n| 1 | 2 |\n',
      comment,
      messages: { commentFailed: 'could not comment ({status}): {detail}', lookupFailed: 'lookup failed ({status}): {detail}' },
    });
  }
  if (step === 'comment') {
    if (req.marker.includes('panic')) trap('fake comment panic');
    const login = typeof req.viewer === 'string' ? req.viewer : req.viewer && req.viewer.login;
    const mine = req.comments.find((c) => c.body.includes(req.marker) && (login ? c.user.login === login : c.user.type === 'Bot'));
    const action = mine ? (req.update && mine.body !== req.body ? 'update' : 'none') : req.create ? 'create' : 'none';
    return JSON.stringify({ id: mine ? mine.id : null, action });
  }
  if (step === 'http-failure') {
    const what = req.what === 'comment' ? 'could not comment' : 'lookup failed';
    return JSON.stringify({ text: `${what} (${req.status || 'no response'}): ${req.detail}` });
  }
  throw new Error(`unknown step ${step}`);
};

exports.makeFakePkg = (dir) => {
  fs.mkdirSync(dir, { recursive: true });
  fs.copyFileSync(__filename, path.join(dir, 'cua_check.js'));
  fs.writeFileSync(path.join(dir, 'cua_check_bg.wasm'), Buffer.from([0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00]));
};
