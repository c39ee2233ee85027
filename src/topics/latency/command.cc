// `sysbench latency`: how long one dependent load waits, for working sets from 4 KiB to past the
// last-level cache, and the cache levels found in that curve.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <optional>

#include "core/mapped_buffer.h"
#include "sysbench/clock.h"
#include "sysbench/error.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/latency/kernels/latency_chase.h"
#include "topics/latency/levels.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

// Short samples: a sweep of many sizes, each a pointer chase that settles within milliseconds.
constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{5, 3},
                                 .min_time = ByMode<double>{0.02, 0.002},
                                 .warmup = ByMode<double>{0.01, 0.001}};

constexpr std::uint64_t kUnknownLlcMaxSize = std::uint64_t{256} << 20;
constexpr std::uint64_t kMaxSizeLimit = std::uint64_t{1} << 40;
// Defaults never sweep past these, whatever the LLC looks like: a hypervisor may report a whole
// host socket's L3 (508 MiB on one bhyve guest), and 4x that would take minutes.
constexpr std::uint64_t kDefaultMaxSizeCap = std::uint64_t{512} << 20;
constexpr std::uint64_t kQuickMaxSizeCap = std::uint64_t{128} << 20;
// Lines walked once before timing (a full cycle up to this many lines, so caches hold the set).
constexpr std::uint64_t kWarmLinesCap = std::uint64_t{1} << 19;

std::optional<std::uint64_t> LookedUpCache(int level) {
  for (const CacheInfo& cache : GetSystemInfo().caches) {
    if (cache.level == level && cache.type != "Instruction" && cache.size_bytes > 0) {
      return cache.size_bytes;
    }
  }
  return std::nullopt;
}

std::vector<std::uint64_t> SweepSizes(std::uint64_t min_size, std::uint64_t max_size,
                                      int steps_per_doubling, std::uint64_t line) {
  std::vector<std::uint64_t> sizes;
  for (int k = 0;; ++k) {
    const double exact =
        static_cast<double>(min_size) * std::exp2(static_cast<double>(k) / steps_per_doubling);
    if (exact > static_cast<double>(max_size) * 1.0001) break;
    std::uint64_t size =
        static_cast<std::uint64_t>(std::llround(exact / static_cast<double>(line))) * line;
    size = std::clamp(size, 2 * line, max_size);
    if (sizes.empty() || size > sizes.back()) sizes.push_back(size);
  }
  return sizes;
}

// Fastest ns per load over `rounds` chunks of about 0.3 ms, each after an untimed walk that brings
// the set back into the caches.
double BestChunkNs(void** heads, int chains, std::uint64_t lines, double ns_estimate, int rounds) {
  const double loads_per_iteration =
      static_cast<double>(kernels::kChaseUnroll) * static_cast<double>(chains);
  const double chunk_seconds = 3e-4;
  const auto chunk = static_cast<std::uint64_t>(
      std::max(1.0, chunk_seconds / (std::max(ns_estimate, 0.1) * 1e-9 * loads_per_iteration)));
  // Re-warm up to 2^16 lines, but for no more than about 1 ms (a set far beyond the caches needs
  // no re-warming).
  const auto warm_loads = static_cast<std::uint64_t>(
      std::min({static_cast<double>(lines), 65536.0, 1e-3 / (std::max(ns_estimate, 0.1) * 1e-9)}));
  const std::uint64_t warm = warm_loads / static_cast<std::uint64_t>(loads_per_iteration) + 1;
  double best = INFINITY;
  for (int round = 0; round < rounds; ++round) {
    kernels::ChaseLoads(heads, chains, warm);
    const auto start = SteadyClock::now();
    kernels::ChaseLoads(heads, chains, chunk);
    const double seconds = SecondsBetween(start, SteadyClock::now());
    best = std::min(best, seconds * 1e9 / (static_cast<double>(chunk) * loads_per_iteration));
  }
  return best;
}

