'use strict';
// shim/http.js over real loopback sockets: direct http and https, the proxy rules of
// @actions/http-client, CONNECT tunnels to a TLS server (a self-signed certificate made with
// node:crypto), absolute-form requests through the proxy, redirects, timeouts and the errors.
const test = require('node:test');
const assert = require('node:assert/strict');
const http = require('http');
const https = require('https');
const { request, proxyFor, checkBypass, HttpError } = require('../http');
const { startProxy } = require('./helpers/proxy');
const { selfSignedCert } = require('./helpers/tls-cert');

const CERT = selfSignedCert({ dns: ['arm.test', 'localhost'], ips: ['127.0.0.1'] });

/** A loopback server (http, or https with `tls`) that records requests and answers with `handler` or JSON. */
function startServer({ tls = null, handler = null } = {}) {
  const seen = [];
  const onRequest = (req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      seen.push({ method: req.method, url: req.url, headers: req.headers, body: Buffer.concat(chunks).toString('utf8'), servername: req.socket.servername || null });
      if (handler) return handler(req, res);
      res.writeHead(200, { 'content-type': 'application/json', 'x-test': ['a', 'b'] });
      res.end(JSON.stringify({ ok: true, path: req.url }));
    });
  };
  const server = tls ? https.createServer(tls, onRequest) : http.createServer(onRequest);
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({
        port,
        seen,
        url: `${tls ? 'https' : 'http'}://127.0.0.1:${port}`,
        close: () =>
          new Promise((r) => {
            server.closeAllConnections && server.closeAllConnections();
            server.close(() => r());
          }),
      });
    });
  });
}

const u = (s) => new URL(s);

test('proxy rules (those of @actions/http-client lib/proxy.ts)', () => {
  const P = 'http://proxy.example:3128';
  // https URLs: https_proxy before HTTPS_PROXY; http URLs: http_proxy before HTTP_PROXY
  assert.equal(proxyFor(u('https://api.github.com/x'), { HTTPS_PROXY: P }).url.host, 'proxy.example:3128');
  assert.equal(proxyFor(u('https://api.github.com/x'), { HTTPS_PROXY: P }).variable, 'HTTPS_PROXY');
  assert.equal(proxyFor(u('https://api.github.com/x'), { https_proxy: 'http://lower:1', HTTPS_PROXY: P }).url.host, 'lower:1');
  assert.equal(proxyFor(u('https://api.github.com/x'), { https_proxy: '  ', HTTPS_PROXY: P }).variable, 'HTTPS_PROXY', 'a blank value is unset');
  assert.equal(proxyFor(u('https://api.github.com/x'), { HTTP_PROXY: P }), null, 'https does not use HTTP_PROXY');
  assert.equal(proxyFor(u('http://example.com/x'), { HTTPS_PROXY: P }), null, 'http does not use HTTPS_PROXY');
  assert.equal(proxyFor(u('http://example.com/x'), { http_proxy: P }).variable, 'http_proxy');
  // no scheme: http://
  const bareProxy = proxyFor(u('https://example.com'), { HTTPS_PROXY: 'user:p%40ss@proxy.example:8080' });
  assert.equal(bareProxy.url.protocol, 'http:');
  assert.equal(bareProxy.url.host, 'proxy.example:8080');
  assert.equal(proxyFor(u('https://example.com'), { HTTPS_PROXY: 'proxy.example:3128' }).url.href, 'http://proxy.example:3128/');
  assert.equal(proxyFor(u('https://example.com'), { HTTPS_PROXY: '10.0.0.1:3128' }).url.href, 'http://10.0.0.1:3128/');
  // unusable proxy values are errors that do not echo the value (it may hold a password)
  for (const bad of ['http://user:secret@[bad', 'socks5://user:secret@proxy.example:1080']) {
    assert.throws(
      () => proxyFor(u('https://example.com'), { HTTPS_PROXY: bad }),
      (e) => e instanceof HttpError && /HTTPS_PROXY/.test(e.message) && !e.message.includes('secret'),
    );
  }

  // loopback is never proxied
  for (const h of ['http://localhost:1/', 'http://LOCALHOST/', 'http://127.0.0.1:8/', 'http://127.1.2.3/', 'http://[::1]:80/', 'https://[0:0:0:0:0:0:0:1]/']) {
    assert.equal(checkBypass(u(h), {}), true, h);
    assert.equal(proxyFor(u(h), { HTTP_PROXY: P, HTTPS_PROXY: P }), null, h);
  }
  // no_proxy before NO_PROXY; host, host:port, domain suffix, .suffix, *, without case, spaces
  const bypass = (url, list, upper = false) => checkBypass(u(url), upper ? { NO_PROXY: list } : { no_proxy: list });
  assert.equal(bypass('https://api.github.com/', 'github.com'), true);
  assert.equal(bypass('https://github.com/', 'github.com'), true);
  assert.equal(bypass('https://notgithub.com/', 'github.com'), false);
  assert.equal(bypass('https://api.github.com/', '.github.com'), true);
  assert.equal(bypass('https://github.com/', '.github.com'), false);
  assert.equal(bypass('https://API.GitHub.com/', ' other.example , GITHUB.COM ', true), true);
  assert.equal(bypass('https://api.github.com/', 'api.github.com:443'), true);
  assert.equal(bypass('https://api.github.com:8443/', 'api.github.com:443'), false);
  assert.equal(bypass('http://api.github.com/', 'api.github.com:80'), true);
  assert.equal(bypass('http://anything.example/', '*'), true);
  assert.equal(bypass('http://anything.example/', ''), false);
  assert.equal(checkBypass(u('https://api.github.com/'), { no_proxy: 'other.example', NO_PROXY: 'github.com' }), false, 'no_proxy wins over NO_PROXY');
  assert.equal(proxyFor(u('https://api.github.com/'), { HTTPS_PROXY: P, NO_PROXY: 'github.com' }), null);
});

