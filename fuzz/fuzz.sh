#!/usr/bin/env bash
# Builds the libFuzzer targets (clang only) of every parser that takes outside input and runs each
# for SECONDS (default 60), one at a time:
#   varint_fuzz          the serialize decoders (src/topics/serialize/kernels)
#   net_frame_fuzz       the net frame, datagram and HTTP parsers (src/topics/net/kernels)
#   results_reader_fuzz  the json run reader (compare, report, all --baseline), then the reporters
#   units_fuzz           option values that are sizes and lists (ParseSize, ParseIntList, ...)
#   time_values_fuzz     option values that are times and whole numbers (ParseSeconds, ParseInt)
#   proc_net_fuzz        the /proc/net/{tcp,udp}[6] line parser (net exposure)
#   exec_expr_fuzz       exec's expression parser, bytecode VM and tree interpreter
# Usage: fuzz/fuzz.sh [seconds] [target...]     (needs: apt-get install clang libclang-rt-14-dev)
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
shift || true
CXX=${FUZZ_CXX:-clang++}
command -v "$CXX" >/dev/null || { echo "fuzz.sh: $CXX not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
OUT=build/fuzz
mkdir -p "$OUT"
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc
  -DFMT_HEADER_ONLY)
CORE=(src/core/units.cc src/core/list_parse.cc src/core/error.cc)
REPORT=(src/report/results_reader.cc src/report/text_reporter.cc src/report/delimited_reporter.cc
  src/report/markdown_reporter.cc src/report/json_reporter.cc src/report/html_reporter.cc
  src/report/table.cc src/report/svg_chart.cc src/report/escape.cc src/core/result.cc
  src/core/stats.cc src/core/input_file.cc "${CORE[@]}")

sources_of() {
  case "$1" in
    varint_fuzz) echo src/topics/serialize/kernels/serialize_codec.cc ;;
    net_frame_fuzz) echo src/topics/net/kernels/net_protocol.cc ;;
    results_reader_fuzz) echo "${REPORT[@]}" ;;
    units_fuzz | time_values_fuzz) echo "${CORE[@]}" ;;
    proc_net_fuzz) echo src/topics/net/kernels/proc_net.cc ;;
    exec_expr_fuzz) echo src/topics/exec/kernels/expr.cc src/topics/exec/kernels/ways.cc ;;
    *) echo "fuzz.sh: unknown target $1" >&2; exit 2 ;;
  esac
}

# Seeds: a few inputs of the right shape for each target.
seed() {
  local target=$1 dir=$2
  case "$target" in
    varint_fuzz) printf '\xac\x02\xff\xff\xff\xff\x0f' >"$dir/1" ;;
    net_frame_fuzz)
      printf 'SB\x01\x01\x00\x00\x00\x02hi' >"$dir/1"
      printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >"$dir/2" ;;
    results_reader_fuzz)
      cp tests/data/report_sample.json "$dir/1"
      printf '{"schema_version":1,"results":[{"command":"c","case":"x","params":{"size_bytes":"64"},"metrics":[{"name":"ns","value":1.5,"unit":"ns","better":"lower","source":"measured"}],"samples":[1,2],"samples_metric":"ns"}]}' >"$dir/2" ;;
    units_fuzz) printf '1,2,4-6' >"$dir/1"; printf '64KiB' >"$dir/2"; printf 'all,a,bb' >"$dir/3" ;;
    time_values_fuzz) printf '0.5s' >"$dir/1"; printf '10ms' >"$dir/2"; printf '1e-3' >"$dir/3" ;;
    proc_net_fuzz)
      printf '   0: 0100007F:1CDE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 12345 1\n' >"$dir/1" ;;
    exec_expr_fuzz) printf '2 * (a - b) + c / -x' >"$dir/1" ;;
  esac
}

TARGETS=("$@")
[ "${#TARGETS[@]}" -gt 0 ] || TARGETS=(varint_fuzz net_frame_fuzz results_reader_fuzz units_fuzz time_values_fuzz
  proc_net_fuzz exec_expr_fuzz)
status=0
for target in "${TARGETS[@]}"; do
  # shellcheck disable=SC2046
  "$CXX" "${FLAGS[@]}" "fuzz/$target.cc" $(sources_of "$target") -o "$OUT/$target"
  corpus=$(mktemp -d)
  seed "$target" "$corpus"
  echo "== $target: ${SECONDS_EACH}s"
  if ! "$OUT/$target" -max_total_time="$SECONDS_EACH" -max_len=8192 -timeout=10 -rss_limit_mb=2048 \
      -print_final_stats=1 -artifact_prefix="$OUT/$target-" "$corpus" 2>"$OUT/$target.log"; then
    status=1
    echo "== $target FAILED; see $OUT/$target.log and the crash file in $OUT" >&2
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$OUT/$target.log" || true
  rm -rf "$corpus"
done
[ "$status" -eq 0 ] && echo "== all fuzz targets ran clean"
exit "$status"
