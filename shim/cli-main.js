'use strict';
// The CLI shim: hands argv to the core, prints what it answers, exits with its code.

const { createHost } = require('./host');

function lastPanicOf(core) {
  try {
    const p = core && typeof core.lastPanic === 'function' ? core.lastPanic() : undefined;
    return typeof p === 'string' && p !== '' ? p : undefined;
  } catch {
    return undefined;
  }
}

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
  process.exitCode = runCli(core, process.argv.slice(2));
}

module.exports = { main, runCli };
