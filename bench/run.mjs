// Measures and prints the benchmark table (called by scripts/bench, which builds and generates).
//   node bench/run.mjs --trees bench-tree --sizes 1,4,16 --runs 3
// For each size: one warm-up read of the tree, then N rounds of [I/O floor, naive JSON.parse,
// node dist/cli.js check, native check], each under /usr/bin/time for the peak RSS; the median
// wall time of each is reported. Then the action start-up and the wasm size.
//   node bench/run.mjs --tree DIR --runs 3   the same figures on any folder (no sizes, no time per MB).
//   node bench/run.mjs --startup-only   measures only the action start-up (needs dist/, no tree).
// Ratios are paired: each round's ratio (e.g. node ÷ native in the same round), median over rounds.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const startupOnly = process.argv.includes('--startup-only');
const args = Object.fromEntries(
  process.argv
    .slice(2)
    .filter((a) => a !== '--startup-only')
    .reduce((acc, a, i, all) => (a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc), []),
);
const trees = args.trees || 'bench-tree';
const oneTree = args.tree ? path.resolve(args.tree) : null;
const sizes = oneTree ? [1] : (args.sizes || '1,4,16').split(',').map(Number);
const runs = Number(args.runs || 3);
const node = process.execPath;
const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};

/** Runs argv under /usr/bin/time; returns { seconds, rssMiB, stdout }. */
function timed(argv, { okCodes = [0], env } = {}) {
  const rssFile = path.join(os.tmpdir(), `cua-bench-rss-${process.pid}`);
  const t0 = process.hrtime.bigint();
  const r = spawnSync('/usr/bin/time', ['-f', '%M', '-o', rssFile, ...argv], {
    cwd: root,
    env: env || process.env,
    maxBuffer: 1 << 30,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
  const rssText = fs.readFileSync(rssFile, 'utf8').trim().split('\n').pop();
  if (r.status === null || !okCodes.includes(r.status)) {
    throw new Error(`${argv.join(' ')} exited ${r.status}: ${String(r.stderr).slice(0, 2000)}`);
  }
  return { seconds, rssMiB: Number(rssText) / 1024, stdout: String(r.stdout) };
}

const FIGURES = [
  { key: 'floor', label: 'I/O floor (walk + read)', argv: (t) => [node, path.join(here, 'floor.mjs'), t] },
  { key: 'naive', label: 'naive Node JSON.parse', argv: (t) => [node, path.join(here, 'naive.mjs'), t] },
  { key: 'node', label: 'node dist/cli.js check', argv: (t) => [node, 'dist/cli.js', 'check', t, '--format', 'json'], okCodes: [0, 1] },
  { key: 'native', label: 'native cua-check check', argv: (t) => ['target/release/cua-check', 'check', t, '--format', 'json'], okCodes: [0, 1] },
];

const results = {}; // size -> key -> { seconds, rssMiB }
const paired = {}; // size -> ratio name -> median of per-round ratios
const RATIOS = [
  ['node ÷ native', 'node', 'native', 1.5],
  ['node ÷ I/O floor', 'node', 'floor', 2.0],
  ['node ÷ naive JSON.parse', 'node', 'naive', 0.5],
  ['native ÷ I/O floor', 'native', 'floor', 1.2],
];
const volume = {}; // size -> { files, bytes }
for (const size of startupOnly ? [] : sizes) {
  const tree = oneTree || path.join(trees, `x${size}`);
  const warm = timed(FIGURES[0].argv(tree)); // warm-up read: the file cache holds the tree
  volume[size] = JSON.parse(warm.stdout);
  const samples = Object.fromEntries(FIGURES.map((f) => [f.key, []]));
  for (let i = 0; i < runs; i++) {
    for (const f of FIGURES) {
      samples[f.key].push(timed(f.argv(tree), { okCodes: f.okCodes }));
      process.stderr.write('.');
    }
  }
  results[size] = Object.fromEntries(
    FIGURES.map((f) => [f.key, { seconds: median(samples[f.key].map((s) => s.seconds)), rssMiB: Math.max(...samples[f.key].map((s) => s.rssMiB)) }]),
  );
  paired[size] = Object.fromEntries(
    RATIOS.map(([name, a, b]) => [name, median(samples[a].map((s, i) => s.seconds / samples[b][i].seconds))]),
  );
  process.stderr.write(` ${oneTree ? 'tree' : `${size}x`} done\n`);
}

// Action start-up: node dist/index.js on a one-template repository, like the runner runs it.
function startup() {
  const repo = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-bench-repo-'));
  const runnerTemp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-bench-runner-'));
  fs.writeFileSync(
    path.join(repo, 'azuredeploy.json'),
    JSON.stringify({
      $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#',
      contentVersion: '1.0.0.0',
      resources: [
        { type: 'Microsoft.Resources/deployments', apiVersion: '2021-04-01', name: 'pid-7867e591-c1ee-4530-bed8-7387ab893a26', properties: { mode: 'Incremental', template: { $schema: 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#', contentVersion: '1.0.0.0', resources: [] } } },
      ],
    }, null, 2),
  );
  const out = path.join(runnerTemp, 'output');
  const summary = path.join(runnerTemp, 'summary');
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    GITHUB_ACTIONS: 'true',
    GITHUB_WORKSPACE: repo,
    GITHUB_REPOSITORY: 'contoso/solution',
    GITHUB_SERVER_URL: 'https://github.com',
    GITHUB_API_URL: 'https://api.github.com',
    GITHUB_SHA: '0123456789abcdef0123456789abcdef01234567',
    GITHUB_REF: 'refs/heads/main',
    GITHUB_RUN_ID: '1',
    GITHUB_EVENT_NAME: 'push',
    RUNNER_TEMP: runnerTemp,
    GITHUB_OUTPUT: out,
    GITHUB_STEP_SUMMARY: summary,
    INPUT_PATH: repo,
    'INPUT_REGISTERED-IDS': '',
    'INPUT_REGISTRY-FILE': '',
    'INPUT_MAIN-TEMPLATES': '',
    INPUT_EXCLUDE: '',
    INPUT_MODE: 'standard',
    'INPUT_FAIL-ON': 'error',
    INPUT_COMMENT: 'auto',
    'INPUT_COMMENT-KEY': 'default',
    INPUT_SCOPE: 'all',
    'INPUT_SARIF-FILE': '',
    INPUT_TOKEN: '',
    INPUT_SOURCES: 'arm,bicep,terraform,code',
    'INPUT_MAX-FILE-SIZE': '32MiB',
  };
  const action = [];
  const bare = [];
  for (let i = 0; i < 11; i++) {
    fs.writeFileSync(out, '');
    fs.writeFileSync(summary, '');
    const a = timed([node, 'dist/index.js'], { env });
    const b = timed([node, '-e', '0'], { env });
    if (i === 0) continue; // warm-up
    action.push(a.seconds);
    bare.push(b.seconds);
  }
  const result = fs.readFileSync(out, 'utf8').match(/result<<[^\n]*\n([^\n]*)|result=([^\n]*)/);
  fs.rmSync(repo, { recursive: true, force: true });
  fs.rmSync(runnerTemp, { recursive: true, force: true });
  return { action: median(action), bare: median(bare), result: result ? result[1] || result[2] : '?' };
}

const st = startup();
const wasmBytes = fs.statSync(path.join(root, 'dist/cua_check_bg.wasm')).size;
const startupLine = `action start-up (node dist/index.js, one-template repository, median of 10): ${(st.action * 1000).toFixed(0)} ms; node -e 0: ${(st.bare * 1000).toFixed(0)} ms; difference ${((st.action - st.bare) * 1000).toFixed(0)} ms (result: ${st.result})`;
const startupTarget = [st.action - st.bare <= 0.05, `start-up ≤ 50 ms more than node -e 0: +${((st.action - st.bare) * 1000).toFixed(0)} ms`];
const mark = (ok) => (ok ? '✓' : '✗');
if (startupOnly) {
  console.log(startupLine);
  for (const name of ['index.js', 'cli.js']) console.log(`dist/${name}: ${fs.statSync(path.join(root, 'dist', name)).size} bytes`);
  console.log(`  ${mark(startupTarget[0])} ${startupTarget[1]}`);
  process.exit(0);
}

// ---- the table ----
const pad = (s, n, right = false) => (right ? String(s).padStart(n) : String(s).padEnd(n));
const lines = [];
lines.push(`| size | files | MB | figure | seconds | MB/s | × floor | peak RSS (MiB) |`);
lines.push(`|---|---:|---:|---|---:|---:|---:|---:|`);
for (const size of sizes) {
  const { files, bytes } = volume[size];
  const mb = bytes / 1e6;
  for (const f of FIGURES) {
    const r = results[size][f.key];
    const ratio = r.seconds / results[size].floor.seconds;
    lines.push(`| ${oneTree ? path.basename(oneTree) : `${size}×`} | ${files} | ${mb.toFixed(0)} | ${f.label} | ${r.seconds.toFixed(2)} | ${(mb / r.seconds).toFixed(0)} | ${ratio.toFixed(2)} | ${r.rssMiB.toFixed(0)} |`);
  }
}
console.log(lines.join('\n'));
console.log();

const lo = Math.min(...sizes);
const hi = Math.max(...sizes);
const perMb = (size, key) => results[size][key].seconds / (volume[size].bytes / 1e6);
const growth = (key) => ((perMb(hi, key) / perMb(lo, key) - 1) * 100);
if (!oneTree) {
  console.log(`time per MB, ${lo}× → ${hi}×:`);
  for (const f of FIGURES) {
    console.log(`  ${pad(f.label, 26)} ${(perMb(lo, f.key) * 1000).toFixed(2)} → ${(perMb(hi, f.key) * 1000).toFixed(2)} ms/MB (${growth(f.key) >= 0 ? '+' : ''}${growth(f.key).toFixed(1)} %)`);
  }
  console.log();
}
console.log(startupLine);
console.log(`dist/cua_check_bg.wasm: ${wasmBytes} bytes (${(wasmBytes / 1024).toFixed(0)} KiB)`);
console.log();

// The targets of issue 17, with paired ratios (median over rounds of each round's ratio).
const where = oneTree ? path.basename(oneTree) : `${hi}×`;
const maxRss = Math.max(...sizes.flatMap((s) => ['node', 'native'].map((k) => results[s][k].rssMiB)));
const targets = RATIOS.map(([name, , , limit]) => {
  const v = paired[hi][name];
  return [v <= limit, `${name} ≤ ${limit} at ${where}: ${v.toFixed(2)}`];
});
if (!oneTree) {
  targets.push([Math.abs(growth('node')) <= 15, `node check time per MB within ±15 % from ${lo}× to ${hi}×: ${growth('node').toFixed(1)} %`]);
  targets.push([Math.abs(growth('native')) <= 15, `native time per MB within ±15 % from ${lo}× to ${hi}×: ${growth('native').toFixed(1)} %`]);
}
targets.push([maxRss <= 200, `peak memory ≤ 200 MiB (node and native check, every size): max ${maxRss.toFixed(0)} MiB`]);
targets.push(startupTarget);
targets.push([wasmBytes <= 600 * 1000, `wasm ≤ 600 KB: ${(wasmBytes / 1000).toFixed(0)} KB`]);
console.log('targets:');
for (const [ok, text] of targets) console.log(`  ${mark(ok)} ${text}`);
