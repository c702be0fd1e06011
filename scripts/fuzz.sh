#!/usr/bin/env bash
# Runs every cargo-fuzz target for a bounded time and fails on any crash,
# panic, timeout or out-of-memory.
#
#   scripts/fuzz.sh                 # every target, 30 s each
#   FUZZ_SECONDS=300 scripts/fuzz.sh request_json nearest
#
# Each target starts from a fresh temporary corpus seeded with fuzz/seeds/TARGET,
# so runs are independent and nothing is written into the repository except
# fuzz/artifacts/TARGET/ when a crash is found (git-ignored). A crash is a bug:
# turn the artifact into a test in tests/ and fix it (see README, "Fuzzing").
#
# Needs cargo-fuzz (installed here with `cargo install --locked cargo-fuzz` when
# missing). Runs on stable Rust: the targets are built without a sanitizer
# (`-s none`), with debug assertions and overflow checks on.
#
# The targets (fuzz/Cargo.toml; seeds in fuzz/seeds/TARGET):
#   size_roundtrip    size text parses and prints back unchanged
#   request_json      request bodies as text: same report twice, findings well formed
#   validate_request  typed requests: same report twice, size fixes valid, JSON round trip
#   nearest           the fast planner agrees with the exhaustive reference search
#   profile_json      profile documents: no panic, valid ones round-trip
#   estimate          pricing: same answer twice, ranges ordered, n + 1 costs at least n
#   response_json     response bodies in every shape and status: errors short, no panic
#   plan              plans from request text: calls present, bodies JSON, n adds up
set -euo pipefail

registered=(size_roundtrip request_json validate_request nearest profile_json estimate response_json plan)

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${FUZZ_SECONDS:-30}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

cd "$root/fuzz"
mapfile -t listed < <(cargo fuzz list)
if [ "$(printf '%s\n' "${listed[@]}" | sort)" != "$(printf '%s\n' "${registered[@]}" | sort)" ]; then
    echo "fuzz.sh: the targets in fuzz/Cargo.toml (${listed[*]}) differ from the list here (${registered[*]}); register new targets in both"
    exit 1
fi
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    targets=("${registered[@]}")
fi

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

echo "fuzz.sh: building ${#targets[@]} targets"
cargo fuzz build -s none

failed=()
for target in "${targets[@]}"; do
    corpus="$work/$target"
    mkdir -p "$corpus"
    if [ -d "seeds/$target" ]; then
        cp -R "seeds/$target/." "$corpus/"
    fi
    echo "fuzz.sh: $target for ${seconds}s ($(find "$corpus" -type f | wc -l) seeds)"
    log="$work/$target.log"
    # -timeout: a single input taking over 10 s counts as a hang (a crash).
    # -rss_limit_mb: going over 2 GiB counts as a crash.
    if cargo fuzz run -s none "$target" "$corpus" -- \
        -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1; then
        grep -E "^(stat::number_of_executed_units|Done)" "$log" | sed "s/^/    /" || true
    else
        echo "fuzz.sh: $target FAILED; last lines of its log:"
        tail -n 40 "$log"
        failed+=("$target")
    fi
done

if [ "${#failed[@]}" -gt 0 ]; then
    echo "fuzz.sh: crashes in: ${failed[*]} (artifacts under fuzz/artifacts/)"
    exit 1
fi
echo "fuzz.sh: ${#targets[@]} targets, no crash"
