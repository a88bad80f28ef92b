#!/usr/bin/env node
"use strict";
var __getOwnPropNames = Object.getOwnPropertyNames;
var __commonJS = (cb, mod) => function __require() {
  try {
    return mod || (0, cb[__getOwnPropNames(cb)[0]])((mod = { exports: {} }).exports, mod), mod.exports;
  } catch (e) {
    throw mod = 0, e;
  }
};

// cua-check-pkg:pkg/cua_check.js
var require_cua_check = __commonJS({
  "cua-check-pkg:pkg/cua_check.js"(exports2) {
    function action(step, request, host) {
      let deferred3_0;
      let deferred3_1;
      try {
        const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
        const ptr0 = passStringToWasm0(step, wasm.__wbindgen_export, wasm.__wbindgen_export2);
        const len0 = WASM_VECTOR_LEN;
        const ptr1 = passStringToWasm0(request, wasm.__wbindgen_export, wasm.__wbindgen_export2);
        const len1 = WASM_VECTOR_LEN;
        wasm.action(retptr, ptr0, len0, ptr1, len1, addHeapObject(host));
        var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);
        var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);
        deferred3_0 = r0;
        deferred3_1 = r1;
        return getStringFromWasm0(r0, r1);
      } finally {
        wasm.__wbindgen_add_to_stack_pointer(16);
        wasm.__wbindgen_export4(deferred3_0, deferred3_1, 1);
      }
    }
    exports2.action = action;
    function lastPanic() {
      try {
        const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
        wasm.lastPanic(retptr);
        var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);
        var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);
        let v1;
        if (r0 !== 0) {
          v1 = getStringFromWasm0(r0, r1);
          wasm.__wbindgen_export4(r0, r1 * 1, 1);
        }
        return v1;
      } finally {
        wasm.__wbindgen_add_to_stack_pointer(16);
      }
    }
    exports2.lastPanic = lastPanic;
    function runCli(args, host) {
      try {
        const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
        const ptr0 = passArrayJsValueToWasm0(args, wasm.__wbindgen_export);
        const len0 = WASM_VECTOR_LEN;
        wasm.runCli(retptr, ptr0, len0, addHeapObject(host));
        var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);
        var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);
        var r2 = getDataViewMemory0().getInt32(retptr + 4 * 2, true);
        if (r2) {
          throw takeObject(r1);
        }
        return takeObject(r0);
      } finally {
        wasm.__wbindgen_add_to_stack_pointer(16);
      }
    }
    exports2.runCli = runCli;
    function serveJobs(request, host) {
      try {
        const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
        const ptr0 = passArray8ToWasm0(request, wasm.__wbindgen_export);
        const len0 = WASM_VECTOR_LEN;
        wasm.serveJobs(retptr, ptr0, len0, addHeapObject(host));
        var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);
        var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);
        var r2 = getDataViewMemory0().getInt32(retptr + 4 * 2, true);
        var r3 = getDataViewMemory0().getInt32(retptr + 4 * 3, true);
        if (r3) {
          throw takeObject(r2);
        }
        var v2 = getArrayU8FromWasm0(r0, r1).slice();
        wasm.__wbindgen_export4(r0, r1 * 1, 1);
        return v2;
      } finally {
        wasm.__wbindgen_add_to_stack_pointer(16);
      }
    }
    exports2.serveJobs = serveJobs;
    function verifyStart(args, host) {
      let deferred2_0;
      let deferred2_1;
      try {
        const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
        const ptr0 = passArrayJsValueToWasm0(args, wasm.__wbindgen_export);
        const len0 = WASM_VECTOR_LEN;
        wasm.verifyStart(retptr, ptr0, len0, addHeapObject(host));
        var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);
        var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);
        deferred2_0 = r0;
        deferred2_1 = r1;
        return getStringFromWasm0(r0, r1);
      } finally {
        wasm.__wbindgen_add_to_stack_pointer(16);
        wasm.__wbindgen_export4(deferred2_0, deferred2_1, 1);
      }
    }
    exports2.verifyStart = verifyStart;
    function verifyStep(state, response) {
      let deferred3_0;
      let deferred3_1;
      try {
        const retptr = wasm.__wbindgen_add_to_stack_pointer(-16);
        const ptr0 = passStringToWasm0(state, wasm.__wbindgen_export, wasm.__wbindgen_export2);
        const len0 = WASM_VECTOR_LEN;
        var ptr1 = isLikeNone(response) ? 0 : passStringToWasm0(response, wasm.__wbindgen_export, wasm.__wbindgen_export2);
        var len1 = WASM_VECTOR_LEN;
        wasm.verifyStep(retptr, ptr0, len0, ptr1, len1);
        var r0 = getDataViewMemory0().getInt32(retptr + 4 * 0, true);
        var r1 = getDataViewMemory0().getInt32(retptr + 4 * 1, true);
        deferred3_0 = r0;
        deferred3_1 = r1;
        return getStringFromWasm0(r0, r1);
      } finally {
        wasm.__wbindgen_add_to_stack_pointer(16);
        wasm.__wbindgen_export4(deferred3_0, deferred3_1, 1);
      }
    }
    exports2.verifyStep = verifyStep;
    function __wbg_get_imports() {
      const import0 = {
        __proto__: null,
        __wbg___wbindgen_boolean_get_5b446f51afd21013: function(arg0) {
          const v = getObject(arg0);
          const ret = typeof v === "boolean" ? v : void 0;
          return isLikeNone(ret) ? 16777215 : ret ? 1 : 0;
        },
        __wbg___wbindgen_debug_string_4687d8d8c2017d52: function(arg0, arg1) {
          const ret = debugString(getObject(arg1));
          const ptr1 = passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
          const len1 = WASM_VECTOR_LEN;
          getDataViewMemory0().setInt32(arg0 + 4 * 1, len1, true);
          getDataViewMemory0().setInt32(arg0 + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_is_function_1f9d30630b8b1d3d: function(arg0) {
          const ret = typeof getObject(arg0) === "function";
          return ret;
        },
        __wbg___wbindgen_is_null_e343b7d08827ba72: function(arg0) {
          const ret = getObject(arg0) === null;
          return ret;
        },
        __wbg___wbindgen_is_undefined_8865fb403f8fe9d8: function(arg0) {
          const ret = getObject(arg0) === void 0;
          return ret;
        },
        __wbg___wbindgen_number_get_2e0e7dee9f701a71: function(arg0, arg1) {
          const obj = getObject(arg1);
          const ret = typeof obj === "number" ? obj : void 0;
          getDataViewMemory0().setFloat64(arg0 + 8 * 1, isLikeNone(ret) ? 0 : ret, true);
          getDataViewMemory0().setInt32(arg0 + 4 * 0, !isLikeNone(ret), true);
        },
        __wbg___wbindgen_string_get_0380ccaa2f57f0d9: function(arg0, arg1) {
          const obj = getObject(arg1);
          const ret = typeof obj === "string" ? obj : void 0;
          var ptr1 = isLikeNone(ret) ? 0 : passStringToWasm0(ret, wasm.__wbindgen_export, wasm.__wbindgen_export2);
          var len1 = WASM_VECTOR_LEN;
          getDataViewMemory0().setInt32(arg0 + 4 * 1, len1, true);
          getDataViewMemory0().setInt32(arg0 + 4 * 0, ptr1, true);
        },
        __wbg___wbindgen_throw_41e9ee4f547fc59a: function(arg0, arg1) {
          throw new Error(getStringFromWasm0(arg0, arg1));
        },
        __wbg_call_1875a20c43a36133: function() {
          return handleError(function(arg0, arg1, arg2, arg3) {
            const ret = getObject(arg0).call(getObject(arg1), getObject(arg2), getObject(arg3));
            return addHeapObject(ret);
          }, arguments);
        },
        __wbg_call_187d372bd5fdd4aa: function() {
          return handleError(function(arg0, arg1, arg2) {
            const ret = getObject(arg0).call(getObject(arg1), getObject(arg2));
            return addHeapObject(ret);
          }, arguments);
        },
        __wbg_call_6137034ef55c9d0f: function() {
          return handleError(function(arg0, arg1) {
            const ret = getObject(arg0).call(getObject(arg1));
            return addHeapObject(ret);
          }, arguments);
        },
        __wbg_call_939a2607c4484b0b: function() {
          return handleError(function(arg0, arg1, arg2, arg3, arg4) {
            const ret = getObject(arg0).call(getObject(arg1), getObject(arg2), getObject(arg3), getObject(arg4));
            return addHeapObject(ret);
          }, arguments);
        },
        __wbg_get_31af05bd4842a84f: function() {
          return handleError(function(arg0, arg1) {
            const ret = Reflect.get(getObject(arg0), getObject(arg1));
            return addHeapObject(ret);
          }, arguments);
        },
        __wbg_get_6c896e0571ddae51: function(arg0, arg1) {
          const ret = getObject(arg0)[arg1 >>> 0];
          return addHeapObject(ret);
        },
        __wbg_get_unchecked_288889d017702237: function(arg0, arg1) {
          const ret = getObject(arg0)[arg1 >>> 0];
          return addHeapObject(ret);
        },
        __wbg_instanceof_Uint8Array_828cef2aaacafc31: function(arg0) {
          let result;
          try {
            result = getObject(arg0) instanceof Uint8Array;
          } catch (_) {
            result = false;
          }
          const ret = result;
          return ret;
        },
        __wbg_isArray_e15a2ff68ffdbef2: function(arg0) {
          const ret = Array.isArray(getObject(arg0));
          return ret;
        },
        __wbg_length_7f3c00c40364105e: function(arg0) {
          const ret = getObject(arg0).length;
          return ret;
        },
        __wbg_length_d4bdea10311bd9cf: function(arg0) {
          const ret = getObject(arg0).length;
          return ret;
        },
        __wbg_new_617a8cdb8bb1130e: function() {
          const ret = new Object();
          return addHeapObject(ret);
        },
        __wbg_new_from_slice_9a868026ffa4208a: function(arg0, arg1) {
          const ret = new Uint8Array(getArrayU8FromWasm0(arg0, arg1));
          return addHeapObject(ret);
        },
        __wbg_prototypesetcall_bc27214492979395: function(arg0, arg1, arg2) {
          Uint8Array.prototype.set.call(getArrayU8FromWasm0(arg0, arg1), getObject(arg2));
        },
        __wbg_set_145a351398b48c65: function() {
          return handleError(function(arg0, arg1, arg2) {
            const ret = Reflect.set(getObject(arg0), getObject(arg1), getObject(arg2));
            return ret;
          }, arguments);
        },
        __wbg_slice_1083d97be26bd472: function(arg0, arg1, arg2) {
          const ret = getObject(arg0).slice(arg1 >>> 0, arg2 >>> 0);
          return addHeapObject(ret);
        },
        __wbindgen_generic_0000000000000001: function(arg0) {
          const ret = arg0;
          return addHeapObject(ret);
        },
        __wbindgen_generic_0000000000000002: function(arg0, arg1) {
          const ret = getStringFromWasm0(arg0, arg1);
          return addHeapObject(ret);
        },
        __wbindgen_object_drop_ref: function(arg0) {
          takeObject(arg0);
        }
      };
      return {
        __proto__: null,
        "./cua_check_bg.js": import0
      };
    }
    function addHeapObject(obj) {
      if (heap_next === heap.length) heap.push(heap.length + 1);
      const idx = heap_next;
      heap_next = heap[idx];
      heap[idx] = obj;
      return idx;
    }
    function debugString(val) {
      const type = typeof val;
      if (type == "number" || type == "boolean" || val == null) {
        return `${val}`;
      }
      if (type == "string") {
        return `"${val}"`;
      }
      if (type == "symbol") {
        const description = val.description;
        if (description == null) {
          return "Symbol";
        } else {
          return `Symbol(${description})`;
        }
      }
      if (type == "function") {
        const name = val.name;
        if (typeof name == "string" && name.length > 0) {
          return `Function(${name})`;
        } else {
          return "Function";
        }
      }
      if (Array.isArray(val)) {
        const length = val.length;
        let debug = "[";
        if (length > 0) {
          debug += debugString(val[0]);
        }
        for (let i = 1; i < length; i++) {
          debug += ", " + debugString(val[i]);
        }
        debug += "]";
        return debug;
      }
      const builtInMatches = /\[object ([^\]]+)\]/.exec(toString.call(val));
      let className;
      if (builtInMatches && builtInMatches.length > 1) {
        className = builtInMatches[1];
      } else {
        return toString.call(val);
      }
      if (className == "Object") {
        try {
          return "Object(" + JSON.stringify(val) + ")";
        } catch (_) {
          return "Object";
        }
      }
      if (val instanceof Error) {
        return `${val.name}: ${val.message}
${val.stack}`;
      }
      return className;
    }
    function dropObject(idx) {
      if (idx < 1028) return;
      heap[idx] = heap_next;
      heap_next = idx;
    }
    function getArrayU8FromWasm0(ptr, len) {
      ptr = ptr >>> 0;
      return getUint8ArrayMemory0().subarray(ptr / 1, ptr / 1 + len);
    }
    var cachedDataViewMemory0 = null;
    function getDataViewMemory0() {
      if (cachedDataViewMemory0 === null || cachedDataViewMemory0.buffer.detached === true || cachedDataViewMemory0.buffer.detached === void 0 && cachedDataViewMemory0.buffer !== wasm.memory.buffer) {
        cachedDataViewMemory0 = new DataView(wasm.memory.buffer);
      }
      return cachedDataViewMemory0;
    }
    function getStringFromWasm0(ptr, len) {
      return decodeText(ptr >>> 0, len);
    }
    var cachedUint8ArrayMemory0 = null;
    function getUint8ArrayMemory0() {
      if (cachedUint8ArrayMemory0 === null || cachedUint8ArrayMemory0.byteLength === 0) {
        cachedUint8ArrayMemory0 = new Uint8Array(wasm.memory.buffer);
      }
      return cachedUint8ArrayMemory0;
    }
    function getObject(idx) {
      return heap[idx];
    }
    function handleError(f, args) {
      try {
        return f.apply(this, args);
      } catch (e) {
        wasm.__wbindgen_export3(addHeapObject(e));
      }
    }
    var heap = new Array(1024).fill(void 0);
    heap.push(void 0, null, true, false);
    var heap_next = heap.length;
    function isLikeNone(x) {
      return x === void 0 || x === null;
    }
    function passArray8ToWasm0(arg, malloc) {
      const ptr = malloc(arg.length * 1, 1) >>> 0;
      getUint8ArrayMemory0().set(arg, ptr / 1);
      WASM_VECTOR_LEN = arg.length;
      return ptr;
    }
    function passArrayJsValueToWasm0(array, malloc) {
      const ptr = malloc(array.length * 4, 4) >>> 0;
      const mem = getDataViewMemory0();
      for (let i = 0; i < array.length; i++) {
        mem.setUint32(ptr + 4 * i, addHeapObject(array[i]), true);
      }
      WASM_VECTOR_LEN = array.length;
      return ptr;
    }
    function passStringToWasm0(arg, malloc, realloc) {
      if (realloc === void 0) {
        const buf = cachedTextEncoder.encode(arg);
        const ptr2 = malloc(buf.length, 1) >>> 0;
        getUint8ArrayMemory0().subarray(ptr2, ptr2 + buf.length).set(buf);
        WASM_VECTOR_LEN = buf.length;
        return ptr2;
      }
      let len = arg.length;
      let ptr = malloc(len, 1) >>> 0;
      const mem = getUint8ArrayMemory0();
      let offset = 0;
      for (; offset < len; offset++) {
        const code = arg.charCodeAt(offset);
        if (code > 127) break;
        mem[ptr + offset] = code;
      }
      if (offset !== len) {
        if (offset !== 0) {
          arg = arg.slice(offset);
        }
        ptr = realloc(ptr, len, len = offset + arg.length * 3, 1) >>> 0;
        const view = getUint8ArrayMemory0().subarray(ptr + offset, ptr + len);
        const ret = cachedTextEncoder.encodeInto(arg, view);
        offset += ret.written;
        ptr = realloc(ptr, len, offset, 1) >>> 0;
      }
      WASM_VECTOR_LEN = offset;
      return ptr;
    }
    function takeObject(idx) {
      const ret = getObject(idx);
      dropObject(idx);
      return ret;
    }
    var cachedTextDecoder = new TextDecoder("utf-8", { ignoreBOM: true, fatal: true });
    cachedTextDecoder.decode();
    function decodeText(ptr, len) {
      return cachedTextDecoder.decode(getUint8ArrayMemory0().subarray(ptr, ptr + len));
    }
    var cachedTextEncoder = new TextEncoder();
    if (!("encodeInto" in cachedTextEncoder)) {
      cachedTextEncoder.encodeInto = function(arg, view) {
        const buf = cachedTextEncoder.encode(arg);
        view.set(buf);
        return {
          read: arg.length,
          written: buf.length
        };
      };
    }
    var WASM_VECTOR_LEN = 0;
    var wasmPath = `${__dirname}/cua_check_bg.wasm`;
    var wasmBytes = require("fs").readFileSync(wasmPath);
    var wasmModule = new WebAssembly.Module(wasmBytes);
    var wasmInstance = new WebAssembly.Instance(wasmModule, __wbg_get_imports());
    var wasm = wasmInstance.exports;
  }
});

