// `sysbench mmap`: anonymous and file-backed memory made visible: lazy allocation (RSS and minor
// faults on first touch), MAP_POPULATE and transparent huge pages, file pages loaded only when
// read, the page cache hot and cold (dropped with posix_fadvise, checked with mincore), and
// read()/pread() against mmap.
#include <fcntl.h>
#include <sys/mman.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <numeric>
#include <type_traits>

#include "sysbench/case_budget.h"
#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/mmap/kernels/mmap_kernels.h"
#include "topics/mmap/support.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using mmap_support::DataFile;
using mmap_support::Faults;
using mmap_support::FaultsNow;
using mmap_support::FaultsSince;
using mmap_support::Map;
using mmap_support::Mapping;
using mmap_support::PageSize;
using mmap_support::RssBytes;

constexpr std::uint64_t kMiB = std::uint64_t{1} << 20;
constexpr std::uint64_t kGiB = std::uint64_t{1} << 30;
constexpr std::uint64_t kDefaultAnonBytes = 256 * kMiB;
constexpr std::uint64_t kQuickAnonBytes = 16 * kMiB;
constexpr std::uint64_t kDefaultFileBytes = 256 * kMiB;
constexpr std::uint64_t kQuickFileBytes = 32 * kMiB;
constexpr const char* kDefaultBuffers = "4K,16K,64K,256K,1M";
constexpr const char* kQuickBuffers = "4K,64K,1M";
// Smaller read() buffers cost one system call per few bytes: a pass over the file would take
// minutes and time the system call, not the copy.
constexpr std::uint64_t kMinBufferBytes = 512;
// Larger mappings and files take minutes to touch, write or read, pass after pass.
constexpr std::uint64_t kMaxDataBytes = 16 * kGiB;
constexpr std::size_t kHugePage = std::size_t{2} << 20;
// Pages read per cold random pass: each one may wait for the disk.
constexpr std::size_t kColdRandomPages = 1024;
// After POSIX_FADV_DONTNEED, more than this much of the file still cached means "not cold".
constexpr double kColdResidentLimitPct = 10.0;

const std::vector<std::string> kScenarios = {"anon-touch", "file-read", "mmap-vs-read",
                                             "residency"};

// One timed pass and what the system counted during it.
struct Pass {
  double seconds = 0;
  Faults faults;
  double resident_pct = -1;  // of the file, just before the pass; < 0: not measured
  std::uint64_t rss_after = 0;
  std::uint64_t thp_bytes = 0;
  double unmap_seconds = -1;  // munmap after a mapped file pass, timed apart; < 0: none
};

template <typename T>
T Median(std::vector<T> values) {
  if (values.empty()) return T{};
  std::sort(values.begin(), values.end());
  const std::size_t n = values.size();
  if constexpr (std::is_floating_point_v<T>) {
    return n % 2 == 1 ? values[n / 2] : (values[n / 2 - 1] + values[n / 2]) / 2;
  } else {
    return values[(n - 1) / 2];
  }
}

Metric Count(std::string name, std::uint64_t value) {
  return Metric{std::move(name), value, "", Better::kNone, Source::kMeasured};
}

// gbps (sampled), ns_per_page, faults, resident_pct and rss from a set of passes.
void AddPassMetrics(Result& r, const std::vector<Pass>& passes, double bytes, double pages,
                    bool with_gbps) {
  std::vector<double> gbps, ns;
  std::vector<std::uint64_t> minor, major, rss, thp;
  std::vector<double> resident;
  for (const Pass& p : passes) {
    gbps.push_back(bytes / p.seconds / 1e9);
    ns.push_back(p.seconds * 1e9 / pages);
    minor.push_back(p.faults.minor);
    major.push_back(p.faults.major);
    rss.push_back(p.rss_after);
    thp.push_back(p.thp_bytes);
    if (p.resident_pct >= 0) resident.push_back(p.resident_pct);
  }
  if (with_gbps) {
    r.AddSampled("gbps", gbps, "GB/s", Better::kHigher);
    r.Add(Metric{"ns_per_page", Median(ns), "ns", Better::kLower, Source::kComputed});
  } else {
    r.AddSampled("ns_per_page", ns, "ns", Better::kLower);
  }
  r.Add(Count("minor_faults", Median(minor))).Add(Count("major_faults", Median(major)));
  if (!resident.empty()) {
    r.Add(Metric{"resident_pct", Median(resident), "%", Better::kNone, Source::kMeasured});
  }
  if (Median(rss) > 0) {
    r.Add(Metric{"rss_bytes", Median(rss), "B", Better::kNone, Source::kMeasured});
  }
  std::vector<double> unmap;
  for (const Pass& p : passes) {
    if (p.unmap_seconds >= 0) unmap.push_back(p.unmap_seconds * 1e9 / pages);
  }
  if (!unmap.empty()) {
    r.Add(Metric{"unmap_ns_per_page", Median(unmap), "ns", Better::kLower, Source::kMeasured});
  }
  if (Median(thp) > 0) {
    r.Add(Metric{"thp_bytes", Median(thp), "B", Better::kNone, Source::kMeasured});
  }
}

