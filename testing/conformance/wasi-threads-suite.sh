#!/usr/bin/env bash
# Runs the wasi-threads test suite (WebAssembly/wasi-threads, test/testsuite,
# checked out locally: a yardstick, not part of this repository) through the
# runner and prints "N passed, N failed". The .wat tests are assembled with
# wabt; the C test with clang-19 and wasi-libc, which has no threads
# variant, so its one thread-spawn declaration is supplied here. Each test
# gets a stdin that stays open, as three tests wait in fd_read(0).
#
#   bash testing/conformance/wasi-threads-suite.sh RUNNER WASI_THREADS_CHECKOUT
set -uo pipefail
runner=$1 suite=$2/test/testsuite
out=$(mktemp -d)
pass=0 fail=0
check() { # NAME WASM WANT
  local got
  timeout 25 "$runner" run --no-cache "$2" >/dev/null 2>"$out/$1.err" < <(sleep 30)
  got=$?
  if [ "$got" = "$3" ]; then pass=$((pass + 1)); echo "ok   $1"
  else fail=$((fail + 1)); echo "FAIL $1: exit $got, want $3: $(head -c 300 "$out/$1.err")"; fi
}
for w in "$suite"/*.wat; do
  n=$(basename "$w" .wat)
  want=0
  [ -f "$suite/$n.json" ] && want=$(sed -n 's/.*"exit_code": *\([0-9]*\).*/\1/p' "$suite/$n.json")
  wat2wasm --enable-threads "$w" -o "$out/$n.wasm" || { fail=$((fail + 1)); echo "FAIL $n: wat2wasm"; continue; }
  check "$n" "$out/$n.wasm" "${want:-0}"
done
cflags=(--target=wasm32-wasi --sysroot=/usr -O2 -matomics -mbulk-memory)
printf '#include <stdint.h>\n__attribute__((import_module("wasi"), import_name("thread-spawn"))) int32_t __wasi_thread_spawn(void *start_arg);\n' >"$out/decl.h"
for c in "$suite"/*.c; do
  n=$(basename "$c" .c)
  if clang-19 "${cflags[@]}" -include "$out/decl.h" -c "$c" -o "$out/$n.o" &&
    clang-19 "${cflags[@]}" -c "$suite/wasi_thread_spawn.S" -o "$out/start.o" &&
    clang-19 "${cflags[@]}" -Wl,--shared-memory -Wl,--import-memory -Wl,--max-memory=67108864 \
      -Wl,--no-check-features -Wl,--export=wasi_thread_start "$out/$n.o" "$out/start.o" -o "$out/$n.wasm"; then
    check "$n" "$out/$n.wasm" 0
  else
    fail=$((fail + 1)); echo "FAIL $n: does not build"
  fi
done
echo "$pass passed, $fail failed"
[ "$fail" = 0 ]
