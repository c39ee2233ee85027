// `sysbench threads`: threads vs processes, a GIL, locks, lock over I/O, races, reordering,
// false sharing and spawn costs, each a measured demonstration (docs/threads.md).
#include <sched.h>
#include <time.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <atomic>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <functional>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sysbench/case_budget.h"
#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"
#include "topics/registry.h"
#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/process.h"

namespace sysbench {
namespace {

namespace k = kernels;

const std::vector<std::string> kScenarios = {"scaling", "gil",     "locks",         "lock-over-io",
                                             "race",    "reorder", "false-sharing", "spawn"};
const std::vector<std::string> kLocks = {"mutex",  "striped", "spinlock",
                                         "atomic", "local",   "yield"};
const std::vector<std::string> kDefaultLocks = {"mutex", "striped", "spinlock", "atomic", "local"};

// Threaded batches count in blocks of this many operations per worker, so that even the first
// calibration batch is long next to the cost of waking the workers.
constexpr std::uint64_t kOpsPerBlock = 1024;

struct Plan {
  std::vector<std::string> scenarios;
  std::vector<std::string> locks;
  std::vector<int> threads;
  std::vector<int> cpus;
  std::uint64_t trials = 1000000;
  bool trials_explicit = false;  // without --trials, each reorder case stops after a time cap
  bool quick = false;
  TimingOptions timing;
};

double Median(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  return n % 2 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]);
}

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

Metric Count(std::string name, std::uint64_t value, Source source = Source::kMeasured,
             Better better = Better::kNone) {
  return Metric{std::move(name), value, "", better, source};
}

Metric Computed(std::string name, double value, std::string unit, Better better) {
  return Metric{std::move(name), value, std::move(unit), better, Source::kComputed};
}

// Splits `total` into `parts` near-equal shares.
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

// CpuJob iterations that take about `seconds` on one core: the fastest of several timed runs of
// >= 2 ms, so that a run slowed by other load does not shrink the job.
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

// Runs fn(worker) on every worker of the team after a start barrier; returns the seconds from the
// first worker's start to the last one's finish, so waking the workers is not timed.
double TimedTeamRun(WorkerTeam& team, const std::function<void(int)>& fn) {
  const int n = team.Size();
  std::atomic<int> arrived{0};
  std::vector<SteadyClock::time_point> starts(static_cast<std::size_t>(n));
  std::vector<SteadyClock::time_point> ends(static_cast<std::size_t>(n));
  team.Run([&](int i) {
    arrived.fetch_add(1);
    // Spin (a worker that yields here may lose its CPU for a long time on a busy machine), but
    // yield now and then so that more workers than CPUs still get there.
    for (int spins = 0; arrived.load() < n; ++spins) {
      if (spins % 65536 == 65535) sched_yield();
    }
    const auto index = static_cast<std::size_t>(i);
    starts[index] = SteadyClock::now();
    fn(i);
    ends[index] = SteadyClock::now();
  });
  return SecondsBetween(*std::min_element(starts.begin(), starts.end()),
                        *std::max_element(ends.begin(), ends.end()));
}

// ---------------------------------------------------------------- scaling

