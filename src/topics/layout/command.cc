// `sysbench layout`: the same data in different memory layouts, and what each costs a loop:
// rows vs columns of a matrix, strings as pointers / inline slots / Arrow buffers, and an array
// of structs vs a struct of arrays. One subcommand; `--scenario` picks the parts.
#include <fmt/format.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <array>
#include <cmath>
#include <functional>

#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/scenario_table.h"
#include "sysbench/stats.h"
#include "sysbench/system_info.h"
#include "sysbench/units.h"
#include "topics/cache_stride/kernels/cache_stride.h"
#include "topics/layout/kernels/layout.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

constexpr std::uint64_t kLargeBytes = std::uint64_t{8} << 20;  // passes this big are timed 1 by 1
constexpr std::size_t kInlineWidth = 32;                       // bytes per inline slot
constexpr std::size_t kMaxStringLength = 32;
constexpr int kNullPercent = 10;
constexpr char kMatchByte = 'z';
// Passes over large data are costly: fewer samples than the global default.
constexpr TimingDefaults kLargeTiming{.repetitions = ByMode<int>{5, 2}};

struct SizeCase {
  std::uint64_t bytes = 0;
  std::string level;  // "L1", "L2", "LLC", "DRAM", or "" for a size given by the user
};

// What Run validated.
struct Plan {
  std::vector<SizeCase> sizes;
  std::size_t strings = 0;
};

using ScenarioFn = void (*)(const RunContext& context, ResultSink& sink, const Plan& plan);

std::string SizeName(std::uint64_t bytes) {
  std::string s = FormatBytes(static_cast<double>(bytes));
  s.erase(std::remove(s.begin(), s.end(), ' '), s.end());
  return s;
}

