#!/usr/bin/env bash
# End-to-end check of proc_macro_wasm, without Bazel:
#  1. builds our proc_macro for wasm32-wasi, and with it two macro crates in
#     their rewritten form as WebAssembly commands: tests/demo_macros.rs (the
#     bare API) and tests/field_names.rs (examples/config, on syn + quote +
#     proc-macro2, which are built for wasm32-wasi against our proc_macro);
#  2. checks that the modules have the `.rustc_proc_macro_decls` and
#     `rules_rustc_wasm.macro` custom sections;
#  3. builds the bridge, a shim per macro crate (as the spec generates them)
#     and tests/helper.rs, which serves the macro socket the way the runner
#     does, running each expansion with `runner run`;
#  4. compiles native crates that use the macros through the shims, runs
#     them, and checks panics, compile errors and the unset-socket message;
#  5. runs saved requests through `runner run` directly and decodes the
#     frames: a normal one, a panic (status 1 before the trap), a garbage
#     request and an unknown macro.
#
# Usage: proc_macro_wasm/tests/e2e.sh [OUT_DIR]   (default: a new /tmp dir)
# RUNNER=path uses that runner binary instead of building ./runner with go.
# Needs: /usr/bin/rustc 1.63 with wasm32-wasi, go, wasm-objdump (wabt), and
# the Debian sources of syn 1.0.107, quote 1.0.21, proc-macro2 1.0.47 and
# unicode-ident 1.0.0 in /usr/share/cargo/registry (librust-syn-dev ...).
#
# TODAY=1 does the same with rustc 1.96 (offline_bootstrap/rust_1_96.sh),
# wasm32-wasip1 and today's crates: tests/today/Cargo.lock's proc-macro2,
# quote and syn 2, fetched from the crate registry with `cargo vendor`;
# proc-macro2's own build script, run as Cargo would, says which of rustc
# 1.96's proc_macro API it calls.
set -euo pipefail

HERE=$(cd "$(dirname "$0")/.." && pwd)
ROOT=$(cd "$HERE/.." && pwd)
T=$HERE/tests
OUT=${1:-$(mktemp -d /tmp/proc_macro_wasm_e2e.XXXXXX)}
mkdir -p "$OUT/wasm" "$OUT/native" "$OUT/requests" "$OUT/cache"
if [ -n "${TODAY:-}" ]; then
  # Where offline_bootstrap/rust_1_96.sh puts it (rules/private/versions.bzl).
  bzl() { python3 "$ROOT/offline_bootstrap/bzl_value.py" "$ROOT/rules/private/versions.bzl" RUST_1_96 "$1"; }
  R196=${R196:-$(bzl dir)/$(bzl strip_prefix)}
  RUSTC=$R196/bin/rustc TARGET=wasm32-wasip1 REG=$OUT/vendor
  rm -rf "$REG"
  (cd "$T/today" && CARGO_HOME=$OUT/cargo_home "$R196/bin/cargo" vendor -q --locked --versioned-dirs "$REG" >/dev/null)
else
  RUSTC=${RUSTC:-/usr/bin/rustc} TARGET=wasm32-wasi REG=${CARGO_REGISTRY:-/usr/share/cargo/registry}
fi
# crate NAME: the source directory of the one version of NAME in $REG.
crate() {
  local d; d=$(ls -d "$REG/$1"-[0-9]* 2>/dev/null)
  [ "$(echo "$d" | wc -w)" = 1 ] || fail "want one $1 in $REG, found: ${d:-none}"
  echo "$d"
}
edition() { sed -n 's/^edition *= *"\(.*\)"/\1/p' "$1/Cargo.toml" | head -1; }
SOCKET=$OUT/macro.sock
SERVER_PID=