// AnonHugePages gained since `before` (0 if it fell).
std::uint64_t ThpGainedSince(std::uint64_t before) {
  const std::uint64_t now = mmap_support::AnonHugePageBytes();
  return now > before ? now - before : 0;
}

double Since(SteadyClock::time_point start) { return SecondsBetween(start, SteadyClock::now()); }

// Times `body`, counts the page faults it took and reads RSS after it.
template <typename Body>
Pass TimedPass(Body&& body) {
  Pass pass;
  const Faults before = FaultsNow();
  const auto start = SteadyClock::now();
  body();
  pass.seconds = Since(start);
  pass.faults = FaultsSince(before);
  pass.rss_after = RssBytes();
  return pass;
}

// `reps` passes, fewer once the case has run its time cap (sysbench/case_budget.h), with a note.
template <typename PassFn>
std::vector<Pass> Passes(int reps, Notes& notes, const std::string& case_id, PassFn&& pass) {
  const CaseBudget budget;
  std::vector<Pass> passes;
  for (int rep = 0; rep < reps; ++rep) {
    if (rep > 0 && budget.Spent()) {
      notes.Note(budget.Note("mmap " + case_id, rep, reps));
      break;
    }
    passes.push_back(pass());
  }
  return passes;
}

Result NewResult(const std::string& case_id, const std::string& scenario) {
  Result r("mmap", case_id);
  r.Param("scenario", scenario);
  return r;
}

// What Run validated, and how many passes each kind of case gets.
struct Plan {
  std::vector<std::string> scenarios;
  std::uint64_t anon_bytes = kDefaultAnonBytes;
  std::uint64_t file_bytes = kDefaultFileBytes;  // 0 with --file: the whole file
  std::vector<std::uint64_t> buffers;
  std::string dir;
  std::string file;
  std::string cap_note;  // said when the run starts: what was capped and why
  int reps = 5;          // hot passes over the whole file
  int costly_reps = 3;   // passes over fresh anonymous memory
  int cold_reps = 3;     // passes that read from disk

  bool Has(const std::string& name) const {
    return std::find(scenarios.begin(), scenarios.end(), name) != scenarios.end();
  }
};

class MmapCommand final : public Command {
 public:
  std::string_view Name() const override { return "mmap"; }
  std::string_view Summary() const override {
    return "Anonymous and file-backed mappings: lazy loading, page faults, page cache, read vs "
           "mmap";
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--scenario", scenario_,
                   "anon-touch, file-read, mmap-vs-read, residency (comma list; default all)");
    sub.add_option("--size", size_,
                   "Anonymous mapping size for anon-touch (default 256M; 16M with --quick)");
    sub.add_option("--file-size", file_size_,
                   "Test file size (default 256M; 32M with --quick; with --file: the whole file)");
    sub.add_option("--file", file_, "Read this existing file (read-only) instead of a temp file");
    sub.add_option("--dir", dir_, "Directory for the temporary file (default $TMPDIR or /tmp)");
    sub.add_option("--buffers", buffers_,
                   "read()/pread() buffer sizes for mmap-vs-read (default 4K,16K,64K,256K,1M)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const Plan plan = Validate(context.config);
    if (!plan.cap_note.empty()) context.notes.Note(plan.cap_note);
    std::unique_ptr<DataFile> data;
    const bool needs_file =
        plan.Has("file-read") || plan.Has("mmap-vs-read") || plan.Has("residency");
    if (needs_file && !plan.file.empty()) data = DataFile::OpenExisting(plan.file, plan.file_bytes);
    if (plan.Has("anon-touch")) RunAnonTouch(context, sink, plan);
    if (!needs_file) return;
    if (!data) data = DataFile::CreateTemporary(plan.dir, plan.file_bytes);
    std::string fs;
    const bool memfs = mmap_support::OnMemoryFilesystem(data->Path(), &fs);
    const std::string no_cold_reason =
        memfs ? "'" + data->Path() + "' is on " + fs +
                    ": its pages live only in memory and have no disk copy, so they cannot be "
                    "dropped and a cold page cache cannot exist there (use --dir on a disk)"
              : "";
    if (plan.Has("file-read")) RunFileRead(context, sink, plan, *data, no_cold_reason);
    if (plan.Has("mmap-vs-read")) RunMmapVsRead(context, sink, plan, *data);
    if (plan.Has("residency")) RunResidency(context, sink, *data, no_cold_reason);
  }

