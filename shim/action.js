'use strict';
// The GitHub Action side of cua-check: platform I/O only. Every message, comment
// body, summary and SARIF text comes from the Rust core (pkg/cua_check.js).

const fs = require('fs');
const path = require('path');
const runner = require('./runner');
const { createHost } = require('./host');
const { createClient, DEFAULT_API_URL } = require('./github');

// Every input is passed to the core as the runner set it (INPUT_<NAME> → name, lower case):
// the core knows the declared inputs (src/options/table.rs, which action.yml is generated from),
// rejects unknown ones and applies the defaults.
const INPUT_PREFIX = 'INPUT_';

// Any of these but the endpoint being set selects the verify mode.
const VERIFY_PREFIX = 'verify-';

const ENV_NAMES = [
  'GITHUB_WORKSPACE',
  'GITHUB_REPOSITORY',
  'GITHUB_SERVER_URL',
  'GITHUB_API_URL',
  'GITHUB_SHA',
  'GITHUB_RUN_ID',
  'GITHUB_REF',
  'RUNNER_TEMP',
  'GITHUB_STEP_SUMMARY',
  'GITHUB_ACTION',
];


/** Thrown when the core itself fails (trap / exception / unparsable answer). */
class CoreFailure extends Error {
  constructor(step, cause, panic) {
    const detail = panic || (cause && cause.message) || String(cause);
    super(`${step}: ${detail}`);
    this.name = 'CoreFailure';
    this.step = step;
    this.detail = detail;
    this.cause = cause;
  }
}

const { lastPanicOf } = require('./core');

/** Calls core.action(step, JSON) and parses the JSON answer; any failure is a CoreFailure. */
function callCore(core, step, request, host) {
  let text;
  try {
    text = core.action(step, JSON.stringify(request), host);
  } catch (e) {
    throw new CoreFailure(step, e, lastPanicOf(core));
  }
  try {
    const v = JSON.parse(text);
    if (v === null || typeof v !== 'object') throw new Error('answer is not a JSON object');
    return v;
  } catch (e) {
    throw new CoreFailure(step, new Error(`unparsable answer from the core: ${e.message}`));
  }
}

/** The warning for a failed GitHub request, worded by the core (what: comment | lookup | files). */
function httpFailureText(core, host, what, e) {
  const status = e && typeof e.status === 'number' && e.status > 0 ? e.status : 0;
  const detail = String((e && (e.detail || e.message)) || e || '');
  const answer = callCore(core, 'http-failure', { what, status, detail }, host);
  return String(answer.text || `cua-check: GitHub API request failed (${status || 'no response'}): ${detail}`);
}



// ---- step 1 -------------------------------------------------------------------

function readInputs(env = process.env, ac = runner) {
  const inputs = {};
  for (const [key, value] of Object.entries(env)) {
    if (!key.startsWith(INPUT_PREFIX) || key.length === INPUT_PREFIX.length) continue;
    inputs[key.slice(INPUT_PREFIX.length).toLowerCase()] = String(value || '').trim();
  }
  if (inputs.token) ac.setSecret(inputs.token);
  return inputs;
}

/** The event payload; eventError says why it could not be read (the core words the warning). */
function readEvent(env = process.env) {
  const eventName = env.GITHUB_EVENT_NAME || '';
  let event = null;
  let eventError = null;
  const p = env.GITHUB_EVENT_PATH;
  if (!p) {
    eventError = 'GITHUB_EVENT_PATH is not set';
  } else {
    try {
      event = JSON.parse(fs.readFileSync(p, 'utf8'));
    } catch (e) {
      event = null;
      eventError = e && e.code ? `${e.code} on ${p}` : `${p}: ${(e && e.message) || e}`;
    }
  }
  return { eventName, event, eventError };
}

function readEnv(env = process.env) {
  const out = {};
  for (const name of ENV_NAMES) if (env[name] !== undefined) out[name] = env[name];
  return out;
}

// ---- step 3 / 4 ---------------------------------------------------------------

async function lookupPullRequest(client, repo, sha) {
  const res = await client.request(
    'GET',
    `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/commits/${encodeURIComponent(sha)}/pulls`,
  );
  const list = Array.isArray(res.data) ? res.data : [];
  const open = list.find((p) => p && p.state === 'open' && typeof p.number === 'number');
  return open ? { number: open.number } : null;
}

