//! The evaluation budget: limits on recursion depth, total work per top-level evaluation, string
//! size, array length and value depth, and the bounded constructors ([`str_val`],
//! [`parts_val`], [`container`]) through which the evaluator and the function library build
//! every string, array and object, so no input can make evaluation slow or large.
//!
//! The budget is per thread and shared by nested evaluations (through variables): the outermost
//! [`enter`] starts a new one. Past a limit the result is a "hard" [`Val::Unknown`]
//! ([`is_hard`]), which is never hidden inside a partly known string.
//!
//! Owns: the limits and their messages. Must not import: syntax, the evaluator, the functions
//! or the scope; only `value` and `crate::model`.

use super::value::Val;
use crate::model::Part;
use std::cell::Cell;

/// Longest string (in bytes) the evaluator builds.
pub(crate) const MAX_STR: usize = 1 << 20;
/// Evaluation steps per top-level call.
pub(crate) const MAX_STEPS: u64 = 100_000;
/// Deepest recursion of the evaluator (expression nesting plus variable references).
const MAX_EVAL_DEPTH: usize = 400;
/// Deepest nesting of arrays and objects in a value.
pub(crate) const MAX_VAL_DEPTH: usize = 64;
/// Longest array the evaluator builds.
pub(crate) const MAX_ITEMS: usize = 100_000;

/// Evaluation steps per file (all its top-level evaluations together).
pub(crate) const MAX_FILE_STEPS: u64 = 4_000_000;
/// Bytes of strings built or copied per file: a template that uses one 1 MiB variable as
/// thousands of names must not hold thousands of copies (4.2 GB in the action before).
pub(crate) const MAX_FILE_BYTES: u64 = 32 << 20;

/// The reason of a value not evaluated because its file's budget was spent.
pub const FILE_SPENT: &str = "not evaluated: this file's evaluation budget (32 MiB of values built or 4,000,000 steps) was spent before it";

pub(crate) const TOO_LARGE: &str = "value too large to evaluate";
const TOO_COMPLEX: &str = "expression too complex to evaluate";
const TOO_DEEP: &str = "expression nested too deeply to evaluate";
pub(crate) const VAL_TOO_DEEP: &str = "value nested too deeply to evaluate";

/// Unknowns that must not be hidden inside a partly known string: limits, cycles, errors.
pub(crate) fn is_hard(msg: &str) -> bool {
    msg == TOO_LARGE
        || msg == FILE_SPENT
        || msg == TOO_COMPLEX
        || msg == TOO_DEEP
        || msg == VAL_TOO_DEEP
        || msg.contains("refer to each other")
        || msg.contains("refers to itself")
        || msg.starts_with("invalid expression")
}

pub(crate) struct Budget {
    depth: Cell<usize>,
    pub(crate) steps: Cell<u64>,
    /// Incremented whenever a limit that depends on the evaluation path is hit (so such results
    /// are not memoised).
    hits: Cell<u64>,
    /// The per-file budget, while a [`FileBudget`] is alive: steps and bytes so far.
    file_on: Cell<bool>,
    file_steps: Cell<u64>,
    file_bytes: Cell<u64>,
}

thread_local! {
    pub(crate) static BUDGET: Budget = const {
        Budget {
            depth: Cell::new(0),
            steps: Cell::new(0),
            hits: Cell::new(0),
            file_on: Cell::new(false),
            file_steps: Cell::new(0),
            file_bytes: Cell::new(0),
        }
    };
}

/// The budget of one file's evaluations (a template read): alive while the file is read; the
/// one it replaced (if any) comes back when dropped.
pub struct FileBudget {
    saved: (bool, u64, u64),
}

/// Start a file's budget.
pub fn per_file() -> FileBudget {
    BUDGET.with(|b| {
        let saved = (b.file_on.get(), b.file_steps.get(), b.file_bytes.get());
        b.file_on.set(true);
        b.file_steps.set(0);
        b.file_bytes.set(0);
        FileBudget { saved }
    })
}

impl FileBudget {
    /// Whether the budget ran out (some values were not evaluated).
    #[allow(dead_code)]
    pub fn spent(&self) -> bool {
        BUDGET.with(file_spent)
    }
}

impl Drop for FileBudget {
    fn drop(&mut self) {
        BUDGET.with(|b| {
            b.file_on.set(self.saved.0);
            b.file_steps.set(self.saved.1);
            b.file_bytes.set(self.saved.2);
        });
    }
}

fn file_spent(b: &Budget) -> bool {
    b.file_on.get() && (b.file_steps.get() > MAX_FILE_STEPS || b.file_bytes.get() > MAX_FILE_BYTES)
}

/// Count `n` bytes built or copied against the file's budget; false when it is spent.
pub(crate) fn built(n: usize) -> bool {
    BUDGET.with(|b| {
        b.file_bytes.set(b.file_bytes.get().saturating_add(n as u64));
        if file_spent(b) {
            b.hits.set(b.hits.get() + 1);
            false
        } else {
            true
        }
    })
}

pub(crate) fn file_spent_val() -> Val {
    Val::Unknown(FILE_SPENT.to_string())
}

/// Charge the copy of a value (steps and bytes); `Err` with the reason when a budget is spent.
pub(crate) fn charge_copy(v: &Val) -> Result<(), Val> {
    if !charge(weight(v)) {
        return Err(too_complex());
    }
    if !built(bytes(v)) {
        return Err(file_spent_val());
    }
    Ok(())
}

