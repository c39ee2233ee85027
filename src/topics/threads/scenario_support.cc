// Helpers shared by the threads scenarios.
#include <fmt/format.h>
#include <sched.h>
#include <time.h>

#include <algorithm>
#include <atomic>

#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/stats.h"
#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

std::vector<double> Seconds(const std::vector<Sample>& samples) {
  std::vector<double> s;
  for (const Sample& sample : samples) s.push_back(sample.seconds);
  return s;
}

Result MakeResult(const std::string& scenario, const std::string& case_id, int threads) {
  Result r("threads", scenario + "/" + case_id);
  r.Param("scenario", scenario);
  r.Param("threads", std::to_string(threads));
  return r;
}

Result ThreadedResult(const std::string& scenario, const std::string& key,
                      const std::string& variant, int threads) {
  Result r = MakeResult(scenario, fmt::format("{}/threads={}", variant, threads), threads);
  r.Param(key, variant);
  return r;
}

void AddSpeedup(Result& r, const std::vector<double>& base, const std::vector<double>& seconds,
                int threads) {
  const double speedup = Median(base) / Median(seconds);
  r.AddSampled("seconds", seconds, "s", Better::kLower);
  r.Add(Computed("speedup", speedup, "x", Better::kHigher));
  r.Add(Computed("efficiency", speedup / threads, "", Better::kHigher));
}

std::vector<std::uint64_t> SplitWork(std::uint64_t total, int parts) {
  std::vector<std::uint64_t> shares;
  const auto n = static_cast<std::uint64_t>(parts);
  for (std::uint64_t i = 0; i < n; ++i) shares.push_back(total / n + (i < total % n ? 1 : 0));
  return shares;
}

void SleepSeconds(double seconds) {
  timespec ts{};
  ts.tv_sec = static_cast<time_t>(seconds);
  ts.tv_nsec = static_cast<long>((seconds - static_cast<double>(ts.tv_sec)) * 1e9);
  while (nanosleep(&ts, &ts) != 0) {
  }
}

std::uint64_t CalibrateCpuJob(double seconds) {
  std::uint64_t iterations = 1 << 14;
  double best_per = 0;
  for (int tries = 0; tries < 5;) {
    const auto start = SteadyClock::now();
    DoNotOptimize(k::CpuJob(iterations, 7));
    const double took = SecondsBetween(start, SteadyClock::now());
    if (took < 0.002 && iterations < (std::uint64_t{1} << 40)) {
      iterations *= 2;
      continue;
    }
    const double per = took / static_cast<double>(iterations);
    best_per = tries == 0 ? per : std::min(best_per, per);
    ++tries;
  }
  return std::max<std::uint64_t>(1, static_cast<std::uint64_t>(seconds / best_per));
}

}  // namespace sysbench::threads
