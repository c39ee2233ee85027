#!/usr/bin/env bash
# Varint encode/decode: sysbench's kernels against libprotobuf's CodedOutputStream/CodedInputStream
# on the same values, in one run (bench/serialize_bench.cc, built only when protobuf is found).
# Usage: bench/compare/serialize.sh [path-to-sysbench_serialize_bench]
set -euo pipefail
BENCH=${1:-build/release/bench/sysbench_serialize_bench}
[ -x "$BENCH" ] || { echo "serialize.sh: no '$BENCH' (install libprotobuf-dev, reconfigure, build target sysbench_serialize_bench)" >&2; exit 2; }
"$BENCH" --benchmark_min_time=0.3 --benchmark_repetitions=3 --benchmark_report_aggregates_only=true \
  --benchmark_format=json 2>/dev/null | python3 -c '
import json, sys
rates = {}
for b in json.load(sys.stdin)["benchmarks"]:
    if b.get("aggregate_name") != "median":
        continue
    name, dist = b["run_name"].split("/")
    rates[(name, int(dist))] = b["items_per_second"]
dists = ["small", "u32", "u64"]
print("op      dist         sysbench       protobuf   ratio")
for op in ("Encode", "Decode"):
    for d, dname in enumerate(dists):
        ours, peer = rates[(f"BM_{op}Sysbench", d)], rates[(f"BM_{op}Protobuf", d)]
        print(f"{op.lower():7} {dname:6} {ours/1e6:10.1f} M/s {peer/1e6:10.1f} M/s {ours/peer:7.2f}")
print("bar: ratio >= 1 (values/s, median of 3 repetitions)")
'
