#!/usr/bin/env bash
# The CI gate's acceptance on this machine (docs/ci.md): does the same binary pass, and does a real
# slowdown fail?
#   false alarms: PAIRS pairs of (baseline of BASE_RUNS runs, current of CUR_RUNS runs) of the same
#                 binary; every failing gate is a false alarm (goal: 0 of 10).
#   power:        the same pairs again, with a CPU hog pinned to the benchmark's CPU for the first
#                 part of the current run only (while flops runs); flops must be caught (goal:
#                 >= 9 of 10) and bandwidth, which runs seconds after the hog has stopped, must not
#                 be flagged. latency runs right after flops and may feel the hog's tail: reported.
# Prints each pair, the totals, the gate's resolution (detectable change) per gated metric, and the
# wall time of one gated CI run (baseline + current). Everything runs pinned to one CPU.
# Usage: bench/compare/gate.sh [path-to-sysbench]   (about 8 minutes with the defaults)
set -euo pipefail
BIN=${1:-build/release/sysbench}
PAIRS=${PAIRS:-10}
BASE_RUNS=${BASE_RUNS:-4}
CUR_RUNS=${CUR_RUNS:-1}
ONLY=${ONLY:-flops,latency,bandwidth}
if [[ ! -x "$BIN" ]]; then echo "gate.sh: no sysbench at $BIN (build it first)" >&2; exit 2; fi
PY=/usr/bin/python3
CPU=${CPU:-$($PY -c 'import os; print(min(os.sched_getaffinity(0)))')}
TMP=$(mktemp -d)
HOG=
cleanup() { if [[ -n "$HOG" ]]; then kill "$HOG" 2>/dev/null || true; fi; rm -rf "$TMP"; }
trap cleanup EXIT

now() { date +%s.%N; }
record() {  # FILE RUNS
  taskset -c "$CPU" "$BIN" -q --quick --format json -o "$1" all --only "$ONLY" --runs "$2"
}
# The hog lasts about as long as flops takes under it (flops alone, measured once, times 2).
start=$(now); record "$TMP/probe.json" 1
PROBE_S=$($PY -c "print(f'{$(now) - $start:.2f}')")
start=$(now); taskset -c "$CPU" "$BIN" -q --quick --format json -o "$TMP/flops.json" all --only flops
HOG_S=${HOG_S:-$($PY -c "print(f'{2 * ($(now) - $start):.2f}')")}
echo "gate.sh: $PAIRS pairs; baseline $BASE_RUNS run(s), current $CUR_RUNS run(s) of 'all --quick" \
     "--only $ONLY' pinned to CPU $CPU (one run $PROBE_S s); hog $HOG_S s; load $(cut -d' ' -f1-3 /proc/loadavg)"

# Per comparison: exit code, regressed gated rows, and per gated row its change and resolution.
summarize() {  # COMPARISON.json EXIT
  $PY - "$1" "$2" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
rows = [r for r in doc["rows"] if r["gated"]]
bad = [f'{r["command"]}:{r["metric"]}' for r in rows if r["verdict"] == "regressed"]
cells = [f'{r["command"]}:{r["metric"]} {r["change_pct"]:+.1f}%/mde {r["mde_pct"] or 0:.1f}%'
         for r in rows]
print(sys.argv[2], ",".join(bad) or "-", "; ".join(cells), sep="\t")
PYEOF
}

: >"$TMP/false.tsv"; : >"$TMP/power.tsv"; : >"$TMP/wall.txt"
for pair in $(seq 1 "$PAIRS"); do
  start=$(now)
  record "$TMP/base.json" "$BASE_RUNS"
  record "$TMP/cur.json" "$CUR_RUNS"
  $PY -c "print($(now) - $start)" >>"$TMP/wall.txt"
  set +e
  "$BIN" -q --format json -o "$TMP/cmp.json" compare "$TMP/base.json" "$TMP/cur.json" 2>/dev/null
  code=$?
  set -e
  line=$(summarize "$TMP/cmp.json" "$code"); echo "$line" >>"$TMP/false.tsv"
  echo "pair $pair same binary: exit $code, regressed: $(cut -f2 <<<"$line")"

  taskset -c "$CPU" timeout "$HOG_S" sh -c 'while :; do :; done' &
  HOG=$!
  record "$TMP/slow.json" "$CUR_RUNS"
  wait "$HOG" 2>/dev/null || true
  HOG=
  set +e
  "$BIN" -q --format json -o "$TMP/cmp.json" compare "$TMP/base.json" "$TMP/slow.json" 2>/dev/null
  code=$?
  set -e
  line=$(summarize "$TMP/cmp.json" "$code"); echo "$line" >>"$TMP/power.tsv"
  echo "pair $pair with hog:    exit $code, regressed: $(cut -f2 <<<"$line")"
done

$PY - "$TMP" "$PAIRS" <<'PYEOF'
import statistics, sys
tmp, pairs = sys.argv[1], int(sys.argv[2])
def load(name):
    return [line.rstrip("\n").split("\t") for line in open(f"{tmp}/{name}") if line.strip()]
false, power = load("false.tsv"), load("power.tsv")
failing = sum(1 for code, *_ in false if code != "0")
print(f"false alarms: {failing} of {pairs} same-binary pairs failed the gate (goal 0)")
def flagged(rows, command):
    return sum(1 for _, bad, _ in rows if any(b.startswith(command + ":") for b in bad.split(",")))
for command in ("flops", "latency", "bandwidth"):
    print(f"power: with the hog, {command} flagged in {flagged(power, command)} of {pairs} pairs"
          + {"flops": " (affected; goal >= 9)", "latency": " (runs right after the hog: may feel it)",
             "bandwidth": " (not affected; goal 0)"}[command])
mde = {}
for _, _, cells in false:
    for cell in cells.split("; "):
        name, rest = cell.split(" ", 1)
        mde.setdefault(name, []).append(float(rest.split("mde ")[1].rstrip("%")))
print("resolution (median over the same-binary pairs of the detectable change, power 0.8):")
for name, values in mde.items():
    print(f"  {name:28s} {statistics.median(values):6.1f}%  (range {min(values):.1f}-{max(values):.1f}%)")
walls = [float(x) for x in open(f"{tmp}/wall.txt")]
print(f"wall time of a gated CI run (baseline + current): median {statistics.median(walls):.0f} s, "
      f"max {max(walls):.0f} s (goal <= 180 s)")
PYEOF
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
