#!/usr/bin/env bash
# The memory of wasm macro expansions, as the process's peak RSS (the
# sandbox promises at most 2 x the memory cap plus a fixed overhead): a
# macro that allocates until the cap stops it, at several caps, and an
# identifier of several sizes echoed through a macro. Each row is one
# process (a child of runner/macroexpand's tests: TestSandboxChild).
#   bash bench/macro_sandbox.sh
set -euo pipefail
cd "$(dirname "$0")/../runner"
export PATH="$PATH:/usr/local/go/bin"
bin=$(mktemp -d)/macroexpand.test
trap 'rm -rf "$(dirname "$bin")"' EXIT
go test -c -o "$bin" ./macroexpand
child=RULES_RUSTC_WASM_SANDBOX_CHILD
run() { # NAME VAR VALUE -> "peak_MiB seconds"
  local start end out
  start=$(date +%s.%N)
  out=$(cd macroexpand && env "$child=$1" "${child}_$2=$3" "$bin" -test.run='^TestSandboxChild$')
  end=$(date +%s.%N)
  printf '%d %.1f' "$(( $(sed -n 's/^peak-rss-kib //p' <<<"$out") / 1024 ))" "$(echo "$end - $start" | bc)"
}
echo "| case | memory cap | peak RSS | wall (incl. building the macro module once per process) |"
echo "|---|---|---|---|"
for cap in 64 256 1024; do
  read -r peak secs <<<"$(run grows CAP_MIB "$cap")"
  echo "| allocates until the cap stops it | $cap MiB | $peak MiB | $secs s |"
done
for size in 10 100; do
  read -r peak secs <<<"$(run echo-big INPUT_MIB "$size")"
  echo "| echoes an identifier of $size MiB | 1024 MiB | $peak MiB | $secs s |"
done
