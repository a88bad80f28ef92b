//! Stable sorting, compiled once.
//!
//! The standard library's stable sort is instantiated for every element type and comparison,
//! about 3.5 KB of WebAssembly each. Here one non-generic merge sort orders indices through a
//! `dyn` comparison and a small generic step moves the elements. A stable sort's result is
//! fully determined by the comparison, so this orders exactly as `slice::sort_by` does.

use std::cmp::Ordering;

/// Like `slice::sort_by` (stable).
pub fn sort_by<T>(v: &mut Vec<T>, mut cmp: impl FnMut(&T, &T) -> Ordering) {
    if v.len() < 2 {
        return;
    }
    let order = order(v.len(), &mut |a, b| cmp(&v[a], &v[b]));
    let mut slots: Vec<Option<T>> = v.drain(..).map(Some).collect();
    v.extend(order.into_iter().filter_map(|i| slots[i].take()));
}

/// Like `slice::sort_by_key` (stable).
pub fn sort_by_key<T, K: Ord>(v: &mut Vec<T>, mut key: impl FnMut(&T) -> K) {
    sort_by(v, |a, b| key(a).cmp(&key(b)))
}

/// The stable sorted order of `0..n`: a bottom-up merge sort.
fn order(n: usize, cmp: &mut dyn FnMut(usize, usize) -> Ordering) -> Vec<usize> {
    let mut a: Vec<usize> = (0..n).collect();
    let mut b = vec![0; n];
    let mut width = 1;
    while width < n {
        let mut start = 0;
        while start < n {
            let mid = (start + width).min(n);
            let end = (start + 2 * width).min(n);
            let (mut l, mut r) = (start, mid);
            for slot in &mut b[start..end] {
                // Take from the left run unless the right one is strictly smaller: stable.
                if l < mid && (r >= end || cmp(a[r], a[l]) != Ordering::Less) {
                    *slot = a[l];
                    l += 1;
                } else {
                    *slot = a[r];
                    r += 1;
                }
            }
            start = end;
        }
        std::mem::swap(&mut a, &mut b);
        width *= 2;
    }
    a
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_standard_stable_sort() {
        // A small deterministic generator; pairs with equal keys check stability.
        let mut seed: u64 = 0x2545_f491_4f6c_dd1d;
        for len in 0..200usize {
            let mut v: Vec<(u8, usize)> = (0..len)
                .map(|i| {
                    seed ^= seed << 13;
                    seed ^= seed >> 7;
                    seed ^= seed << 17;
                    ((seed % 7) as u8, i)
                })
                .collect();
            let mut expected = v.clone();
            expected.sort_by_key(|p| p.0);
            sort_by_key(&mut v, |p| p.0);
            assert_eq!(v, expected, "len {len}");
            let mut expected = v.clone();
            expected.sort_by(|a, b| b.0.cmp(&a.0));
            sort_by(&mut v, |a, b| b.0.cmp(&a.0));
            assert_eq!(v, expected, "len {len}, reversed");
        }
    }
}
