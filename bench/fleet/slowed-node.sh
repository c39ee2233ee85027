#!/usr/bin/env bash
# A fleet of recorded runs with one node deliberately slowed: five "nodes" (shards 0-4 of one job,
# run one after another on CPU 0 of this host), shard 3 sharing its CPU with a busy loop. The fleet
# report must flag exactly shard 3, and `--fail-on-outlier` must exit 1.
#
#   bench/fleet/slowed-node.sh [SYSBENCH_BINARY]
set -euo pipefail
SYSBENCH=$(realpath "${1:-build/release/sysbench}")
SLOW=3
WORK=$(mktemp -d /tmp/sysbench-fleet-XXXXXX)
HOG=
cleanup() {
  [[ -n $HOG ]] && kill "$HOG" 2>/dev/null
  rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

for i in 0 1 2 3 4; do
  if [[ $i == "$SLOW" ]]; then
    taskset -c 0 bash -c 'while :; do :; done' &
    HOG=$!
  fi
  SLURM_JOB_ID=slowed SLURM_PROCID=$i SLURM_NTASKS=5 SLURMD_NODENAME=node$i \
    "$SYSBENCH" -q --format json -o "$WORK/run$i.json" --cpus 0 --repetitions 5 \
    flops --isa scalar,avx2 --dtype f64,f32
  if [[ -n $HOG ]]; then
    kill "$HOG"
    wait "$HOG" 2>/dev/null || true
    HOG=
  fi
done
"$SYSBENCH" fleet merge "$WORK" -o "$WORK/fleet.json"
"$SYSBENCH" fleet report --format tsv "$WORK/fleet.json" |
  awk -F'\t' '$1 == "fleet-node" && $4 == "deviation_pct" { printf "%s %+.1f%%\n", $2, $5 }
              $1 == "fleet-health" && $4 == "outliers" { print "health", $2, "outliers", $5 }'
flagged=$("$SYSBENCH" fleet report --format tsv "$WORK/fleet.json" |
  awk -F'\t' '$1 == "fleet-health" && $4 == "outliers" && $5 > 0 { print $2 }' | sort -u | tr '\n' ' ')
echo "flagged: ${flagged:-none}"
[[ $flagged == "node$SLOW#$SLOW " ]] || { echo "FAILED: expected exactly node$SLOW#$SLOW" >&2; exit 1; }
if "$SYSBENCH" fleet report --fail-on-outlier "$WORK/fleet.json" >/dev/null; then
  echo "FAILED: --fail-on-outlier did not exit 1" >&2
  exit 1
fi
echo "slowed node found alone"