 private:
  Plan Validate(const RunConfig& config) const {
    Plan plan;
    const std::vector<std::string> allowed = {"all", "anon-touch", "file-read", "mmap-vs-read",
                                              "residency"};
    for (const std::string& name :
         ParseNameList(scenario_.empty() ? "all" : scenario_, "--scenario", allowed)) {
      if (name == "all") {
        plan.scenarios = kScenarios;
        break;
      }
      if (!plan.Has(name)) plan.scenarios.push_back(name);
    }
    plan.anon_bytes = config.quick ? kQuickAnonBytes : kDefaultAnonBytes;
    if (!size_.empty()) plan.anon_bytes = ParseSize(size_, "--size", kMaxDataBytes);
    const std::uint64_t available = GetSystemInfo().mem_available_bytes;
    if (available > 0 && plan.anon_bytes > available / 10 * 8) {
      throw UsageError("--size '" + size_ +
                       "': " + FormatBytes(static_cast<double>(plan.anon_bytes)) +
                       " is more than 80% of the memory available now (" +
                       FormatBytes(static_cast<double>(available)) + ")");
    }
    plan.file = file_;
    plan.file_bytes = file_.empty() ? (config.quick ? kQuickFileBytes : kDefaultFileBytes) : 0;
    if (!file_size_.empty()) plan.file_bytes = ParseSize(file_size_, "--file-size", kMaxDataBytes);
    const std::string buffers =
        buffers_.empty() ? (config.quick ? kQuickBuffers : kDefaultBuffers) : buffers_;
    for (const std::string& item : Split(buffers, ',')) {
      plan.buffers.push_back(ParseSize(item, "--buffers", kGiB));
      if (plan.buffers.back() < kMinBufferBytes) {
        throw UsageError("--buffers '" + item + "': below the minimum of " +
                         FormatBytes(static_cast<double>(kMinBufferBytes)) +
                         " (smaller reads cost a system call per few bytes; a pass would take "
                         "minutes)");
      }
    }
    if (!dir_.empty()) {
      plan.dir = dir_;
    } else {
      const char* tmpdir = std::getenv("TMPDIR");
      plan.dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    }
    const bool needs_file =
        plan.Has("file-read") || plan.Has("mmap-vs-read") || plan.Has("residency");
    if (needs_file && plan.file.empty()) {
      mmap_support::CheckDirectory(plan.dir, plan.file_bytes);
    }
    if (needs_file && !plan.file.empty()) {
      // Checked now, before measuring; a huge file is read only up to the cap.
      const auto existing = DataFile::OpenExisting(plan.file, plan.file_bytes);
      if (plan.file_bytes == 0 && existing->Bytes() > kMaxDataBytes) {
        plan.file_bytes = kMaxDataBytes;
        plan.cap_note = "mmap: --file '" + plan.file + "' is " +
                        FormatBytes(static_cast<double>(existing->Bytes())) + "; only its first " +
                        FormatBytes(static_cast<double>(kMaxDataBytes)) +
                        " are used (passes over more would take minutes)";
      }
    }
    const bool explicit_reps = config.repetitions > 0;
    // Each hot pass reads the whole file (tens of ms), so 5 passes are enough unless asked.
    plan.reps = explicit_reps ? config.repetitions : std::min(config.Repetitions(), 5);
    plan.costly_reps = explicit_reps ? config.repetitions : 3;
    plan.cold_reps = explicit_reps ? config.repetitions : 3;
    return plan;
  }

