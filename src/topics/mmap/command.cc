// `sysbench mmap`: anonymous and file-backed memory made visible: lazy allocation (RSS and minor
// faults on first touch), MAP_POPULATE and transparent huge pages, file pages loaded only when
// read, the page cache hot and cold (dropped with posix_fadvise, checked with mincore), and
// read()/pread() against mmap.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cstdlib>
#include <memory>
#include <string>
#include <vector>

#include "sysbench/error.h"
#include "sysbench/scenario_table.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/mmap/scenarios.h"
#include "topics/mmap/support.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using mmap_scenarios::DataFile;
using mmap_scenarios::kMiB;
using mmap_scenarios::Plan;
using mmap_scenarios::Setup;

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
// Each hot pass reads the whole file (tens of ms), so 5 passes are enough unless asked; passes over
// fresh memory or from disk cost more still.
constexpr TimingDefaults kHotTiming{.repetitions = ByMode<int>{5, 3}};
constexpr TimingDefaults kCostlyTiming{.repetitions = ByMode<int>{3, 3}};

// How a scenario runs: with the data file (created once for all that need it) or without.
struct ScenarioRun {
  bool needs_file;
  void (*fn)(const Setup& setup);
};

// In the order they run (whatever order --scenario gives).
constexpr std::array<Scenario<ScenarioRun>, 4> kScenarios = {{
    {"anon-touch",
     "anonymous memory: map, first and second touch; lazy, MAP_POPULATE, THP",
     {false, mmap_scenarios::RunAnonTouch}},
    {"file-read",
     "a file read through a mapping, sequential and random, page cache hot and cold",
     {true, mmap_scenarios::RunFileRead}},
    {"mmap-vs-read",
     "read() and pread() per --buffers size against mmap with each madvise",
     {true, mmap_scenarios::RunMmapVsRead}},
    {"residency",
     "which pages are in memory after map, read, unmap and drop (mincore)",
     {true, mmap_scenarios::RunResidency}},
}};

class MmapCommand final : public Command {
 public:
  std::string_view Name() const override { return "mmap"; }
  std::string_view Summary() const override {
    return "Anonymous and file-backed mappings: lazy loading, page faults, page cache, read vs "
           "mmap";
  }
  std::vector<std::string> GateMetrics() const override { return {"gbps"}; }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--scenario", scenario_,
                   "Scenarios (a comma list): " + ScenarioHelp(kScenarios));
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
    const auto chosen = ChooseScenarios(scenario_, "--scenario", kScenarios);
    bool needs_file = false;
    for (const auto* scenario : chosen) needs_file = needs_file || scenario->run.needs_file;
    const Plan plan = Validate(context, needs_file);
    if (!plan.cap_note.empty()) context.notes.Note(plan.cap_note);
    std::unique_ptr<DataFile> data;
    if (needs_file && !plan.file.empty()) data = DataFile::OpenExisting(plan.file, plan.file_bytes);
    Setup setup{context, sink, plan};
    for (const auto& scenario : kScenarios) {
      if (std::find(chosen.begin(), chosen.end(), &scenario) == chosen.end()) continue;
      if (scenario.run.needs_file && setup.file == nullptr) {
        if (!data) data = DataFile::CreateTemporary(plan.dir, plan.file_bytes);
        setup.file = data.get();
        setup.no_cold_reason = NoColdReason(*data);
      }
      scenario.run.fn(setup);
    }
  }

 private:
  // Why the file's page cache cannot be made cold ("" when it can).
  static std::string NoColdReason(const DataFile& data) {
    std::string fs;
    if (!mmap_support::OnMemoryFilesystem(data.Path(), &fs)) return "";
    return fmt::format(
        "'{}' is on {}: its pages live only in memory and have no disk copy, so they cannot be "
        "dropped and a cold page cache cannot exist there (use --dir on a disk)",
        data.Path(), fs);
  }

  Plan Validate(const RunContext& context, bool needs_file) const {
    const RunConfig& config = context.config;
    Plan plan;
    plan.anon_bytes = config.quick ? kQuickAnonBytes : kDefaultAnonBytes;
    if (!size_.empty()) plan.anon_bytes = ParseSize(size_, "--size", kMaxDataBytes);
    const std::uint64_t available = GetSystemInfo().mem_available_bytes;
    if (available > 0 && plan.anon_bytes > available / 10 * 8) {
      throw UsageError(
          fmt::format("--size '{}': {} is more than 80% of the memory available now ({})", size_,
                      FormatBytes(static_cast<double>(plan.anon_bytes)),
                      FormatBytes(static_cast<double>(available))));
    }
    plan.file = file_;
    plan.file_bytes = file_.empty() ? (config.quick ? kQuickFileBytes : kDefaultFileBytes) : 0;
    if (!file_size_.empty()) plan.file_bytes = ParseSize(file_size_, "--file-size", kMaxDataBytes);
    plan.buffers = ParseSizeList(
        buffers_.empty() ? (config.quick ? kQuickBuffers : kDefaultBuffers) : buffers_, "--buffers",
        kGiB);
    for (const std::uint64_t buffer : plan.buffers) {
      if (buffer < kMinBufferBytes) {
        throw UsageError(fmt::format(
            "--buffers '{}': {} is below the minimum of {} (smaller reads cost a system call per "
            "few bytes; a pass would take minutes)",
            buffers_, FormatBytes(static_cast<double>(buffer)),
            FormatBytes(static_cast<double>(kMinBufferBytes))));
      }
    }
    if (!dir_.empty()) {
      plan.dir = dir_;
    } else {
      const char* tmpdir = std::getenv("TMPDIR");
      plan.dir = tmpdir != nullptr && *tmpdir != '\0' ? tmpdir : "/tmp";
    }
    if (needs_file && plan.file.empty()) {
      mmap_support::CheckDirectory(plan.dir, plan.file_bytes);
    }
    if (needs_file && !plan.file.empty()) {
      // Checked now, before measuring; a huge file is read only up to the cap.
      const auto existing = DataFile::OpenExisting(plan.file, plan.file_bytes);
      if (plan.file_bytes == 0 && existing->Bytes() > kMaxDataBytes) {
        plan.file_bytes = kMaxDataBytes;
        plan.cap_note = fmt::format(
            "mmap: --file '{}' is {}; only its first {} are used (passes over more would take "
            "minutes)",
            plan.file, FormatBytes(static_cast<double>(existing->Bytes())),
            FormatBytes(static_cast<double>(kMaxDataBytes)));
      }
    }
    plan.reps = context.Timing(kHotTiming).repetitions;
    plan.costly_reps = context.Timing(kCostlyTiming).repetitions;
    plan.cold_reps = plan.costly_reps;
    return plan;
  }

  std::string scenario_ = "all";
  std::string size_;
  std::string file_size_;
  std::string file_;
  std::string dir_;
  std::string buffers_;
};

}  // namespace

std::unique_ptr<Command> MakeMmapCommand() { return std::make_unique<MmapCommand>(); }

}  // namespace sysbench
