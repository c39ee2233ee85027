#!/usr/bin/env bash
# Issue 20's two performance bars, measured on a running Slurm cluster (tests/slurm/run.sh starts
# one on this host and calls this script):
#
#   overhead: each subcommand of `sysbench --quick all` run alone and as one task under
#             `srun -N1 -n1`, one subcommand at a time, strictly alternated (alone, srun,
#             alone, srun, ...; srun first for every other subcommand); per subcommand the
#             geometric mean over its cases of the headline ratio (medians over the rounds),
#             bar 0.9-1.1x; total wall time (the sum over the subcommands, median over the
#             rounds), bar: at most 10 s more under srun.
#   net:      `net pairs` between two srun tasks over loopback against `sysbench net` alone, in
#             both of its forms (client and server threads in one process; `net server` +
#             `net client` as two processes), all with the same CPU placement (--cpus), rotated
#             order, medians of the rounds; bar: within 10%.
#
#   bench/compare/fleet.sh overhead|net|all [SYSBENCH] [OUT_DIR]
#
# Environment: SLURM_CONF (the cluster), FLEET_ROUNDS (overhead rounds, default 3: 3 runs alone
# and 3 under srun per subcommand), FLEET_ONLY (subcommands for overhead, default every one of `all`),
# FLEET_NET_ROUNDS (default 5), FLEET_NET_CPUS (default 0: client and server share CPU 0, the
# placement that is stable on a VM; "0,1" puts the server on CPU 1), FLEET_NET_PORT (default
# 16940). Prints the bars as PASS/FAIL lines; exits non-zero only when a run fails, never on a
# missed bar (they need a quiet machine).
set -euo pipefail

MODE=${1:-all}
SYSBENCH=$(realpath "${2:-build/release/sysbench}")
OUT=${3:-$(mktemp -d /tmp/sysbench-fleet-XXXXXX)}
ROUNDS=${FLEET_ROUNDS:-3}
NET_ROUNDS=${FLEET_NET_ROUNDS:-5}
NET_CPUS=${FLEET_NET_CPUS:-0}
NET_PORT=${FLEET_NET_PORT:-16940}
HERE=$(cd "$(dirname "$0")" && pwd)

die() { echo "fleet.sh: $*" >&2; exit 1; }
[[ -x $SYSBENCH ]] || die "no sysbench binary at $SYSBENCH"
command -v srun >/dev/null || die "srun not found (a Slurm client and cluster are needed)"
mkdir -p "$OUT"

now() { date +%s.%N; }

overhead() {
  local names=()
  if [[ -n ${FLEET_ONLY:-} ]]; then
    IFS=, read -ra names <<<"$FLEET_ONLY"
  else
    # Every subcommand `all` runs: the measuring ones, before all/compare/report/fleet.
    local name
    while IFS=$'\t' read -r name _; do
      [[ $name == all ]] && break
      names+=("$name")
    done < <("$SYSBENCH" --list)
  fi
  echo "== overhead: each subcommand as \`sysbench --quick all --only NAME\`, alone and under" \
    "srun -N1 -n1, $ROUNDS round(s) of each, one subcommand at a time, strictly alternated" \
    "(alone,srun,alone,srun,... and srun,alone,... for every other subcommand)"
  : >"$OUT/overhead-wall.tsv"
  local name round how index=0
  for name in "${names[@]}"; do
    # Strict alternation, so that a load burst from elsewhere (a few seconds) hits both sides
    # alike rather than two runs of one side; the first side swaps from one subcommand to the next.
    local order=(alone srun)
    ((index++ % 2 == 1)) && order=(srun alone)
    for ((round = 0; round < ROUNDS; round++)); do
      for how in "${order[@]}"; do
        local out=$OUT/overhead-$how-$round-$name.json t0 t1
        local args=(--quick --format json -q -o "$out" all --only "$name")
        t0=$(now)
        if [[ $how == alone ]]; then
          "$SYSBENCH" "${args[@]}" || die "$name alone failed (round $round)"
        else
          timeout 300 srun -N1 -n1 -t 10 "$SYSBENCH" "${args[@]}" ||
            die "srun -N1 -n1 $name failed (round $round)"
        fi
        t1=$(now)
        awk -v h="$how" -v r="$round" -v n="$name" -v a="$t0" -v b="$t1" \
          'BEGIN { printf "%s\t%s\t%s\t%.3f\n", h, r, n, b - a }' >>"$OUT/overhead-wall.tsv"
      done
    done
  done
  python3 "$HERE/fleet_ratios.py" overhead "$OUT" "$ROUNDS"
}

# Headline values of one net document, for fleet_ratios.py: case<TAB>metric<TAB>value<TAB>better.
net_once() {
  local how=$1 round=$2 out
  out=$OUT/net-$how-$round.json
  # shellcheck disable=SC2054  # the commas are inside option values
  # --count 2000 (not quick's 200): 11 ms of round trips, not 1 ms right after the tasks start.
  local net=(--cpus "$NET_CPUS" --quick --format json -q net --proto tcp --test rtt,throughput
    --sizes 64 --count 2000)
  case $how in
    alone) "$SYSBENCH" "${net[@]}" -o "$out" || die "net alone failed (round $round)" ;;
    two)
      "$SYSBENCH" --cpus "$NET_CPUS" -q net server --port "$NET_PORT" --sessions 1 \
        --idle-timeout 30 >/dev/null &
      local server=$!
      if command -v ss >/dev/null; then
        local _
        for _ in $(seq 50); do
          ss -ltnH "sport = :$NET_PORT" | grep -q . && break
          sleep 0.1
        done
      else
        sleep 0.5
      fi
      "$SYSBENCH" "${net[@]}" -o "$out" client --port "$NET_PORT" ||
        { kill "$server" 2>/dev/null; die "net client against net server failed (round $round)"; }
      wait "$server" || true
      ;;
    pair)
      local meet=$OUT/meet-$round
      mkdir -p "$meet"
      # shellcheck disable=SC2016  # expanded by each task
      timeout 120 srun -N2 -n2 --oversubscribe -t 5 bash -c \
        '"$0" "${@:3}" -o "$1/net-pair-$2-$SLURM_PROCID.json" pairs --dir "$1/meet-$2" --pair-timeout 30' \
        "$SYSBENCH" "$OUT" "$round" "${net[@]}" || die "srun net pairs failed (round $round)"
      mv "$OUT/net-pair-$round-0.json" "$out"
      ;;
  esac
}

net() {
  echo "== net: tcp rtt (64 B, 2000 messages) and throughput (--quick) over 127.0.0.1," \
    "--cpus $NET_CPUS (client on the first CPU, server on the second or the same)," \
    "$NET_ROUNDS rounds, order rotated"
  echo "   alone = sysbench net (one process: client and server threads); two = sysbench net" \
    "server + net client (two processes, no Slurm); pair = net pairs 0->1 under srun -N2 -n2"
  local forms=(alone two pair)
  for ((round = 0; round < NET_ROUNDS; round++)); do
    local k
    for k in 0 1 2; do net_once "${forms[(round + k) % 3]}" "$round"; done
  done
  python3 "$HERE/fleet_ratios.py" net "$OUT" "$NET_ROUNDS"
}

case $MODE in
  overhead) overhead ;;
  net) net ;;
  all) overhead && net ;;
  *) die "mode '$MODE': overhead, net or all" ;;
esac
