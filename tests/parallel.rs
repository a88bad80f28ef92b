//! The parallel read (helpers with a core each, as the Node shim's worker threads) gives the
//! same report as one thread and as the native threads: the files are shared out, the answers
//! travel in the wire form (`check::wire`), and the core puts them back in order. The Node side
//! of the same protocol (real worker threads) is tested in shim/test/parallel.test.js.

use std::cell::{Cell, RefCell};

use cua_check::check::read::serve_jobs;
use cua_check::util::host::native::NativeHost;
use cua_check::util::host::{EntryKind, Host};

/// How the batch is shared out between this thread and two helpers.
#[derive(Clone, Copy, PartialEq)]
enum Mode {
    /// No helpers: everything on this thread (`shared()` is `None`, so no native threads either).
    Sequential,
    /// This thread takes every third job, two helpers the others.
    Helpers,
    /// As `Helpers`, but the second helper's answer is cut short: its files are read again here.
    BrokenHelper,
}

struct Fake {
    mode: Mode,
    /// The jobs this host's `next_job` hands out, in order.
    queue: RefCell<Vec<usize>>,
    batch: RefCell<Option<(Vec<u8>, usize)>>,
    /// Jobs the helpers answered.
    served: Cell<usize>,
}

impl Fake {
    fn new(mode: Mode) -> Fake {
        Fake { mode, queue: RefCell::new(Vec::new()), batch: RefCell::new(None), served: Cell::new(0) }
    }
}

impl Host for Fake {
    fn read_dir(&self, path: &str) -> Result<Vec<(String, EntryKind)>, String> {
        NativeHost.read_dir(path)
    }
    fn stat(&self, path: &str) -> Option<(EntryKind, u64)> {
        NativeHost.stat(path)
    }
    fn realpath(&self, path: &str) -> Option<String> {
        NativeHost.realpath(path)
    }
    fn read_file(&self, path: &str, limit: u64) -> Result<Vec<u8>, String> {
        NativeHost.read_file(path, limit)
    }
    fn read_start(&self, path: &str, max: u64, limit: u64) -> Result<(Vec<u8>, u64), String> {
        NativeHost.read_start(path, max, limit)
    }
    fn write_file(&self, path: &str, data: &[u8]) -> Result<(), String> {
        NativeHost.write_file(path, data)
    }
    fn env(&self, name: &str) -> Option<String> {
        // Every tree with two files or more goes through the helpers.
        if name == "CUA_CHECK_PARALLEL_MIN" {
            return Some("2".into());
        }
        NativeHost.env(name)
    }
    fn is_tty(&self) -> bool {
        false
    }
    fn random_bytes(&self) -> [u8; 16] {
        [7; 16]
    }
    fn start_jobs(&self, request: &[u8], jobs: usize) -> usize {
        if self.mode == Mode::Sequential {
            return 0;
        }
        *self.queue.borrow_mut() = (0..jobs).filter(|i| i % 3 == 0).collect();
        *self.batch.borrow_mut() = Some((request.to_vec(), jobs));
        2
    }
    fn next_job(&self) -> Option<usize> {
        let mut q = self.queue.borrow_mut();
        (!q.is_empty()).then(|| q.remove(0))
    }
    fn finish_jobs(&self) -> Vec<Vec<u8>> {
        let (request, jobs) = self.batch.borrow_mut().take().expect("a batch was started");
        (1..3)
            .map(|k| {
                let helper = Fake::new(Mode::Sequential);
                *helper.queue.borrow_mut() = (0..jobs).filter(|i| i % 3 == k).collect();
                let n = helper.queue.borrow().len();
                let mut answer = serve_jobs(&helper, &request).expect("the request decodes");
                if k == 2 && self.mode == Mode::BrokenHelper {
                    answer.truncate(answer.len() / 2);
                } else {
                    self.served.set(self.served.get() + n);
                }
                answer
            })
            .collect()
    }
}

fn run(host: &dyn Host, dir: &str, format: &str) -> String {
    let args: Vec<String> = ["check", dir, "--format", format, "--color", "never"].iter().map(|s| s.to_string()).collect();
    let out = cua_check::frontends::cli::run(&args, host);
    format!("exit {}\n--stdout\n{}--stderr\n{}", out.code, out.stdout, out.stderr)
}

fn trees() -> Vec<String> {
    let root = env!("CARGO_MANIFEST_DIR");
    let mut dirs: Vec<String> = ["examples", "tests/fixtures/bicep", "tests/fixtures/terraform", "tests/fixtures/code"].iter().map(|d| format!("{root}/{d}")).collect();
    let mut rules: Vec<String> = std::fs::read_dir(format!("{root}/tests/fixtures/rules"))
        .unwrap()
        .flat_map(|code| std::fs::read_dir(code.unwrap().path()).unwrap())
        .map(|e| e.unwrap().path())
        .filter(|p| p.is_dir())
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    rules.sort();
    dirs.extend(rules);
    dirs
}

#[test]
fn helpers_give_the_report_of_one_thread_and_of_native_threads() {
    let mut served = 0;
    for dir in trees() {
        for format in ["json", "sarif", "text"] {
            let native = run(&NativeHost, &dir, format);
            let one = run(&Fake::new(Mode::Sequential), &dir, format);
            assert_eq!(one, native, "{dir} --format {format}: one thread differs from native threads");
            for mode in [Mode::Helpers, Mode::BrokenHelper] {
                let host = Fake::new(mode);
                let got = run(&host, &dir, format);
                assert_eq!(got, one, "{dir} --format {format}: helpers differ from one thread");
                served += host.served.get();
            }
        }
    }
    // The helper path was taken (trees of two files or more), not only the sequential one.
    assert!(served > 100, "helpers answered only {served} jobs");
}
