#!/usr/bin/env bash
# A one-host Slurm cluster for tests: munged, slurmctld and two slurmd posing as nodes n1 and n2,
# all under a temp folder, on non-default ports, bound to 127.0.0.1. Runs sysbench through
# `srun -N2` and `sbatch --array=0-1` with the shard contract, merges the documents with
# `sysbench fleet merge`, renders the fleet report, checks that a missing shard is named, and stops
# every daemon it started. Then bench/compare/fleet.sh prints issue 20's two performance bars
# (launcher overhead per subcommand, net pairs against `net` alone) as PASS/FAIL lines: figures,
# not the test's verdict (a loaded machine misses them).
#
#   tests/slurm/run.sh [SYSBENCH_BINARY]   (root; installs slurmctld slurmd slurm-client munge)
#
# SYSBENCH_SLURM_ARGS: what each task runs (default: --quick all --only flops,latency).
# SYSBENCH_SLURM_KEEP=DIR: copy the documents and logs there before cleaning up.
# Exit 0: passed; 77: skipped (the reason on stderr); anything else: failed.
set -euo pipefail

SYSBENCH=$(realpath "${1:-build/release/sysbench}")
ARGS=${SYSBENCH_SLURM_ARGS:---quick all --only flops,latency}
WAIT_S=${SYSBENCH_SLURM_WAIT_S:-150}
TEST_START=$SECONDS

skip() { echo "slurm test skipped: $*" >&2; exit 77; }
fail() { echo "slurm test FAILED: $*" >&2; exit 1; }

[[ -x $SYSBENCH ]] || fail "no sysbench binary at $SYSBENCH"
[[ $(id -u) == 0 ]] || skip "needs root to start munged and slurmd"
if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null ||
   ! command -v srun >/dev/null || ! command -v munged >/dev/null; then
  DEBIAN_FRONTEND=noninteractive timeout 300 apt-get install -y -q \
    slurmctld slurmd slurm-client munge >/dev/null 2>&1 ||
    skip "could not install slurmctld slurmd slurm-client munge"
fi

