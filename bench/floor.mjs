// The I/O floor: walk the tree as the checker does and read every file it would read, fully.
//   node bench/floor.mjs TREE
import fs from 'node:fs';
import { walk } from './walk.mjs';

let files = 0;
let bytes = 0;
walk(process.argv[2], (abs) => {
  bytes += fs.readFileSync(abs).length;
  files += 1;
});
console.log(JSON.stringify({ files, bytes }));
