'use strict';
// A small HTTP(S) client on node:http / node:https, for the GitHub REST client (./github.js) and
// verify's ARM requests (./verify.js). One request per connection (no keep-alive), one deadline
// for the whole exchange, the body read as UTF-8 text. Retries are the callers' business.
//
// Proxies follow the rules of @actions/http-client (lib/proxy.ts), which the runner documents:
//   - an https URL uses https_proxy, else HTTPS_PROXY; an http URL http_proxy, else HTTP_PROXY
//     (a blank value counts as unset); a value without a scheme is taken as http:// (also
//     `host:port`, which http-client ignores; see proxyFor);
//   - never for a loopback host: localhost, 127.*, [::1], [0:0:0:0:0:0:0:1];
//   - no_proxy, else NO_PROXY: comma-separated entries, without case; `*` matches every host, an
//     entry matches the host, `host:port` (default port 80 / 443), or a domain suffix
//     (`example.com` and `.example.com` match `api.example.com`);
//   - credentials in the proxy URL (percent-decoded) go in Proxy-Authorization: Basic.
// An https target is reached through a CONNECT tunnel to the proxy, then TLS to the target (with
// its name as servername, and the target's certificate checked); an http target by sending the
// absolute URI to the proxy. The proxy itself may be http:// or https://.
//
// Error messages name the method, the target's origin and what failed; never the path, the query
// or the proxy's credentials.

// node:http, node:https and node:tls are loaded on first use: they cost ≈ 10 ms of start-up, and
// an action run without a token makes no request at all.
let loaded = null;
function mods() {
  if (!loaded) loaded = { http: require('http'), https: require('https'), net: require('net'), tls: require('tls') };
  return loaded;
}

const DEFAULT_TIMEOUT_MS = 60000;
// Longest response body kept (one byte more is read, to tell that it was longer).
const DEFAULT_MAX_BODY = 32 * 1024 * 1024;
const REDIRECT_CODES = new Set([301, 302, 303, 307, 308]);

class HttpError extends Error {
  constructor(message, code) {
    super(message);
    this.name = 'HttpError';
    this.code = code || 'EREQUEST';
  }
}

function envValue(env, a, b) {
  for (const name of [a, b]) {
    const v = env[name];
    if (v !== undefined && v !== null && String(v).trim() !== '') return { name, value: String(v).trim() };
  }
  return null;
}

function isLoopbackAddress(host) {
  const h = host.toLowerCase();
  return h === 'localhost' || h.startsWith('127.') || h.startsWith('[::1]') || h.startsWith('[0:0:0:0:0:0:0:1]');
}

/** True when `url` (a URL) must not go through a proxy: loopback, or matched by no_proxy / NO_PROXY. */
function checkBypass(url, env = process.env) {
  if (!url.hostname) return false;
  if (isLoopbackAddress(url.hostname)) return true;
  const noProxy = env.no_proxy || env.NO_PROXY || '';
  if (!noProxy) return false;
  let port;
  if (url.port) port = Number(url.port);
  else if (url.protocol === 'http:') port = 80;
  else if (url.protocol === 'https:') port = 443;
  const hosts = [url.hostname.toUpperCase()];
  if (typeof port === 'number') hosts.push(`${hosts[0]}:${port}`);
  for (const item of noProxy
    .split(',')
    .map((x) => x.trim().toUpperCase())
    .filter((x) => x)) {
    if (item === '*' || hosts.some((x) => x === item || x.endsWith(`.${item}`) || (item.startsWith('.') && x.endsWith(item)))) return true;
  }
  return false;
}

/**
 * The proxy for `url` (a URL): { url: URL, variable } or null for a direct connection.
 * Throws an HttpError when the variable does not hold a usable URL (without echoing it: it may
 * hold credentials).
 */
