'use strict';
// A loopback HTTP server answering like Azure Resource Manager (api-version 2021-04-01), with
// the shapes of the recorded examples in the REST reference, nextLink paging and scripted
// failures. It answers at resource-group scope and at subscription scope:
//
//   Deployments – List By Resource Group     GET /subscriptions/{s}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/
//   Deployments – Get                        GET …/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}
//   Deployment Operations – List             GET …/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}/operations
//   Deployments – List At Subscription Scope GET /subscriptions/{s}/providers/Microsoft.Resources/deployments/
//   Deployments – Get At Subscription Scope  GET /subscriptions/{s}/providers/Microsoft.Resources/deployments/{name}
//   Deployment Operations – List At Subscription Scope  …/deployments/{name}/operations
//
//   const arm = await startFakeArm({ token: 't', pageSize: 1 });
//   arm.addDeployment({ sub, rg, name, correlationId, operations: [{ id, resourceType, resourceName }] });
//   arm.addDeployment({ sub, location: 'westus2', name, … });   // no rg: a subscription-scope deployment
//   arm.addResourceGroup(sub, rg)                                 // an existing group without deployments
//   arm.failNext(/regex on path/, { status: 429, headers: { 'retry-after': '1' }, times: 1 });
//   arm.url, arm.requests ([{ method, url, path, host, headers }]), await arm.close()
//
// nextLink URLs are built from the request's Host header, as ARM builds them from its own host,
// so a client that reached the server under another name (through a proxy) keeps that name.

const http = require('http');

function startFakeArm({ token = 'secret-token', pageSize = 100 } = {}) {
  const state = { deployments: [], groups: new Set(), failures: [], requests: [], pageSize };
  const send = (res, status, body, headers = {}) => {
    res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'x-ms-request-id': 'fake', ...headers });
    res.end(JSON.stringify(body));
  };
  function page(req, res, url, items) {
    const skip = Number(url.searchParams.get('$skiptoken') || '0');
    const value = items.slice(skip, skip + state.pageSize);
    const body = { value };
    if (skip + state.pageSize < items.length) {
      const next = new URL(url.href);
      next.searchParams.set('$skiptoken', String(skip + state.pageSize));
      body.nextLink = `http://${req.headers.host}${next.pathname}${next.search}`;
    }
    return send(res, 200, body);
  }
  const known = (sub) => state.deployments.some((d) => d.sub === sub) || [...state.groups].some((g) => g.startsWith(`${sub}/`));
  const groupExists = (sub, rg) => state.groups.has(`${sub}/${rg.toLowerCase()}`) || state.deployments.some((d) => d.sub === sub && d.rg && d.rg.toLowerCase() === rg.toLowerCase());

  // The recorded shape of a deployment (DeploymentExtended): Deployments – Get and the list items.
  function shape(d) {
    const scope = d.rg ? `/subscriptions/${d.sub}/resourceGroups/${d.rg}` : `/subscriptions/${d.sub}`;
    const out = {
      id: `${scope}/providers/Microsoft.Resources/deployments/${d.name}`,
      name: d.name,
      type: 'Microsoft.Resources/deployments',
    };
    if (!d.rg) out.location = d.location || 'eastus';
    out.tags = {};
    out.properties = {
      templateHash: '11481920899744003290',
      parameters: {},
      mode: 'Incremental',
      provisioningState: 'Succeeded',
      timestamp: '2026-11-20T10:00:00.0000000Z',
      duration: 'PT22.8356799S',
      correlationId: d.correlationId,
      providers: [{ namespace: 'Microsoft.Storage', resourceTypes: [{ resourceType: 'storageAccounts', locations: ['eastus'] }] }],
      dependencies: [],
      outputResources: d.operations.filter((t) => t.resourceType !== 'Microsoft.Resources/deployments').map((t) => ({ id: t.id })),
    };
    return out;
  }
  // The recorded shape of a deployment operation.
  const operation = (d, t, i) => ({
    id: `${shape(d).id}/operations/${String(i).padStart(16, '0')}`,
    operationId: String(i).padStart(16, '0'),
    properties: {
      provisioningOperation: 'Create',
      provisioningState: 'Succeeded',
      timestamp: '2026-11-20T10:00:10.0000000Z',
      duration: 'PT2.1S',
      trackingId: '00000000-0000-0000-0000-00000000000' + (i % 10),
      serviceRequestId: '00000000-0000-0000-0000-000000000000',
      statusCode: 'OK',
      targetResource: { id: t.id, resourceType: t.resourceType, resourceName: t.resourceName },
    },
  });

  const server = http.createServer((req, res) => {
    const url = new URL(req.url, `http://${req.headers.host || '127.0.0.1'}`);
    state.requests.push({ method: req.method, url: req.url, path: url.pathname, host: req.headers.host, headers: req.headers });
    const f = state.failures.find((x) => x.times > 0 && x.route.test(url.pathname));
    if (f) {
      f.times -= 1;
      return send(res, f.status, f.body || { error: { code: `Scripted${f.status}`, message: 'scripted failure' } }, f.headers || {});
    }
    if (req.headers.authorization !== `Bearer ${token}`) {
      return send(res, 401, { error: { code: 'InvalidAuthenticationToken', message: 'The access token is invalid.' } });
    }
    if (req.method !== 'GET') return send(res, 405, { error: { code: 'MethodNotAllowed', message: 'only GET here' } });
    if (url.searchParams.get('api-version') !== '2021-04-01') return send(res, 400, { error: { code: 'NoApiVersion', message: 'bad api-version' } });
    const m = /^\/subscriptions\/([^/]+)(?:\/resourcegroups\/([^/]+))?\/providers\/Microsoft\.Resources\/deployments\/?(?:([^/]+)(\/operations)?)?$/i.exec(url.pathname);
    if (!m) return send(res, 404, { error: { code: 'NotFound', message: 'no such path' } });
    const sub = decodeURIComponent(m[1]);
    const rg = m[2] ? decodeURIComponent(m[2]) : null;
    const name = m[3] ? decodeURIComponent(m[3]) : null;
    if (!known(sub)) return send(res, 404, { error: { code: 'SubscriptionNotFound', message: `The subscription '${sub}' could not be found.` } });
    if (rg && !groupExists(sub, rg)) return send(res, 404, { error: { code: 'ResourceGroupNotFound', message: `Resource group '${rg}' could not be found.` } });
    const list = state.deployments.filter((d) => d.sub === sub && (rg ? d.rg && d.rg.toLowerCase() === rg.toLowerCase() : !d.rg));
    if (!name) return page(req, res, url, list.map(shape));
    const d = list.find((x) => x.name.toLowerCase() === name.toLowerCase());
    if (!d) return send(res, 404, { error: { code: 'DeploymentNotFound', message: `Deployment '${name}' could not be found.` } });
    if (!m[4]) return send(res, 200, shape(d));
    return page(req, res, url, d.operations.map((t, i) => operation(d, t, i)));
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const port = server.address().port;
      resolve({
        url: `http://127.0.0.1:${port}`,
        port,
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
        addResourceGroup(sub, rg) {
          state.groups.add(`${sub}/${rg.toLowerCase()}`);
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
