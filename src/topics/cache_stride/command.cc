// `sysbench cache-stride`: the seed's "multiply every K-th int by 3" loop over an array far larger
// than the caches, in address order and with its pages in random order, and the cache line size
// found in the curve.
#include <sys/mman.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <cerrno>
#include <cstdlib>
#include <map>
#include <memory>
#include <optional>

#include "core/mapped_buffer.h"
#include "sysbench/case_budget.h"
#include "sysbench/clock.h"
#include "sysbench/cpu_features.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/stats.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/cache_stride/detect.h"
#include "topics/cache_stride/kernels/cache_stride.h"
#include "topics/cache_stride/line_report.h"
#include "topics/latency/probe.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

constexpr std::uint64_t kDefaultBytes = std::uint64_t{256} << 20;
constexpr std::uint64_t kQuickBytes = std::uint64_t{128} << 20;
constexpr std::uint64_t kMaxDefaultBytes = std::uint64_t{1} << 30;
constexpr std::uint64_t kMinBytes = std::uint64_t{64} << 10;
constexpr std::uint64_t kFallbackLine = 64;
constexpr const char* kDefaultStrides = "1,2,4,8,16,32,64,128,256,512,1024";

struct FreeDeleter {
  void operator()(std::int32_t* p) const { std::free(p); }
};
using Array = std::unique_ptr<std::int32_t[], FreeDeleter>;

Array Allocate(std::uint64_t bytes) {
  const std::uint64_t rounded = (bytes + kHugePageBytes - 1) / kHugePageBytes * kHugePageBytes;
  void* p = std::aligned_alloc(kHugePageBytes, rounded);
  if (p == nullptr)
    throw SystemError("cache-stride: cannot allocate " + FormatBytes(static_cast<double>(bytes)),
                      ENOMEM);
  // Huge pages where the kernel allows them: the random page order then measures cache misses,
  // not TLB misses. Failure only costs TLB misses, so it is ignored.
  (void)madvise(p, rounded, MADV_HUGEPAGE);
  return Array(static_cast<std::int32_t*>(p));
}

struct Case {
  std::string order;  // "sequential" or "random"
  std::string loop;   // "vector (avx2)", "vector (compiler)", "scalar"
  std::uint64_t stride = 1;
  std::vector<double> ns;  // one pass per sample
  std::uint64_t touches = 0;
};

bool IsScalarStrideOne(const Case& c) { return c.stride == 1 && c.loop == "scalar"; }

class CacheStrideCommand final : public Command {
 public:
  std::string_view Name() const override { return "cache-stride"; }
  std::string_view Summary() const override {
    return "Every K-th int updated: time per pass vs stride, and the cache line size it shows";
  }
  std::vector<std::string> GateMetrics() const override { return {"ns_per_pass"}; }
  std::vector<ChartSpec> Charts() const override {
    const std::vector<ChartMarker> line = {{"detected_line_bytes", "detected line"}};
    ChartSpec relative = ChartSpec::Line("Time per pass relative to stride 1, vs stride",
                                         "relative_time", "stride_bytes", "stride", {"order"});
    ChartSpec pass = ChartSpec::Line("Time per pass vs stride", "ns_per_pass", "stride_bytes",
                                     "stride", {"order"});
    for (ChartSpec* c : {&relative, &pass}) {
      c->bytes_x = true;
      c->markers = line;
    }
    return {relative, pass};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--size", size_,
                   "Array size, K/M/G binary (default 256M, 128M with --quick); keep it >> LLC");
    sub.add_option("--strides", strides_, "Strides K in elements (default 1,2,4,...,1024)");
    sub.add_option("--order", order_,
                   "sequential, random (4 KiB pages in random order) or all (default: all)");
    sub.add_flag("--line-only", line_only_,
                 "Only the cache line by coherence (two cores, counters 4-256 B apart): no stride "
                 "curve, well under a second");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    const SystemInfo& info = GetSystemInfo();
    if (line_only_) {
      if (!size_.empty() || !strides_.empty() || !order_.empty()) {
        throw UsageError(
            "--line-only: measures no stride curve, so --size, --strides and --order "
            "do not apply");
      }
      const CoherenceLine coherence = MeasureCoherenceLine(config, sink);
      Result summary("cache-stride", "line-size");
      AddLineMetrics(summary, coherence, coherence.line, info.L1LineBytes(), "none");
      sink.Emit(std::move(summary));
      NoteLine(context, coherence, coherence.line, info.L1LineBytes());
      return;
    }
    // Validate everything first.
    std::uint64_t limit =
        info.mem_available_bytes > 0 ? info.mem_available_bytes : (std::uint64_t{1} << 50);
    // Without --size: the default, or 4x the last-level cache as latency's probe measures it
    // when that is more (cpuid's may be a whole host socket's), at most kMaxDefaultBytes. With
    // it, the same LLC tells whether the array is large enough.
    std::string llc_source = "lookup";
    const std::uint64_t llc = PlanningLlcBytes(&llc_source);
    std::uint64_t bytes = 0;
    if (size_.empty()) {
      bytes = config.quick ? kQuickBytes : kDefaultBytes;
      if (llc_source == "measured") {
        bytes = std::max(bytes, std::min(4 * llc, std::min(kMaxDefaultBytes, limit / 2)));
      }
    } else {
      bytes = ParseSize(size_, "--size", limit);
    }
    if (bytes < kMinBytes) {
      throw UsageError("--size '" + size_ + "': must be at least 64 KiB");
    }
    const std::size_t count = static_cast<std::size_t>(bytes / sizeof(std::int32_t));
    std::vector<std::uint64_t> strides;
    for (std::int64_t k : ParseIntList(strides_.empty() ? kDefaultStrides : strides_, "--strides",
                                       1, std::int64_t{1} << 30)) {
      const auto stride = static_cast<std::uint64_t>(k);
      if (stride * sizeof(std::int32_t) * 2 > bytes) {
        throw UsageError("--strides '" + std::to_string(k) +
                         "': stride larger than half of --size");
      }
      if (std::find(strides.begin(), strides.end(), stride) == strides.end())
        strides.push_back(stride);
    }
    std::sort(strides.begin(), strides.end());
    std::vector<std::string> orders =
        ParseNameList(order_.empty() ? "all" : order_, "--order", {"sequential", "random", "all"});
    if (std::find(orders.begin(), orders.end(), "all") != orders.end()) {
      orders = {"sequential", "random"};
    }
    if (llc > 0 && bytes < 4 * llc) {
      context.notes.Note("cache-stride: --size " + FormatBytes(static_cast<double>(bytes)) +
                         " is less than 4x the " +
                         (llc_source == "measured" ? "measured" : "looked-up") +
                         " last-level cache (" + FormatBytes(static_cast<double>(llc)) +
                         "): part of it stays cached");
    }

