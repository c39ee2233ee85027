#!/usr/bin/env bash
# The figures issue 13's acceptance names, on whatever machine this runs: the cache line measured by
# coherence against the looked-up one (10 runs), the cache levels measured (latency, and the fast
# probe that sizes working sets) against cpuid, the knee of the stride curve (the prefetchers'
# unit), the flops part (bench/compare/truth-flops.sh, when present), and the run times of the
# default flops, cache-stride, latency and bandwidth runs and of `all --quick`.
# One line per figure: PASS, FAIL or INFO. Exit status 1 when any line fails.
# Usage: bench/compare/truth.sh [path/to/sysbench]   (LMBENCH=1 also runs lmbench's `line`, slow)
set -uo pipefail
SYSBENCH=${1:-build/release/sysbench}
[ -x "$SYSBENCH" ] || { echo "truth.sh: no sysbench binary at $SYSBENCH" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
failed=0
say() {  # say PASS|FAIL|INFO text
  [ "$1" = FAIL ] && failed=1
  printf '%-4s  %s\n' "$1" "$2"
}
# metric CASE NAME < tsv: the value of one metric
metric() { awk -F'\t' -v c="$1" -v m="$2" '$2==c && $4==m {print $5; exit}'; }
# timed NAME ARGS...: runs sysbench, keeps its tsv in $tmp/NAME.tsv, prints the seconds it took
timed() {
  local name=$1
  shift
  local start end
  start=$(date +%s.%N)
  "$SYSBENCH" -q --format tsv "$@" >"$tmp/$name.tsv" 2>"$tmp/$name.err"
  end=$(date +%s.%N)
  awk -v s="$start" -v e="$end" 'BEGIN {printf "%.1f", e - s}'
}
echo "truth.sh on $(hostname), $(nproc) CPUs, load $(cut -d' ' -f1 /proc/loadavg), $(date -u +%FT%TZ)"

# 1. The line by coherence, 10 runs.
looked=""
answers=()
for _ in $(seq 10); do
  "$SYSBENCH" -q --format tsv cache-stride --line-only >"$tmp/line.tsv" 2>/dev/null
  answers+=("$(metric line-size coherence_line_bytes <"$tmp/line.tsv")")
  looked=$(metric line-size looked_up_line_bytes <"$tmp/line.tsv")
done
reason=$(metric line-size coherence <"$tmp/line.tsv")
same=0
for a in "${answers[@]}"; do [ "$a" = "$looked" ] && same=$((same + 1)); done
if [ "$(nproc)" -lt 2 ]; then
  say INFO "coherence line: skipped on one CPU ($reason)"
elif [ "$same" -eq 10 ]; then
  say PASS "coherence line = looked-up $looked B on 10/10 runs (last: $reason)"
else
  say FAIL "coherence line = looked-up ${looked:-unknown} B on $same/10 runs: ${answers[*]} ($reason)"
fi
if [ "${LMBENCH:-0}" = 1 ]; then
  lm=$(command -v line || find /usr/lib/lmbench/bin -name line -type f 2>/dev/null | head -1)
  if [ -n "$lm" ]; then
    peer=()
    for _ in 1 2 3; do peer+=("$("$lm" 2>/dev/null | tail -1)"); done
    say INFO "lmbench line, 3 runs: ${peer[*]:-nothing}"
  fi
fi

# 2. The default runs (their figures are read below) and their times.
t_stride=$(timed stride cache-stride)
t_latency=$(timed latency latency)
t_bandwidth=$(timed bandwidth bandwidth)
t_flops=$(timed flops flops)
t_all=$(timed all all --quick)

# 3. The knee of the address-order stride curve: the prefetchers' unit, a multiple of the line.
knee=$(metric line-size sequential_knee_bytes <"$tmp/stride.tsv")
meaning=$(metric line-size sequential_knee <"$tmp/stride.tsv")
line=$(metric line-size detected_line_bytes <"$tmp/stride.tsv")
if [[ "$knee" =~ ^[0-9]+$ && "$line" =~ ^[0-9]+$ ]] && [ $((knee % line)) -eq 0 ]; then
  say PASS "stride knee $knee B = $((knee / line)) x the $line B line: $meaning"
else
  say FAIL "stride knee: ${knee:-none} (line ${line:-none}): $meaning"
fi

# 4. Cache levels measured (latency) against cpuid's, and the probe that sizes working sets.
mib() { awk -v b="$1" 'BEGIN {if (b == "") print "none"; else printf "%.2f MiB", b / 1048576}'; }
for level in l1 l2 l3; do
  measured=$(metric levels "detected_${level}_bytes" <"$tmp/latency.tsv")
  lookup=$(metric levels "${level}_bytes" <"$tmp/latency.tsv")
  text="$level measured $(mib "$measured") (latency), cpuid $(mib "$lookup")"
  if [ -z "$measured" ]; then
    say FAIL "$text"
  elif [ "$level" = l3 ] || [ -z "$lookup" ]; then
    say INFO "$text (a VM's cpuid may give the host's L3)"
  elif awk -v m="$measured" -v l="$lookup" 'BEGIN {exit !(m >= 0.5 * l && m <= 1.5 * l)}'; then
    say PASS "$text (within 0.5-1.5x)"
  else
    say FAIL "$text (not within 0.5-1.5x)"
  fi
done
dram=$(metric levels dram_ns <"$tmp/latency.tsv")
if [ -n "$dram" ]; then say PASS "DRAM reached: $(printf '%.0f' "$dram") ns"; else say FAIL "DRAM not reached"; fi
probe=$(metric line-size measured_llc_bytes <"$tmp/stride.tsv")
cpuid_llc=$(metric line-size looked_up_llc_bytes <"$tmp/stride.tsv")
array=$(awk -F'\t' '$2=="sequential/K=2" {split($3, p, " "); for (i in p) if (p[i] ~ /^array_bytes=/) {sub("array_bytes=", "", p[i]); print p[i]; exit}}' "$tmp/stride.tsv")
if [ -n "$probe" ] && [ -n "$array" ] && [ "$array" -ge $((4 * probe)) ]; then
  say PASS "working sets from the measured LLC $(mib "$probe") (cpuid $(mib "$cpuid_llc")): cache-stride uses $(mib "$array") >= 4x"
else
  say FAIL "working sets: probe LLC $(mib "$probe"), cpuid $(mib "$cpuid_llc"), cache-stride array $(mib "$array")"
fi

# 5. The flops part, when its script exists.
if [ -x "$here/truth-flops.sh" ]; then
  "$here/truth-flops.sh" "$SYSBENCH" | tee "$tmp/flops-truth.txt"
  grep -q '^FAIL' "$tmp/flops-truth.txt" && failed=1
else
  say INFO "flops: bench/compare/truth-flops.sh not present"
fi

# 6. Run times.
say INFO "default runs: cache-stride ${t_stride} s, latency ${t_latency} s, bandwidth ${t_bandwidth} s"
if awk -v t="$t_flops" 'BEGIN {exit !(t <= 7)}'; then
  say PASS "flops default run ${t_flops} s (<= 7 s)"
else
  say FAIL "flops default run ${t_flops} s (> 7 s)"
fi
if awk -v t="$t_all" 'BEGIN {exit !(t <= 30)}'; then
  say PASS "all --quick ${t_all} s (<= 30 s)"
else
  say FAIL "all --quick ${t_all} s (> 30 s)"
fi
exit "$failed"
