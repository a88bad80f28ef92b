'use strict';
// `verify`'s HTTP loop, shared by the command line (dist/cli.js) and the action (dist/index.js):
// the core plans every request and interprets every answer (verifyStart / verifyStep); this only
// performs the requests, adding the bearer token, which never enters the core.
//
// Requests go through ./http.js, which honours https_proxy / HTTPS_PROXY, http_proxy /
// HTTP_PROXY and no_proxy / NO_PROXY with the rules of @actions/http-client (and never proxies
// loopback addresses), like the GitHub client in ./github.js. Node's built-in fetch ignores
// those variables.

const { request: httpRequest } = require('./http');

// A response that takes longer than this counts as no answer (the core retries it).
const REQUEST_TIMEOUT_MS = 120000;

/** The token from AZURE_ACCESS_TOKEN, else from the Azure CLI; null when there is none. */
function azureToken(env = process.env) {
  if (env.AZURE_ACCESS_TOKEN && env.AZURE_ACCESS_TOKEN.trim()) return env.AZURE_ACCESS_TOKEN.trim();
  try {
    const { execFileSync } = require('child_process');
    const az = process.platform === 'win32' ? 'az.cmd' : 'az';
    const t = execFileSync(az, ['account', 'get-access-token', '--query', 'accessToken', '-o', 'tsv'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      shell: process.platform === 'win32',
    }).trim();
    return t || null;
  } catch {
    return null;
  }
}

/** Performs one request of the core's: resolves { status, headers: [[k, v]], body }; status 0 when there was no answer. */
async function perform(request, token, { timeoutMs = REQUEST_TIMEOUT_MS, env = process.env, ca } = {}) {
  const headers = { 'user-agent': 'cua-check' };
  for (const [k, v] of request.headers || []) headers[k.toLowerCase()] = v;
  headers.authorization = `Bearer ${token}`;
  try {
    // No redirects: one is not followed with the token. No retries: the core decides about them.
    const res = await httpRequest(request.url, { method: request.method, headers, timeoutMs, maxRedirects: 0, env, ca });
    const pairs = [];
    for (const [k, v] of Object.entries(res.headers || {})) {
      for (const x of Array.isArray(v) ? v : [v]) if (x !== undefined) pairs.push([k, String(x)]);
    }
    return { status: res.status, headers: pairs, body: res.body };
  } catch (e) {
    // What failed and with which host (./http.js never puts the path, the query or the proxy's
    // credentials in a message); the token cannot be in it, but is scrubbed all the same.
    return { status: 0, headers: [], body: scrub(String((e && e.message) || (e && e.code) || 'request failed'), token) };
  }
}

/** Replaces the token in every string of a JSON-like value. */
function scrub(value, token) {
  if (!token) return value;
  if (typeof value === 'string') return value.split(token).join('***');
  if (Array.isArray(value)) return value.map((x) => scrub(x, token));
  if (value && typeof value === 'object') {
    const out = {};
    for (const [k, v] of Object.entries(value)) out[k] = scrub(v, token);
    return out;
  }
  return value;
}

/**
 * Runs verify to the end from the core's first step (an object or its JSON); returns the core's
 * `done` object (with `report`), the token scrubbed from every string in it.
 */
async function verifyLoop(core, first, token, { performRequest = perform, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
  let step = typeof first === 'string' ? JSON.parse(first) : first;
  while (!step.done) {
    let response = null;
    if (step.request) {
      response = JSON.stringify(await performRequest(step.request, token));
    } else {
      await sleep(Number(step.sleepMs) || 0);
    }
    step = JSON.parse(core.verifyStep(step.state, response));
  }
  return scrub(step.done, token);
}

module.exports = { azureToken, perform, verifyLoop, scrub };
