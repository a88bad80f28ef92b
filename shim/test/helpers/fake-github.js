'use strict';
// A real HTTP server on 127.0.0.1 standing in for the GitHub REST API.
//
//   const gh = await startFakeGitHub({ prefix: '/api/v3', pageSize: 2, tokens: { t1: 'octocat' } });
//   gh.apiUrl            -> http://127.0.0.1:PORT/api/v3
//   gh.addComment(owner, repo, number, { body, login })
//   gh.pulls[`${owner}/${repo}@${sha}`] = [{ number, state }]
//   gh.files[`${owner}/${repo}#${n}`] = ['a.json', ...]
//   gh.failNext('POST', /\/comments$/, { status: 403, times: 1, body, headers })
//   gh.requests          -> [{ method, url, path, query, headers, body }]
//   gh.writes()          -> the non-GET requests
//   await gh.close()
//
// Pagination: list endpoints answer `pageSize` items per page and a Link header whose
// next URL carries an extra `cursor` parameter; a request whose page>1 lacks the right
// cursor answers 400, so clients must follow the Link URL verbatim.

const http = require('http');

function startFakeGitHub(options = {}) {
  const prefix = (options.prefix || '').replace(/\/+$/, '');
  const state = {
    pageSize: options.pageSize || 30,
    // token -> { login, type, id, app, viewer }; a token mapped to null acts as GITHUB_TOKEN
    // (github-actions[bot]): 403 on GET /user and an error on the GraphQL viewer. `app` (a slug)
    // makes an App installation token: 403 on GET /user, the GraphQL viewer answers its bot
    // (its login as `viewer` says, default `login`); `viewer: false` refuses the viewer.
    tokens: options.tokens || { 'test-token': { login: 'octocat', type: 'User' } },
    comments: new Map(), // "owner/repo#n" -> [comment]
    pulls: {}, // "owner/repo@sha" -> [{ number, state }]
    files: {}, // "owner/repo#n" -> [filename]
    failures: [],
    requests: [],
    nextId: 1000,
  };
  let baseUrl = '';

  function identity(req) {
    const auth = req.headers.authorization || '';
    const m = /^Bearer (.+)$/.exec(auth);
    if (!m) return { known: false };
    if (!(m[1] in state.tokens)) return { known: false };
    return { known: true, user: state.tokens[m[1]] };
  }

  function send(res, status, data, headers = {}) {
    const body = data === undefined ? '' : JSON.stringify(data);
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(body);
  }

  function paginateList(req, res, url, list) {
    const page = Number(url.searchParams.get('page') || '1');
    const perPage = Math.min(Number(url.searchParams.get('per_page') || '30'), state.pageSize);
    if (page > 1 && url.searchParams.get('cursor') !== `c${page}`) {
      return send(res, 400, { message: `bad or missing cursor for page ${page}` });
    }
    const start = (page - 1) * perPage;
    const items = list.slice(start, start + perPage);
    const headers = {};
    if (start + perPage < list.length) {
      const next = new URL(url.href);
      next.searchParams.delete('cursor');
      next.searchParams.set('page', String(page + 1));
      const nextHref = `${baseUrl}${next.pathname}${next.search}&cursor=c${page + 1}`;
      headers.link = `<${nextHref}>; rel="next", <${baseUrl}${url.pathname}?page=9999>; rel="last"`;
    }
    return send(res, 200, items, headers);
  }

  function takeFailure(method, path) {
    const i = state.failures.findIndex((f) => (f.method === '*' || f.method === method) && f.route.test(path) && f.times > 0);
    if (i < 0) return null;
    const f = state.failures[i];
    f.times -= 1;
    if (f.times === 0) state.failures.splice(i, 1);
    return f;
  }

  function commentsKey(o, r, n) {
    return `${o}/${r}#${n}`;
  }

  function handle(req, res, bodyText) {
    const url = new URL(req.url, baseUrl || 'http://127.0.0.1');
    let body = null;
    if (bodyText) {
      try {
        body = JSON.parse(bodyText);
      } catch {
        body = bodyText;
      }
    }
    state.requests.push({
      method: req.method,
      url: req.url,
      path: url.pathname,
      query: Object.fromEntries(url.searchParams),
      headers: { ...req.headers },
      body,
    });

    // GraphQL sits at /graphql, on GHES at /api/graphql next to /api/v3
    const graphqlPath = /\/v3$/.test(prefix) ? prefix.replace(/\/v3$/, '/graphql') : `${prefix}/graphql`;
    const isGraphql = url.pathname === graphqlPath;
    if (prefix && !isGraphql && !url.pathname.startsWith(prefix + '/')) return send(res, 404, { message: 'Not Found (no prefix)' });
    const p = isGraphql ? '/graphql' : url.pathname.slice(prefix.length);

    const failure = takeFailure(req.method, p);
    if (failure) {
      if (failure.destroy) return req.socket.destroy();
      return send(res, failure.status, failure.body || { message: failure.message || `scripted ${failure.status}` }, failure.headers || {});
    }

    const who = identity(req);
    let m;
    if (req.method === 'GET' && p === '/user') {
      if (!who.known) return send(res, 401, { message: 'Bad credentials' });
      if (!who.user || who.user.app) return send(res, 403, { message: 'Resource not accessible by integration' });
      return send(res, 200, { login: who.user.login, id: who.user.id || 5000, type: who.user.type || 'User' });
    }
    if (req.method === 'POST' && isGraphql) {
      if (!who.known) return send(res, 401, { message: 'Bad credentials' });
      const query = (body && body.query) || '';
      if (!/\bviewer\b/.test(query)) return send(res, 200, { errors: [{ message: 'only the viewer query is faked' }] });
      if (!who.user || who.user.viewer === false) {
        return send(res, 200, { data: null, errors: [{ type: 'FORBIDDEN', message: 'Resource not accessible by integration' }] });
      }
      const login = who.user.viewer || who.user.login;
      return send(res, 200, { data: { viewer: { login, databaseId: who.user.id || 5000 } } });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(p))) {
      const key = commentsKey(m[1], m[2], m[3]);
      const list = state.comments.get(key) || [];
      if (req.method === 'GET') return paginateList(req, res, url, list);
      if (req.method === 'POST') {
        if (!who.known) return send(res, 401, { message: 'Bad credentials' });
        const user = who.user || { login: 'github-actions[bot]', type: 'Bot', id: 41898282, app: 'github-actions' };
        const c = makeComment(m[1], m[2], m[3], body && body.body, user);
        list.push(c);
        state.comments.set(key, list);
        return send(res, 201, c);
      }
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(p)) && req.method === 'PATCH') {
      if (!who.known) return send(res, 401, { message: 'Bad credentials' });
      for (const list of state.comments.values()) {
        const c = list.find((x) => String(x.id) === m[3]);
        if (c) {
          c.body = body && body.body;
          c.updated_at = new Date().toISOString();
          return send(res, 200, c);
        }
      }
      return send(res, 404, { message: 'Not Found' });
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/commits\/([^/]+)\/pulls$/.exec(p)) && req.method === 'GET') {
      return send(res, 200, state.pulls[`${m[1]}/${m[2]}@${m[3]}`] || []);
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)\/files$/.exec(p)) && req.method === 'GET') {
      const names = state.files[`${m[1]}/${m[2]}#${m[3]}`];
      if (!names) return send(res, 404, { message: 'Not Found' });
      return paginateList(req, res, url, names.map((filename) => ({ filename, status: 'modified' })));
    }
    if (p === '/items' && req.method === 'GET') {
      // generic paginated list for client tests
      return paginateList(req, res, url, state.items || []);
    }
    if (p === '/echo') return send(res, 200, { ok: true });
    return send(res, 404, { message: 'Not Found' });
  }

  function makeComment(owner, repo, number, text, user) {
    const id = state.nextId++;
    return {
      id,
      body: text,
      user: { login: user.login, id: user.id || 5000, type: user.type || 'User' },
      performed_via_github_app: user.app ? { slug: user.app, name: user.app } : null,
      html_url: `https://github.example/${owner}/${repo}/pull/${number}#issuecomment-${id}`,
      created_at: new Date().toISOString(),
    };
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => {
      try {
        handle(req, res, Buffer.concat(chunks).toString('utf8'));
      } catch (e) {
        send(res, 500, { message: `fake server bug: ${e.message}` });
      }
    });
  });

  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      baseUrl = `http://127.0.0.1:${port}`;
      const api = {
        server,
        baseUrl,
        apiUrl: baseUrl + prefix,
        // as the runner's GITHUB_GRAPHQL_URL
        graphqlUrl: baseUrl + (/\/v3$/.test(prefix) ? prefix.replace(/\/v3$/, '/graphql') : `${prefix}/graphql`),
        serverUrl: baseUrl,
        state,
        get requests() {
          return state.requests;
        },
        /** The requests that change something (a GraphQL query is a POST but reads). */
        writes() {
          return state.requests.filter((r) => r.method !== 'GET' && r.method !== 'HEAD' && !/\/graphql$/.test(r.path));
        },
        set pageSize(n) {
          state.pageSize = n;
        },
        pulls: state.pulls,
        files: state.files,
        setItems(items) {
          state.items = items;
        },
        comments(owner, repo, number) {
          return state.comments.get(commentsKey(owner, repo, number)) || [];
        },
        addComment(owner, repo, number, { body, login = 'someone', type = 'User', id, app }) {
          const key = commentsKey(owner, repo, number);
          const list = state.comments.get(key) || [];
          const c = makeComment(owner, repo, number, body, { login, type, id: id || 6000 + list.length, app });
          list.push(c);
          state.comments.set(key, list);
          return c;
        },
        /** Script failures: the next `times` requests matching method+route answer `status` (or drop the connection with destroy: true). */
        failNext(method, route, { status = 500, times = 1, body, headers, message, destroy = false } = {}) {
          state.failures.push({ method, route: route instanceof RegExp ? route : new RegExp(`^${route}$`), status, times, body, headers, message, destroy });
        },
        clearRequests() {
          state.requests.length = 0;
        },
        close() {
          return new Promise((r) => {
            server.closeAllConnections && server.closeAllConnections();
            server.close(() => r());
          });
        },
      };
      resolve(api);
    });
  });
}

module.exports = { startFakeGitHub };