// shim/host.js
var require_host = __commonJS({
  "shim/host.js"(exports2, module2) {
    "use strict";
    var fs = require("fs");
    var { createJobs } = require_jobs();
    function direntKind(d) {
      if (d.isSymbolicLink()) return "link";
      if (d.isFile()) return "file";
      if (d.isDirectory()) return "dir";
      return "other";
    }
    function statsKind(st) {
      if (st.isSymbolicLink()) return "link";
      if (st.isFile()) return "file";
      if (st.isDirectory()) return "dir";
      return "other";
    }
    function toUint8(buf, length) {
      const out = new Uint8Array(length);
      out.set(buf.subarray(0, length));
      return out;
    }
    function limitToNumber(limit) {
      if (limit === void 0 || limit === null) return Infinity;
      const n = Number(limit);
      if (Number.isNaN(n) || n < 0) return Infinity;
      return n;
    }
    function fdSize(fd) {
      try {
        return fs.fstatSync(fd).size;
      } catch {
        return 0;
      }
    }
    function readFd(fd, max, size, copy = true) {
      let cap = Math.min(max, size > 0 ? size : 65536);
      if (cap === 0 && max > 0) cap = Math.min(max, 65536);
      let buf = Buffer.allocUnsafe(cap);
      let total = 0;
      while (total < max) {
        if (total === buf.length) {
          const probe = Buffer.allocUnsafe(Math.min(65536, max - total));
          const m = fs.readSync(fd, probe, 0, probe.length, null);
          if (m === 0) break;
          const bigger = Buffer.allocUnsafe(Math.min(max, Math.max(buf.length * 2, total + m)));
          buf.copy(bigger, 0, 0, total);
          probe.copy(bigger, total, 0, m);
          buf = bigger;
          total += m;
          continue;
        }
        const n = fs.readSync(fd, buf, total, buf.length - total, null);
        if (n === 0) break;
        total += n;
      }
      return copy ? toUint8(buf, total) : buf.subarray(0, total);
    }
    function replaceFile(path, data) {
      const nodePath = require("path");
      let target = path;
      try {
        if (fs.lstatSync(path).isSymbolicLink()) target = fs.realpathSync.native(path);
      } catch (e) {
        if (e.code !== "ENOENT") throw e;
      }
      let st = null;
      try {
        st = fs.statSync(target);
      } catch (e) {
        if (e.code !== "ENOENT") throw e;
      }
      if (st && !st.isFile()) throw new Error("not a regular file; not written");
      const dir = nodePath.dirname(target);
      const base = nodePath.basename(target);
      let tmp;
      let fd = null;
      for (let tries = 0; fd === null; tries++) {
        tmp = nodePath.join(dir, `.${base}.cua-check-${process.pid}-${require("crypto").randomBytes(4).toString("hex")}.tmp`);
        try {
          fd = fs.openSync(tmp, "wx", 384);
        } catch (e) {
          if (e.code !== "EEXIST" || tries >= 16) {
            throw new Error(`no temporary file could be created next to it: ${e.message}`);
          }
        }
      }
      try {
        let off = 0;
        while (off < data.length) off += fs.writeSync(fd, data, off, data.length - off);
        if (st) {
          try {
            fs.fchownSync(fd, st.uid, st.gid);
          } catch {
          }
          fs.fchmodSync(fd, st.mode & 4095);
        }
        fs.fsyncSync(fd);
        fs.closeSync(fd);
        fd = null;
        fs.renameSync(tmp, target);
      } catch (e) {
        if (fd !== null) {
          try {
            fs.closeSync(fd);
          } catch {
          }
        }
        try {
          fs.unlinkSync(tmp);
        } catch {
        }
        throw e;
      }
      try {
        const d = fs.openSync(dir, "r");
        try {
          fs.fsyncSync(d);
        } finally {
          fs.closeSync(d);
        }
      } catch {
      }
    }
    function createHost(options = {}) {
      const env = options.env || process.env;
      const stdout = options.stdout || process.stdout;
      return {
        /** @returns {Array<[string, 'file'|'dir'|'link'|'other']>} throws on error */
        readDir(path) {
          const entries = fs.readdirSync(path, { withFileTypes: true }).map((d) => [d.name, direntKind(d)]);
          if (!entries.some((e) => e[0].includes("�"))) return entries;
          return fs.readdirSync(path, { withFileTypes: true, encoding: "buffer" }).map((d) => {
            const name = d.name.toString("utf8");
            if (Buffer.from(name, "utf8").equals(d.name)) return [name, direntKind(d)];
            let dir = d.isDirectory();
            if (d.isSymbolicLink()) {
              try {
                dir = fs.statSync(Buffer.concat([Buffer.from(`${path}/`), d.name])).isDirectory();
              } catch {
                dir = false;
              }
            }
            return [name, dir ? "undecodable-dir" : "undecodable-file", new Uint8Array(d.name)];
          });
        },
        /** Follows links. null when missing, dangling, looping or otherwise not stat-able. */
        stat(path) {
          try {
            const st = fs.statSync(path, { throwIfNoEntry: false });
            if (!st) return null;
            const kind = statsKind(st);
            return { kind: kind === "link" ? "other" : kind, size: st.size };
          } catch {
            return null;
          }
        },
        lstatKind(path) {
          try {
            const st = fs.lstatSync(path, { throwIfNoEntry: false });
            return st ? statsKind(st) : null;
          } catch {
            return null;
          }
        },
        realpath(path) {
          try {
            return fs.realpathSync.native(path);
          } catch {
            return null;
          }
        },
        /** Reads at most `limit` bytes. Throws an Error with the OS message (e.g. EACCES). */
        readFile(path, limit) {
          const fd = fs.openSync(path, "r");
          try {
            return readFd(fd, limitToNumber(limit), fdSize(fd));
          } finally {
            fs.closeSync(fd);
          }
        },
        /**
         * Opens a file, learns its size, and reads its first `max` bytes, or nothing when the size
         * is over `limit`: `{ bytes, size }`. One open for both (no separate stat).
         */
        readStart(path, max, limit) {
          const fd = fs.openSync(path, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK || 0));
          try {
            const st = fs.fstatSync(fd);
            if (!st.isFile()) throw new Error("not a regular file (a FIFO, device or socket); not read");
            const size = st.size;
            if (size > limitToNumber(limit)) return { bytes: new Uint8Array(0), size };
            const bytes = readFd(fd, limitToNumber(max), size, false);
            return { bytes, size: Math.max(size, bytes.length) };
          } finally {
            fs.closeSync(fd);
          }
        },
        /**
         * Replaces a file atomically (see replaceFile). Throws with the OS message; then the file
         * is unchanged.
         */
        writeFile(path, bytes) {
          replaceFile(path, typeof bytes === "string" ? Buffer.from(bytes) : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength));
        },
        env(name) {
          const v = env[name];
          return v === void 0 ? void 0 : String(v);
        },
        isTty() {
          return Boolean(stdout && stdout.isTTY);
        },
        randomBytes() {
          return new Uint8Array(require("crypto").randomBytes(16));
        },
        cwd() {
          return process.cwd();
        },
        // startJobs / nextJob / finishJobs: worker threads for the core's parallel read.
        ...createJobs(env, options.workerFile, { waitForWorkers: options.waitForWorkers })
      };
    }
    module2.exports = { createHost, replaceFile };
  }
});

