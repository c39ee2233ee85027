// `sysbench flops`: peak arithmetic throughput per data type, instruction set and operation, on
// one core and on all of them, against what the core's pipes allow at the measured clock.
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/cpu_features.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"
#include "topics/flops/kernels/flops.h"
#include "topics/flops/peak.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using kernels::FlopsIsa;
using kernels::FlopsOp;
using kernels::FlopsType;

const std::vector<std::pair<std::string, FlopsIsa>> kIsas = {{"scalar", FlopsIsa::kScalar},
                                                             {"sse", FlopsIsa::kSse},
                                                             {"avx2", FlopsIsa::kAvx2},
                                                             {"avx512", FlopsIsa::kAvx512}};
const std::vector<std::pair<std::string, FlopsType>> kTypes = {
    {"f64", FlopsType::kF64},    {"f32", FlopsType::kF32},   {"bf16", FlopsType::kBf16},
    {"f16", FlopsType::kF16},    {"int8", FlopsType::kInt8}, {"int16", FlopsType::kInt16},
    {"int32", FlopsType::kInt32}};
const std::vector<std::pair<std::string, FlopsOp>> kOps = {{"fma", FlopsOp::kFma},
                                                           {"mul+add", FlopsOp::kMulAdd},
                                                           {"mul", FlopsOp::kMul},
                                                           {"add", FlopsOp::kAdd}};

// A clock probe after each measured batch lasts this share of the batch (long enough for a stable
// median, short enough for the default run's time budget), but at least kMinProbeSeconds or the
// whole batch: a 1 ms probe often falls between two timer ticks (4 ms apart at the usual 250 Hz)
// and read about 1% faster than the 4 ms batch it stood for.
constexpr double kProbeShareOfBatch = 0.25;
constexpr double kMinProbeSeconds = 0.004;

template <typename E>
std::vector<std::string> Names(const std::vector<std::pair<std::string, E>>& table) {
  std::vector<std::string> names;
  for (const auto& [name, value] : table) names.push_back(name);
  return names;
}

template <typename E>
const std::string& NameOf(const std::vector<std::pair<std::string, E>>& table, E value) {
  for (const auto& entry : table) {
    if (entry.second == value) return entry.first;
  }
  return table.front().first;
}

// Parses "a,b" against the table ("all": every entry; "muladd" is accepted for "mul+add").
template <typename E>
std::vector<E> ParseList(const std::string& text, const char* option,
                         const std::vector<std::pair<std::string, E>>& table) {
  std::vector<std::string> allowed = Names(table);
  allowed.emplace_back("all");
  std::string normalized = text;
  for (std::size_t pos = normalized.find("muladd"); pos != std::string::npos;
       pos = normalized.find("muladd", pos)) {
    normalized.replace(pos, 6, "mul+add");
  }
  std::vector<E> values;
  for (const std::string& name : ParseNameList(normalized, option, allowed)) {
    for (const auto& [entry_name, value] : table) {
      if (name == "all" || name == entry_name) {
        if (std::find(values.begin(), values.end(), value) == values.end()) values.push_back(value);
      }
    }
  }
  return values;
}

bool IsInt(FlopsType type) {
  return type == FlopsType::kInt8 || type == FlopsType::kInt16 || type == FlopsType::kInt32;
}

struct Case {
  FlopsType type;
  FlopsIsa isa;
  FlopsOp op;
};

// Final float accumulators must be finite and normal (or the kernel's constants are wrong).
bool FloatStateHealthy(const kernels::FlopsState& state, FlopsIsa isa, FlopsType type) {
  const int bytes = kernels::RegisterBytes(isa, type);
  for (const auto& reg : state.acc) {
    for (int off = 0; off < bytes; off += kernels::ElementBytes(type)) {
      double value = 0;
      if (type == FlopsType::kF64) {
        std::memcpy(&value, reg + off, sizeof value);
      } else if (type == FlopsType::kF32 || type == FlopsType::kBf16) {
        float f = 0;
        std::memcpy(&f, reg + off, sizeof f);
        value = f;
      } else {
        return true;
      }
      if (!std::isnormal(value)) return false;
    }
  }
  return true;
}

