#!/usr/bin/env bash
# `sysbench exec` several times in a row (default 5): how far each slowdown and speed-up ratio
# moves between the runs. Goal (issue 18): every ratio within 5%. Slowdowns are CPU-time ratios,
# which other load hardly moves; speed-ups are wall-time ratios, which a loaded machine cannot
# hold still (a 2-CPU machine with other work on it has no second CPU to give). The machine's load
# is printed with the figures, and the wall time of each run against its bar (10 s, --quick 2 s).
# Usage: bench/compare/exec.sh [path-to-sysbench] [runs] [extra sysbench options, e.g. --quick]
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
RUNS=${2:-5}
shift $(($# < 2 ? $# : 2))
[ -x "$SYSBENCH" ] || { echo "exec.sh: no '$SYSBENCH' (build it first)" >&2; exit 2; }
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  "$SYSBENCH" --quiet --format json -o "$dir/run$i.json" "$@" exec
  echo "run $i: $(awk -v s="$start" -v e="$(date +%s.%N)" 'BEGIN {printf "%.2f", e - s}') s, load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$dir" "$RUNS" <<'PY'
import json, math, sys
folder, runs = sys.argv[1], int(sys.argv[2])
ratios = {}
by_run = {}  # the values in run order, shown where a ratio moved more than the goal
contended = set()
for i in range(1, runs + 1):
    for r in json.load(open(f"{folder}/run{i}.json"))["results"]:
        if r.get("contention", {}).get("contended"):
            contended.add(i)
        for m in r["metrics"]:
            if m["name"] in ("slowdown_vs_native", "speedup_vs_1_worker"):
                ratios.setdefault((r["case"], m["name"]), []).append(m["value"])
                by_run.setdefault((r["case"], m["name"]), []).append(m["value"])
# range: (max - min) / median; noise: the standard deviation of the logarithms, in percent (the
# between-run noise `sysbench compare` reports as noise_pct).
print(f"{'case':26} {'ratio':20} {'median':>8} {'range':>7} {'noise':>6}")
worst = {}
for (case, name), values in ratios.items():
    values.sort()
    median = values[len(values) // 2]
    spread = 100 * (values[-1] - values[0]) / median
    logs = [math.log(v) for v in values if v > 0]
    mean = sum(logs) / len(logs)
    noise = 100 * math.sqrt(sum((v - mean) ** 2 for v in logs) / max(len(logs) - 1, 1))
    mark = "" if spread <= 5 else "  over 5%: " + " ".join(f"{v:.3g}" for v in by_run[case, name])
    worst[name] = max(worst.get(name, 0.0), spread)
    print(f"{case:26} {name:20} {median:8.3f} {spread:6.1f}% {noise:5.1f}%{mark}")
for name, spread in worst.items():
    print(f"widest range of {name}: {spread:.1f}% (goal: 5%)")
if contended:
    print(f"runs with other load beside them (contended): {sorted(contended)}")
PY
