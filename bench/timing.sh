# Sourced by the benchmarks that time whole builds (crates.sh,
# macro_build.sh, today_crates.sh): wall times and their median, and
# rustc 1.96's cargo over e2e/today's Cargo.toml.

now() { date +%s.%N; }
# elapsed START: the seconds since START (a now).
elapsed() { echo "$(now) - $1" | bc; }
# median: of the numbers on stdin, one a line.
median() { sort -n | awk '{a[NR]=$1} END {print (NR % 2) ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2}'; }

# rust_1_96: where .ci/setup put rustc 1.96 (rules/private/versions.bzl's
# RUST_1_96 dir and strip_prefix); stops the script if it is not there.
rust_1_96() {
  local root; root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
  local v="$root/rules/private/versions.bzl" b="$root/offline_bootstrap/bzl_value.py" dist
  dist=$(python3 "$b" "$v" RUST_1_96 dir)/$(python3 "$b" "$v" RUST_1_96 strip_prefix)
  [ -x "$dist/bin/cargo" ] || { echo "no rustc 1.96 at $dist: run .ci/setup" >&2; exit 1; }
  echo "$dist"
}

# today_cargo DIST TARGET_DIR ARGS...: DIST's cargo (rustc 1.96's) on
# e2e/today's Cargo.toml, from e2e/, with its target directory TARGET_DIR.
today_cargo() {
  local dist=$1 target=$2; shift 2
  RUSTC="$dist/bin/rustc" CARGO_TARGET_DIR="$target" "$dist/bin/cargo" "$@" --manifest-path today/Cargo.toml
}
