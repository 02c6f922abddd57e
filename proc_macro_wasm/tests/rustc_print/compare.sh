#!/usr/bin/env bash
# compare.sh FILE.rs...: lexes and prints each file with rustc 1.63's own
# proc_macro (dump.rs) and with ours (ours.rs) and reports any difference in
# the trees (spacing included) or in `to_string`. Files rustc reports lexing
# errors for (edition 2018 syntax, ...) are skipped.
# For example: tests/rustc_print/compare.sh $(find /usr/share/cargo/registry -name '*.rs')
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
PM=$(cd "$HERE/../../proc_macro" && pwd)
RUSTC=${RUSTC:-/usr/bin/rustc}
OUT=$(mktemp -d /tmp/rustc_print.XXXXXX)
"$RUSTC" --crate-name dump --crate-type proc-macro --edition 2021 "$HERE/dump.rs" -o "$OUT/libdump.so"
"$RUSTC" --crate-name proc_macro --crate-type rlib --edition 2021 -O "$PM/lib.rs" --out-dir "$OUT"
"$RUSTC" --edition 2021 -O --extern "proc_macro=$OUT/libproc_macro.rlib" "$HERE/ours.rs" -o "$OUT/ours"
same=0 differ=0 skipped=0 n=0 pairs=()
for f in "$@"; do
  n=$((n + 1))
  { printf 'dump::dump!("%s/%d"\n' "$OUT" "$n"; cat "$f"; printf '\n);\n'; } > "$OUT/$n.wrap.rs"
  if ! "$RUSTC" --edition 2021 --crate-type lib --crate-name "case$n" --extern "dump=$OUT/libdump.so" \
      "$OUT/$n.wrap.rs" -o "$OUT/$n.rlib" > "$OUT/$n.log" 2>&1 || grep -q '^error' "$OUT/$n.log"; then
    skipped=$((skipped + 1)); rm -f "$OUT/$n.rustc"; continue
  fi
  pairs+=("$f" "$OUT/$n")
done
[ ${#pairs[@]} -gt 0 ] && "$OUT/ours" "${pairs[@]}"
n=0
for f in "$@"; do
  n=$((n + 1))
  [ -f "$OUT/$n.rustc" ] || continue
  if cmp -s "$OUT/$n.rustc" "$OUT/$n.ours" && cmp -s "$OUT/$n.trees" "$OUT/$n.ourtrees"; then
    same=$((same + 1))
  else
    differ=$((differ + 1)); echo "differs: $f (see $OUT/$n.*)"
  fi
done
echo "same: $same, different: $differ, skipped: $skipped"
[ "$differ" = 0 ]
