# Sourced by the macro benchmarks (wasm_macros.sh, today_macros.sh): runs a
# Bazel action's own command line again and prints table rows. Needs $root
# (the execution root) and $runner (the runner, relative to it).

# run_action PARAMS [FLAG...]: the action's command (runner rustc FLAG...
# @PARAMS), three times, in the execution root; prints "seconds kB": the
# median wall time and the largest peak RSS. A FLAG "FRESH_MACRO_CACHE"
# stands for --macro-cache-dir with a new empty directory each time. Stops
# the script, with the action's output, when the parameter file is missing
# or the action fails.
run_action() {
  [ -f "$root/$1" ] || { echo "no action at $1: did its target or its path change?" >&2; exit 1; }
  local params=$1 i out times=() rss=() flags=()
  shift
  for _ in 1 2 3; do
    flags=()
    for f in "$@"; do
      if [ "$f" = FRESH_MACRO_CACHE ]; then flags+=(--macro-cache-dir "$(mktemp -d)/memo"); else flags+=("$f"); fi
    done
    out=$(cd "$root" && env -i PATH="$PATH" /usr/bin/time -f '%e %M' "$runner" rustc "${flags[@]}" "@$params" 2>&1 >/dev/null) ||
      { echo "$out" | tail -n 20 >&2; echo "the action of $1 failed" >&2; exit 1; }
    out=$(tail -n 1 <<<"$out")
    times+=("${out% *}"); rss+=("${out#* }")
  done
  printf '%s %s\n' "$(printf '%s\n' "${times[@]}" | sort -n | sed -n 2p)" "$(printf '%s\n' "${rss[@]}" | sort -n | tail -n 1)"
}

# row WHAT "seconds kB": a Markdown table row.
row() { printf '| %s | %s s | %s MB |\n' "$1" "${2% *}" "$(( ${2#* } / 1024 ))"; }
