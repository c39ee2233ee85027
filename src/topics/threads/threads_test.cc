// `sysbench threads`: kernels compute the right counts, the litmus harness never reports a
// forbidden outcome under seq_cst or a fence, process scenarios leave no child behind, bad options
// exit 2.
#include <gtest/gtest.h>
#include <sys/types.h>
#include <unistd.h>

#include <atomic>
#include <map>
#include <memory>
#include <nlohmann/json.hpp>
#include <string>
#include <thread>
#include <variant>
#include <vector>

#include "cli_test_util.h"
#include "sysbench/error.h"
#include "topics/registry.h"
#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/process.h"

namespace sysbench {
namespace {

namespace k = kernels;
using testing::CliRun;
using testing::LineCount;
using testing::RunSysbench;

template <typename Fn>
void OnThreads(int n, Fn fn) {
  std::vector<std::thread> threads;
  for (int i = 0; i < n; ++i) threads.emplace_back([&fn, i] { fn(i); });
  for (std::thread& t : threads) t.join();
}

TEST(ThreadsKernels, CpuJobIsDeterministicAndDependsOnItsInput) {
  EXPECT_EQ(k::CpuJob(1000, 3), k::CpuJob(1000, 3));
  EXPECT_NE(k::CpuJob(1000, 3), k::CpuJob(1001, 3));
  EXPECT_NE(k::CpuJob(1000, 3), k::CpuJob(1000, 5));
}

TEST(ThreadsKernels, EveryLockCountsEveryIncrement) {
  constexpr std::uint64_t kEach = 20000;
  constexpr int kThreads = 3;
  k::PaddedMutexCount mutex_count;
  auto stripes = std::make_unique<k::PaddedMutexCount[]>(k::kStripes);
  k::PaddedSpinCount spin_count;
  std::atomic<std::uint64_t> atomic_count{0}, local_total{0};
  OnThreads(kThreads, [&](int i) {
    k::IncrementMutex(mutex_count, kEach);
    k::IncrementStriped(stripes.get(), kEach, static_cast<std::uint64_t>(i + 1));
    k::IncrementSpin(spin_count, kEach);
    k::IncrementAtomic(atomic_count, kEach);
    k::IncrementLocal(local_total, kEach);
  });
  const std::uint64_t expected = kEach * kThreads;
  EXPECT_EQ(mutex_count.count, expected);
  EXPECT_EQ(spin_count.count, expected);
  EXPECT_EQ(atomic_count.load(), expected);
  EXPECT_EQ(local_total.load(), expected);
  std::uint64_t striped = 0;
  int used = 0;
  for (int s = 0; s < k::kStripes; ++s) {
    striped += stripes[static_cast<std::size_t>(s)].count;
    used += stripes[static_cast<std::size_t>(s)].count > 0;
  }
  EXPECT_EQ(striped, expected);
  EXPECT_GT(used, k::kStripes / 2);  // the stripes are really spread

  auto yield_locks = std::make_unique<k::PaddedMutexCount[]>(k::kYieldLocks);
  OnThreads(kThreads, [&](int i) { k::LockYieldUnlock(yield_locks.get(), i, 100); });
  for (int i = 0; i < kThreads; ++i)
    EXPECT_EQ(yield_locks[static_cast<std::size_t>(i)].count, 100u);
}

TEST(ThreadsKernels, RaceCountersAreExactOnOneThreadAndAtomicNeverLoses) {
  std::uint64_t plain = 0;
  volatile std::uint64_t vol = 0;
  std::atomic<std::uint64_t> relaxed{0}, atomic{0};
  k::RacePlain(&plain, 12345);
  k::RaceVolatile(&vol, 12345);
  k::RaceRelaxed(relaxed, 12345);
  EXPECT_EQ(plain, 12345u);
  EXPECT_EQ(vol, 12345u);
  EXPECT_EQ(relaxed.load(), 12345u);
  OnThreads(4, [&](int) { k::RaceAtomic(atomic, 50000); });
  EXPECT_EQ(atomic.load(), 200000u);
  // The relaxed race can only lose updates, never invent them.
  std::atomic<std::uint64_t> racy{0};
  OnThreads(2, [&](int) { k::RaceRelaxed(racy, 50000); });
  EXPECT_LE(racy.load(), 100000u);
  EXPECT_GE(racy.load(), 50000u);
}

TEST(ThreadsKernels, OwnSlotCounts) {
  std::atomic<std::uint64_t> slot{0};
  k::IncrementOwnSlot(slot, 777);
  EXPECT_EQ(slot.load(), 777u);
}

std::uint64_t RunLitmus(k::LitmusTest test, k::LitmusOrder order, std::uint64_t trials,
                        std::uint32_t chunk, std::uint64_t* total) {
  k::Litmus litmus(test, order, trials, chunk);
  OnThreads(2, [&](int side) { litmus.RunSide(side); });
  const std::uint64_t* o = litmus.Outcomes();
  *total = o[0] + o[1] + o[2] + o[3];
  return litmus.Forbidden();
}

TEST(ThreadsLitmus, FencedAndSeqCstNeverShowTheForbiddenOutcome) {
  std::uint64_t total = 0;
  // Several chunks, and a last chunk that is not full.
  EXPECT_EQ(RunLitmus(k::LitmusTest::kStoreBuffer, k::LitmusOrder::kFence, 4000, 1500, &total), 0u);
  EXPECT_EQ(total, 4000u);
  EXPECT_EQ(RunLitmus(k::LitmusTest::kStoreBuffer, k::LitmusOrder::kSeqCst, 4000, 4096, &total),
            0u);
  EXPECT_EQ(total, 4000u);
  EXPECT_EQ(RunLitmus(k::LitmusTest::kMessagePassing, k::LitmusOrder::kAcqRel, 4000, 4096, &total),
            0u);
  EXPECT_EQ(total, 4000u);
}

TEST(ThreadsLitmus, RelaxedRunsEveryTrialAndCountsOnlyTheForbiddenOutcome) {
  k::Litmus litmus(k::LitmusTest::kStoreBuffer, k::LitmusOrder::kRelaxed, 3000, 1024);
  OnThreads(2, [&](int side) { litmus.RunSide(side); });
  const std::uint64_t* o = litmus.Outcomes();
  EXPECT_EQ(o[0] + o[1] + o[2] + o[3], 3000u);
  EXPECT_EQ(litmus.Forbidden(), o[0]);  // store buffer: r1 == r2 == 0
  EXPECT_EQ(litmus.Trials(), 3000u);
}

// ---- processes

TEST(ThreadsProcess, ForkJobsComputeTheJobAndLeaveNoChild) {
  std::uint64_t checksum = 0;
  ForkJobs({1000, 2000, 3000}, {}, &checksum);
  EXPECT_EQ(checksum, k::CpuJob(1000, 1) ^ k::CpuJob(2000, 2) ^ k::CpuJob(3000, 3));
  EXPECT_EQ(ChildProcesses(), 0);
}

TEST(ThreadsProcess, SpawnCostsAndPingPongLeaveNoChild) {
  EXPECT_GT(ThreadCreateJoin(3), 0.0);
  EXPECT_GT(ForkWait(3), 0.0);
  EXPECT_GT(SpawnWait("/bin/true", 2), 0.0);
  EXPECT_EQ(ChildProcesses(), 0);
  for (const bool process : {false, true}) {
    PipePingPong pingpong(process, 0);
    EXPECT_GT(pingpong.RoundTrips(100), 0.0);
    if (process) {
      EXPECT_EQ(ChildProcesses(), 1);
    }
  }
  EXPECT_EQ(ChildProcesses(), 0);
}

TEST(ThreadsProcess, ErrorsStillReapEveryChild) {
  EXPECT_THROW(SpawnWait("/nonexistent/program", 1), RuntimeError);
  EXPECT_THROW(SpawnWait("/bin/false", 1), RuntimeError);  // exits 1: reported as failure
  EXPECT_EQ(ChildProcesses(), 0);
  {
    ChildReaper reaper;
    const pid_t pid = fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      pause();  // would run forever: the reaper must kill it
      _exit(0);
    }
    reaper.Add(pid);
  }
  EXPECT_EQ(ChildProcesses(), 0);
}

// ---- CLI

using testing::ExpectUsageError;

TEST(ThreadsCli, BadOptionsExit2BeforeMeasuring) {
  ExpectUsageError({"threads", "--threads", "0"}, "--threads");
  ExpectUsageError({"threads", "--threads", "99999"}, "--threads");
  ExpectUsageError({"--threads", "1,0", "threads"}, "--threads");
  ExpectUsageError({"threads", "--trials", "-1"}, "--trials");
  ExpectUsageError({"threads", "--trials", "0"}, "--trials");
  ExpectUsageError({"threads", "--trials", "abc"}, "--trials");
  ExpectUsageError({"threads", "--trials", "1e40"}, "--trials");
  ExpectUsageError({"threads", "--scenario", "bogus"}, "--scenario");
  ExpectUsageError({"threads", "--scenario", "race,spin"}, "--scenario");
  ExpectUsageError({"threads", "--lock", "futex"}, "--lock");
}

// metric name -> value, for one result.
std::map<std::string, nlohmann::json> Metrics(const nlohmann::json& result) {
  std::map<std::string, nlohmann::json> m;
  for (const auto& metric : result["metrics"]) m[metric["name"]] = metric["value"];
  return m;
}

TEST(ThreadsCli, RaceAccountsForEveryUpdate) {
  const CliRun run = RunSysbench(
      {"--quick", "-q", "--format", "json", "--threads", "1,2", "threads", "--scenario", "race"});
  ASSERT_EQ(run.code, 0) << run.err;
  const auto doc = nlohmann::json::parse(run.out);
  ASSERT_EQ(doc["results"].size(), 8u);  // 4 variants x 2 thread counts
  for (const auto& r : doc["results"]) {
    auto m = Metrics(r);
    const auto expected = m["expected_total"].get<std::uint64_t>();
    const auto observed = m["observed_total"].get<std::uint64_t>();
    const auto lost = m["lost_updates"].get<std::uint64_t>();
    EXPECT_EQ(expected, observed + lost);
    const int threads = std::stoi(r["params"]["threads"].get<std::string>());
    EXPECT_EQ(expected, 200000u * static_cast<std::uint64_t>(threads));
    if (r["params"]["variant"] == "atomic" || threads == 1) {
      EXPECT_EQ(lost, 0u) << r["case"];
    }
  }
}

class CollectingSink final : public ResultSink {
 public:
  void Emit(Result result) override { results.push_back(std::move(result)); }
  std::vector<Result> results;
};

TEST(ThreadsCommand, RunsWithoutAddOptions) {
  RunConfig config;
  config.quick = true;
  config.quiet = true;
  config.threads = {2};
  Notes notes(true);
  const RunContext context{config, notes};
  CollectingSink sink;
  for (const auto& command : MakeCommands()) {
    if (command->Name() != "threads") continue;
    command->Run(context, sink);
  }
  std::map<std::string, int> per_scenario;
  for (const Result& r : sink.results) {
    std::map<std::string, std::string> params(r.params.begin(), r.params.end());
    ++per_scenario[params["scenario"]];
    if (r.skipped) continue;
    const std::string& scenario = params["scenario"];
    if (scenario == "reorder") {
      // quick: 50000 asked, fewer when the default time cap stops a case on a busy machine
      const auto trials = std::get<std::uint64_t>(r.Find("trials")->value);
      EXPECT_GT(trials, 0u);
      EXPECT_LE(trials, 50000u);
      const std::string& order = params["order"];
      if (order == "seq_cst" || order == "fence" ||
          (params["test"] == "message-passing" && order == "acq_rel")) {
        EXPECT_EQ(std::get<std::uint64_t>(r.Find("forbidden_outcomes")->value), 0u) << r.case_id;
      }
    } else if (scenario == "race" && params["variant"] == "atomic") {
      EXPECT_EQ(std::get<std::uint64_t>(r.Find("lost_updates")->value), 0u);
    } else if (scenario == "spawn") {
      EXPECT_GT(AsDouble(r.Find("ns_per_op")->value), 0.0) << r.case_id;
    } else if (scenario == "scaling" || scenario == "gil") {
      EXPECT_GT(AsDouble(r.Find("speedup")->value), 0.0) << r.case_id;
    } else if (scenario == "locks" || scenario == "false-sharing" || scenario == "lock-over-io") {
      EXPECT_GE(AsDouble(r.Find("ops_per_s")->value), 0.0) << r.case_id;
    }
  }
  EXPECT_EQ(per_scenario["scaling"], 2);  // threads and processes at 2
  EXPECT_EQ(per_scenario["gil"], 3);
  EXPECT_EQ(per_scenario["locks"], 5);
  EXPECT_EQ(per_scenario["lock-over-io"], 2);
  EXPECT_EQ(per_scenario["race"], 4);
  EXPECT_EQ(per_scenario["reorder"], 8);
  EXPECT_EQ(per_scenario["false-sharing"], 2);
  EXPECT_EQ(per_scenario["spawn"], 5);
  EXPECT_EQ(ChildProcesses(), 0);  // no zombie, no orphan
}

}  // namespace
}  // namespace sysbench