// shim/jobs.js
var require_jobs = __commonJS({
  "shim/jobs.js"(exports2, module2) {
    "use strict";
    var wt = require("worker_threads");
    var FLAG = "cuaCheckJobs";
    function isJobWorker() {
      return !wt.isMainThread && Boolean(wt.workerData && wt.workerData[FLAG]);
    }
    function helperCount(env) {
      const v = env.CUA_CHECK_WORKERS;
      if (v !== void 0 && v !== "") {
        const n = Number(v);
        if (Number.isInteger(n) && n >= 0) return Math.min(n, 16);
      }
      const os = require("os");
      const cores = typeof os.availableParallelism === "function" ? os.availableParallelism() : os.cpus().length;
      return Math.max(0, Math.min(cores, 8) - 1);
    }
    function take(shared, jobs2) {
      const i = Atomics.add(shared, 0, 1);
      return i < jobs2 ? i : -1;
    }
    function createJobs(env, workerFile = __filename, { waitForWorkers = false } = {}) {
      let batch = null;
      return {
        startJobs(request, jobs2) {
          batch = null;
          const n = Math.min(helperCount(env), Math.max(0, Number(jobs2) - 1));
          if (!(n > 0)) return 0;
          const shared = new Int32Array(new SharedArrayBuffer(12));
          const b = { shared, jobs: Number(jobs2), ports: [], workers: [] };
          const envCopy = { ...env };
          for (let k = 0; k < n; k++) {
            try {
              const { port1, port2 } = new wt.MessageChannel();
              const w = new wt.Worker(workerFile, {
                workerData: { [FLAG]: true, request, jobs: b.jobs, shared: shared.buffer, port: port2, env: envCopy },
                transferList: [port2],
                stdout: true,
                // nothing a worker prints reaches the run's output
                stderr: true
              });
              w.on("error", () => {
              });
              w.unref();
              b.ports.push(port1);
              b.workers.push(w);
            } catch {
              break;
            }
          }
          batch = b;
          const until = Date.now() + 3e4;
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
          for (; ; ) {
            const active = Atomics.load(b.shared, 1);
            if (active <= 0) break;
            Atomics.wait(b.shared, 1, active, 1e3);
          }
          const answers = [];
          for (const port of b.ports) {
            for (let m = wt.receiveMessageOnPort(port); m; m = wt.receiveMessageOnPort(port)) {
              if (m.message && m.message.answer instanceof Uint8Array) answers.push(m.message.answer);
            }
            port.close();
          }
          for (const w of b.workers) w.terminate().catch(() => {
          });
          return answers;
        }
      };
    }
    function serveJobs() {
      const { request, jobs: jobs2, shared: buffer, port, env } = wt.workerData;
      const shared = new Int32Array(buffer);
      let core;
      let host;
      try {
        core = require_cua_check();
        host = require_host().createHost({ env });
      } catch {
        port.close();
        return;
      }
      host.nextJob = () => take(shared, jobs2);
      Atomics.add(shared, 1, 1);
      Atomics.add(shared, 2, 1);
      Atomics.notify(shared, 2);
      try {
        const answer = core.serveJobs(request, host);
        port.postMessage({ answer }, [answer.buffer]);
      } catch {
      } finally {
        Atomics.sub(shared, 1, 1);
        Atomics.notify(shared, 1);
        port.close();
      }
    }
    module2.exports = { createJobs, isJobWorker, serveJobs, helperCount };
    if (require.main === module2 && isJobWorker()) serveJobs();
  }
});