test('direct http: method, headers, JSON body, status and headers of the answer', async (t) => {
  const srv = await startServer();
  t.after(() => srv.close());
  const body = JSON.stringify({ body: 'héllo' });
  const res = await request(`${srv.url}/a/b?x=1`, {
    method: 'post',
    headers: { 'User-Agent': 'cua-check-test', Authorization: 'Bearer t', 'content-type': 'application/json; charset=utf-8' },
    body,
    env: {},
  });
  assert.equal(res.status, 200);
  assert.deepEqual(JSON.parse(res.body), { ok: true, path: '/a/b?x=1' });
  assert.equal(res.headers['content-type'], 'application/json');
  assert.equal(res.headers['x-test'], 'a, b');
  const q = srv.seen[0];
  assert.equal(q.method, 'POST');
  assert.equal(q.url, '/a/b?x=1');
  assert.equal(q.body, body);
  assert.equal(q.headers['content-length'], String(Buffer.byteLength(body)));
  assert.equal(q.headers['user-agent'], 'cua-check-test');
  assert.equal(q.headers.authorization, 'Bearer t');
  assert.equal(q.headers.host, `127.0.0.1:${srv.port}`);
  assert.equal(q.headers.connection, 'close');
});

test('direct https to a loopback TLS server: the certificate is checked', async (t) => {
  const srv = await startServer({ tls: CERT });
  t.after(() => srv.close());
  const ok = await request(`${srv.url}/x`, { env: {}, ca: CERT.cert });
  assert.equal(ok.status, 200);
  await assert.rejects(request(`${srv.url}/x`, { env: {} }), (e) => {
    assert.ok(e instanceof HttpError);
    assert.match(e.message, /^GET https:\/\/127\.0\.0\.1:\d+: TLS with 127\.0\.0\.1:\d+ failed \(.*certificate/);
    return true;
  });
});

test('https through an http proxy: CONNECT tunnel, then TLS to the target by name', async (t) => {
  const srv = await startServer({ tls: CERT });
  const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1' } });
  t.after(async () => {
    await proxy.close();
    await srv.close();
  });
  // arm.test resolves only inside the proxy: an answer proves the tunnel was used
  const target = `https://arm.test:${srv.port}/subscriptions?api-version=1`;
  const res = await request(target, {
    headers: { authorization: 'Bearer secret-token' },
    env: { HTTPS_PROXY: proxy.url, HTTP_PROXY: 'http://127.0.0.1:1' },
    ca: CERT.cert,
  });
  assert.equal(res.status, 200, res.body);
  assert.deepEqual(proxy.requests, [{ method: 'CONNECT', target: `arm.test:${srv.port}`, authorization: null, proxyAuthorization: null }]);
  const q = srv.seen[0];
  assert.equal(q.servername, 'arm.test', 'SNI names the target');
  assert.equal(q.headers.host, `arm.test:${srv.port}`);
  assert.equal(q.url, '/subscriptions?api-version=1');
  assert.equal(q.headers.authorization, 'Bearer secret-token', 'the token goes inside the tunnel only');

  // the target's certificate is checked through the tunnel too
  await assert.rejects(request(target, { env: { HTTPS_PROXY: proxy.url } }), (e) => {
    assert.match(e.message, /^GET https:\/\/arm\.test:\d+: TLS with arm\.test:\d+ failed/);
    return true;
  });
});

test('proxy credentials from the proxy URL go in Proxy-Authorization, and never in a message', async (t) => {
  const srv = await startServer({ tls: CERT });
  const httpSrv = await startServer();
  const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1' } });
  t.after(async () => {
    await proxy.close();
    await srv.close();
    await httpSrv.close();
  });
  const withCreds = `http://us%40er:p%3Ass%2Cw@127.0.0.1:${proxy.port}`;
  const expected = `Basic ${Buffer.from('us@er:p:ss,w').toString('base64')}`;
  await request(`https://arm.test:${srv.port}/`, { env: { https_proxy: withCreds }, ca: CERT.cert });
  await request(`http://arm.test:${httpSrv.port}/p?q=1`, { env: { http_proxy: withCreds } });
  assert.deepEqual(
    proxy.requests.map((p) => [p.method, p.target, p.proxyAuthorization]),
    [
      ['CONNECT', `arm.test:${srv.port}`, expected],
      ['GET', `http://arm.test:${httpSrv.port}/p?q=1`, expected],
    ],
  );
  assert.equal(httpSrv.seen[0].headers['proxy-authorization'], undefined, 'the proxy does not pass its credentials on');

  const refusing = await startProxy({ refuse: 407 });
  t.after(() => refusing.close());
  const refusingUrl = `http://user:hunter2@127.0.0.1:${refusing.port}`;
  await assert.rejects(request(`https://arm.test:${srv.port}/secret/path?sig=abc`, { env: { HTTPS_PROXY: refusingUrl } }), (e) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.code, 'EPROXY');
    assert.equal(
      e.message,
      `GET https://arm.test:${srv.port}: the proxy 127.0.0.1:${refusing.port} (HTTPS_PROXY) refused the tunnel to arm.test:${srv.port}: HTTP 407 Proxy Authentication Required`,
    );
    assert.ok(!/hunter2|user|secret|sig=/.test(e.message));
    return true;
  });
  // for http the proxy's answer is the answer
  const r407 = await request(`http://arm.test:${httpSrv.port}/`, { env: { HTTP_PROXY: refusingUrl } });
  assert.equal(r407.status, 407);
});

