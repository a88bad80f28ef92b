#!/usr/bin/env node
'use strict';
// Command-line entry point (bundled to dist/cli.js): `cua-check check examples/`.
const jobs = require('./jobs');
// A worker thread of the parallel read runs this same file: it serves jobs instead.
if (jobs.isJobWorker()) jobs.serveJobs();
else require('./cli-main').main();
