//! The crate's former JSON layer, kept only until the wire and price
//! modules read with serde_json (then this module goes).

pub(crate) mod parse;
pub(crate) mod read;
pub(crate) mod tree;

use crate::text::excerpt;
use tree::Json;

/// How a value is quoted in a message: its JSON text, cut to 40 characters.
fn json_text(value: &Json) -> String {
    excerpt(&value_text(value, 200), 40)
}

/// The first `limit` bytes or so of the value's compact JSON text, written
/// as `serde_json` writes its `Value` (so messages read as they always
/// have): object keys sorted, each once (the last one wins), strings escaped
/// alike; numbers as written. The text is exact up to `limit` bytes (less at
/// most 3 to end on a character) and stops there, so quoting a huge value
/// costs no more than quoting a small one.
pub(crate) fn value_text(value: &Json, limit: usize) -> String {
    let mut out = String::new();
    write_sorted(value, &mut out, limit);
    if out.len() > limit {
        let mut end = limit;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

fn write_sorted(value: &Json, out: &mut String, limit: usize) {
    match value {
        Json::String(s) => {
            // Escaping never shortens, so `limit` characters are enough.
            let cut = s
                .char_indices()
                .nth(limit)
                .map_or(s.as_str(), |(i, _)| &s[..i]);
            tree::write_string(out, cut);
        }
        Json::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if out.len() >= limit {
                    return;
                }
                if i > 0 {
                    out.push(',');
                }
                write_sorted(item, out, limit);
            }
            out.push(']');
        }
        Json::Object(members) => {
            out.push('{');
            let mut keys = KeyOrder::new(members);
            let mut first = true;
            while let Some(i) = keys.next() {
                if out.len() >= limit {
                    return;
                }
                if !first {
                    out.push(',');
                }
                first = false;
                let (key, value) = &members[i];
                tree::write_string(out, key);
                out.push(':');
                write_sorted(value, out, limit);
            }
            out.push('}');
        }
        other => other.write(out),
    }
}

/// An object's members in key order, each key once (its last occurrence, as
/// in `serde_json`'s map), produced one at a time from a binary heap: the
/// first few of a huge object cost one linear heap build, not a sort. The
/// heap is ordered by key, then by position from last to first, so the first
/// of a run of equal keys to come out is the last one written in the object.
/// (Hand-written rather than `sort_by`: the module then carries no sort.)
pub(crate) struct KeyOrder<'a> {
    heap: Vec<(&'a str, usize)>,
    last: Option<&'a str>,
}

impl<'a> KeyOrder<'a> {
    fn new(members: &'a [(String, Json)]) -> Self {
        Self::of_keys(members.iter().map(|(k, _)| k.as_str()))
    }

    /// The order of `keys`, numbered from 0 in the order given.
    pub(crate) fn of_keys(keys: impl Iterator<Item = &'a str>) -> Self {
        let mut heap: Vec<(&str, usize)> = keys.zip(0..).collect();
        for root in (0..heap.len() / 2).rev() {
            sift_down(&mut heap, root);
        }
        KeyOrder { heap, last: None }
    }

    /// The next key and its number, duplicates included (the later first).
    pub(crate) fn next_any(&mut self) -> Option<(&'a str, usize)> {
        if self.heap.is_empty() {
            return None;
        }
        let top = self.heap.swap_remove(0);
        sift_down(&mut self.heap, 0);
        Some(top)
    }

    /// The number of the next key, skipping the earlier duplicates of each.
    pub(crate) fn next(&mut self) -> Option<usize> {
        while let Some((key, i)) = self.next_any() {
            if self.last != Some(key) {
                self.last = Some(key);
                return Some(i);
            }
        }
        None
    }
}

/// Whether `a` comes out of the heap before `b`: smaller key first; of equal
/// keys, the later member first.
fn heap_before(a: (&str, usize), b: (&str, usize)) -> bool {
    a.0 < b.0 || (a.0 == b.0 && a.1 > b.1)
}

/// Restores the heap order below `root`.
fn sift_down(heap: &mut [(&str, usize)], mut root: usize) {
    loop {
        let mut best = root;
        for child in [2 * root + 1, 2 * root + 2] {
            if child < heap.len() && heap_before(heap[child], heap[best]) {
                best = child;
            }
        }
        if best == root {
            return;
        }
        heap.swap(root, best);
        root = best;
    }
}
