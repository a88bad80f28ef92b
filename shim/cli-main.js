'use strict';
// The CLI shim: hands argv to the core, prints what it answers, exits with its code.

const { createHost } = require('./host');

const { lastPanicOf } = require('./core');

function internalError(e, core, stderr = process.stderr) {
  const detail = lastPanicOf(core) || (e && e.message) || String(e);
  try {
    stderr.write(`cua-check: internal error: ${detail}\ncua-check: this is a bug; please report this\n`);
  } catch {
    // nothing left to tell
  }
  process.exitCode = 2;
}

/** Runs the CLI with the given core; returns the exit code. Streams are injectable for tests. */
function runCli(core, args, { host = createHost(), stdout = process.stdout, stderr = process.stderr } = {}) {
  let r;
  try {
    r = core.runCli(args, host);
  } catch (e) {
    internalError(e, core, stderr);
    return 2;
  }
  if (!r || typeof r !== 'object') {
    internalError(new Error('the core returned no result'), core, stderr);
    return 2;
  }
  if (r.stdout) stdout.write(String(r.stdout));
  if (r.stderr) stderr.write(String(r.stderr));
  const code = Number.isInteger(r.code) ? r.code : 2;
  return code;
}

function loadCore() {
  return require('../pkg/cua_check.js');
}

function main() {
  let core = null;
  process.on('uncaughtException', (e) => internalError(e, core));
  process.on('unhandledRejection', (e) => internalError(e, core));
  // `cua-check ... | head` must not crash on a closed pipe.
  process.stdout.on('error', (e) => {
    if (e && e.code === 'EPIPE') return;
    internalError(e, core);
  });
  try {
    core = loadCore();
  } catch (e) {
    internalError(e, core);
    return;
  }
  const args = process.argv.slice(2);
  if (args[0] === 'verify') {
    runVerify(core, args.slice(1)).then((code) => {
      process.exitCode = code;
    }, (e) => internalError(e, core));
    return;
  }
  process.exitCode = runCli(core, args);
}

// ---- verify: the core plans every request; ./verify.js performs them ----

async function runVerify(core, args, { host = createHost(), stdout = process.stdout, stderr = process.stderr } = {}) {
  // Loaded here, not at start-up: the HTTP client is only needed by verify.
  const { azureToken, verifyLoop } = require('./verify');
  const first = JSON.parse(core.verifyStart(args, host));
  if (first.done) {
    if (first.done.stdout) stdout.write(first.done.stdout);
    if (first.done.stderr) stderr.write(first.done.stderr);
    return first.done.code;
  }
  const token = azureToken();
  if (!token) {
    stderr.write('error: no access token: set AZURE_ACCESS_TOKEN, or install the Azure CLI and run `az login`\n');
    return 2;
  }
  const done = await verifyLoop(core, first, token);
  if (done.stdout) stdout.write(done.stdout);
  if (done.stderr) stderr.write(done.stderr);
  return Number.isInteger(done.code) ? done.code : 2;
}

module.exports = { main, runCli, runVerify };
