// `sysbench threads` scenarios: what every scenario gets (the Plan), the helpers they share, and
// one function per scenario (command.cc lists them in its scenario table).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "sysbench/command.h"
#include "sysbench/parallel.h"
#include "sysbench/result.h"
#include "sysbench/runner.h"

namespace sysbench::threads {

// What Run validated, shared by every scenario.
struct Plan {
  std::vector<std::string> locks;
  std::vector<int> threads;
  std::vector<int> cpus;
  std::uint64_t trials = 1000000;
  bool trials_explicit = false;  // without --trials, each reorder case stops after a time cap
  bool quick = false;
  TimingOptions timing;
};

using ScenarioFn = void (*)(const Plan& plan, const RunContext& context, ResultSink& sink);

void RunScaling(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunGil(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunLocks(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunLockOverIo(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunRace(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunReorder(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunFalseSharing(const Plan& plan, const RunContext& context, ResultSink& sink);
void RunSpawn(const Plan& plan, const RunContext& context, ResultSink& sink);

// ---- shared by the scenarios (scenario_support.cc)

// Threaded batches count in blocks of this many operations per worker, so that even the first
// calibration batch is long next to the cost of waking the workers.
inline constexpr std::uint64_t kOpsPerBlock = 1024;

// A result of `scenario` with case id "scenario/case_id" and the scenario and thread params.
Result MakeResult(const std::string& scenario, const std::string& case_id, int threads);
// MakeResult with case id "scenario/variant/threads=N" and the param key=variant.
Result ThreadedResult(const std::string& scenario, const std::string& key,
                      const std::string& variant, int threads);
// The seconds of each sample.
std::vector<double> Seconds(const std::vector<Sample>& samples);
// The sampled seconds with the speed-up over `base` (the same job on one worker) and efficiency.
void AddSpeedup(Result& r, const std::vector<double>& base, const std::vector<double>& seconds,
                int threads);
// Splits `total` into `parts` near-equal shares.
std::vector<std::uint64_t> SplitWork(std::uint64_t total, int parts);
void SleepSeconds(double seconds);
// CpuJob iterations that take about `seconds` on one core: the fastest of several timed runs of
// >= 2 ms, so that a run slowed by other load does not shrink the job.
std::uint64_t CalibrateCpuJob(double seconds);

}  // namespace sysbench::threads
