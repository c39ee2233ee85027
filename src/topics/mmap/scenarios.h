// `sysbench mmap` scenarios: what Run validated (the Plan), what each scenario gets (Setup), the
// timed passes they share, and one function per scenario (command.cc lists them in its table).
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "sysbench/case_budget.h"
#include "sysbench/clock.h"
#include "sysbench/command.h"
#include "sysbench/notes.h"
#include "sysbench/result.h"
#include "topics/mmap/support.h"

namespace sysbench::mmap_scenarios {

using mmap_support::DataFile;
using mmap_support::Faults;
using mmap_support::FaultsNow;
using mmap_support::FaultsSince;
using mmap_support::Map;
using mmap_support::Mapping;
using mmap_support::PageSize;
using mmap_support::RssBytes;

inline constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;

// What Run validated, and how many passes each kind of case gets.
struct Plan {
  std::uint64_t anon_bytes = 0;
  std::uint64_t file_bytes = 0;  // 0 with --file: the whole file
  std::vector<std::uint64_t> buffers;
  std::string dir;
  std::string file;
  std::string cap_note;  // said when the run starts: what was capped and why
  int reps = 5;          // hot passes over the whole file
  int costly_reps = 3;   // passes over fresh anonymous memory
  int cold_reps = 3;     // passes that read from disk
};

// What a scenario runs with.
struct Setup {
  const RunContext& context;
  ResultSink& sink;
  const Plan& plan;
  const DataFile* file = nullptr;  // set for the scenarios that read a file
  std::string no_cold_reason{};    // why a cold page cache cannot exist there; "" when it can
};

void RunAnonTouch(const Setup& setup);
void RunFileRead(const Setup& setup);
void RunMmapVsRead(const Setup& setup);
void RunResidency(const Setup& setup);

// ---- shared by the scenarios (passes.cc)

// One timed pass and what the system counted during it.
struct Pass {
  double seconds = 0;
  Faults faults;
  double resident_pct = -1;  // of the file, just before the pass; < 0: not measured
  std::uint64_t rss_after = 0;
  std::uint64_t thp_bytes = 0;
  double unmap_seconds = -1;  // munmap after a mapped file pass, timed apart; < 0: none
};

// gbps (sampled), ns_per_page, faults, resident_pct and rss from a set of passes.
void AddPassMetrics(Result& r, const std::vector<Pass>& passes, double bytes, double pages,
                    bool with_gbps);
// AnonHugePages gained since `before` (0 if it fell).
std::uint64_t ThpGainedSince(std::uint64_t before);
double Since(SteadyClock::time_point start);
Result NewResult(const std::string& case_id, const std::string& scenario);

// Times `body`, counts the page faults it took and reads RSS after it.
template <typename Body>
Pass TimedPass(Body&& body) {
  Pass pass;
  const Faults before = FaultsNow();
  const auto start = SteadyClock::now();
  std::forward<Body>(body)();
  pass.seconds = Since(start);
  pass.faults = FaultsSince(before);
  pass.rss_after = RssBytes();
  return pass;
}

// True while pass `rep` of `reps` should run: the first always, later ones until the case has run
// its time cap (sysbench/case_budget.h); a loop stopped early gets a note.
bool AnotherPass(const CaseBudget& budget, int rep, int reps, Notes& notes,
                 const std::string& case_id);

// `reps` passes of `pass()`, fewer once the case has run its time cap.
template <typename PassFn>
std::vector<Pass> Passes(int reps, Notes& notes, const std::string& case_id, PassFn&& pass) {
  const CaseBudget budget;
  std::vector<Pass> passes;
  for (int rep = 0; AnotherPass(budget, rep, reps, notes, case_id); ++rep) passes.push_back(pass());
  return passes;
}

// Drops the file's pages and reads them back with 1 MiB preads, so every page is cached and every
// hot case starts from the same page-cache layout (folio sizes, and with them the cost of mapping
// the pages, depend on how the pages were loaded: readahead, read-around, or read()).
void WarmCache(const DataFile& file);
// A seeded shuffle of the page numbers 0 .. pages - 1.
std::vector<std::uint32_t> RandomOrder(std::size_t pages, std::uint64_t seed);
// One pass: map the file, read it through the mapping (all words, or the pages in `order`).
// Timed from mmap to the last byte read, as fio's mmap engine times it; the munmap that follows
// is timed apart (unmap_ns_per_page), since on some VMs it costs as much as a fifth of the pass.
Pass MappedPass(const DataFile& file, const std::vector<std::uint32_t>* order, int advice,
                int extra_flags);

}  // namespace sysbench::mmap_scenarios
