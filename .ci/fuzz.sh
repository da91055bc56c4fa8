#!/usr/bin/env bash
# Fuzzes Dossier with cargo-fuzz (libFuzzer): builds every target under
# fuzz/ and runs each for FUZZ_SECONDS (default 60), printing the number of
# executions. Exits non-zero when a target crashes (the input is kept under
# fuzz/artifacts/<target>/).
#
# libFuzzer needs nightly compiler flags (-Z sanitizer, sancov passes); the
# one toolchain here is stable, which accepts them with RUSTC_BOOTSTRAP=1.
# AddressSanitizer works with it; set FUZZ_SANITIZER=none to build without.
set -euo pipefail
cd "$(dirname "$0")/.."

seconds="${FUZZ_SECONDS:-60}"
sanitizer="${FUZZ_SANITIZER:-address}"
export RUSTC_BOOTSTRAP=1
export CARGO_TERM_COLOR=never

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "== installing cargo-fuzz"
    cargo install --locked cargo-fuzz
fi

echo "== cargo fuzz build (sanitizer: $sanitizer)"
cargo fuzz build -O -s "$sanitizer"

status=0
for target in $(cargo fuzz list); do
    corpus="fuzz/corpus/$target"
    mkdir -p "$corpus"
    log="$(mktemp)"
    echo "== fuzz $target for ${seconds}s"
    if cargo fuzz run -O -s "$sanitizer" "$target" "$corpus" "fuzz/seeds/$target" -- \
        -max_total_time="$seconds" -max_len=65536 -timeout=20 -rss_limit_mb=4096 \
        -print_final_stats=1 >"$log" 2>&1; then
        runs="$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || true)"
        echo "$target: ${runs:-?} executions, no crash"
    else
        status=1
        echo "$target: CRASH"
        tail -n 60 "$log"
    fi
    rm -f "$log"
done
exit "$status"
