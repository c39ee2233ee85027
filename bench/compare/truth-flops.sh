#!/usr/bin/env bash
# The flops figures of issue 13's acceptance, each with PASS/FAIL (bench/compare/truth.sh calls
# this; it runs alone as well):
#   - every fma/mul/add case (and mul+add): pct_of_peak in [85, 102] at the clock measured under
#     its ISA (the interleaved add chain, docs/flops.md);
#   - AMX int8 / bf16: >= 95% of 2048 / 1024 ops per cycle per core at that clock;
#   - AVX512-FP16 FMA: >= 95% of its measured-unit peak;
#   - the AVX-512 (and AMX) clock drop, reported as a result of its own;
#   - the default `sysbench flops` in <= 7 s, `--quick` in <= 2 s (run mode only).
# Usage:
#   bench/compare/truth-flops.sh [SYSBENCH]        runs `flops --op all` (1 thread) and the timings
#   bench/compare/truth-flops.sh --json FILE...    checks recorded `flops --format json` output
# Exit status: 0 when every line passed, 1 when one failed, 2 on bad usage.
set -euo pipefail

check() {  # FILE...: one line per figure; the exit status says whether all passed
  python3 - "$@" <<'PY'
import json, sys

failed = 0
load_only = 0  # failures whose fastest short run is within the bounds (a busy machine)
def judged(pct, best, low, high):
    """PASS/FAIL on pct_of_peak; counts failures that the fastest short run would pass."""
    global load_only
    ok = isinstance(pct, (int, float)) and low <= pct <= high
    if not ok and isinstance(best, (int, float)) and low <= best <= high:
        load_only += 1
    return ok

def line(ok, text):
    global failed
    if ok is None:
        print(f"SKIP  {text}")
        return
    failed += 0 if ok else 1
    print(f"{'PASS' if ok else 'FAIL'}  {text}")

for path in sys.argv[1:]:
    with open(path) as f:
        doc = json.load(f)
    host = doc.get("context", {}).get("host", "?")
    load = doc.get("context", {}).get("load_avg_1min")
    print(f"# {path} (host {host}, load {load} at start)")
    for r in doc.get("results", []):
        case = r["case"]
        if r.get("skipped"):
            continue
        p = r.get("params", {})
        m = {x["name"]: x["value"] for x in r.get("metrics", [])}
        if case.startswith("clock/"):
            if p.get("isa") in ("avx512", "amx") and "clock_drop_pct" in m:
                line(True, f"clock under {p['isa']:6} threads={p['threads']}: "
                     f"{m['isa_clock_ghz']:.3f} GHz vs scalar {m['scalar_clock_ghz']:.3f} GHz, "
                     f"drop {m['clock_drop_pct']:.1f}% (licence drop reported)")
            continue
        if case.startswith("summary/") or "gflops" not in m:
            continue
        isa, dtype, op = p.get("isa"), p.get("dtype"), p.get("op")
        pct = m.get("pct_of_peak")
        best = m.get("best_pct_of_peak")
        where = (f"at {m['peak_clock_ghz']:.3f} GHz (isa clock)" if "peak_clock_ghz" in m
                 else "no clock under the ISA")
        best_text = f" [fastest short run {best:.1f}]" if isinstance(best, (int, float)) else ""
        figures = (f"{m['gflops']:.1f} G/s, units {m.get('units', '?')}, "
                   f"pct_of_peak {pct:.1f}{best_text}" if isinstance(pct, (int, float))
                   else f"{m['gflops']:.1f} G/s, pct_of_peak withheld (above the peak){best_text}")
        if "units" not in m:
            # A record from before the measured peaks: units and pct from its own flop_per_cycle
            # (the scalar probe's clock; no clock under the ISA was recorded), as sysbench would.
            fpc = m.get("flop_per_cycle")
            if not isinstance(fpc, (int, float)) or op not in ("fma", "mul", "add", "mul+add"):
                continue
            elem = {"f64": 8, "f32": 4, "int32": 4, "bf16": 2, "f16": 2, "int16": 2, "int8": 1}[dtype]
            width = {"scalar": elem, "sse": 16, "avx2": 32, "avx512": 64}.get(isa)
            per_unit = (2048 if dtype == "int8" else 1024) if isa == "amx" else (
                width // elem * (2 if op == "fma" else 1))
            ratio = fpc / per_unit
            units = round(ratio) if ratio >= 0.75 else 1 / round(1 / ratio)
            pct = 100 * ratio / units
            low = 95 if isa == "amx" or dtype == "f16" else 85
            line(low <= pct <= 102, f"{case:32} units {units:g}, pct_of_peak {pct:.1f} at the "
                 f"recorded scalar clock (record has no clock under the ISA) ({low}..102)")
            continue
        if isa == "amx":
            need = 2048 if dtype == "int8" else 1024
            ok = judged(pct, best, 95, 102) and m.get("peak_flop_per_cycle") == need
            line(ok, f"{case:32} {figures} of {need} op/cycle/core {where} (>= 95)")
        elif dtype == "f16":
            ok = judged(pct, best, 95, 102)
            line(ok, f"{case:32} {figures} {where} (>= 95)")
        elif op in ("fma", "mul", "add", "mul+add"):
            ok = judged(pct, best, 85, 102)
            line(ok, f"{case:32} {figures} {where} (85..102)")
if load_only:
    print(f"# {load_only} of the {failed} failures read within the bounds in their fastest short "
          "run (best_pct_of_peak): the medians were disturbed by other load; rerun on a quiet machine")
sys.exit(1 if failed else 0)
PY
}

if [[ "${1:-}" == "--json" ]]; then
  shift
  [[ $# -gt 0 ]] || { echo "truth-flops.sh: --json needs at least one file" >&2; exit 2; }
  check "$@"
  exit $?
fi

OURS=${1:-build/release/sysbench}
if [[ ! -x "$OURS" ]]; then echo "truth-flops.sh: no sysbench at $OURS (build it first)" >&2; exit 2; fi
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
echo "# load before: $(cut -d' ' -f1-3 /proc/loadavg)"
"$OURS" -q --format json -o "$TMP/all.json" --threads 1 flops --op all
status=0
check "$TMP/all.json" || status=1

seconds() {  # wall seconds of one run of the command
  local start end
  start=$(date +%s.%N)
  "$@" >/dev/null
  end=$(date +%s.%N)
  python3 -c "import sys; print(f'{float(sys.argv[2]) - float(sys.argv[1]):.2f}')" "$start" "$end"
}
timed() {  # LIMIT LABEL COMMAND...
  local limit=$1 label=$2 s
  shift 2
  s=$(seconds "$@")
  if python3 -c "import sys; sys.exit(0 if float(sys.argv[1]) <= float(sys.argv[2]) else 1)" "$s" "$limit"; then
    echo "PASS  $label: ${s} s (<= $limit s)"
  else
    echo "FAIL  $label: ${s} s (<= $limit s; load $(cut -d' ' -f1 /proc/loadavg))"
    status=1
  fi
}
timed 7 "sysbench flops (default)" "$OURS" -q --format json flops
timed 2 "sysbench flops --quick" "$OURS" -q --quick --format json flops
exit $status
