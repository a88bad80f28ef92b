'use strict';
// Shared helpers for the end-to-end tests that run the REAL dist/ (the wasm core), not the fake core.

const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const ROOT = path.resolve(__dirname, '..', '..', '..');
const DIST_INDEX = path.join(ROOT, 'dist', 'index.js');
const DIST_CLI = path.join(ROOT, 'dist', 'cli.js');
const GUID = '7867e591-c1ee-4530-bed8-7387ab893a26';
const PID = `pid-${GUID}`;
const ARM_SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';

/** A tracking deployment resource with a literal name. */
function trackingDeployment(name = PID) {
  return {
    type: 'Microsoft.Resources/deployments',
    apiVersion: '2021-04-01',
    name,
    properties: {
      mode: 'Incremental',
      template: { $schema: ARM_SCHEMA, contentVersion: '1.0.0.0', resources: [] },
    },
  };
}

/** An ARM template (pretty JSON text). `tracking`: a name string, true for PID, or falsy for none. */
function armTemplate({ tracking = false, extra = [] } = {}) {
  const resources = [
    {
      type: 'Microsoft.Storage/storageAccounts',
      apiVersion: '2023-01-01',
      name: 'contosostorage',
      location: 'westeurope',
      kind: 'StorageV2',
      sku: { name: 'Standard_LRS' },
    },
    ...extra,
  ];
  if (tracking) resources.push(trackingDeployment(tracking === true ? PID : tracking));
  return JSON.stringify({ $schema: ARM_SCHEMA, contentVersion: '1.0.0.0', resources }, null, 2) + '\n';
}

const tempDirs = new Set();
process.once('exit', () => {
  for (const d of tempDirs) fs.rmSync(d, { recursive: true, force: true });
});

/** A temp folder holding `files` ({ relative path: text }). Removed when the process exits. */
function makeTree(files = {}, prefix = 'cua-e2e-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  tempDirs.add(dir);
  writeFiles(dir, files);
  return dir;
}

function writeFiles(dir, files) {
  for (const [rel, text] of Object.entries(files)) {
    const p = path.join(dir, rel);
    fs.mkdirSync(path.dirname(p), { recursive: true });
    fs.writeFileSync(p, text);
  }
}

/** Runs `node script args…`; resolves { code, stdout, stderr }. */
function runNode(node, script, args, { cwd = ROOT, env = {} } = {}) {
  return runProcess(node, [script, ...args], { cwd, env });
}

function runProcess(cmd, args, { cwd = ROOT, env = {} } = {}) {
  return new Promise((resolve, reject) => {
    const fullEnv = { ...process.env, ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined || v === null) delete fullEnv[k];
    const child = spawn(cmd, args, { cwd, env: fullEnv, stdio: ['ignore', 'pipe', 'pipe'] });
    const out = [];
    const err = [];
    child.stdout.on('data', (c) => out.push(c));
    child.stderr.on('data', (c) => err.push(c));
    child.on('error', reject);
    child.on('close', (code, signal) =>
      resolve({
        code: code === null ? `signal ${signal}` : code,
        stdout: Buffer.concat(out).toString('utf8'),
        stderr: Buffer.concat(err).toString('utf8'),
      }),
    );
  });
}

module.exports = {
  ROOT,
  DIST_INDEX,
  DIST_CLI,
  GUID,
  PID,
  ARM_SCHEMA,
  trackingDeployment,
  armTemplate,
  makeTree,
  writeFiles,
  runNode,
  runProcess,
};
