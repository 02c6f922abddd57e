#!/usr/bin/env bash
# What a wasm proc macro costs to build against cargo's .so, with the same
# rustc 1.96: serde_derive 1.0.228 and what it links (proc-macro2, quote,
# syn 2, unicode-ident), from nothing; prints a Markdown table. Not a test.
#
#   bash bench/macro_build.sh [RUNS]
#
# - Bazel (e2e/, --config=rust_1_96): bazel clean, then (not timed) the
#   runner, our proc_macro crate and the macro side's std by building
#   //:shout, a macro without dependencies; then (timed) serde_derive's
#   target: its module at the default //settings:wasm_macro_opt_level, its
#   shim, and the macro side's proc-macro2, quote, syn and unicode-ident;
# - cargo build -p serde_derive (e2e/today's Cargo.lock, fetched before the
#   clock starts), from an empty target directory, in cargo's default
#   profile: the .so and the same crates, for the host.
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

cargo fetch -q
bazel_times="" cargo_times=""
for _ in $(seq 1 "$runs"); do
  bazel clean >/dev/null 2>&1
  bazel build "$wasm" //:shout >/dev/null 2>&1
  t=$(now)
  bazel build "$wasm" @today__serde_derive-1.0.228//:serde_derive >/dev/null 2>&1
  bazel_times+="$(elapsed "$t") "
  rm -rf "$work/target"
  t=$(now)
  cargo build -q --offline -p serde_derive
  cargo_times+="$(elapsed "$t") "
done
m() { echo "$1" | tr ' ' '\n' | grep . | median; }
b=$(m "$bazel_times") c=$(m "$cargo_times")
echo "| serde_derive 1.0.228 and what it links, from nothing ($runs runs, median, $(nproc) cores) | wall (s) | vs cargo |"
echo "|---|---:|---:|"
printf "| bazel: the module libserde_derive.wasm and its shim | %.2f | %.2f× |\n" "$b" "$(echo "$b / $c" | bc -l)"
printf "| cargo build -p serde_derive: libserde_derive.so | %.2f | 1.00× |\n" "$c"
