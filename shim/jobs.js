'use strict';
// Worker threads for the core's parallel read (Host::start_jobs / next_job / finish_jobs in
// src/util/host.rs). Platform only: each worker loads its own wasm core and its own host, takes
// job numbers from a shared counter, and hands back the core's answer as bytes. Which worker
// does which job does not matter: the core decodes the answers and puts them back in order
// (src/check/read.rs), and does itself any job whose worker failed.

const wt = require('worker_threads');

const FLAG = 'cuaCheckJobs';

/** Is this thread one of our workers (then the entry point serves jobs instead of running)? */
function isJobWorker() {
  return !wt.isMainThread && Boolean(wt.workerData && wt.workerData[FLAG]);
}

/** Helper threads besides the calling one: CUA_CHECK_WORKERS, else one per further core (≤ 7). */
function helperCount(env) {
  const v = env.CUA_CHECK_WORKERS;
  if (v !== undefined && v !== '') {
    const n = Number(v);
    if (Number.isInteger(n) && n >= 0) return Math.min(n, 16);
  }
  const os = require('os');
  const cores = typeof os.availableParallelism === 'function' ? os.availableParallelism() : os.cpus().length;
  return Math.max(0, Math.min(cores, 8) - 1);
}

// shared[0]: the next job number; shared[1]: workers that have started taking jobs and not yet
// answered; shared[2]: workers that have started at all.
function take(shared, jobs) {
  const i = Atomics.add(shared, 0, 1);
  return i < jobs ? i : -1;
}

/** The job methods of a host. `workerFile` is the script a worker runs (this bundle). */
function createJobs(env, workerFile = __filename, { waitForWorkers = false } = {}) {
  let batch = null;
  return {
    startJobs(request, jobs) {
      batch = null;
      const n = Math.min(helperCount(env), Math.max(0, Number(jobs) - 1));
      if (!(n > 0)) return 0;
      const shared = new Int32Array(new SharedArrayBuffer(12));
      const b = { shared, jobs: Number(jobs), ports: [], workers: [] };
      const envCopy = { ...env };
      for (let k = 0; k < n; k++) {
        try {
          const { port1, port2 } = new wt.MessageChannel();
          const w = new wt.Worker(workerFile, {
            workerData: { [FLAG]: true, request, jobs: b.jobs, shared: shared.buffer, port: port2, env: envCopy },
            transferList: [port2],
            stdout: true, // nothing a worker prints reaches the run's output
            stderr: true,
          });
          w.on('error', () => {}); // its jobs are done by the caller instead
          w.unref();
          b.ports.push(port1);
          b.workers.push(w);
        } catch {
          break;
        }
      }
      batch = b;
      // Tests: let every worker load its core and count itself in before the caller takes jobs,
      // so that the workers do some of even a small batch (never longer than 30 s).
      const until = Date.now() + 30000;
      for (let s = Atomics.load(shared, 2); waitForWorkers && s < b.workers.length && Date.now() < until; s = Atomics.load(shared, 2)) {
        Atomics.wait(shared, 2, s, 50);
      }
      return b.workers.length;
    },

    nextJob() {
      return batch ? take(batch.shared, batch.jobs) : -1;
    },

    /** Waits for the workers at work; returns their answers (Uint8Array each). */
    finishJobs() {
      const b = batch;
      batch = null;
      if (!b) return [];
      // Every job is taken (the core asked until none was left), so a worker that counts
      // itself in from now on finds none: only those counted in now are waited for.
      for (;;) {
        const active = Atomics.load(b.shared, 1);
        if (active <= 0) break;
        Atomics.wait(b.shared, 1, active, 1000);
      }
      const answers = [];
      for (const port of b.ports) {
        for (let m = wt.receiveMessageOnPort(port); m; m = wt.receiveMessageOnPort(port)) {
          if (m.message && m.message.answer instanceof Uint8Array) answers.push(m.message.answer);
        }
        port.close();
      }
      for (const w of b.workers) w.terminate().catch(() => {});
      return answers;
    },
  };
}

/** A worker's whole life: load a core, take jobs until none is left, answer. */
function serveJobs() {
  const { request, jobs, shared: buffer, port, env } = wt.workerData;
  const shared = new Int32Array(buffer);
  let core;
  let host;
  try {
    core = require('../pkg/cua_check.js');
    host = require('./host').createHost({ env });
  } catch {
    port.close(); // never counted in: the caller does not wait for this worker
    return;
  }
  host.nextJob = () => take(shared, jobs);
  Atomics.add(shared, 1, 1);
  Atomics.add(shared, 2, 1);
  Atomics.notify(shared, 2);
  try {
    const answer = core.serveJobs(request, host);
    port.postMessage({ answer }, [answer.buffer]);
  } catch {
    // no answer: the caller reads this worker's files itself
  } finally {
    Atomics.sub(shared, 1, 1);
    Atomics.notify(shared, 1);
    port.close();
  }
}

module.exports = { createJobs, isJobWorker, serveJobs, helperCount };

// Run directly as a worker script (the unbundled shim); bundles check in their entry point.
if (require.main === module && isJobWorker()) serveJobs();
