#include "sysbench/runner.h"

#include <gtest/gtest.h>
#include <pthread.h>
#include <sched.h>

#include <atomic>
#include <cmath>
#include <sstream>
#include <thread>
#include <vector>

#include "core/kernels/clock_chain.h"
#include "sysbench/clock.h"
#include "sysbench/command.h"
#include "sysbench/notes.h"
#include "sysbench/parallel.h"

namespace sysbench {
namespace {

TEST(Runner, CalibratesBatchesToTheMinimumTime) {
  TimingOptions options;
  options.repetitions = 4;
  options.min_time = 0.002;
  options.warmup = 0;
  Runner runner(options);
  // A fake batch that "takes" one microsecond per iteration, so the test is exact and fast.
  const auto samples =
      runner.MeasureTimed([](std::uint64_t n) { return 1e-6 * static_cast<double>(n); });
  ASSERT_EQ(samples.size(), 4u);
  for (const Sample& s : samples) {
    EXPECT_GE(s.seconds, 0.002);
    EXPECT_LT(s.seconds, 0.002 * 14);  // at most one growth step past the target
    EXPECT_EQ(s.iterations, samples[0].iterations);
  }
}

TEST(Runner, CalibrateReturnsTheSizeMeasureTimedWouldUse) {
  TimingOptions options;
  options.repetitions = 2;
  options.min_time = 0.002;
  options.warmup = 0.01;
  Runner runner(options);
  double total = 0;
  const auto fake = [&total](std::uint64_t n) {
    const double seconds = 1e-6 * static_cast<double>(n);
    total += seconds;
    return seconds;
  };
  const std::uint64_t iterations = runner.Calibrate(fake);
  EXPECT_GE(1e-6 * static_cast<double>(iterations), 0.002);
  EXPECT_LT(1e-6 * static_cast<double>(iterations), 0.002 * 14);
  EXPECT_GE(total, 0.01);  // the warm-up was spent
  total = 0;
  EXPECT_EQ(runner.MeasureTimed(fake)[0].iterations, iterations);
}

TEST(Runner, FixedRunsExactlyTheGivenIterations) {
  TimingOptions options;
  options.repetitions = 3;
  Runner runner(options);
  int calls = 0;
  const auto samples = runner.MeasureFixed(
      [&calls](std::uint64_t n) {
        ++calls;
        EXPECT_EQ(n, 7u);
        return 0.5;
      },
      7);
  EXPECT_EQ(calls, 3);
  EXPECT_EQ(Rates(samples, 2.0)[0], 28.0);  // 2 units x 7 iterations / 0.5 s
  EXPECT_EQ(PerIteration(samples, 1.0)[0], 0.5 / 7);
}

// Past the time cap per case the runner keeps the samples it has (at least one) and says so.
TEST(Runner, StopsSamplingAtTheCaseBudgetWithANote) {
  TimingOptions options;
  options.repetitions = 5;
  options.case_budget_seconds = 0;  // spent at once
  std::ostringstream err;
  Notes notes(false, err);
  Runner runner(options, &notes);
  int calls = 0;
  const auto samples = runner.MeasureFixed(
      [&calls](std::uint64_t) {
        ++calls;
        return 0.5;
      },
      1);
  EXPECT_EQ(calls, 1);
  EXPECT_EQ(samples.size(), 1u);
  EXPECT_NE(err.str().find("stopped after 1 of 5 samples, at the time cap"), std::string::npos)
      << err.str();
  options.case_budget_seconds = 3600;
  EXPECT_EQ(Runner(options).MeasureFixed([](std::uint64_t) { return 0.5; }, 1).size(), 5u);
}

TEST(Runner, WarmsUpForTheWarmupTime) {
  TimingOptions options;
  options.repetitions = 1;
  options.min_time = 0.001;
  options.warmup = 0.05;
  Runner runner(options);
  double total = 0;
  runner.MeasureTimed([&total](std::uint64_t n) {
    const double seconds = 1e-5 * static_cast<double>(n);
    total += seconds;
    return seconds;
  });
  EXPECT_GE(total, 0.05);
}

TEST(Clock, ResolutionAndCoreClockAreSane) {
  EXPECT_GT(ClockResolutionSeconds(), 0.0);
  EXPECT_LT(ClockResolutionSeconds(), 1e-3);
  const double ghz = MeasuredCoreHz() / 1e9;
  EXPECT_GT(ghz, 0.2);  // loose: a loaded machine may halve it, but never zero or absurd
  EXPECT_LT(ghz, 8.0);
  // A probe is one run of the same chain: the same order of magnitude, at most a little faster
  // than the uninterrupted clock (timer jitter), and it never returns zero or infinity, even for
  // a duration too short to time well.
  for (const double seconds : {0.0, 1e-4, 2e-3}) {
    const double probe = ProbeCoreHz(seconds) / 1e9;
    EXPECT_TRUE(std::isfinite(probe)) << seconds;
    EXPECT_GT(probe, 0.0) << seconds;
  }
  EXPECT_LT(ProbeCoreHz(2e-3), 1.5 * MeasuredCoreHz());
}

TEST(Kernels, DependentAddChainComputesTheSum) {
  EXPECT_EQ(kernels::DependentAddChain(3, 5, 7), 5 + 3 * kernels::kAddsPerChainIteration * 7);
}

TEST(WorkerTeam, RunsEveryWorkerOncePerBatch) {
  WorkerTeam team(3, {});
  std::atomic<int> mask{0};
  std::atomic<int> calls{0};
  for (int batch = 0; batch < 5; ++batch) {
    mask = 0;
    const double seconds = team.Run([&](int index) {
      mask |= 1 << index;
      ++calls;
    });
    EXPECT_EQ(mask.load(), 0b111);
    EXPECT_GE(seconds, 0.0);
  }
  EXPECT_EQ(calls.load(), 15);
}

// The calling thread's CPUs as a sorted list.
std::vector<int> ThreadCpus() {
  cpu_set_t set;
  CPU_ZERO(&set);
  pthread_getaffinity_np(pthread_self(), sizeof set, &set);
  std::vector<int> cpus;
  for (int cpu = 0; cpu < CPU_SETSIZE; ++cpu) {
    if (CPU_ISSET(static_cast<std::size_t>(cpu), &set)) cpus.push_back(cpu);
  }
  return cpus;
}

TEST(SavedAffinity, GivesTheThreadItsCpusBack) {
  const std::vector<int> before = ThreadCpus();
  ASSERT_FALSE(before.empty());
  {
    const SavedAffinity saved;
    ASSERT_TRUE(PinCurrentThread(before.back()));
    EXPECT_EQ(ThreadCpus(), std::vector<int>{before.back()});
  }
  EXPECT_EQ(ThreadCpus(), before);
  {
    const WorkerTeam team(2, {before.front()});  // pins the calling thread as worker 0
    EXPECT_EQ(ThreadCpus(), std::vector<int>{before.front()});
  }
  EXPECT_EQ(ThreadCpus(), before);
}

TEST(TimingDefaults, CommandDefaultsApplyOnlyWhereTheUserGaveNone) {
  RunConfig config;
  Notes notes(true);
  const RunContext context{config, notes};
  constexpr TimingDefaults kOwn{.repetitions = ByMode<int>{5, 3},
                                .min_time = ByMode<double>{0.02, 0.003}};
  TimingOptions t = context.Timing(kOwn);
  EXPECT_EQ(t.repetitions, 5);
  EXPECT_EQ(t.min_time, 0.02);
  EXPECT_EQ(t.warmup, config.Warmup());  // no own default: the global one
  config.quick = true;
  t = context.Timing(kOwn);
  EXPECT_EQ(t.repetitions, 3);
  EXPECT_EQ(t.min_time, 0.003);
  config.repetitions = 7;
  config.min_time = 0.5;
  config.warmup = 0;  // an explicit zero warm-up is a value the user gave
  t = context.Timing(kOwn);
  EXPECT_EQ(t.repetitions, 7);
  EXPECT_EQ(t.min_time, 0.5);
  EXPECT_EQ(t.warmup, 0.0);
  EXPECT_EQ(context.MakeRunner(kOwn).Options().repetitions, 7);
}

TEST(TimingDefaults, NoDefaultsGiveTheGlobalOptions) {
  RunConfig config;
  Notes notes(true);
  const RunContext context{config, notes};
  const TimingOptions t = context.Timing();
  EXPECT_EQ(t.repetitions, 10);
  EXPECT_EQ(t.min_time, 0.1);
  EXPECT_EQ(t.warmup, 0.1);
}

}  // namespace
}  // namespace sysbench
