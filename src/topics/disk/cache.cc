// Through the page cache, hot and cold: buffered reads of a file already in memory against the
// same reads after posix_fadvise(DONTNEED), with mincore showing how much was resident before
// each run. The hot/cold ratio is the seed's "caching in RAM increases throughput" as a number.
#include <fcntl.h>

#include <cerrno>
#include <vector>

#include "sysbench/error.h"
#include "sysbench/page_cache.h"
#include "sysbench/units.h"
#include "topics/disk/cases.h"

namespace sysbench::disk {
namespace {

// Below this ratio a cold read may have come from a cache this machine cannot see (the host's).
constexpr double kCloseRatio = 2.0;
// After DONTNEED, more than this resident means the run would not be cold.
constexpr double kColdResidentLimitPct = 1.0;

struct CacheCase {
  const Pattern& pattern;
  std::uint64_t block;
};

// Reads the whole file once through `fd` so every page is cached.
void ReadWhole(int fd, std::uint64_t bytes) {
  std::vector<unsigned char> chunk(1 << 20);
  for (std::uint64_t offset = 0; offset < bytes;) {
    const ssize_t n = pread(fd, chunk.data(), chunk.size(), static_cast<off_t>(offset));
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) throw SystemError("read the test file", errno);
    if (n == 0) break;
    offset += static_cast<std::uint64_t>(n);
  }
}

Result NewResult(const CacheCase& c, const char* state, double resident_pct) {
  Result r("disk",
           std::string("cache/") + state + "/" + c.pattern.name + "/bs=" + BlockLabel(c.block));
  r.Param("family", "cache")
      .Param("state", state)
      .Param("pattern", c.pattern.name)
      .Param("request_bytes", std::to_string(c.block))
      .Param("engine", EngineName(Engine::kPsync));
  r.Add(Measured("resident_pct_before", resident_pct, "%"));
  return r;
}

}  // namespace

void RunCache(CaseContext& context) {
  const DiskTarget& target = context.target;
  const Fd fd = target.Open(0);
  if (!fd.Valid()) throw SystemError("open '" + target.Path() + "'", errno);
  const std::vector<CacheCase> cases = {{AllPatterns()[0], 1u << 20}, {AllPatterns()[1], 4096}};
  const bool memory_fs = target.Facts().memory_fs;
  for (const CacheCase& c : cases) {
    posix_fadvise(fd.Get(), 0, 0, c.pattern.random ? POSIX_FADV_RANDOM : POSIX_FADV_SEQUENTIAL);
    ReadWhole(fd.Get(), target.Bytes());
    const double hot_resident = FileResidentPercent(fd.Get(), target.Bytes());
    JobSpec spec = context.Spec(fd.Get(), c.pattern, c.block);
    const JobResult hot = RunJob(Engine::kPsync, spec);
    Result hot_result = NewResult(c, "hot", hot_resident);
    AddThroughput(hot_result, hot, c.block);
    const double hot_iops = AsDouble(hot_result.Find("iops_overall")->value);
    context.Emit(std::move(hot_result));

    Result cold_result = NewResult(c, "cold", 100);
    if (memory_fs) {
      cold_result.skipped = "'" + target.Path() + "' is on " + target.Facts().fs_type +
                            ": its pages have no disk copy, so they cannot be dropped";
      context.Emit(std::move(cold_result));
      continue;
    }
    if (fdatasync(fd.Get()) != 0) throw SystemError("fdatasync '" + target.Path() + "'", errno);
    DropFromPageCache(fd.Get(), target.Bytes(), target.Path());
    const double cold_resident = FileResidentPercent(fd.Get(), target.Bytes());
    context.notes.Note("disk: cache/cold/" + c.pattern.name + ": " + FormatHuman(cold_resident) +
                       "% of the test file resident (mincore) before the cold run");
    cold_result = NewResult(c, "cold", cold_resident);
    if (cold_resident > kColdResidentLimitPct) {
      context.notes.Warn("disk: posix_fadvise(DONTNEED) left " + FormatHuman(cold_resident) +
                         "% of the test file cached; the cold runs are partly hot");
    }
    // One pass at most, so no page is read twice (a second read would be hot).
    spec.warmup_seconds = 0;
    spec.max_ops = spec.region / c.block / (c.pattern.random ? 4 : 1);
    const JobResult cold = RunJob(Engine::kPsync, spec);
    AddThroughput(cold_result, cold, c.block);
    const double cold_iops = AsDouble(cold_result.Find("iops_overall")->value);
    if (cold_iops > 0) {
      const double ratio = hot_iops / cold_iops;
      cold_result.Add(Computed("hot_vs_cold", ratio, "x"));
      if (ratio < kCloseRatio) {
        context.notes.Note("disk: cold " + c.pattern.name + " was only " + FormatHuman(ratio) +
                           "x slower than hot although mincore showed the file was not cached "
                           "here: on a VM the host's cache may have served it");
      }
    }
    context.Emit(std::move(cold_result));
  }
  posix_fadvise(fd.Get(), 0, 0, POSIX_FADV_NORMAL);
}

}  // namespace sysbench::disk
