#include "topics/latency/probe.h"

#include <algorithm>
#include <cmath>

#include "core/mapped_buffer.h"
#include "sysbench/clock.h"
#include "sysbench/system_info.h"
#include "topics/latency/kernels/latency_chase.h"

namespace sysbench {
namespace {

constexpr std::uint64_t kFirstSize = std::uint64_t{16} << 10;
constexpr std::uint64_t kMaxSize = std::uint64_t{512} << 20;
constexpr double kLoadsPerChunk = 16384;  // about 3 ms at main-memory latency
constexpr int kChunks = 3;
constexpr int kPasses = 2;
constexpr std::uint64_t kWarmLoads = 65536;
// Points in a row at main-memory latency before the sweep stops: two doublings, so one slow
// point of a loaded L3 cannot end it.
constexpr std::ptrdiff_t kPointsInMemory = 4;

}  // namespace

std::uint64_t LastLevelBytes(const LatencyLevels& levels, std::string* reason, double min_dram_ns) {
  auto fail = [reason](const std::string& why) {
    if (reason != nullptr) *reason = why;
    return std::uint64_t{0};
  };
  if (!levels.dram_ns || *levels.dram_ns < min_dram_ns) return fail("main memory was not reached");
  if (levels.cache_bytes.empty()) return fail("no cache level found before main memory");
  if (levels.cache_bytes.size() < levels.cache_ns.size()) {
    return fail("the last cache level's end was not found");
  }
  return levels.cache_bytes.back();
}

bool ReachedMainMemory(const std::vector<LatencyPoint>& curve, double min_dram_ns) {
  if (curve.size() < kPointsInMemory) return false;
  return std::all_of(curve.end() - kPointsInMemory, curve.end(),
                     [min_dram_ns](const LatencyPoint& p) { return p.ns >= min_dram_ns; });
}

const ProbedLevels& ProbeCacheLevels() {
  static const ProbedLevels probed = [] {
    ProbedLevels out;
    const SystemInfo& info = GetSystemInfo();
    const std::uint64_t line =
        static_cast<std::uint64_t>(info.L1LineBytes() > 0 ? info.L1LineBytes() : 64);
    std::uint64_t max_size = kMaxSize;
    if (info.mem_available_bytes > 0) max_size = std::min(max_size, info.mem_available_bytes / 4);
    const LevelOptions options;
    const auto start = SteadyClock::now();
    MappedBuffer buffer(max_size, HugePages::kOff);
    std::vector<std::uint32_t> scratch(max_size / line);
    std::vector<std::uint64_t> sizes;  // two per doubling
    for (int k = 0;; ++k) {
      const auto size =
          static_cast<std::uint64_t>(std::llround(static_cast<double>(kFirstSize) *
                                                  std::exp2(k / 2.0) / static_cast<double>(line))) *
          line;
      if (size > max_size) break;
      sizes.push_back(size);
    }
    auto measure = [&](std::uint64_t size) {
      // A fresh random cycle (building it also brings the set into the caches), then the fastest
      // of a few chunks, each after a short walk that brings back what another process evicted.
      const std::uint64_t lines = size / line;
      kernels::BuildChaseCycle(buffer.Data(), lines, line, 0x9e3779b97f4a7c15ULL + size,
                               scratch.data());
      void* head = buffer.Data();
      const std::uint64_t warm = std::min(lines, kWarmLoads) / kernels::kChaseUnroll + 1;
      const auto iterations =
          static_cast<std::uint64_t>(kLoadsPerChunk / static_cast<double>(kernels::kChaseUnroll));
      double best = INFINITY;
      for (int chunk = 0; chunk < kChunks; ++chunk) {
        kernels::ChaseLoads(&head, 1, warm);
        const auto t0 = SteadyClock::now();
        kernels::ChaseLoads(&head, 1, iterations);
        best = std::min(best, SecondsBetween(t0, SteadyClock::now()) * 1e9 /
                                  (static_cast<double>(iterations) * kernels::kChaseUnroll));
      }
      return best;
    };
    // Passes over the sizes, keeping each size's fastest figure (load from elsewhere only makes a
    // point slower); each pass goes on until the curve so far has reached main memory.
    for (int pass = 0; pass < kPasses; ++pass) {
      for (std::size_t i = 0; i < sizes.size(); ++i) {
        const double ns = measure(sizes[i]);
        if (i < out.curve.size()) {
          out.curve[i].ns = std::min(out.curve[i].ns, ns);
        } else {
          out.curve.push_back(LatencyPoint{sizes[i], ns});
        }
        if (i + 1 >= out.curve.size() && ReachedMainMemory(out.curve, options.min_dram_ns)) break;
      }
    }
    out.levels = DetectLevels(out.curve, options);
    out.llc_bytes = LastLevelBytes(out.levels, &out.reason);
    out.seconds = SecondsBetween(start, SteadyClock::now());
    return out;
  }();
  return probed;
}

std::uint64_t PlanningLlcBytes(std::string* source) {
  const std::uint64_t measured = ProbeCacheLevels().llc_bytes;
  if (source != nullptr) *source = measured > 0 ? "measured" : "lookup";
  return measured > 0 ? measured : GetSystemInfo().LastLevelCacheBytes();
}

}  // namespace sysbench
