// Microbenchmarks of the measurement core itself: what a timestamp costs, and Summarize.
#include <benchmark/benchmark.h>

#include <random>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/stats.h"

namespace {

void BM_SteadyClockNow(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sysbench::SteadyClock::now());
}
BENCHMARK(BM_SteadyClockNow);

void BM_Summarize(benchmark::State& state) {
  std::mt19937_64 rng(1);
  std::normal_distribution<double> dist(100.0, 5.0);
  std::vector<double> values(static_cast<std::size_t>(state.range(0)));
  for (double& v : values) v = dist(rng);
  for (auto _ : state) benchmark::DoNotOptimize(sysbench::Summarize(values));
  state.SetComplexityN(state.range(0));
}
BENCHMARK(BM_Summarize)->RangeMultiplier(10)->Range(10, 100000)->Complexity();

}  // namespace
