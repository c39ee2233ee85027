#!/usr/bin/env bash
# sysbench bandwidth against likwid-bench on this machine, back to back in one run:
#   triad with non-temporal stores, 2 threads, 1 GB  vs  likwid-bench -t stream_mem_avx512 -W N:1GB:2
#   read, 2 threads, 1 GB                           vs  likwid-bench -t load_avx512 -W N:1GB:2
# Both count bytes the same way (STREAM's: 24 bytes per triad element, 8 per read element) and
# report decimal units (likwid's MByte/s is 1e6 bytes/s). When likwid-bench cannot run here, says
# so and compares copy with mbw instead (a secondary peer: mbw's MiB/s counts each copied byte
# once, so its figure is doubled to STREAM's read+write count and converted to GB/s).
# Usage: bench/compare/memory.sh [path-to-sysbench]   (RUNS=3 alternating runs by default)
set -euo pipefail

SYSBENCH=${1:-build/release/sysbench}
RUNS=${RUNS:-3}
SIZE_BYTES=1000000000  # likwid's 1GB: the working set of all arrays of both threads

if [[ ! -x $SYSBENCH ]]; then
  echo "memory.sh: no sysbench binary at '$SYSBENCH' (build it, or pass its path)" >&2
  exit 2
fi

# GB/s of one sysbench bandwidth case: sysbench_gbps KERNEL [--nt]
sysbench_gbps() {
  "$SYSBENCH" --quiet --format json --threads 2 bandwidth --kernels "$1" ${2:-} \
    --size "$SIZE_BYTES" --sweep-max 0 |
    python3 -c 'import json,sys
r = json.load(sys.stdin)["results"][0]
m = {x["name"]: x["value"] for x in r["metrics"]}
assert m["validated"] == "yes", "sysbench: results did not validate"
print(m["gbps"])'
}

# GB/s of one likwid-bench test on 2 threads over 1 GB.
likwid_gbps() {
  likwid-bench -t "$1" -W N:1GB:2 2>&1 | awk '/^MByte\/s:/ {printf "%.4f\n", $2 / 1000}'
}

median() { sort -g | awk '{v[NR] = $1} END {print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2}'; }

likwid_ok=0
reason=""
if ! command -v likwid-bench >/dev/null; then
  reason="likwid-bench is not installed"
elif ! probe=$(likwid-bench -t load_avx512 -W N:64MB:1 2>&1) || ! grep -q '^MByte/s:' <<<"$probe"; then
  reason="likwid-bench failed here: $(head -n 3 <<<"$probe" | tr '\n' ' ')"
else
  likwid_ok=1
fi

if [[ $likwid_ok == 1 ]]; then
  declare -a triad_sb triad_lk read_sb read_lk
  for ((run = 1; run <= RUNS; ++run)); do
    triad_sb+=("$(sysbench_gbps triad --nt)")
    triad_lk+=("$(likwid_gbps stream_mem_avx512)")
    read_sb+=("$(sysbench_gbps read)")
    read_lk+=("$(likwid_gbps load_avx512)")
    echo "run $run: triad-nt sysbench ${triad_sb[-1]} likwid ${triad_lk[-1]}  |" \
      "read sysbench ${read_sb[-1]} likwid ${read_lk[-1]}  (GB/s)"
  done
  report() {  # name, sysbench values, likwid values
    local name=$1 sb lk
    sb=$(printf '%s\n' ${2} | median)
    lk=$(printf '%s\n' ${3} | median)
    awk -v n="$name" -v s="$sb" -v l="$lk" 'BEGIN {
      printf "%-10s sysbench %8.3f GB/s   likwid-bench %8.3f GB/s   ratio %.3f (bar >= 0.97)\n",
             n, s, l, s / l }'
  }
  echo "medians of $RUNS runs, 2 threads, 1 GB working set:"
  report "triad-nt" "${triad_sb[*]}" "${triad_lk[*]}"
  report "read" "${read_sb[*]}" "${read_lk[*]}"
else
  echo "memory.sh: likwid-bench cannot be used here ($reason); comparing copy with mbw instead"
  if ! command -v mbw >/dev/null; then
    echo "memory.sh: mbw is not installed either; no peer to compare with" >&2
    exit 1
  fi
  declare -a copy_sb copy_mbw
  for ((run = 1; run <= RUNS; ++run)); do
    copy_sb+=("$(sysbench_gbps copy --nt)")
    # mbw -t0: memcpy of a 476 MiB array (two arrays: ~1 GB), MiB/s of bytes copied.
    copy_mbw+=("$(mbw -q -n 3 -t0 476 | awk '/^AVG/ {printf "%.4f\n", 2 * $(NF-1) * 1048576 / 1e9}')")
    echo "run $run: copy sysbench ${copy_sb[-1]} mbw ${copy_mbw[-1]} (GB/s, STREAM counting)"
  done
  sb=$(printf '%s\n' "${copy_sb[@]}" | median)
  mb=$(printf '%s\n' "${copy_mbw[@]}" | median)
  awk -v s="$sb" -v m="$mb" 'BEGIN {
    printf "copy       sysbench %8.3f GB/s   mbw (memcpy) %8.3f GB/s   ratio %.3f\n", s, m, s / m }'
fi
