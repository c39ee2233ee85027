#!/usr/bin/env bash
# `sysbench exec` several times in a row (default 5): how far each slowdown and speed-up ratio
# moves between the runs, PASS or FAIL against issue 18's goal (every ratio within 5%: max - min
# over the median). Slowdowns are CPU-time ratios, which other load hardly moves; speed-ups are
# wall-time ratios taken from the rounds in which every worker had its CPU, and a run flags a
# speed-up when too few rounds had (other load or the hypervisor held a CPU). A flagged value is
# not a measurement of the way, so a ratio flagged in any run is FLAGGED, not PASS. The machine's
# load is printed with the figures, and the wall time of each run against its bar (10 s,
# --quick 2 s). Exit code 0 when every ratio passed, 1 otherwise.
# Usage: bench/compare/exec.sh [path-to-sysbench] [runs] [extra sysbench options, e.g. --quick]
#   EXEC_OPTIONS="--interpreters 1" passes options of the exec command itself.
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
RUNS=${2:-5}
shift $(($# < 2 ? $# : 2))
[ -x "$SYSBENCH" ] || { echo "exec.sh: no '$SYSBENCH' (build it first)" >&2; exit 2; }
bar=10
for option in "$@"; do [ "$option" = --quick ] && bar=2; done
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
for i in $(seq "$RUNS"); do
  start=$(date +%s.%N)
  # shellcheck disable=SC2086  # EXEC_OPTIONS is a list of words
  "$SYSBENCH" --quiet --format json -o "$dir/run$i.json" "$@" exec ${EXEC_OPTIONS:-}
  echo "run $i: $(awk -v s="$start" -v e="$(date +%s.%N)" -v bar="$bar" \
    'BEGIN {t = e - s; printf "%.2f s (bar %d s: %s)", t, bar, t <= bar ? "PASS" : "FAIL"}'), load $(cut -d' ' -f1 /proc/loadavg)"
done
echo "load average after:  $(cut -d' ' -f1-3 /proc/loadavg)"
python3 - "$dir" "$RUNS" <<'PY'
import json, sys
folder, runs = sys.argv[1], int(sys.argv[2])
GOAL = 5.0
values = {}   # (case, ratio) -> (run, value) of each run that reported one, in run order
flagged = {}  # (case, ratio) -> the runs that flagged it
without = {}  # case -> rounds in which a worker lacked its CPU, per run
contended = set()
for i in range(1, runs + 1):
    for r in json.load(open(f"{folder}/run{i}.json"))["results"]:
        if r.get("contention", {}).get("contended"):
            contended.add(i)
        metrics = {m["name"]: m["value"] for m in r["metrics"]}
        if "rounds_without_cpus" in metrics:
            without.setdefault(r["case"], []).append(metrics["rounds_without_cpus"])
        for name in ("slowdown_vs_native", "speedup_vs_1_worker"):
            if name + "_flag" in metrics:  # a withheld ratio has its flag and no value
                flagged.setdefault((r["case"], name), []).append(i)
                values.setdefault((r["case"], name), [])
            if name in metrics:
                values.setdefault((r["case"], name), []).append((i, metrics[name]))

def spread(v):
    if not v:
        return float("inf"), float("nan")
    ordered = sorted(v)
    median = ordered[len(ordered) // 2]
    return 100 * (ordered[-1] - ordered[0]) / median if median else float("inf"), median

print(f"{'case':26} {'ratio':20} {'median':>8} {'max-min':>8}  verdict   values by run")
verdicts = {}
for (case, name), pairs in values.items():
    v = [x for _, x in pairs]
    width, median = spread(v)
    runs_flagged = flagged.get((case, name), [])
    verdict = "FLAGGED" if runs_flagged else ("PASS" if width <= GOAL else "FAIL")
    if len(v) < runs and not runs_flagged:
        verdict = "FAIL"  # missing from a run
    verdicts.setdefault(name, []).append(verdict)
    figures = f"{median:8.3f} {width:7.1f}%" if v else f"{'-':>8} {'-':>8}"  # withheld in every run
    line = f"{case:26} {name:20} {figures}  {verdict:8}  " + " ".join(
        f"{dict(pairs)[i]:.3g}" if i in dict(pairs) else ("withheld" if i in runs_flagged else "missing")
        for i in range(1, runs + 1))
    if runs_flagged:
        line += f"  (flagged in run {','.join(map(str, runs_flagged))}"
        kept = [x for i, x in pairs if i not in runs_flagged]
        if len(kept) > 1:
            line += f"; the others {spread(kept)[0]:.1f}%"
        line += ")"
    print(line)
for name, vs in verdicts.items():
    print(f"{name}: {vs.count('PASS')} of {len(vs)} PASS (within {GOAL:g}% over {runs} runs), "
          f"{vs.count('FAIL')} FAIL, {vs.count('FLAGGED')} FLAGGED (a run said its workers lacked "
          f"their CPUs)")
    if vs.count("FLAGGED"):
        kept = [spread(unflagged)[0] for key, pairs in values.items()
                if key[1] == name and key in flagged
                for unflagged in [[x for i, x in pairs if i not in flagged[key]]]
                if len(unflagged) > 1]
        print(f"  the flagged ones over their unflagged runs: {sum(w <= GOAL for w in kept)} of "
              f"{len(kept)} within {GOAL:g}%" + (f" (widest {max(kept):.1f}%)" if kept else ""))
lacking = "; ".join(f"{case} {','.join(map(str, n))}" for case, n in without.items() if any(n))
print("rounds in which a worker lacked its CPU, per run: " + (lacking or "none"))
if contended:
    print(f"runs with other load beside them (contended): {sorted(contended)}")
all_pass = all(v == "PASS" for vs in verdicts.values() for v in vs)
print("verdict: " + ("PASS" if all_pass else "FAIL") + f" (every ratio within {GOAL:g}%)")
sys.exit(0 if all_pass else 1)
PY