  // ---- anon-touch ------------------------------------------------------------------------------

  static void RunAnonTouch(const RunContext& context, ResultSink& sink, const Plan& plan) {
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
    const CaseBudget lazy_budget;
    for (int rep = 0; rep < plan.costly_reps && (rep == 0 || !lazy_budget.Spent()); ++rep) {
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
    if (static_cast<int>(first_passes.size()) < plan.costly_reps) {
      context.notes.Note(lazy_budget.Note(
          "mmap anon-touch/lazy", static_cast<long>(first_passes.size()), plan.costly_reps));
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
      r.Add(Metric{"rss_bytes", rss_before, "B", Better::kNone, Source::kMeasured});
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
    for (int rep = 0; rep < plan.costly_reps && (rep == 0 || !populate_budget.Spent()); ++rep) {
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
    if (static_cast<int>(first_passes.size()) < plan.costly_reps) {
      context.notes.Note(populate_budget.Note(
          "mmap anon-touch/populate", static_cast<long>(first_passes.size()), plan.costly_reps));
    }
    add(NewResult("anon-touch/populate/map", "anon-touch"), "populate", "map", map_passes,
        page_param);
    add(NewResult("anon-touch/populate/first-touch", "anon-touch"), "populate", "first-touch",
        first_passes, page_param);

    // Transparent huge pages through madvise(MADV_HUGEPAGE), where the kernel allows it.
    const std::string mode = mmap_support::TransparentHugePageMode();
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
    for (int rep = 0; skip.empty() && rep < plan.costly_reps && (rep == 0 || !thp_budget.Spent());
         ++rep) {
      auto m = Map(bytes + kHugePage, rw, anon, -1, "mmap anonymous for huge pages");
      const auto raw = reinterpret_cast<std::uintptr_t>(m->Data());
      auto* aligned = reinterpret_cast<unsigned char*>((raw + kHugePage - 1) & ~(kHugePage - 1));
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
    if (skip.empty() && static_cast<int>(first_passes.size()) < plan.costly_reps) {
      context.notes.Note(thp_budget.Note("mmap anon-touch/thp",
                                         static_cast<long>(first_passes.size()), plan.costly_reps));
    }
    const std::string thp_page = std::to_string(kHugePage);
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
      context.notes.Note(
          "mmap: madvise(MADV_HUGEPAGE) was accepted but the kernel gave no huge "
          "pages (memory fragmented, or khugepaged/defrag settings); the thp rows "
          "then show 4 KiB pages");
    }
    add(NewResult("anon-touch/thp/first-touch", "anon-touch"), "thp", "first-touch", first_passes,
        thp_page);
    add(NewResult("anon-touch/thp/second-touch", "anon-touch"), "thp", "second-touch",
        second_passes, thp_page);
  }

  // ---- file helpers ----------------------------------------------------------------------------

  // Drops the file's pages and reads them back with 1 MiB preads, so every page is cached and every
  // hot case starts from the same page-cache layout (folio sizes, and with them the cost of mapping
  // the pages, depend on how the pages were loaded: readahead, read-around, or read()).
  static void WarmCache(const DataFile& file) {
    mmap_support::DropFromPageCache(file.Fd(), file.Bytes(), file.Path());
    std::vector<unsigned char> buffer(kMiB);
    std::uint64_t left = file.Bytes();
    off_t offset = 0;
    while (left > 0) {
      const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, buffer.size()));
      const ssize_t n = pread(file.Fd(), buffer.data(), want, offset);
      if (n < 0 && errno == EINTR) continue;
      if (n < 0) throw SystemError("read '" + file.Path() + "'", errno);
      if (n == 0) break;
      left -= static_cast<std::uint64_t>(n);
      offset += n;
    }
  }

  static std::vector<std::uint32_t> RandomOrder(std::size_t pages, std::uint64_t seed) {
    std::vector<std::uint32_t> order(pages);
    std::iota(order.begin(), order.end(), 0u);
    for (std::size_t i = pages; i > 1; --i) {
      const std::size_t j = static_cast<std::size_t>(kernels::SplitMix64(seed) % i);
      std::swap(order[i - 1], order[j]);
    }
    return order;
  }

  // One pass: map the file, read it through the mapping (all words, or the pages in `order`).
  // Timed from mmap to the last byte read, as fio's mmap engine times it; the munmap that follows
  // is timed apart (unmap_ns_per_page), since on some VMs it costs as much as a fifth of the pass.
  static Pass MappedPass(const DataFile& file, const std::vector<std::uint32_t>* order, int advice,
                         int extra_flags) {
    const auto bytes = static_cast<std::size_t>(file.Bytes());
    Pass pass;
    const Faults f = FaultsNow();
    const auto start = SteadyClock::now();
    auto m =
        Map(bytes, PROT_READ, MAP_SHARED | extra_flags, file.Fd(), "mmap '" + file.Path() + "'");
    if (advice >= 0) madvise(m->Data(), bytes, advice);
    std::uint64_t sum = 0;
    if (order == nullptr) {
      sum = kernels::SumWords(m->Data(), bytes / 8 * 8);
    } else {
      sum = kernels::SumPagesInOrder(m->Data(), order->data(), order->size(), PageSize());
    }
    DoNotOptimize(sum);
    pass.seconds = Since(start);
    pass.faults = FaultsSince(f);
    pass.rss_after = RssBytes();
    const auto unmap_start = SteadyClock::now();
    m->Unmap();
    pass.unmap_seconds = Since(unmap_start);
    return pass;
  }

  // ---- file-read -------------------------------------------------------------------------------

  static void RunFileRead(const RunContext& context, ResultSink& sink, const Plan& plan,
                          const DataFile& file, const std::string& no_cold_reason) {
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
        Result r =
            NewResult(std::string("file-read/") + cache + "/" + access + "/mmap", "file-read");
        r.Param("cache", cache).Param("access", access).Param("method", "mmap");
        r.Param("file_bytes", file_param).Param("pages_read", FormatDouble(touched_pages));
        if (!hot && !no_cold_reason.empty()) {
          r.skipped = "cold: " + no_cold_reason;
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
        for (int rep = 0; rep < reps; ++rep) {
          if (rep > 0 && budget.Spent()) {
            context.notes.Note(budget.Note("mmap " + r.case_id, rep, reps));
            break;
          }
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
            context.notes.Note("mmap: cold " + std::string(access) +
                               " reads saw no major faults: the kernel's readahead or the "
                               "device cache served them (see docs/mmap.md)");
          }
        }
        sink.Emit(std::move(r));
      }
    }
  }

  // ---- mmap-vs-read ----------------------------------------------------------------------------

  static void RunMmapVsRead(const RunContext& context, ResultSink& sink, const Plan& plan,
                            const DataFile& file) {
    WarmCache(file);
    const std::string file_param = std::to_string(file.Bytes());
    const double bytes = static_cast<double>(file.Bytes());
    const double pages = std::ceil(bytes / static_cast<double>(PageSize()));
    for (const char* method : {"read", "pread"}) {
      const bool use_pread = std::string(method) == "pread";
      for (std::uint64_t buffer_bytes : plan.buffers) {
        const auto size = static_cast<std::size_t>(buffer_bytes);
        const std::size_t alloc = (size + PageSize() - 1) / PageSize() * PageSize();
        std::unique_ptr<void, decltype(&std::free)> buffer(std::aligned_alloc(PageSize(), alloc),
                                                           &std::free);
        if (!buffer)
          throw RuntimeError("out of memory for a " + FormatBytes(static_cast<double>(size)) +
                             " buffer");
        std::memset(buffer.get(), 1, alloc);
        const auto pass = [&]() {
          Pass p;
          const Faults f = FaultsNow();
          const auto start = SteadyClock::now();
          std::uint64_t left = file.Bytes();
          off_t offset = 0;
          if (!use_pread && lseek(file.Fd(), 0, SEEK_SET) < 0) {
            throw SystemError("lseek '" + file.Path() + "'", errno);
          }
          while (left > 0) {
            const auto want = static_cast<std::size_t>(std::min<std::uint64_t>(left, size));
            const ssize_t n = use_pread ? pread(file.Fd(), buffer.get(), want, offset)
                                        : read(file.Fd(), buffer.get(), want);
            if (n < 0 && errno == EINTR) continue;
            if (n < 0) throw SystemError(std::string(method) + " '" + file.Path() + "'", errno);
            if (n == 0) break;
            left -= static_cast<std::uint64_t>(n);
            offset += n;
          }
          ClobberMemory();
          p.seconds = Since(start);
          p.faults = FaultsSince(f);
          return p;
        };
        const std::string case_id =
            std::string("mmap-vs-read/") + method + "/buffer=" + std::to_string(buffer_bytes);
        pass();  // warm-up
        const std::vector<Pass> passes = Passes(plan.reps, context.notes, case_id, pass);
        Result r = NewResult(case_id, "mmap-vs-read");
        r.Param("cache", "hot").Param("access", "seq").Param("method", method);
        r.Param("buffer_bytes", std::to_string(buffer_bytes)).Param("file_bytes", file_param);
        AddPassMetrics(r, passes, bytes, pages, true);
        sink.Emit(std::move(r));
      }
    }
    struct Variant {
      const char* method;
      int advice;
      int flags;
    };
    for (const Variant& v :
         {Variant{"mmap", -1, 0}, Variant{"mmap-sequential", MADV_SEQUENTIAL, 0},
          Variant{"mmap-willneed", MADV_WILLNEED, 0}, Variant{"mmap-populate", -1, MAP_POPULATE}}) {
      const std::string case_id = std::string("mmap-vs-read/") + v.method;
      MappedPass(file, nullptr, v.advice, v.flags);  // warm-up
      const std::vector<Pass> passes = Passes(plan.reps, context.notes, case_id, [&] {
        return MappedPass(file, nullptr, v.advice, v.flags);
      });
      Result r = NewResult(case_id, "mmap-vs-read");
      r.Param("cache", "hot").Param("access", "seq").Param("method", v.method);
      r.Param("file_bytes", file_param);
      AddPassMetrics(r, passes, static_cast<double>(file.Bytes() / 8 * 8), pages, true);
      sink.Emit(std::move(r));
    }
  }

  // ---- residency -------------------------------------------------------------------------------

  static void RunResidency(const RunContext& context, ResultSink& sink, const DataFile& file,
                           const std::string& no_cold_reason) {
    const auto bytes = static_cast<std::size_t>(file.Bytes());
    const std::size_t page = PageSize();
    const std::uint64_t pages = (bytes + page - 1) / page;
    const std::string file_param = std::to_string(file.Bytes());
    if (!no_cold_reason.empty()) {
      context.notes.Note("mmap: residency: " + no_cold_reason +
                         "; the 'dropped' steps show how much stayed");
    }
    Faults f = FaultsNow();
    const auto emit = [&](const std::string& step, double resident_pct, const std::string& what) {
      const Faults faults = FaultsSince(f);
      Result r = NewResult("residency/" + step, "residency");
      r.Param("step", step).Param("method", "mmap").Param("file_bytes", file_param);
      r.Param("what", what);
      r.Add(Metric{"resident_pct", resident_pct, "%", Better::kNone, Source::kMeasured});
      r.Add(Metric{"rss_bytes", RssBytes(), "B", Better::kNone, Source::kMeasured});
      r.Add(Count("minor_faults", faults.minor)).Add(Count("major_faults", faults.major));
      sink.Emit(std::move(r));
      f = FaultsNow();
    };
    mmap_support::DropFromPageCache(file.Fd(), file.Bytes(), file.Path());
    emit("dropped", mmap_support::FileResidentPercent(file.Fd(), file.Bytes()),
         "posix_fadvise(DONTNEED) on the whole file");
    f = FaultsNow();
    auto m = Map(bytes, PROT_READ, MAP_SHARED, file.Fd(), "mmap '" + file.Path() + "'");
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

  std::string scenario_;
  std::string size_;
  std::string file_size_;
  std::string file_;
  std::string dir_;
  std::string buffers_;
};

}  // namespace

std::unique_ptr<Command> MakeMmapCommand() { return std::make_unique<MmapCommand>(); }

}  // namespace sysbench
