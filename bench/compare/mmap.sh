#!/usr/bin/env bash
# Peer comparison for `sysbench mmap`, in one run on one file:
#   hot sequential mmap read   vs  fio --ioengine=mmap  --rw=read --bs=1M
#   read() with 1 MiB buffers  vs  fio --ioengine=psync --rw=read --bs=1M
# Both tools read the same file of random bytes, page cache hot (fio --invalidate=0), and both map,
# read and unmap the file once per pass (fio --loops reopens the file, and so remaps it, per loop).
# Usage: bench/compare/mmap.sh [path-to-sysbench]   (env: SIZE=256M ROUNDS=3 DIR=$TMPDIR)
# Prints each round's figures and ratios, then the medians. Takes well under 2 minutes.
set -euo pipefail

SYSBENCH=${1:-build/release/sysbench}
SIZE=${SIZE:-256M}
ROUNDS=${ROUNDS:-4}
DIR=${DIR:-${TMPDIR:-/tmp}}
LOOPS=${LOOPS:-6}

command -v fio >/dev/null || { echo "mmap.sh: fio is not installed (apt-get install fio)" >&2; exit 1; }
command -v python3 >/dev/null || { echo "mmap.sh: python3 is needed to read JSON" >&2; exit 1; }
[ -x "$SYSBENCH" ] || { echo "mmap.sh: no sysbench binary at '$SYSBENCH'" >&2; exit 1; }

work=$(mktemp -d "$DIR/sysbench-mmap-compare-XXXXXX")
trap 'rm -rf "$work"' EXIT
trap 'exit 130' INT TERM
file="$work/data"
# Incompressible data. Then drop its pages and read them back once, so the page cache is hot for
# everyone and laid out the way sysbench's hot cases lay it out (pages written by write() sit in
# small folios, pages brought back by readahead in large ones: mapping and reading them costs
# very different amounts, see docs/mmap.md).
head -c "$SIZE" /dev/urandom >"$file"
python3 -c 'import os, sys; fd = os.open(sys.argv[1], os.O_RDONLY); os.fdatasync(fd)
os.posix_fadvise(fd, 0, 0, os.POSIX_FADV_DONTNEED)' "$file"
cat "$file" >/dev/null

fio_gbps() {  # engine -> GB/s (decimal) of a sequential 1 MiB read of $file
  fio --name=peer --filename="$file" --ioengine="$1" --rw=read --bs=1M --invalidate=0 \
    --loops="$LOOPS" --output-format=json 2>/dev/null |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["jobs"][0]["read"]["bw_bytes"] / 1e9)'
}

sysbench_gbps() {  # -> "mmap mmap-sequential read-1MiB" GB/s medians from one sysbench run
  # setsid: fio's job process calls setsid() and so gets its own scheduler autogroup (a whole
  # group's share of the CPUs when /proc/sys/kernel/sched_autogroup_enabled is 1); sysbench gets the
  # same here, or on a loaded machine it would share its CPU time with everything in this session.
  setsid -w "$SYSBENCH" --quiet --format json mmap --scenario mmap-vs-read --file "$file" --buffers 1M |
    python3 -c '
import json, sys
cases = {r["case"]: r for r in json.load(sys.stdin)["results"]}
def gbps(case):
    return next(m["value"] for m in cases[case]["metrics"] if m["name"] == "gbps")
print(gbps("mmap-vs-read/mmap"), gbps("mmap-vs-read/mmap-sequential"),
      gbps("mmap-vs-read/read/buffer=1048576"))'
}

echo "file: $SIZE of random bytes in $DIR, page cache hot; GB/s = 1e9 bytes/s"
# fio's mmap engine advises MADV_SEQUENTIAL (and POSIX_FADV_SEQUENTIAL) on a sequential read, so
# sysbench's mmap-sequential is its like-for-like counterpart; plain mmap (no advice) is shown too.
fmt='%-6s %8s %8s %8s %10s %10s | %8s %9s %10s\n'
printf "$fmt" round sb_mmap sb_mseq fio_mmap plain/fio seq/fio sb_read fio_psync read/fio
results=()
for round in $(seq 1 "$ROUNDS"); do
  # Alternate who goes first, so a load change during the round does not always hit the same tool.
  if ((round % 2)); then
    read -r sb_mmap sb_mmap_seq sb_read < <(sysbench_gbps)
    fio_mmap=$(fio_gbps mmap)
    fio_psync=$(fio_gbps psync)
  else
    fio_mmap=$(fio_gbps mmap)
    fio_psync=$(fio_gbps psync)
    read -r sb_mmap sb_mmap_seq sb_read < <(sysbench_gbps)
  fi
  line=$(python3 -c "
a, s, f, r, p = $sb_mmap, $sb_mmap_seq, $fio_mmap, $sb_read, $fio_psync
print(f'{a:.3f} {s:.3f} {f:.3f} {a / f:.3f} {s / f:.3f} {r:.3f} {p:.3f} {r / p:.3f}')")
  results+=("$line")
  # shellcheck disable=SC2086
  printf "$fmt" "$round" $line
done
printf '%s\n' "${results[@]}" | python3 -c '
import statistics, sys
rows = [list(map(float, l.split())) for l in sys.stdin if l.strip()]
med = [statistics.median(c) for c in zip(*rows)]
print(("%-6s %8.3f %8.3f %8.3f %10.3f %10.3f | %8.3f %9.3f %10.3f") % ("median", *med))
print("bar: sysbench mmap / fio mmap >= 1 and sysbench read 1M / fio psync >= 1 (medians of rounds)")'