function proxyFor(url, env = process.env) {
  if (checkBypass(url, env)) return null;
  const found = url.protocol === 'https:' ? envValue(env, 'https_proxy', 'HTTPS_PROXY') : envValue(env, 'http_proxy', 'HTTP_PROXY');
  if (!found) return null;
  const parse = (text) => {
    try {
      return new URL(text);
    } catch {
      return null;
    }
  };
  let proxy = parse(found.value);
  // Without a scheme, http://. (`proxy.example:3128` parses as a URL of scheme `proxy.example:`
  // without a host, which @actions/http-client then ignores; it is taken as http:// here, as curl
  // and the native driver do.)
  if ((!proxy || !proxy.hostname) && !/^https?:\/\//i.test(found.value)) proxy = parse(`http://${found.value}`);
  if (!proxy || !proxy.hostname) throw new HttpError(`${found.name} is not a valid proxy URL`, 'EPROXYURL');
  if (proxy.protocol !== 'http:' && proxy.protocol !== 'https:') {
    throw new HttpError(`${found.name}: unsupported proxy protocol ${proxy.protocol} (http:// or https://)`, 'EPROXYURL');
  }
  return { url: proxy, variable: found.name };
}

const bare = (hostname) => (hostname.startsWith('[') && hostname.endsWith(']') ? hostname.slice(1, -1) : hostname);
const defaultPort = (u) => (u.protocol === 'https:' ? 443 : 80);
const portOf = (u) => (u.port ? Number(u.port) : defaultPort(u));
const hostPort = (u) => `${u.hostname}:${portOf(u)}`;

function proxyAuthorization(proxy) {
  if (!proxy.username && !proxy.password) return null;
  let user;
  let pass;
  try {
    user = decodeURIComponent(proxy.username);
    pass = decodeURIComponent(proxy.password);
  } catch {
    user = proxy.username;
    pass = proxy.password;
  }
  return `Basic ${Buffer.from(`${user}:${pass}`).toString('base64')}`;
}

/** What an error from node:net / node:tls / node:http means, in words. */
function explain(e, where) {
  const code = (e && e.code) || '';
  const text = (e && e.message) || String(e);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return `cannot resolve the host name of ${where} (${text})`;
  if (code === 'ECONNREFUSED') return `connection to ${where} refused (${text})`;
  if (code === 'ECONNRESET' || code === 'EPIPE' || /socket hang up/.test(text)) return `connection to ${where} closed before the answer was complete (${text})`;
  if (code === 'ETIMEDOUT' || code === 'ENETUNREACH' || code === 'EHOSTUNREACH') return `cannot connect to ${where} (${text})`;
  if (/CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|SSL/.test(code) || /certificate|handshake|SSL/i.test(text)) return `TLS with ${where} failed (${text})`;
  return `request to ${where} failed (${text})`;
}

/**
 * Collects a response; resolves { status, headers, body }. At most `maxBody` + 1 bytes are kept:
 * past that the connection is closed and `truncated` is set (the caller says the answer was
 * too large; a 1 GB answer took 2.2 GB of memory and crashed before).
 */
function readResponse(res, maxBody = DEFAULT_MAX_BODY) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let total = 0;
    let done = false;
    const finish = (fn, v) => {
      if (done) return;
      done = true;
      fn(v);
    };
    const result = (truncated) => ({ status: res.statusCode || 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), truncated });
    res.on('data', (c) => {
      if (done) return;
      const room = maxBody + 1 - total;
      if (c.length >= room) {
        chunks.push(c.subarray(0, room));
        total += room;
        finish(resolve, result(true));
        res.destroy();
        return;
      }
      chunks.push(c);
      total += c.length;
    });
    res.on('end', () => finish(resolve, result(false)));
    res.on('error', (e) => finish(reject, e));
    res.on('aborted', () => finish(reject, Object.assign(new Error('the answer was cut off'), { code: 'ECONNRESET' })));
  });
}

/** Sends one request with node:http(s) `options`; resolves the collected response. */
function send(mod, options, body, track, maxBody) {
  return new Promise((resolve, reject) => {
    const req = mod.request(options, (res) => {
      track(res);
      readResponse(res, maxBody).then(resolve, reject);
    });
    track(req);
    req.on('error', reject);
    if (body !== undefined && body !== null) req.write(body);
    req.end();
  });
}