WORK=$(mktemp -d /tmp/sysbench-slurm-XXXXXX)
chmod 0711 "$WORK"
PIDS=()
cleanup() {
  local code=$?
  set +e
  for pid in "${PIDS[@]}"; do kill "$pid" 2>/dev/null; done
  for pid in "${PIDS[@]}"; do
    for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null
  done
  if [[ -n ${SYSBENCH_SLURM_KEEP:-} ]]; then
    mkdir -p "$SYSBENCH_SLURM_KEEP" && cp -r "$WORK/out" "$WORK"/*.log "$SYSBENCH_SLURM_KEEP"/
  fi
  rm -rf "$WORK"
  exit "$code"
}
trap cleanup EXIT
trap 'exit 130' INT TERM HUP

# Waits until "$@" succeeds, at most $1 seconds.
wait_for() {
  local limit=$1; shift
  local until=$((SECONDS + limit))
  until "$@" >/dev/null 2>&1; do
    ((SECONDS < until)) || return 1
    sleep 0.2
  done
}

# --- munge, as the munge user, with its own key and socket ---
mkdir -p "$WORK/munge"
mungekey -c -k "$WORK/munge/munge.key" >/dev/null 2>&1 ||
  dd if=/dev/urandom of="$WORK/munge/munge.key" bs=1024 count=1 status=none
chown -R munge:munge "$WORK/munge"
chmod 0700 "$WORK/munge"
chmod 0600 "$WORK/munge/munge.key"
SOCKET=$WORK/munge/munge.socket
runuser -u munge -- munged --force --key-file="$WORK/munge/munge.key" --socket="$SOCKET" \
  --pid-file="$WORK/munge/munged.pid" --log-file="$WORK/munge/munged.log" \
  --seed-file="$WORK/munge/munged.seed"
wait_for 10 test -s "$WORK/munge/munged.pid" || fail "munged did not start"
PIDS+=("$(cat "$WORK/munge/munged.pid")")
wait_for 10 munge --socket="$SOCKET" -n || fail "munge cannot encode a credential"
chmod 0711 "$WORK/munge"  # slurm daemons reach the socket, not the key

# --- slurm.conf: two nodes on this host, non-default ports, no accounting ---
HOST=$(hostname)
CPUS=$(nproc)
mkdir -p "$WORK/state" "$WORK/spool" "$WORK/out"
export SLURM_CONF=$WORK/slurm.conf
cat >"$SLURM_CONF" <<CONF
ClusterName=sysbench-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=16917
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$SOCKET
CommunicationParameters=NoInAddrAny,NoCtldInAddrAny
StateSaveLocation=$WORK/state
SlurmdSpoolDir=$WORK/spool/%n
SlurmctldPidFile=$WORK/slurmctld.pid
SlurmdPidFile=$WORK/slurmd-%n.pid
SlurmctldLogFile=$WORK/slurmctld.log
SlurmdLogFile=$WORK/slurmd-%n.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SwitchType=switch/none
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
SlurmdParameters=config_overrides
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=n1 NodeHostname=$HOST NodeAddr=127.0.0.1 Port=16931 CPUs=$CPUS State=UNKNOWN
NodeName=n2 NodeHostname=$HOST NodeAddr=127.0.0.1 Port=16932 CPUs=$CPUS State=UNKNOWN
PartitionName=test Nodes=n1,n2 Default=YES MaxTime=30 State=UP OverSubscribe=FORCE:2
CONF

slurmctld -i -f "$SLURM_CONF"
wait_for 15 test -s "$WORK/slurmctld.pid" || fail "slurmctld did not start (see slurmctld.log)"
PIDS+=("$(cat "$WORK/slurmctld.pid")")
for node in n1 n2; do
  mkdir -p "$WORK/spool/$node"
  slurmd -N "$node" -f "$SLURM_CONF"
  wait_for 15 test -s "$WORK/slurmd-$node.pid" || fail "slurmd $node did not start"
  PIDS+=("$(cat "$WORK/slurmd-$node.pid")")
done
idle() { [[ $(sinfo -h -N -o '%N %t' | grep -c idle) == 2 ]]; }
wait_for 30 idle || fail "the nodes did not come up idle: $(sinfo -N 2>&1)"
echo "== cluster up: $(sinfo -h -N -o '%N/%t' | tr '\n' ' ')"
if command -v ss >/dev/null; then
  echo "== listening: $(ss -ltnH | awk '$4 ~ /:169[0-9][0-9]$/ { print $4 }' | sort | tr '\n' ' ')"
fi

# --- one srun step across both nodes: shard = SLURM_PROCID of SLURM_NTASKS ---
START=$SECONDS
# shellcheck disable=SC2016  # expanded by each task
timeout "$WAIT_S" srun -N2 -n2 --oversubscribe -t 5 bash -c \
  '"$0" $1 --format json -q -o "$2/step-$SLURM_PROCID.json"' "$SYSBENCH" "$ARGS" "$WORK/out" ||
  fail "srun -N2 -n2 failed"
echo "== srun -N2 -n2: $((SECONDS - START)) s"
"$SYSBENCH" fleet merge "$WORK/out/step-0.json" "$WORK/out/step-1.json" \
  -o "$WORK/out/fleet-step.json" || fail "fleet merge of the srun step"

# --- a job array: shard = SLURM_ARRAY_TASK_ID of SLURM_ARRAY_TASK_COUNT ---
cat >"$WORK/array.sh" <<JOB
#!/bin/bash
exec "$SYSBENCH" $ARGS --format json -q -o "$WORK/out/array-\$SLURM_ARRAY_TASK_ID.json"
JOB
START=$SECONDS
timeout "$WAIT_S" sbatch --wait --array=0-1 -t 5 -o "$WORK/array-%a.log" "$WORK/array.sh" \
  >/dev/null || fail "sbatch --array=0-1 failed (see array-*.log)"
echo "== sbatch --array=0-1: $((SECONDS - START)) s"
mkdir -p "$WORK/out/array"
mv "$WORK"/out/array-*.json "$WORK/out/array/"
"$SYSBENCH" fleet merge "$WORK/out/array" -o "$WORK/out/fleet-array.json" ||
  fail "fleet merge of the array"

# --- completeness: an array whose task 2 fails (a bad option: sysbench exits 2) cannot merge ---
cat >"$WORK/failing.sh" <<JOB
#!/bin/bash
bad=
[[ \$SLURM_ARRAY_TASK_ID == 2 ]] && bad=--no-such-option
exec "$SYSBENCH" --quick float-info \$bad --format json -q -o "$WORK/out/failing/\$SLURM_ARRAY_TASK_ID.json"
JOB
mkdir -p "$WORK/out/failing"
if timeout "$WAIT_S" sbatch --wait --array=0-2 -t 5 -o "$WORK/failing-%a.log" "$WORK/failing.sh" \
  >/dev/null; then
  fail "sbatch --wait of an array with a failing task succeeded"
fi
if "$SYSBENCH" fleet merge "$WORK/out/failing" >/dev/null 2>"$WORK/missing.err"; then
  fail "a merge with a missing shard succeeded"
fi
grep -q "shard 2 of 3 of job" "$WORK/missing.err" ||
  fail "missing shard not named: $(cat "$WORK/missing.err")"
echo "== task 2 of 3 forced to fail: $(cat "$WORK/missing.err")"

# --- net pairs between the two tasks over loopback (the functional check; figures below) ---
NET="--quick net --proto tcp --test rtt,throughput --sizes 64"
mkdir -p "$WORK/meet"
# shellcheck disable=SC2016  # expanded by each task
timeout "$WAIT_S" srun -N2 -n2 --oversubscribe -t 5 bash -c \
  '"$0" $1 --format json -q -o "$2/out/pairs-$SLURM_PROCID.json" pairs --dir "$2/meet" --pair-timeout 30' \
  "$SYSBENCH" "$NET" "$WORK" || fail "srun net pairs failed"
"$SYSBENCH" fleet merge "$WORK/out/pairs-0.json" "$WORK/out/pairs-1.json" \
  -o "$WORK/out/fleet-pairs.json" || fail "fleet merge of the net pairs"
# (awk reads to the end: an early exit would break the pipe under pipefail)
"$SYSBENCH" fleet report --format tsv "$WORK/out/fleet-pairs.json" |
  awk -F'\t' '$1 == "fleet-net" { n++ } END { exit n == 0 }' ||
  fail "no all-pairs matrix in the fleet report"

# --- the report; the shard contract as recorded ---
python3 - "$WORK/out/fleet-array.json" "$WORK/out/fleet-step.json" <<'PY'
import json, sys
for path in sys.argv[1:]:
    for m in json.load(open(path))["members"]:
        s = m["document"]["context"]["shard"]
        print(f"== {m['label']}: launcher {s['launcher']} index {s['index']} of {s['count']}"
              f" node {s['node']} job {s['job_id']} step {s['step_id'] or '-'}")
PY
"$SYSBENCH" fleet report --format tsv "$WORK/out/fleet-step.json" |
  awk -F'\t' '$1 == "fleet-metric" && ($4 == "median" || $4 == "strip") && n++ < 8'
"$SYSBENCH" fleet report --format tsv "$WORK/out/fleet-pairs.json" |
  awk -F'\t' '$1 == "fleet-net" { printf "== matrix %s %s %s %s\n", $2, $4, $5, $6 }'

# --- the performance bars (printed, not enforced: a loaded machine misses them) ---
START=$SECONDS
"$(dirname "$0")/../../bench/compare/fleet.sh" all "$SYSBENCH" \
  "$WORK/out/bars" || fail "bench/compare/fleet.sh failed"
echo "== bars measured in $((SECONDS - START)) s (load average now: $(cut -d' ' -f1-3 /proc/loadavg))"
echo "slurm test passed in $((SECONDS - TEST_START)) s"
