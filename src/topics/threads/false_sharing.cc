// threads scenario false-sharing: counters that share a cache line against counters a line apart.
#include <atomic>
#include <cstdint>
#include <memory>
#include <string>

#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

void RunFalseSharing(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
  const Runner runner(plan.timing);
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
      Result r = ThreadedResult("false-sharing", "layout", layout, n);
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

}  // namespace sysbench::threads
