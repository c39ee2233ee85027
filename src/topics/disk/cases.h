// The case families of `sysbench disk`, one source file each, and what they share: the validated
// plan, and the conversion of a finished job into result metrics.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "sysbench/command.h"
#include "topics/disk/engine.h"
#include "topics/disk/target.h"

namespace sysbench::disk {

// The four access patterns, named as fio names them.
struct Pattern {
  std::string name;  // "read", "randread", "write", "randwrite"
  bool write;
  bool random;
};
const std::vector<Pattern>& AllPatterns();

struct Plan {
  std::vector<std::string> families;  // sweep, depth, sync, cache (facts always)
  std::vector<std::uint64_t> block_sizes;
  std::vector<Pattern> patterns;
  int sweep_depth = 1;
  std::vector<int> depths;
  int batch = 16;
  std::uint64_t bytes = 0;
  int slices = 5;
  double slice_seconds = 0.1;
  double warmup_seconds = 0.05;
  Engine engine = Engine::kPsync;
  bool Has(const std::string& family) const;
};

// What every family gets: the plan, the file, the notes, and where results go (kept as well, for
// the facts that compare one case with another).
struct CaseContext {
  const Plan& plan;
  const DiskTarget& target;
  Notes& notes;
  ResultSink& sink;
  std::vector<Result> kept;

  void Emit(Result result);
  // Base job on the whole file with the plan's slices.
  JobSpec Spec(int fd, const Pattern& pattern, std::uint64_t block) const;
  // A descriptor with O_DIRECT, or a buffered one (direct = false, said once) when refused.
  Fd OpenDirect(bool& direct) const;
};

// "4K", "64K", "1M": the block size as the case ids show it.
std::string BlockLabel(std::uint64_t bytes);
// iops (sampled per slice), mbps, ops, and latency percentiles in microseconds:
// lat_p50_us, lat_p90_us, lat_p99_us, lat_p999_us, lat_max_us (prefix "lat" by default).
void AddThroughput(Result& r, const JobResult& job, std::uint64_t bytes_per_op);
void AddLatency(Result& r, const std::vector<double>& latency_ns, const std::string& prefix);

void RunSweep(CaseContext& context);
void RunQueueDepth(CaseContext& context);
void RunDurability(CaseContext& context);
void RunCache(CaseContext& context);
// Looked-up facts of the storage next to what the sweep measured; emitted last.
void EmitFacts(CaseContext& context);

}  // namespace sysbench::disk