step() { echo "== $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
cleanup() { if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; fi; }
trap cleanup EXIT

# expect_in FILE TEXT: FILE must contain TEXT.
expect_in() { grep -qF -- "$2" "$1" || { echo "--- $1:"; cat "$1"; fail "expected ${2@Q} in $1"; }; }

if [ -n "${RUNNER:-}" ]; then
  step "runner: $RUNNER"
else
  step "runner (go build)"
  RUNNER=$OUT/runner
  (cd "$ROOT" && go build -o "$RUNNER" ./runner)
fi
printf '#!/bin/sh\nexec %q run --cache-dir %q "$@"\n' "$RUNNER" "$OUT/cache" > "$OUT/run-guest"
chmod +x "$OUT/run-guest"

step "proc_macro ($TARGET, $("$RUSTC" --version))"
"$RUSTC" --crate-name proc_macro --crate-type rlib --edition 2021 --target "$TARGET" -O -D warnings \
  "$HERE/proc_macro/lib.rs" --out-dir "$OUT/wasm"
WASM=(--target "$TARGET" -O -L "$OUT/wasm" --extern "proc_macro=$OUT/wasm/libproc_macro.rlib")

step "demo_macros.wasm"
"$RUSTC" --crate-name demo_macros --crate-type bin --edition 2021 "${WASM[@]}" -D warnings \
  "$T/demo_macros.rs" -o "$OUT/libdemo_macros.wasm"

step "unicode-ident, proc-macro2, quote, syn ($TARGET, against our proc_macro)"
LIB=(--crate-type rlib "${WASM[@]}" --cap-lints allow --out-dir "$OUT/wasm")
# One assignment a line: set -e sees each lookup's failure.
UI=$(crate unicode-ident)
PM2=$(crate proc-macro2)
QUOTE=$(crate quote)
SYN=$(crate syn)
echo "$(basename "$UI") $(basename "$PM2") $(basename "$QUOTE") $(basename "$SYN")"
PM2_FEATURES=(--cfg 'feature="proc-macro"' --cfg 'feature="default"')
if [ -n "${TODAY:-}" ]; then
  # proc-macro2's build script, as Cargo runs it for this target: it probes
  # rustc's proc_macro for the target and prints the cfgs of what it calls.
  "$RUSTC" --edition "$(edition "$PM2")" "${PM2_FEATURES[@]}" -o "$OUT/pm2-build" "$PM2/build.rs"
  mkdir -p "$OUT/pm2-out"
  PM2_CFGS=()
  for c in $(cd "$PM2" && RUSTC=$RUSTC TARGET=$TARGET HOST=$("$RUSTC" -vV | sed -n 's/^host: //p') OUT_DIR=$OUT/pm2-out \
    CARGO_FEATURE_PROC_MACRO=1 CARGO_FEATURE_DEFAULT=1 "$OUT/pm2-build" | sed -n 's/^cargo:rustc-cfg=//p'); do
    PM2_CFGS+=(--cfg "$c")
  done
  echo "proc-macro2's build script: ${PM2_CFGS[*]}"
  # rustc 1.96's API is there: proc-macro2 wraps it and calls the newer parts.
  for c in wrap_proc_macro proc_macro_span_location proc_macro_span_file; do
    [[ " ${PM2_CFGS[*]} " == *" $c "* ]] || fail "proc-macro2's build script did not print $c"
  done
else
  # 1.0.47's script leaves these out on wasm32 (the rules add them too).
  PM2_CFGS=(--cfg use_proc_macro --cfg wrap_proc_macro)
fi
"$RUSTC" --crate-name unicode_ident "${LIB[@]}" --edition "$(edition "$UI")" "$UI/src/lib.rs"
"$RUSTC" --crate-name proc_macro2 "${LIB[@]}" --edition "$(edition "$PM2")" "${PM2_CFGS[@]}" "${PM2_FEATURES[@]}" \
  --extern "unicode_ident=$OUT/wasm/libunicode_ident.rlib" "$PM2/src/lib.rs"
"$RUSTC" --crate-name quote "${LIB[@]}" --edition "$(edition "$QUOTE")" --cfg 'feature="proc-macro"' --cfg 'feature="default"' \
  --extern "proc_macro2=$OUT/wasm/libproc_macro2.rlib" "$QUOTE/src/lib.rs"
# syn 1 leaves its proc_macro API out on wasm32-wasi: build a copy without
# that gate (syn 2 has none).
rm -rf "$OUT/syn-src"
cp -r "$SYN/src" "$OUT/syn-src"
{ grep -rl 'target_os = "wasi"' "$OUT/syn-src" || true; } | xargs -r sed -i 's/target_os = "wasi"/target_os = "wasi_rules_rustc_wasm_never"/g'
SYN_FEATURES=()
for f in default derive parsing printing clone-impls proc-macro full extra-traits visit; do
  SYN_FEATURES+=(--cfg "feature=\"$f\"")
done
"$RUSTC" --crate-name syn "${LIB[@]}" --edition "$(edition "$SYN")" "${SYN_FEATURES[@]}" \
  --extern "proc_macro2=$OUT/wasm/libproc_macro2.rlib" --extern "quote=$OUT/wasm/libquote.rlib" \
  --extern "unicode_ident=$OUT/wasm/libunicode_ident.rlib" "$OUT/syn-src/lib.rs"

step "field_names.wasm (examples/config, rewritten)"
"$RUSTC" --crate-name field_names --crate-type bin --edition 2021 "${WASM[@]}" -D warnings \
  --extern "syn=$OUT/wasm/libsyn.rlib" --extern "quote=$OUT/wasm/libquote.rlib" \
  "$T/field_names.rs" -o "$OUT/libfield_names.wasm"

step "custom sections"
for m in demo_macros field_names; do
  wasm-objdump -h "$OUT/lib$m.wasm" > "$OUT/$m.sections"
  expect_in "$OUT/$m.sections" '".rustc_proc_macro_decls"'
  expect_in "$OUT/$m.sections" '"rules_rustc_wasm.macro"'
done
grep -aqF 'derive:Describe:derive_describe:describe' "$OUT/libdemo_macros.wasm" || fail "declarations missing"
grep -aqF 'v1 field_names-00000000deadbeef' "$OUT/libfield_names.wasm" || fail "key missing"

step "bridge, shims, helper (native)"
"$RUSTC" --crate-name rules_rustc_wasm_bridge --crate-type rlib --edition 2021 -O -D warnings \
  "$HERE/bridge/lib.rs" --out-dir "$OUT/native"
SHIM=(--crate-type proc-macro --edition 2021 -O -L "$OUT/native"
  --extern "rules_rustc_wasm_bridge=$OUT/native/librules_rustc_wasm_bridge.rlib")
"$RUSTC" --crate-name demo_macros "${SHIM[@]}" "$T/demo_shim.rs" -o "$OUT/native/libdemo_macros.so"
"$RUSTC" --crate-name field_names "${SHIM[@]}" "$T/field_names_shim.rs" -o "$OUT/native/libfield_names.so"
"$RUSTC" --crate-name helper --edition 2021 -O -D warnings "$T/helper.rs" -o "$OUT/helper"

"$OUT/helper" serve "$SOCKET" "$OUT/run-guest" "$OUT/requests" \
  "demo_macros-0123456789abcdef=$OUT/libdemo_macros.wasm" \
  "field_names-00000000deadbeef=$OUT/libfield_names.wasm" &
SERVER_PID=$!
for _ in $(seq 50); do [ -S "$SOCKET" ] && break; sleep 0.1; done
[ -S "$SOCKET" ] || fail "the helper did not open $SOCKET"
export RULES_RUSTC_WASM_MACRO_SOCKET=$SOCKET
USER=(--edition 2021 -L "$OUT/native")

step "demo_user: derive, attributes, bang macros, derived spans"
# Our TokenStream::to_string prints as rustc 1.63 does (proc_macro/print.rs).
PRINTING=()
[ -n "${TODAY:-}" ] || PRINTING=(--cfg printing_is_rustc_1_63s)
RUSTC_RELEASE=$("$RUSTC" --version) "$RUSTC" "${USER[@]}" "${PRINTING[@]}" --extern "demo_macros=$OUT/native/libdemo_macros.so" "$T/demo_user.rs" \
  -o "$OUT/demo_user" > "$OUT/demo_user.rustc.out"
expect_in "$OUT/demo_user.rustc.out" "sum: 6"
"$OUT/demo_user" > "$OUT/demo_user.out"
expect_in "$OUT/demo_user.out" "[trace] hello"
expect_in "$OUT/demo_user.out" "demo_user: ok"
grep "left out" "$OUT/demo_user.out" || true

step "demo_user_panic: a macro panic is rustc's 'proc macro panicked'"
if "$RUSTC" "${USER[@]}" --extern "demo_macros=$OUT/native/libdemo_macros.so" "$T/demo_user_panic.rs" \
  -o "$OUT/demo_user_panic" 2> "$OUT/demo_user_panic.err"; then
  fail "demo_user_panic compiled"
fi
expect_in "$OUT/demo_user_panic.err" "proc macro panicked"
expect_in "$OUT/demo_user_panic.err" "boom: a + b"

step "field_names_user: syn + quote derive"
"$RUSTC" "${USER[@]}" --extern "field_names=$OUT/native/libfield_names.so" "$T/field_names_user.rs" \
  -o "$OUT/field_names_user"
"$OUT/field_names_user" > "$OUT/field_names_user.out"
expect_in "$OUT/field_names_user.out" 'field_names_user: ok ["name", "greeting", "punctuation"]'

step "field_names_enum: syn's compile error, at the enum's name"
if "$RUSTC" "${USER[@]}" --extern "field_names=$OUT/native/libfield_names.so" "$T/field_names_enum.rs" \
  -o "$OUT/field_names_enum" 2> "$OUT/field_names_enum.err"; then
  fail "field_names_enum compiled"
fi
expect_in "$OUT/field_names_enum.err" "error: FieldNames works on structs only"
expect_in "$OUT/field_names_enum.err" "field_names_enum.rs:5:6"

step "without the socket: the bridge's message"
if env -u RULES_RUSTC_WASM_MACRO_SOCKET "$RUSTC" "${USER[@]}" --extern "demo_macros=$OUT/native/libdemo_macros.so" \
  "$T/demo_user_panic.rs" -o "$OUT/no_socket" 2> "$OUT/no_socket.err"; then
  fail "compiled without the socket"
fi
expect_in "$OUT/no_socket.err" '`demo_macros` is a WebAssembly proc macro: it expands only when rustc runs under rules_rustc_wasm'"'"'s runner (RULES_RUSTC_WASM_MACRO_SOCKET is not set)'

step "guest frames straight from runner run"
# decode NAME EXPECTED_EXIT < request: runs demo_macros.wasm, decodes its stdout.
decode() {
  local status=0
  "$OUT/run-guest" "$OUT/libdemo_macros.wasm" > "$OUT/$1.stdout" 2> "$OUT/$1.stderr" || status=$?
  [ "$status" = "$2" ] || { cat "$OUT/$1.stderr"; fail "$1: runner exit $status, expected $2"; }
  "$OUT/helper" decode "$OUT/$1.stdout" > "$OUT/$1.decoded" || { cat "$OUT/$1.decoded"; fail "$1: no frame"; }
}
request_with() { grep -laF "$1" "$OUT"/requests/demo_macros-*.req | head -1; }
SUM_REQ=$(request_with sum)
BOOM_REQ=$(request_with boom)
decode sum 0 < "$SUM_REQ"
expect_in "$OUT/sum.decoded" 'printed: "sum: 6\n"'
expect_in "$OUT/sum.decoded" "status: ok, 0 new spans, 1 trees, 0 input groups"
decode make_ident 0 < "$(request_with make_ident)"
expect_in "$OUT/make_ident.decoded" "status: ok, 3 new spans, 5 trees, 0 input groups"
decode keep 0 < "$(request_with kept)"
expect_in "$OUT/keep.decoded" "status: ok, 0 new spans, 13 trees, 2 input groups"
decode boom 134 < "$BOOM_REQ"
expect_in "$OUT/boom.decoded" "status: panic: boom: a + b"
decode garbage 0 < <(printf 'not a request')
expect_in "$OUT/garbage.decoded" "status: panic: bad request: not a rules_rustc_wasm request (bad magic)"
decode truncated 0 < <(head -c 20 "$SUM_REQ")
expect_in "$OUT/truncated.decoded" "status: panic: bad request: truncated"
decode unknown 0 < <(LC_ALL=C sed 's/\x03\x00\x00\x00sum/\x03\x00\x00\x00sux/' "$SUM_REQ")
expect_in "$OUT/unknown.decoded" 'status: panic: this module has no bang macro named `sux`'

echo "e2e: all checks passed (outputs in $OUT)"
