#!/usr/bin/env bash
# sysbench disk against fio (Debian's fio) on the same file: O_DIRECT, the same engine (io_uring,
# or psync where sysbench fell back to it), 4K/64K/1M x read/randread/write/randwrite x QD 1 and
# 32, the two tools alternated run by run in ABBA order, RUNS (5) rounds: the medians, and the
# median of the rounds' sysbench/fio ratios, which is judged. Then the QD32/QD1 IOPS ratio,
# write + fsync latency (fio --fsync=1), 4K randread QD1 latency percentiles (fio's clat), and
# sysbench's hot vs cold buffered reads. Prints every median and the ratio sysbench / fio, with the
# load average after each row; the latency and fsync bars also run fio a second time in each round
# (fio, sysbench, fio), judge sysbench against the mean of the two, and print the control's ratio
# to the first: the spread of fio against itself.
# sysbench runs in its own session, as fio (which calls setsid) does: each gets its own scheduler
# autogroup, so neither shares its CPU share with whatever else runs from this shell.
# Both tools run pinned to one CPU (taskset), by default the CPU that takes the disk's completion
# interrupts: at QD1 a request completed on another CPU than the waiting task's costs a
# cross-CPU wake-up (about 25 us more per 4 KiB read on this VM), and unpinned, where each tool's
# task lands is the scheduler's choice, run by run: a ratio of two placements, not of two tools.
# A waker shares that CPU with both tools (WAKER=1ms): a process that sleeps 1 ms in a loop. On a
# VM an idle vCPU wakes for a completion more slowly the longer it has been idle, and fio brings
# its own timers along (its parent and helper wake the CPU every 10 ms or so: 298 timer interrupts
# a second on that CPU against 146 for a lone process). That alone made fio's QD1 clat ~6 us
# shorter here; a minimal liburing loop read what sysbench reads. With the waker both tools see
# the same wake-ups and read within 2% of each other (40 us on this VM).
#   bench/compare/disk.sh [SYSBENCH] [DIR]     DIR: where the test file goes (default: a new
#                                              folder in the current directory, removed at exit)
# Environment: RUNS (5), SIZE (256M), LAT_SECONDS (2), SYNC_SECONDS (3);
#   CPU=irq|none|N   irq (default): the CPU of the disk's busiest interrupt; none: not pinned
#   ROWS=4K/randread/1,1M/randread/32   only these throughput rows (default: all 24)
#   PARTS=rows,latency,fsync,cache      which parts run (default: all four)
#   WAKER=1ms|off                       the waker on the pinned CPU (default 1ms; off: none)
set -euo pipefail
SYSBENCH=${1:-build/release/sysbench}
command -v fio >/dev/null || { echo "fio not installed (apt-get install fio)" >&2; exit 2; }
[ -x "$SYSBENCH" ] || { echo "no sysbench binary at $SYSBENCH" >&2; exit 2; }
if [ -n "${2:-}" ]; then DIR=$(mktemp -d "$2/disk-compare-XXXXXX"); else DIR=$(mktemp -d "$PWD/disk-compare-XXXXXX"); fi
trap 'rm -rf "$DIR"' EXIT INT TERM
export SYSBENCH DIR RUNS=${RUNS:-5} SIZE=${SIZE:-256M} LAT_SECONDS=${LAT_SECONDS:-2} SYNC_SECONDS=${SYNC_SECONDS:-3}
export CPU=${CPU:-irq} ROWS=${ROWS:-} PARTS=${PARTS:-rows,latency,fsync,cache} WAKER=${WAKER:-1ms}
/usr/bin/python3 - <<'PYTHON'
import atexit, json, os, statistics, subprocess, sys

SYSBENCH, DIR, RUNS, SIZE = os.environ["SYSBENCH"], os.environ["DIR"], int(os.environ["RUNS"]), os.environ["SIZE"]
FILE = os.path.join(DIR, "testfile")
SLICE, SLICES, WARMUP = 0.1, 5, 0.1  # sysbench: 5 slices of 0.1 s after 0.1 s; fio the same
PARTS = os.environ["PARTS"].split(",")
ROWS = [r for r in os.environ["ROWS"].split(",") if r]
ALL_ROWS = [f"{bs}/{rw}/{qd}" for bs in ("4K", "64K", "1M")
            for rw in ("read", "randread", "write", "randwrite") for qd in (1, 32)]
for name in [r for r in ROWS if r not in ALL_ROWS] + [p for p in PARTS if p not in
                                                     ("rows", "latency", "fsync", "cache")]:
    print(f"unknown row or part '{name}' (rows look like 4K/randread/1; parts: rows,latency,fsync,"
          "cache)", file=sys.stderr)
    sys.exit(2)
