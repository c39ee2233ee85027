#!/usr/bin/env bash
# Side by side: Debian's old sysbench (/usr/bin/sysbench, an unrelated program of the same name)
# `threads run` and `mutex run` workloads vs the equivalent `sysbench threads --scenario locks`
# cases of ours, at 1 thread and at one thread per CPU. Prints both rates and ours/peer.
#   threads run: each event is --thread-yields=1000 x (lock one of --thread-locks=8 mutexes,
#                sched_yield, unlock), the mutex picked by thread id   == our --lock yield
#   mutex run:   each thread does --mutex-locks x (pick one of --mutex-num mutexes at random,
#                lock, increment, unlock); we set --mutex-num=64 --mutex-loops=0 == our --lock striped
# Usage: bench/compare/threads.sh [path-to-our-sysbench]   (takes about a minute)
set -euo pipefail
OURS=${1:-build/release/sysbench}
PEER=/usr/bin/sysbench
SECONDS_PER_RUN=${SECONDS_PER_RUN:-2}
MUTEX_LOCKS=${MUTEX_LOCKS:-1000000}
if [[ ! -x "$OURS" ]]; then echo "threads.sh: no sysbench at $OURS (build it first)" >&2; exit 2; fi
if [[ ! -x "$PEER" ]]; then echo "threads.sh: $PEER is not installed (apt-get install sysbench)" >&2; exit 2; fi
CPUS=$(nproc)

# ops_per_s of our one locks case (median of its samples).
ours() {  # lock threads
  "$OURS" -q --format json --repetitions 5 --min-time 0.05 --threads "$2" threads \
      --scenario locks --lock "$1" |
    python3 -c 'import json,sys
d=json.load(sys.stdin)
print(next(m["value"] for m in d["results"][0]["metrics"] if m["name"]=="ops_per_s"))'
}

# "total time" in seconds and "total number of events" from the peer's report.
peer_field() {  # text field
  awk -v f="$2" 'index($0, f) { gsub(/[^0-9.]/, "", $NF); print $NF; exit }' <<<"$1"
}

ratio() { python3 -c "import sys; a,b=float(sys.argv[1]),float(sys.argv[2]); print(f'{a/b:.3f}' if b>0 else 'n/a')" "$1" "$2"; }
fmt() { python3 -c "import sys; print(f'{float(sys.argv[1]):.4g}')" "$1"; }

printf '%-34s %8s %14s %14s %8s\n' workload threads "ours op/s" "peer op/s" ours/peer
for t in 1 "$CPUS"; do
  # threads run: events x 1000 lock/yield/unlock cycles over the total time.
  out=$("$PEER" threads --threads="$t" --time="$SECONDS_PER_RUN" --thread-yields=1000 \
        --thread-locks=8 run)
  ev=$(peer_field "$out" "total number of events:")
  tt=$(peer_field "$out" "total time:")
  peer=$(python3 -c "import sys; print(float(sys.argv[1])*1000/float(sys.argv[2]))" "$ev" "$tt")
  mine=$(ours yield "$t")
  printf '%-34s %8s %14s %14s %8s\n' "threads run (lock,yield,unlock)" "$t" "$(fmt "$mine")" \
    "$(fmt "$peer")" "$(ratio "$mine" "$peer")"

  # mutex run: threads x mutex-locks random-stripe lock/increment/unlock over the total time.
  out=$("$PEER" mutex --threads="$t" --mutex-num=64 --mutex-locks="$MUTEX_LOCKS" \
        --mutex-loops=0 run)
  # Its one event per thread is the whole loop; the longest (max latency) spans the run without
  # the start-up that "total time" includes.
  mx=$(awk '/max:/ { print $2; exit }' <<<"$out")
  peer=$(python3 -c "import sys; print(float(sys.argv[1])*float(sys.argv[2])/(float(sys.argv[3])/1e3))" \
         "$t" "$MUTEX_LOCKS" "$mx")
  mine=$(ours striped "$t")
  printf '%-34s %8s %14s %14s %8s\n' "mutex run (64 striped mutexes)" "$t" "$(fmt "$mine")" \
    "$(fmt "$peer")" "$(ratio "$mine" "$peer")"
done
if command -v stress-ng >/dev/null; then
  echo
  echo "for reference (not the same workload): stress-ng --mutex $CPUS (bogo ops/s)"
  stress-ng --mutex "$CPUS" --timeout "${SECONDS_PER_RUN}s" --metrics-brief 2>&1 | grep -E 'mutex' | tail -1 || true
fi
