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
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
seconds="${FUZZ_SECONDS:-30}"

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz.sh: installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

cd "$root/fuzz"
if [ "$#" -gt 0 ]; then
    targets=("$@")
else
    mapfile -t targets < <(cargo fuzz list)
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
