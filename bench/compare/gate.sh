#!/usr/bin/env bash
# The CI gate's acceptance on this machine (docs/ci.md): does the same binary pass, and does a real
# slowdown fail? The runs are recorded as docs/ci.md tells CI to: baseline and current runs
# alternate (B C B C ...), each run one process per part, all into folders that compare reads.
#   false alarms: PAIRS pairs of RUNS baseline runs and RUNS current runs of the same binary;
#                 each failing gate is a false alarm (goal: 0 of 10).
#   power:        in the same slots, RUNS more current runs during which HOGS busy loops pinned
#                 to the benchmark's CPU run while flops runs, and only then (flops gets about
#                 1 / (HOGS + 1) of its CPU); flops must be caught (goal: >= 9 of 10), the REST
#                 (default bandwidth), which runs after the hogs have stopped, must not be flagged.
# Each run is two documents (flops, then the REST), which is how the hog is kept to flops.
# Prints each pair, the totals, the gate's resolution (detectable change) per gated metric
# and the wall time of one gated CI run (baseline + current). Everything runs pinned to one CPU.
# Usage: bench/compare/gate.sh [path-to-sysbench]   (about 10 minutes with the defaults)
set -euo pipefail
BIN=${1:-build/release/sysbench}
PAIRS=${PAIRS:-10}
RUNS=${RUNS:-4}
HOGS=${HOGS:-3}
REST=${REST:-bandwidth}  # the topics run after flops, without the hog (latency adds ~6 s a run)
ONLY=flops,$REST
if [[ ! -x "$BIN" ]]; then echo "gate.sh: no sysbench at $BIN (build it first)" >&2; exit 2; fi
PY=/usr/bin/python3
CPU=${CPU:-$($PY -c 'import os; print(min(os.sched_getaffinity(0)))')}
TMP=$(mktemp -d)
HOG=()
stop_hogs() {
  local pid
  for pid in "${HOG[@]}"; do kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; done
  HOG=()
}
cleanup() { stop_hogs; rm -rf "$TMP"; }
trap cleanup EXIT

now() { date +%s.%N; }
sysbench_pinned() {  # FILE ONLY [RUNS]
  taskset -c "$CPU" "$BIN" -q --quick --format json -o "$1" all --only "$2" --runs "${3:-1}"
}
# Run number RUN into folder DIR: flops in one document, the rest in another; with "hog", HOGS
# busy loops pinned to the same CPU run for exactly as long as the flops document takes.
one_run() {  # DIR RUN [hog]
  mkdir -p "$1"
  if [[ "${3:-}" == hog ]]; then
    for _ in $(seq 1 "$HOGS"); do
      taskset -c "$CPU" sh -c 'while :; do :; done' &
      HOG+=($!)
    done
  fi
  sysbench_pinned "$1/run$2-a.json" flops
  stop_hogs
  sysbench_pinned "$1/run$2-b.json" "$REST"
}
start=$(now); sysbench_pinned "$TMP/probe.json" "$ONLY"
PROBE_S=$($PY -c "print(f'{$(now) - $start:.2f}')")
echo "gate.sh: $PAIRS pairs of $RUNS baseline and $RUNS current runs of 'all --quick --only" \
     "$ONLY', alternating, pinned to CPU $CPU (one run $PROBE_S s); $HOGS hog(s);" \
     "load $(cut -d' ' -f1-3 /proc/loadavg)"

# Per comparison: exit code, regressed gated rows, and per gated row its change and resolution.
summarize() {  # COMPARISON.json EXIT
  $PY - "$1" "$2" <<'PYEOF'
import json, sys
doc = json.load(open(sys.argv[1]))
rows = [r for r in doc["rows"] if r["gated"]]
bad = [f'{r["command"]}:{r["metric"]}' for r in rows if r["verdict"] == "regressed"]
cells = [f'{r["command"]}:{r["metric"]} {r["change_pct"]:+.1f}% mde {r["mde_pct"] or 0:.1f}%'
         for r in rows]
print(sys.argv[2], ",".join(bad) or "-", "; ".join(cells), sep="\t")
PYEOF
}

: >"$TMP/false.tsv"; : >"$TMP/power.tsv"; : >"$TMP/wall.txt"
compare() {  # CURRENT-DIR -> "exit<TAB>regressed<TAB>cells"
  set +e
  "$BIN" -q --format json -o "$TMP/cmp.json" compare "$TMP/base" "$1" 2>/dev/null
  local code=$?
  set -e
  summarize "$TMP/cmp.json" "$code"
}
for pair in $(seq 1 "$PAIRS"); do
  rm -rf "$TMP/base" "$TMP/cur" "$TMP/slow"
  wall=0
  for run in $(seq 1 "$RUNS"); do
    start=$(now)
    one_run "$TMP/base" "$run"
    one_run "$TMP/cur" "$run"
    wall=$($PY -c "print($wall + $(now) - $start)")
    one_run "$TMP/slow" "$run" hog
  done
  echo "$wall" >>"$TMP/wall.txt"
  line=$(compare "$TMP/cur"); echo "$line" >>"$TMP/false.tsv"
  echo "pair $pair same binary: exit $(cut -f1 <<<"$line"), regressed: $(cut -f2 <<<"$line")"
  line=$(compare "$TMP/slow"); echo "$line" >>"$TMP/power.tsv"
  echo "pair $pair with hog:    exit $(cut -f1 <<<"$line"), regressed: $(cut -f2 <<<"$line");" \
       "$(cut -f3 <<<"$line" | tr ';' '\n' | grep -o 'flops:gflops [^ ]*')"
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
for command in sorted({b.split(":")[0] for _, _, cells in false for b in
                       [c.split(" ")[0] for c in cells.split("; ")]}):
    print(f"power: with the hog, {command} flagged in {flagged(power, command)} of {pairs} pairs"
          + (" (affected; goal >= 9)" if command == "flops" else " (not affected; goal 0)"))
mde = {}
for _, _, cells in false:
    for cell in cells.split("; "):
        name, rest = cell.split(" ", 1)
        mde.setdefault(name, []).append(float(rest.split("mde ")[1].rstrip("%")))
slowdown = [float(cell.split(" ")[1].rstrip("%")) for _, _, cells in power
            for cell in cells.split("; ") if cell.startswith("flops:gflops ")]
print(f"the hog's effect on flops gflops: median {statistics.median(slowdown):+.1f}% "
      f"(range {min(slowdown):+.1f}% to {max(slowdown):+.1f}%)")
print("resolution (median over the same-binary pairs of the detectable change, power 0.8):")
for name, values in mde.items():
    print(f"  {name:28s} {statistics.median(values):6.1f}%  (range {min(values):.1f}-{max(values):.1f}%)")
walls = [float(x) for x in open(f"{tmp}/wall.txt")]
print(f"wall time of a gated CI run (baseline + current): median {statistics.median(walls):.0f} s, "
      f"max {max(walls):.0f} s (goal <= 180 s)")
PYEOF
echo "load after: $(cut -d' ' -f1-3 /proc/loadavg)"
