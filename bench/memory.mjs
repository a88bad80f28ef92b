// Peak memory at the default size limit (issue 16): generates three worst-case shapes just under
// `max-file-size` (32 MiB) into a temporary folder, runs `check DIR --format json --no-config` on each with the
// native binary and with `node dist/cli.js` under /usr/bin/time, and prints the peak RSS against the 200 MiB
// target. Figures only, no assertion in the test suite (memory depends on the machine and allocator).
//   node bench/memory.mjs [--bin target/release/cua-check] [--cli dist/cli.js] [--only a,b,c] [--keep]
//   scripts/bench --memory   builds the binary (and dist/ when missing) first
// Shapes:
//   a  mainTemplate.json, 31 MiB ARM template: ~150k storage accounts, each a concat() name, small properties
//   b  azuredeploy.json, ~9.7 MB: a variable holding an array of 2.5 M numbers, plus one tracking deployment
//   c  main.bicep, 31 MiB Bicep: ~205k small `resource` declarations
// Exits 1 when a run is over the target (or fails to run), so it can gate a manual check.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const here = path.dirname(new URL(import.meta.url).pathname);
const root = path.resolve(here, '..');
const argv = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? argv[i + 1] : dflt;
};
const bin = path.resolve(opt('bin', path.join(process.env.CARGO_TARGET_DIR || path.join(root, 'target'), 'release', 'cua-check')));
const cli = path.resolve(opt('cli', path.join(root, 'dist', 'cli.js')));
const only = opt('only', 'a,b,c').split(',');
const keep = argv.includes('--keep');
const LIMIT = 32 * 1024 * 1024;
const TARGET_KIB = 200 * 1024;

/** Writes pieces produced by `next(i)` until the next one would pass `limit` bytes (with `tail`). */
function fill(file, head, next, sep, tail, limit) {
  const chunks = [head];
  let size = Buffer.byteLength(head) + Buffer.byteLength(tail);
  for (let i = 0; ; i++) {
    const piece = (i ? sep : '') + next(i);
    const n = Buffer.byteLength(piece);
    if (size + n > limit) break;
    chunks.push(piece);
    size += n;
  }
  chunks.push(tail);
  fs.writeFileSync(file, chunks.join(''));
}

const SCHEMA = 'https://schema.management.azure.com/schemas/2019-04-01/deploymentTemplate.json#';
const shapes = {
  a: (dir) =>
    fill(
      path.join(dir, 'mainTemplate.json'),
      `{"$schema":"${SCHEMA}","contentVersion":"1.0.0.0","parameters":{"p":{"type":"string","defaultValue":"x"}},"resources":[`,
      (i) =>
        `{"type":"Microsoft.Storage/storageAccounts","apiVersion":"2023-01-01","name":"[concat(parameters('p'), '${i}')]",` +
        `"location":"[resourceGroup().location]","properties":{"a":[1,2,3,{"b":"c"}],"tags":{"k":"v${i}"}}}`,
      ',',
      ']}',
      LIMIT - 1024 * 1024,
    ),
  b: (dir) => {
    const nums = [];
    for (let i = 0; i < 2_500_000; i++) nums.push(i % 1000);
    const tracking =
      '{"type":"Microsoft.Resources/deployments","apiVersion":"2021-04-01","name":"pid-7867e591-c1ee-4530-bed8-7387ab893a26",' +
      `"properties":{"mode":"Incremental","template":{"$schema":"${SCHEMA}","contentVersion":"1.0.0.0","resources":[]}}}`;
    fs.writeFileSync(
      path.join(dir, 'azuredeploy.json'),
      `{"$schema":"${SCHEMA}","contentVersion":"1.0.0.0","variables":{"big":[${nums.join(',')}]},"resources":[${tracking}]}`,
    );
  },
  c: (dir) =>
    fill(
      path.join(dir, 'main.bicep'),
      "param p string = 'x'\n",
      (i) =>
        `resource s${i} 'Microsoft.Storage/storageAccounts@2023-01-01' = {\n  name: '\${p}${i}'\n` +
        `  location: resourceGroup().location\n  properties: { a: [1, 2, 3] }\n}\n`,
      '',
      '',
      LIMIT - 1024 * 1024,
    ),
};

function measure(cmd, args) {
  const r = spawnSync('/usr/bin/time', ['-f', '%e %M', cmd, ...args], { encoding: 'utf8', maxBuffer: 1 << 30 });
  const last = (r.stderr || '').trim().split('\n').pop() || '';
  const [secs, kib] = last.split(' ').map(Number);
  // `check` exits 1 when it finds something (these shapes have findings); 2 and above is a failure.
  if (r.error || !(r.status === 0 || r.status === 1) || !Number.isFinite(kib)) {
    return { error: (r.error && r.error.message) || `exit ${r.status}: ${(r.stderr || '').slice(0, 400)}` };
  }
  return { secs, kib };
}

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cua-mem-'));
let failed = false;
console.log(`peak RSS of \`check DIR --format json --no-config\` (target ≤ 200 MiB)`);
console.log(`${'shape'.padEnd(44)} ${'native'.padStart(18)} ${'node'.padStart(18)}`);
try {
  for (const k of only) {
    const dir = path.join(tmp, k);
    fs.mkdirSync(dir);
    shapes[k](dir);
    const file = fs.readdirSync(dir)[0];
    const mib = fs.statSync(path.join(dir, file)).size / 1048576;
    const cells = [];
    for (const [cmd, args] of [
      [bin, []],
      [process.execPath, [cli]],
    ]) {
      if (!fs.existsSync(args[0] || cmd)) {
        cells.push('missing'.padStart(18));
        failed = true;
        continue;
      }
      const m = measure(cmd, [...args, 'check', dir, '--format', 'json', '--no-config']);
      if (m.error) {
        cells.push('error'.padStart(18));
        console.error(`${k}: ${m.error}`);
        failed = true;
        continue;
      }
      const ok = m.kib <= TARGET_KIB;
      failed ||= !ok;
      cells.push(`${(m.kib / 1024).toFixed(0)} MiB ${m.secs.toFixed(1)} s ${ok ? '✓' : '✗'}`.padStart(18));
    }
    console.log(`${`${k} ${file} (${mib.toFixed(1)} MiB)`.padEnd(44)} ${cells.join(' ')}`);
  }
} finally {
  if (keep) console.log(`kept ${tmp}`);
  else fs.rmSync(tmp, { recursive: true, force: true });
}
process.exit(failed ? 1 : 0);
