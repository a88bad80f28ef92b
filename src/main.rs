//! The native `cua-check` binary: the same command line as `dist/cli.js`.

use std::io::Write;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    std::panic::set_hook(Box::new(|_| {}));
    let out = std::panic::catch_unwind(|| cua_check::frontends::cli::run(&args, &cua_check::util::host::native::NativeHost));
    let out = match out {
        Ok(o) => o,
        Err(p) => {
            let msg = p
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| p.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown panic".into());
            cua_check::frontends::cli::Output {
                code: 2,
                stdout: String::new(),
                stderr: format!("cua-check: internal error: {msg}\nThis is a bug in cua-check; please report it with the command you ran.\n"),
            }
        }
    };
    let _ = std::io::stdout().write_all(out.stdout.as_bytes());
    let _ = std::io::stderr().write_all(out.stderr.as_bytes());
    std::process::exit(out.code);
}