    // Allocate once and touch every page before timing anything.
    Array array = Allocate(bytes);
    std::int32_t* data = array.get();
    for (std::size_t i = 0; i < count; ++i) data[i] = static_cast<std::int32_t>(i);
    const bool avx2 = DetectCpuFeatures().avx2;
    // nullptr: StrideUpdate, whose stride-1 loop the compiler vectorises.
    const kernels::UpdateFn vector_fn = avx2 ? &kernels::StrideUpdateAvx2 : nullptr;
    auto loop_name = [&](std::uint64_t stride) -> std::string {
      if (avx2 && kernels::Avx2Handles(stride)) return "vector (avx2)";
      return stride == 1 ? "vector (compiler)" : "scalar";
    };
    auto run_sequential = [&](std::uint64_t stride, bool scalar) -> std::uint64_t {
      if (stride == 1 && scalar) return kernels::StrideUpdateScalar(data, count);
      if (vector_fn != nullptr) return vector_fn(data, count, stride);
      return kernels::StrideUpdate(data, count, stride);
    };
    DoNotOptimize(run_sequential(1, false));  // warm-up pass

    std::map<std::size_t, std::vector<std::uint32_t>> block_orders;  // by block count
    auto blocks_for = [&](std::uint64_t stride) -> const std::vector<std::uint32_t>& {
      const std::size_t block = kernels::BlockElements(stride);
      const std::size_t n = (count + block - 1) / block;
      auto it = block_orders.find(n);
      if (it == block_orders.end()) {
        it = block_orders.emplace(n, kernels::RandomPermutation(n, 0x5eed + n)).first;
      }
      return it->second;
    };

    std::vector<Case> cases;
    for (const std::string& order : orders) {
      for (std::uint64_t stride : strides) {
        cases.push_back(Case{order, loop_name(stride), stride, {}, 0});
        if (stride == 1 && order == "sequential") cases.push_back(Case{order, "scalar", 1, {}, 0});
      }
    }
    for (const Case& c : cases) {
      if (c.order == "random") (void)blocks_for(c.stride);
    }

    // Rounds: every case once per round, so a burst of load hits all strides alike.
    const int rounds = config.repetitions > 0 ? config.Repetitions() : (config.quick ? 5 : 7);
    TimingOptions timing = context.Timing();
    timing.repetitions = 1;
    const Runner runner(timing);
    const CaseBudget budget;  // every case runs once per round, so it caps each case too
    for (int round = 0; round < rounds; ++round) {
      if (round > 0 && budget.Spent()) {
        context.notes.Note(budget.Note("cache-stride: every case", round, rounds));
        break;
      }
      for (Case& c : cases) {
        const bool scalar = c.loop == "scalar";
        const std::vector<Sample> samples = runner.MeasureFixed(
            [&](std::uint64_t iterations) {
              std::uint64_t touches = 0;
              const auto start = SteadyClock::now();
              for (std::uint64_t it = 0; it < iterations; ++it) {
                if (c.order == "sequential") {
                  touches = run_sequential(c.stride, scalar);
                } else {
                  touches = kernels::BlockOrderUpdate(data, count, c.stride, blocks_for(c.stride),
                                                      vector_fn);
                }
                ClobberMemory();
              }
              const double seconds = SecondsBetween(start, SteadyClock::now());
              c.touches = touches;
              return seconds;
            },
            1);
        for (double v : PerIteration(samples)) c.ns.push_back(v);
      }
    }
    DoNotOptimize(kernels::Checksum(data, std::min<std::size_t>(count, 1024)));

