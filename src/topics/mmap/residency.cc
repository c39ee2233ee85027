// mmap scenario residency: which of a file's pages are in memory (mincore) after each step:
// dropped, mapped, a quarter read, all read, unmapped, dropped again.
#include <fmt/format.h>
#include <sys/mman.h>

#include <string>

#include "sysbench/do_not_optimize.h"
#include "topics/mmap/kernels/mmap_kernels.h"
#include "topics/mmap/scenarios.h"

namespace sysbench::mmap_scenarios {

void RunResidency(const Setup& setup) {
  const DataFile& file = *setup.file;
  ResultSink& sink = setup.sink;
  const auto bytes = static_cast<std::size_t>(file.Bytes());
  const std::size_t page = PageSize();
  const std::uint64_t pages = (bytes + page - 1) / page;
  const std::string file_param = std::to_string(file.Bytes());
  if (!setup.no_cold_reason.empty()) {
    setup.context.notes.Note(fmt::format(
        "mmap: residency: {}; the 'dropped' steps show how much stayed", setup.no_cold_reason));
  }
  Faults f = FaultsNow();
  const auto emit = [&](const std::string& step, double resident_pct, const std::string& what) {
    const Faults faults = FaultsSince(f);
    Result r = NewResult("residency/" + step, "residency");
    r.Param("step", step).Param("method", "mmap").Param("file_bytes", file_param);
    r.Param("what", what);
    r.Add(Measured("resident_pct", resident_pct, "%"));
    r.Add(Measured("rss_bytes", RssBytes(), "B"));
    r.Add(Count("minor_faults", faults.minor)).Add(Count("major_faults", faults.major));
    sink.Emit(std::move(r));
    f = FaultsNow();
  };
  mmap_support::DropFromPageCache(file.Fd(), file.Bytes(), file.Path());
  emit("dropped", mmap_support::FileResidentPercent(file.Fd(), file.Bytes()),
       "posix_fadvise(DONTNEED) on the whole file");
  f = FaultsNow();
  auto m = Map(bytes, PROT_READ, MAP_SHARED, file.Fd(), fmt::format("mmap '{}'", file.Path()));
  const auto resident = [&]() {
    return mmap_support::ResidentPercent(mmap_support::ResidentPages(m->Data(), bytes), pages);
  };
  emit("mapped", resident(), "mmap of the whole file, nothing read");
  const std::size_t quarter = bytes / 4 / 8 * 8;
  DoNotOptimize(kernels::SumWords(m->Data(), quarter));
  emit("read-quarter", resident(), "first quarter read through the mapping");
  DoNotOptimize(kernels::SumWords(m->Data(), bytes / 8 * 8));
  emit("read-all", resident(), "whole file read through the mapping");
  m->Unmap();
  emit("unmapped", mmap_support::FileResidentPercent(file.Fd(), file.Bytes()),
       "munmap: the page cache keeps the pages, RSS drops");
  mmap_support::DropFromPageCache(file.Fd(), file.Bytes(), file.Path());
  emit("dropped-again", mmap_support::FileResidentPercent(file.Fd(), file.Bytes()),
       "posix_fadvise(DONTNEED) again");
}

}  // namespace sysbench::mmap_scenarios