void RunScaling(const Plan& plan, const Runner& runner, ResultSink& sink) {
  const std::uint64_t work = CalibrateCpuJob(plan.quick ? 0.02 : 0.05);
  for (const std::string mode : {"threads", "processes"}) {
    auto measure = [&](int n) {
      const std::vector<std::uint64_t> parts = SplitWork(work, n);
      if (mode == std::string("threads")) {
        WorkerTeam team(n, plan.cpus);
        std::vector<std::uint64_t> out(static_cast<std::size_t>(n));
        auto job = [&](int i) {
          const auto index = static_cast<std::size_t>(i);
          out[index] = k::CpuJob(parts[index], index + 1);
        };
        team.Run(job);  // warm-up
        return runner.MeasureFixed([&](std::uint64_t) { return team.Run(job); }, 1);
      }
      std::uint64_t checksum = 0;
      ForkJobs(parts, plan.cpus, &checksum);  // warm-up
      return runner.MeasureFixed(
          [&](std::uint64_t) { return ForkJobs(parts, plan.cpus, &checksum); }, 1);
    };
    std::vector<double> base = Seconds(measure(1));
    for (int n : plan.threads) {
      const std::vector<double> seconds = n == 1 ? base : Seconds(measure(n));
      if (n == 1) base = seconds;
      const double speedup = Median(base) / Median(seconds);
      Result r = MakeResult("scaling", std::string(mode) + "/threads=" + std::to_string(n), n);
      r.Param("mode", mode);
      r.Param("shows", mode == std::string("threads")
                           ? "a CPU-bound job split over a pinned thread pool: speed-up vs 1 thread"
                           : "the same job split over forked processes (fork, exit and wait "
                             "included): speed-up vs 1 process");
      r.AddSampled("seconds", seconds, "s", Better::kLower);
      r.Add(Computed("speedup", speedup, "x", Better::kHigher));
      r.Add(Computed("efficiency", speedup / n, "", Better::kHigher));
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- gil

void RunGil(const Plan& plan, const Runner& runner, ResultSink& sink) {
  const double chunk_seconds = 0.0005;
  const std::uint64_t work = CalibrateCpuJob(plan.quick ? 0.02 : 0.05);
  const std::uint64_t chunk = std::max<std::uint64_t>(1, CalibrateCpuJob(chunk_seconds));
  const std::uint64_t chunks = std::max<std::uint64_t>(1, work / chunk);
  const std::uint64_t requests = plan.quick ? 8 : 24;
  const double io_seconds = 0.001;
  const std::uint64_t request_work = CalibrateCpuJob(0.00005);
  for (const std::string variant : {"free", "gil", "gil-io"}) {
    std::mutex gil;
    auto measure = [&](int n) {
      WorkerTeam team(n, plan.cpus);
      const auto workers = static_cast<std::uint64_t>(n);
      std::vector<std::uint64_t> out(static_cast<std::size_t>(n));
      auto job = [&](int i) {
        const auto index = static_cast<std::size_t>(i);
        std::uint64_t acc = 0;
        if (variant == "gil-io") {
          for (std::uint64_t q = index; q < requests; q += workers) {
            {
              std::lock_guard<std::mutex> lock(gil);
              acc ^= k::CpuJob(request_work, q + 1);
            }
            SleepSeconds(io_seconds);  // I/O wait: outside the lock
          }
        } else {
          for (std::uint64_t c = index; c < chunks; c += workers) {
            if (variant == "gil") {
              std::lock_guard<std::mutex> lock(gil);
              acc ^= k::CpuJob(chunk, c + 1);
            } else {
              acc ^= k::CpuJob(chunk, c + 1);
            }
          }
        }
        out[index] = acc;
      };
      team.Run(job);  // warm-up
      return Seconds(runner.MeasureFixed([&](std::uint64_t) { return team.Run(job); }, 1));
    };
    std::vector<double> base = measure(1);
    for (int n : plan.threads) {
      const std::vector<double> seconds = n == 1 ? base : measure(n);
      const double speedup = Median(base) / Median(seconds);
      Result r = MakeResult("gil", std::string(variant) + "/threads=" + std::to_string(n), n);
      r.Param("variant", variant);
      r.Param("shows",
              variant == std::string("free")
                  ? "CPU-bound work in 0.5 ms chunks, no global lock: scales with cores"
              : variant == std::string("gil")
                  ? "the same chunks, each computed holding one global lock (a GIL): no speed-up"
                  : "requests of 50 us compute under the GIL then 1 ms of I/O (a sleep) outside "
                    "it: the waits overlap, so threads still help I/O-bound work");
      r.AddSampled("seconds", seconds, "s", Better::kLower);
      r.Add(Computed("speedup", speedup, "x", Better::kHigher));
      r.Add(Computed("efficiency", speedup / n, "", Better::kHigher));
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- locks

const char* LockShows(const std::string& lock) {
  if (lock == "mutex") return "one std::mutex guards one counter: every increment contends";
  if (lock == "striped") return "64 mutexes each guarding its own counter, picked at random";
  if (lock == "spinlock") return "one test-and-test-and-set spinlock (pause, then yield)";
  if (lock == "atomic") return "one counter incremented with atomic fetch_add, no lock";
  if (lock == "local") return "thread-local counts added to the total once at the end";
  return "Debian sysbench threads' workload: lock one of 8 mutexes, sched_yield, unlock";
}

void RunLocks(const Plan& plan, const Runner& runner, ResultSink& sink) {
  for (const std::string& lock : plan.locks) {
    for (int n : plan.threads) {
      WorkerTeam team(n, plan.cpus);
      auto mutex_count = std::make_unique<k::PaddedMutexCount>();
      auto stripes = std::make_unique<k::PaddedMutexCount[]>(k::kStripes);
      auto spin_count = std::make_unique<k::PaddedSpinCount>();
      auto atomic_count = std::make_unique<k::PaddedAtomic>();
      std::uint64_t expected = 0;
      auto batch = [&](std::uint64_t blocks) {
        const std::uint64_t iterations = blocks * kOpsPerBlock;
        expected += iterations * static_cast<std::uint64_t>(n);
        return TimedTeamRun(team, [&](int i) {
          const auto seed = static_cast<std::uint64_t>(i + 1) * std::uint64_t{0x9E3779B97F4A7C15};
          if (lock == "mutex") {
            k::IncrementMutex(*mutex_count, iterations);
          } else if (lock == "striped") {
            k::IncrementStriped(stripes.get(), iterations, seed);
          } else if (lock == "spinlock") {
            k::IncrementSpin(*spin_count, iterations);
          } else if (lock == "atomic") {
            k::IncrementAtomic(atomic_count->value, iterations);
          } else if (lock == "local") {
            k::IncrementLocal(atomic_count->value, iterations);
          } else {
            k::LockYieldUnlock(stripes.get(), i, iterations);
          }
        });
      };
      const std::vector<Sample> samples = runner.MeasureTimed(batch);
      std::uint64_t counted = mutex_count->count + spin_count->count + atomic_count->value.load();
      for (int s = 0; s < k::kStripes; ++s) counted += stripes[static_cast<std::size_t>(s)].count;
      if (counted != expected) {
        throw RuntimeError("threads locks/" + lock + ": counted " + std::to_string(counted) +
                           " increments, expected " + std::to_string(expected));
      }
      Result r = MakeResult("locks", lock + "/threads=" + std::to_string(n), n);
      r.Param("lock", lock);
      r.Param("shows", LockShows(lock));
      r.AddSampled("ops_per_s",
                   Rates(samples, static_cast<double>(n) * static_cast<double>(kOpsPerBlock)),
                   "op/s", Better::kHigher);
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- lock-over-io

void RunLockOverIo(const Plan& plan, const Runner& runner, ResultSink& sink) {
  std::vector<int> counts;
  for (int n : plan.threads) {
    if (n >= 2) counts.push_back(n);
  }
  if (counts.empty()) counts.push_back(2);
  const std::uint64_t io_ops = plan.quick ? 10 : 40;
  const double io_seconds = 0.0001;
  for (const std::string variant : {"hold", "release"}) {
    for (int n : counts) {
      WorkerTeam team(n, plan.cpus);
      std::mutex mutex;
      std::uint64_t shared = 0;
      std::atomic<bool> done{false};
      std::atomic<std::uint64_t> others_ops{0};
      std::vector<double> rates;
      auto batch = [&](std::uint64_t) {
        done.store(false);
        others_ops.store(0);
        const double seconds = team.Run([&](int i) {
          if (i == 0) {
            for (std::uint64_t op = 0; op < io_ops; ++op) {
              std::unique_lock<std::mutex> lock(mutex);
              if (variant == "hold") {
                SleepSeconds(io_seconds);  // blocking I/O with the lock held
                lock.unlock();
              } else {
                lock.unlock();
                SleepSeconds(io_seconds);  // the same I/O after releasing it
              }
            }
            done.store(true, std::memory_order_release);
          } else {
            std::uint64_t local = 0;
            while (!done.load(std::memory_order_acquire)) {
              std::lock_guard<std::mutex> lock(mutex);
              ++shared;
              ++local;
            }
            others_ops.fetch_add(local);
          }
        });
        rates.push_back(static_cast<double>(others_ops.load()) / seconds);
        return seconds;
      };
      batch(1);  // warm-up
      rates.clear();
      runner.MeasureFixed(batch, 1);
      DoNotOptimize(shared);
      Result r =
          MakeResult("lock-over-io", std::string(variant) + "/threads=" + std::to_string(n), n);
      r.Param("variant", variant);
      r.Param("shows", variant == std::string("hold")
                           ? "one worker sleeps 100 us per I/O while holding the lock: the other "
                             "workers' increments (ops_per_s) stall"
                           : "the same worker releases the lock before its I/O: the others run");
      r.AddSampled("ops_per_s", rates, "op/s", Better::kHigher);
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- race

struct alignas(k::kPadBytes) RaceCounters {
  std::uint64_t plain = 0;
  alignas(k::kPadBytes) volatile std::uint64_t volatile_count = 0;
  alignas(k::kPadBytes) std::atomic<std::uint64_t> atomic_count{0};
};

constexpr std::uint64_t kRaceRounds = 100;

void RunRace(const Plan& plan, ResultSink& sink) {
  const std::uint64_t per_thread = plan.quick ? 200000 : 1000000;
  for (const std::string variant : {"plain", "volatile", "relaxed", "atomic"}) {
    for (int n : plan.threads) {
      WorkerTeam team(n, plan.cpus);
      auto counters = std::make_unique<RaceCounters>();
      std::atomic<std::uint64_t> arrived{0};
      const auto workers = static_cast<std::uint64_t>(n);
      const double seconds = team.Run([&](int) {
        // Rounds that start together (a spin barrier), so the workers' increments overlap even
        // on a busy machine where a worker may be descheduled for a while.
        for (std::uint64_t round = 0; round < kRaceRounds; ++round) {
          arrived.fetch_add(1);
          for (int spins = 0; arrived.load() < workers * (round + 1); ++spins) {
            if (spins % 1024 == 1023) sched_yield();
          }
          const std::uint64_t each = per_thread / kRaceRounds;
          if (variant == "plain") {
            k::RacePlain(&counters->plain, each);
          } else if (variant == "volatile") {
            k::RaceVolatile(&counters->volatile_count, each);
          } else if (variant == "relaxed") {
            k::RaceRelaxed(counters->atomic_count, each);
          } else {
            k::RaceAtomic(counters->atomic_count, each);
          }
        }
      });
      const std::uint64_t observed = variant == std::string("plain") ? counters->plain
                                     : variant == std::string("volatile")
                                         ? counters->volatile_count
                                         : counters->atomic_count.load();
      const std::uint64_t expected = per_thread * static_cast<std::uint64_t>(n);
      Result r = MakeResult("race", std::string(variant) + "/threads=" + std::to_string(n), n);
      r.Param("variant", variant);
      r.Param("increments_per_thread", std::to_string(per_thread));
      r.Param("shows", variant == std::string("atomic")
                           ? "counter.fetch_add(1): a read-modify-write that loses nothing"
                           : "unsynchronised counter++ (" + std::string(variant) +
                                 " load, add, store): increments that overlap are lost");
      r.Add(Count("expected_total", expected, Source::kComputed));
      r.Add(Count("observed_total", observed));
      r.Add(Count("lost_updates", expected >= observed ? expected - observed : 0, Source::kMeasured,
                  Better::kLower));
      r.Add(Metric{"ns_per_increment", seconds * 1e9 / static_cast<double>(per_thread), "ns",
                   Better::kLower, Source::kMeasured});
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- reorder

struct OrderCase {
  const char* name;
  k::LitmusOrder order;
};

void RunReorder(const Plan& plan, const RunContext& context, ResultSink& sink) {
  std::vector<int> pair = {plan.cpus[0], plan.cpus[plan.cpus.size() > 1 ? 1 : 0]};
  if (pair[0] == pair[1]) {
    context.notes.Note(
        "threads reorder: only one CPU available, so both litmus threads share it and "
        "reordering between CPUs cannot show");
  }
  const OrderCase sb_orders[] = {{"plain", k::LitmusOrder::kPlain},
                                 {"relaxed", k::LitmusOrder::kRelaxed},
                                 {"acq_rel", k::LitmusOrder::kAcqRel},
                                 {"seq_cst", k::LitmusOrder::kSeqCst},
                                 {"fence", k::LitmusOrder::kFence}};
  const OrderCase mp_orders[] = {{"plain", k::LitmusOrder::kPlain},
                                 {"relaxed", k::LitmusOrder::kRelaxed},
                                 {"acq_rel", k::LitmusOrder::kAcqRel}};
  WorkerTeam team(2, pair);
  for (const bool sb : {true, false}) {
    const std::string test = sb ? "store-buffer" : "message-passing";
    for (const OrderCase& oc :
         sb ? std::vector<OrderCase>(std::begin(sb_orders), std::end(sb_orders))
            : std::vector<OrderCase>(std::begin(mp_orders), std::end(mp_orders))) {
      const std::string order = oc.name;
      k::Litmus litmus(sb ? k::LitmusTest::kStoreBuffer : k::LitmusTest::kMessagePassing, oc.order,
                       plan.trials, 4096,
                       plan.trials_explicit ? kCaseBudgetSeconds : (plan.quick ? 0.3 : 2.0));
      const double seconds = team.Run([&](int side) { litmus.RunSide(side); });
      const std::uint64_t forbidden = litmus.Forbidden();
      if (litmus.Trials() < plan.trials) {
        context.notes.Note("threads reorder: stopped " + test + "/" + order + " after " +
                           std::to_string(litmus.Trials()) + " of " + std::to_string(plan.trials) +
                           (plan.trials_explicit
                                ? " trials at the time cap per case (sysbench/case_budget.h)"
                                : " trials at the default time cap (a busy machine); pass "
                                  "--trials to run more"));
      }
      const bool must_forbid = sb ? (order == "seq_cst" || order == "fence") : (order == "acq_rel");
      std::string verdict;
      if (must_forbid) {
        verdict = forbidden == 0 ? "none, as the memory order guarantees"
                                 : "forbidden outcomes seen: a bug in this harness or the CPU";
      } else if (forbidden > 0) {
        verdict = sb ? "shown: each store waited in its CPU's store buffer while the other "
                       "CPU's load ran"
                     : "shown: the reader saw the flag before the data";
      } else {
        verdict = sb ? "not shown: the hardware did not reorder in this run"
                     : "not shown: x86 (TSO) keeps stores in order and loads in order, so only "
                       "the compiler could reorder this; weaker CPUs (Arm, POWER) show it";
        if (sb) {
          context.notes.Note("threads reorder store-buffer/" + order + ": no r1==r2==0 in " +
                             std::to_string(litmus.Trials()) +
                             " trials: the hardware did not show the reordering in this run");
        }
      }
      if (must_forbid && forbidden > 0) {
        context.notes.Warn("threads reorder " + test + "/" + order + ": " +
                           std::to_string(forbidden) + " forbidden outcomes");
      }
      Result r = MakeResult("reorder", test + "/" + order, 2);
      r.Param("test", test);
      r.Param("trials_asked", std::to_string(plan.trials));
      r.Param("order", order);
      r.Param("cpus", std::to_string(pair[0]) + "," + std::to_string(pair[1]));
      r.Param("shows", sb ? "x=1; r1=y || y=1; r2=x: r1==r2==0 is forbidden only with seq_cst "
                            "or a full fence"
                          : "data=1; flag=1 || r1=flag; r2=data: flag set but data 0 is "
                            "forbidden with release/acquire (the seed's ready flag)");
      r.Add(Count("trials", litmus.Trials(), Source::kComputed));
      r.Add(Count("forbidden_outcomes", forbidden));
      const std::uint64_t* o = litmus.Outcomes();
      r.Add(Count("outcome_r1_0_r2_0", o[0]));
      r.Add(Count("outcome_r1_0_r2_1", o[1]));
      r.Add(Count("outcome_r1_1_r2_0", o[2]));
      r.Add(Count("outcome_r1_1_r2_1", o[3]));
      r.Add(Metric{"ns_per_trial", seconds * 1e9 / static_cast<double>(litmus.Trials()), "ns",
                   Better::kLower, Source::kMeasured});
      r.Add(Metric{"verdict", verdict, "", Better::kNone, Source::kComputed});
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- false-sharing

void RunFalseSharing(const Plan& plan, const Runner& runner, ResultSink& sink) {
  for (const std::string layout : {"packed", "padded"}) {
    for (int n : plan.threads) {
      WorkerTeam team(n, plan.cpus);
      const auto count = static_cast<std::size_t>(n);
      auto packed = std::make_unique<std::atomic<std::uint64_t>[]>(count + 8);
      auto padded = std::make_unique<k::PaddedAtomic[]>(count);
      // Packed slots start on a line boundary so up to 8 share one line.
      auto* base = packed.get();
      while (reinterpret_cast<std::uintptr_t>(base) % k::kLineBytes != 0) ++base;
      const std::vector<Sample> samples = runner.MeasureTimed([&](std::uint64_t blocks) {
        return TimedTeamRun(team, [&](int i) {
          const auto index = static_cast<std::size_t>(i);
          k::IncrementOwnSlot(layout == "packed" ? base[index] : padded[index].value,
                              blocks * kOpsPerBlock);
        });
      });
      Result r =
          MakeResult("false-sharing", std::string(layout) + "/threads=" + std::to_string(n), n);
      r.Param("layout", layout);
      r.Param("shows", layout == std::string("packed")
                           ? "each thread increments its own counter, 8 counters to a 64 B line: "
                             "the line bounces between cores"
                           : "the same counters 128 B apart: no sharing, each core keeps its line");
      r.AddSampled("ops_per_s",
                   Rates(samples, static_cast<double>(n) * static_cast<double>(kOpsPerBlock)),
                   "op/s", Better::kHigher);
      sink.Emit(std::move(r));
    }
  }
}

// ---------------------------------------------------------------- spawn

void RunSpawn(const Plan& plan, const Runner& runner, ResultSink& sink) {
  const int cpu = plan.cpus[0];
  struct Op {
    const char* name;
    const char* shows;
    int threads;
  };
  const Op ops[] = {
      {"thread", "pthread_create of a thread that returns at once, then pthread_join", 1},
      {"fork", "fork of this process, child _exit(0), parent waitpid", 1},
      {"posix_spawn", "posix_spawn of /bin/true, then waitpid", 1},
      {"pipe-threads",
       "one context switch: two threads on one CPU bounce a byte over two pipes "
       "(round trip / 2)",
       2},
      {"pipe-processes",
       "one context switch: two processes on one CPU bounce a byte over two "
       "pipes (round trip / 2)",
       2},
  };
  std::string true_path;
  for (const char* p : {"/bin/true", "/usr/bin/true"}) {
    if (access(p, X_OK) == 0) {
      true_path = p;
      break;
    }
  }
  for (const Op& op : ops) {
    const std::string name = op.name;
    Result r = MakeResult("spawn", name, op.threads);
    r.Param("op", name);
    r.Param("shows", op.shows);
    std::vector<Sample> samples;
    double scale = 1e9;
    if (name == "thread") {
      samples = runner.MeasureTimed(ThreadCreateJoin);
    } else if (name == "fork") {
      samples = runner.MeasureTimed(ForkWait);
    } else if (name == "posix_spawn") {
      if (true_path.empty()) {
        r.skipped = "no /bin/true or /usr/bin/true to spawn";
        sink.Emit(std::move(r));
        continue;
      }
      samples = runner.MeasureTimed(
          [&](std::uint64_t iterations) { return SpawnWait(true_path, iterations); });
    } else {
      PipePingPong pingpong(name == "pipe-processes", cpu);
      samples = runner.MeasureTimed(
          [&](std::uint64_t iterations) { return pingpong.RoundTrips(iterations); });
      scale = 0.5e9;
      r.Param("cpu", std::to_string(cpu));
    }
    r.AddSampled("ns_per_op", PerIteration(samples, scale), "ns", Better::kLower);
    sink.Emit(std::move(r));
  }
}

// ---------------------------------------------------------------- command

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
  std::vector<ChartSpec> Charts() const override {
    ChartSpec c = ChartSpec::Line("Scaling: speed-up vs threads (dashed: ideal)", "speedup",
                                  "threads", "threads", {"scenario", "mode"});
    c.y_label = "speedup";
    c.ideal_y_equals_x = true;
    return {c};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--scenario", scenario_,
                   "Scenarios: " + Join(kScenarios, ", ") + " or all (default all)");
    sub.add_option("--lock", lock_,
                   "Locks for the locks scenario: " + Join(kLocks, ", ") +
                       " (default all but yield, which is Debian sysbench threads' workload)");
    sub.add_option("--trials", trials_,
                   "Litmus trials per reorder case (default 1000000, quick 50000)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    Plan plan;
    plan.quick = config.quick;
    std::vector<std::string> allowed = kScenarios;
    allowed.push_back("all");
    for (const std::string& s : ParseNameList(scenario_, "--scenario", allowed)) {
      if (s == "all") {
        plan.scenarios = kScenarios;
        break;
      }
      if (std::find(plan.scenarios.begin(), plan.scenarios.end(), s) == plan.scenarios.end()) {
        plan.scenarios.push_back(s);
      }
    }
    plan.locks = lock_.empty() ? kDefaultLocks : ParseNameList(lock_, "--lock", kLocks);
    plan.trials = trials_.empty()
                      ? (config.quick ? 50000 : 1000000)
                      : static_cast<std::uint64_t>(ParseInt(trials_, "--trials", 1, 1000000000));
    plan.trials_explicit = !trials_.empty();
    plan.cpus = WorkerCpus(config.cpus);
    plan.threads = config.threads.empty()
                       ? DefaultThreads(static_cast<int>(plan.cpus.size()), config.quick)
                       : config.threads;
    // Short defaults: many cases, each a few short samples (explicit global options win).
    plan.timing = context.Timing();
    if (config.repetitions == 0) plan.timing.repetitions = config.quick ? 3 : 5;
    if (config.min_time <= 0) plan.timing.min_time = config.quick ? 0.003 : 0.02;
    if (config.warmup < 0) plan.timing.warmup = config.quick ? 0.002 : 0.01;
    const Runner runner(plan.timing);

    for (const std::string& s : plan.scenarios) {
      if (s == "scaling") RunScaling(plan, runner, sink);
      if (s == "gil") RunGil(plan, runner, sink);
      if (s == "locks") RunLocks(plan, runner, sink);
      if (s == "lock-over-io") RunLockOverIo(plan, runner, sink);
      if (s == "race") RunRace(plan, sink);
      if (s == "reorder") RunReorder(plan, context, sink);
      if (s == "false-sharing") RunFalseSharing(plan, runner, sink);
      if (s == "spawn") RunSpawn(plan, runner, sink);
    }
  }

 private:
  std::string scenario_ = "all";
  std::string lock_;
  std::string trials_;
};

}  // namespace

std::unique_ptr<Command> MakeThreadsCommand() { return std::make_unique<ThreadsCommand>(); }

}  // namespace sysbench
