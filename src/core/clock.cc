#include "sysbench/clock.h"

#include <time.h>

#include <algorithm>
#include <vector>

#include "core/kernels/clock_chain.h"

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

// Adds per second of one timed run of the dependent-add chain.
double ChainHz(std::uint64_t iterations, std::uint64_t start) {
  const auto begin = SteadyClock::now();
  const std::uint64_t sum = kernels::DependentAddChain(iterations, start, 3);
  const auto end = SteadyClock::now();
  asm volatile("" : : "r"(sum));
  return static_cast<double>(iterations * kernels::kAddsPerChainIteration) /
         SecondsBetween(begin, end);
}

double MeasureCoreHz() {
  // Each run lasts about 2 ms at 3 GHz: 100000 timer steps, and short enough that most runs fit
  // in one scheduler slice on a loaded machine. A run can be slowed by an interruption but never
  // sped up, so the fastest runs tell the clock: take the second fastest (one glitch is ignored).
  constexpr std::uint64_t kIterations = 30000;
  constexpr int kRuns = 41;
  // Warm up for 200 ms first: a cold core can take over 100 ms to reach its running clock, and a
  // few milliseconds of warm-up read 25% low here.
  constexpr double kWarmupSeconds = 0.2;
  const auto warmup_start = SteadyClock::now();
  std::uint64_t sink = 0;
  while (SecondsBetween(warmup_start, SteadyClock::now()) < kWarmupSeconds) {
    sink += kernels::DependentAddChain(kIterations, sink, 3);
  }
  asm volatile("" : : "r"(sink));
  std::vector<double> hz;
  for (int run = 0; run < kRuns; ++run) {
    hz.push_back(ChainHz(kIterations, static_cast<std::uint64_t>(run)));
  }
  std::sort(hz.begin(), hz.end(), std::greater<>());
  return hz[1];
}

}  // namespace

double ThreadCpuSeconds() {
  timespec now{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &now);
  return static_cast<double>(now.tv_sec) + 1e-9 * static_cast<double>(now.tv_nsec);
}

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

double ProbeCoreHz(double seconds) {
  // Never shorter than 1000 timer steps, like every timed batch.
  const double adds_wanted = std::max(seconds, 1000 * ClockResolutionSeconds()) * MeasuredCoreHz();
  const auto iterations = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(adds_wanted / kernels::kAddsPerChainIteration));
  return ChainHz(iterations, iterations);
}

}  // namespace sysbench