test('http through the proxy: the absolute URI goes to the proxy', async (t) => {
  const srv = await startServer();
  const proxy = await startProxy({ hosts: { 'api.test': '127.0.0.1' } });
  t.after(async () => {
    await proxy.close();
    await srv.close();
  });
  const res = await request(`http://api.test:${srv.port}/repos/o/r?page=2`, { method: 'PATCH', body: '{"a":1}', env: { HTTP_PROXY: proxy.url } });
  assert.equal(res.status, 200);
  assert.deepEqual(proxy.requests.map((p) => [p.method, p.target]), [['PATCH', `http://api.test:${srv.port}/repos/o/r?page=2`]]);
  assert.equal(srv.seen[0].url, '/repos/o/r?page=2');
  assert.equal(srv.seen[0].headers.host, `api.test:${srv.port}`);
  assert.equal(srv.seen[0].body, '{"a":1}');
});

test('an https proxy (TLS to the proxy, then CONNECT)', async (t) => {
  const srv = await startServer({ tls: CERT });
  const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1' }, tls: CERT });
  t.after(async () => {
    await proxy.close();
    await srv.close();
  });
  assert.match(proxy.url, /^https:/);
  const res = await request(`https://arm.test:${srv.port}/x`, { env: { HTTPS_PROXY: proxy.url }, ca: CERT.cert });
  assert.equal(res.status, 200);
  assert.equal(proxy.requests[0].method, 'CONNECT');
});

test('NO_PROXY and loopback hosts bypass the proxy', async (t) => {
  const srv = await startServer();
  const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1', '0.0.0.0': '127.0.0.1' } });
  t.after(async () => {
    await proxy.close();
    await srv.close();
  });
  // loopback: straight to the server although HTTP_PROXY is set
  const direct = await request(`${srv.url}/loop`, { env: { HTTP_PROXY: proxy.url } });
  assert.equal(direct.status, 200);
  assert.equal(proxy.requests.length, 0);

  // arm.test resolves only inside the proxy: bypassing it means the name does not resolve
  await assert.rejects(request(`http://arm.test:${srv.port}/`, { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'arm.test' } }), (e) => {
    assert.equal(e.message.startsWith(`GET http://arm.test:${srv.port}: cannot resolve the host name of arm.test:${srv.port}`), true, e.message);
    return true;
  });
  await assert.rejects(request(`https://arm.test:${srv.port}/`, { env: { HTTPS_PROXY: proxy.url, no_proxy: '.test' } }), /cannot resolve/);
  assert.equal(proxy.requests.length, 0, 'the proxy saw nothing');
  // …and without NO_PROXY the proxy is used
  const viaProxy = await request(`http://arm.test:${srv.port}/`, { env: { HTTP_PROXY: proxy.url, NO_PROXY: 'other.test' } });
  assert.equal(viaProxy.status, 200);
  assert.equal(proxy.requests.length, 1);

  // 0.0.0.0 is not a loopback name for the rules, but reaches this machine on Linux: NO_PROXY
  // makes the connection direct, without it the proxy is used
  if (process.platform === 'linux') {
    const before = srv.seen.length;
    const r1 = await request(`http://0.0.0.0:${srv.port}/direct`, { env: { HTTP_PROXY: proxy.url, NO_PROXY: `0.0.0.0:${srv.port}` } });
    assert.equal(r1.status, 200);
    assert.equal(proxy.requests.length, 1, 'NO_PROXY host:port bypassed the proxy');
    const r2 = await request(`http://0.0.0.0:${srv.port}/proxied`, { env: { HTTP_PROXY: proxy.url } });
    assert.equal(r2.status, 200);
    assert.equal(proxy.requests.length, 2);
    assert.equal(proxy.requests[1].target, `http://0.0.0.0:${srv.port}/proxied`);
    assert.equal(srv.seen.length, before + 2);
  }
});

