#!/usr/bin/env bash
# Builds the libFuzzer targets (clang only) for the varint decoder and the net frame/HTTP parsers,
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
status=0
for target in varint_fuzz net_frame_fuzz; do
  corpus=$(mktemp -d)
  # Seeds: a varint, a frame header, an HTTP request.
  printf '\xac\x02\xff\xff\xff\xff\x0f' >"$corpus/seed1"
  printf 'SB\x01\x01\x00\x00\x00\x02hi' >"$corpus/seed2"
  printf 'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 0\r\n\r\n' >"$corpus/seed3"
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
