#!/usr/bin/env node
// Bundles the Node shim with esbuild:
//   shim/index.js -> <out>/index.js   (the GitHub Action entry)
//   shim/cli.js   -> <out>/cli.js     (the command line)
// and copies <pkg>/cua_check_bg.wasm next to them: the wasm-bindgen glue (bundled in)
// reads `${__dirname}/cua_check_bg.wasm`, and after bundling __dirname is <out>.
//
// Usage: node scripts/bundle.mjs [--pkg DIR] [--out DIR]   (defaults: pkg, dist)
// Output is deterministic: paths in it are relative to the repository root, no timestamps.

import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

function parseArgs(argv) {
  const opts = { pkg: 'pkg', out: 'dist' };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const m = /^--(pkg|out)(?:=(.*))?$/.exec(a);
    if (!m) throw new Error(`unknown argument: ${a} (usage: bundle.mjs [--pkg DIR] [--out DIR])`);
    const value = m[2] !== undefined ? m[2] : argv[++i];
    if (value === undefined || value === '') throw new Error(`--${m[1]} needs a directory`);
    opts[m[1]] = value;
  }
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const pkgDir = path.resolve(process.cwd(), opts.pkg);
  const outDir = path.resolve(process.cwd(), opts.out);
  const glue = path.join(pkgDir, 'cua_check.js');
  const wasm = path.join(pkgDir, 'cua_check_bg.wasm');
  for (const f of [glue, wasm]) {
    if (!fs.existsSync(f)) throw new Error(`missing ${f} (build the Rust core with wasm-pack --target nodejs first)`);
  }

  // `require('../pkg/cua_check.js')` in the shim resolves to the chosen --pkg directory.
  // It is loaded under a fixed name so the output does not depend on where --pkg is.
  const pkgPlugin = {
    name: 'cua-check-pkg',
    setup(b) {
      b.onResolve({ filter: /(^|\/)pkg\/cua_check\.js$/ }, (args) => {
        if (!args.importer.startsWith(path.join(root, 'shim') + path.sep)) return undefined;
        return { path: 'pkg/cua_check.js', namespace: 'cua-check-pkg' };
      });
      b.onLoad({ filter: /.*/, namespace: 'cua-check-pkg' }, () => ({
        contents: fs.readFileSync(glue, 'utf8'),
        loader: 'js',
        resolveDir: pkgDir,
      }));
    },
  };

  fs.mkdirSync(outDir, { recursive: true });
  const common = {
    absWorkingDir: root,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    minify: false,
    legalComments: 'eof',
    charset: 'utf8',
    sourcemap: false,
    metafile: false,
    logLevel: 'warning',
    plugins: [pkgPlugin],
  };
  for (const [entry, name] of [
    ['shim/index.js', 'index.js'],
    ['shim/cli.js', 'cli.js'],
  ]) {
    await build({ ...common, entryPoints: [path.join(root, entry)], outfile: path.join(outDir, name) });
  }
  fs.copyFileSync(wasm, path.join(outDir, 'cua_check_bg.wasm'));
  fs.chmodSync(path.join(outDir, 'cli.js'), 0o755);

  // Guard: no absolute paths of this machine in the output.
  for (const name of ['index.js', 'cli.js']) {
    const text = fs.readFileSync(path.join(outDir, name), 'utf8');
    for (const p of new Set([root, process.cwd()])) {
      if (p.length > 1 && text.includes(p)) throw new Error(`${name} contains the absolute path ${p}`);
    }
  }
}

main().catch((e) => {
  console.error(`bundle: ${e.message}`);
  process.exit(1);
});
