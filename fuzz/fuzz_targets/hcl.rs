//! The Terraform reader (HCL and .tf.json), one module folder at a time.
//!
//! The first byte picks the shape: input as `main.tf`, as `main.tf.json`, or split at the first
//! NUL into a `.tf` file and a `.tfvars` file.
#![no_main]
use cua_check::sources::terraform::{read_module, TfInput};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else { return };
    let Ok(text) = std::str::from_utf8(rest) else { return };
    match mode % 3 {
        0 => {
            let _ = read_module(&[TfInput { path: "main.tf", text }], &[]);
        }
        1 => {
            let _ = read_module(&[TfInput { path: "main.tf.json", text }], &[]);
        }
        _ => {
            let (tf, vars) = text.split_once('\0').unwrap_or((text, ""));
            let _ = read_module(
                &[TfInput { path: "providers.tf", text: tf }, TfInput { path: "main.tf", text: tf }],
                &[TfInput { path: "terraform.tfvars", text: vars }],
            );
        }
    }
});
