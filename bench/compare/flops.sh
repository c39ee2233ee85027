#!/usr/bin/env bash
# Side by side: likwid-bench's peakflops kernels vs the matching `sysbench flops` cases, one core
# (likwid -W N:32kB:1 runs one thread on hardware thread 0; ours is pinned to the first allowed
# CPU). Prints both GFLOP/s (median of ROUNDS alternating runs), ours/peer, and our figure as % of
# the table peak at our measured clock. Then ours at all cores against ours at one core.
#   peakflops_sp_avx512_fma / peakflops_avx512_fma  ==  fma f32/f64 avx512 (VFMADD zmm)
#   peakflops_sp_avx_fma    / peakflops_avx_fma     ==  fma f32/f64 avx2   (VFMADD ymm)
#   peakflops_sp            / peakflops             ==  mul+add f32/f64 scalar (MULSS/ADDSS, MULSD/ADDSD)
# likwid's kernels also load one vector per group of FMAs from a 32 kB (L1-resident) array; ours
# load nothing. Usage: bench/compare/flops.sh [path-to-our-sysbench]   (about a minute)
set -euo pipefail
OURS=${1:-build/release/sysbench}
ROUNDS=${ROUNDS:-2}
PEER=$(command -v likwid-bench || true)
if [[ ! -x "$OURS" ]]; then echo "flops.sh: no sysbench at $OURS (build it first)" >&2; exit 2; fi
if [[ -z "$PEER" ]]; then echo "flops.sh: likwid-bench is not installed (apt-get install likwid)" >&2; exit 2; fi
# likwid-bench needs its topology (it reads cpuid and /proc, /sys); say so if it cannot run here.
if ! probe=$(timeout 60 "$PEER" -t peakflops -W N:32kB:1 2>&1) || ! grep -q 'MFlops/s' <<<"$probe"; then
  echo "flops.sh: likwid-bench cannot run on this machine; its output was:" >&2
  echo "$probe" | tail -5 >&2
  exit 2
fi

median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }
ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.3f}' if b>0 else 'n/a')" "$1" "$2"; }
fmt() { python3 -c "import sys; print(f'{float(sys.argv[1]):.4g}')" "$1"; }

# gflops and pct_of_peak of our one case: dtype isa op threads. The output goes to a file first:
# a parser started in the same pipeline competes for the CPU our pinned worker runs on (a python3
# in the pipe halved our figure on this machine).
TMP=$(mktemp)
trap 'rm -f "$TMP"' EXIT
ours() {
  "$OURS" -q --format json --repetitions 5 --min-time 0.1 --threads "$4" flops \
      --dtype "$1" --isa "$2" --op "$3" >"$TMP"
  python3 -c 'import json,sys
d=json.load(sys.stdin)
r=next(r for r in d["results"] if not r["case"].startswith("summary/"))
m={m["name"]: m["value"] for m in r["metrics"]}
p=m.get("pct_of_peak")
print(m["gflops"], p if isinstance(p, (int, float)) else "nan")' <"$TMP"
}

peer() {  # test -> GFLOP/s
  "$PEER" -t "$1" -W N:32kB:1 2>&1 | awk '/^MFlops\/s:/ { print $2 / 1000; exit }'
}

printf '%-26s %-28s %10s %10s %10s %10s\n' "likwid-bench test" "sysbench case" "ours" "peer" ours/peer "% of peak"
while read -r test dtype isa op; do
  o=(); p=(); pct=()
  for ((i = 0; i < ROUNDS; ++i)); do
    read -r g pc < <(ours "$dtype" "$isa" "$op" 1)
    o+=("$g"); pct+=("$pc")
    p+=("$(peer "$test")")
  done
  mo=$(median "${o[@]}"); mp=$(median "${p[@]}"); mpct=$(median "${pct[@]}")
  printf '%-26s %-28s %10s %10s %10s %10s\n' "$test" "$op/$dtype/$isa" "$(fmt "$mo")" \
    "$(fmt "$mp")" "$(ratio "$mo" "$mp")" "$(fmt "$mpct")"
done <<'CASES'
peakflops_sp_avx512_fma f32 avx512 fma
peakflops_avx512_fma f64 avx512 fma
peakflops_sp_avx_fma f32 avx2 fma
peakflops_avx_fma f64 avx2 fma
peakflops_sp f32 scalar mul+add
peakflops f64 scalar mul+add
CASES

CPUS=$(nproc)
if ((CPUS > 1)); then
  echo
  printf '%-28s %12s %12s %10s\n' "sysbench case" "1 core" "$CPUS cores" scaling
  for dtype in f32 f64; do
    one=(); all=()
    for ((i = 0; i < ROUNDS; ++i)); do
      read -r g _ < <(ours "$dtype" avx512 fma 1); one+=("$g")
      read -r g _ < <(ours "$dtype" avx512 fma "$CPUS"); all+=("$g")
    done
    m1=$(median "${one[@]}"); ma=$(median "${all[@]}")
    printf '%-28s %12s %12s %10s\n' "fma/$dtype/avx512" "$(fmt "$m1")" "$(fmt "$ma")" "$(ratio "$ma" "$m1")"
  done
fi
