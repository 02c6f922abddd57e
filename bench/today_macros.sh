#!/usr/bin/env bash
# Today's macro crates as wasm modules against the same crates as .so
# proc macros, with rustc 1.96 (e2e/'s --config=rust_1_96 and
# @rust_1_96_dylib): prints Markdown tables. Not a test.
#
# - building serde_derive 1.0.228, thiserror-impl 2 and clap_derive 4.6:
#   each module (lib<name>.wasm, and its native shim) vs its .so;
# - the compile of a crate with 150 serde derives, 40 thiserror derives and
#   20 clap Parser derives (e2e//today_bench:many_derives), its
#   dependencies already built: its macros expanded by wazero (every
#   expansion run; with an empty expansion cache, which runs and keeps
#   them; with the cache filled, as after an edit that leaves the derived
#   types alone, where every expansion is replayed) vs by rustc from the
#   .so files;
# - peak RSS (the largest process of the compile).
# Each compile is the Bazel action's own command line, run again in the
# execution root, median of 3 (wall time). Needs offline_bootstrap/rust_1_96.sh
# (run by .ci/setup).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$0")/../e2e"
wasm=--config=rust_1_96
dylib=--extra_toolchains=@rust_1_96_dylib//:toolchain
root=$(bazel info execution_root 2>/dev/null)
bin=bazel-out/k8-fastbuild/bin
runner=bazel-out/host/bin/external/rules_rustc_wasm/runner/runner_/runner
dep=$bin/today_bench/_rustc_wasm/many_derives/libmany_derives.rlib-0.params
# name:repository of each macro crate.
macros=(serde_derive:today__serde_derive-1.0.228 thiserror_impl:today__thiserror-impl-2.0.21 clap_derive:today__clap_derive-4.6.9)

# shellcheck source=bench/actions.sh
source "$here/actions.sh"
dir_of() { echo "$bin/external/${1#*:}/_rustc_wasm/${1%%:*}"; }

# build FLAGS...: the bench crate and what it uses; the log when it fails.
build() {
  local log; log=$(mktemp)
  bazel build "$@" --define=BENCH_SEED=1 //today_bench:many_derives >"$log" 2>&1 || { tail -n 30 "$log" >&2; echo "bazel build $* failed" >&2; exit 1; }
  rm -f "$log"
}

declare -A module shim so
build "$wasm"
# The paths below are Bazel 4's (host and k8-fastbuild configurations).
[ -x "$root/$runner" ] || { echo "no runner at $runner: this script knows Bazel 4's output paths" >&2; exit 1; }
wasm_dep=$(run_action "$dep" --no-macro-cache)
wasm_cold=$(run_action "$dep" FRESH_MACRO_CACHE)
memo=$(mktemp -d)/memo
run_action "$dep" --macro-cache-dir "$memo" >/dev/null
wasm_warm=$(run_action "$dep" --macro-cache-dir "$memo")
# The time the runner spent expanding inside the dependent's compile, from
# its report: every expansion run, then every one replayed (as after an
# edit that leaves the derived types alone, such as a function body's).
expanding() {
  (cd "$root" && env -i PATH="$PATH" "$runner" rustc --macro-cache-report --macro-cache-dir "$1" "@$dep" 2>&1 >/dev/null) |
    sed -n 's/^wasm proc macros: .*; \([0-9.]*\) s expanding$/\1/p'
}
report=$(mktemp -d)/memo
expanding_run=$(expanding "$report")
expanding_replayed=$(expanding "$report")
for m in "${macros[@]}"; do
  d=$(dir_of "$m")
  module[$m]=$(run_action "$d/lib${m%%:*}.wasm-0.params")
  shim[$m]=$(run_action "$d/shim/lib${m%%:*}.so-0.params")
done
build "$dylib"
dylib_dep=$(run_action "$dep")
for m in "${macros[@]}"; do
  so[$m]=$(run_action "$(dir_of "$m")/lib${m%%:*}.so-0.params")
done

echo "| what (rustc 1.96) | wall (median of 3) | peak RSS |"
echo "|---|---|---|"
for m in "${macros[@]}"; do
  n=${m%%:*}
  row "$n as lib$n.wasm (module at the default opt-level, unwinding std)" "${module[$m]}"
  row "$n's native shim" "${shim[$m]}"
  row "$n as .so" "${so[$m]}"
done
row "many_derives (150 serde + 40 thiserror + 20 clap derives), wasm macros, every expansion run" "$wasm_dep"
row "many_derives, wasm macros, empty expansion cache (run and kept)" "$wasm_cold"
row "many_derives, wasm macros, expansion cache filled (every expansion replayed)" "$wasm_warm"
row "many_derives, .so macros" "$dylib_dep"
echo
ratio() { echo "${1% *} ${2% *}" | awk '{printf "%.2f", $1 / $2}'; }
echo "ratio of the dependent's compile to the .so one: every expansion run $(ratio "$wasm_dep" "$dylib_dep"), replayed $(ratio "$wasm_warm" "$dylib_dep")"
echo "time the runner spent expanding in the dependent's compile (its --macro-cache-report): every expansion run ${expanding_run} s, every one replayed ${expanding_replayed} s ($(echo "$expanding_replayed $expanding_run" | awk '{printf "%.1f", 100 * $1 / $2}') %)"
