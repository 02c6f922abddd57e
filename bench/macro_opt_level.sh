#!/usr/bin/env bash
# The opt-level of wasm proc-macro modules, and of the libraries they link
# (syn, quote, proc-macro2, ...), as a trade-off: what it costs to build
# them against what it saves in every expansion. With rustc 1.96 (e2e/'s
# --config=rust_1_96) and today's serde_derive, thiserror-impl and
# clap_derive (e2e//today_bench:many_derives); prints a Markdown table. Not
# a test.
#
#   bash bench/macro_opt_level.sh [LEVEL...]    (default: 0 1 2 3 s)
#
# For each level (//settings:wasm_macro_opt_level):
# - the macro side's build: the sum of the wall times of the actions that
#   compile the macro crates' modules and what they link, and the module
#   sizes, from a Bazel profile of the build that switches to the level
#   (only those actions and their dependents run again);
# - the dependent's compile (150 serde + 40 thiserror + 20 clap derives),
#   its action run again with every expansion run (--no-macro-cache),
#   median of 3;
# and, for reference, the same crates as .so proc macros (cargo's default
# profile builds proc macros and their dependencies at opt-level 0).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../e2e"
levels=("$@")
[ ${#levels[@]} -gt 0 ] || levels=(0 1 2 3 s)
wasm=--config=rust_1_96
root=$(bazel info execution_root 2>/dev/null)
bin=bazel-out/k8-fastbuild/bin
runner=bazel-out/host/bin/external/rules_rustc_wasm/runner/runner_/runner
dep=$bin/today_bench/_rustc_wasm/many_derives/libmany_derives.rlib-0.params
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# shellcheck source=bench/actions.sh
source "$here/actions.sh"

# build LEVEL PROFILE: the bench crate at LEVEL, profiled.
build() {
  local log="$work/log"
  bazel build "$wasm" "--@rules_rustc_wasm//settings:wasm_macro_opt_level=$1" --profile="$2" \
    --define=BENCH_SEED=1 //today_bench:many_derives >"$log" 2>&1 ||
    { tail -n 30 "$log" >&2; echo "bazel build at opt-level $1 failed" >&2; exit 1; }
}

# macro_side PROFILE: "seconds count": the summed wall time of the compiles
# that build wasm proc-macro modules and the libraries only they use (the
# crates of a macro's dependency graph: syn, quote, proc-macro2,
# unicode-ident, heck, the macro crates, and our proc_macro crate), from the
# profile's action events.
macro_side() {
  python3 - "$1" <<'PY'
import json, re, sys
events = json.load(open(sys.argv[1]))
events = events["traceEvents"] if isinstance(events, dict) else events
macro = re.compile(r"Compiling Rust (proc-macro module|library) (@today__(syn|quote|proc-macro2|unicode-ident|serde_derive|thiserror-impl|clap_derive|heck)-|@rules_rustc_wasm//proc_macro_wasm:)")
total, n = 0.0, 0
for e in events:
    if e.get("ph") == "X" and macro.search(e.get("name", "")):
        total += e.get("dur", 0) / 1e6
        n += 1
print("%.1f %d" % (total, n))
PY
}

sizes() {
  local s=""
  for m in serde_derive:today__serde_derive-1.0.228 thiserror_impl:today__thiserror-impl-2.0.21 clap_derive:today__clap_derive-4.6.9; do
    s+="$(( $(stat -c %s "$root/$bin/external/${m#*:}/_rustc_wasm/${m%%:*}/lib${m%%:*}.wasm") / 1024 )) KiB, "
  done
  echo "${s%, }"
}

# Start from a build at a level not measured, so that each measured level
# rebuilds the macro side.
build z "$work/warmup.json"
echo "| opt-level | macro side: compile actions (sum of wall times) | modules (serde_derive, thiserror-impl, clap_derive) | many_derives compile, every expansion run (median of 3) | peak RSS |"
echo "|---|---|---|---|---|"
for level in "${levels[@]}"; do
  build "$level" "$work/$level.json"
  side=$(macro_side "$work/$level.json")
  compile=$(run_action "$dep" --no-macro-cache)
  printf '| %s | %s s (%s actions) | %s | %s s | %s MB |\n' "$level" "${side% *}" "${side#* }" "$(sizes)" "${compile% *}" "$(( ${compile#* } / 1024 ))"
done
