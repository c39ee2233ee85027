// `sysbench flops`: peak arithmetic throughput per data type, instruction set and operation, on
// one core and on all of them, against what the core's pipes allow at the measured clock.
#include <fmt/format.h>

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
#include <string_view>
#include <tuple>
#include <vector>

#include "sysbench/clock.h"
#include "sysbench/cpu_features.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/reporter.h"
#include "sysbench/stats.h"
#include "sysbench/units.h"
#include "topics/flops/amx_permission.h"
#include "topics/flops/case_names.h"
#include "topics/flops/isa_clock.h"
#include "topics/flops/kernels/flops.h"
#include "topics/flops/peak.h"
#include "topics/flops/peak_check.h"
#include "topics/flops/running_time.h"
#include "topics/gpu/measure.h"
#include "topics/gpu/peaks.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

using kernels::FlopsIsa;
using kernels::FlopsOp;
using kernels::FlopsType;

const NameTable<FlopsIsa>& kIsas = FlopsIsaNames();
const NameTable<FlopsType>& kTypes = FlopsTypeNames();
const NameTable<FlopsOp>& kOps = FlopsOpNames();
const std::vector<std::string> kDevices = {"cpu", "gpu", "all"};

// A clock probe after each measured batch lasts this share of the batch (long enough for a stable
// median, short enough for the default run's time budget), but at least kMinProbeSeconds or the
// whole batch: a 1 ms probe often falls between two timer ticks (4 ms apart at the usual 250 Hz)
// and read about 1% faster than the 4 ms batch it stood for.
constexpr double kProbeShareOfBatch = 0.25;
constexpr double kMinProbeSeconds = 0.004;

// Batches of 16 ms (x kBatchOverMinTime): register arithmetic runs at the same rate in 16 ms as in
// longer batches, and the 250 Hz timer tick takes the same share of either. Warm-up: the cores are
// already busy with the previous case, and register arithmetic (and a licence change) settles
// within a millisecond; 10 ms covers it with room.
constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{5, 3},
                                 .min_time = ByMode<double>{0.016, 0.004},
                                 .warmup = ByMode<double>{0.01, 0.004}};
// Calibration grows the batch to this share of min_time only, then scales the fastest rate it saw
// up to kBatchOverMinTime x min_time: the runner's growth would land anywhere up to 1.4x min_time
// and spend a full-size batch or more on the way.
constexpr double kCalibrationShareOfMinTime = 0.25;
constexpr double kBatchOverMinTime = 1.05;
constexpr double kMinClockStepsPerBatch = 1000;  // a rate counts from batches this many timer steps
// mul+add cases also time their multiply and their add alone (FastestPassSeconds), in runs this
// long, for the units of each (MulAddUnits).
constexpr double kPairPartRunSeconds = 0.0005;

// Parses "a,b" or "all" against the table ("muladd" is accepted for "mul+add").
template <typename E>
std::vector<E> ParseList(const std::string& text, std::string_view option,
                         const NameTable<E>& table) {
  std::string normalized = text;
  for (std::size_t pos = normalized.find("muladd"); pos != std::string::npos;
       pos = normalized.find("muladd", pos)) {
    normalized.replace(pos, 6, "mul+add");
  }
  std::vector<E> values;
  for (const std::string& name : ParseNameList(normalized, option, Names(table), ListAll::kYes)) {
    values.push_back(*ValueOf(table, name));
  }
  return values;
}

double Slowest(const std::vector<double>& seconds) {
  return *std::max_element(seconds.begin(), seconds.end());
}

bool IsInt(FlopsType type) {
  return type == FlopsType::kInt8 || type == FlopsType::kInt16 || type == FlopsType::kInt32;
}

struct Case {
  FlopsType type;
  FlopsIsa isa;
  FlopsOp op;
};

