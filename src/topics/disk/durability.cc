// Durability: what a commit costs. 4 KiB writes through the page cache made durable by fsync,
// fdatasync or O_DSYNC, after every write and after a batch of N writes (for O_DSYNC: one write
// of N x 4 KiB), as a database's log does.
#include <fcntl.h>

#include <cerrno>
#include <vector>

#include "sysbench/error.h"
#include "topics/disk/cases.h"

namespace sysbench::disk {
namespace {

struct SyncCase {
  const char* name;
  SyncKind sync;
  bool dsync;
};

constexpr SyncCase kSyncCases[] = {{"fsync", SyncKind::kFsync, false},
                                   {"fdatasync", SyncKind::kFdatasync, false},
                                   {"dsync", SyncKind::kNone, true}};

}  // namespace

void RunDurability(CaseContext& context) {
  constexpr std::uint64_t kBlock = 4096;
  const Pattern& write = AllPatterns()[2];
  std::vector<int> batches = {1};
  if (context.plan.batch > 1) batches.push_back(context.plan.batch);
  for (const int batch : batches) {
    for (const SyncCase& c : kSyncCases) {
      const Fd fd = context.target.Open(c.dsync ? O_DSYNC : 0);
      if (!fd.Valid()) throw SystemError("open '" + context.target.Path() + "'", errno);
      // O_DSYNC batches are one larger write; the others are `batch` writes and one sync.
      const std::uint64_t block = c.dsync ? kBlock * static_cast<std::uint64_t>(batch) : kBlock;
      JobSpec spec = context.Spec(fd.Get(), write, block);
      spec.sync = c.sync;
      spec.batch = c.dsync ? 1 : batch;
      const JobResult job = RunJob(Engine::kPsync, spec);
      Result r("disk", std::string("sync/") + c.name + "/batch=" + std::to_string(batch));
      r.Param("family", "sync")
          .Param("sync", c.name)
          .Param("batch", std::to_string(batch))
          .Param("write_bytes", std::to_string(kBlock))
          .Param("engine", EngineName(Engine::kPsync));
      const double writes_per_op = c.dsync ? batch : 1;
      std::vector<double> writes_per_s;
      for (double rate : job.slice_iops) writes_per_s.push_back(rate * writes_per_op);
      r.AddSampled("writes_per_s", writes_per_s, "writes/s", Better::kHigher);
      const double commits = static_cast<double>(job.latency_ns.size());
      if (job.seconds > 0) {
        r.Add(Measured("commits_per_s", commits / job.seconds, "commits/s", Better::kHigher));
      }
      AddLatency(r, job.latency_ns, "commit");
      AddLatency(r, job.sync_ns, "sync");
      if (const Metric* p50 = r.Find("commit_p50_us")) {
        r.Add(Computed("per_write_us", AsDouble(p50->value) / batch, "us", Better::kLower));
      }
      context.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::disk