if os.environ["CPU"] not in ("irq", "none") and not os.environ["CPU"].isdigit():
    print(f"CPU={os.environ['CPU']}: want irq, none or a CPU number", file=sys.stderr)
    sys.exit(2)
WAKER = os.environ["WAKER"]
if WAKER not in ("1ms", "off"):
    print(f"WAKER={WAKER}: want 1ms or off", file=sys.stderr)
    sys.exit(2)


PIN = []  # taskset prefix for both tools, set below once the file exists


def sysbench(*args, seconds=SLICE * SLICES):
    out = subprocess.run([*PIN, SYSBENCH, "-q", "--format", "json", "--warmup", str(WARMUP),
                          "--repetitions", str(SLICES), "--min-time", str(seconds / SLICES), "disk",
                          "--device", FILE, "--i-know-this-erases-data", "--size", SIZE, *args],
                         check=True, capture_output=True, text=True,
                         start_new_session=True).stdout  # fio calls setsid() itself
    results = {}
    for r in json.loads(out)["results"]:
        results[r["case"]] = (r, {m["name"]: m["value"] for m in r["metrics"]})
    return results


def fio(*args, seconds=SLICE * SLICES):
    out = subprocess.run([*PIN, "fio", "--name=cmp", "--filename=" + FILE, "--size=" + SIZE,
                          "--time_based", "--runtime=%dms" % (seconds * 1000),
                          "--ramp_time=%dms" % (WARMUP * 1000), "--output-format=json", *args],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out[out.index("{"):])["jobs"][0]


med = statistics.median

# One file for both tools, random data written once.
subprocess.run(["fio", "--name=layout", "--filename=" + FILE, "--size=" + SIZE, "--rw=write",
                "--bs=1M", "--direct=1", "--output=/dev/null"], check=True)
# sysbench's facts (looked up once, unpinned) name the disk holding the file and the CPU of its
# busiest completion interrupt, so the script does not look them up again.
probe = sysbench("--cases", "sweep", "--patterns", "read", "--block-sizes", "4K")
engine = next(iter(probe.values()))[0]["params"]["engine"]
facts = probe["facts"][1]
cpu_choice = os.environ["CPU"]
if cpu_choice == "irq":
    cpu = facts.get("interrupt_cpu")
    how = (f"the CPU of {facts.get('device')}'s busiest interrupt, irq {facts.get('interrupt_irq')}"
           if cpu is not None else "sysbench's facts name no single interrupt CPU for this disk")
    if cpu is None:
        print(f"note: not pinned ({how})")
elif cpu_choice == "none":
    cpu, how = None, "CPU=none"
else:
    cpu, how = int(cpu_choice), "CPU=" + cpu_choice
if cpu is not None:
    PIN = ["taskset", "-c", str(cpu)]
# The disk's own count of requests and sectors (reads + writes), read around each run: a tool's
# request the block layer split (more segments than the disk takes: scattered buffer pages) shows
# as a smaller mean request than the tool's block size.
DISK_STAT = f"/sys/block/{facts['device']}/stat"


def disk_requests():
    fields = open(DISK_STAT).read().split()
    return int(fields[0]) + int(fields[4]), int(fields[2]) + int(fields[6])


def mean_request_kib(before, after):
    requests = after[0] - before[0]
    return (after[1] - before[1]) * 512 / 1024 / requests if requests else float("nan")


if WAKER == "1ms" and cpu is not None:
    # Sleeps 1 ms at a time on the tools' CPU, and ends by itself once this script is gone.
    waker = subprocess.Popen([*PIN, sys.executable, "-c", "import os, time\nparent = os.getppid()\n"
                              "while os.getppid() == parent: time.sleep(0.001)"])
    atexit.register(waker.kill)
print(f"file {FILE} ({SIZE}), engine {engine} for both, {RUNS} rounds of the two alternated (ABBA), "
      + (f"both pinned to CPU {cpu} ({how})" if cpu is not None else f"neither pinned ({how})")
      + (", with a 1 ms waker on it" if WAKER == "1ms" and cpu is not None else ", no waker"))
if os.getloadavg()[0] > 1.5:
    print(f"note: load average {os.getloadavg()[0]:.1f} when starting (other work on the machine)")