test('errors name the method, the origin and what failed; never the path or the query', async (t) => {
  // connection refused (a port nobody listens on)
  const closed = await startServer();
  const port = closed.port;
  await closed.close();
  await assert.rejects(request(`http://127.0.0.1:${port}/secret?token=abc`, { env: {} }), (e) => {
    assert.ok(e instanceof HttpError);
    assert.equal(e.code, 'ECONNREFUSED');
    assert.match(e.message, new RegExp(`^GET http://127\\.0\\.0\\.1:${port}: connection to 127\\.0\\.0\\.1:${port} refused`));
    assert.ok(!/secret|token=abc/.test(e.message), e.message);
    return true;
  });
  // the proxy itself unreachable
  await assert.rejects(request('https://arm.test/x', { env: { HTTPS_PROXY: `http://127.0.0.1:${port}` } }), (e) => {
    assert.match(e.message, new RegExp(`^GET https://arm\\.test: connection to the proxy 127\\.0\\.0\\.1:${port} \\(HTTPS_PROXY\\) refused`));
    return true;
  });
  // invalid URL and unsupported protocol
  await assert.rejects(request('not a url'), (e) => e.code === 'EINVALIDURL' && /invalid URL/.test(e.message));
  await assert.rejects(request('ftp://example.com/'), /unsupported protocol ftp:/);

  // a server that accepts and never answers: the deadline
  const silent = await startServer({ handler: () => {} });
  t.after(() => silent.close());
  const t0 = Date.now();
  await assert.rejects(request(`${silent.url}/slow`, { env: {}, timeoutMs: 300 }), (e) => {
    assert.equal(e.code, 'ETIMEDOUT');
    assert.equal(e.message, `GET ${silent.url}: no complete answer within 300 ms`);
    return true;
  });
  assert.ok(Date.now() - t0 < 5000);

  // a connection closed mid-answer
  const rude = await startServer({ handler: (req, res) => res.socket.destroy() });
  t.after(() => rude.close());
  await assert.rejects(request(`${rude.url}/`, { env: {} }), /closed before the answer was complete/);
});

test('redirects: off by default; followed on request, without the token to another origin, never https -> http', async (t) => {
  const other = await startServer();
  const first = await startServer({
    handler: (req, res) => {
      if (req.url === '/same') res.writeHead(307, { location: '/final' }).end();
      else if (req.url === '/away') res.writeHead(301, { location: `${other.url}/landed` }).end();
      else res.writeHead(200).end('final');
    },
  });
  const secure = await startServer({ tls: CERT, handler: (req, res) => res.writeHead(302, { location: `${other.url}/plain` }).end() });
  t.after(async () => {
    await first.close();
    await other.close();
    await secure.close();
  });
  const headers = { authorization: 'Bearer tok' };
  const noFollow = await request(`${first.url}/same`, { headers, env: {} });
  assert.equal(noFollow.status, 307);
  assert.equal(noFollow.headers.location, '/final');

  const same = await request(`${first.url}/same`, { method: 'POST', body: 'b', headers, env: {}, maxRedirects: 5 });
  assert.equal(same.status, 200);
  assert.equal(same.body, 'final');
  assert.equal(same.url, `${first.url}/final`);
  const replay = first.seen.find((q) => q.url === '/final');
  assert.equal(replay.method, 'POST');
  assert.equal(replay.body, 'b');
  assert.equal(replay.headers.authorization, 'Bearer tok', 'same origin keeps the token');

  const away = await request(`${first.url}/away`, { headers, env: {}, maxRedirects: 5 });
  assert.equal(away.status, 200);
  assert.equal(other.seen[0].url, '/landed');
  assert.equal(other.seen[0].headers.authorization, undefined, 'another origin does not get the token');

  await assert.rejects(request(`${secure.url}/`, { headers, env: {}, ca: CERT.cert, maxRedirects: 5 }), /redirect from https to http: refused/);
  assert.equal(other.seen.length, 1);
});
