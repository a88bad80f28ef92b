'use strict';
// Runs an action script (e.g. dist/index.js) in a child process the way the Actions
// runner does, and collects what it produced.
//
//   const r = await runAction('dist/index.js', {
//     inputs: { path: '.', 'registered-ids': '...' },   // -> INPUT_PATH, INPUT_REGISTERED-IDS
//     event: 'shim/test/fixtures/events/pull_request_opened.payload.json' | {…} | null,
//     eventName: 'pull_request',
//     github,            // a startFakeGitHub() server: sets GITHUB_API_URL / GITHUB_SERVER_URL
//     workspace, repository: 'Codertocat/Hello-World', env: { … }, node: process.execPath,
//   });
//   r -> { code, stdout, stderr, outputs, summary, runnerTemp, commands }
//
// nodeBinaries() lists the Node binaries to test with: this one, plus the one named by
// CUA_CHECK_NODE24 when set (e.g. .tools/node24/node_modules/node/bin/node).

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

/** Parse a GITHUB_OUTPUT / GITHUB_ENV file with the runner's rules. Throws if malformed. */
function parseCommandFile(text) {
  const out = {};
  const lines = text.split(/\r?\n/);
  // a trailing newline leaves one empty last element
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i];
    if (line === '') continue;
    const eq = line.indexOf('=');
    const hd = line.indexOf('<<');
    if (eq >= 0 && (hd < 0 || eq < hd)) {
      const name = line.slice(0, eq);
      if (!name) throw new Error(`malformed output line ${i + 1}: empty name`);
      out[name] = line.slice(eq + 1);
    } else if (hd >= 0) {
      const name = line.slice(0, hd);
      const delimiter = line.slice(hd + 2);
      if (!name) throw new Error(`malformed output line ${i + 1}: empty name`);
      if (!delimiter) throw new Error(`malformed output line ${i + 1}: empty delimiter`);
      const value = [];
      let j = i + 1;
      for (; j < lines.length && lines[j] !== delimiter; j++) value.push(lines[j]);
      if (j >= lines.length) throw new Error(`malformed output: delimiter ${delimiter} for ${name} not found`);
      out[name] = value.join('\n');
      i = j;
    } else {
      throw new Error(`malformed output line ${i + 1}: ${JSON.stringify(line)}`);
    }
  }
  return out;
}

/** Workflow commands (`::name props::data`) printed on stdout. */
function parseWorkflowCommands(stdout) {
  const cmds = [];
  for (const line of stdout.split(/\r?\n/)) {
    const m = /^::([a-zA-Z-]+)(?: ([^:]*))?::(.*)$/.exec(line);
    if (!m) continue;
    const props = {};
    if (m[2]) {
      for (const kv of m[2].split(',')) {
        const k = kv.indexOf('=');
        if (k > 0) props[kv.slice(0, k)] = unescapeProperty(kv.slice(k + 1));
      }
    }
    cmds.push({ command: m[1], props, message: unescapeData(m[3]) });
  }
  return cmds;
}

function unescapeData(s) {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%25/g, '%');
}

function unescapeProperty(s) {
  return s.replace(/%0D/g, '\r').replace(/%0A/g, '\n').replace(/%3A/g, ':').replace(/%2C/g, ',').replace(/%25/g, '%');
}

function nodeBinaries() {
  const list = [{ name: `node ${process.versions.node}`, path: process.execPath }];
  const n24 = process.env.CUA_CHECK_NODE24;
  if (n24 && fs.existsSync(n24)) list.push({ name: 'node 24', path: n24 });
  return list;
}

const pendingCleanup = new Set();

async function runAction(script, options = {}) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-runner-'));
  const runnerTemp = path.join(tmp, 'runner-temp');
  fs.mkdirSync(runnerTemp);
  const outputFile = path.join(tmp, 'github_output');
  const summaryFile = path.join(tmp, 'step_summary');
  fs.writeFileSync(outputFile, '');
  fs.writeFileSync(summaryFile, '');

  let eventPath = path.join(tmp, 'event.json');
  if (options.event === undefined || options.event === null) {
    eventPath = options.eventPath || path.join(tmp, 'missing-event.json');
  } else if (typeof options.event === 'string') {
    eventPath = path.resolve(options.event);
  } else {
    fs.writeFileSync(eventPath, JSON.stringify(options.event));
  }

  const env = {};
  // Keep only what a runner step would reasonably have; never leak the caller's INPUT_*/GITHUB_*.
  for (const k of ['PATH', 'HOME', 'SYSTEMROOT', 'TMPDIR', 'TEMP', 'TMP', 'LANG']) if (process.env[k] !== undefined) env[k] = process.env[k];
  Object.assign(env, {
    GITHUB_ACTIONS: 'true',
    CI: 'true',
    GITHUB_OUTPUT: outputFile,
    GITHUB_STEP_SUMMARY: summaryFile,
    GITHUB_EVENT_PATH: eventPath,
    GITHUB_EVENT_NAME: options.eventName || 'push',
    GITHUB_REPOSITORY: options.repository || 'Codertocat/Hello-World',
    GITHUB_WORKSPACE: options.workspace || process.cwd(),
    GITHUB_SHA: options.sha || '0000000000000000000000000000000000000000',
    GITHUB_REF: options.ref || 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    RUNNER_TEMP: runnerTemp,
    CUA_CHECK_RETRY_BASE_MS: '1',
  });
  if (options.github) {
    env.GITHUB_API_URL = options.github.apiUrl;
    if (options.github.graphqlUrl) env.GITHUB_GRAPHQL_URL = options.github.graphqlUrl;
    env.GITHUB_SERVER_URL = options.github.serverUrl;
  }
  for (const [name, value] of Object.entries(options.inputs || {})) {
    // The runner upper-cases the name, replaces spaces with '_' and keeps hyphens.
    env[`INPUT_${name.replace(/ /g, '_').toUpperCase()}`] = value;
  }
  for (const [k, v] of Object.entries(options.env || {})) {
    if (v === undefined || v === null) delete env[k];
    else env[k] = v;
  }

  const node = options.node || process.execPath;
  const child = spawn(node, [script, ...(options.args || [])], {
    cwd: options.cwd || env.GITHUB_WORKSPACE,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const stdout = [];
  const stderr = [];
  child.stdout.on('data', (c) => stdout.push(c));
  child.stderr.on('data', (c) => stderr.push(c));
  const timeoutMs = options.timeoutMs || 60000;
  const code = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`${script} did not finish within ${timeoutMs} ms`));
    }, timeoutMs);
    child.on('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.on('close', (c, signal) => {
      clearTimeout(timer);
      resolve(c === null ? `signal ${signal}` : c);
    });
  });
  const out = Buffer.concat(stdout).toString('utf8');
  const result = {
    code,
    stdout: out,
    stderr: Buffer.concat(stderr).toString('utf8'),
    outputs: parseCommandFile(fs.readFileSync(outputFile, 'utf8')),
    summary: fs.existsSync(summaryFile) ? fs.readFileSync(summaryFile, 'utf8') : null,
    commands: parseWorkflowCommands(out),
    runnerTemp,
    tmp,
  };
  // Removed when the test process exits, unless options.keep (to inspect a failure).
  result.cleanup = () => fs.rmSync(tmp, { recursive: true, force: true });
  if (!options.keep) {
    if (!pendingCleanup.size) process.once('exit', () => pendingCleanup.forEach((f) => f()));
    pendingCleanup.add(result.cleanup);
  }
  return result;
}

module.exports = { runAction, parseCommandFile, parseWorkflowCommands, nodeBinaries };
