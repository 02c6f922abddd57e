#!/usr/bin/env bash
# Benchmarks the runner's hardening (child processes for the worker's
# requests, the collector off while guest code runs) against the runner
# before it, on clang (75.5 MB, WASI preview 1) from npm's @yowasp/clang:
# clang++ -O2 -c one process per job, with --timeout, through the
# persistent worker, and the worker's fixed cost per request. Prints a
# table; see bench/hardeningbench. Not a test.
#
#   bash bench/hardening.sh [RUNS] [BEFORE_COMMIT]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
before=${2:-d306d82}
work=${XDG_CACHE_HOME:-$HOME/.cache}/rules_rustc_wasm/bench
mkdir -p "$work/bin" "$work/clang"
export PATH="$PATH:/usr/local/go/bin"

go build -o "$work/bin/runner-after" ./runner
rm -rf "$work/before-src"
git worktree add -q --detach "$work/before-src" "$before"
(cd "$work/before-src" && go build -o "$work/bin/runner-before" ./runner)
git worktree remove --force "$work/before-src"

pkg=$work/clang/package
if [ ! -f "$pkg/gen/llvm.core.wasm" ]; then
  (cd "$work/clang" && npm pack --silent @yowasp/clang@22.0.0-git20542-10 >/dev/null && tar xzf yowasp-clang-22.0.0-git20542-10.tgz)
fi
job=$work/clang/job
if [ ! -d "$job/usr" ]; then
  mkdir -p "$job/usr"
  tar xf "$pkg/gen/llvm-resources.tar" -C "$job/usr"
fi
cat > "$job/job.cpp" <<'CPP'
#include <algorithm>
#include <iostream>
#include <map>
#include <sstream>
#include <string>
#include <vector>
template <int N> struct Fib { static constexpr long v = Fib<N - 1>::v + Fib<N - 2>::v; };
template <> struct Fib<0> { static constexpr long v = 0; };
template <> struct Fib<1> { static constexpr long v = 1; };
std::string render(const std::map<std::string, std::vector<int>> &m) {
  std::ostringstream o;
  for (auto &[k, v] : m) { o << k << ":"; for (int x : v) o << x << ","; o << "\n"; }
  return o.str();
}
int main() {
  std::map<std::string, std::vector<int>> m;
  for (int i = 0; i < 100; i++) {
    auto &v = m[std::to_string(i)];
    for (int j = 0; j < i; j++) v.push_back(j * Fib<40>::v);
    std::sort(v.begin(), v.end());
  }
  std::cout << render(m);
}
CPP

go run ./bench/hardeningbench -runner before="$work/bin/runner-before" -runner after="$work/bin/runner-after" \
  -module "$pkg/gen/llvm.core.wasm" -job "$job" -cache-dir "$work/hardening-cache" -n "$runs"
