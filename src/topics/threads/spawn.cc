// threads scenario spawn: what creating a thread or a process, and one context switch, cost.
#include <unistd.h>

#include <string>
#include <vector>

#include "topics/threads/kernels/threads_kernels.h"
#include "topics/threads/process.h"
#include "topics/threads/scenarios.h"

namespace sysbench::threads {

namespace k = kernels;

void RunSpawn(const Plan& plan, const RunContext& /*context*/, ResultSink& sink) {
  const Runner runner(plan.timing);
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

}  // namespace sysbench::threads
