// Block size sweep: each pattern (read, randread, write, randwrite) at each block size, around
// the page cache (O_DIRECT) at the sweep's queue depth.
#include "topics/disk/cases.h"

namespace sysbench::disk {

void RunSweep(CaseContext& context) {
  bool direct = false;
  const Fd fd = context.OpenDirect(direct);
  const int depth = context.plan.engine == Engine::kPsync ? 1 : context.plan.sweep_depth;
  for (const Pattern& pattern : context.plan.patterns) {
    for (const std::uint64_t block : context.plan.block_sizes) {
      JobSpec spec = context.Spec(fd.Get(), pattern, block);
      spec.depth = depth;
      const JobResult job = RunJob(context.plan.engine, spec);
      Result r("disk", "sweep/" + pattern.name + "/bs=" + BlockLabel(block) +
                           "/qd=" + std::to_string(depth));
      r.Param("family", "sweep")
          .Param("pattern", pattern.name)
          .Param("block_bytes", std::to_string(block))
          .Param("iodepth", std::to_string(depth))
          .Param("engine", EngineName(context.plan.engine))
          .Param("direct", direct ? "1" : "0");
      AddThroughput(r, job, block);
      context.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::disk
