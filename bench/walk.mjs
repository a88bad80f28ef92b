// The walk the checker does (src/discover.rs): skip .git, node_modules and .terraform, keep the
// files it would read (src/discover.rs `classify`, src/code/mod.rs `flavor`). Shared by the
// I/O floor and the naive baseline so that both read exactly the files the checker reads.
import fs from 'node:fs';
import path from 'node:path';

const SKIPPED = new Set(['.git', 'node_modules', '.terraform']);
const CODE_EXT = new Set(['py', 'cs', 'ps1', 'psm1', 'sh', 'bash', 'zsh', 'js', 'mjs', 'cjs', 'ts', 'mts', 'cts', 'go', 'java', 'kt']);

export function isChecked(rel) {
  const lower = rel.toLowerCase();
  if (/\.(json|jsonc|bicep|tf|tfvars)$/.test(lower)) return true;
  const name = lower.slice(lower.lastIndexOf('/') + 1);
  if (name === 'dockerfile' || name.startsWith('dockerfile.') || name.endsWith('.dockerfile')) return true;
  if (name === '.env' || name.endsWith('.env')) return true;
  const dot = name.lastIndexOf('.');
  if (dot < 0) return false;
  const ext = name.slice(dot + 1);
  if (ext === 'yml' || ext === 'yaml') return rel.startsWith('.github/workflows/') || name.startsWith('azure-pipelines');
  return CODE_EXT.has(ext);
}

/** Calls `visit(absPath, relPath)` for every file the checker would read, in name order. */
export function walk(root, visit) {
  const stack = [[root, '']];
  while (stack.length) {
    const [abs, rel] = stack.pop();
    const entries = fs.readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const dirs = [];
    for (const e of entries) {
      const a = path.join(abs, e.name);
      const r = rel ? `${rel}/${e.name}` : e.name;
      if (e.isDirectory()) {
        if (!SKIPPED.has(e.name)) dirs.push([a, r]);
      } else if (e.isFile() && isChecked(r)) {
        visit(a, r);
      }
    }
    for (let i = dirs.length - 1; i >= 0; i--) stack.push(dirs[i]);
  }
}