class LatencyCommand final : public Command {
 public:
  std::string_view Name() const override { return "latency"; }
  std::string_view Summary() const override {
    return "Load-to-use latency per working-set size (pointer chase) and the cache levels";
  }
  std::vector<std::string> GateMetrics() const override {
    return {"ns_per_load", "cycles_per_load"};
  }
  std::vector<ChartSpec> Charts() const override {
    ChartSpec c = ChartSpec::Line("Load-to-use latency vs working set", "ns_per_load", "size_bytes",
                                  "working set", {"hugepages", "chains"});
    c.bytes_x = true;
    c.markers = {
        {"detected_l1_bytes", "L1"}, {"detected_l2_bytes", "L2"}, {"detected_l3_bytes", "L3"}};
    return {c};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--max-size", max_size_text_,
                   "Largest working set (default 4x the last-level cache; 256 MiB when unknown)");
    sub.add_option("--min-size", min_size_text_, "Smallest working set (default 4 KiB)");
    sub.add_option("--chains", chains_text_,
                   "Independent pointer chains walked at once (1-16; >1 shows memory-level "
                   "parallelism)");
    sub.add_flag("--hugepages", hugepages_,
                 "Ask for transparent huge pages (madvise), to separate TLB misses from cache "
                 "misses");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const SystemInfo& info = GetSystemInfo();
    const std::uint64_t line =
        static_cast<std::uint64_t>(info.L1LineBytes() > 0 ? info.L1LineBytes() : 64);
    const int chains = static_cast<int>(ParseInt(chains_text_, "--chains", 1, kernels::kMaxChains));
    const std::uint64_t min_size = ParseSize(min_size_text_, "--min-size", kMaxSizeLimit);
    const std::uint64_t llc = info.LastLevelCacheBytes();
    std::uint64_t max_size = 0;
    std::string capped_note;
    if (!max_size_text_.empty()) {
      max_size = ParseSize(max_size_text_, "--max-size", kMaxSizeLimit);
    } else {
      // --quick: half the default reach (2x the LLC, or 64 MiB when unknown).
      max_size = llc > 0 ? (context.config.quick ? 2 : 4) * llc
                         : kUnknownLlcMaxSize / (context.config.quick ? 4 : 1);
      const std::uint64_t cap = context.config.quick ? kQuickMaxSizeCap : kDefaultMaxSizeCap;
      if (max_size > cap) {
        capped_note = "latency: the sweep stops at " + FormatBytes(static_cast<double>(cap)) +
                      ", short of " + FormatBytes(static_cast<double>(max_size)) +
                      " (a multiple of the looked-up last-level cache of " +
                      FormatBytes(static_cast<double>(llc)) + "); set --max-size to go further";
        max_size = cap;
      }
    }
    if (min_size < 2 * line * static_cast<std::uint64_t>(chains)) {
      throw UsageError("--min-size '" + min_size_text_ + "': must hold at least " +
                       std::to_string(2 * chains) + " cache lines of " + std::to_string(line) +
                       " bytes");
    }
    if (max_size < min_size) {
      throw UsageError(
          "--max-size '" +
          (max_size_text_.empty() ? FormatBytes(static_cast<double>(max_size)) : max_size_text_) +
          "': must not be smaller than --min-size (" + FormatBytes(static_cast<double>(min_size)) +
          ")");
    }
    const std::uint64_t lines_max = max_size / line;
    const std::uint64_t need = max_size + lines_max * sizeof(std::uint32_t);
    if (lines_max >= (std::uint64_t{1} << 32) ||
        (info.mem_available_bytes > 0 && need > info.mem_available_bytes / 10 * 8)) {
      throw UsageError("--max-size '" + max_size_text_ + "': needs " +
                       FormatBytes(static_cast<double>(need)) + ", more than 80% of the " +
                       FormatBytes(static_cast<double>(info.mem_available_bytes)) +
                       " of memory available");
    }

    // Measuring starts here.
    if (max_size_text_.empty() && llc == 0) {
      context.notes.Note(
          "latency: the last-level cache size is unknown (no cache information), so "
          "the sweep stops at " +
          FormatBytes(static_cast<double>(max_size)) + "; set --max-size to go further");
    }
    if (!capped_note.empty()) context.notes.Note(capped_note);
    const std::string thp = TransparentHugePageMode();
    if (hugepages_ && thp != "always" && thp != "madvise") {
      context.notes.Warn("latency: transparent huge pages are '" +
                         (thp.empty() ? std::string("unknown") : thp) +
                         "' here, so --hugepages may have no effect");
    }
    const bool quick = context.config.quick;
    const int steps = quick ? 2 : 4;
    const std::vector<std::uint64_t> sizes = SweepSizes(min_size, max_size, steps, line);

    const Runner runner = context.MakeRunner(kTiming);

    MappedBuffer buffer(max_size, hugepages_ ? HugePages::kOn : HugePages::kOff);
    std::vector<std::uint32_t> scratch(lines_max);
    const double ghz = MeasuredCoreHz() / 1e9;
    const std::string huge_text = hugepages_ ? "true" : "false";

