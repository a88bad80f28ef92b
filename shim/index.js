'use strict';
// GitHub Action entry point (bundled to dist/index.js). The steps live in ./action.js.
const jobs = require('./jobs');
// A worker thread of the parallel read runs this same file: it serves jobs instead.
if (jobs.isJobWorker()) jobs.serveJobs();
else require('./action').main();
