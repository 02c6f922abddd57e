#!/usr/bin/env bash
# Today's crates (e2e/today: serde 1.0.228 with serde_derive, serde_json,
# thiserror 2, derive_more 2, strum 0.27, clap 4.6, async-trait, rustversion,
# proc-macro-error2, syn 2, quote, proc-macro2) built from nothing by Bazel
# and by cargo with the same rustc 1.96 for wasm32-wasip1; prints a Markdown
# table. Not a test.
#
#   bash bench/today_crates.sh [RUNS]
#
# - Bazel (e2e/, --config=rust_1_96): //today:all, every crate alias, after
#   bazel clean; the runner and our proc_macro crate built before the clock
#   starts (by //:shout, a macro without dependencies); with the expansion
#   cache off, so that every expansion runs, as in a first build; with and
#   without pipelined compilation;
# - cargo build --target wasm32-wasip1 of e2e/today's package (its lib.rs is
#   empty: the same crates), its Cargo.lock fetched before the clock starts,
#   from an empty target directory, in cargo's default profile.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
# shellcheck source=bench/timing.sh
source "$here/timing.sh"
cd "$here/../e2e"
runs=${1:-3}
wasm=--config=rust_1_96
rust=$(rust_1_96)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cargo() { today_cargo "$rust" "$work/target" "$@"; }
bazel_full() {
  bazel clean >/dev/null 2>&1
  bazel build "$wasm" "$@" //:shout >/dev/null 2>&1
  local t; t=$(now)
  bazel build "$wasm" "$@" //today:all >/dev/null 2>&1
  elapsed "$t"
}

cargo fetch -q
plain="" pipelined="" cargo_times=""
for _ in $(seq 1 "$runs"); do
  plain+="$(bazel_full --@rules_rustc_wasm//settings:wasm_macro_cache=false) "
  pipelined+="$(bazel_full --@rules_rustc_wasm//settings:wasm_macro_cache=false --@rules_rustc_wasm//settings:pipelined_compilation=true) "
  rm -rf "$work/target"
  t=$(now)
  cargo build -q --offline --target wasm32-wasip1
  cargo_times+="$(elapsed "$t") "
done
m() { echo "$1" | tr ' ' '\n' | grep . | median; }
c=$(m "$cargo_times")
echo "| today's crates for wasm32-wasip1, rustc 1.96, from nothing ($runs runs, median, $(nproc) cores) | wall (s) | vs cargo |"
echo "|---|---:|---:|"
row() { printf "| %s | %.2f | %.2f× |\n" "$1" "$2" "$(echo "$2 / $c" | bc -l)"; }
row "bazel build //today:all, every expansion run" "$(m "$plain")"
row "  the same, pipelined" "$(m "$pipelined")"
row "cargo build --target wasm32-wasip1" "$c"