/** Opens a CONNECT tunnel through `proxy` to `target` (a URL); resolves the raw socket. */
function openTunnel(proxy, target, opts, track) {
  const mod = proxy.url.protocol === 'https:' ? mods().https : mods().http;
  const authority = hostPort(target); // IPv6 stays in brackets: [::1]:443
  const headers = { host: authority };
  const auth = proxyAuthorization(proxy.url);
  if (auth) headers['proxy-authorization'] = auth;
  const proxyName = `the proxy ${hostPort(proxy.url)} (${proxy.variable})`;
  return new Promise((resolve, reject) => {
    const req = mod.request({
      host: bare(proxy.url.hostname),
      port: portOf(proxy.url),
      method: 'CONNECT',
      path: authority,
      headers,
      agent: false,
      ...(proxy.url.protocol === 'https:' && opts.ca ? { ca: opts.ca } : {}),
    });
    track(req);
    req.on('connect', (res, socket, head) => {
      track(socket);
      // Kept for the tunnel's life: a late error is then never an uncaught one (the TLS socket on
      // top, or the deadline, reports the failure).
      socket.on('error', (e) => reject(new HttpError(explain(e, proxyName), e.code || 'EPROXY')));
      if (res.statusCode !== 200) {
        socket.destroy();
        reject(new HttpError(`${proxyName} refused the tunnel to ${authority}: HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ''}`, 'EPROXY'));
        return;
      }
      if (head && head.length) socket.unshift(head);
      resolve(socket);
    });
    req.on('error', (e) => reject(new HttpError(explain(e, proxyName), e.code || 'EPROXY')));
    req.end();
  });
}

/** TLS over an open tunnel socket to `target`; resolves once the handshake succeeded. */
function startTls(socket, target, opts, track) {
  return new Promise((resolve, reject) => {
    const host = bare(target.hostname);
    const s = mods().tls.connect({
      socket,
      host,
      servername: mods().net.isIP(host) ? undefined : host,
      ALPNProtocols: ['http/1.1'],
      ...(opts.ca ? { ca: opts.ca } : {}),
    });
    track(s);
    s.once('secureConnect', () => resolve(s));
    // Kept after the handshake too (a no-op then): the request on top reports its own errors.
    s.on('error', reject);
  });
}

/** One request, no redirects. */
async function once(target, method, headers, body, opts, track) {
  const proxy = proxyFor(target, opts.env);
  const origin = target.origin;
  const path = `${target.pathname || '/'}${target.search || ''}`;
  const hdrs = { ...headers, host: target.host };
  if (body !== undefined && body !== null) hdrs['content-length'] = String(Buffer.byteLength(body));
  const tlsOptions = opts.ca ? { ca: opts.ca } : {};
  try {
    if (!proxy) {
      const mod = target.protocol === 'https:' ? mods().https : mods().http;
      return await send(mod, { host: bare(target.hostname), port: portOf(target), method, path, headers: hdrs, agent: false, ...tlsOptions }, body, track, opts.maxBody);
    }
    if (target.protocol === 'http:') {
      // Absolute-form request to the proxy.
      const auth = proxyAuthorization(proxy.url);
      if (auth) hdrs['proxy-authorization'] = auth;
      const mod = proxy.url.protocol === 'https:' ? mods().https : mods().http;
      const options = {
        host: bare(proxy.url.hostname),
        port: portOf(proxy.url),
        method,
        path: `${target.protocol}//${target.host}${path}`,
        headers: hdrs,
        agent: false,
        ...(proxy.url.protocol === 'https:' ? tlsOptions : {}),
      };
      try {
        return await send(mod, options, body, track, opts.maxBody);
      } catch (e) {
        throw new HttpError(explain(e, `the proxy ${hostPort(proxy.url)} (${proxy.variable})`), e.code);
      }
    }
    const raw = await openTunnel(proxy, target, opts, track);
    const secure = await startTls(raw, target, opts, track);
    try {
      return await send(mods().http, { createConnection: () => secure, method, path, headers: hdrs }, body, track, opts.maxBody);
    } finally {
      secure.destroy();
    }
  } catch (e) {
    if (e instanceof HttpError) throw new HttpError(`${method} ${origin}: ${e.message}`, e.code);
    throw new HttpError(`${method} ${origin}: ${explain(e, hostPort(target))}`, e.code);
  }
}

