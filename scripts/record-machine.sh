#!/usr/bin/env bash
# Records this machine into the corpus the detectors are tested against:
# tests/data/machines/NAME/{info,flops,cache-stride,latency,bandwidth,threads}.json (release build).
# Then write NAME/README.md (the machine, the load, peers' figures) and NAME/expect.json (what the
# detectors must find: see tests/machine_corpus_test.cc) by hand, from facts checked elsewhere.
# Usage: scripts/record-machine.sh NAME [path/to/sysbench]. Run it on a machine as quiet as you can.
set -euo pipefail
name=${1:?usage: scripts/record-machine.sh NAME [sysbench]}
sysbench=${2:-build/release/sysbench}
[[ "$name" =~ ^[A-Za-z0-9._-]+$ ]] || { echo "record-machine.sh: NAME: letters, digits, . _ - only" >&2; exit 2; }
dir=tests/data/machines/$name
mkdir -p "$dir"
run() {  # run FILE ARGS...
  local file=$1
  shift
  echo "recording $file: sysbench $*" >&2
  "$sysbench" -q --format json -o "$dir/$file" "$@"
}
run info.json info
run cache-stride.json cache-stride
run latency.json latency
run bandwidth.json bandwidth
run threads.json threads --scenario false-sharing
run flops.json flops --op all
echo "recorded into $dir; now write README.md and expect.json there" >&2
