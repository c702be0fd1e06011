//! Minifies the embedded data at build time, and writes the built-in price
//! table as Rust constant data.
//!
//! The pretty-printed files under `data/` stay the source of truth; the crate
//! embeds copies without the whitespace between tokens (about a third of the
//! bytes), written to `OUT_DIR` with the same relative paths. Only whitespace
//! outside strings is dropped, so key order, duplicate keys, number spelling
//! and every string stay exactly as written: the minified text parses to the
//! same values with the same errors. No dependency is needed for that.
//!
//! `data/prices.json` is also turned into Rust source (`OUT_DIR/prices.rs`):
//! the table as constant data (plain strings, numbers and slices) that
//! `src/price/builtin.rs` turns into the typed `PriceTable` with a few loops,
//! so the library reads no JSON to get its own prices (and a WebAssembly
//! build that never reads a user table links no price-table reader), and the
//! code that builds the table does not grow with its entries. The JSON file
//! stays the single source of truth; a test checks that the generated table
//! equals the one `PriceTable::from_json` reads from the same file, and that
//! it passes the table's checks. This script only reads `serde_json` values
//! and fails the build on anything it does not understand.

#[path = "build/price_gen.rs"]
mod price_gen;

use std::fs;
use std::path::Path;

/// The embedded files, relative to the package root.
const FILES: [&str; 8] = [
    "data/models.json",
    "data/prices.json",
    "data/profiles/openai.json",
    "data/profiles/wavespeed.json",
    "data/profiles/enum-sizes.json",
    "data/profiles/uniall.json",
    "data/profiles/infinityblue.json",
    "data/profiles/all-required.json",
];

fn main() {
    let out_dir = std::env::var("OUT_DIR").expect("cargo sets OUT_DIR for build scripts");
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=build/price_gen.rs");
    for file in FILES {
        println!("cargo:rerun-if-changed={file}");
        let text = fs::read_to_string(file).unwrap_or_else(|e| panic!("reading {file}: {e}"));
        let target = Path::new(&out_dir).join(file);
        if let Some(dir) = target.parent() {
            fs::create_dir_all(dir).unwrap_or_else(|e| panic!("creating {}: {e}", dir.display()));
        }
        fs::write(&target, minify(&text))
            .unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
    }
    let prices = fs::read_to_string("data/prices.json")
        .unwrap_or_else(|e| panic!("reading data/prices.json: {e}"));
    let target = Path::new(&out_dir).join("prices.rs");
    fs::write(&target, price_gen::generate(&prices))
        .unwrap_or_else(|e| panic!("writing {}: {e}", target.display()));
}

/// JSON text without the insignificant whitespace (space, tab, line feed and
/// carriage return outside strings, RFC 8259 section 2).
fn minify(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let (mut in_string, mut escaped) = (false, false);
    for c in text.chars() {
        if in_string {
            out.push(c);
            if escaped {
                escaped = false;
            } else if c == '\\' {
                escaped = true;
            } else if c == '"' {
                in_string = false;
            }
        } else if c == '"' {
            in_string = true;
            out.push(c);
        } else if !matches!(c, ' ' | '\t' | '\n' | '\r') {
            out.push(c);
        }
    }
    out
}
