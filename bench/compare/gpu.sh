#!/usr/bin/env bash
# Issue 17's acceptance on a machine with an NVIDIA GPU: `sysbench gpu` (timed: the whole GPU part
# must take <= 20 s), `flops --device all` (the CPU next to the GPU, ratio per data type, and the
# json document with the devices in its context), then the peer (bench/compare/gpu_peer.py:
# PyTorch's cuBLAS GEMMs and copies) and the acceptance lines. Exit 1 when a line fails.
# Usage: bench/compare/gpu.sh [path/to/sysbench] [folder to keep the json in]
set -uo pipefail
SYSBENCH=${1:-build/release/sysbench}
keep=${2:-}
here=$(cd "$(dirname "$0")" && pwd)
work=$(mktemp -d "${TMPDIR:-/tmp}/sysbench-gpu-compare-XXXXXX")
trap 'rm -rf "$work"' EXIT INT TERM
failed=0
start=$(date +%s.%N)
"$SYSBENCH" --format json -o "$work/gpu.json" gpu || failed=1
end=$(date +%s.%N)
seconds=$(awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", e - s}')
"$SYSBENCH" --format text -o "$work/gpu.txt" report "$work/gpu.json" >/dev/null 2>&1 || true
cat "$work/gpu.txt" 2>/dev/null
if awk -v s="$seconds" 'BEGIN {exit !(s <= 20)}'; then
  echo "PASS  sysbench gpu took ${seconds} s (<= 20)"
else
  echo "FAIL  sysbench gpu took ${seconds} s (<= 20)"
  failed=1
fi
"$SYSBENCH" -q --format json -o "$work/flops-all.json" flops --device all || failed=1
if python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); assert d["context"]["gpus"]' \
  "$work/flops-all.json"; then
  echo "PASS  flops --device all: json parses and its context names the GPUs"
else
  echo "FAIL  flops --device all: json or its context's gpus"
  failed=1
fi
python3 "$here/gpu_peer.py" "$work/gpu.json" "$work/flops-all.json" || failed=1
[ -n "$keep" ] && cp "$work"/*.json "$keep"/ 2>/dev/null
exit "$failed"
