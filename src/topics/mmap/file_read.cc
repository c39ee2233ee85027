// mmap scenario file-read: a file read through a mapping, sequentially and at random, with the page
// cache hot and cold (pages dropped with posix_fadvise, checked with mincore).
#include <algorithm>
#include <string>
#include <vector>

#include "sysbench/units.h"
#include "topics/mmap/scenarios.h"

namespace sysbench::mmap_scenarios {
namespace {

// Pages read per cold random pass: each one may wait for the disk.
constexpr std::size_t kColdRandomPages = 1024;
// After POSIX_FADV_DONTNEED, more than this much of the file still cached means "not cold".
constexpr double kColdResidentLimitPct = 10.0;

}  // namespace

void RunFileRead(const Setup& setup) {
  const Plan& plan = setup.plan;
  const DataFile& file = *setup.file;
  ResultSink& sink = setup.sink;
  const std::size_t page = PageSize();
  const std::uint64_t pages = (file.Bytes() + page - 1) / page;
  const auto all_order = RandomOrder(static_cast<std::size_t>(pages), 0x5eed);
  std::vector<std::uint32_t> cold_order(
      all_order.begin(), all_order.begin() + static_cast<std::ptrdiff_t>(std::min<std::size_t>(
                                                 all_order.size(), kColdRandomPages)));
  const std::string file_param = std::to_string(file.Bytes());

  for (const char* cache : {"hot", "cold"}) {
    const bool hot = std::string(cache) == "hot";
    for (const char* access : {"seq", "random"}) {
      const bool seq = std::string(access) == "seq";
      const std::vector<std::uint32_t>* order = seq ? nullptr : (hot ? &all_order : &cold_order);
      const double touched_pages =
          seq ? static_cast<double>(pages) : static_cast<double>(order->size());
      const double touched_bytes = seq ? static_cast<double>(file.Bytes() / 8 * 8)
                                       : touched_pages * static_cast<double>(page);
      Result r = NewResult(std::string("file-read/") + cache + "/" + access + "/mmap", "file-read");
      r.Param("cache", cache).Param("access", access).Param("method", "mmap");
      r.Param("file_bytes", file_param).Param("pages_read", FormatDouble(touched_pages));
      if (!hot && !setup.no_cold_reason.empty()) {
        r.skipped = "cold: " + setup.no_cold_reason;
        sink.Emit(std::move(r));
        continue;
      }
      std::vector<Pass> passes;
      std::string not_cold;
      if (hot) {
        WarmCache(file);
        MappedPass(file, order, -1, 0);  // warm-up, untimed
      }
      const int reps = hot ? plan.reps : plan.cold_reps;
      const CaseBudget budget;
      for (int rep = 0; AnotherPass(budget, rep, reps, setup.context.notes, r.case_id); ++rep) {
        if (!hot) mmap_support::DropFromPageCache(file.Fd(), file.Bytes(), file.Path());
        const double resident = mmap_support::FileResidentPercent(file.Fd(), file.Bytes());
        if (!hot && resident > kColdResidentLimitPct) {
          not_cold = "cold not achievable: after posix_fadvise(POSIX_FADV_DONTNEED) " +
                     FormatHuman(resident) +
                     "% of the file stayed in the page cache (the kernel kept the pages, e.g. "
                     "they are mapped or dirty elsewhere), so a cold number would be a hot one";
          break;
        }
        Pass pass = MappedPass(file, order, -1, 0);
        pass.resident_pct = resident;
        passes.push_back(pass);
      }
      if (!not_cold.empty()) {
        r.skipped = not_cold;
        sink.Emit(std::move(r));
        continue;
      }
      AddPassMetrics(r, passes, touched_bytes, touched_pages, true);
      if (!hot) {
        std::uint64_t major = 0;
        for (const Pass& p : passes) major = std::max(major, p.faults.major);
        if (major == 0) {
          setup.context.notes.Note("mmap: cold " + std::string(access) +
                                   " reads saw no major faults: the kernel's readahead or the "
                                   "device cache served them (see docs/mmap.md)");
        }
      }
      sink.Emit(std::move(r));
    }
  }
}

}  // namespace sysbench::mmap_scenarios
