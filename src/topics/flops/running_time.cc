#include "topics/flops/running_time.h"

#include <algorithm>
#include <cstdint>

#include "core/kernels/clock_chain.h"

namespace sysbench {
namespace {

constexpr std::uint64_t kChainStep = 3;

}  // namespace

double ShareOfWall(double cpu, double wall) {
  return wall > 0 && cpu > 0 ? std::min(1.0, cpu / wall) : 1.0;
}

double ProbeRunningCoreHz(double seconds) {
  // ProbeCoreHz's chain, timed here so that the adds and the running time cover the same window.
  const double adds_wanted = std::max(seconds, 1000 * ClockResolutionSeconds()) * MeasuredCoreHz();
  const auto iterations = std::max<std::uint64_t>(
      1, static_cast<std::uint64_t>(adds_wanted / kernels::kAddsPerChainIteration));
  std::uint64_t sum = 0;
  const RunningTime time =
      TimeRunning([&] { sum = kernels::DependentAddChain(iterations, sum, kChainStep); });
  asm volatile("" : : "r"(sum));
  return static_cast<double>(iterations * kernels::kAddsPerChainIteration) / time.Running();
}

}  // namespace sysbench
