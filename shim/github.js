'use strict';
// A small GitHub REST client on ./http.js (which honours the runner's https_proxy / http_proxy /
// no_proxy variables and bypasses loopback addresses, with the rules of @actions/http-client).
//
// Test knob: CUA_CHECK_RETRY_BASE_MS overrides the exponential backoff base
// (default 1000 ms). Server-mandated waits (retry-after, x-ratelimit-reset) are
// always honoured as given.

const { request: httpRequest } = require('./http');

const DEFAULT_API_URL = 'https://api.github.com';
const MAX_BACKOFF_MS = 30000;
// A server-mandated wait longer than this is not worth blocking a CI job for.
const MAX_MANDATED_WAIT_MS = 60000;
const MAX_PAGES = 100;

class GitHubError extends Error {
  constructor(message, { status = 0, detail = '', method = '', url = '' } = {}) {
    super(message);
    this.name = 'GitHubError';
    this.status = status; // HTTP status, 0 when no response was received
    this.detail = detail; // GitHub's `message`, or the network error text
    this.method = method;
    this.url = url;
  }
}

function defaultSleep(ms) {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

function retryBaseMs() {
  const v = process.env.CUA_CHECK_RETRY_BASE_MS;
  if (v !== undefined && v !== '' && Number.isFinite(Number(v)) && Number(v) >= 0) return Number(v);
  return 1000;
}

/** Parse an RFC 8288 Link header into { rel: url } (first URL wins per rel). */
function parseLink(header) {
  const links = {};
  if (!header) return links;
  const text = Array.isArray(header) ? header.join(', ') : String(header);
  const re = /<([^>]*)>((?:\s*;\s*[^;,]*(?:"[^"]*")?)*)/g;
  let m;
  while ((m = re.exec(text)) !== null) {
    const url = m[1];
    const params = m[2];
    const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
    if (!rel) continue;
    for (const r of (rel[1] !== undefined ? rel[1] : rel[2]).split(/\s+/)) {
      if (r && !(r.toLowerCase() in links)) links[r.toLowerCase()] = url;
    }
  }
  return links;
}

function header(headers, name) {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Milliseconds the server asks us to wait, or null. */
function mandatedWaitMs(status, headers, now) {
  const ra = header(headers, 'retry-after');
  if (ra !== undefined && ra !== '') {
    const s = String(ra).trim();
    if (/^\d+$/.test(s)) return Number(s) * 1000;
    const t = Date.parse(s);
    if (!Number.isNaN(t)) return Math.max(0, t - now());
  }
  if (String(header(headers, 'x-ratelimit-remaining')) === '0') {
    const reset = Number(header(headers, 'x-ratelimit-reset'));
    if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1000 - now());
  }
  return null;
}

function isRateLimited403(status, headers) {
  return status === 403 && (header(headers, 'retry-after') !== undefined || String(header(headers, 'x-ratelimit-remaining')) === '0');
}

function createClient(options = {}) {
  const apiUrl = String(options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, '');
  const token = options.token || '';
  const userAgent = options.userAgent || 'cua-check';
  const retries = options.retries === undefined ? 4 : options.retries;
  const sleep = options.sleep || defaultSleep;
  const now = options.now || Date.now;
  const baseMs = options.retryBaseMs === undefined ? retryBaseMs() : options.retryBaseMs;
  const maxPages = options.maxPages || MAX_PAGES;
  const apiOrigin = new URL(apiUrl).origin;
  const timeoutMs = options.timeoutMs || 60000;

  // Never let the token reach a message or a log.
  const scrub = (text) => {
    let s = String(text === undefined || text === null ? '' : text);
    if (token) s = s.split(token).join('***');
    return s;
  };

  function resolveUrl(pathOrUrl) {
    if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
    return apiUrl + (pathOrUrl.startsWith('/') ? '' : '/') + pathOrUrl;
  }

  function describe(url) {
    try {
      const u = new URL(url);
      return u.pathname;
    } catch {
      return '(invalid url)';
    }
  }

  async function request(method, pathOrUrl, body) {
    method = method.toUpperCase();
    const url = resolveUrl(pathOrUrl);
    const where = `${method} ${describe(url)}`;
    let origin;
    try {
      origin = new URL(url).origin;
    } catch {
      throw new GitHubError(`GitHub API ${where}: invalid URL`, { method, url: describe(url), detail: 'invalid URL' });
    }
    const headers = {
      'user-agent': userAgent,
      accept: 'application/vnd.github+json',
      'x-github-api-version': '2022-11-28',
    };
    // The token only ever goes to the configured API origin.
    if (token && origin === apiOrigin) headers.authorization = `Bearer ${token}`;
    let data;
    if (body !== undefined) {
      data = JSON.stringify(body);
      headers['content-type'] = 'application/json; charset=utf-8';
    }

    for (let attempt = 0; ; attempt++) {
      let status = 0;
      let resHeaders = {};
      let text = '';
      let networkError = null;
      try {
        // Redirects (a renamed or transferred repository) are followed; the token is dropped
        // when one leaves the API origin, and https -> http is refused.
        const res = await httpRequest(url, { method, headers, body: data, timeoutMs, maxRedirects: 10 });
        status = res.status;
        resHeaders = res.headers || {};
        text = res.body;
      } catch (e) {
        networkError = e;
      }

      if (!networkError && status >= 200 && status < 300) {
        let parsed = null;
        if (text) {
          try {
            parsed = JSON.parse(text);
          } catch {
            parsed = text;
          }
        }
        return { status, headers: resHeaders, data: parsed };
      }

      let detail;
      if (networkError) {
        detail = scrub(networkError.message || String(networkError));
      } else {
        detail = '';
        try {
          const j = JSON.parse(text);
          if (j && typeof j.message === 'string') detail = j.message;
        } catch {
          detail = text.slice(0, 200);
        }
        detail = scrub(detail);
      }

      const retryable = networkError || status === 429 || status >= 500 || isRateLimited403(status, resHeaders);
      if (retryable && attempt < retries) {
        const backoff = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
        const mandated = networkError ? null : mandatedWaitMs(status, resHeaders, now);
        if (mandated === null || mandated <= MAX_MANDATED_WAIT_MS) {
          await sleep(mandated === null ? backoff : mandated);
          continue;
        }
      }
      const message = networkError
        ? `GitHub API ${where}: request failed: ${detail}`
        : `GitHub API ${where}: HTTP ${status}${detail ? `: ${detail}` : ''}`;
      throw new GitHubError(scrub(message), { status, detail, method, url: describe(url) });
    }
  }

  async function paginate(path) {
    const items = [];
    let next = path;
    for (let page = 0; next && page < maxPages; page++) {
      const res = await request('GET', next);
      if (Array.isArray(res.data)) items.push(...res.data);
      else if (res.data && Array.isArray(res.data.items)) items.push(...res.data.items);
      const links = parseLink(res.headers.link);
      next = links.next || null;
    }
    return items;
  }

  // GraphQL: https://api.github.com/graphql, and on GitHub Enterprise Server
  // https://HOST/api/graphql next to the REST API's https://HOST/api/v3.
  // The runner names it in GITHUB_GRAPHQL_URL (options.graphqlUrl).
  const graphqlUrl = options.graphqlUrl || (/\/api\/v3$/i.test(apiUrl) ? apiUrl.replace(/\/v3$/i, '/graphql') : `${apiUrl}/graphql`);

  return { request, paginate, apiUrl, graphqlUrl };
}

module.exports = { createClient, GitHubError, parseLink, DEFAULT_API_URL };