// Cores under the first `threads` workers (worker i runs on cpus[i % size]): CPUs whose sysfs
// topology names the same package and core count once; a CPU without topology counts as a core.
int DistinctCores(const std::vector<int>& cpus, int threads) {
  std::set<std::string> cores;
  int unknown = 0;
  std::set<int> seen;
  for (int i = 0; i < threads && !cpus.empty(); ++i) {
    const int cpu = cpus[static_cast<std::size_t>(i) % cpus.size()];
    if (!seen.insert(cpu).second) continue;
    const std::string topo = "/sys/devices/system/cpu/cpu" + std::to_string(cpu) + "/topology/";
    std::ifstream package(topo + "physical_package_id"), core(topo + "core_id");
    std::string p, c;
    if (package >> p && core >> c) {
      cores.insert(p + "/" + c);
    } else {
      ++unknown;
    }
  }
  const int count = static_cast<int>(cores.size()) + unknown;
  return count > 0 ? count : threads;
}

class FlopsCommand final : public Command {
 public:
  std::string_view Name() const override { return "flops"; }
  std::string_view Summary() const override {
    return "Peak arithmetic throughput per data type and instruction set, against the core's pipes";
  }

  std::vector<ChartSpec> Charts() const override {
    ChartSpec c = ChartSpec::Bars(
        "Throughput per ISA and dtype (red tick: peak at the measured clock)", "gflops");
    c.reference_metric = "peak_gflops";
    return {c};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--isa", isa_, "Instruction sets: scalar,sse,avx2,avx512 or all")
        ->default_str("all");
    sub.add_option("--dtype", dtype_, "Data types: f64,f32,bf16,f16,int8,int16,int32 or all")
        ->default_str("all");
    sub.add_option("--op", op_,
                   "Operations: fma,mul+add,mul,add or all (default: fma; mul+add for int32)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    // Validate everything first.
    const std::vector<FlopsIsa> isas = ParseList(isa_, "--isa", kIsas);
    const std::vector<FlopsType> types = ParseList(dtype_, "--dtype", kTypes);
    const bool default_ops = op_.empty();
    const std::vector<FlopsOp> ops =
        default_ops ? std::vector<FlopsOp>{FlopsOp::kFma} : ParseList(op_, "--op", kOps);
    const std::vector<int> cpus = WorkerCpus(context.config.cpus);
    const int max_threads = static_cast<int>(cpus.size());
    std::vector<int> thread_counts = context.config.threads;
    for (int t : thread_counts) {
      if (t > max_threads) {
        throw UsageError("--threads '" + std::to_string(t) + "': at most " +
                         std::to_string(max_threads) +
                         " (one pinned worker per CPU this process may use)");
      }
    }
    if (thread_counts.empty()) {
      thread_counts = {1};
      if (max_threads > 1) thread_counts.push_back(max_threads);
    }

    std::vector<Case> cases;
    for (FlopsType type : types) {
      std::vector<FlopsOp> type_ops = ops;
      if (default_ops && type == FlopsType::kInt32) type_ops = {FlopsOp::kMulAdd};
      for (FlopsIsa isa : isas) {
        for (FlopsOp op : type_ops) {
          if (kernels::FindFlopsKernel(isa, type, op) != nullptr) cases.push_back({type, isa, op});
        }
      }
    }
    if (cases.empty()) {
      throw UsageError("--isa '" + isa_ + "', --dtype '" + dtype_ + "', --op '" +
                       (op_.empty() ? std::string("fma") : op_) +
                       "': no such instruction (see docs/flops.md for the combinations)");
    }

    const CpuFeatures& cpu = DetectCpuFeatures();
    const Microarchitecture uarch = IdentifyMicroarchitecture(cpu.vendor, cpu.family, cpu.model);
    if (uarch.name.empty()) context.notes.Note(uarch.why_unknown);
    // Sizes the per-case clock probes; measured once, up front, and warms the core up.
    MeasuredCoreHz();

    TimingOptions timing = context.Timing();
    if (context.config.repetitions <= 0) timing.repetitions = context.config.quick ? 3 : 5;
    if (context.config.min_time <= 0) timing.min_time = context.config.quick ? 0.004 : 0.02;
    if (context.config.warmup < 0) timing.warmup = context.config.quick ? 0.004 : 0.02;
    const Runner runner(timing);

    // gflops of measured cases, for the packed-vs-scalar summary.
    std::map<std::tuple<FlopsType, FlopsOp, int, FlopsIsa>, double> measured;
    for (int threads : thread_counts) {
      std::unique_ptr<WorkerTeam> team;
      for (const Case& c : cases) {
        Result r("flops", NameOf(kOps, c.op) + "/" + NameOf(kTypes, c.type) + "/" +
                              NameOf(kIsas, c.isa) + "/threads=" + std::to_string(threads));
        r.Param("dtype", NameOf(kTypes, c.type))
            .Param("isa", NameOf(kIsas, c.isa))
            .Param("op", NameOf(kOps, c.op))
            .Param("threads", std::to_string(threads))
            .Param("instruction", kernels::Instruction(c.isa, c.type, c.op));
        const std::string required = kernels::RequiredExtensions(c.isa, c.type, c.op);
        if (!cpu.HasAll(required)) {
          r.skipped = "this CPU lacks " + required + " (cpuid)";
          sink.Emit(std::move(r));
          continue;
        }
        if (!team) {
          team = std::make_unique<WorkerTeam>(threads, cpus);
          busy_cores_ = DistinctCores(cpus, threads);
        }
        Measure(context, runner, *team, c, cpu, uarch, r);
        if (const Metric* m = r.Find("gflops")) {
          measured[{c.type, c.op, threads, c.isa}] = AsDouble(m->value);
        }
        sink.Emit(std::move(r));
      }
    }
    EmitSummaries(measured, thread_counts, sink);
  }

 private:
  void Measure(const RunContext& context, const Runner& runner, WorkerTeam& team, const Case& c,
               const CpuFeatures& cpu, const Microarchitecture& uarch, Result& r) const {
    const int threads = team.Size();
    const kernels::FlopsFn fn = kernels::FindFlopsKernel(c.isa, c.type, c.op);
    const double ops_per_iteration = kernels::OpsPerIteration(c.isa, c.type, c.op);
    std::vector<kernels::FlopsState> states(static_cast<std::size_t>(threads));
    std::vector<double> thread_seconds(static_cast<std::size_t>(threads));
    std::vector<std::vector<double>> batch_thread_seconds;
    // Measured batches are each followed by a clock probe on every worker (ProbeCoreHz): the
    // cycles per second each core gave this process right then. Seconds per probe; 0: no probe.
    double probe_seconds = 0;
    std::vector<double> probe_hz;  // per measured batch: the mean over the workers
    bool healthy = true;
    const auto batch = [&](std::uint64_t iterations) {
      for (auto& state : states) kernels::InitFlopsState(state, c.isa, c.type, c.op);
      const double wall = team.Run([&](int worker) {
        const std::size_t w = static_cast<std::size_t>(worker);
        const auto start = SteadyClock::now();
        fn(states[w], iterations);
        thread_seconds[w] = SecondsBetween(start, SteadyClock::now());
      });
      for (const auto& state : states) healthy = healthy && FloatStateHealthy(state, c.isa, c.type);
      batch_thread_seconds.push_back(thread_seconds);
      if (probe_seconds > 0) {
        std::vector<double> hz(static_cast<std::size_t>(threads));
        team.Run(
            [&](int worker) { hz[static_cast<std::size_t>(worker)] = ProbeCoreHz(probe_seconds); });
        probe_hz.push_back(Mean(std::span<const double>(hz.data(), hz.size())));
      }
      return wall;
    };
    // Calibrate on the workers' own kernel time, not the wall time from the release: a worker's
    // wake-up on a busy machine must not end calibration with batches too short to measure.
    const TimingOptions& timing = runner.Options();
    const double target = std::max(timing.min_time, 1000 * ClockResolutionSeconds());
    std::uint64_t iterations = 64;
    double spent = 0;
    while (true) {
      spent += batch(iterations);
      const double slowest = *std::max_element(thread_seconds.begin(), thread_seconds.end());
      if (slowest >= target || iterations >= timing.max_iterations) break;
      const double factor = std::clamp(slowest > 0 ? 1.2 * target / slowest : 10.0, 1.2, 10.0);
      iterations = static_cast<std::uint64_t>(std::ceil(static_cast<double>(iterations) * factor));
    }
    while (spent < timing.warmup) spent += batch(iterations);
    const double batch_seconds = *std::max_element(thread_seconds.begin(), thread_seconds.end());
    probe_seconds =
        std::max(kProbeShareOfBatch * batch_seconds, std::min(batch_seconds, kMinProbeSeconds));
    const std::vector<Sample> samples = runner.MeasureFixed(batch, iterations);
    // The clock this case ran at: the median probe, the same statistic as the kernel's rate.
    const double hz = Median(std::span<const double>(probe_hz.data(), probe_hz.size()));
    if (!healthy) {
      context.notes.Warn("flops: " + r.case_id +
                         ": accumulators left the normal range; the constants need a fix");
    }

    const bool ints = IsInt(c.type);
    const std::string unit = ints ? "GOP/s" : "GFLOP/s";
    // A sample's iterations are per worker: every worker ran them, so the team did `threads` times
    // as many operations in the batch's wall time.
    r.AddSampled("gflops", Rates(samples, ops_per_iteration * threads, 1e9), unit, Better::kHigher);
    const double gflops = AsDouble(r.Find("gflops")->value);
    const double per_thread = gflops / threads;

    // Per-thread rates over the kept batches (the last samples.size() batches).
    std::vector<double> thread_medians;
    for (int w = 0; w < threads; ++w) {
      std::vector<double> rates;
      for (std::size_t i = batch_thread_seconds.size() - samples.size();
           i < batch_thread_seconds.size(); ++i) {
        rates.push_back(ops_per_iteration * static_cast<double>(samples[0].iterations) /
                        batch_thread_seconds[i][static_cast<std::size_t>(w)] / 1e9);
      }
      thread_medians.push_back(Median(std::span<const double>(rates.data(), rates.size())));
    }
    r.Add(Metric{"gflops_per_thread", per_thread, unit, Better::kHigher, Source::kComputed});
    if (threads > 1) {
      r.Add(Metric{"thread_gflops_min",
                   *std::min_element(thread_medians.begin(), thread_medians.end()), unit,
                   Better::kHigher, Source::kMeasured});
      r.Add(Metric{"thread_gflops_max",
                   *std::max_element(thread_medians.begin(), thread_medians.end()), unit,
                   Better::kHigher, Source::kMeasured});
    }
    r.Add(Metric{"flop_per_cycle", per_thread * 1e9 / hz, ints ? "op/cycle" : "FLOP/cycle",
                 Better::kHigher, Source::kComputed});
    r.Add(Metric{"core_clock_ghz", hz / 1e9, "GHz", Better::kNone, Source::kMeasured});
    std::string why;
    const std::optional<double> peak =
        PeakOpsPerCycle(cpu.vendor, cpu.family, cpu.model, c.isa, c.type, c.op, why);
    if (peak) {
      // Hardware threads of one core share its pipes: the peak counts cores, not threads.
      const double peak_gflops = busy_cores_ * hz * *peak / 1e9;
      r.Param("uarch", uarch.name);
      r.Add(Metric{"peak_flop_per_cycle", *peak, ints ? "op/cycle" : "FLOP/cycle", Better::kNone,
                   Source::kLookedUp});
      r.Add(Metric{"peak_gflops", peak_gflops, unit, Better::kNone, Source::kComputed});
      r.Add(Metric{"pct_of_peak", 100.0 * gflops / peak_gflops, "%", Better::kHigher,
                   Source::kComputed});
    } else {
      if (!uarch.name.empty()) r.Param("uarch", uarch.name);
      r.Add(Metric{"peak_gflops", std::string("unknown"), "", Better::kNone, Source::kLookedUp});
      context.notes.Note("flops: " + why);
    }
  }

  static void EmitSummaries(
      const std::map<std::tuple<FlopsType, FlopsOp, int, FlopsIsa>, double>& measured,
      const std::vector<int>& thread_counts, ResultSink& sink) {
    for (const auto& [type_name, type] : kTypes) {
      for (const auto& [op_name, op] : kOps) {
        for (int threads : thread_counts) {
          const auto scalar = measured.find({type, op, threads, FlopsIsa::kScalar});
          if (scalar == measured.end() || scalar->second <= 0) continue;
          Result r("flops",
                   "summary/" + op_name + "/" + type_name + "/threads=" + std::to_string(threads));
          r.Param("dtype", type_name)
              .Param("op", op_name)
              .Param("threads", std::to_string(threads));
          for (const auto& [isa_name, isa] : kIsas) {
            if (isa == FlopsIsa::kScalar) continue;
            const auto packed = measured.find({type, op, threads, isa});
            if (packed == measured.end()) continue;
            r.Add(Metric{"speedup_" + isa_name + "_vs_scalar", packed->second / scalar->second, "x",
                         Better::kHigher, Source::kComputed});
          }
          if (!r.metrics.empty()) sink.Emit(std::move(r));
        }
      }
    }
  }

  std::string isa_ = "all";
  std::string dtype_ = "all";
  std::string op_;  // empty: fma (mul+add for int32)
  int busy_cores_ = 1;
};

}  // namespace

std::unique_ptr<Command> MakeFlopsCommand() { return std::make_unique<FlopsCommand>(); }

}  // namespace sysbench
