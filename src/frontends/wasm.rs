//! The WebAssembly boundary (wasm-bindgen). `shim/` calls these exports; platform access goes
//! back out through the JS `host` object (see `shim/host.js`), wrapped here as a [`Host`].

use std::cell::RefCell;

use js_sys::{Array, Function, Object, Reflect, Uint8Array};
use wasm_bindgen::prelude::*;

use crate::util::host::{EntryKind, Host};

thread_local! {
    static LAST_PANIC: RefCell<Option<String>> = const { RefCell::new(None) };
}

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = match info.payload().downcast_ref::<&str>() {
            Some(s) => s.to_string(),
            None => info.payload().downcast_ref::<String>().cloned().unwrap_or_else(|| "unknown panic".into()),
        };
        let at = info.location().map(|l| format!(" at {}:{}", l.file(), l.line())).unwrap_or_default();
        LAST_PANIC.with(|p| *p.borrow_mut() = Some(format!("{msg}{at}")));
    }));
}

/// The message of the last panic, after a call trapped.
#[wasm_bindgen(js_name = lastPanic)]
pub fn last_panic() -> Option<String> {
    LAST_PANIC.with(|p| p.borrow().clone())
}

/// Run the command line. Returns `{ code, stdout, stderr }`.
#[wasm_bindgen(js_name = runCli)]
pub fn run_cli(args: Vec<String>, host: JsValue) -> Result<JsValue, JsValue> {
    install_panic_hook();
    let out = crate::frontends::cli::run(&args, &JsHost(host));
    let obj = Object::new();
    Reflect::set(&obj, &"code".into(), &JsValue::from(out.code))?;
    Reflect::set(&obj, &"stdout".into(), &JsValue::from(out.stdout))?;
    Reflect::set(&obj, &"stderr".into(), &JsValue::from(out.stderr))?;
    Ok(obj.into())
}

/// One step of the action (`context`, `check`, `comment`): JSON in, JSON out.
#[wasm_bindgen]
pub fn action(step: &str, request: &str, host: JsValue) -> String {
    install_panic_hook();
    crate::frontends::action::step(step, request, &JsHost(host))
}

struct JsHost(JsValue);

impl JsHost {
    fn call(&self, name: &str, args: &[JsValue]) -> Result<JsValue, String> {
        let f: Function = Reflect::get(&self.0, &JsValue::from_str(name))
            .ok()
            .and_then(|f| f.dyn_into().ok())
            .ok_or_else(|| format!("host has no function {name}"))?;
        let this = &self.0;
        // call0..call3 rather than apply: no argument array per call (one per file read).
        let r = match args {
            [] => f.call0(this),
            [a] => f.call1(this, a),
            [a, b] => f.call2(this, a, b),
            [a, b, c] => f.call3(this, a, b, c),
            _ => f.apply(this, &args.iter().collect::<Array>()),
        };
        r.map_err(|e| {
            Reflect::get(&e, &"message".into()).ok().and_then(|m| m.as_string()).unwrap_or_else(|| format!("{e:?}"))
        })
    }
}

fn kind(s: &str) -> EntryKind {
    match s {
        "file" => EntryKind::File,
        "dir" => EntryKind::Dir,
        "link" => EntryKind::Link,
        _ => EntryKind::Other,
    }
}

impl Host for JsHost {
    fn read_dir(&self, path: &str) -> Result<Vec<(String, EntryKind)>, String> {
        let v = self.call("readDir", &[path.into()])?;
        let arr: Array = v.dyn_into().map_err(|_| "readDir did not return an array".to_string())?;
        Ok(arr
            .iter()
            .filter_map(|e| {
                let pair: Array = e.dyn_into().ok()?;
                let k = pair.get(1).as_string().unwrap_or_default();
                // A name that is not UTF-8: its bytes come third, escaped as natively.
                if let Some(dir) = k.strip_prefix("undecodable-").map(|d| d == "dir") {
                    let raw: Uint8Array = pair.get(2).dyn_into().ok()?;
                    return Some((crate::util::host::escape_name(&raw.to_vec()), EntryKind::Undecodable { dir }));
                }
                Some((pair.get(0).as_string()?, kind(&k)))
            })
            .collect())
    }

