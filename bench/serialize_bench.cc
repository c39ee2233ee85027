// Varint encode/decode: sysbench's kernels against libprotobuf's CodedOutputStream and
// CodedInputStream on the same values (small < 128, uniform 32-bit, uniform 64-bit). Built only
// when CMake finds protobuf; protobuf is never a dependency of the sysbench binary.
//
//   build/release/bench/sysbench_serialize_bench --benchmark_min_time=0.2
#include <benchmark/benchmark.h>
#include <google/protobuf/io/coded_stream.h>
#include <google/protobuf/io/zero_copy_stream_impl_lite.h>

#include <cstdint>
#include <random>
#include <stdexcept>
#include <vector>

#include "topics/serialize/kernels/serialize_codec.h"

namespace {

namespace k = sysbench::kernels;
namespace pio = google::protobuf::io;

constexpr std::size_t kValues = 16384;

// dist 0: small (< 128), 1: uniform 32-bit, 2: uniform 64-bit (the same as `sysbench serialize`).
std::vector<std::uint64_t> Values(std::int64_t dist) {
  std::mt19937_64 rng(42);
  std::vector<std::uint64_t> v(kValues);
  for (auto& x : v) {
    const std::uint64_t r = rng();
    x = dist == 0 ? r % 128 : dist == 1 ? r >> 32 : r;
  }
  return v;
}

const char* DistName(std::int64_t dist) { return dist == 0 ? "small" : dist == 1 ? "u32" : "u64"; }

void Finish(benchmark::State& state, std::size_t bytes) {
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(kValues));
  state.counters["bytes_per_value"] = static_cast<double>(bytes) / static_cast<double>(kValues);
  state.SetLabel(DistName(state.range(0)));
}

void BM_EncodeSysbench(benchmark::State& state) {
  const std::vector<std::uint64_t> values = Values(state.range(0));
  std::vector<std::uint8_t> wire(kValues * k::kMaxVarintBytes);
  std::size_t bytes = 0;
  for (auto _ : state) {
    bytes = k::EncodeVarintArray(values.data(), values.size(), wire.data());
    benchmark::DoNotOptimize(bytes);
    benchmark::ClobberMemory();
  }
  Finish(state, bytes);
}

void BM_EncodeProtobuf(benchmark::State& state) {
  const std::vector<std::uint64_t> values = Values(state.range(0));
  std::vector<std::uint8_t> wire(kValues * k::kMaxVarintBytes);
  std::size_t bytes = 0;
  for (auto _ : state) {
    pio::ArrayOutputStream array(wire.data(), static_cast<int>(wire.size()));
    pio::CodedOutputStream out(&array);
    for (std::uint64_t v : values) out.WriteVarint64(v);
    out.Trim();
    bytes = static_cast<std::size_t>(out.ByteCount());
    benchmark::DoNotOptimize(bytes);
    benchmark::ClobberMemory();
  }
  Finish(state, bytes);
}

void BM_DecodeSysbench(benchmark::State& state) {
  const std::vector<std::uint64_t> values = Values(state.range(0));
  std::vector<std::uint8_t> wire(kValues * k::kMaxVarintBytes);
  const std::size_t bytes = k::EncodeVarintArray(values.data(), values.size(), wire.data());
  std::vector<std::uint64_t> out(kValues);
  for (auto _ : state) {
    const k::BulkResult r = k::DecodeVarintArray(wire.data(), bytes, kValues, out.data());
    benchmark::DoNotOptimize(r.checksum);
    benchmark::ClobberMemory();
  }
  if (out != values) throw std::runtime_error("sysbench varint decode mismatch");
  Finish(state, bytes);
}

void BM_DecodeProtobuf(benchmark::State& state) {
  const std::vector<std::uint64_t> values = Values(state.range(0));
  std::vector<std::uint8_t> wire(kValues * k::kMaxVarintBytes);
  const std::size_t bytes = k::EncodeVarintArray(values.data(), values.size(), wire.data());
  std::vector<std::uint64_t> out(kValues);
  for (auto _ : state) {
    pio::CodedInputStream in(wire.data(), static_cast<int>(bytes));
    std::uint64_t sum = 0;
    for (std::size_t i = 0; i < kValues; ++i) {
      std::uint64_t v = 0;
      if (!in.ReadVarint64(&v)) throw std::runtime_error("protobuf varint decode failed");
      out[i] = v;
      sum += v;
    }
    benchmark::DoNotOptimize(sum);
    benchmark::ClobberMemory();
  }
  if (out != values) throw std::runtime_error("protobuf varint decode mismatch");
  Finish(state, bytes);
}

BENCHMARK(BM_EncodeSysbench)->DenseRange(0, 2);
BENCHMARK(BM_EncodeProtobuf)->DenseRange(0, 2);
BENCHMARK(BM_DecodeSysbench)->DenseRange(0, 2);
BENCHMARK(BM_DecodeProtobuf)->DenseRange(0, 2);

}  // namespace
