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

// shim/runner.js
var require_runner = __commonJS({
  "shim/runner.js"(exports2, module2) {
    "use strict";
    var fs = require("fs");
    var os = require("os");
    function toCommandValue(input) {
      if (input === null || input === void 0) return "";
      if (typeof input === "string" || input instanceof String) return String(input);
      return JSON.stringify(input);
    }
    function escapeData(s) {
      return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A");
    }
    function escapeProperty(s) {
      return toCommandValue(s).replace(/%/g, "%25").replace(/\r/g, "%0D").replace(/\n/g, "%0A").replace(/:/g, "%3A").replace(/,/g, "%2C");
    }
    function formatCommand(command, properties, message) {
      let s = `::${command || "missing.command"}`;
      if (properties && Object.keys(properties).length > 0) {
        s += " ";
        let first = true;
        for (const key in properties) {
          if (!Object.prototype.hasOwnProperty.call(properties, key)) continue;
          const val = properties[key];
          if (!val) continue;
          if (!first) s += ",";
          first = false;
          s += `${key}=${escapeProperty(val)}`;
        }
      }
      return `${s}::${escapeData(message)}`;
    }
    function issueCommand(command, properties, message) {
      process.stdout.write(formatCommand(command, properties, message) + os.EOL);
    }
    function toCommandProperties(p) {
      if (!p || !Object.keys(p).length) return {};
      return { title: p.title, file: p.file, line: p.startLine, endLine: p.endLine, col: p.startColumn, endColumn: p.endColumn };
    }
    function getInput(name, options, env = process.env) {
      const val = env[`INPUT_${name.replace(/ /g, "_").toUpperCase()}`] || "";
      if (options && options.required && !val) throw new Error(`Input required and not supplied: ${name}`);
      if (options && options.trimWhitespace === false) return val;
      return val.trim();
    }
    function prepareKeyValueMessage(key, value) {
      const delimiter = `ghadelimiter_${require("crypto").randomUUID()}`;
      const converted = toCommandValue(value);
      if (key.includes(delimiter)) throw new Error(`Unexpected input: name should not contain the delimiter "${delimiter}"`);
      if (converted.includes(delimiter)) throw new Error(`Unexpected input: value should not contain the delimiter "${delimiter}"`);
      return `${key}<<${delimiter}${os.EOL}${converted}${os.EOL}${delimiter}`;
    }
    function issueFileCommand(command, message) {
      const filePath = process.env[`GITHUB_${command}`];
      if (!filePath) throw new Error(`Unable to find environment variable for file command ${command}`);
      if (!fs.existsSync(filePath)) throw new Error(`Missing file at path: ${filePath}`);
      fs.appendFileSync(filePath, `${toCommandValue(message)}${os.EOL}`, { encoding: "utf8" });
    }
    function setOutput(name, value) {
      if (process.env.GITHUB_OUTPUT) {
        issueFileCommand("OUTPUT", prepareKeyValueMessage(name, value));
        return;
      }
      process.stdout.write(os.EOL);
      issueCommand("set-output", { name }, toCommandValue(value));
    }
    function setSecret(secret) {
      issueCommand("add-mask", {}, secret);
    }
    var annotate = (command) => (message, properties = {}) => issueCommand(command, toCommandProperties(properties), message instanceof Error ? message.toString() : message);
    var error = annotate("error");
    var warning = annotate("warning");
    var notice = annotate("notice");
    function setFailed(message) {
      process.exitCode = 1;
      error(message);
    }
    function info(message) {
      process.stdout.write(message + os.EOL);
    }
    function debug(message) {
      issueCommand("debug", {}, message);
    }
    function isDebug() {
      return process.env.RUNNER_DEBUG === "1";
    }
    function startGroup(name) {
      issueCommand("group", {}, name);
    }
    function endGroup() {
      issueCommand("endgroup", {}, "");
    }
    function appendSummary(text) {
      const file = process.env.GITHUB_STEP_SUMMARY;
      if (!file) {
        throw new Error("Unable to find environment variable for $GITHUB_STEP_SUMMARY. Check if your runtime environment supports job summaries.");
      }
      try {
        fs.accessSync(file, fs.constants.R_OK | fs.constants.W_OK);
      } catch {
        throw new Error(`Unable to access summary file: '${file}'. Check if the file has correct read/write permissions.`);
      }
      fs.appendFileSync(file, text, { encoding: "utf8" });
    }
    module2.exports = {
      getInput,
      setOutput,
      setSecret,
      setFailed,
      error,
      warning,
      notice,
      info,
      debug,
      isDebug,
      startGroup,
      endGroup,
      appendSummary,
      // the pieces, for tests
      formatCommand,
      escapeData,
      escapeProperty,
      toCommandValue,
      toCommandProperties,
      prepareKeyValueMessage
    };
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

// shim/github.js
var require_github = __commonJS({
  "shim/github.js"(exports2, module2) {
    "use strict";
    var { request: httpRequest } = require_http();
    var DEFAULT_API_URL = "https://api.github.com";
    var MAX_BACKOFF_MS = 3e4;
    var MAX_MANDATED_WAIT_MS = 6e4;
    var MAX_PAGES = 100;
    var GitHubError = class extends Error {
      constructor(message, { status = 0, detail = "", method = "", url = "" } = {}) {
        super(message);
        this.name = "GitHubError";
        this.status = status;
        this.detail = detail;
        this.method = method;
        this.url = url;
      }
    };
    function defaultSleep(ms) {
      return new Promise((resolve) => setTimeout(resolve, ms));
    }
    function retryBaseMs() {
      const v = process.env.CUA_CHECK_RETRY_BASE_MS;
      if (v !== void 0 && v !== "" && Number.isFinite(Number(v)) && Number(v) >= 0) return Number(v);
      return 1e3;
    }
    function parseLink(header2) {
      const links = {};
      if (!header2) return links;
      const text = Array.isArray(header2) ? header2.join(", ") : String(header2);
      const re = /<([^>]*)>((?:\s*;\s*[^;,]*(?:"[^"]*")?)*)/g;
      let m;
      while ((m = re.exec(text)) !== null) {
        const url = m[1];
        const params = m[2];
        const rel = /;\s*rel\s*=\s*(?:"([^"]*)"|([^\s;,]+))/i.exec(params);
        if (!rel) continue;
        for (const r of (rel[1] !== void 0 ? rel[1] : rel[2]).split(/\s+/)) {
          if (r && !(r.toLowerCase() in links)) links[r.toLowerCase()] = url;
        }
      }
      return links;
    }
    function header(headers, name) {
      const v = headers[name.toLowerCase()];
      return Array.isArray(v) ? v[0] : v;
    }
    function mandatedWaitMs(status, headers, now) {
      const ra = header(headers, "retry-after");
      if (ra !== void 0 && ra !== "") {
        const s = String(ra).trim();
        if (/^\d+$/.test(s)) return Number(s) * 1e3;
        const t = Date.parse(s);
        if (!Number.isNaN(t)) return Math.max(0, t - now());
      }
      if (String(header(headers, "x-ratelimit-remaining")) === "0") {
        const reset = Number(header(headers, "x-ratelimit-reset"));
        if (Number.isFinite(reset) && reset > 0) return Math.max(0, reset * 1e3 - now());
      }
      return null;
    }
    function isRateLimited403(status, headers) {
      return status === 403 && (header(headers, "retry-after") !== void 0 || String(header(headers, "x-ratelimit-remaining")) === "0");
    }
    function createClient(options = {}) {
      const apiUrl = String(options.apiUrl || DEFAULT_API_URL).replace(/\/+$/, "");
      const token = options.token || "";
      const userAgent = options.userAgent || "cua-check";
      const retries = options.retries === void 0 ? 4 : options.retries;
      const sleep = options.sleep || defaultSleep;
      const now = options.now || Date.now;
      const baseMs = options.retryBaseMs === void 0 ? retryBaseMs() : options.retryBaseMs;
      const maxPages = options.maxPages || MAX_PAGES;
      const apiOrigin = new URL(apiUrl).origin;
      const timeoutMs = options.timeoutMs || 6e4;
      const scrub = (text) => {
        let s = String(text === void 0 || text === null ? "" : text);
        if (token) s = s.split(token).join("***");
        return s;
      };
      function resolveUrl(pathOrUrl) {
        if (/^https?:\/\//i.test(pathOrUrl)) return pathOrUrl;
        return apiUrl + (pathOrUrl.startsWith("/") ? "" : "/") + pathOrUrl;
      }
      function describe(url) {
        try {
          const u = new URL(url);
          return u.pathname;
        } catch {
          return "(invalid url)";
        }
      }
      async function request(method, pathOrUrl, body) {
        method = method.toUpperCase();
        const url = resolveUrl(pathOrUrl);
        const where = `${method} ${describe(url)}`;
        let origin;
        try {
          origin = new URL(url).origin;
        } catch {
          throw new GitHubError(`GitHub API ${where}: invalid URL`, { method, url: describe(url), detail: "invalid URL" });
        }
        const headers = {
          "user-agent": userAgent,
          accept: "application/vnd.github+json",
          "x-github-api-version": "2022-11-28"
        };
        if (token && origin === apiOrigin) headers.authorization = `Bearer ${token}`;
        let data;
        if (body !== void 0) {
          data = JSON.stringify(body);
          headers["content-type"] = "application/json; charset=utf-8";
        }
        for (let attempt = 0; ; attempt++) {
          let status = 0;
          let resHeaders = {};
          let text = "";
          let networkError = null;
          try {
            const res = await httpRequest(url, { method, headers, body: data, timeoutMs, maxRedirects: 10 });
            status = res.status;
            resHeaders = res.headers || {};
            text = res.body;
          } catch (e) {
            networkError = e;
          }
          if (!networkError && status >= 200 && status < 300) {
            let parsed = null;
            if (text) {
              try {
                parsed = JSON.parse(text);
              } catch {
                parsed = text;
              }
            }
            return { status, headers: resHeaders, data: parsed };
          }
          let detail;
          if (networkError) {
            detail = scrub(networkError.message || String(networkError));
          } else {
            detail = "";
            try {
              const j = JSON.parse(text);
              if (j && typeof j.message === "string") detail = j.message;
            } catch {
              detail = text.slice(0, 200);
            }
            detail = scrub(detail);
          }
          const retryable = networkError || status === 429 || status >= 500 || isRateLimited403(status, resHeaders);
          if (retryable && attempt < retries) {
            const backoff = Math.min(MAX_BACKOFF_MS, baseMs * 2 ** attempt);
            const mandated = networkError ? null : mandatedWaitMs(status, resHeaders, now);
            if (mandated === null || mandated <= MAX_MANDATED_WAIT_MS) {
              await sleep(mandated === null ? backoff : mandated);
              continue;
            }
          }
          const message = networkError ? `GitHub API ${where}: request failed: ${detail}` : `GitHub API ${where}: HTTP ${status}${detail ? `: ${detail}` : ""}`;
          throw new GitHubError(scrub(message), { status, detail, method, url: describe(url) });
        }
      }
      async function paginate(path) {
        const items = [];
        let next = path;
        for (let page = 0; next && page < maxPages; page++) {
          const res = await request("GET", next);
          if (Array.isArray(res.data)) items.push(...res.data);
          else if (res.data && Array.isArray(res.data.items)) items.push(...res.data.items);
          const links = parseLink(res.headers.link);
          next = links.next || null;
        }
        return items;
      }
      const graphqlUrl = options.graphqlUrl || (/\/api\/v3$/i.test(apiUrl) ? apiUrl.replace(/\/v3$/i, "/graphql") : `${apiUrl}/graphql`);
      return { request, paginate, apiUrl, graphqlUrl };
    }
    module2.exports = { createClient, GitHubError, parseLink, DEFAULT_API_URL };
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

// shim/action.js
var require_action = __commonJS({
  "shim/action.js"(exports2, module2) {
    "use strict";
    var fs = require("fs");
    var path = require("path");
    var runner = require_runner();
    var { createHost } = require_host();
    var { createClient, DEFAULT_API_URL } = require_github();
    var INPUT_PREFIX = "INPUT_";
    var VERIFY_PREFIX = "verify-";
    var ENV_NAMES = [
      "GITHUB_WORKSPACE",
      "GITHUB_REPOSITORY",
      "GITHUB_SERVER_URL",
      "GITHUB_API_URL",
      "GITHUB_SHA",
      "GITHUB_RUN_ID",
      "GITHUB_REF",
      "RUNNER_TEMP",
      "GITHUB_STEP_SUMMARY",
      "GITHUB_ACTION"
    ];
    var CoreFailure = class extends Error {
      constructor(step, cause, panic) {
        const detail = panic || cause && cause.message || String(cause);
        super(`${step}: ${detail}`);
        this.name = "CoreFailure";
        this.step = step;
        this.detail = detail;
        this.cause = cause;
      }
    };
    var { lastPanicOf } = require_core();
    function callCore(core, step, request, host) {
      let text;
      try {
        text = core.action(step, JSON.stringify(request), host);
      } catch (e) {
        throw new CoreFailure(step, e, lastPanicOf(core));
      }
      try {
        const v = JSON.parse(text);
        if (v === null || typeof v !== "object") throw new Error("answer is not a JSON object");
        return v;
      } catch (e) {
        throw new CoreFailure(step, new Error(`unparsable answer from the core: ${e.message}`));
      }
    }
    function httpFailureText(core, host, what, e) {
      const status = e && typeof e.status === "number" && e.status > 0 ? e.status : 0;
      const detail = String(e && (e.detail || e.message) || e || "");
      const answer = callCore(core, "http-failure", { what, status, detail }, host);
      return String(answer.text || `cua-check: GitHub API request failed (${status || "no response"}): ${detail}`);
    }
    function readInputs(env = process.env, ac = runner) {
      const inputs = {};
      for (const [key, value] of Object.entries(env)) {
        if (!key.startsWith(INPUT_PREFIX) || key.length === INPUT_PREFIX.length) continue;
        inputs[key.slice(INPUT_PREFIX.length).toLowerCase()] = String(value || "").trim();
      }
      if (inputs.token) ac.setSecret(inputs.token);
      return inputs;
    }
    function readEvent(env = process.env) {
      const eventName = env.GITHUB_EVENT_NAME || "";
      let event = null;
      let eventError = null;
      const p = env.GITHUB_EVENT_PATH;
      if (!p) {
        eventError = "GITHUB_EVENT_PATH is not set";
      } else {
        try {
          event = JSON.parse(fs.readFileSync(p, "utf8"));
        } catch (e) {
          event = null;
          eventError = e && e.code ? `${e.code} on ${p}` : `${p}: ${e && e.message || e}`;
        }
      }
      return { eventName, event, eventError };
    }
    function readEnv(env = process.env) {
      const out = {};
      for (const name of ENV_NAMES) if (env[name] !== void 0) out[name] = env[name];
      return out;
    }
    async function lookupPullRequest(client, repo, sha) {
      const res = await client.request(
        "GET",
        `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/commits/${encodeURIComponent(sha)}/pulls`
      );
      const list = Array.isArray(res.data) ? res.data : [];
      const open = list.find((p) => p && p.state === "open" && typeof p.number === "number");
      return open ? { number: open.number } : null;
    }
    async function listChangedFiles(client, repo, number) {
      const files = await client.paginate(
        `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}/pulls/${number}/files?per_page=100`
      );
      return files.map((f) => f && f.filename).filter((f) => typeof f === "string");
    }
    function cleanProps(a) {
      const props = {};
      for (const k of ["title", "file", "startLine", "startColumn", "endLine", "endColumn"]) {
        if (a[k] !== void 0 && a[k] !== null) props[k] = a[k];
      }
      return props;
    }
    function emitAnnotations(annotations, ac = runner) {
      for (const a of annotations || []) {
        const fn = a.level === "error" ? ac.error : a.level === "warning" ? ac.warning : ac.notice;
        fn(String(a.message === void 0 ? "" : a.message), cleanProps(a));
      }
    }
    async function applyPlan(plan, { env, ac, client, core, host, repo, pullRequest, commentWanted }) {
      for (const line of plan.log || []) ac.info(line);
      for (const text of plan.notices || []) ac.notice(String(text));
      emitAnnotations(plan.annotations, ac);
      for (const [name, value] of Object.entries(plan.outputs || {})) ac.setOutput(name, value === null || value === void 0 ? "" : String(value));
      const filesOk = writeFiles(plan.files, ac);
      await writeSummary(plan.summary, env, ac);
      if (plan.comment && commentWanted !== false && pullRequest && client && repo) {
        await upsertComment({ client, core, host, repo, pullRequest, comment: plan.comment, ac });
      }
      return filesOk;
    }
    function writeFiles(files, ac = runner) {
      let ok = true;
      for (const f of files || []) {
        try {
          fs.mkdirSync(path.dirname(path.resolve(f.path)), { recursive: true });
          fs.writeFileSync(f.path, f.content);
        } catch (e) {
          ok = false;
          ac.error(`cua-check: could not write ${f.path}: ${e.message}`);
        }
      }
      return ok;
    }
    async function writeSummary(summary, env = process.env, ac = runner) {
      if (!summary || !env.GITHUB_STEP_SUMMARY) return;
      try {
        ac.appendSummary(summary);
      } catch (e) {
        ac.warning(`cua-check: could not write the job summary: ${e.message}`);
      }
    }
    async function viewerOf(client) {
      try {
        const res = await client.request("POST", client.graphqlUrl, { query: "query { viewer { login databaseId } }" });
        const v = res.data && res.data.data && res.data.data.viewer;
        if (v && typeof v.login === "string" && v.login) return { login: v.login, id: typeof v.databaseId === "number" ? v.databaseId : null };
      } catch {
      }
      try {
        const me = await client.request("GET", "/user");
        if (me.data && typeof me.data.login === "string" && me.data.login) return { login: me.data.login, id: typeof me.data.id === "number" ? me.data.id : null };
      } catch {
      }
      return null;
    }
    async function upsertComment({ client, core, host, repo, pullRequest, comment, ac = runner }) {
      const base = `/repos/${encodeURIComponent(repo.owner)}/${encodeURIComponent(repo.name)}`;
      try {
        const viewer = await viewerOf(client);
        const raw = await client.paginate(`${base}/issues/${pullRequest.number}/comments?per_page=100`);
        const comments = raw.map((c) => ({
          id: c.id,
          body: typeof c.body === "string" ? c.body : "",
          user: {
            login: c.user && c.user.login || "",
            id: c.user && typeof c.user.id === "number" ? c.user.id : null,
            type: c.user && c.user.type || ""
          },
          html_url: c.html_url || ""
        }));
        const pick = callCore(
          core,
          "comment",
          { comments, viewer, marker: comment.marker, body: comment.body, create: !!comment.create, update: !!comment.update },
          host
        );
        const id = pick.id === void 0 ? null : pick.id;
        let url = null;
        if (pick.action === "update" && id !== null) {
          const res = await client.request("PATCH", `${base}/issues/comments/${id}`, { body: comment.body });
          url = res.data && res.data.html_url || null;
        } else if (pick.action === "create") {
          const res = await client.request("POST", `${base}/issues/${pullRequest.number}/comments`, { body: comment.body });
          url = res.data && res.data.html_url || null;
        } else if (id !== null) {
          const existing = comments.find((c) => c.id === id);
          url = existing && existing.html_url || null;
        }
        if (url) ac.setOutput("comment-url", url);
        return url;
      } catch (e) {
        if (e instanceof CoreFailure) throw e;
        ac.warning(httpFailureText(core, host, "comment", e));
        return null;
      }
    }
    async function run(deps) {
      const core = deps.core;
      const env = deps.env || process.env;
      const ac = deps.ac || runner;
      const host = deps.host || createHost();
      const inputs = readInputs(env, ac);
      const { eventName, event, eventError } = readEvent(env);
      const runnerEnv = readEnv(env);
      if (Object.keys(inputs).some((name) => name.startsWith(VERIFY_PREFIX) && name !== "verify-arm-endpoint" && inputs[name])) {
        return runVerifyMode({ core, host, inputs, eventName, event, eventError, runnerEnv, env, ac, deps });
      }
      const ctx = callCore(core, "context", { inputs, eventName, event, eventError, env: runnerEnv }, host);
      if (!ctx.ok) {
        ac.setFailed(ctx.error || "cua-check: the context step failed");
        return 1;
      }
      showStart(ac, ctx);
      const client = clientFor(inputs, env, deps);
      const repo = ctx.repo || null;
      let changedFiles = null;
      const pullRequest = await pullRequestOf(ctx, { core, host, ac, client });
      if (ctx.needChangedFiles && pullRequest && client && repo) {
        try {
          changedFiles = await listChangedFiles(client, repo, pullRequest.number);
        } catch (e) {
          ac.warning(httpFailureText(core, host, "files", e));
          changedFiles = null;
        }
      }
      const plan = callCore(core, "check", { inputs, eventName, event, eventError, env: runnerEnv, pullRequest, changedFiles }, host);
      if (!plan.ok) {
        ac.setFailed(plan.error || "cua-check: the check step failed");
        return 1;
      }
      const filesOk = await applyPlan(plan, { env, ac, client, core, host, repo, pullRequest, commentWanted: ctx.commentWanted });
      const code = plan.exitCode === 1 ? 1 : 0;
      if (code === 1 && plan.failure) ac.setFailed(String(plan.failure));
      return filesOk ? code : 1;
    }
    function showStart(ac, answer) {
      for (const line of answer.log || []) ac.info(line);
      for (const text of answer.warnings || []) ac.warning(String(text));
      if (answer.forkNotice) ac.notice(answer.forkNotice);
    }
    function clientFor(inputs, env, deps) {
      const token = inputs.token;
      return deps.client || (token ? createClient({ apiUrl: env.GITHUB_API_URL || DEFAULT_API_URL, graphqlUrl: env.GITHUB_GRAPHQL_URL, token, userAgent: "cua-check" }) : null);
    }
    async function pullRequestOf(answer, { core, host, ac, client }) {
      const repo = answer.repo || null;
      let pullRequest = answer.pullRequest || null;
      if (!pullRequest && answer.lookupPullForSha && client && repo) {
        try {
          pullRequest = await lookupPullRequest(client, repo, answer.lookupPullForSha);
        } catch (e) {
          ac.warning(httpFailureText(core, host, "lookup", e));
        }
      }
      return pullRequest;
    }
    async function runVerifyMode({ core, host, inputs, eventName, event, eventError, runnerEnv, env, ac, deps }) {
      const { azureToken, verifyLoop, scrub } = require_verify();
      const start = callCore(core, "verify-start", { inputs, eventName, event, eventError, env: runnerEnv }, host);
      if (!start.ok) {
        ac.setFailed(start.error || "cua-check verify: invalid inputs");
        return 1;
      }
      showStart(ac, start);
      const messages = start.messages || {};
      let done = start.verify && start.verify.done;
      let armToken = null;
      if (!done) {
        armToken = (deps.azureToken || azureToken)(env);
        if (!armToken) {
          ac.setFailed(messages.noAzureToken || "cua-check verify: no Azure access token");
          return 1;
        }
        ac.setSecret(armToken);
        done = await verifyLoop(core, start.verify, armToken, deps.verifyOptions || {});
      }
      if (!done.report) {
        ac.setFailed(String(done.stderr || "cua-check verify failed").trim());
        return 1;
      }
      const client = clientFor(inputs, env, deps);
      const repo = start.repo || null;
      const pullRequest = await pullRequestOf(start, { core, host, ac, client });
      const answer = callCore(core, "verify", { inputs, eventName, event, eventError, env: runnerEnv, pullRequest, report: done.report }, host);
      const plan = scrub(scrub(answer, armToken), inputs.token);
      if (!plan.ok) {
        ac.setFailed(plan.error || "cua-check verify: the verify step failed");
        return 1;
      }
      const filesOk = await applyPlan(plan, { env, ac, client, core, host, repo, pullRequest, commentWanted: start.commentWanted });
      if (plan.failure) ac.setFailed(String(plan.failure));
      const code = plan.exitCode === 0 ? 0 : 1;
      return filesOk ? code : 1;
    }
    function internalErrorText(e, core) {
      if (e instanceof CoreFailure) return `cua-check: internal error in the core (step '${e.step}'): ${e.detail} — please report this`;
      const panic = lastPanicOf(core);
      return `cua-check: internal error: ${panic || e && e.message || String(e)} — please report this`;
    }
    function loadCore() {
      return require_cua_check();
    }
    var fatalReported = false;
    function reportFatal(e, core, ac = runner) {
      fatalReported = true;
      try {
        ac.setFailed(internalErrorText(e, core));
      } catch {
        process.stdout.write(`::error::cua-check: internal error
`);
      }
      process.exitCode = 1;
    }
    async function main() {
      let core = null;
      process.on("uncaughtException", (e) => reportFatal(e, core));
      process.on("unhandledRejection", (e) => reportFatal(e, core));
      try {
        try {
          core = loadCore();
        } catch (e) {
          throw new CoreFailure("load", e);
        }
        const code = await run({ core });
        process.exitCode = fatalReported ? 1 : code;
      } catch (e) {
        reportFatal(e, core);
      }
    }
    module2.exports = {
      main,
      run,
      callCore,
      readInputs,
      readEvent,
      readEnv,
      lookupPullRequest,
      listChangedFiles,
      emitAnnotations,
      writeFiles,
      upsertComment,
      httpFailureText,
      CoreFailure,
      ENV_NAMES
    };
  }
});

// shim/index.js
var jobs = require_jobs();
if (jobs.isJobWorker()) jobs.serveJobs();
else require_action().main();
