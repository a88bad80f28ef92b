//! Bicep parameters files (`.bicepparam`): `using './main.bicep'`, `param x = …`, `var`,
//! `import … from`, `extends './base.bicepparam'`.
//!
//! [`read_params`] turns one file into a [`SourceFile`] whose [`ParamFile`] names the template
//! and carries each parameter's value, evaluated in the parameters file (its variables, imports
//! and the ARM functions). The values reach the template in `check::bicepparam`, which reads the
//! template again with them ([`super::read_with`]).

use std::rc::Rc;

use super::eval::{self, join_path, Env, Val};
use super::parser::{self, DeclKind};
use crate::model::{FileError, Kind, Loader, ParamFile, ParamVal, ParamValue, Role, SourceFile, Span};

/// Most `extends` hops followed.
const MAX_EXTENDS: u32 = 4;

/// Read one `.bicepparam` file. Never panics.
pub fn read_params(path: &str, text: &str, loader: &dyn Loader) -> SourceFile {
    let mut sf = SourceFile::new(path, Kind::Bicep);
    sf.role = Role::Other;
    let parsed = parser::parse(text);
    if let Some(d) = parsed.decls.first() {
        sf.anchor = d.span;
    }
    let mut using = None;
    let mut using_span = Span::FILE_START;
    for d in &parsed.decls {
        if let DeclKind::Using { path: p } = &d.kind {
            using_span = d.span;
            using = p.as_deref().filter(|p| !super::is_registry(p)).and_then(|p| join_path(&eval::dir_of(path), p));
            break;
        }
    }
    let values = values(path, text, &parsed, loader, 0);
    sf.params = Some(ParamFile { using, using_span, values });
    if let Some(e) = &parsed.error {
        sf.errors.push(FileError { span: e.span, message: e.message.clone() });
    }
    sf.suppressions = super::suppressions(text, &parsed);
    sf
}

/// The `param` values of a parameters file, after those of the file it extends.
fn values(path: &str, text: &str, parsed: &parser::Parsed, loader: &dyn Loader, depth: u32) -> Vec<ParamValue> {
    let mut out: Vec<ParamValue> = Vec::new();
    for d in &parsed.decls {
        let DeclKind::Extends { path: base } = &d.kind else { continue };
        let Some(t) = join_path(&eval::dir_of(path), base) else { continue };
        if depth >= MAX_EXTENDS {
            continue;
        }
        if let Some(btext) = loader.load(&t).filter(|b| b.len() <= eval::MAX_STR) {
            let bparsed = parser::parse(&btext);
            out = values(&t, &btext, &bparsed, loader, depth + 1);
        }
    }
    let mut env = Env::new(text, path, loader, &parsed.decls);
    for (n, v) in super::imports::imported(&parsed.decls, path, loader) {
        env.give(&n, v);
    }
    for d in &parsed.decls {
        let DeclKind::Param { name, default: Some(value) } = &d.kind else { continue };
        let v = env.eval(value);
        let v = env.detach(v);
        let value = to_param(v);
        let from = format!("{path}:{}", d.span.line);
        out.retain(|p| &p.name != name);
        out.push(ParamValue { name: name.clone(), value, from });
    }
    out
}

fn to_param(v: Val<'static>) -> ParamVal {
    match v {
        Val::Str(parts) => match eval::known(&Val::Str(parts.clone())) {
            Some(s) => ParamVal::Known(serde_json::Value::String(s)),
            None => ParamVal::Partial(parts),
        },
        Val::Int(i) => ParamVal::Known(i.into()),
        Val::Bool(b) => ParamVal::Known(b.into()),
        Val::Null => ParamVal::Known(serde_json::Value::Null),
        Val::Json(root, path) => match eval::json_get(&root, &path) {
            Some(j) => ParamVal::Known(j.clone()),
            None => ParamVal::Unknown("no such value".to_string()),
        },
        Val::Unknown(r) | Val::Cycle(r) => ParamVal::Unknown(r),
        Val::Obj(_) | Val::Arr(_) => ParamVal::Unknown("the value is not fully known before deployment".to_string()),
    }
}

/// A parameters file's values as the template's evaluation takes them.
pub fn given(values: &[ParamValue]) -> Vec<(String, Val<'static>)> {
    values
        .iter()
        .map(|p| {
            let v = match &p.value {
                ParamVal::Known(j) => eval::from_json(Rc::new(j.clone()), Vec::new()).unwrap_or(Val::Null),
                ParamVal::Partial(parts) => Val::Str(parts.clone()),
                ParamVal::Unknown(r) => Val::Unknown(format!("{r} (set at {})", p.from)),
            };
            (p.name.clone(), v)
        })
        .collect()
}

/// The `.bicepparam` [`crate::sources::Reader`]: one file at a time.
pub struct BicepParamReader;

impl crate::sources::Reader for BicepParamReader {
    fn claims(&self, _rel: &str, lower: &str) -> Option<u8> {
        lower.ends_with(".bicepparam").then_some(0)
    }
    fn enabled(&self, sources: &crate::options::settings::Sources) -> bool {
        sources.bicep
    }
    fn unit(&self) -> crate::sources::Unit {
        crate::sources::Unit::File
    }
    fn read(&self, inputs: &[crate::sources::Input], cx: &mut crate::sources::ReadCx) -> Vec<SourceFile> {
        crate::sources::read_texts(inputs, cx, read_params)
    }
}
