'use strict';
// What the shim needs to know of the loaded wasm core beyond its exports.

/** The message of the last Rust panic the core recorded, if any (never throws). */
function lastPanicOf(core) {
  try {
    const p = core && typeof core.lastPanic === 'function' ? core.lastPanic() : undefined;
    return typeof p === 'string' && p !== '' ? p : undefined;
  } catch {
    return undefined;
  }
}

module.exports = { lastPanicOf };
