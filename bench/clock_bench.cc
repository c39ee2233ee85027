#include <benchmark/benchmark.h>

#include "sysbench/clock.h"

static void BM_SteadyClockNow(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(sysbench::SteadyClock::now());
}
BENCHMARK(BM_SteadyClockNow);