    std::vector<LatencyPoint> curve;
    bool huge_checked = false;
    for (std::uint64_t size : sizes) {
      const std::uint64_t lines = size / line;
      kernels::BuildChaseCycle(buffer.Data(), lines, line, 0x5eedULL * 0x100000001b3ULL + size,
                               scratch.data());
      if (hugepages_ && !huge_checked && size >= (std::uint64_t{8} << 20)) {
        huge_checked = true;
        const std::int64_t huge = buffer.HugeBytes();
        if (huge >= 0 && static_cast<double>(huge) < 0.5 * static_cast<double>(size)) {
          context.notes.Warn("latency: only " + FormatBytes(static_cast<double>(huge)) + " of " +
                             FormatBytes(static_cast<double>(size)) +
                             " is backed by huge pages despite --hugepages");
        }
      }
      std::vector<void*> heads(static_cast<std::size_t>(chains));
      char* base = static_cast<char*>(buffer.Data());
      for (int k = 0; k < chains; ++k) {
        heads[static_cast<std::size_t>(k)] =
            base +
            (static_cast<std::uint64_t>(k) * lines / static_cast<std::uint64_t>(chains)) * line;
      }
      const std::uint64_t warm_loads = std::min(lines, kWarmLinesCap);
      kernels::ChaseLoads(
          heads.data(), chains,
          warm_loads / kernels::kChaseUnroll / static_cast<std::uint64_t>(chains) + 1);
      const std::vector<Sample> samples =
          runner.Measure([&heads, chains](std::uint64_t iterations) {
            kernels::ChaseLoads(heads.data(), chains, iterations);
          });
      const double loads_per_iteration =
          static_cast<double>(kernels::kChaseUnroll) * static_cast<double>(chains);
      Result r("latency", "size=" + std::to_string(size) + "/hugepages=" + huge_text +
                              "/chains=" + std::to_string(chains));
      r.Param("size_bytes", std::to_string(size))
          .Param("hugepages", huge_text)
          .Param("chains", std::to_string(chains));
      r.AddSampled("ns_per_load", PerIteration(samples, 1e9 / loads_per_iteration), "ns",
                   Better::kLower);
      const double ns = AsDouble(r.Find("ns_per_load")->value);
      r.Add(Computed("cycles_per_load", ns * ghz, "cycles", Better::kLower));
      // Levels are found on each size's least disturbed figure: the fastest runner batch or the
      // fastest of a few short chunks, each after a re-warming walk (another process that ran on
      // this CPU in between has evicted part of the set).
      const std::vector<double> per_load = PerIteration(samples, 1e9 / loads_per_iteration);
      const double best_batch = *std::min_element(per_load.begin(), per_load.end());
      const double best_chunk = BestChunkNs(heads.data(), chains, lines, ns, quick ? 4 : 12);
      curve.push_back(LatencyPoint{size, std::min(best_batch, best_chunk)});
      sink.Emit(std::move(r));
    }
    sink.Emit(LevelsResult(context, curve, llc, ghz, huge_text, chains));
  }

 private:
  Result LevelsResult(const RunContext& context, const std::vector<LatencyPoint>& curve,
                      std::uint64_t llc, double ghz, const std::string& huge_text, int chains) {
    LevelOptions options;
    options.llc_bytes = llc;
    const LatencyLevels levels = DetectLevels(curve, options);
    Result r("latency", "levels");
    r.Param("hugepages", huge_text).Param("chains", std::to_string(chains));
    const char* names[] = {"l1", "l2", "l3"};
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string name = names[i];
      if (i < levels.cache_ns.size()) {
        r.Add(Measured(name + "_ns", levels.cache_ns[i], "ns", Better::kLower));
        r.Add(Computed(name + "_cycles", levels.cache_ns[i] * ghz, "cycles", Better::kLower));
      }
    }
    if (levels.dram_ns) {
      r.Add(Measured("dram_ns", *levels.dram_ns, "ns", Better::kLower));
      r.Add(Computed("dram_cycles", *levels.dram_ns * ghz, "cycles", Better::kLower));
    }
    for (std::size_t i = 0; i < 3; ++i) {
      const std::string name = names[i];
      if (i < levels.cache_bytes.size()) {
        r.Add(Measured("detected_" + name + "_bytes", levels.cache_bytes[i], "B"));
      } else {
        const std::size_t steps = levels.cache_bytes.size();
        std::string reason = "the curve shows " + std::to_string(steps) + " step" +
                             (steps == 1 ? "" : "s") + " before " +
                             (levels.dram_ns ? "DRAM" : "its end");
        if (levels.plateaus.size() <= 1 && !levels.reasons.empty()) reason = levels.reasons.front();
        if (i == 2 && steps == 2 && levels.dram_ns) {
          reason = "no third step between L2 and DRAM (a VM's shared L3 can blur it)";
        }
        context.notes.Note("latency: " +
                           std::string(i == 0   ? "L1"
                                       : i == 1 ? "L2"
                                                : "L3") +
                           " size not detected: " + reason);
      }
    }
    if (!levels.dram_ns && !levels.reasons.empty()) {
      context.notes.Note("latency: DRAM latency not reported: " + levels.reasons.back());
    }
    for (int level = 1; level <= 3; ++level) {
      if (const auto size = LookedUpCache(level)) {
        r.Add(LookedUp(fmt::format("l{}_bytes", level), *size, "B"));
      }
    }
    r.Add(Measured("core_clock_ghz", ghz, "GHz"));
    return r;
  }

  std::string max_size_text_;
  std::string min_size_text_ = "4K";
  std::string chains_text_ = "1";
  bool hugepages_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeLatencyCommand() { return std::make_unique<LatencyCommand>(); }

}  // namespace sysbench