async function listChangedFiles(client, repo, number) {
  const files = await client.paginate(
    `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pulls/${number}/files?per_page=100`,
  );
  return files.map((f) => f && f.filename).filter((f) => typeof f === 'string');
}

// ---- step 5 -------------------------------------------------------------------

function cleanProps(a) {
  const props = {};
  for (const k of ['title', 'file', 'startLine', 'startColumn', 'endLine', 'endColumn']) {
    if (a[k] !== undefined && a[k] !== null) props[k] = a[k];
  }
  return props;
}

function emitAnnotations(annotations, ac = runner) {
  for (const a of annotations || []) {
    const fn = a.level === 'error' ? ac.error : a.level === 'warning' ? ac.warning : ac.notice;
    fn(String(a.message === undefined ? '' : a.message), cleanProps(a));
  }
}

/**
 * Shows what the core planned, for check and verify alike: log lines, annotations, outputs,
 * files, the job summary, then the PR comment (whose failure is only a warning). Returns false
 * when a file could not be written.
 */
async function applyPlan(plan, { env, ac, client, core, host, repo, pullRequest, commentWanted }) {
  for (const line of plan.log || []) ac.info(line);
  for (const text of plan.notices || []) ac.notice(String(text));
  emitAnnotations(plan.annotations, ac);
  for (const [name, value] of Object.entries(plan.outputs || {})) ac.setOutput(name, value === null || value === undefined ? '' : String(value));
  const filesOk = writeFiles(plan.files, ac);
  await writeSummary(plan.summary, env, ac);
  if (plan.comment && commentWanted !== false && pullRequest && client && repo) {
    await upsertComment({ client, core, host, repo, pullRequest, comment: plan.comment, ac });
  }
  return filesOk;
}

/** Writes plan.files; returns false when one could not be written. */
function writeFiles(files, ac = runner) {
  let ok = true;
  for (const f of files || []) {
    try {
      fs.mkdirSync(path.dirname(path.resolve(f.path)), { recursive: true });
      fs.writeFileSync(f.path, f.content);
    } catch (e) {
      ok = false;
      ac.error(`cua-check: could not write ${f.path}: ${e.message}`);
    }
  }
  return ok;
}

async function writeSummary(summary, env = process.env, ac = runner) {
  if (!summary || !env.GITHUB_STEP_SUMMARY) return;
  try {
    ac.appendSummary(summary);
  } catch (e) {
    ac.warning(`cua-check: could not write the job summary: ${e.message}`);
  }
}

// ---- step 6 -------------------------------------------------------------------

/**
 * Who the token acts as: the GraphQL viewer (answers for App installation tokens and personal
 * tokens), else GET /user (personal tokens); null when neither answers. The core decides what
 * that means for finding our comment.
 */
async function viewerOf(client) {
  try {
    const res = await client.request('POST', client.graphqlUrl, { query: 'query { viewer { login databaseId } }' });
    const v = res.data && res.data.data && res.data.data.viewer;
    if (v && typeof v.login === 'string' && v.login) return { login: v.login, id: typeof v.databaseId === 'number' ? v.databaseId : null };
  } catch {
    // e.g. GITHUB_TOKEN may be refused the viewer: try REST
  }
  try {
    const me = await client.request('GET', '/user');
    if (me.data && typeof me.data.login === 'string' && me.data.login) return { login: me.data.login, id: typeof me.data.id === 'number' ? me.data.id : null };
  } catch {
    // App installation tokens (GITHUB_TOKEN included) answer 403 on /user
  }
  return null;
}

