'use strict';
// A small forward proxy on 127.0.0.1 for tests: CONNECT tunnels (what shim/http.js and ureq use
// for https) and absolute-form requests (`GET http://host:port/path`, what shim/http.js and ureq
// send for http through a proxy).
//
// Host names are resolved ONLY through `hosts` (e.g. { 'arm.test': '127.0.0.1' }): a name such
// as `arm.test` (.test is reserved, RFC 2606) reaches the fake server through this proxy and
// nowhere else, so a request that arrives proves the client used the proxy.
//
//   const proxy = await startProxy({ hosts: { 'arm.test': '127.0.0.1' } });
//   proxy.url        -> http://127.0.0.1:PORT   (https://… with `tls: { key, cert }`: a proxy spoken to over TLS)
//   proxy.requests   -> [{ method: 'CONNECT' | 'GET' | …, target: 'arm.test:1234' | 'http://arm.test:1234/…', authorization, proxyAuthorization }]
//   `refuse: 407` answers every request and CONNECT with that status instead.
//   await proxy.close()

const http = require('http');
const https = require('https');
const net = require('net');

function startProxy({ hosts = {}, tls = null, refuse = 0 } = {}) {
  const requests = [];
  const sockets = new Set();
  const resolve = (host) => (Object.prototype.hasOwnProperty.call(hosts, host.toLowerCase()) ? hosts[host.toLowerCase()] : null);

  const record = (req) =>
    requests.push({
      method: req.method,
      target: req.url,
      authorization: req.headers.authorization || null,
      proxyAuthorization: req.headers['proxy-authorization'] || null,
    });
  const handler = (req, res) => {
    record(req);
    if (refuse) {
      res.writeHead(refuse, { 'proxy-authenticate': 'Basic realm="test"' }).end('refused');
      return;
    }
    let target;
    try {
      target = new URL(req.url);
    } catch {
      res.writeHead(400).end('absolute-form request expected');
      return;
    }
    const address = resolve(target.hostname);
    if (!address) {
      res.writeHead(502).end(`proxy: unknown host ${target.hostname}`);
      return;
    }
    const headers = { ...req.headers };
    delete headers['proxy-connection'];
    delete headers['proxy-authorization'];
    const up = http.request(
      { host: address, port: target.port || 80, method: req.method, path: target.pathname + target.search, headers },
      (upRes) => {
        res.writeHead(upRes.statusCode, upRes.headers);
        upRes.pipe(res);
      },
    );
    up.on('error', () => res.writeHead(502).end('proxy: upstream failed'));
    req.pipe(up);
  };
  const server = tls ? https.createServer(tls, handler) : http.createServer(handler);

  server.on('connect', (req, client, head) => {
    record(req);
    if (refuse) {
      client.end(`HTTP/1.1 ${refuse} ${http.STATUS_CODES[refuse] || 'Refused'}\r\nProxy-Authenticate: Basic realm="test"\r\nContent-Length: 0\r\n\r\n`);
      return;
    }
    const [host, port] = req.url.split(':');
    const address = resolve(host);
    if (!address) {
      client.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
      return;
    }
    const up = net.connect(Number(port) || 443, address, () => {
      client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
      if (head && head.length) up.write(head);
      up.pipe(client);
      client.pipe(up);
    });
    sockets.add(up);
    sockets.add(client);
    up.on('error', () => client.destroy());
    client.on('error', () => up.destroy());
  });

  return new Promise((done) => {
    server.listen(0, '127.0.0.1', () => {
      done({
        url: `${tls ? 'https' : 'http'}://127.0.0.1:${server.address().port}`,
        port: server.address().port,
        requests,
        close() {
          return new Promise((r) => {
            for (const s of sockets) s.destroy();
            server.closeAllConnections && server.closeAllConnections();
            server.close(() => r());
          });
        },
      });
    });
  });
}

module.exports = { startProxy };