    // Detection on the random order (fastest pass of each stride: the least disturbed one).
    auto curve = [&](const std::string& order) {
      std::vector<StridePoint> points;
      for (const Case& c : cases) {
        if (c.order == order && !IsScalarStrideOne(c)) {
          points.push_back(
              {c.stride * sizeof(std::int32_t), *std::min_element(c.ns.begin(), c.ns.end())});
        }
      }
      return points;
    };
    const bool have_random = std::find(orders.begin(), orders.end(), "random") != orders.end();
    const bool have_sequential =
        std::find(orders.begin(), orders.end(), "sequential") != orders.end();
    LineDetection stride_line;
    stride_line.reason = "not detected: the random order was not run (--order)";
    if (have_random) stride_line = DetectLineSize(curve("random"));
    // The line by coherence; the stride curve's 1/K detector stands in only where it could not
    // run (one CPU).
    const CoherenceLine coherence = MeasureCoherenceLine(config, sink);
    const LineDetection& detected = coherence.Ran() ? coherence.line : stride_line;
    const int looked_up = info.L1LineBytes();
    // The knee counts from the line up (the measured one, else cpuid's).
    LineDetection knee;
    knee.reason = "not run";
    if (have_sequential) {
      knee = DetectStrideKnee(curve("sequential"),
                              detected.line_bytes.value_or(looked_up > 0 ? looked_up : 0));
    }
    // Lines for ns_per_line: the looked-up size when there is one, else the detected one.
    const std::uint64_t line = looked_up > 0         ? static_cast<std::uint64_t>(looked_up)
                               : detected.line_bytes ? *detected.line_bytes
                                                     : kFallbackLine;

    std::map<std::string, double> base;  // median ns of the stride-1 vector pass per order
    for (const Case& c : cases) {
      if (c.stride == strides.front() && !IsScalarStrideOne(c)) {
        base[c.order] = Summarize(c.ns).median;
      }
    }
    for (const Case& c : cases) {
      const std::uint64_t stride_bytes = c.stride * sizeof(std::int32_t);
      const double median = Summarize(c.ns).median;
      const std::uint64_t lines = stride_bytes >= line ? c.touches : (bytes + line - 1) / line;
      Result r(
          "cache-stride",
          c.order + "/K=" + std::to_string(c.stride) +
              (c.stride == 1 ? "/" + std::string(c.loop == "scalar" ? "scalar" : "vector") : ""));
      r.Param("stride_elems", std::to_string(c.stride))
          .Param("stride_bytes", std::to_string(stride_bytes))
          .Param("order", c.order)
          .Param("loop", c.loop)
          .Param("array_bytes", std::to_string(bytes));
      r.AddSampled("ns_per_pass", c.ns, "ns", Better::kLower);
      r.Add({"best_ns_per_pass", *std::min_element(c.ns.begin(), c.ns.end()), "ns", Better::kLower,
             Source::kMeasured});
      r.Add({"ns_per_element", median / static_cast<double>(c.touches), "ns", Better::kLower,
             Source::kMeasured});
      r.Add({"ns_per_line", median / static_cast<double>(lines), "ns", Better::kLower,
             Source::kMeasured});
      r.Add({"elements_touched", c.touches, "", Better::kNone, Source::kComputed});
      r.Add({"lines_touched", lines, "", Better::kNone, Source::kComputed});
      r.Add({"relative_time", median / base[c.order], "x", Better::kNone, Source::kMeasured});
      sink.Emit(std::move(r));
    }

    Result summary("cache-stride", "line-size");
    summary.Param("detection_order", "random").Param("array_bytes", std::to_string(bytes));
    AddLineMetrics(summary, coherence, detected, looked_up, "stride");
    AddBytes(summary, "stride_line_bytes", stride_line);
    summary.Add({"stride_detection", stride_line.reason, "", Better::kNone, Source::kMeasured});
    AddBytes(summary, "sequential_knee_bytes", knee);
    summary.Add({"sequential_knee", KneeMeaning(knee, detected.line_bytes, looked_up), "",
                 Better::kNone, Source::kMeasured});
    summary.Add({"line_bytes_for_ns_per_line", line, "B", Better::kNone, Source::kComputed});
    if (llc_source == "measured") {
      summary.Add({"measured_llc_bytes", llc, "B", Better::kNone, Source::kMeasured});
    }
    if (info.LastLevelCacheBytes() > 0) {
      summary.Add({"looked_up_llc_bytes", info.LastLevelCacheBytes(), "B", Better::kNone,
                   Source::kLookedUp});
    }
    sink.Emit(std::move(summary));
    NoteLine(context, coherence, detected, looked_up);
  }

 private:
  std::string size_;
  std::string strides_;
  std::string order_;
  bool line_only_ = false;
};

}  // namespace

std::unique_ptr<Command> MakeCacheStrideCommand() { return std::make_unique<CacheStrideCommand>(); }

}  // namespace sysbench
