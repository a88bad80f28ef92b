'use strict';
// A loopback HTTP server answering like Azure Resource Manager (deployments and operations),
// with nextLink paging and scripted failures.
//
//   const arm = await startFakeArm({ token: 't', pageSize: 1 });
//   arm.addDeployment({ sub, rg, name, correlationId, operations: [{ id, resourceType, resourceName }] });
//   arm.failNext(/regex on path/, { status: 429, headers: { 'retry-after': '1' }, times: 1 });
//   arm.url, arm.requests, await arm.close()

const http = require('http');

function startFakeArm({ token = 'secret-token', pageSize = 100 } = {}) {
  const state = { deployments: [], failures: [], requests: [], pageSize };
  let base = '';
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
    res.end(JSON.stringify(body));
  };
  function page(res, url, items) {
    const skip = Number(url.searchParams.get('$skiptoken') || '0');
    const value = items.slice(skip, skip + state.pageSize);
    const body = { value };
    if (skip + state.pageSize < items.length) {
      const next = new URL(url.href);
      next.searchParams.set('$skiptoken', String(skip + state.pageSize));
      body.nextLink = base + next.pathname + next.search;
    }
    return send(res, 200, body);
  }
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://127.0.0.1');
    state.requests.push({ method: req.method, url: req.url, headers: req.headers });
    const f = state.failures.find((x) => x.times > 0 && x.route.test(url.pathname));
    if (f) {
      f.times -= 1;
      return send(res, f.status, f.body || { error: { code: `Scripted${f.status}`, message: 'scripted failure' } }, f.headers || {});
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    }
    if (url.searchParams.get('api-version') !== '2021-04-01') return send(res, 400, { error: { code: 'NoApiVersion', message: 'bad api-version' } });
    let m = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?\/providers\/Microsoft\.Resources\/deployments\/?(?:([^/]+)(\/operations)?)?$/i.exec(url.pathname);
    if (!m) return send(res, 404, { error: { code: 'NotFound', message: 'no such path' } });
    const [, sub, rg, name, ops] = m;
    const list = state.deployments.filter((d) => d.sub === sub && (d.rg || null) === (rg ? decodeURIComponent(rg) : null));
    if (!list.length && rg) return send(res, 404, { error: { code: 'ResourceGroupNotFound', message: `Resource group '${rg}' could not be found.` } });
    const shape = (d) => ({
      id: `/subscriptions/${sub}${rg ? `/resourceGroups/${rg}` : ''}/providers/Microsoft.Resources/deployments/${d.name}`,
      name: d.name,
      type: 'Microsoft.Resources/deployments',
      properties: { correlationId: d.correlationId, provisioningState: 'Succeeded', timestamp: '2026-11-20T10:00:00Z', mode: 'Incremental', duration: 'PT5S' },
    });
    if (!name) return page(res, url, list.map(shape));
    const d = list.find((x) => x.name.toLowerCase() === decodeURIComponent(name).toLowerCase());
    if (!d) return send(res, 404, { error: { code: 'DeploymentNotFound', message: `Deployment '${name}' could not be found.` } });
    if (!ops) return send(res, 200, shape(d));
    return page(
      res,
      url,
      d.operations.map((t, i) => ({
        id: `${shape(d).id}/operations/${i}`,
        operationId: String(i),
        properties: { provisioningOperation: 'Create', provisioningState: 'Succeeded', statusCode: 'OK', targetResource: t },
      })),
    );
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      base = `http://127.0.0.1:${server.address().port}`;
      resolve({
        url: base,
        state,
        get requests() {
          return state.requests;
        },
        set pageSize(n) {
          state.pageSize = n;
        },
        addDeployment(d) {
          state.deployments.push({ operations: [], ...d });
        },
        failNext(route, { status = 500, times = 1, headers, body } = {}) {
          state.failures.push({ route, status, times, headers, body });
        },
        close() {
          return new Promise((r) => {
            server.closeAllConnections && server.closeAllConnections();
            server.close(() => r());
          });
        },
      });
    });
  });
}

module.exports = { startFakeArm };