// The clock under the ISA is measured again (a round of kChainedRuns more runs of each kind, the
// fastest of all counting) while the fastest short runs read above the peak their own units give,
// at most this many rounds in all: a clock that read low in every run of a round (a busy
// neighbour) is then measured again rather than withheld.
constexpr int kMaxIsaClockRounds = 3;

// Final float accumulators must be finite and normal (or the kernel's constants are wrong).
bool FloatStateHealthy(const kernels::FlopsState& state, FlopsIsa isa, FlopsType type) {
  if (isa == FlopsIsa::kAmx) {  // the result tiles: int32 for int8, f32 for bf16
    if (type != FlopsType::kBf16) return true;
    for (int t = 0; t < kernels::kAmxDotsPerIteration; ++t) {
      for (int off = 0; off < kernels::kAmxTileBytes; off += 4) {
        float f = 0;
        std::memcpy(&f, state.tiles[t] + off, sizeof f);
        if (!std::isnormal(f)) return false;
      }
    }
    return true;
  }
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
    const std::string topo = fmt::format("/sys/devices/system/cpu/cpu{}/topology/", cpu);
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
  std::vector<std::string> GateMetrics() const override { return {"gflops", "flop_per_cycle"}; }

  std::vector<ChartSpec> Charts() const override {
    ChartSpec c = ChartSpec::Bars(
        "Throughput per ISA and dtype (red tick: peak at the measured clock)", "gflops");
    c.reference_metric = "peak_gflops";
    return {c};
  }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--isa", isa_, "Instruction sets: scalar,sse,avx2,avx512,amx or all")
        ->default_str("all");
    sub.add_option("--dtype", dtype_, "Data types: f64,f32,bf16,f16,int8,int16,int32 or all")
        ->default_str("all");
    sub.add_option("--device", device_,
                   "Where: cpu, gpu (every GPU operation of the chosen --dtype) or all (both, "
                   "and their ratio per data type)")
        ->default_str("cpu");
    sub.add_option("--op", op_,
                   "Operations: fma,mul+add,mul,add or all (default: fma; mul+add for int32)");
  }

  void AddContext(RunContextInfo& context) const override {
    // Only for a valid GPU device: a bad --device fails in Run without starting CUDA.
    if (device_ == "gpu" || device_ == "all") {
      context.gpus = gpu::DescribeDevices(gpu::CachedDevices());
    }
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    // Validate everything first.
    const std::vector<FlopsIsa> isas = ParseList(isa_, "--isa", kIsas);
    const std::vector<FlopsType> types = ParseList(dtype_, "--dtype", kTypes);
    if (std::find(kDevices.begin(), kDevices.end(), device_) == kDevices.end()) {
      throw UsageError("--device '" + device_ + "': one of " + NameListHelp(kDevices));
    }
    if (device_ == "gpu") {
      RunGpu(context, types, sink);
      return;
    }
    const bool default_ops = op_.empty();
    const std::vector<FlopsOp> ops =
        default_ops ? std::vector<FlopsOp>{FlopsOp::kFma} : ParseList(op_, "--op", kOps);
    const std::vector<int> cpus = WorkerCpus(context.config.cpus);
    const int max_threads = static_cast<int>(cpus.size());
    std::vector<int> thread_counts = context.config.threads;
    for (int t : thread_counts) {
      if (t > max_threads) {
        throw UsageError(fmt::format(
            "--threads '{}': at most {} (one pinned worker per CPU this process may use)", t,
            max_threads));
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
      throw UsageError(fmt::format(
          "--isa '{}', --dtype '{}', --op '{}': no such instruction (see docs/flops.md for the "
          "combinations)",
          isa_, dtype_, op_.empty() ? std::string("fma") : op_));
    }

    const CpuFeatures& cpu = DetectCpuFeatures();
    const Microarchitecture uarch = IdentifyMicroarchitecture(cpu.vendor, cpu.family, cpu.model);
    if (uarch.name.empty()) context.notes.Note(uarch.why_unknown);
    // Sizes the per-case clock probes; measured once, up front, and warms the core up.
    MeasuredCoreHz();

    const Runner runner = context.MakeRunner(kTiming);

    // gflops of measured cases, for the packed-vs-scalar summary.
    std::map<std::tuple<FlopsType, FlopsOp, int, FlopsIsa>, double> measured;
    for (int threads : thread_counts) {
      std::unique_ptr<WorkerTeam> team;
      for (const Case& c : cases) {
        Result r("flops", FlopsCaseName({c.op, c.type, c.isa, threads}));
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
        std::string refused;
        if (c.isa == FlopsIsa::kAmx && !RequestAmxPermission(refused)) {
          r.skipped = refused;
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
    EmitClockSummaries(sink);
    if (!disagreements_.empty()) {
      context.notes.Note(DisagreementNote(disagreements_, uarch.name, cpu.family, cpu.model));
    }
    if (device_ == "all") {
      const gpu::BestByDtype gpu_best = RunGpu(context, types, sink);
      EmitGpuVsCpu(measured, thread_counts.back(), gpu_best, sink);
    }
  }

 private:
  void Measure(const RunContext& context, const Runner& runner, WorkerTeam& team, const Case& c,
               const CpuFeatures& cpu, const Microarchitecture& uarch, Result& r) {
    const int threads = team.Size();
    const kernels::FlopsFn fn = kernels::FindFlopsKernel(c.isa, c.type, c.op);
    const double ops_per_iteration = kernels::OpsPerIteration(c.isa, c.type, c.op);
    std::vector<kernels::FlopsState> states(static_cast<std::size_t>(threads));
    std::vector<double> thread_seconds(static_cast<std::size_t>(threads));
    std::vector<double> thread_share(static_cast<std::size_t>(threads), 1.0);
    std::vector<std::vector<double>> batch_thread_seconds;
    // Measured batches are each followed by a clock probe on every worker: the kernel's chained
    // twin (ChainedProbeHz), which runs the same instructions and so in the licence the batch ran
    // in. Each probe's clock per second of its own CPU time, times the share of the batch's wall
    // time the worker ran, is the clock the batch got: the probe and the batch need not get the
    // same share of a busy CPU (docs/flops.md). Seconds per probe; 0: no probe.
    double probe_seconds = 0;
    std::vector<double> probe_hz;  // per measured batch: the mean over the workers
    bool probes_ok = true;         // every chained probe came back with its chain's sum
    bool healthy = true;
    const auto batch = [&](std::uint64_t iterations) {
      for (auto& state : states) kernels::InitFlopsState(state, c.isa, c.type, c.op);
      std::vector<double> running(static_cast<std::size_t>(threads));
      const double wall = team.Run([&](int worker) {
        const std::size_t w = static_cast<std::size_t>(worker);
        const RunningTime time = TimeRunning([&] { fn(states[w], iterations); });
        thread_seconds[w] = time.wall;
        running[w] = time.Running();
      });
      // Each worker's share of the batch's wall time (the team's, which the rate divides by): a
      // worker that waited for a preempted one got no fewer cycles, it just did not use them.
      for (std::size_t w = 0; w < running.size(); ++w)
        thread_share[w] = ShareOfWall(running[w], wall);
      for (const auto& state : states) healthy = healthy && FloatStateHealthy(state, c.isa, c.type);
      batch_thread_seconds.push_back(thread_seconds);
      if (probe_seconds > 0) {
        std::vector<double> hz(static_cast<std::size_t>(threads));
        team.Run([&](int worker) {
          const std::size_t w = static_cast<std::size_t>(worker);
          hz[w] = ChainedProbeHz(c.isa, c.type, c.op, states[w], probe_seconds) * thread_share[w];
        });
        probes_ok = probes_ok && *std::min_element(hz.begin(), hz.end()) > 0;
        probe_hz.push_back(Mean(hz));
      }
      return wall;
    };
    // Calibrate through the runner on the workers' own kernel time, not the wall time from the
    // release: a worker's wake-up on a busy machine must not end calibration with batches too
    // short to measure. The runner grows the batch to a quarter of min_time and warms up; the
    // batch then runs kBatchOverMinTime x min_time at the fastest rate seen (an interruption only
    // slows a batch, so the fastest is the rate of an undisturbed one).
    TimingOptions calibration = runner.Options();
    calibration.min_time *= kCalibrationShareOfMinTime;
    double best_per_iteration = 0;
    const std::uint64_t calibrated = Runner(calibration).Calibrate([&](std::uint64_t n) {
      batch(n);
      const double seconds = Slowest(thread_seconds);
      const double per_iteration = seconds / static_cast<double>(n);
      const bool resolved = seconds >= kMinClockStepsPerBatch * ClockResolutionSeconds();
      if (resolved && (best_per_iteration == 0 || per_iteration < best_per_iteration)) {
        best_per_iteration = per_iteration;
      }
      return seconds;
    });
    const std::uint64_t iterations = std::max(
        calibrated, static_cast<std::uint64_t>(std::ceil(
                        kBatchOverMinTime * runner.Options().min_time / best_per_iteration)));
    const double batch_seconds = best_per_iteration * static_cast<double>(iterations);
    probe_seconds =
        std::max(kProbeShareOfBatch * batch_seconds, std::min(batch_seconds, kMinProbeSeconds));
    const std::vector<Sample> samples = runner.MeasureFixed(batch, iterations);
    IsaClock isa_clock = MeasureIsaClock(team, c.isa, c.type, c.op, states, batch_seconds);
    if (!isa_clock.chain_ok) {
      context.notes.Warn("flops: " + r.case_id +
                         ": the clock chain came back with the wrong sum; the kernel's chained "
                         "twin is broken");
    }
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
      thread_medians.push_back(Median(rates));
    }
    r.Add(Computed("gflops_per_thread", per_thread, unit, Better::kHigher));
    if (threads > 1) {
      r.Add(Measured("thread_gflops_min",
                     *std::min_element(thread_medians.begin(), thread_medians.end()), unit,
                     Better::kHigher));
      r.Add(Measured("thread_gflops_max",
                     *std::max_element(thread_medians.begin(), thread_medians.end()), unit,
                     Better::kHigher));
    }
    MulAddParts parts;
    if (c.op == FlopsOp::kMulAdd && isa_clock.plain_per_pass > 0) {
      const auto passes =
          static_cast<std::uint64_t>(std::ceil(kPairPartRunSeconds / isa_clock.plain_per_pass));
      parts.mul_pass_seconds =
          FastestPassSeconds(team, c.isa, c.type, FlopsOp::kMul, states, passes);
      parts.add_pass_seconds =
          FastestPassSeconds(team, c.isa, c.type, FlopsOp::kAdd, states, passes);
    }
    for (IsaClock& clock = isa_clock; clock.rounds < kMaxIsaClockRounds;) {
      const FastUnits fast =
          UnitsFromFastestRuns(c.isa, c.type, c.op, threads, busy_cores_, clock, parts);
      const double per_unit = OpsPerUnitCycle(c.isa, c.type, c.op);
      if (!(fast.units > 0) ||
          fast.best_per_cycle <= fast.units * per_unit * (1.0 + kPeakNoisePct / 100.0)) {
        break;
      }
      clock = MeasureIsaClock(team, c.isa, c.type, c.op, states, batch_seconds, &clock);
    }
    // The clock this case ran at: the median chained probe beside the batches (the same statistic
    // as the kernel's rate), where the chain binds; else the scalar clock beside the short runs.
    const bool chained = isa_clock.hz > 0 && probes_ok && !probe_hz.empty();
    const double hz = chained ? Median(probe_hz) : isa_clock.scalar_hz;
    // The rate that pct_of_peak sets against the peak at `hz`: each batch against the clock of the
    // probe beside it, the median of those, at `hz`. The core's clock moves between batches (by
    // 100 MHz steps of turbo on xeon-amx-kvm-c), and a batch and its own probe see the same step
    // more often than the medians of the batches and of the probes do.
    double paired_gflops = gflops;
    const std::vector<double> rates = Rates(samples, ops_per_iteration * threads, 1e9);
    if (chained && probe_hz.size() == rates.size()) {
      std::vector<double> per_hz;
      for (std::size_t i = 0; i < rates.size(); ++i) per_hz.push_back(rates[i] / probe_hz[i]);
      paired_gflops = Median(per_hz) * hz;
    }
    r.Add(Computed("flop_per_cycle", per_thread * 1e9 / hz, ints ? "op/cycle" : "FLOP/cycle",
                   Better::kHigher));
    r.Add(Measured("core_clock_ghz", hz / 1e9, "GHz"));
    AddPeak(context, c, cpu, uarch, threads, hz, isa_clock, parts, gflops, paired_gflops, r);
  }

  // Peaks from the measured units at the clock under this ISA, the table as a cross-check.
  void AddPeak(const RunContext& context, const Case& c, const CpuFeatures& cpu,
               const Microarchitecture& uarch, int threads, double hz, const IsaClock& isa_clock,
               const MulAddParts& parts, double gflops, double paired_gflops, Result& r) {
    const bool ints = IsInt(c.type);
    const std::string unit = ints ? "GOP/s" : "GFLOP/s";
    const std::string per_cycle = ints ? "op/cycle" : "FLOP/cycle";
    // The peak counts the cycles the batches got at the clock of their instructions (`hz`, the
    // median chained probe beside them). The licence ratio (fastest chained run against the
    // fastest scalar chain beside it) is the drop reported.
    const double ratio =
        isa_clock.hz > 0 && isa_clock.scalar_hz > 0 ? isa_clock.hz / isa_clock.scalar_hz : 1.0;
    if (isa_clock.hz > 0) {
      r.Param("isa_clock_method",
              fmt::format("add chain interleaved with the kernel ({} adds per pass; the chained "
                          "pass took {:.2f}x the plain one, so the chain bound{})",
                          kernels::ClockChainAddsPerIteration(c.isa, c.type, c.op),
                          isa_clock.chain_ratio,
                          isa_clock.rounds > 1
                              ? fmt::format("; {} rounds of runs, the first read above the peak",
                                            isa_clock.rounds)
                              : ""));
      r.Add(Measured("isa_clock_ghz", isa_clock.hz / 1e9, "GHz"));
      r.Add(Measured("scalar_clock_ghz", isa_clock.scalar_hz / 1e9, "GHz"));
      r.Add(Computed("clock_drop_pct", 100.0 * (1.0 - ratio), "%"));
      r.Add(Computed("peak_clock_ghz", hz / 1e9, "GHz"));
      clocks_[{c.isa, threads}].push_back(
          {isa_clock.scalar_hz, isa_clock.hz, c.op == FlopsOp::kFma && !ints});
    } else {
      r.Param("isa_clock_method",
              fmt::format("none: the interleaved add chain did not bind (chained pass {:.2f}x the "
                          "plain one); peaks use the scalar clock",
                          isa_clock.chain_ratio));
    }
    // Operations per cycle on one core at the clock under this ISA: from the median batches
    // and the clock they got, and from the fastest short runs beside the chain (an interruption
    // only slows a run, so these hold on a busy machine too, and the units come from them).
    const double per_core_cycle = gflops * 1e9 / busy_cores_ / hz;
    r.Add(Computed("flop_per_isa_cycle", per_core_cycle, per_cycle, Better::kHigher));
    const double per_unit = OpsPerUnitCycle(c.isa, c.type, c.op);
    const FastUnits fast =
        UnitsFromFastestRuns(c.isa, c.type, c.op, threads, busy_cores_, isa_clock, parts);
    double best_per_cycle = per_core_cycle;
    if (fast.best_per_cycle > 0) {
      best_per_cycle = fast.best_per_cycle;
      r.Add(Computed("best_flop_per_isa_cycle", best_per_cycle, per_cycle, Better::kHigher));
    }
    const double units =
        fast.best_per_cycle > 0 ? fast.units : UnitsFromRate(best_per_cycle, per_unit);
    if (fast.mul_units > 0 && fast.add_units > 0) {
      r.Add(Measured("mul_units", fast.mul_units, ""));
      r.Add(Measured("add_units", fast.add_units, ""));
    }
    r.Add(Measured("units", units, ""));
    const double peak = units * per_unit;
    const double peak_gflops = busy_cores_ * hz * peak / 1e9;
    r.Add(Computed("peak_flop_per_cycle", peak, per_cycle));
    r.Add(Computed("peak_gflops", peak_gflops, unit));
    std::string problem, best_problem;
    const auto best = PercentOfPeak(best_per_cycle, peak, best_problem);
    if (best) {
      r.Add(Computed("best_pct_of_peak", *best, "%", Better::kNone));
    }
    if (const auto pct = PercentOfPeak(paired_gflops, peak_gflops, problem)) {
      // No direction: a change says as much about the peak (units, clock) as about the kernel, and
      // a corrected peak (187% -> 99%) is not a regression; gflops and flop_per_cycle carry the
      // kernel's (docs/ci.md).
      r.Add(Computed("pct_of_peak", *pct, "%", Better::kNone));
    } else if (best) {
      // The fastest short runs fit the peak: the median batches and their clock probes got
      // different shares of the core.
      context.notes.Warn(fmt::format(
          "flops: {} median batches at {:.2f}% of the peak at their probes' clock, but the "
          "fastest short runs at {:.2f}%: the batches and their clock probes got different shares "
          "of the core (a busy machine?), so no pct_of_peak is given",
          r.case_id, 100.0 * paired_gflops / peak_gflops, *best));
    } else {
      context.notes.Warn("flops: " + r.case_id + " " + problem);
    }
    // The model-number table, a cross-check only.
    if (!uarch.name.empty()) r.Param("uarch", uarch.name);
    std::string why;
    const std::optional<double> table =
        PeakOpsPerCycle(cpu.vendor, cpu.family, cpu.model, c.isa, c.type, c.op, why);
    if (table) {
      r.Add(LookedUp("lookup_peak_flop_per_cycle", *table, per_cycle));
      const double table_units = *table / per_unit;
      if (units > 0 && std::abs(table_units - units) > 0.01 * units) {
        disagreements_.push_back({r.case_id, table_units, units});
      }
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
          Result r("flops", fmt::format("summary/{}/{}/threads={}", op_name, type_name, threads));
          r.Param("dtype", type_name)
              .Param("op", op_name)
              .Param("threads", std::to_string(threads));
          for (const auto& [isa_name, isa] : kIsas) {
            if (isa == FlopsIsa::kScalar) continue;
            const auto packed = measured.find({type, op, threads, isa});
            if (packed == measured.end()) continue;
            r.Add(Computed("speedup_" + isa_name + "_vs_scalar", packed->second / scalar->second,
                           "x", Better::kHigher));
          }
          if (!r.metrics.empty()) sink.Emit(std::move(r));
        }
      }
    }
  }

  // The clock under each ISA, as a result of its own: per (isa, cores, threads) the scalar and
  // the ISA clock of every case that measured one.
  struct ClockPair {
    double scalar_hz, isa_hz;
    bool float_fma;
  };
  void EmitClockSummaries(ResultSink& sink) const {
    for (const auto& [key, pairs] : clocks_) {
      const auto& [isa, threads] = key;
      // Prefer the float FMA cases: the heaviest instructions, the ones a licence is about.
      const bool any_fma =
          std::any_of(pairs.begin(), pairs.end(), [](const ClockPair& p) { return p.float_fma; });
      std::vector<double> scalar, wide, drops;
      for (const ClockPair& p : pairs) {
        if (any_fma && !p.float_fma) continue;
        scalar.push_back(p.scalar_hz / 1e9);
        wide.push_back(p.isa_hz / 1e9);
        drops.push_back(100.0 * (1.0 - p.isa_hz / p.scalar_hz));
      }
      const double scalar_ghz = Median(scalar);
      Result r("flops", fmt::format("clock/{}/threads={}", NameOf(kIsas, isa), threads));
      r.Param("isa", NameOf(kIsas, isa))
          .Param("threads", std::to_string(threads))
          .Param("from_cases", any_fma ? "float fma" : "all measured")
          .Param("method", "dependent add chain interleaved with the kernel (docs/flops.md)");
      r.Add(Measured("scalar_clock_ghz", scalar_ghz, "GHz"));
      // The cases' ISA clocks are its samples (their median is the value, their spread shown).
      r.AddSampled("isa_clock_ghz", wide, "GHz", Better::kNone);
      r.Add(Computed("clock_drop_pct", Median(drops), "%"));
      sink.Emit(std::move(r));
    }
  }

  // The GPU cases of the chosen data types (the GPU's own operations: --isa and --op are the
  // CPU's).
  static gpu::BestByDtype RunGpu(const RunContext& context, const std::vector<FlopsType>& types,
                                 ResultSink& sink) {
    std::vector<std::string> dtypes;
    for (FlopsType type : types) dtypes.push_back(NameOf(kTypes, type));
    const gpu::Devices& devices = gpu::CachedDevices();
    gpu::GpuPart part(context, "flops", sink);
    return part.MeasureArithmetic(devices, gpu::OpsOfDtypes(dtypes));
  }

  // The seed's comparison: per data type, the fastest GPU case over the fastest CPU case on all
  // the workers this run used.
  static void EmitGpuVsCpu(
      const std::map<std::tuple<FlopsType, FlopsOp, int, FlopsIsa>, double>& measured, int threads,
      const gpu::BestByDtype& gpu_best, ResultSink& sink) {
    for (const auto& [dtype, gpu_rate] : gpu_best) {
      double cpu_rate = 0;
      std::string cpu_case;
      for (const auto& [key, gflops] : measured) {
        const auto& [type, op, case_threads, isa] = key;
        if (NameOf(kTypes, type) != dtype || case_threads != threads || gflops <= cpu_rate) {
          continue;
        }
        cpu_rate = gflops;
        cpu_case = FlopsCaseName({op, type, isa, threads});
      }
      if (cpu_rate <= 0 || gpu_rate.rate <= 0) continue;
      Result r("flops", "summary/gpu_vs_cpu/" + dtype);
      r.Param("dtype", dtype).Param("gpu_case", gpu_rate.case_id).Param("cpu_case", cpu_case);
      const std::string unit = dtype.rfind("int", 0) == 0 ? "GOP/s" : "GFLOP/s";
      r.Add(Computed("gpu_gflops", gpu_rate.rate, unit));
      r.Add(Computed("cpu_gflops", cpu_rate, unit));
      r.Add(Computed("gpu_vs_cpu", gpu_rate.rate / cpu_rate, "x"));
      sink.Emit(std::move(r));
    }
  }

  std::map<std::pair<FlopsIsa, int>, std::vector<ClockPair>> clocks_;
  std::vector<UnitsDisagreement> disagreements_;
  std::string isa_ = "all";
  std::string dtype_ = "all";
  std::string op_;  // empty: fma (mul+add for int32)
  std::string device_ = "cpu";
  int busy_cores_ = 1;
};

}  // namespace

std::unique_ptr<Command> MakeFlopsCommand() { return std::make_unique<FlopsCommand>(); }

}  // namespace sysbench
