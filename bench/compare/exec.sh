#!/usr/bin/env bash
# `sysbench exec` five times in a row: the spread (max - min over median) of each slowdown and
# speed-up ratio across the runs. Goal: within 5% on a quiet machine (other load moves the ways'
# timings apart, and a loaded 2-CPU machine cannot show a 2-thread speed-up at all).
# Usage: bench/compare/exec.sh [path-to-sysbench] [runs]
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
RUNS=${2:-5}
[ -x "$SYSBENCH" ] || { echo "exec.sh: no '$SYSBENCH' (build it first)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
  "$SYSBENCH" --quiet --format json -o "$dir/run$i.json" exec
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$dir" "$RUNS" <<'PY'
import json, sys
folder, runs = sys.argv[1], int(sys.argv[2])
ratios = {}
for i in range(1, runs + 1):
    for r in json.load(open(f"{folder}/run{i}.json"))["results"]:
        for m in r["metrics"]:
            if m["name"] in ("slowdown_vs_native", "speedup_vs_1_worker"):
                ratios.setdefault((r["case"], m["name"]), []).append(m["value"])
worst = 0.0
print(f"{'case':28} {'ratio':20} {'median':>8} {'spread':>7}")
for (case, name), values in ratios.items():
    values.sort()
    median = values[len(values) // 2]
    spread = 100 * (values[-1] - values[0]) / median
    worst = max(worst, spread)
    print(f"{case:28} {name:20} {median:8.2f} {spread:6.1f}%")
print(f"widest spread {worst:.1f}% (goal: 5% on a quiet machine)")
PY
