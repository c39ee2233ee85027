// mmap scenario anon-touch: anonymous memory is mapped lazily; the first touch of each page faults
// it in. Lazy, MAP_POPULATE and transparent huge pages, each timed per page.
#include <sys/mman.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <string>
#include <vector>

#include "core/mapped_buffer.h"
#include "sysbench/do_not_optimize.h"
#include "topics/mmap/kernels/mmap_kernels.h"
#include "topics/mmap/scenarios.h"

namespace sysbench::mmap_scenarios {

void RunAnonTouch(const Setup& setup) {
  const Plan& plan = setup.plan;
  ResultSink& sink = setup.sink;
  const std::size_t page = PageSize();
  const std::size_t bytes = static_cast<std::size_t>((plan.anon_bytes + page - 1) / page * page);
  const std::size_t pages = bytes / page;
  const int rw = PROT_READ | PROT_WRITE;
  const int anon = MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE;
  {  // Warm-up: the fault path and the allocator, untimed.
    auto warm = Map(std::min<std::size_t>(bytes, 16 * kMiB), rw, anon, -1, "mmap anonymous");
    madvise(warm->Data(), warm->Bytes(), MADV_NOHUGEPAGE);
    DoNotOptimize(kernels::TouchPages(warm->Data(), warm->Bytes() / page, page));
  }
  const auto page_param = std::to_string(page);
  const auto size_param = std::to_string(bytes);

  // Lazy mapping with 4 KiB pages: map, first touch, second touch.
  std::vector<Pass> map_passes, first_passes, second_passes;
  std::uint64_t rss_before = 0;
  Notes& notes = setup.context.notes;
  const CaseBudget lazy_budget;
  for (int rep = 0; AnotherPass(lazy_budget, rep, plan.costly_reps, notes, "anon-touch/lazy");
       ++rep) {
    const std::uint64_t rss0 = RssBytes();
    if (rep == 0) rss_before = rss0;
    const std::uint64_t thp0 = mmap_support::AnonHugePageBytes();
    std::unique_ptr<Mapping> m;
    const Pass map_pass = TimedPass([&] { m = Map(bytes, rw, anon, -1, "mmap anonymous"); });
    madvise(m->Data(), bytes, MADV_NOHUGEPAGE);
    const auto touch = [&] { DoNotOptimize(kernels::TouchPages(m->Data(), pages, page)); };
    Pass first = TimedPass(touch);
    first.thp_bytes = ThpGainedSince(thp0);
    const Pass second = TimedPass(touch);
    map_passes.push_back(map_pass);
    first_passes.push_back(first);
    second_passes.push_back(second);
  }
  const auto add = [&](Result r, const std::string& method, const std::string& step,
                       const std::vector<Pass>& passes, const std::string& page_bytes) {
    r.Param("method", method).Param("step", step).Param("size_bytes", size_param);
    r.Param("page_bytes", page_bytes);
    AddPassMetrics(r, passes, static_cast<double>(bytes), static_cast<double>(pages), false);
    sink.Emit(std::move(r));
  };
  {
    Result r = NewResult("anon-touch/rss/before-map", "anon-touch");
    r.Param("method", "lazy").Param("step", "before-map").Param("size_bytes", size_param);
    r.Add(Measured("rss_bytes", rss_before, "B"));
    sink.Emit(std::move(r));
  }
  add(NewResult("anon-touch/lazy/map", "anon-touch"), "lazy", "map", map_passes, page_param);
  add(NewResult("anon-touch/lazy/first-touch", "anon-touch"), "lazy", "first-touch", first_passes,
      page_param);
  add(NewResult("anon-touch/lazy/second-touch", "anon-touch"), "lazy", "second-touch",
      second_passes, page_param);

  // MAP_POPULATE: the faults move into mmap itself.
  map_passes.clear();
  first_passes.clear();
  const CaseBudget populate_budget;
  for (int rep = 0;
       AnotherPass(populate_budget, rep, plan.costly_reps, notes, "anon-touch/populate"); ++rep) {
    const std::uint64_t thp0 = mmap_support::AnonHugePageBytes();
    std::unique_ptr<Mapping> m;
    Pass map_pass = TimedPass(
        [&] { m = Map(bytes, rw, anon | MAP_POPULATE, -1, "mmap anonymous MAP_POPULATE"); });
    map_pass.thp_bytes = ThpGainedSince(thp0);
    const Pass first =
        TimedPass([&] { DoNotOptimize(kernels::TouchPages(m->Data(), pages, page)); });
    map_passes.push_back(map_pass);
    first_passes.push_back(first);
  }
  add(NewResult("anon-touch/populate/map", "anon-touch"), "populate", "map", map_passes,
      page_param);
  add(NewResult("anon-touch/populate/first-touch", "anon-touch"), "populate", "first-touch",
      first_passes, page_param);

  // Transparent huge pages through madvise(MADV_HUGEPAGE), where the kernel allows it.
  const std::string mode = TransparentHugePageMode();
  std::string skip;
  if (mode.empty()) {
    skip =
        "transparent huge pages are not available (no "
        "/sys/kernel/mm/transparent_hugepage/enabled)";
  } else if (mode == "never") {
    skip =
        "transparent huge pages are disabled ([never] in "
        "/sys/kernel/mm/transparent_hugepage/enabled)";
  }
  first_passes.clear();
  second_passes.clear();
  const CaseBudget thp_budget;
  for (int rep = 0;
       skip.empty() && AnotherPass(thp_budget, rep, plan.costly_reps, notes, "anon-touch/thp");
       ++rep) {
    auto m = Map(bytes + kHugePageBytes, rw, anon, -1, "mmap anonymous for huge pages");
    const auto raw = reinterpret_cast<std::uintptr_t>(m->Data());
    auto* aligned =
        reinterpret_cast<unsigned char*>((raw + kHugePageBytes - 1) & ~(kHugePageBytes - 1));
    if (madvise(aligned, bytes, MADV_HUGEPAGE) != 0) {
      skip = std::string("madvise(MADV_HUGEPAGE) failed: ") + std::strerror(errno);
      break;
    }
    const std::uint64_t thp0 = mmap_support::AnonHugePageBytes();
    const auto touch = [&] { DoNotOptimize(kernels::TouchPages(aligned, pages, page)); };
    Pass first = TimedPass(touch);
    first.thp_bytes = ThpGainedSince(thp0);
    Pass second = TimedPass(touch);
    second.thp_bytes = first.thp_bytes;
    first_passes.push_back(first);
    second_passes.push_back(second);
  }
  const std::string thp_page = std::to_string(kHugePageBytes);
  if (!skip.empty()) {
    for (const char* step : {"first-touch", "second-touch"}) {
      Result r = NewResult(std::string("anon-touch/thp/") + step, "anon-touch");
      r.Param("method", "thp").Param("step", step).Param("size_bytes", size_param);
      r.skipped = skip;
      sink.Emit(std::move(r));
    }
    return;
  }
  std::uint64_t thp_seen = 0;
  for (const Pass& p : first_passes) thp_seen = std::max(thp_seen, p.thp_bytes);
  if (thp_seen == 0) {
    setup.context.notes.Note(
        "mmap: madvise(MADV_HUGEPAGE) was accepted but the kernel gave no huge "
        "pages (memory fragmented, or khugepaged/defrag settings); the thp rows "
        "then show 4 KiB pages");
  }
  add(NewResult("anon-touch/thp/first-touch", "anon-touch"), "thp", "first-touch", first_passes,
      thp_page);
  add(NewResult("anon-touch/thp/second-touch", "anon-touch"), "thp", "second-touch", second_passes,
      thp_page);
}

}  // namespace sysbench::mmap_scenarios