class LayoutCommand final : public Command {
 public:
  std::string_view Name() const override { return "layout"; }
  std::string_view Summary() const override {
    return "Rows vs columns, strings as pointers/inline/Arrow, AoS vs SoA: ns per element";
  }
  std::vector<std::string> GateMetrics() const override { return {"ns_per_pass"}; }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--scenario", scenario_,
                   "Scenarios (a list is allowed): " + ScenarioHelp(Scenarios()));
    sub.add_option("--size", size_,
                   "Working sets for rows-vs-cols and aos-vs-soa, e.g. 32K,512K,16M,128M "
                   "(default: fits L1, L2, LLC, DRAM)");
    sub.add_option("--strings", strings_, "Number of strings (default 1M, 256K with --quick)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    const SystemInfo& info = GetSystemInfo();
    // Validate everything first.
    const auto scenarios = ChooseScenarios(scenario_, "--scenario", Scenarios());
    // Two copies of the largest matrix live at once.
    const std::uint64_t limit =
        info.mem_available_bytes > 0 ? info.mem_available_bytes / 2 : (std::uint64_t{1} << 40);
    Plan plan;
    std::vector<SizeCase>& sizes = plan.sizes;
    if (size_.empty()) {
      sizes = {{32 << 10, "L1"},
               {512 << 10, "L2"},
               {std::uint64_t{16} << 20, "LLC"},
               {std::uint64_t{config.quick ? 64u : 128u} << 20, "DRAM"}};
    } else {
      for (const std::uint64_t bytes : ParseSizeList(size_, "--size", limit)) {
        if (bytes < 1024)
          throw UsageError(fmt::format("--size '{}': {} B is less than 1 KiB", size_, bytes));
        sizes.push_back({bytes, ""});
      }
    }
    plan.strings = config.quick ? 256 * 1024 : 1024 * 1024;
    if (!strings_.empty()) {
      plan.strings =
          static_cast<std::size_t>(ParseInt(strings_, "--strings", 1, std::int64_t{1} << 27));
    }
    for (const auto* scenario : scenarios) scenario->run(context, sink, plan);
  }

 private:
  // The scenarios, in the order `all` runs them.
  static const std::array<Scenario<ScenarioFn>, 3>& Scenarios() {
    static constexpr std::array<Scenario<ScenarioFn>, 3> kScenarios = {{
        {"rows-vs-cols", "a matrix summed by rows, by columns, and transposed first",
         [](const RunContext& context, ResultSink& sink, const Plan& plan) {
           for (const SizeCase& size : plan.sizes) RowsVsCols(context, sink, size);
         }},
        {"strings", "strings as pointers, inline slots and Arrow buffers: scans and random reads",
         [](const RunContext& context, ResultSink& sink, const Plan& plan) {
           Strings(context, sink, plan.strings);
         }},
        {"aos-vs-soa", "one field of many particles: array of structs vs struct of arrays",
         [](const RunContext& context, ResultSink& sink, const Plan& plan) {
           for (const SizeCase& size : plan.sizes) AosVsSoa(context, sink, size);
         }},
    }};
    return kScenarios;
  }

  // Times `pass` (one pass over `bytes` of data): calibrated batches when small, single passes
  // when large. Returns ns per pass, one value per sample.
  static std::vector<double> TimePass(const RunContext& context, std::uint64_t bytes,
                                      const std::function<void()>& pass) {
    if (bytes < kLargeBytes) {
      return PerIteration(context.MakeRunner().Measure([&](std::uint64_t iterations) {
        for (std::uint64_t i = 0; i < iterations; ++i) pass();
      }));
    }
    pass();  // warm-up
    return PerIteration(context.MakeRunner(kLargeTiming)
                            .MeasureFixed(
                                [&](std::uint64_t iterations) {
                                  const auto start = SteadyClock::now();
                                  for (std::uint64_t i = 0; i < iterations; ++i) pass();
                                  return SecondsBetween(start, SteadyClock::now());
                                },
                                1));
  }

  static Result Case(const std::string& scenario, const std::string& id,
                     const std::vector<double>& ns, double elements) {
    Result r("layout", scenario + "/" + id);
    r.Param("scenario", scenario);
    r.AddSampled("ns_per_pass", ns, "ns", Better::kLower);
    r.Add(Measured("ns_per_element", Median(ns) / elements, "ns", Better::kLower));
    return r;
  }

  static void RowsVsCols(const RunContext& context, ResultSink& sink, const SizeCase& size) {
    const auto n = static_cast<std::size_t>(
        std::floor(std::sqrt(static_cast<double>(size.bytes) / sizeof(double))));
    if (n < 4) return;
    const std::uint64_t bytes = std::uint64_t{n} * n * sizeof(double);
    std::vector<double> m(n * n), t(n * n);
    for (std::size_t i = 0; i < m.size(); ++i) m[i] = static_cast<double>(i % 1000) * 0.5;
    const auto elements = static_cast<double>(n) * static_cast<double>(n);
    const std::string tag = SizeName(bytes) + (size.level.empty() ? "" : "/" + size.level);
    auto label = [&](Result r, const std::string& op) {
      r.Param("op", op)
          .Param("n", std::to_string(n))
          .Param("matrix_bytes", std::to_string(bytes))
          .Param("fits", size.level);
      return r;
    };
    const std::vector<double> rows =
        TimePass(context, bytes, [&] { DoNotOptimize(kernels::SumByRows(m.data(), n)); });
    const std::vector<double> cols =
        TimePass(context, bytes, [&] { DoNotOptimize(kernels::SumByColumns(m.data(), n)); });
    const std::vector<double> transpose = TimePass(context, 2 * bytes, [&] {
      kernels::Transpose(m.data(), t.data(), n);
      ClobberMemory();
    });
    const std::vector<double> transposed_rows =
        TimePass(context, bytes, [&] { DoNotOptimize(kernels::SumByRows(t.data(), n)); });
    sink.Emit(label(Case("rows-vs-cols", tag + "/rows", rows, elements), "sum by rows"));
    sink.Emit(label(Case("rows-vs-cols", tag + "/cols", cols, elements), "sum by columns"));
    sink.Emit(label(Case("rows-vs-cols", tag + "/transpose", transpose, elements),
                    "transpose (32x32 tiles)"));
    sink.Emit(label(Case("rows-vs-cols", tag + "/transposed-rows", transposed_rows, elements),
                    "sum the transposed copy by rows"));
    const double r = Summarize(rows).median, c = Summarize(cols).median;
    const double tr = Summarize(transpose).median, trr = Summarize(transposed_rows).median;
    Result summary("layout", "rows-vs-cols/" + tag + "/summary");
    summary.Param("scenario", "rows-vs-cols")
        .Param("n", std::to_string(n))
        .Param("matrix_bytes", std::to_string(bytes))
        .Param("fits", size.level);
    summary.Add(Computed("cols_over_rows", c / r, "x"));
    summary.Add(Computed("transpose_ns", tr, "ns", Better::kLower));
    // Column passes saved by transposing once: transpose + k * rows(copy) < k * cols.
    if (c > trr) {
      summary.Add(Computed("break_even_passes", tr / (c - trr), "passes"));
    } else {
      summary.Add(
          Computed("break_even_passes", std::string("never (columns are not slower here)")));
    }
    sink.Emit(std::move(summary));
  }

  template <typename Store>
  static void StringOps(const RunContext& context, ResultSink& sink, const Store& store,
                        const std::string& layout, const std::vector<std::uint32_t>& indices,
                        const std::string& nulls) {
    const auto n = static_cast<double>(store.Size());
    const double per_element = static_cast<double>(store.Bytes()) / n;
    const std::uint64_t bytes = store.Bytes();
    auto emit = [&](const std::string& op, const std::vector<double>& ns, std::uint64_t check) {
      Result r = Case("strings", layout + "/" + op, ns, n);
      r.Param("layout", layout).Param("op", op).Param("strings", std::to_string(store.Size()));
      r.Param("nulls", nulls);
      r.Add(Computed("bytes_per_element", per_element, "B", Better::kLower));
      r.Add(Computed("checksum", check));
      sink.Emit(std::move(r));
    };
    std::uint64_t check = 0;
    std::vector<double> ns =
        TimePass(context, bytes, [&] { DoNotOptimize(check = kernels::ScanSumLengths(store)); });
    emit("scan-lengths", ns, check);
    ns = TimePass(context, bytes,
                  [&] { DoNotOptimize(check = kernels::ScanCountMatches(store, kMatchByte)); });
    emit("scan-matches", ns, check);
    ns = TimePass(context, bytes,
                  [&] { DoNotOptimize(check = kernels::RandomRead(store, indices)); });
    emit("random-read", ns, check);
    ns = TimePass(context, bytes,
                  [&] { DoNotOptimize(check = kernels::RandomLength(store, indices)); });
    emit("random-length", ns, check);
  }

  static void Strings(const RunContext& context, ResultSink& sink, std::size_t count) {
    const auto values = kernels::MakeStrings(count, kMaxStringLength, kNullPercent, 42);
    const std::vector<std::uint32_t> indices = kernels::RandomPermutation(count, 7);
    {
      const kernels::PointerStrings store(values);
      StringOps(context, sink, store, "pointer", indices, "nullptr");
    }
    {
      const kernels::InlineStrings store(values, kInlineWidth);
      StringOps(context, sink, store, "inline" + std::to_string(kInlineWidth), indices,
                "not supported (stored as \"\")");
    }
    {
      const kernels::ArrowStrings store(values);
      StringOps(context, sink, store, "arrow", indices, "validity bitmap");
    }
  }

  static void AosVsSoa(const RunContext& context, ResultSink& sink, const SizeCase& size) {
    const std::size_t n =
        std::max<std::size_t>(1, static_cast<std::size_t>(size.bytes / sizeof(kernels::Particle)));
    std::vector<kernels::Particle> aos(n);
    std::vector<double> mass(n);
    for (std::size_t i = 0; i < n; ++i) {
      const double v = static_cast<double>(i % 977) * 0.25;
      aos[i] = kernels::Particle{v, v, v, v, v, v, v, static_cast<std::int64_t>(i)};
      mass[i] = v;
    }
    const std::uint64_t bytes = n * sizeof(kernels::Particle);
    const std::string tag = SizeName(bytes) + (size.level.empty() ? "" : "/" + size.level);
    const std::vector<double> a =
        TimePass(context, bytes, [&] { DoNotOptimize(kernels::SumMassAos(aos.data(), n)); });
    const std::vector<double> s =
        TimePass(context, bytes / 8, [&] { DoNotOptimize(kernels::SumMassSoa(mass.data(), n)); });
    auto emit = [&](const std::string& layout, const std::vector<double>& ns,
                    std::uint64_t stride_bytes) {
      Result r = Case("aos-vs-soa", tag + "/" + layout, ns, static_cast<double>(n));
      r.Param("layout", layout)
          .Param("elements", std::to_string(n))
          .Param("aos_bytes", std::to_string(bytes))
          .Param("fits", size.level);
      r.Add(Computed("bytes_moved_per_element", stride_bytes, "B"));
      sink.Emit(std::move(r));
    };
    emit("aos", a, sizeof(kernels::Particle));
    emit("soa", s, sizeof(double));
    Result summary("layout", "aos-vs-soa/" + tag + "/summary");
    summary.Param("scenario", "aos-vs-soa").Param("fits", size.level);
    summary.Add(Computed("aos_over_soa", Median(a) / Median(s), "x"));
    sink.Emit(std::move(summary));
  }

  std::string scenario_ = "all";
  std::string size_;
  std::string strings_;
};

}  // namespace

std::unique_ptr<Command> MakeLayoutCommand() { return std::make_unique<LayoutCommand>(); }

}  // namespace sysbench
