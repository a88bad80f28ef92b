'use strict';
const test = require('node:test');
const assert = require('node:assert/strict');
const { startFakeGitHub } = require('./helpers/fake-github');
const { createClient, GitHubError, parseLink } = require('../github');

const TOKEN = 'ghs_SECRETtoken1234567890';

function client(gh, extra = {}) {
  const sleeps = [];
  const c = createClient({
    apiUrl: gh.apiUrl,
    token: TOKEN,
    retryBaseMs: 1,
    sleep: extra.realSleep ? undefined : async (ms) => sleeps.push(ms),
    ...extra,
  });
  c.sleeps = sleeps;
  return c;
}

test('github client', async (t) => {
  const gh = await startFakeGitHub({ tokens: { [TOKEN]: { login: 'octocat' } } });
  t.after(() => gh.close());
  t.beforeEach(() => gh.clearRequests());

  await t.test('sends the token and the GitHub headers', async () => {
    const c = client(gh);
    const r = await c.request('GET', '/user');
    assert.equal(r.status, 200);
    assert.equal(r.data.login, 'octocat');
    const h = gh.requests[0].headers;
    assert.equal(h.authorization, `Bearer ${TOKEN}`);
    assert.equal(h.accept, 'application/vnd.github+json');
    assert.equal(h['x-github-api-version'], '2022-11-28');
    assert.match(h['user-agent'], /^cua-check/);
  });

  await t.test('GraphQL URL: GITHUB_GRAPHQL_URL when given, else next to the REST API (GHES: /api/graphql)', () => {
    assert.equal(createClient({ apiUrl: 'https://api.github.com' }).graphqlUrl, 'https://api.github.com/graphql');
    assert.equal(createClient({ apiUrl: 'https://ghe.example/api/v3/' }).graphqlUrl, 'https://ghe.example/api/graphql');
    assert.equal(createClient({ apiUrl: 'https://ghe.example/api/v3', graphqlUrl: 'https://ghe.example/api/graphql' }).graphqlUrl, 'https://ghe.example/api/graphql');
  });

  await t.test('the GraphQL viewer names the token identity (App installation tokens too)', async () => {
    const gh2 = await startFakeGitHub({ tokens: { [TOKEN]: { login: 'cua-app[bot]', id: 42, type: 'Bot', app: 'cua-app' } } });
    try {
      const c = client(gh2, { graphqlUrl: gh2.graphqlUrl });
      const r = await c.request('POST', c.graphqlUrl, { query: 'query { viewer { login databaseId } }' });
      assert.deepEqual(r.data, { data: { viewer: { login: 'cua-app[bot]', databaseId: 42 } } });
      await assert.rejects(c.request('GET', '/user'), (e) => e.status === 403);
    } finally {
      await gh2.close();
    }
  });

  await t.test('paginates 3 pages following Link next exactly', async () => {
    gh.pageSize = 2;
    gh.setItems([1, 2, 3, 4, 5].map((n) => ({ n })));
    const c = client(gh);
    const items = await c.paginate('/items?per_page=100');
    assert.deepEqual(items.map((i) => i.n), [1, 2, 3, 4, 5]);
    assert.equal(gh.requests.length, 3);
    assert.equal(gh.requests[0].url, '/items?per_page=100');
    assert.equal(gh.requests[1].query.cursor, 'c2');
    assert.equal(gh.requests[2].query.cursor, 'c3');
    assert.match(gh.requests[2].url, /&cursor=c3$/);
    gh.pageSize = 30;
  });

  await t.test('stops after maxPages', async () => {
    gh.pageSize = 1;
    gh.setItems([1, 2, 3, 4, 5].map((n) => ({ n })));
    const c = client(gh, { maxPages: 2 });
    const items = await c.paginate('/items');
    assert.equal(items.length, 2);
    gh.pageSize = 30;
  });

  await t.test('retries 502, 502 then succeeds', async () => {
    gh.failNext('GET', '/user', { status: 502, times: 2 });
    const c = client(gh);
    const r = await c.request('GET', '/user');
    assert.equal(r.status, 200);
    assert.equal(gh.requests.length, 3);
    assert.deepEqual(c.sleeps, [1, 2]);
  });

  await t.test('gives up after `retries` retries with a GitHubError', async () => {
    gh.failNext('GET', '/user', { status: 503, times: 10 });
    const c = client(gh, { retries: 2 });
    await assert.rejects(c.request('GET', '/user'), (e) => e instanceof GitHubError && e.status === 503);
    assert.equal(gh.requests.length, 3);
    gh.state.failures.length = 0;
  });

  await t.test('backoff doubles and is capped at 30 s', async () => {
    gh.failNext('GET', '/user', { status: 500, times: 4 });
    const c = client(gh, { retryBaseMs: 10000 });
    await c.request('GET', '/user');
    assert.deepEqual(c.sleeps, [10000, 20000, 30000, 30000]);
  });

  await t.test('honours retry-after on 429 (real wait)', async () => {
    gh.failNext('GET', '/user', { status: 429, headers: { 'retry-after': '1' } });
    const c = client(gh, { realSleep: true });
    const t0 = Date.now();
    const r = await c.request('GET', '/user');
    assert.equal(r.status, 200);
    assert.ok(Date.now() - t0 >= 900, `waited only ${Date.now() - t0} ms`);
    assert.equal(gh.requests.length, 2);
  });

  await t.test('honours retry-after as an HTTP date and x-ratelimit-reset', async () => {
    const now = Date.parse('2025-01-01T00:00:00Z');
    gh.failNext('GET', '/user', { status: 429, headers: { 'retry-after': 'Wed, 01 Jan 2025 00:00:05 GMT' } });
    gh.failNext('GET', '/user', { status: 403, headers: { 'x-ratelimit-remaining': '0', 'x-ratelimit-reset': String(now / 1000 + 7) } });
    const c = client(gh, { now: () => now });
    await c.request('GET', '/user');
    assert.deepEqual(c.sleeps, [5000, 7000]);
  });

  await t.test('a rate limit reset too far away is not waited for', async () => {
    gh.failNext('GET', '/user', { status: 429, headers: { 'retry-after': '3600' } });
    const c = client(gh);
    await assert.rejects(c.request('GET', '/user'), (e) => e.status === 429);
    assert.deepEqual(c.sleeps, []);
  });

  await t.test('403 is not retried and surfaces a GitHubError with the status', async () => {
    gh.failNext('POST', /comments$/, { status: 403, message: 'Resource not accessible by integration' });
    const c = client(gh);
    await assert.rejects(c.request('POST', '/repos/o/r/issues/1/comments', { body: 'x' }), (e) => {
      assert.ok(e instanceof GitHubError);
      assert.equal(e.status, 403);
      assert.equal(e.detail, 'Resource not accessible by integration');
      assert.match(e.message, /403/);
      return true;
    });
    assert.equal(gh.requests.length, 1);
    assert.deepEqual(gh.requests[0].body, { body: 'x' });
  });

  await t.test('network errors are retried', async () => {
    gh.failNext('GET', '/user', { destroy: true, times: 1 });
    const c = client(gh);
    const r = await c.request('GET', '/user');
    assert.equal(r.status, 200);
    assert.equal(c.sleeps.length, 1);
  });

  await t.test('the token never appears in error messages', async () => {
    gh.failNext('GET', '/user', { status: 401, message: `Bad credentials for ${TOKEN}` });
    const c = client(gh);
    const e = await c.request('GET', '/user').catch((x) => x);
    assert.ok(e instanceof GitHubError);
    const all = JSON.stringify({ message: e.message, detail: e.detail, stack: e.stack, url: e.url, e });
    assert.ok(!all.includes(TOKEN), all);
    assert.match(e.detail, /\*\*\*/);

    const dead = createClient({ apiUrl: 'http://127.0.0.1:1', token: TOKEN, retries: 0 });
    const e2 = await dead.request('GET', '/user').catch((x) => x);
    assert.ok(e2 instanceof GitHubError);
    assert.equal(e2.status, 0);
    assert.ok(!JSON.stringify({ m: e2.message, s: e2.stack, d: e2.detail }).includes(TOKEN));
  });

  await t.test('the token is not sent to another origin', async () => {
    const other = await startFakeGitHub();
    try {
      const c = client(gh);
      await c.request('GET', `${other.baseUrl}/echo`);
      assert.equal(other.requests[0].headers.authorization, undefined);
    } finally {
      await other.close();
    }
  });
});

