#!/usr/bin/env bash
# Benchmarks the runner on a large real WASI program: yosys (30.8 MB,
# WASI preview 1) from the npm package @yowasp/yosys, synthesising a
# generated design. Prints a table; see bench/runnerbench. Not a test.
#
#   bash bench/run.sh [RUNS]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
work=${XDG_CACHE_HOME:-$HOME/.cache}/rules_rustc_wasm/bench
mkdir -p "$work/bin" "$work/job"
export PATH="$PATH:/usr/local/go/bin"

go build -o "$work/bin/runner" ./runner
GOBIN="$work/bin" go install github.com/tetratelabs/wazero/cmd/wazero@v1.12.0
if [ ! -f "$work/yosys/package/gen/yosys.core.wasm" ]; then
  mkdir -p "$work/yosys"
  (cd "$work/yosys" && npm pack --silent @yowasp/yosys@0.55.944 >/dev/null && tar xzf yowasp-yosys-0.55.944.tgz)
fi

# A design that keeps yosys busy: 64 chained multiply-add stages.
{
  echo "module big(input clk, input [31:0] a, input [31:0] b, output reg [31:0] y);"
  echo "  reg [31:0] r[0:63];"
  echo "  always @(posedge clk) begin"
  echo "    r[0] <= a * b;"
  for i in $(seq 1 63); do echo "    r[$i] <= (r[$((i-1))] ^ (a + $i)) + (b >> $((i % 31))) * $i;"; done
  echo "    y <= r[63];"
  echo "  end"
  echo "endmodule"
} > "$work/job/big.v"

go run ./bench/runnerbench -runner "$work/bin/runner" -wazero "$work/bin/wazero" \
  -module "$work/yosys/package/gen/yosys.core.wasm" -job "$work/job" -n "$runs" -- \
  -q -p "read_verilog big.v; hierarchy -top big; proc; opt; memory; opt; fsm; opt; stat; write_json out.json"
