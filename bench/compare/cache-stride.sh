#!/usr/bin/env bash
# cache-stride K=1 (every int32 of a 256 MiB array: a[i] *= 3) against likwid-bench's
# update_avx stream (a[i] = s * a[i] on 256 MB of doubles), back to back, three times each.
# Both count read + write bytes; MB/s is decimal. Prints each pair, then the medians and ratio.
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
command -v likwid-bench >/dev/null || { echo "likwid-bench not installed" >&2; exit 2; }
ours=() peer=()
for run in 1 2 3; do
  # ns per pass (median of the samples) over 256 MiB: read + write = 2 x 268435456 bytes.
  ns=$("$SYSBENCH" -q --format tsv cache-stride --size 256M --strides 1 --order sequential \
        | awk -F'\t' '$2=="sequential/K=1/vector" && $4=="ns_per_pass" {print $5}')
  o=$(awk -v ns="$ns" 'BEGIN {printf "%.0f", 2 * 268435456 / ns * 1e3}')
  p=$(likwid-bench -t update_avx -W N:256MB:1 2>/dev/null | awk '/^MByte\/s:/ {printf "%.0f", $2}')
  echo "run $run: sysbench cache-stride K=1 ${o} MB/s   likwid-bench update_avx ${p} MB/s"
  ours+=("$o") peer+=("$p")
done
median() { printf '%s\n' "$@" | sort -n | sed -n 2p; }
mo=$(median "${ours[@]}") mp=$(median "${peer[@]}")
awk -v o="$mo" -v p="$mp" 'BEGIN {printf "median: sysbench %d MB/s, likwid-bench %d MB/s, ratio %.2f\n", o, p, o / p}'
