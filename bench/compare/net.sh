#!/usr/bin/env bash
# Loopback TCP throughput: `sysbench net` against `iperf3 -c 127.0.0.1`, back to back in one run,
# both over about 3 seconds. Also shows where the default in-process server listens (`ss -ltn`).
# Usage: bench/compare/net.sh [path-to-sysbench] [rounds]   (default build/release/sysbench, 3)
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
ROUNDS=${2:-3}
command -v iperf3 >/dev/null || { echo "net.sh: iperf3 not found (apt-get install iperf3)" >&2; exit 2; }
[ -x "$SYSBENCH" ] || { echo "net.sh: no sysbench binary at '$SYSBENCH'" >&2; exit 2; }

median() { sort -g | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }

server_pid=
cleanup() { [ -n "$server_pid" ] && kill "$server_pid" 2>/dev/null || true; }
trap cleanup EXIT

peer_all=() ours_all=()
for round in $(seq "$ROUNDS"); do
  port=$((20000 + RANDOM % 20000))
  iperf3 -s -B 127.0.0.1 -p "$port" -1 >/dev/null 2>&1 &
  server_pid=$!
  for _ in $(seq 50); do ss -ltn | grep -q "127.0.0.1:$port " && break; sleep 0.1; done
  peer=$(iperf3 -c 127.0.0.1 -p "$port" -t 3 -J |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["end"]["sum_received"]["bits_per_second"]/1e9)')
  wait "$server_pid" 2>/dev/null || true
  server_pid=
  # 10 samples of >= 0.3 s each: about 3 s of streaming, like iperf3 -t 3.
  ours=$("$SYSBENCH" --quiet --format tsv --min-time 0.3 net --proto tcp --test throughput |
    awk -F'\t' '$4=="gbps" {print $5}')
  ratio=$(awk -v a="$ours" -v b="$peer" 'BEGIN {printf "%.3f", a / b}')
  printf 'round %d: iperf3 %.3f Gbit/s   sysbench net %.3f Gbit/s   ratio %s\n' \
    "$round" "$peer" "$ours" "$ratio"
  peer_all+=("$peer") ours_all+=("$ours")
done
peer_med=$(printf '%s\n' "${peer_all[@]}" | median)
ours_med=$(printf '%s\n' "${ours_all[@]}" | median)
printf 'median of %d: iperf3 %.3f Gbit/s   sysbench net %.3f Gbit/s   ratio %.3f (bar: >= 0.9)\n' \
  "$ROUNDS" "$peer_med" "$ours_med" "$(awk -v a="$ours_med" -v b="$peer_med" 'BEGIN {print a / b}')"

# Where the default (in-process) server listens: 127.0.0.1 only.
"$SYSBENCH" --quiet --min-time 0.5 net --proto tcp --test throughput >/dev/null &
bench_pid=$!
sleep 0.5
echo "listening sockets of sysbench net (ss -ltnp):"
ss -ltnp 2>/dev/null | awk -v pid="pid=$bench_pid," 'index($0, pid) {print "  " $4}'
wait "$bench_pid"
