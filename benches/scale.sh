#!/usr/bin/env bash
# Generate the scale corpora (if missing) and measure how costs grow with
# corpus size. Usage: bash benches/scale.sh [SIZES...]   (default 5 300 10000 100000)
# Results: target/scale/growth.{md,csv,svg}. Corpora stay under target/scale.
set -euo pipefail
cd "$(dirname "$0")/.."
sizes=("$@")
[ ${#sizes[@]} -eq 0 ] && sizes=(5 300 10000 100000)
cargo build --release --example gen_corpus
for n in "${sizes[@]}"; do
  [ "$n" = 5 ] && continue   # the embedded seeds
  dir="target/scale/corpus-$n"
  [ -d "$dir" ] || cargo run --release --quiet --example gen_corpus -- "$n" "$dir"
done
cargo bench --bench scale -- "${sizes[@]}"
