// threads scenarios scaling and gil: one CPU-bound job split over threads or processes, and what
// one global lock (a GIL) does to the speed-up.
#include <algorithm>
#include <mutex>
#include <string>
#include <vector>

#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/process.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

void RunScaling(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
  const Runner runner(plan.timing);
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
      Result r = ThreadedResult("scaling", "mode", mode, n);
      r.Param("shows", mode == std::string("threads")
                           ? "a CPU-bound job split over a pinned thread pool: speed-up vs 1 thread"
                           : "the same job split over forked processes (fork, exit and wait "
                             "included): speed-up vs 1 process");
      AddSpeedup(r, base, seconds, n);
      sink.Emit(std::move(r));
    }
  }
}

void RunGil(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
  const Runner runner(plan.timing);
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
      Result r = ThreadedResult("gil", "variant", variant, n);
      r.Param("shows",
              variant == std::string("free")
                  ? "CPU-bound work in 0.5 ms chunks, no global lock: scales with cores"
              : variant == std::string("gil")
                  ? "the same chunks, each computed holding one global lock (a GIL): no speed-up"
                  : "requests of 50 us compute under the GIL then 1 ms of I/O (a sleep) outside "
                    "it: the waits overlap, so threads still help I/O-bound work");
      AddSpeedup(r, base, seconds, n);
      sink.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::threads
