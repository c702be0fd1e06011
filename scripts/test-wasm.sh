#!/usr/bin/env bash
# Builds the WebAssembly package and runs its two suites: the node tests
# (node --test wasm/tests/, including the shared case table the Rust crate is
# checked against) and the browser suite (the page in web/ driven in Debian's
# chromium by playwright-core; installs chromium with apt-get when missing).
# The browser suite ends with a line `N passed, N failed`.
set -euo pipefail
cd "$(dirname "$0")/.."
# Share the root package's target dir unless told otherwise: the bindings
# crate builds the same dependencies.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$PWD/target}"

step() { printf '\n==> %s\n' "$*"; }

bash scripts/build-wasm.sh

step "size gate: the optimised module under 325,000 bytes gzipped (gzip -9)"
# Issue 12 asks for under 175,000 bytes gzipped. With every document read by
# its derived `Deserialize` through serde_path_to_error the module measured
# 238,722 (209,926 without path tracking), so that budget is not met and this
# gate only stops a regression past the measured size; see wasm/README.md.
# Issues 13 and 14 (parameters, constraints, models and the wire as data, the
# December 2026 catalog, thirteen profiles, loadCatalog/loadPrices) took it to
# 309,957 gzipped (811,845 bytes), so the gate moved from 250,000 to 325,000.
# The raw size is printed, not gated.
module=web/pkg/gpt_image_plan_bg.wasm
bytes=$(wc -c <"$module" | tr -d ' ')
gzipped=$(gzip -9c "$module" | wc -c | tr -d ' ')
echo "$module: $bytes bytes, $gzipped gzipped (gzip -9)"
if (( gzipped >= 325000 )); then
  echo "test-wasm: the module is over its size gate (325,000 bytes gzipped)" >&2
  exit 1
fi

step "bindings crate: clippy (host and wasm32) and native tests (wasm/)"
cargo clippy --manifest-path wasm/Cargo.toml --all-targets -- -D warnings
cargo clippy --manifest-path wasm/Cargo.toml --target wasm32-unknown-unknown -- -D warnings
cargo test --manifest-path wasm/Cargo.toml

step "TypeScript definitions type-check (tsc --strict)"
wasm/node_modules/.bin/tsc -p wasm/types-check/tsconfig.json

step "node --test wasm/tests/"
node --test wasm/tests/

step "chromium"
if [[ ! -x /usr/bin/chromium ]]; then
  sudo=""
  if [[ $(id -u) != 0 ]]; then sudo="sudo"; fi
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core >/dev/null
fi
/usr/bin/chromium --version 2>/dev/null || true

step "browser suite (web/ on 127.0.0.1, headless chromium)"
node wasm/browser/page.mjs