test('GHES path prefix', async (t) => {
  const gh = await startFakeGitHub({ prefix: '/api/v3', pageSize: 1, tokens: { [TOKEN]: { login: 'enterprise-user' } } });
  t.after(() => gh.close());
  const c = createClient({ apiUrl: gh.apiUrl + '/', token: TOKEN, retryBaseMs: 1 });
  const r = await c.request('GET', '/user');
  assert.equal(r.data.login, 'enterprise-user');
  assert.equal(gh.requests[0].path, '/api/v3/user');
  gh.setItems([{ n: 1 }, { n: 2 }, { n: 3 }]);
  const items = await c.paginate('/items?per_page=100');
  assert.equal(items.length, 3);
  assert.ok(gh.requests.slice(1).every((q) => q.path === '/api/v3/items'));
});

test('parseLink', () => {
  const l = parseLink('<https://api.github.com/x?page=2&cursor=a,b>; rel="next", <https://api.github.com/x?page=5>; rel="last"');
  assert.equal(l.next, 'https://api.github.com/x?page=2&cursor=a,b');
  assert.equal(l.last, 'https://api.github.com/x?page=5');
  assert.deepEqual(parseLink(undefined), {});
  assert.equal(parseLink('<u1>; rel=next').next, 'u1');
  assert.equal(parseLink('<u1>; rel="prev next"').next, 'u1');
});