async function upsertComment({ client, core, host, repo, pullRequest, comment, ac = runner }) {
  const base = `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
  try {
    const viewer = await viewerOf(client);
    const raw = await client.paginate(`${base}/issues/${pullRequest.number}/comments?per_page=100`);
    const comments = raw.map((c) => ({
      id: c.id,
      body: typeof c.body === 'string' ? c.body : '',
      user: {
        login: (c.user && c.user.login) || '',
        id: c.user && typeof c.user.id === 'number' ? c.user.id : null,
        type: (c.user && c.user.type) || '',
      },
      html_url: c.html_url || '',
    }));
    const pick = callCore(
      core,
      'comment',
      { comments, viewer, marker: comment.marker, body: comment.body, create: !!comment.create, update: !!comment.update },
      host,
    );
    const id = pick.id === undefined ? null : pick.id;
    let url = null;
    if (pick.action === 'update' && id !== null) {
      const res = await client.request('PATCH', `${base}/issues/comments/${id}`, { body: comment.body });
      url = (res.data && res.data.html_url) || null;
    } else if (pick.action === 'create') {
      const res = await client.request('POST', `${base}/issues/${pullRequest.number}/comments`, { body: comment.body });
      url = (res.data && res.data.html_url) || null;
    } else if (id !== null) {
      const existing = comments.find((c) => c.id === id);
      url = (existing && existing.html_url) || null;
    }
    if (url) ac.setOutput('comment-url', url);
    return url;
  } catch (e) {
    if (e instanceof CoreFailure) throw e;
    ac.warning(httpFailureText(core, host, 'comment', e));
    return null;
  }
}

// ---- the whole run ---------------------------------------------------------------

/**
 * Runs the action. Returns the exit code (also set on process.exitCode by main()).
 * deps: { core, host, env, ac, client } (all optional except core) — injectable for tests.
 */
async function run(deps) {
  const core = deps.core;
  const env = deps.env || process.env;
  const ac = deps.ac || runner;
  const host = deps.host || createHost();

  // 1. inputs and event
  const inputs = readInputs(env, ac);
  const { eventName, event, eventError } = readEvent(env);
  const runnerEnv = readEnv(env);

  if (Object.keys(inputs).some((name) => name.startsWith(VERIFY_PREFIX) && name !== 'verify-arm-endpoint' && inputs[name])) {
    return runVerifyMode({ core, host, inputs, eventName, event, eventError, runnerEnv, env, ac, deps });
  }

  // 2. context
  const ctx = callCore(core, 'context', { inputs, eventName, event, eventError, env: runnerEnv }, host);
  if (!ctx.ok) {
    ac.setFailed(ctx.error || 'cua-check: the context step failed');
    return 1;
  }
  showStart(ac, ctx);

  const client = clientFor(inputs, env, deps);
  const repo = ctx.repo || null;
  let changedFiles = null;

  // 3. pull request for a push
  const pullRequest = await pullRequestOf(ctx, { core, host, ac, client });

  // 4. changed files
  if (ctx.needChangedFiles && pullRequest && client && repo) {
    try {
      changedFiles = await listChangedFiles(client, repo, pullRequest.number);
    } catch (e) {
      ac.warning(httpFailureText(core, host, 'files', e));
      changedFiles = null;
    }
  }

  // 5. check
  const plan = callCore(core, 'check', { inputs, eventName, event, eventError, env: runnerEnv, pullRequest, changedFiles }, host);
  if (!plan.ok) {
    ac.setFailed(plan.error || 'cua-check: the check step failed');
    return 1;
  }
  // 6. log, annotations, outputs, files, summary and the comment (which never changes the exit code)
  const filesOk = await applyPlan(plan, { env, ac, client, core, host, repo, pullRequest, commentWanted: ctx.commentWanted });

  // 7. exit code: a failed gate says, in one ::error:: line, which findings failed it
  const code = plan.exitCode === 1 ? 1 : 0;
  if (code === 1 && plan.failure) ac.setFailed(String(plan.failure));
  return filesOk ? code : 1;
}

// ---- shared by both modes ----------------------------------------------------------------

/** The first step's answer (`context` or `verify-start`) in the log: its lines, warnings and the fork notice. */
function showStart(ac, answer) {
  for (const line of answer.log || []) ac.info(line);
  for (const text of answer.warnings || []) ac.warning(String(text));
  if (answer.forkNotice) ac.notice(answer.forkNotice);
}

/** The GitHub REST/GraphQL client for the `token` input (none without a token; tests pass deps.client). */
function clientFor(inputs, env, deps) {
  const token = inputs.token;
  return (
    deps.client ||
    (token ? createClient({ apiUrl: env.GITHUB_API_URL || DEFAULT_API_URL, graphqlUrl: env.GITHUB_GRAPHQL_URL, token, userAgent: 'cua-check' }) : null)
  );
}

/** The pull request the first step names, or for a push the one its commit belongs to (a failed lookup is a warning). */
async function pullRequestOf(answer, { core, host, ac, client }) {
  const repo = answer.repo || null;
  let pullRequest = answer.pullRequest || null;
  if (!pullRequest && answer.lookupPullForSha && client && repo) {
    try {
      pullRequest = await lookupPullRequest(client, repo, answer.lookupPullForSha);
    } catch (e) {
      ac.warning(httpFailureText(core, host, 'lookup', e));
    }
  }
  return pullRequest;
}

// ---- verify mode: the core plans the ARM requests; ./verify.js performs them ----------

async function runVerifyMode({ core, host, inputs, eventName, event, eventError, runnerEnv, env, ac, deps }) {
  const { azureToken, verifyLoop, scrub } = require('./verify');
  // 1. inputs, event and the first ARM request
  const start = callCore(core, 'verify-start', { inputs, eventName, event, eventError, env: runnerEnv }, host);
  if (!start.ok) {
    ac.setFailed(start.error || 'cua-check verify: invalid inputs');
    return 1;
  }
  showStart(ac, start);
  const messages = start.messages || {};

  // 2. the ARM requests
  let done = start.verify && start.verify.done;
  let armToken = null;
  if (!done) {
    armToken = (deps.azureToken || azureToken)(env);
    if (!armToken) {
      ac.setFailed(messages.noAzureToken || 'cua-check verify: no Azure access token');
      return 1;
    }
    ac.setSecret(armToken);
    done = await verifyLoop(core, start.verify, armToken, deps.verifyOptions || {});
  }
  if (!done.report) {
    ac.setFailed(String(done.stderr || 'cua-check verify failed').trim());
    return 1;
  }

  // 3. the pull request for a push, as in check mode
  const client = clientFor(inputs, env, deps);
  const repo = start.repo || null;
  const pullRequest = await pullRequestOf(start, { core, host, ac, client });

  // 4. everything the runner shows, rendered by the core
  const answer = callCore(core, 'verify', { inputs, eventName, event, eventError, env: runnerEnv, pullRequest, report: done.report }, host);
  const plan = scrub(scrub(answer, armToken), inputs.token);
  if (!plan.ok) {
    ac.setFailed(plan.error || 'cua-check verify: the verify step failed');
    return 1;
  }
  // 5. log, outputs, files, summary and the comment (which never changes the exit code)
  const filesOk = await applyPlan(plan, { env, ac, client, core, host, repo, pullRequest, commentWanted: start.commentWanted });

  // 6. the result
  if (plan.failure) ac.setFailed(String(plan.failure));
  const code = plan.exitCode === 0 ? 0 : 1;
  return filesOk ? code : 1;
}

function internalErrorText(e, core) {
  if (e instanceof CoreFailure) return `cua-check: internal error in the core (step '${e.step}'): ${e.detail} — please report this`;
  const panic = lastPanicOf(core);
  return `cua-check: internal error: ${panic || (e && e.message) || String(e)} — please report this`;
}

/** Loads the wasm core. Kept in a function so a load failure is reported, not fatal. */
function loadCore() {
  return require('../pkg/cua_check.js');
}

let fatalReported = false;

function reportFatal(e, core, ac = runner) {
  fatalReported = true;
  try {
    ac.setFailed(internalErrorText(e, core));
  } catch {
    process.stdout.write(`::error::cua-check: internal error\n`);
  }
  process.exitCode = 1;
}

async function main() {
  let core = null;
  process.on('uncaughtException', (e) => reportFatal(e, core));
  process.on('unhandledRejection', (e) => reportFatal(e, core));
  try {
    try {
      core = loadCore();
    } catch (e) {
      throw new CoreFailure('load', e);
    }
    const code = await run({ core });
    // An internal error reported meanwhile (uncaught elsewhere) keeps the step failed.
    process.exitCode = fatalReported ? 1 : code;
  } catch (e) {
    reportFatal(e, core);
  }
}

module.exports = {
  main,
  run,
  callCore,
  readInputs,
  readEvent,
  readEnv,
  lookupPullRequest,
  listChangedFiles,
  emitAnnotations,
  writeFiles,
  upsertComment,
  httpFailureText,
  CoreFailure,
  ENV_NAMES,
};
