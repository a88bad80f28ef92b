//! Unified diffs (lines compared with their line ends; Myers' algorithm on the changed middle).

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Op {
    Eq,
    Del,
    Ins,
}

fn myers(a: &[&str], b: &[&str]) -> Vec<Op> {
    let (n, m) = (a.len() as isize, b.len() as isize);
    let max = n + m;
    if max == 0 {
        return Vec::new();
    }
    let off = max as usize + 1;
    let mut v = vec![0isize; 2 * off + 1];
    let mut trace: Vec<Vec<isize>> = Vec::new();
    let at = |k: isize| (off as isize + k) as usize;
    'outer: for d in 0..=max {
        trace.push(v.clone());
        let mut k = -d;
        while k <= d {
            let mut x = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) { v[at(k + 1)] } else { v[at(k - 1)] + 1 };
            let mut y = x - k;
            while x < n && y < m && a[x as usize] == b[y as usize] {
                x += 1;
                y += 1;
            }
            v[at(k)] = x;
            if x >= n && y >= m {
                break 'outer;
            }
            k += 2;
        }
    }
    let (mut x, mut y) = (n, m);
    let mut ops = Vec::new();
    for d in (0..trace.len() as isize).rev() {
        let v = &trace[d as usize];
        let k = x - y;
        let prev_k = if k == -d || (k != d && v[at(k - 1)] < v[at(k + 1)]) { k + 1 } else { k - 1 };
        let prev_x = v[at(prev_k)];
        let prev_y = prev_x - prev_k;
        while x > prev_x && y > prev_y {
            ops.push(Op::Eq);
            x -= 1;
            y -= 1;
        }
        if d > 0 {
            ops.push(if x == prev_x { Op::Ins } else { Op::Del });
        }
        x = prev_x;
        y = prev_y;
    }
    ops.reverse();
    ops
}

/// A unified diff of `old` and `new` (3 lines of context), or "" when they are equal.
pub fn unified_diff(path: &str, old: &str, new: &str) -> String {
    if old == new {
        return String::new();
    }
    let a: Vec<&str> = old.split_inclusive('\n').collect();
    let b: Vec<&str> = new.split_inclusive('\n').collect();
    let pre = a.iter().zip(&b).take_while(|(x, y)| x == y).count();
    let suf = a[pre..].iter().rev().zip(b[pre..].iter().rev()).take_while(|(x, y)| x == y).count();
    let mut ops = vec![Op::Eq; pre];
    ops.extend(myers(&a[pre..a.len() - suf], &b[pre..b.len() - suf]));
    ops.extend(std::iter::repeat_n(Op::Eq, suf));
    // Positions in a and b before each op.
    let mut pa = Vec::with_capacity(ops.len() + 1);
    let mut pb = Vec::with_capacity(ops.len() + 1);
    let (mut i, mut j) = (0usize, 0usize);
    for op in &ops {
        pa.push(i);
        pb.push(j);
        match op {
            Op::Eq => {
                i += 1;
                j += 1;
            }
            Op::Del => i += 1,
            Op::Ins => j += 1,
        }
    }
    pa.push(i);
    pb.push(j);
    const CONTEXT: usize = 3;
    let mut groups: Vec<(usize, usize)> = Vec::new();
    for (idx, op) in ops.iter().enumerate() {
        if *op == Op::Eq {
            continue;
        }
        let s = idx.saturating_sub(CONTEXT);
        let e = (idx + 1 + CONTEXT).min(ops.len());
        match groups.last_mut() {
            Some(g) if s <= g.1 => g.1 = e,
            _ => groups.push((s, e)),
        }
    }
    let (left, right) = if path.starts_with('/') { (path.to_string(), path.to_string()) } else { (format!("a/{path}"), format!("b/{path}")) };
    let mut out = format!("--- {left}\n+++ {right}\n");
    let range = |start: usize, count: usize| -> String {
        let s = if count == 0 { start } else { start + 1 };
        if count == 1 { format!("{s}") } else { format!("{s},{count}") }
    };
    for (s, e) in groups {
        let ca = pa[e] - pa[s];
        let cb = pb[e] - pb[s];
        out.push_str(&format!("@@ -{} +{} @@\n", range(pa[s], ca), range(pb[s], cb)));
        for idx in s..e {
            let (mark, line) = match ops[idx] {
                Op::Eq => (' ', a[pa[idx]]),
                Op::Del => ('-', a[pa[idx]]),
                Op::Ins => ('+', b[pb[idx]]),
            };
            out.push(mark);
            out.push_str(line);
            if !line.ends_with('\n') {
                out.push_str("\n\\ No newline at end of file\n");
            }
        }
    }
    out
}


#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn diff_is_minimal_with_context() {
        let old = "a\nb\nc\nd\ne\nf\ng\nh\n";
        let new = "a\nb\nc\nd\nX\ne\nf\ng\nh\n";
        let d = unified_diff("t.json", old, new);
        assert_eq!(d, "--- a/t.json\n+++ b/t.json\n@@ -2,6 +2,7 @@\n b\n c\n d\n+X\n e\n f\n g\n");
        let d = unified_diff("t.json", "a\nb", "a\nc");
        assert_eq!(d, "--- a/t.json\n+++ b/t.json\n@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
        assert_eq!(unified_diff("t", "x\n", "x\n"), "");
    }
}