    fn stat(&self, path: &str) -> Option<(EntryKind, u64)> {
        let v = self.call("stat", &[path.into()]).ok()?;
        if v.is_null() || v.is_undefined() {
            return None;
        }
        let k = Reflect::get(&v, &"kind".into()).ok()?.as_string()?;
        let size = Reflect::get(&v, &"size".into()).ok()?.as_f64().unwrap_or(0.0);
        Some((kind(&k), size as u64))
    }

    fn realpath(&self, path: &str) -> Option<String> {
        self.call("realpath", &[path.into()]).ok()?.as_string()
    }

    fn read_file(&self, path: &str, limit: u64) -> Result<Vec<u8>, String> {
        let v = self.call("readFile", &[path.into(), JsValue::from_f64(limit as f64)])?;
        let bytes: Uint8Array = v.dyn_into().map_err(|_| "readFile did not return bytes".to_string())?;
        Ok(bytes.to_vec())
    }

    fn read_start(&self, path: &str, max: u64, limit: u64) -> Result<(Vec<u8>, u64), String> {
        let v = self.call("readStart", &[path.into(), JsValue::from_f64(max as f64), JsValue::from_f64(limit as f64)])?;
        let bytes: Uint8Array = Reflect::get(&v, &"bytes".into())
            .ok()
            .and_then(|b| b.dyn_into().ok())
            .ok_or_else(|| "readStart did not return bytes".to_string())?;
        let size = Reflect::get(&v, &"size".into()).ok().and_then(|s| s.as_f64()).unwrap_or(0.0) as u64;
        let bytes = bytes.to_vec();
        let size = size.max(bytes.len() as u64);
        Ok((bytes, size))
    }

    fn write_file(&self, path: &str, data: &[u8]) -> Result<(), String> {
        self.call("writeFile", &[path.into(), Uint8Array::from(data).into()]).map(|_| ())
    }

    fn env(&self, name: &str) -> Option<String> {
        self.call("env", &[name.into()]).ok()?.as_string()
    }

    fn is_tty(&self) -> bool {
        self.call("isTty", &[]).ok().and_then(|v| v.as_bool()).unwrap_or(false)
    }

    fn start_jobs(&self, request: &[u8], jobs: usize) -> usize {
        // A host without worker threads (an older shim, a test's own host) has no startJobs.
        self.call("startJobs", &[Uint8Array::from(request).into(), JsValue::from_f64(jobs as f64)])
            .ok()
            .and_then(|v| v.as_f64())
            .map_or(0, |n| n.max(0.0) as usize)
    }

    fn next_job(&self) -> Option<usize> {
        let n = self.call("nextJob", &[]).ok()?.as_f64()?;
        (n >= 0.0).then_some(n as usize)
    }

    fn finish_jobs(&self) -> Vec<Vec<u8>> {
        let Ok(v) = self.call("finishJobs", &[]) else { return Vec::new() };
        let Ok(arr) = v.dyn_into::<Array>() else { return Vec::new() };
        arr.iter().filter_map(|a| a.dyn_into::<Uint8Array>().ok()).map(|a| a.to_vec()).collect()
    }

    fn random_bytes(&self) -> [u8; 16] {
        let mut out = [0u8; 16];
        if let Ok(v) = self.call("randomBytes", &[]) {
            if let Ok(b) = v.dyn_into::<Uint8Array>() {
                let n = b.length().min(16) as usize;
                b.slice(0, n as u32).copy_to(&mut out[..n]);
            }
        }
        out
    }
}

/// `verify`: start from argv (after `verify`); see `crate::verify::start_json`.
#[wasm_bindgen(js_name = verifyStart)]
pub fn verify_start(args: Vec<String>, host: JsValue) -> String {
    install_panic_hook();
    crate::verify::start_json(&args, &JsHost(host))
}

/// `verify`: the next step after a response (JSON) or a sleep (null).
#[wasm_bindgen(js_name = verifyStep)]
pub fn verify_step(state: &str, response: Option<String>) -> String {
    install_panic_hook();
    crate::verify::step_json(state, response.as_deref())
}

/// A worker thread's side of a parallel read (see `check::read::serve_jobs`): the request the
/// main core made, the files taken with `host.nextJob()`, the answer for the main core.
#[wasm_bindgen(js_name = serveJobs)]
pub fn serve_jobs(request: &[u8], host: JsValue) -> Result<Vec<u8>, JsValue> {
    install_panic_hook();
    crate::check::read::serve_jobs(&JsHost(host), request).map_err(|e| JsValue::from_str(&e))
}
