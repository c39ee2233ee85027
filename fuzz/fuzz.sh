#!/usr/bin/env bash
# Builds the libFuzzer targets (clang only) for the varint decoder, the net frame/HTTP parsers, the
# /proc/net line parser and exec's expression parser, VM and tree interpreter,
# and runs each for SECONDS (default 60). The parsers are pure functions in src/topics/*/kernels, so no
# CLI or sockets are involved. Usage: fuzz/fuzz.sh [seconds]
set -euo pipefail
cd "$(dirname "$0")/.."
SECONDS_EACH=${1:-60}
CXX=${FUZZ_CXX:-clang++}
command -v "$CXX" >/dev/null || { echo "fuzz.sh: $CXX not found (apt-get install clang libclang-rt-14-dev)" >&2; exit 2; }
OUT=build/fuzz
mkdir -p "$OUT"
FLAGS=(-std=c++20 -O1 -g -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -Iinclude -Isrc)
"$CXX" "${FLAGS[@]}" fuzz/varint_fuzz.cc src/topics/serialize/kernels/serialize_codec.cc -o "$OUT/varint_fuzz"
"$CXX" "${FLAGS[@]}" fuzz/net_frame_fuzz.cc src/topics/net/kernels/net_protocol.cc -o "$OUT/net_frame_fuzz"
"$CXX" "${FLAGS[@]}" fuzz/proc_net_fuzz.cc src/topics/net/kernels/proc_net.cc -o "$OUT/proc_net_fuzz"
"$CXX" "${FLAGS[@]}" fuzz/exec_expr_fuzz.cc src/topics/exec/kernels/expr.cc \
  src/topics/exec/kernels/ways.cc -o "$OUT/exec_expr_fuzz"
status=0
for target in varint_fuzz net_frame_fuzz proc_net_fuzz exec_expr_fuzz; do
  corpus=$(mktemp -d)
  # Seeds: a varint, a frame header, an HTTP request, a /proc/net/tcp line, an expression.
  printf '\xac\x02\xff\xff\xff\xff\x0f' >"$corpus/seed1"
  printf 'SB\x01\x01\x00\x00\x00\x02hi' >"$corpus/seed2"
  printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >"$corpus/seed3"
  printf '   0: 0100007F:1CDE 00000000:0000 0A 00000000:00000000 00:00000000 00000000  1000  0 12345 1\n' >"$corpus/seed4"
  printf '2 * (a - b) + c / -x' >"$corpus/seed5"
  echo "== $target: ${SECONDS_EACH}s"
  if ! "$OUT/$target" -max_total_time="$SECONDS_EACH" -max_len=4096 -print_final_stats=1 \
      -artifact_prefix="$OUT/$target-" "$corpus" 2>"$OUT/$target.log"; then
    status=1
    echo "== $target FAILED; see $OUT/$target.log and the crash file in $OUT" >&2
  fi
  grep -E '^stat::number_of_executed_units|^stat::peak_rss_mb' "$OUT/$target.log" || true
  rm -rf "$corpus"
done
[ "$status" -eq 0 ] && echo "== all fuzz targets ran clean"
exit "$status"
