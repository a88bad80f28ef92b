// The naive baseline: the same walk and reads as the I/O floor, plus JSON.parse of every .json
// file (what a straightforward Node implementation would do before looking for templates).
//   node bench/naive.mjs TREE
import fs from 'node:fs';
import { walk } from './walk.mjs';

let files = 0;
let parsed = 0;
let failed = 0;
walk(process.argv[2], (abs, rel) => {
  const buf = fs.readFileSync(abs);
  files += 1;
  if (rel.toLowerCase().endsWith('.json')) {
    try {
      JSON.parse(buf.toString('utf8'));
      parsed += 1;
    } catch {
      failed += 1;
    }
  }
});
console.log(JSON.stringify({ files, parsed, failed }));