rows, failures = [], 0
qd = {}
lat_ours, lat_fio = {p: [] for p in ("p50", "p90", "p99", "p999")}, {p: [] for p in ("p50", "p90", "p99", "p999")}
BLOCK_BYTES = {"4K": 4096, "64K": 65536, "1M": 1 << 20}
FIO_PCT = {"p50": "50.000000", "p90": "90.000000", "p99": "99.000000", "p999": "99.900000"}
for bs in ("4K", "64K", "1M"):
    for rw in ("read", "randread", "write", "randwrite"):
        for depth in (1, 32):
            if "rows" not in PARTS or (ROWS and f"{bs}/{rw}/{depth}" not in ROWS):
                continue
            rows.append(f"{bs}/{rw}/{depth}")
            ours_iops, ours_mbps, peer_iops, peer_mbps, paired = [], [], [], [], []
            request_kib = ([], [])  # the disk's mean request size in each run: sysbench's, fio's
            for run in range(RUNS):
                def ours():
                    r = sysbench("--cases", "sweep", "--patterns", rw, "--block-sizes", bs,
                                 "--iodepth", str(depth))
                    _, m = r[f"sweep/{rw}/bs={bs}/qd={depth}"]
                    ours_iops.append(m["iops_overall"]); ours_mbps.append(m["mbps"])

                def peer():
                    j = fio("--rw=" + rw, "--bs=" + bs, "--direct=1", "--ioengine=" + engine,
                            "--iodepth=%d" % depth, "--norandommap", "--randrepeat=0")
                    side = j["write" if "write" in rw else "read"]
                    # fio's "iops" counts the requests submitted after ramp_time, its bytes every
                    # request completed after it: the `depth` requests in flight when the ramp
                    # ends are in the bytes only (4-7% of a 0.5 s 1M QD32 run). sysbench counts
                    # completions, so fio's rate is taken from its bytes.
                    peer_iops.append(side["bw_bytes"] / BLOCK_BYTES[bs]); peer_mbps.append(side["bw_bytes"] / 1e6)

                # ABBA order (sysbench first in even rounds, fio first in odd ones), and the ratio
                # of each round's two runs: the device's speed drifts over seconds on this VM,
                # and a pair of neighbouring runs shares its drift where two medians would not.
                for run_one in ((ours, peer) if run % 2 == 0 else (peer, ours)):
                    before = disk_requests()
                    run_one()
                    request_kib[run_one is peer].append(mean_request_kib(before, disk_requests()))
                paired.append(ours_iops[-1] / peer_iops[-1])
            # A round in which one tool's requests were split by the block layer and the other's
            # not (mean request size apart by more than 5%) compares where the buffer pages lay,
            # not the tools: judged are the rounds with alike requests, when at least 3 are.
            alike = [r for r, o, f in zip(paired, *request_kib) if abs(o / f - 1) <= 0.05]
            ratio = med(alike) if len(alike) >= 3 else med(paired)
            ok = 0.9 <= ratio <= 1.15
            failures += not ok
            if bs == "4K" and rw == "randread":
                qd[depth] = (med(ours_iops), med(peer_iops))
            print(f"{bs:>3} {rw:<9} QD{depth:<2}  sysbench {med(ours_iops):9.0f} IOPS {med(ours_mbps):8.1f} MB/s"
                  f"   fio {med(peer_iops):9.0f} IOPS {med(peer_mbps):8.1f} MB/s   paired ratio {ratio:.3f}"
                  f" {'ok' if ok else 'OUTSIDE 0.9-1.15'} (rounds {min(paired):.2f}-{max(paired):.2f};"
                  f" {len(alike)} alike" + ("" if len(alike) >= 3 else ", too few: all judged") + ")"
                  f"   disk requests KiB: {'/'.join(f'{k:.0f}' for k in request_kib[0])}"
                  f" vs {'/'.join(f'{k:.0f}' for k in request_kib[1])}"
                  f"   load {os.getloadavg()[0]:.1f}", flush=True)

if len(qd) == 2:
    ours_scale, fio_scale = qd[32][0] / qd[1][0], qd[32][1] / qd[1][1]
    print(f"QD32/QD1 4K randread IOPS: sysbench {ours_scale:.2f}x, fio {fio_scale:.2f}x, "
          f"ratio {ours_scale / fio_scale:.3f} {'ok' if ours_scale >= 0.9 * fio_scale else 'BELOW 0.9'}")
