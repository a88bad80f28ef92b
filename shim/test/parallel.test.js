'use strict';
// The parallel read in Node (worker threads, each with its own wasm core: shim/jobs.js and
// src/check/read.rs) gives a report byte-identical to the single-threaded one and to the native
// binary, in JSON, SARIF and text, on the fixture trees and on a generated tree.
// Native binary: env CUA_CHECK_NATIVE, default target/debug/cua-check.

const test = require('node:test');
const assert = require('node:assert/strict');
const fs = require('fs');
const path = require('path');
const { ROOT, DIST_CLI, armTemplate, makeTree, runNode, runProcess } = require('./helpers/e2e');
const { createHost } = require('../host');
const { runCli } = require('../cli-main');

const NATIVE = path.resolve(ROOT, process.env.CUA_CHECK_NATIVE || path.join('target', 'debug', 'cua-check'));
const PKG = path.join(ROOT, 'pkg', 'cua_check.js');
const FORMATS = ['json', 'sarif', 'text'];

// A tree of many small solutions in every language (generated, deterministic): ARM mains with
// and without tracking, linked templates, Bicep modules, Terraform providers, SDK code.
function generatedTree() {
  const files = {};
  for (let i = 0; i < 40; i++) {
    const d = `sol-${String(i).padStart(2, '0')}`;
    files[`${d}/azuredeploy.json`] = armTemplate({ tracking: i % 3 === 0 ? true : i % 3 === 1 ? `pid-00000000-0000-0000-0000-${String(i).padStart(12, '0')}` : false });
    files[`${d}/nested/storage.json`] = armTemplate();
    files[`${d}/main.bicep`] = `param location string = resourceGroup().location\nmodule m${i} 'modules/m.bicep' = {\n  name: 'pid-7867e591-c1ee-4530-bed8-7387ab893a26-${i}'\n  params: { location: location }\n}\n`;
    files[`${d}/modules/m.bicep`] = `param location string\nresource s 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: 'st${i}'\n  location: location\n}\n`;
    files[`${d}/tf/main.tf`] = `provider "azurerm" {\n  features {}\n${i % 2 ? '  partner_id = "7867e591-c1ee-4530-bed8-7387ab893a26"\n' : ''}}\n`;
    files[`${d}/app.py`] = `client.add_user_agent("pid-7867e591-c1ee-4530-bed8-7387ab893a2${i % 10}")\n`;
    files[`${d}/broken.json`] = i % 5 === 0 ? '{ "$schema": "https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#", ' : '{}';
  }
  return makeTree(files, 'cua-parallel-');
}

const generated = new Set();

function trees() {
  const list = ['examples', 'tests/fixtures/bicep', 'tests/fixtures/terraform', 'tests/fixtures/code'].map((d) => path.join(ROOT, d));
  const rules = path.join(ROOT, 'tests', 'fixtures', 'rules');
  for (const code of fs.readdirSync(rules).sort()) {
    for (const f of fs.readdirSync(path.join(rules, code)).sort()) {
      const p = path.join(rules, code, f);
      if (fs.statSync(p).isDirectory() && fs.readdirSync(p).length > 1) list.push(p);
    }
  }
  const g = generatedTree();
  generated.add(g);
  list.push(g);
  return list;
}

function capture() {
  let text = '';
  return { stream: { write: (s) => { text += s; return true; } }, get text() { return text; } };
}

// The core in this process (pkg/), worker threads running the bundle (dist/cli.js): the answers
// the workers hand back are counted, so the test fails if the workers did nothing.
function inProcess(core, dir, format, workers) {
  const host = createHost({ env: { ...process.env, NO_COLOR: '1', CUA_CHECK_WORKERS: String(workers), CUA_CHECK_PARALLEL_MIN: '2' }, workerFile: DIST_CLI, waitForWorkers: true });
  let answers = 0;
  // This thread pauses after taking each job, so that the worker takes some of even a small batch.
  const next = host.nextJob;
  const pause = new Int32Array(new SharedArrayBuffer(4));
  host.nextJob = () => {
    const i = next();
    if (i >= 0) Atomics.wait(pause, 0, 0, 20);
    return i;
  };
  const finish = host.finishJobs;
  host.finishJobs = () => {
    const got = finish();
    answers += got.filter((a) => a.length > 1).length;
    return got;
  };
  const out = capture();
  const err = capture();
  const code = runCli(core, ['check', dir, '--format', format, '--color', 'never'], { host, stdout: out.stream, stderr: err.stream });
  return { code, stdout: out.text, stderr: err.text, answers };
}

if (!fs.existsSync(NATIVE) || !fs.existsSync(PKG) || !fs.existsSync(DIST_CLI)) {
  test('parallel read', { skip: `needs ${path.relative(ROOT, NATIVE)}, pkg/ and dist/ (run scripts/build and cargo build, or set CUA_CHECK_NATIVE)` }, () => {});
} else {
  test('parallel read: worker threads give the single-threaded report and the native one', async (t) => {
    const core = require(PKG);
    let answered = 0;
    for (const dir of trees()) {
      for (const format of FORMATS) {
        await t.test(`${path.relative(ROOT, dir).startsWith('..') ? 'generated tree' : path.relative(ROOT, dir)} --format ${format}`, async () => {
          const args = ['check', dir, '--format', format, '--color', 'never'];
          const native = await runProcess(NATIVE, args, { env: { NO_COLOR: '1' } });
          const one = inProcess(core, dir, format, 0);
          assert.equal(one.answers, 0);
          assert.equal(one.stdout, native.stdout, 'single-threaded wasm differs from native');
          assert.equal(one.code, native.code);
          // The workers change only how files are read, before any rendering: on the fixtures
          // JSON (every fact of the report) is enough; the generated tree gets every format.
          if (format !== 'json' && !generated.has(dir)) return;
          const two = inProcess(core, dir, format, 1);
          answered += two.answers;
          assert.equal(two.stdout, one.stdout, 'worker threads differ from single-threaded');
          assert.equal(two.stderr, one.stderr);
          assert.equal(two.code, one.code);
        });
      }
    }
    assert.ok(answered > 20, `worker threads answered ${answered} batches`);
  });

  test('parallel read: node dist/cli.js with worker threads is the native report', async () => {
    const dir = generatedTree();
    for (const format of FORMATS) {
      const args = ['check', dir, '--format', format];
      const env = { NO_COLOR: '1', CUA_CHECK_PARALLEL_MIN: '2' };
      const native = await runProcess(NATIVE, args, { env });
      for (const workers of ['0', '1', '3']) {
        const wasm = await runNode(process.execPath, DIST_CLI, args, { env: { ...env, CUA_CHECK_WORKERS: workers } });
        assert.ok(native.stdout.length > 0, native.stderr);
        assert.equal(wasm.stdout, native.stdout, `--format ${format}, ${workers} workers`);
        assert.equal(wasm.stderr, native.stderr);
        assert.equal(wasm.code, native.code);
      }
    }
  });
}
