// threads scenario race: unsynchronised increments lose updates; an atomic read-modify-write
// does not.
#include <sched.h>

#include <atomic>
#include <memory>
#include <string>

#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

struct alignas(k::kPadBytes) RaceCounters {
  std::uint64_t plain = 0;
  alignas(k::kPadBytes) volatile std::uint64_t volatile_count = 0;
  alignas(k::kPadBytes) std::atomic<std::uint64_t> atomic_count{0};
};

constexpr std::uint64_t kRaceRounds = 100;

void RunRace(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
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
      Result r = ThreadedResult("race", "variant", variant, n);
      r.Param("increments_per_thread", std::to_string(per_thread));
      r.Param("shows", variant == std::string("atomic")
                           ? "counter.fetch_add(1): a read-modify-write that loses nothing"
                           : "unsynchronised counter++ (" + std::string(variant) +
                                 " load, add, store): increments that overlap are lost");
      r.Add(Computed("expected_total", expected));
      r.Add(Count("observed_total", observed));
      r.Add(Count("lost_updates", expected >= observed ? expected - observed : 0, Better::kLower));
      r.Add(Measured("ns_per_increment", seconds * 1e9 / static_cast<double>(per_thread), "ns",
                     Better::kLower));
      sink.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::threads
