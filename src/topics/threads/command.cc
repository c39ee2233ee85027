// `sysbench threads`: threads vs processes, a GIL, locks, lock over I/O, races, reordering,
// false sharing and spawn costs, each a measured demonstration (docs/threads.md). One file per
// scenario; the table below names them.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <memory>
#include <string>
#include <vector>

#include "sysbench/parallel.h"
#include "sysbench/scenario_table.h"
#include "sysbench/units.h"
#include "topics/registry.h"
#include "topics/threads/scenarios.h"

namespace sysbench {
namespace {

using threads::Plan;
using threads::ScenarioFn;

// In the order `all` runs them.
constexpr std::array<Scenario<ScenarioFn>, 8> kScenarios = {{
    {"scaling", "a CPU-bound job over 1..N threads, then forked processes: speed-up",
     threads::RunScaling},
    {"gil", "the same job with one global lock held per chunk, and with I/O outside it",
     threads::RunGil},
    {"locks", "one shared counter under each --lock: increments per second", threads::RunLocks},
    {"lock-over-io", "a lock held across blocking I/O stalls the other workers",
     threads::RunLockOverIo},
    {"race", "unsynchronised counter++ loses updates; fetch_add does not", threads::RunRace},
    {"reorder", "store-buffer and message-passing litmus tests under each memory order",
     threads::RunReorder},
    {"false-sharing", "per-thread counters on one cache line vs a line apart",
     threads::RunFalseSharing},
    {"spawn", "costs of thread create, fork, posix_spawn and one context switch",
     threads::RunSpawn},
}};

const std::vector<std::string> kLocks = {"mutex",  "striped", "spinlock",
                                         "atomic", "local",   "yield"};
const std::vector<std::string> kDefaultLocks = {"mutex", "striped", "spinlock", "atomic", "local"};
// Short defaults: many cases, each a few short samples (explicit global options win).
constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{5, 3},
                                 .min_time = ByMode<double>{0.02, 0.003},
                                 .warmup = ByMode<double>{0.01, 0.002}};

std::vector<int> DefaultThreads(int cores, bool quick) {
  std::vector<int> list = {1};
  if (quick) {
    list.push_back(std::max(2, cores));
    return list;
  }
  for (int n = 2; n <= 2 * cores; n *= 2) list.push_back(n);
  list.push_back(std::max(2, cores));
  list.push_back(std::max(2, 2 * cores));
  std::sort(list.begin(), list.end());
  list.erase(std::unique(list.begin(), list.end()), list.end());
  return list;
}

class ThreadsCommand final : public Command {
 public:
  std::string_view Name() const override { return "threads"; }
  std::string_view Summary() const override {
    return "Threads vs processes, a GIL, locks, races, memory reordering, false sharing, spawn "
           "costs";
  }
  std::vector<std::string> GateMetrics() const override { return {"ops_per_s"}; }
  std::vector<ChartSpec> Charts() const override {
    ChartSpec c = ChartSpec::Line("Scaling: speed-up vs threads (dashed: ideal)", "speedup",
                                  "threads", "threads", {"scenario", "mode"});
    c.y_label = "speedup";
    c.ideal_y_equals_x = true;
    return {c};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--scenario", scenario_, "Scenarios: " + ScenarioHelp(kScenarios));
    sub.add_option("--lock", lock_,
                   "Locks for the locks scenario: " + Join(kLocks, ", ") +
                       " (default all but yield, which is Debian sysbench threads' workload)");
    sub.add_option("--trials", trials_,
                   "Litmus trials per reorder case (default 1000000, quick 50000)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    const auto scenarios = ChooseScenarios(scenario_, "--scenario", kScenarios);
    Plan plan;
    plan.quick = config.quick;
    plan.locks = lock_.empty() ? kDefaultLocks : ParseNameList(lock_, "--lock", kLocks);
    plan.trials = trials_.empty()
                      ? (config.quick ? 50000 : 1000000)
                      : static_cast<std::uint64_t>(ParseInt(trials_, "--trials", 1, 1000000000));
    plan.trials_explicit = !trials_.empty();
    plan.cpus = WorkerCpus(config.cpus);
    plan.threads = config.threads.empty()
                       ? DefaultThreads(static_cast<int>(plan.cpus.size()), config.quick)
                       : config.threads;
    plan.timing = context.Timing(kTiming);
    for (const auto* scenario : scenarios) scenario->run(plan, context, sink);
  }

 private:
  std::string scenario_ = "all";
  std::string lock_;
  std::string trials_;
};

}  // namespace

std::unique_ptr<Command> MakeThreadsCommand() { return std::make_unique<ThreadsCommand>(); }

}  // namespace sysbench
