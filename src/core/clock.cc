#include "sysbench/clock.h"

#include <algorithm>
#include <vector>

#include "kernels/clock_chain.h"
#include "sysbench/stats.h"

namespace sysbench {
namespace {

double MeasureResolution() {
  double best = 1.0;
  for (int i = 0; i < 200; ++i) {
    const auto start = SteadyClock::now();
    auto now = SteadyClock::now();
    while (now == start) now = SteadyClock::now();
    best = std::min(best, SecondsBetween(start, now));
  }
  return best;
}

double MeasureOverhead() {
  constexpr int kCalls = 10000;
  const auto start = SteadyClock::now();
  auto last = start;
  for (int i = 0; i < kCalls; ++i) last = SteadyClock::now();
  return SecondsBetween(start, last) / kCalls;
}

double MeasureCoreHz() {
  // Each run lasts about 10 ms at 3 GHz: long against the clock's resolution, short against
  // scheduler noise. The fastest runs are the ones not interrupted, so take the median of the
  // best half.
  constexpr std::uint64_t kIterations = 150000;
  constexpr int kRuns = 11;
  kernels::DependentAddChain(kIterations / 4, 1, 3);  // warm-up: frequency ramp
  std::vector<double> hz;
  for (int run = 0; run < kRuns; ++run) {
    const auto start = SteadyClock::now();
    const std::uint64_t sum =
        kernels::DependentAddChain(kIterations, static_cast<std::uint64_t>(run), 3);
    const auto end = SteadyClock::now();
    asm volatile("" : : "r"(sum));
    const double adds = static_cast<double>(kIterations * kernels::kAddsPerChainIteration);
    hz.push_back(adds / SecondsBetween(start, end));
  }
  std::sort(hz.begin(), hz.end(), std::greater<>());
  return Median(std::span<const double>(hz.data(), hz.size() / 2 + 1));
}

}  // namespace

double ClockResolutionSeconds() {
  static const double resolution = MeasureResolution();
  return resolution;
}

double ClockOverheadSeconds() {
  static const double overhead = MeasureOverhead();
  return overhead;
}

double MeasuredCoreHz() {
  static const double hz = MeasureCoreHz();
  return hz;
}

}  // namespace sysbench
