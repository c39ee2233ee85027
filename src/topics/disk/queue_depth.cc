// Queue depth: 4 KiB random reads with 1..32 requests in flight (io_uring). IOPS against depth
// shows how much parallelism the device has; psync can only keep one request in flight.
#include "topics/disk/cases.h"

namespace sysbench::disk {

void RunQueueDepth(CaseContext& context) {
  constexpr std::uint64_t kBlock = 4096;
  const Pattern& randread = AllPatterns()[1];
  bool direct = false;
  const Fd fd = context.OpenDirect(direct);
  double qd1_iops = 0;
  for (const int asked : context.plan.depths) {
    const int depth = context.plan.engine == Engine::kPsync ? 1 : asked;
    JobSpec spec = context.Spec(fd.Get(), randread, kBlock);
    spec.depth = depth;
    const JobResult job = RunJob(context.plan.engine, spec);
    Result r("disk", "depth/randread/bs=4K/qd=" + std::to_string(asked));
    r.Param("family", "depth")
        .Param("pattern", randread.name)
        .Param("depth", std::to_string(asked))
        .Param("effective_depth", std::to_string(depth))
        .Param("engine", EngineName(context.plan.engine))
        .Param("direct", direct ? "1" : "0");
    AddThroughput(r, job, kBlock);
    const double iops = r.Find("iops_overall") ? AsDouble(r.Find("iops_overall")->value) : 0;
    if (depth == 1) qd1_iops = iops;
    if (qd1_iops > 0) {
      r.Add(Computed("iops_vs_qd1", iops / qd1_iops, "x", Better::kHigher));
    }
    context.Emit(std::move(r));
  }
}

}  // namespace sysbench::disk