# Percentiles need samples: a 0.5 s run at QD1 holds ~5000 requests, so its p99.9 rests on 5 of
# them. The latency and fsync bars get their own longer runs (LAT_SECONDS, SYNC_SECONDS per run,
# both tools alike), still alternated and medians of RUNS.
LAT_SECONDS, SYNC_SECONDS = float(os.environ["LAT_SECONDS"]), float(os.environ["SYNC_SECONDS"])
# A control: a second fio run in each round (fio, sysbench, fio again) shows how far fio lands
# from itself on this machine now; a sysbench/fio ratio inside that spread is the load's.
def fio_lat():
    j = fio("--rw=randread", "--bs=4K", "--direct=1", "--ioengine=" + engine, "--iodepth=1",
            "--norandommap", "--randrepeat=0", seconds=LAT_SECONDS)
    return {p: j["read"]["clat_ns"]["percentile"][FIO_PCT[p]] / 1e3 for p in FIO_PCT}, j["read"]["total_ios"]


# Each round's sysbench figure over the mean of the two fio runs around it, and the median of
# those: the disk's latency drifts over seconds here, and a run between two of fio's shares their
# drift where medians taken apart would not.
def sandwiched(ours, first, again):
    return med(o / ((f + a) / 2) for o, f, a in zip(ours, first, again))


lat_again = {p: [] for p in FIO_PCT}
counts = ([], [])
if "latency" in PARTS:
    for run in range(RUNS):
        first, n = fio_lat()
        r = sysbench("--cases", "sweep", "--patterns", "randread", "--block-sizes", "4K",
                     seconds=LAT_SECONDS)
        _, m = r["sweep/randread/bs=4K/qd=1"]
        again, _ = fio_lat()
        for p in lat_ours:
            lat_ours[p].append(m["lat_" + p + "_us"])
            lat_fio[p].append(first[p])
            lat_again[p].append(again[p])
        counts[0].append(m["ops"]); counts[1].append(n)
    print(f"4K randread QD1, {LAT_SECONDS:g} s per run: {med(counts[0]):.0f} requests per sysbench run,"
          f" {med(counts[1]):.0f} per fio run (fio's figures are its histogram buckets' midpoints,"
          f" within 0.8% of the exact order statistic); load {os.getloadavg()[0]:.1f}")
    for p in lat_ours:
        o, f, ratio = med(lat_ours[p]), med(lat_fio[p]), sandwiched(lat_ours[p], lat_fio[p], lat_again[p])
        print(f"4K randread QD1 latency {p}: sysbench {o:.1f} us, fio clat {f:.1f} us, paired ratio {ratio:.3f}"
              f" {'ok' if abs(ratio - 1) <= 0.10 else 'OUTSIDE 10%'}   (control: fio again"
              f" {med(lat_again[p]):.1f} us, {med(a / b for a, b in zip(lat_again[p], lat_fio[p])):.3f} of fio)")

def fio_sync():
    j = fio("--rw=write", "--bs=4K", "--ioengine=psync", "--fsync=1", seconds=SYNC_SECONDS)
    pct = j["sync"]["lat_ns"]["percentile"]
    return {"p50": pct["50.000000"] / 1e3, "p99": pct["99.000000"] / 1e3}


sync_ours, sync_fio, sync_again = ({"p50": [], "p99": []} for _ in range(3))
if "fsync" in PARTS:
    for run in range(RUNS):
        first = fio_sync()
        r = sysbench("--cases", "sync", "--batch", "1", seconds=SYNC_SECONDS)
        _, m = r["sync/fsync/batch=1"]
        again = fio_sync()
        for p in sync_ours:
            sync_ours[p].append(m["sync_" + p + "_us"])
            sync_fio[p].append(first[p])
            sync_again[p].append(again[p])
    print(f"4K write + fsync, {SYNC_SECONDS:g} s per run; load {os.getloadavg()[0]:.1f}")
    for p in sync_ours:
        o, f, ratio = med(sync_ours[p]), med(sync_fio[p]), sandwiched(sync_ours[p], sync_fio[p], sync_again[p])
        print(f"4K write + fsync, fsync latency {p}: sysbench {o:.0f} us, fio {f:.0f} us, paired ratio {ratio:.3f}"
              f" {'ok' if abs(ratio - 1) <= 0.10 else 'OUTSIDE 10%'}   (control: fio again"
              f" {med(sync_again[p]):.0f} us, {med(a / b for a, b in zip(sync_again[p], sync_fio[p])):.3f} of fio)")

if "cache" in PARTS:
    r = sysbench("--cases", "cache")
    for case in ("cache/cold/read/bs=1M", "cache/cold/randread/bs=4K"):
        rec, m = r[case]
        if "skipped" in rec:
            print(f"{case}: skipped ({rec['skipped']})")
            continue
        print(f"{case}: {m['resident_pct_before']:.1f}% resident before (mincore), hot/cold IOPS "
              f"{m.get('hot_vs_cold', float('nan')):.2f}x")
if rows:
    print(f"{failures} of {len(rows)} throughput rows outside 0.9-1.15x")
PYTHON
