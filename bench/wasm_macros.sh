#!/usr/bin/env bash
# Wasm proc macros against dylib proc macros, with the same native rustc
# (Debian's 1.63): prints a Markdown table. Not a test.
#
# - the compile of a crate with 150 serde derives (both ways) and 40
#   thiserror derives (//bench/wasm_macros:many_derives), its dependencies
#   already built;
# - building serde_derive itself: its module (and shim) vs its .so;
# - the one-time wazero compile of libserde_derive.wasm, and loading it back
#   from wazero's file cache;
# - peak RSS (the largest process of the compile).
# Each compile is the Bazel action's own command line, run again in the
# execution root, median of 3 (wall time).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$(dirname "$0")/.."
export PATH="$PATH:/usr/local/go/bin"
dylib=--extra_toolchains=@rustc_native_dylib//:toolchain
root=$(bazel info execution_root 2>/dev/null)
bin=bazel-out/k8-fastbuild/bin
runner=bazel-out/host/bin/runner/runner_/runner
sd=$bin/external/crates__serde_derive-1.0.152/_rustc_wasm/serde_derive

# shellcheck source=bench/actions.sh
source "$here/actions.sh"

bazel build --define=BENCH_SEED=1 //bench/wasm_macros:many_derives >/dev/null 2>&1
wasm_dep=$(run_action $bin/bench/wasm_macros/_rustc_wasm/many_derives/libmany_derives.rlib-0.params)
wasm_module=$(run_action $sd/libserde_derive.wasm-0.params)
wasm_shim=$(run_action $sd/shim/libserde_derive.so-0.params)
module_table=$(go run ./bench/macrobench -module "$root/$sd/libserde_derive.wasm")

bazel build "$dylib" --define=BENCH_SEED=1 //bench/wasm_macros:many_derives >/dev/null 2>&1
dylib_dep=$(run_action $bin/bench/wasm_macros/_rustc_wasm/many_derives/libmany_derives.rlib-0.params)
dylib_macro=$(run_action $sd/libserde_derive.so-0.params)

echo "| what | wall (median of 3) | peak RSS |"
echo "|---|---|---|"
row "many_derives (150 serde + 40 thiserror derives), wasm macros" "$wasm_dep"
row "many_derives, dylib macros" "$dylib_dep"
row "serde_derive as lib<name>.wasm (module)" "$wasm_module"
row "serde_derive's native shim" "$wasm_shim"
row "serde_derive as .so" "$dylib_macro"
echo
echo "| module | what | time |"
echo "|---|---|---|"
echo "$module_table"
echo
echo "ratio of the dependent's compile, wasm/dylib: $(echo "${wasm_dep% *} ${dylib_dep% *}" | awk '{printf "%.2f", $1 / $2}')"
