// threads scenarios locks and lock-over-io: one counter under each kind of lock, and a lock held
// across blocking I/O.
#include <fmt/format.h>

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <vector>

#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

const char* LockShows(const std::string& lock) {
  if (lock == "mutex") return "one std::mutex guards one counter: every increment contends";
  if (lock == "striped") return "64 mutexes each guarding its own counter, picked at random";
  if (lock == "spinlock") return "one test-and-test-and-set spinlock (pause, then yield)";
  if (lock == "atomic") return "one counter incremented with atomic fetch_add, no lock";
  if (lock == "local") return "thread-local counts added to the total once at the end";
  return "Debian sysbench threads' workload: lock one of 8 mutexes, sched_yield, unlock";
}

void RunLocks(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
  const Runner runner(plan.timing);
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
        throw RuntimeError(fmt::format("threads locks/{}: counted {} increments, expected {}", lock,
                                       counted, expected));
      }
      Result r = ThreadedResult("locks", "lock", lock, n);
      r.Param("shows", LockShows(lock));
      r.AddSampled("ops_per_s",
                   Rates(samples, static_cast<double>(n) * static_cast<double>(kOpsPerBlock)),
                   "op/s", Better::kHigher);
      sink.Emit(std::move(r));
    }
  }
}

void RunLockOverIo(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
  const Runner runner(plan.timing);
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
      Result r = ThreadedResult("lock-over-io", "variant", variant, n);
      r.Param("shows", variant == std::string("hold")
                           ? "one worker sleeps 100 us per I/O while holding the lock: the other "
                             "workers' increments (ops_per_s) stall"
                           : "the same worker releases the lock before its I/O: the others run");
      r.AddSampled("ops_per_s", rates, "op/s", Better::kHigher);
      sink.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::threads
