#!/usr/bin/env bash
# regen.sh: rewrites the expected outputs in proc_macro/tests/print_cases.txt
# from rustc 1.63 (see regen.rs). Add a case as `#### case NAME` + source.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
RUSTC=${RUSTC:-/usr/bin/rustc}
OUT=$(mktemp -d /tmp/rustc_print.XXXXXX)
"$RUSTC" --crate-name dump --crate-type proc-macro --edition 2021 "$HERE/dump.rs" -o "$OUT/libdump.so"
"$RUSTC" --edition 2021 -O "$HERE/regen.rs" -o "$OUT/regen"
RUSTC=$RUSTC "$OUT/regen" "$HERE/../../proc_macro/tests/print_cases.txt" "$OUT/libdump.so" "$OUT"
