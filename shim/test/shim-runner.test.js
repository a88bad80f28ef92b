'use strict';
// shim/runner.js: the runner protocol, byte for byte as @actions/core writes it (command.ts,
// file-command.ts, core.ts, summary.ts), and read back with the runner's rules
// (test/helpers/runner.js).
const test = require('node:test');
const assert = require('node:assert/strict');
const crypto = require('crypto');
const fs = require('fs');
const os = require('os');
const path = require('path');
const runner = require('../runner');
const { parseCommandFile, parseWorkflowCommands } = require('./helpers/runner');

/** Runs fn with process.stdout.write captured; returns what was written. */
function stdoutOf(fn) {
  const original = process.stdout.write;
  let out = '';
  process.stdout.write = (chunk) => {
    out += String(chunk);
    return true;
  };
  try {
    fn();
  } finally {
    process.stdout.write = original;
  }
  return out;
}

/** Runs fn with env variables set (undefined: unset), then restores them. */
function withEnv(vars, fn) {
  const saved = {};
  for (const k of Object.keys(vars)) {
    saved[k] = process.env[k];
    if (vars[k] === undefined) delete process.env[k];
    else process.env[k] = vars[k];
  }
  try {
    return fn();
  } finally {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}

function tempFile(content = '') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-shim-runner-'));
  process.once('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  const f = path.join(dir, 'file');
  if (content !== null) fs.writeFileSync(f, content);
  return f;
}

const EOL = os.EOL;

test('annotations: hostile file names and messages are escaped as command.ts does', () => {
  const file = 'dir,with:odd%chars\nand a newline\r/main.json';
  const out = stdoutOf(() => {
    runner.error('missing ID\nsecond line 100%\r', { title: 'CUA001: a, b', file, startLine: 3, startColumn: 5, endLine: 4, endColumn: 9 });
    runner.warning('w', { file: 'b.bicep', startLine: 1 });
    runner.notice('::error::injected');
    runner.error(new Error('boom'));
  });
  assert.equal(
    out,
    '::error title=CUA001%3A a%2C b,file=dir%2Cwith%3Aodd%25chars%0Aand a newline%0D/main.json,line=3,endLine=4,col=5,endColumn=9::missing ID%0Asecond line 100%25%0D' +
      EOL +
      '::warning file=b.bicep,line=1::w' +
      EOL +
      '::notice::::error::injected' +
      EOL +
      '::error::Error: boom' +
      EOL,
  );
  // the runner reads back exactly what was meant, on one line each
  const cmds = parseWorkflowCommands(out);
  assert.equal(out.split('\n').length - 1, 4);
  assert.deepEqual(cmds[0].props, { title: 'CUA001: a, b', file, line: '3', endLine: '4', col: '5', endColumn: '9' });
  assert.equal(cmds[0].message, 'missing ID\nsecond line 100%\r');
  assert.equal(cmds[2].command, 'notice');
  assert.equal(cmds[2].message, '::error::injected');
  // the escaping order matters: an already-escaped-looking text stays itself
  assert.equal(runner.escapeData('%0A'), '%250A');
  assert.equal(runner.escapeProperty('%3A:'), '%253A%3A');
});

test('annotation properties: empty and zero values are left out, as the toolkit does', () => {
  assert.equal(runner.formatCommand('warning', runner.toCommandProperties({ file: '', startLine: 0, title: undefined }), 'm'), '::warning ::m');
  assert.equal(runner.formatCommand('notice', runner.toCommandProperties({}), 'm'), '::notice::m');
  assert.equal(runner.formatCommand('', {}, null), '::missing.command::');
  assert.equal(runner.formatCommand('debug', {}, { a: 1 }), '::debug::{"a":1}');
});

test('setSecret, info, debug, groups, setFailed', () => {
  const saved = process.exitCode;
  try {
    const out = stdoutOf(() => {
      runner.setSecret('s3cr%t\nline');
      runner.info('plain ::text:: 100%');
      runner.debug('dbg\n2');
      runner.startGroup('group, one');
      runner.endGroup();
      runner.setFailed('failed:\n100%');
    });
    assert.equal(
      out,
      ['::add-mask::s3cr%25t%0Aline', 'plain ::text:: 100%', '::debug::dbg%0A2', '::group::group, one', '::endgroup::', '::error::failed:%0A100%25', ''].join(EOL),
    );
    assert.equal(process.exitCode, 1);
  } finally {
    process.exitCode = saved;
  }
  withEnv({ RUNNER_DEBUG: '1' }, () => assert.equal(runner.isDebug(), true));
  withEnv({ RUNNER_DEBUG: undefined }, () => assert.equal(runner.isDebug(), false));
});

test('getInput: INPUT_<NAME>, upper-cased, spaces as _, hyphens kept, trimmed', () => {
  withEnv(
    { 'INPUT_FAIL-ON': '  warning \n', INPUT_MY_INPUT: ' x ', 'INPUT_MAIN-TEMPLATES': 'a\n b \n', INPUT_EMPTY: '', INPUT_MISSING: undefined },
    () => {
      assert.equal(runner.getInput('fail-on'), 'warning');
      assert.equal(runner.getInput('Fail-On'), 'warning');
      assert.equal(runner.getInput('my input'), 'x');
      assert.equal(runner.getInput('main-templates'), 'a\n b');
      assert.equal(runner.getInput('main-templates', { trimWhitespace: false }), 'a\n b \n');
      assert.equal(runner.getInput('empty'), '');
      assert.equal(runner.getInput('missing'), '');
      assert.throws(() => runner.getInput('missing', { required: true }), /^Error: Input required and not supplied: missing$/);
      assert.throws(() => runner.getInput('empty', { required: true }), /Input required and not supplied: empty/);
      assert.equal(runner.getInput('fail-on', { required: true }), 'warning');
    },
  );
  // an explicit environment, as the action's tests may pass
  assert.equal(runner.getInput('path', undefined, { INPUT_PATH: ' src ' }), 'src');
});

test('setOutput: GITHUB_OUTPUT heredoc blocks with a fresh random delimiter', () => {
  const file = tempFile('');
  const tricky = 'line 1\nghadelimiter_00000000-0000-0000-0000-000000000000\nEOF\n<<EOF\nname=value\n\nlast';
  withEnv({ GITHUB_OUTPUT: file }, () => {
    const out = stdoutOf(() => {
      runner.setOutput('multi', tricky);
      runner.setOutput('plain', 'v');
      runner.setOutput('number', 42);
      runner.setOutput('object', { a: [1, 'x'] });
      runner.setOutput('empty', '');
      runner.setOutput('nothing', undefined);
      runner.setOutput('crlf', 'a\r\nb');
    });
    assert.equal(out, '', 'nothing on stdout');
  });
  const text = fs.readFileSync(file, 'utf8');
  const delimiters = [...text.matchAll(/^[^\n<]+<<(.*)$/gm)].map((m) => m[1]);
  assert.equal(delimiters.length, 7);
  for (const d of delimiters) assert.match(d, /^ghadelimiter_[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
  assert.equal(new Set(delimiters).size, 7, 'a new delimiter for every output');
  assert.ok(text.startsWith(`multi<<${delimiters[0]}${EOL}${tricky}${EOL}${delimiters[0]}${EOL}plain<<`));
  assert.deepEqual(parseCommandFile(text), {
    multi: tricky,
    plain: 'v',
    number: '42',
    object: '{"a":[1,"x"]}',
    empty: '',
    nothing: '',
    crlf: 'a\nb', // the runner reads lines; \r\n is a line end to it
  });
});

test('setOutput: a value holding the delimiter is refused, not written ambiguously', (t) => {
  const file = tempFile('');
  const fixed = '11111111-2222-4333-8444-555555555555';
  t.mock.method(crypto, 'randomUUID', () => fixed);
  withEnv({ GITHUB_OUTPUT: file }, () => {
    assert.throws(() => runner.setOutput('x', `a\nghadelimiter_${fixed}\nb`), /value should not contain the delimiter "ghadelimiter_11111111/);
    assert.throws(() => runner.setOutput(`k ghadelimiter_${fixed}`, 'v'), /name should not contain the delimiter/);
  });
  assert.equal(fs.readFileSync(file, 'utf8'), '');
});

test('setOutput: without GITHUB_OUTPUT the ::set-output command; a missing file is an error', () => {
  withEnv({ GITHUB_OUTPUT: undefined }, () => {
    assert.equal(
      stdoutOf(() => runner.setOutput('na,me:x', 'a\nb 100%')),
      `${EOL}::set-output name=na%2Cme%3Ax::a%0Ab 100%25${EOL}`,
    );
  });
  withEnv({ GITHUB_OUTPUT: '' }, () => assert.match(stdoutOf(() => runner.setOutput('n', 'v')), /::set-output name=n::v/));
  const missing = tempFile(null);
  withEnv({ GITHUB_OUTPUT: missing }, () => {
    assert.throws(() => runner.setOutput('n', 'v'), new RegExp(`^Error: Missing file at path: ${missing.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
  });
  assert.equal(fs.existsSync(missing), false);
});

test('appendSummary: appends the text as is to GITHUB_STEP_SUMMARY', () => {
  const file = tempFile('before\n');
  withEnv({ GITHUB_STEP_SUMMARY: file }, () => {
    runner.appendSummary('## title\n\n| a |\n');
    runner.appendSummary('more');
  });
  assert.equal(fs.readFileSync(file, 'utf8'), 'before\n## title\n\n| a |\nmore');
  withEnv({ GITHUB_STEP_SUMMARY: undefined }, () => {
    assert.throws(() => runner.appendSummary('x'), /Unable to find environment variable for \$GITHUB_STEP_SUMMARY/);
  });
  const missing = tempFile(null);
  withEnv({ GITHUB_STEP_SUMMARY: missing }, () => {
    assert.throws(() => runner.appendSummary('x'), /Unable to access summary file: '.*'\. Check if the file has correct read\/write permissions\./);
  });
});
