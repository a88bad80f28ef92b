//! Numeric functions on 64-bit integers: add, sub, mul, div, mod, min, max. Overflow and
//! division by zero give an unknown. Must not import: the evaluator, the scope or the syntax
//! tree.

use super::{f, int_arg, tryv, Call, Function, ANY};
use crate::sources::arm::expr::value::{unknown, Val};

pub(super) const FUNCTIONS: &[Function] = &[
    f("add", 2, 2, add),
    f("sub", 2, 2, sub),
    f("mul", 2, 2, mul),
    f("div", 2, 2, div),
    f("mod", 2, 2, rem),
    f("min", 0, ANY, min),
    f("max", 0, ANY, max),
];

fn add(c: Call<'_>) -> Val {
    arithmetic(c, i64::checked_add)
}

fn sub(c: Call<'_>) -> Val {
    arithmetic(c, i64::checked_sub)
}

fn mul(c: Call<'_>) -> Val {
    arithmetic(c, i64::checked_mul)
}

fn div(c: Call<'_>) -> Val {
    arithmetic(c, i64::checked_div)
}

fn rem(c: Call<'_>) -> Val {
    arithmetic(c, i64::checked_rem)
}

fn arithmetic(c: Call<'_>, op: fn(i64, i64) -> Option<i64>) -> Val {
    let x = tryv!(int_arg(&c.args[0], c.name));
    let y = tryv!(int_arg(&c.args[1], c.name));
    op(x, y).map_or_else(
        || unknown(format!("{}: overflow or division by zero", c.name)),
        Val::Int,
    )
}

fn min(c: Call<'_>) -> Val {
    extreme(c, i64::min)
}

fn max(c: Call<'_>) -> Val {
    extreme(c, i64::max)
}

/// `min`/`max` of integer arguments, or of one array of integers.
fn extreme(c: Call<'_>, pick: fn(i64, i64) -> i64) -> Val {
    let name = c.name;
    let list: Vec<Val> = match c.args.as_slice() {
        [Val::Array(items)] => items.clone(),
        _ => c.args,
    };
    let mut best: Option<i64> = None;
    for v in &list {
        let n = tryv!(int_arg(v, name));
        best = Some(match best {
            None => n,
            Some(b) => pick(b, n),
        });
    }
    best.map_or_else(|| unknown(format!("{name}: no values")), Val::Int)
}