/**
 * Performs a request; resolves { status, headers, body, url } for every HTTP answer (any status),
 * rejects with an HttpError when there is none (no connection, proxy refusal, TLS failure,
 * timeout, …).
 *
 * options: method ('GET'), headers ({}; names are sent lower-cased), body (string), timeoutMs
 * (60000, for the whole exchange, redirects included), maxRedirects (0: a 3xx is returned as
 * is; otherwise the same method and body go to `location`, `authorization` is dropped when the
 * origin changes, and https → http is refused), env (process.env: the proxy variables), ca
 * (extra trusted certificates, for tests), maxBody (32 MiB: longer answers are cut to maxBody + 1 bytes
 * and resolve with `truncated: true`).
 */
function request(url, options = {}) {
  const method = String(options.method || 'GET').toUpperCase();
  const timeoutMs = options.timeoutMs === undefined ? DEFAULT_TIMEOUT_MS : options.timeoutMs;
  const opts = { env: options.env || process.env, ca: options.ca, maxBody: options.maxBody === undefined ? DEFAULT_MAX_BODY : options.maxBody };
  const live = new Set();
  const track = (x) => {
    live.add(x);
    return x;
  };
  let timer;
  let settled = false;
  const destroyAll = () => {
    for (const x of live) {
      try {
        x.destroy();
      } catch {
        // already gone
      }
    }
  };

  const run = async () => {
    let target;
    try {
      target = new URL(url);
    } catch {
      throw new HttpError(`${method}: invalid URL`, 'EINVALIDURL');
    }
    if (target.protocol !== 'http:' && target.protocol !== 'https:') {
      throw new HttpError(`${method}: unsupported protocol ${target.protocol} (http:// or https://)`, 'EINVALIDURL');
    }
    let headers = {};
    for (const [k, v] of Object.entries(options.headers || {})) if (v !== undefined && v !== null) headers[k.toLowerCase()] = String(v);
    let redirects = options.maxRedirects || 0;
    for (;;) {
      const res = await once(target, method, headers, options.body, opts, track);
      const location = res.headers.location;
      if (!(redirects > 0 && REDIRECT_CODES.has(res.status) && location)) return { ...res, url: target.href };
      let next;
      try {
        next = new URL(location, target);
      } catch {
        throw new HttpError(`${method} ${target.origin}: HTTP ${res.status} with an invalid location`, 'EREDIRECT');
      }
      if (target.protocol === 'https:' && next.protocol !== 'https:') {
        throw new HttpError(`${method} ${target.origin}: redirect from https to ${next.protocol} refused`, 'EREDIRECT');
      }
      if (next.origin !== target.origin) {
        headers = { ...headers };
        delete headers.authorization;
      }
      target = next;
      redirects--;
    }
  };

  return new Promise((resolve, reject) => {
    const settle = (fn, v) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn(v);
    };
    if (timeoutMs > 0) {
      timer = setTimeout(() => {
        let origin = '';
        try {
          origin = ` ${new URL(url).origin}`;
        } catch {
          // reported as invalid by run()
        }
        settle(reject, new HttpError(`${method}${origin}: no complete answer within ${timeoutMs} ms`, 'ETIMEDOUT'));
        destroyAll();
      }, timeoutMs);
    }
    run().then(
      (v) => settle(resolve, v),
      (e) => {
        settle(reject, e instanceof HttpError ? e : new HttpError(String((e && e.message) || e), e && e.code));
        destroyAll();
      },
    );
  });
}

module.exports = { request, proxyFor, checkBypass, HttpError, DEFAULT_MAX_BODY };