// shim/core.js
var require_core = __commonJS({
  "shim/core.js"(exports2, module2) {
    "use strict";
    function lastPanicOf(core) {
      try {
        const p = core && typeof core.lastPanic === "function" ? core.lastPanic() : void 0;
        return typeof p === "string" && p !== "" ? p : void 0;
      } catch {
        return void 0;
      }
    }
    module2.exports = { lastPanicOf };
  }
});

// shim/http.js
var require_http = __commonJS({
  "shim/http.js"(exports2, module2) {
    "use strict";
    var loaded = null;
    function mods() {
      if (!loaded) loaded = { http: require("http"), https: require("https"), net: require("net"), tls: require("tls") };
      return loaded;
    }
    var DEFAULT_TIMEOUT_MS = 6e4;
    var DEFAULT_MAX_BODY = 32 * 1024 * 1024;
    var REDIRECT_CODES = /* @__PURE__ */ new Set([301, 302, 303, 307, 308]);
    var HttpError = class extends Error {
      constructor(message, code) {
        super(message);
        this.name = "HttpError";
        this.code = code || "EREQUEST";
      }
    };
    function envValue(env, a, b) {
      for (const name of [a, b]) {
        const v = env[name];
        if (v !== void 0 && v !== null && String(v).trim() !== "") return { name, value: String(v).trim() };
      }
      return null;
    }
    function isLoopbackAddress(host) {
      const h = host.toLowerCase();
      return h === "localhost" || h.startsWith("127.") || h.startsWith("[::1]") || h.startsWith("[0:0:0:0:0:0:0:1]");
    }
    function checkBypass(url, env = process.env) {
      if (!url.hostname) return false;
      if (isLoopbackAddress(url.hostname)) return true;
      const noProxy = env.no_proxy || env.NO_PROXY || "";
      if (!noProxy) return false;
      let port;
      if (url.port) port = Number(url.port);
      else if (url.protocol === "http:") port = 80;
      else if (url.protocol === "https:") port = 443;
      const hosts = [url.hostname.toUpperCase()];
      if (typeof port === "number") hosts.push(`${hosts[0]}:${port}`);
      for (const item of noProxy.split(",").map((x) => x.trim().toUpperCase()).filter((x) => x)) {
        if (item === "*" || hosts.some((x) => x === item || x.endsWith(`.${item}`) || item.startsWith(".") && x.endsWith(item))) return true;
      }
      return false;
    }
    function proxyFor(url, env = process.env) {
      if (checkBypass(url, env)) return null;
      const found = url.protocol === "https:" ? envValue(env, "https_proxy", "HTTPS_PROXY") : envValue(env, "http_proxy", "HTTP_PROXY");
      if (!found) return null;
      const parse = (text) => {
        try {
          return new URL(text);
        } catch {
          return null;
        }
      };
      let proxy = parse(found.value);
      if ((!proxy || !proxy.hostname) && !/^https?:\/\//i.test(found.value)) proxy = parse(`http://${found.value}`);
      if (!proxy || !proxy.hostname) throw new HttpError(`${found.name} is not a valid proxy URL`, "EPROXYURL");
      if (proxy.protocol !== "http:" && proxy.protocol !== "https:") {
        throw new HttpError(`${found.name}: unsupported proxy protocol ${proxy.protocol} (http:// or https://)`, "EPROXYURL");
      }
      return { url: proxy, variable: found.name };
    }
    var bare = (hostname) => hostname.startsWith("[") && hostname.endsWith("]") ? hostname.slice(1, -1) : hostname;
    var defaultPort = (u) => u.protocol === "https:" ? 443 : 80;
    var portOf = (u) => u.port ? Number(u.port) : defaultPort(u);
    var hostPort = (u) => `${u.hostname}:${portOf(u)}`;
    function proxyAuthorization(proxy) {
      if (!proxy.username && !proxy.password) return null;
      let user;
      let pass;
      try {
        user = decodeURIComponent(proxy.username);
        pass = decodeURIComponent(proxy.password);
      } catch {
        user = proxy.username;
        pass = proxy.password;
      }
      return `Basic ${Buffer.from(`${user}:${pass}`).toString("base64")}`;
    }
    function explain(e, where) {
      const code = e && e.code || "";
      const text = e && e.message || String(e);
      if (code === "ENOTFOUND" || code === "EAI_AGAIN" || code === "EAI_NONAME") return `cannot resolve the host name of ${where} (${text})`;
      if (code === "ECONNREFUSED") return `connection to ${where} refused (${text})`;
      if (code === "ECONNRESET" || code === "EPIPE" || /socket hang up/.test(text)) return `connection to ${where} closed before the answer was complete (${text})`;
      if (code === "ETIMEDOUT" || code === "ENETUNREACH" || code === "EHOSTUNREACH") return `cannot connect to ${where} (${text})`;
      if (/CERT|SELF_SIGNED|ERR_TLS|ERR_SSL|SSL/.test(code) || /certificate|handshake|SSL/i.test(text)) return `TLS with ${where} failed (${text})`;
      return `request to ${where} failed (${text})`;
    }
    function readResponse(res, maxBody = DEFAULT_MAX_BODY) {
      return new Promise((resolve, reject) => {
        const chunks = [];
        let total = 0;
        let done = false;
        const finish = (fn, v) => {
          if (done) return;
          done = true;
          fn(v);
        };
        const result = (truncated) => ({ status: res.statusCode || 0, headers: res.headers, body: Buffer.concat(chunks).toString("utf8"), truncated });
        res.on("data", (c) => {
          if (done) return;
          const room = maxBody + 1 - total;
          if (c.length >= room) {
            chunks.push(c.subarray(0, room));
            total += room;
            finish(resolve, result(true));
            res.destroy();
            return;
          }
          chunks.push(c);
          total += c.length;
        });
        res.on("end", () => finish(resolve, result(false)));
        res.on("error", (e) => finish(reject, e));
        res.on("aborted", () => finish(reject, Object.assign(new Error("the answer was cut off"), { code: "ECONNRESET" })));
      });
    }
    function send(mod, options, body, track, maxBody) {
      return new Promise((resolve, reject) => {
        const req = mod.request(options, (res) => {
          track(res);
          readResponse(res, maxBody).then(resolve, reject);
        });
        track(req);
        req.on("error", reject);
        if (body !== void 0 && body !== null) req.write(body);
        req.end();
      });
    }
    function openTunnel(proxy, target, opts, track) {
      const mod = proxy.url.protocol === "https:" ? mods().https : mods().http;
      const authority = hostPort(target);
      const headers = { host: authority };
      const auth = proxyAuthorization(proxy.url);
      if (auth) headers["proxy-authorization"] = auth;
      const proxyName = `the proxy ${hostPort(proxy.url)} (${proxy.variable})`;
      return new Promise((resolve, reject) => {
        const req = mod.request({
          host: bare(proxy.url.hostname),
          port: portOf(proxy.url),
          method: "CONNECT",
          path: authority,
          headers,
          agent: false,
          ...proxy.url.protocol === "https:" && opts.ca ? { ca: opts.ca } : {}
        });
        track(req);
        req.on("connect", (res, socket, head) => {
          track(socket);
          socket.on("error", (e) => reject(new HttpError(explain(e, proxyName), e.code || "EPROXY")));
          if (res.statusCode !== 200) {
            socket.destroy();
            reject(new HttpError(`${proxyName} refused the tunnel to ${authority}: HTTP ${res.statusCode}${res.statusMessage ? ` ${res.statusMessage}` : ""}`, "EPROXY"));
            return;
          }
          if (head && head.length) socket.unshift(head);
          resolve(socket);
        });
        req.on("error", (e) => reject(new HttpError(explain(e, proxyName), e.code || "EPROXY")));
        req.end();
      });
    }
    function startTls(socket, target, opts, track) {
      return new Promise((resolve, reject) => {
        const host = bare(target.hostname);
        const s = mods().tls.connect({
          socket,
          host,
          servername: mods().net.isIP(host) ? void 0 : host,
          ALPNProtocols: ["http/1.1"],
          ...opts.ca ? { ca: opts.ca } : {}
        });
        track(s);
        s.once("secureConnect", () => resolve(s));
        s.on("error", reject);
      });
    }
    async function once(target, method, headers, body, opts, track) {
      const proxy = proxyFor(target, opts.env);
      const origin = target.origin;
      const path = `${target.pathname || "/"}${target.search || ""}`;
      const hdrs = { ...headers, host: target.host };
      if (body !== void 0 && body !== null) hdrs["content-length"] = String(Buffer.byteLength(body));
      const tlsOptions = opts.ca ? { ca: opts.ca } : {};
      try {
        if (!proxy) {
          const mod = target.protocol === "https:" ? mods().https : mods().http;
          return await send(mod, { host: bare(target.hostname), port: portOf(target), method, path, headers: hdrs, agent: false, ...tlsOptions }, body, track, opts.maxBody);
        }
        if (target.protocol === "http:") {
          const auth = proxyAuthorization(proxy.url);
          if (auth) hdrs["proxy-authorization"] = auth;
          const mod = proxy.url.protocol === "https:" ? mods().https : mods().http;
          const options = {
            host: bare(proxy.url.hostname),
            port: portOf(proxy.url),
            method,
            path: `${target.protocol}//${target.host}${path}`,
            headers: hdrs,
            agent: false,
            ...proxy.url.protocol === "https:" ? tlsOptions : {}
          };
          try {
            return await send(mod, options, body, track, opts.maxBody);
          } catch (e) {
            throw new HttpError(explain(e, `the proxy ${hostPort(proxy.url)} (${proxy.variable})`), e.code);
          }
        }
        const raw = await openTunnel(proxy, target, opts, track);
        const secure = await startTls(raw, target, opts, track);
        try {
          return await send(mods().http, { createConnection: () => secure, method, path, headers: hdrs }, body, track, opts.maxBody);
        } finally {
          secure.destroy();
        }
      } catch (e) {
        if (e instanceof HttpError) throw new HttpError(`${method} ${origin}: ${e.message}`, e.code);
        throw new HttpError(`${method} ${origin}: ${explain(e, hostPort(target))}`, e.code);
      }
    }
    function request(url, options = {}) {
      const method = String(options.method || "GET").toUpperCase();
      const timeoutMs = options.timeoutMs === void 0 ? DEFAULT_TIMEOUT_MS : options.timeoutMs;
      const opts = { env: options.env || process.env, ca: options.ca, maxBody: options.maxBody === void 0 ? DEFAULT_MAX_BODY : options.maxBody };
      const live = /* @__PURE__ */ new Set();
      const track = (x) => {
        live.add(x);
        return x;
      };
      let timer;
      let settled = false;
      const destroyAll = () => {
        for (const x of live) {
          try {
            x.destroy();
          } catch {
          }
        }
      };
      const run = async () => {
        let target;
        try {
          target = new URL(url);
        } catch {
          throw new HttpError(`${method}: invalid URL`, "EINVALIDURL");
        }
        if (target.protocol !== "http:" && target.protocol !== "https:") {
          throw new HttpError(`${method}: unsupported protocol ${target.protocol} (http:// or https://)`, "EINVALIDURL");
        }
        let headers = {};
        for (const [k, v] of Object.entries(options.headers || {})) if (v !== void 0 && v !== null) headers[k.toLowerCase()] = String(v);
        let redirects = options.maxRedirects || 0;
        for (; ; ) {
          const res = await once(target, method, headers, options.body, opts, track);
          const location = res.headers.location;
          if (!(redirects > 0 && REDIRECT_CODES.has(res.status) && location)) return { ...res, url: target.href };
          let next;
          try {
            next = new URL(location, target);
          } catch {
            throw new HttpError(`${method} ${target.origin}: HTTP ${res.status} with an invalid location`, "EREDIRECT");
          }
          if (target.protocol === "https:" && next.protocol !== "https:") {
            throw new HttpError(`${method} ${target.origin}: redirect from https to ${next.protocol} refused`, "EREDIRECT");
          }
          if (next.origin !== target.origin) {
            headers = { ...headers };
            delete headers.authorization;
          }
          target = next;
          redirects--;
        }
      };
      return new Promise((resolve, reject) => {
        const settle = (fn, v) => {
          if (settled) return;
          settled = true;
          clearTimeout(timer);
          fn(v);
        };
        if (timeoutMs > 0) {
          timer = setTimeout(() => {
            let origin = "";
            try {
              origin = ` ${new URL(url).origin}`;
            } catch {
            }
            settle(reject, new HttpError(`${method}${origin}: no complete answer within ${timeoutMs} ms`, "ETIMEDOUT"));
            destroyAll();
          }, timeoutMs);
        }
        run().then(
          (v) => settle(resolve, v),
          (e) => {
            settle(reject, e instanceof HttpError ? e : new HttpError(String(e && e.message || e), e && e.code));
            destroyAll();
          }
        );
      });
    }
    module2.exports = { request, proxyFor, checkBypass, HttpError, DEFAULT_MAX_BODY };
  }
});

// shim/verify.js
var require_verify = __commonJS({
  "shim/verify.js"(exports2, module2) {
    "use strict";
    var { request: httpRequest } = require_http();
    var REQUEST_TIMEOUT_MS = 12e4;
    function azureToken(env = process.env) {
      if (env.AZURE_ACCESS_TOKEN && env.AZURE_ACCESS_TOKEN.trim()) return env.AZURE_ACCESS_TOKEN.trim();
      try {
        const { execFileSync } = require("child_process");
        const az = process.platform === "win32" ? "az.cmd" : "az";
        const t = execFileSync(az, ["account", "get-access-token", "--query", "accessToken", "-o", "tsv"], {
          encoding: "utf8",
          stdio: ["ignore", "pipe", "ignore"],
          shell: process.platform === "win32"
        }).trim();
        return t || null;
      } catch {
        return null;
      }
    }
    async function perform(request, token, { timeoutMs = REQUEST_TIMEOUT_MS, env = process.env, ca } = {}) {
      const headers = { "user-agent": "cua-check" };
      for (const [k, v] of request.headers || []) headers[k.toLowerCase()] = v;
      headers.authorization = `Bearer ${token}`;
      try {
        const res = await httpRequest(request.url, { method: request.method, headers, timeoutMs, maxRedirects: 0, env, ca });
        const pairs = [];
        for (const [k, v] of Object.entries(res.headers || {})) {
          for (const x of Array.isArray(v) ? v : [v]) if (x !== void 0) pairs.push([k, String(x)]);
        }
        return { status: res.status, headers: pairs, body: res.body };
      } catch (e) {
        return { status: 0, headers: [], body: scrub(String(e && e.message || e && e.code || "request failed"), token) };
      }
    }
    function scrub(value, token) {
      if (!token) return value;
      if (typeof value === "string") return value.split(token).join("***");
      if (Array.isArray(value)) return value.map((x) => scrub(x, token));
      if (value && typeof value === "object") {
        const out = {};
        for (const [k, v] of Object.entries(value)) out[k] = scrub(v, token);
        return out;
      }
      return value;
    }
    async function verifyLoop(core, first, token, { performRequest = perform, sleep = (ms) => new Promise((r) => setTimeout(r, ms)) } = {}) {
      let step = typeof first === "string" ? JSON.parse(first) : first;
      while (!step.done) {
        let response = null;
        if (step.request) {
          response = JSON.stringify(await performRequest(step.request, token));
        } else {
          await sleep(Number(step.sleepMs) || 0);
        }
        step = JSON.parse(core.verifyStep(step.state, response));
      }
      return scrub(step.done, token);
    }
    module2.exports = { azureToken, perform, verifyLoop, scrub };
  }
});

// shim/cli-main.js
var require_cli_main = __commonJS({
  "shim/cli-main.js"(exports2, module2) {
    "use strict";
    var { createHost } = require_host();
    var { lastPanicOf } = require_core();
    function internalError(e, core, stderr = process.stderr) {
      const detail = lastPanicOf(core) || e && e.message || String(e);
      try {
        stderr.write(`cua-check: internal error: ${detail}
cua-check: this is a bug; please report this
`);
      } catch {
      }
      process.exitCode = 2;
    }
    function runCli(core, args, { host = createHost(), stdout = process.stdout, stderr = process.stderr } = {}) {
      let r;
      try {
        r = core.runCli(args, host);
      } catch (e) {
        internalError(e, core, stderr);
        return 2;
      }
      if (!r || typeof r !== "object") {
        internalError(new Error("the core returned no result"), core, stderr);
        return 2;
      }
      if (r.stdout) stdout.write(String(r.stdout));
      if (r.stderr) stderr.write(String(r.stderr));
      const code = Number.isInteger(r.code) ? r.code : 2;
      return code;
    }
    function loadCore() {
      return require_cua_check();
    }
    function main() {
      let core = null;
      process.on("uncaughtException", (e) => internalError(e, core));
      process.on("unhandledRejection", (e) => internalError(e, core));
      process.stdout.on("error", (e) => {
        if (e && e.code === "EPIPE") return;
        internalError(e, core);
      });
      try {
        core = loadCore();
      } catch (e) {
        internalError(e, core);
        return;
      }
      const args = process.argv.slice(2);
      if (args[0] === "verify") {
        runVerify(core, args.slice(1)).then((code) => {
          process.exitCode = code;
        }, (e) => internalError(e, core));
        return;
      }
      process.exitCode = runCli(core, args);
    }
    async function runVerify(core, args, { host = createHost(), stdout = process.stdout, stderr = process.stderr } = {}) {
      const { azureToken, verifyLoop } = require_verify();
      const first = JSON.parse(core.verifyStart(args, host));
      if (first.done) {
        if (first.done.stdout) stdout.write(first.done.stdout);
        if (first.done.stderr) stderr.write(first.done.stderr);
        return first.done.code;
      }
      const token = azureToken();
      if (!token) {
        stderr.write("error: no access token: set AZURE_ACCESS_TOKEN, or install the Azure CLI and run `az login`\n");
        return 2;
      }
      const done = await verifyLoop(core, first, token);
      if (done.stdout) stdout.write(done.stdout);
      if (done.stderr) stderr.write(done.stderr);
      return Number.isInteger(done.code) ? done.code : 2;
    }
    module2.exports = { main, runCli, runVerify };
  }
});

// shim/cli.js
var jobs = require_jobs();
if (jobs.isJobWorker()) jobs.serveJobs();
else require_cli_main().main();
