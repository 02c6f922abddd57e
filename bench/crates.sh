#!/usr/bin/env bash
# Builds the examples' crate graph (serde, serde_derive, thiserror,
# thiserror-impl, syn, quote, proc-macro2, unicode-ident, proc-macro-error,
# our two syn/quote macros and the program, //examples/config:config_tool) three ways, with the same
# rustc (Debian's 1.63, native flavour), and prints a table. Not a test.
#
#   bash bench/crates.sh [RUNS]
#
# - Bazel: every Rust action rebuilt (bazel clean), with Bazel's server warm
#   and the runner already built (before the clock starts), with every
#   macro expansion run or replayed from the expansion cache, and with and
#   without pipelined compilation (the variants below). With Debian's
#   native rustc the compiles run in Bazel's sandbox: the persistent worker
#   serves rustc.wasm only (a native rustc gains nothing from it), so
#   --//settings:use_worker makes no difference here and is not timed;
# - cargo build --offline --target wasm32-wasi, from an empty target dir,
#   against the same crate sources (/usr/share/cargo/registry);
# - a no-op Bazel rebuild.
set -euo pipefail
# shellcheck source=bench/timing.sh
source "$(dirname "$0")/timing.sh"
cd "$(dirname "$0")/.."
runs=${1:-3}
export PATH="$PATH:/usr/local/go/bin"
target=//examples/config:config_tool
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

# A cargo workspace over the same sources as the Bazel targets.
mkdir -p "$work/cargo_home" "$work/ws"
cat >"$work/cargo_home/config.toml" <<EOF
[source.crates-io]
replace-with = "debian"
[source.debian]
directory = "/usr/share/cargo/registry"
[net]
offline = true
EOF
root=$PWD
cat >"$work/ws/Cargo.toml" <<EOF
[workspace]
members = ["field_names", "non_empty", "config_tool"]
EOF
mkdir -p "$work/ws/field_names" "$work/ws/non_empty" "$work/ws/config_tool"
cat >"$work/ws/non_empty/Cargo.toml" <<EOF
[package]
name = "non_empty"
version = "0.0.0"
edition = "2021"
[lib]
path = "$root/examples/config/non_empty.rs"
proc-macro = true
[dependencies]
syn = { version = "1", features = ["full"] }
quote = "1"
proc-macro2 = "1"
proc-macro-error = "1"
EOF
cat >"$work/ws/field_names/Cargo.toml" <<EOF
[package]
name = "field_names"
version = "0.0.0"
edition = "2021"
[lib]
path = "$root/examples/config/field_names.rs"
proc-macro = true
[dependencies]
syn = "1"
quote = "1"
proc-macro2 = "1"
EOF
cat >"$work/ws/config_tool/Cargo.toml" <<EOF
[package]
name = "config_tool"
version = "0.0.0"
edition = "2021"
[[bin]]
name = "config_tool"
path = "$root/examples/config/main.rs"
[dependencies]
field_names = { path = "../field_names" }
non_empty = { path = "../non_empty" }
serde = { version = "1", features = ["derive"] }
thiserror = "1"
EOF
cargo_build() {
  rm -rf "$work/ws/target"
  (cd "$work/ws" && CARGO_HOME="$work/cargo_home" RUSTC=/usr/bin/rustc /usr/bin/cargo build -q --offline --target wasm32-wasi)
}

bazel_full() {
  bazel clean >/dev/null 2>&1
  bazel build "$@" //runner //examples/macros:naming >/dev/null 2>&1 # the runner, host and exec; not timed
  local t; t=$(now)
  bazel build "$@" "$target" >/dev/null 2>&1
  elapsed "$t"
}

# What is timed, each from an empty output tree: the label and the flags.
# "all run": every macro expansion runs (the expansion cache off), as in a
# first build; "replayed": the default, with the expansions kept by the
# runs before (the cache survives bazel clean, as it does a fresh
# checkout); "pipelined": //settings:pipelined_compilation.
variants=(
  "bazel build, all Rust rebuilt, expansions all run|--//settings:wasm_macro_cache=false"
  "  the same, pipelined|--//settings:wasm_macro_cache=false --//settings:pipelined_compilation=true"
  "bazel build, all Rust rebuilt, expansions replayed|"
  "  the same, pipelined|--//settings:pipelined_compilation=true"
)

declare -A times
bazel_full >/dev/null # not timed: keeps the expansions the "replayed" rows replay
for i in $(seq 1 "$runs"); do
  for v in "${!variants[@]}"; do
    read -r -a flags <<<"${variants[$v]#*|}"
    times[$v]+="$(bazel_full "${flags[@]}") "
  done
  bazel build "$target" >/dev/null 2>&1
  t=$(now); bazel build "$target" >/dev/null 2>&1; times[noop]+="$(elapsed "$t") "
  t=$(now); cargo_build; times[cargo]+="$(elapsed "$t") "
done

m() { echo "${times[$1]}" | tr ' ' '\n' | grep . | median; }
cargo=$(m cargo)
echo "| build of \`$target\` ($runs runs, median, $(nproc) cores) | wall (s) | vs cargo |"
echo "|---|---:|---:|"
row() { printf "| %s | %.2f | %.2f× |\n" "$1" "$2" "$(echo "$2 / $cargo" | bc -l)"; }
for v in "${!variants[@]}"; do row "${variants[$v]%%|*}" "$(m "$v")"; done
row "cargo build --offline --target wasm32-wasi" "$cargo"
printf "| %s | %.2f | |\n" "bazel build, no-op rebuild" "$(m noop)"