/// Bytes of the strings in a value (bounded recursion: values are at most `MAX_VAL_DEPTH` deep).
pub(crate) fn bytes(v: &Val) -> usize {
    match v {
        Val::Str(s) | Val::Unknown(s) => s.len(),
        Val::Array(a) => a.iter().map(bytes).sum::<usize>(),
        Val::Object(o) => o.iter().map(|(k, v)| k.len() + bytes(v)).sum::<usize>(),
        Val::Partial(p) => p
            .iter()
            .map(|p| match p {
                Part::Lit(s) | Part::Opaque { text: s, .. } => s.len(),
            })
            .sum::<usize>(),
        _ => 8,
    }
}

/// One level of evaluation entered with [`enter`]; leaves it when dropped.
pub(crate) struct Guard;

impl Drop for Guard {
    fn drop(&mut self) {
        BUDGET.with(|b| b.depth.set(b.depth.get().saturating_sub(1)));
    }
}

/// Enter one level of evaluation; the outermost entry starts a new step budget.
pub(crate) fn enter() -> Result<Guard, Val> {
    BUDGET.with(|b| {
        let d = b.depth.get();
        if d == 0 {
            b.steps.set(0);
        }
        if d >= MAX_EVAL_DEPTH {
            b.hits.set(b.hits.get() + 1);
            return Err(Val::Unknown(TOO_DEEP.to_string()));
        }
        b.file_steps.set(b.file_steps.get() + 1);
        if file_spent(b) {
            b.hits.set(b.hits.get() + 1);
            return Err(file_spent_val());
        }
        let s = b.steps.get() + 1;
        b.steps.set(s);
        if s > MAX_STEPS {
            b.hits.set(b.hits.get() + 1);
            return Err(Val::Unknown(TOO_COMPLEX.to_string()));
        }
        b.depth.set(d + 1);
        Ok(Guard)
    })
}

/// Charge `n` extra steps; false when the budget is spent.
pub(crate) fn charge(n: usize) -> bool {
    BUDGET.with(|b| {
        // Outside any evaluation (a direct call of a scope method): a new budget.
        let base = if b.depth.get() == 0 { 0 } else { b.steps.get() };
        let s = base.saturating_add(n as u64);
        b.steps.set(s);
        b.file_steps.set(b.file_steps.get().saturating_add(n as u64));
        if s > MAX_STEPS || file_spent(b) {
            b.hits.set(b.hits.get() + 1);
            false
        } else {
            true
        }
    })
}

/// Limits hit so far on this thread (a result computed without a new hit may be memoised).
pub(crate) fn hits() -> u64 {
    BUDGET.with(|b| b.hits.get())
}

pub(crate) fn too_complex() -> Val {
    Val::Unknown(TOO_COMPLEX.to_string())
}

pub(crate) fn too_large() -> Val {
    Val::Unknown(TOO_LARGE.to_string())
}

/// Work of copying a value (bounded recursion: values are at most `MAX_VAL_DEPTH` deep).
pub(crate) fn weight(v: &Val) -> usize {
    match v {
        Val::Str(s) | Val::Unknown(s) => 1 + s.len() / 256,
        Val::Array(a) => 1 + a.iter().map(weight).sum::<usize>(),
        Val::Object(o) => {
            1 + o
                .iter()
                .map(|(k, v)| 1 + k.len() / 256 + weight(v))
                .sum::<usize>()
        }
        Val::Partial(p) => {
            1 + p
                .iter()
                .map(|p| match p {
                    Part::Lit(s) | Part::Opaque { text: s, .. } => 1 + s.len() / 256,
                })
                .sum::<usize>()
        }
        _ => 1,
    }
}

/// Whether `v` nests arrays/objects deeper than `limit` levels (recursion at most `limit`).
pub(crate) fn deeper_than(v: &Val, limit: usize) -> bool {
    match v {
        Val::Array(a) if !a.is_empty() => limit == 0 || a.iter().any(|x| deeper_than(x, limit - 1)),
        Val::Object(o) if !o.is_empty() => {
            limit == 0 || o.iter().any(|(_, x)| deeper_than(x, limit - 1))
        }
        _ => false,
    }
}

/// A container built from children: checks depth (children at most `MAX_VAL_DEPTH - 1`).
pub(crate) fn container(v: Val) -> Val {
    let n = match &v {
        Val::Array(a) => a.len(),
        Val::Object(o) => o.len(),
        _ => 0,
    };
    if n > MAX_ITEMS {
        return too_large();
    }
    if !charge(n) {
        return too_complex();
    }
    if deeper_than(&v, MAX_VAL_DEPTH) {
        return Val::Unknown(VAL_TOO_DEEP.to_string());
    }
    v
}

/// A string value within the size limit, its copy charged.
pub(crate) fn str_val(s: String) -> Val {
    if s.len() > MAX_STR {
        return too_large();
    }
    if !charge(s.len() / 256) {
        return too_complex();
    }
    if !built(s.len()) {
        return file_spent_val();
    }
    Val::Str(s)
}

/// Normalise parts: merge literals, drop empty ones; no opaque part left gives `Str`.
pub(crate) fn parts_val(parts: Vec<Part>) -> Val {
    let mut merged: Vec<Part> = Vec::with_capacity(parts.len());
    let mut total = 0usize;
    for p in parts {
        if let Part::Lit(s) = &p {
            total += s.len();
            if total > MAX_STR {
                return too_large();
            }
        }
        match (merged.last_mut(), p) {
            (_, Part::Lit(s)) if s.is_empty() => {}
            (Some(Part::Lit(prev)), Part::Lit(s)) => prev.push_str(&s),
            (_, p) => merged.push(p),
        }
    }
    if !charge(merged.len() + total / 256) {
        return too_complex();
    }
    if !built(total) {
        return file_spent_val();
    }
    if merged.iter().all(|p| matches!(p, Part::Lit(_))) {
        match merged.pop() {
            Some(Part::Lit(s)) => Val::Str(s),
            _ => Val::Str(String::new()),
        }
    } else {
        Val::Partial(merged)
    }
}
