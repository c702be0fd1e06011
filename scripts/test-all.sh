#!/usr/bin/env bash
# Runs every test of gpt-image-plan on a fresh machine, installing what it needs
# first: lints, unit/integration/doc tests (README included), the wasm32 build.
set -euo pipefail
cd "$(dirname "$0")/.."

step() { printf '\n==> %s\n' "$*"; }

step "toolchain components"
rustup component add rustfmt clippy >/dev/null
rustup target add wasm32-unknown-unknown >/dev/null

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --all-targets --all-features -- -D warnings"
cargo clippy --all-targets --all-features -- -D warnings

step "cargo test --all-features (unit, integration, doctests, README)"
cargo test --all-features

step "core builds for wasm32-unknown-unknown"
cargo build --lib --target wasm32-unknown-unknown

step "WebAssembly package: node tests and browser suite (scripts/test-wasm.sh)"
bash scripts/test-wasm.sh

step "fuzz every target for 30 s (scripts/fuzz.sh; fails on any crash)"
bash scripts/fuzz.sh
