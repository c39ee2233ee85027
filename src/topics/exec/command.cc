// `sysbench exec`: the seed's three ways to run code, measured on one small program. The loop
// z = 2 * (a - b) + c and a sum of squares run as compiled C++, as bytecode on a stack VM, on a
// tree-walking interpreter, and in CPython (a child process) when python3 is on the PATH; each on
// 1..N threads, CPython also on 1..N processes (its interpreter lock). All ways must compute the
// same bits, checked on an untimed pass before any row is reported (docs/exec.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <map>

#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/units.h"
#include "topics/exec/child_process.h"
#include "topics/exec/instruction_counter.h"
#include "topics/exec/kernels/expr.h"
#include "topics/exec/kernels/ways.h"
#include "topics/exec/python_way.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

// A pass is microseconds long: short batches keep the whole run within its budget.
constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{5, 3},
                                 .min_time = ByMode<double>{0.02, 0.004},
                                 .warmup = ByMode<double>{0.02, 0.004}};

namespace k = kernels;

const std::vector<std::string> kWays = {"native", "vm", "tree", "python"};
const std::vector<std::string> kPrograms = {"update", "sum"};
constexpr const char* kSeedUpdate = "2 * (a - b) + c";
constexpr const char* kSeedSum = "x * x";
// Elements one timed iteration covers per worker (whole passes over the arrays).
constexpr std::uint64_t kOpsPerIteration = 1 << 16;

// The inputs, the same formulas as the Python script's (python_way.cc): exact on both sides.
struct ExecData {
  std::vector<double> vars[k::kExprVars];
  std::vector<double> z;

  explicit ExecData(std::size_t n) : z(n) {
    const double divisors[k::kExprVars] = {7.0, 3.0, 11.0, 13.0};
    const std::size_t moduli[k::kExprVars] = {97, 89, 83, 101};
    for (int v = 0; v < k::kExprVars; ++v) {
      vars[v].resize(n);
      for (std::size_t i = 0; i < n; ++i) {
        vars[v][i] = static_cast<double>(i % moduli[v]) / divisors[v];
      }
    }
  }
  k::ExecArrays View() const {
    k::ExecArrays in;
    for (int v = 0; v < k::kExprVars; ++v) in.vars[v] = vars[v].data();
    in.n = z.size();
    return in;
  }
};

struct Program {
  std::string name;  // "update" or "sum"
  std::string text;  // as the user wrote it
  k::Expr expr;
  bool native = false;  // the expression is the seed's, which the compiled code computes
  k::Bytecode bytecode;
};

k::Expr ParseOption(const std::string& text, const std::string& option) {
  const k::ParseResult parsed = k::ParseExpr(text);
  if (!parsed.ok) {
    throw UsageError(option + " '" + text + "': " + parsed.error + " (at character " +
                     std::to_string(parsed.error_at + 1) + ")");
  }
  return parsed.expr;
}

Program MakeProgram(const std::string& name, const std::string& text, const std::string& option) {
  Program p;
  p.name = name;
  p.text = text;
  p.expr = ParseOption(text, option);
  const bool update = name == "update";
  p.native = k::SameExpr(p.expr, k::ParseExpr(update ? kSeedUpdate : kSeedSum).expr);
  const bool compiled =
      update ? k::CompileUpdate(p.expr, &p.bytecode) : k::CompileSum(p.expr, &p.bytecode);
  if (!compiled) throw UsageError(option + " '" + text + "': too large for the bytecode VM");
  return p;
}

// One pass of a way over the data; returns a value that depends on all of it being done.
double RunOnce(const Program& p, const std::string& way, ExecData& data) {
  const k::ExecArrays in = data.View();
  const bool update = p.name == "update";
  double* z = data.z.data();
  if (way == "native") {
    if (!update) return k::NativeSumOfSquares(in);
    k::NativeUpdate(in, z);
  } else if (way == "vm") {
    const double sum = k::RunVm(p.bytecode, in, z);
    if (!update) return sum;
  } else {
    if (!update) return k::TreeSum(p.expr, in);
    k::TreeUpdate(p.expr, in, z);
  }
  return z[in.n - 1];
}

// The value every way is compared on: the sum itself, or z summed left to right.
double Checksum(const Program& p, const std::string& way, std::size_t n) {
  ExecData data(n);
  const double value = RunOnce(p, way, data);
  return p.name == "update" ? k::SequentialSum(data.z.data(), n) : value;
}

std::string HexFloat(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%a", value);
  return text;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

struct alignas(64) PaddedValue {
  double value = 0;
};

Result MakeRow(const Program& p, const std::string& way, const std::string& parallel, int workers) {
  Result r("exec", p.name + "/" + way + "/" + parallel + "=" + std::to_string(workers));
  r.Param("program", p.name).Param("expr", p.text).Param("way", way);
  r.Param("parallel", parallel).Param("workers", std::to_string(workers));
  return r;
}

// Calibrates each batch alone, then takes the samples in rounds, one of each batch per round, so
// that load that comes and goes touches every way alike and the ratios between them hold.
std::vector<std::vector<Sample>> MeasureInterleaved(const TimingOptions& timing,
                                                    const std::vector<TimedBatchFn>& batches) {
  TimingOptions calibration = timing;
  calibration.repetitions = 1;
  const Runner runner(calibration);
  std::vector<std::uint64_t> iterations;
  for (const TimedBatchFn& batch : batches) {
    iterations.push_back(runner.MeasureTimed(batch).front().iterations);
  }
  std::vector<std::vector<Sample>> samples(batches.size());
  for (int round = 0; round < std::max(timing.repetitions, 1); ++round) {
    for (std::size_t i = 0; i < batches.size(); ++i) {
      samples[i].push_back(Sample{batches[i](iterations[i]), iterations[i]});
    }
  }
  return samples;
}

class ExecCommand final : public Command {
 public:
  std::string_view Name() const override { return "exec"; }
  std::string_view Summary() const override {
    return "Compiled C++ vs bytecode VM vs tree interpreter vs CPython on one loop, threads and "
           "the GIL";
  }
  std::vector<std::string> GateMetrics() const override { return {"ns_per_op"}; }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--way", ways_, "Ways: native,vm,tree,python (default all)");
    sub.add_option("--program", programs_, "Programs: update,sum (default both)");
    sub.add_option("--expr", update_expr_,
                   "The update loop's expression over a, b, c, x (default '2 * (a - b) + c'; "
                   "native runs only the default)");
    sub.add_option("--sum-expr", sum_expr_, "The summed expression (default 'x * x')");
    sub.add_option("--elements", elements_, "Elements per thread and pass (default 4096)");
    sub.add_option("--python", python_, "The CPython to run (default python3 on the PATH)");
    sub.add_option("--python-timeout", python_timeout_,
                   "Seconds a CPython child may run before it is killed (default 60)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    const std::vector<std::string> ways = ParseNameList(ways_, "--way", kWays);
    const std::vector<std::string> names = ParseNameList(programs_, "--program", kPrograms);
    const auto n = static_cast<std::size_t>(ParseInt(elements_, "--elements", 1, 1 << 20));
    const double timeout = ParseSeconds(python_timeout_, "--python-timeout", 1, 3600);
    std::vector<Program> programs;
    Program update = MakeProgram("update", update_expr_, "--expr");
    Program sum = MakeProgram("sum", sum_expr_, "--sum-expr");
    for (const std::string& name : names) programs.push_back(name == "update" ? update : sum);
    const std::vector<int> cpus = WorkerCpus(config.cpus);
    std::vector<int> counts = config.threads;
    if (counts.empty()) counts = {1, std::max(1, static_cast<int>(cpus.size()))};
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());

    const TimingOptions timing = context.Timing(kTiming);

    const bool want_python = std::find(ways.begin(), ways.end(), "python") != ways.end();
    std::string python_path, python_skip;
    double start_seconds = -1;
    if (want_python) {
      python_path = FindProgram(python_);
      if (python_path.empty()) {
        python_skip =
            python_ + " not found" + (python_.find('/') == std::string::npos ? " on the PATH" : "");
      } else {
        start_seconds = InterpreterStartSeconds(python_path, config.quick ? 1 : 3, timeout);
        if (start_seconds < 0) python_skip = python_path + " -c pass failed";
      }
    }
    // One CPython child runs every program first, so the in-process ways are timed without it.
    PythonRun python;
    if (want_python && python_skip.empty()) {
      PythonPlan plan;
      plan.interpreter = python_path;
      plan.programs = names;
      plan.elements = n;
      plan.samples = timing.repetitions;
      plan.min_seconds = timing.min_time;
      plan.workers = counts;
      plan.timeout_seconds = timeout;
      python = RunPython(plan, update.expr, sum.expr);
    } else {
      python.skipped = python_skip;
    }
    if (want_python && !python.skipped.empty()) {
      context.notes.Note("exec: python skipped: " + python.skipped);
    }
    InstructionCounter counter;
    if (!counter.Available()) {
      context.notes.Note("exec: instructions per operation not counted: " + counter.Reason());
    }

    for (const Program& p : programs) {
      std::vector<Result> rows;
      // Correctness first: every way's bits against the first in-process way's.
      Result check("exec", p.name + "/check");
      check.Param("program", p.name).Param("expr", p.text);
      std::string reference_way;
      double reference = 0;
      std::vector<std::string> agreed;
      for (const std::string& way : ways) {
        if (way == "python" || (way == "native" && !p.native)) continue;
        const double value = Checksum(p, way, n);
        if (reference_way.empty()) {
          reference_way = way;
          reference = value;
        } else if (!SameBits(value, reference)) {
          throw RuntimeError("exec: " + p.name + ": " + way + " computes " + HexFloat(value) +
                             " where " + reference_way + " computes " + HexFloat(reference));
        }
        agreed.push_back(way);
      }

      if (want_python && python.skipped.empty()) {
        const double value = *python.programs.at(p.name).checksum;
        if (reference_way.empty()) {
          reference_way = "python";
          reference = value;
        } else if (!SameBits(value, reference)) {
          throw RuntimeError("exec: " + p.name + ": python computes " + HexFloat(value) +
                             " where " + reference_way + " computes " + HexFloat(reference));
        }
        agreed.push_back("python");
      }
      check.Add({"checksum", HexFloat(reference), "", Better::kNone, Source::kComputed});
      check.Add(
          {"ways_agreeing_bit_for_bit", Join(agreed, ","), "", Better::kNone, Source::kComputed});
      sink.Emit(std::move(check));

      for (int workers : counts) {
        WorkerTeam team(workers, cpus);
        std::vector<ExecData> data;
        for (int w = 0; w < workers; ++w) data.emplace_back(n);
        std::vector<PaddedValue> kept(static_cast<std::size_t>(workers));
        // One iteration is a block of passes of about kOpsPerIteration elements, so that even
        // the first calibration batch is long next to the barrier that starts the workers.
        const std::uint64_t passes = std::max<std::uint64_t>(1, kOpsPerIteration / n);
        std::vector<std::string> timed;
        std::vector<TimedBatchFn> batches;
        for (const std::string& way : ways) {
          if (way == "python") continue;
          if (way == "native" && !p.native) {
            Result r = MakeRow(p, way, "threads", workers);
            r.skipped = "native code is compiled for the seed's expression only ('" +
                        std::string(p.name == "update" ? kSeedUpdate : kSeedSum) + "')";
            rows.push_back(std::move(r));
            continue;
          }
          timed.push_back(way);
          batches.push_back([&, way](std::uint64_t iterations) {
            return TimedTeamRun(team, [&](int w) {
              const auto index = static_cast<std::size_t>(w);
              double keep = 0;
              for (std::uint64_t i = 0; i < iterations * passes; ++i) {
                keep += RunOnce(p, way, data[index]);
                ClobberMemory();
              }
              kept[index].value = keep;
            });
          });
        }
        const std::vector<std::vector<Sample>> samples = MeasureInterleaved(timing, batches);
        DoNotOptimize(kept[0].value);
        for (std::size_t i = 0; i < timed.size(); ++i) {
          Result r = MakeRow(p, timed[i], "threads", workers);
          const double ops = static_cast<double>(passes * n * static_cast<std::size_t>(workers));
          r.AddSampled("ns_per_op", PerIteration(samples[i], 1e9 / ops), "ns", Better::kLower);
          if (workers == 1 && counter.Available()) {
            constexpr int kPasses = 16;
            counter.Start();
            for (int pass = 0; pass < kPasses; ++pass) {
              DoNotOptimize(RunOnce(p, timed[i], data[0]));
            }
            const std::uint64_t instructions = counter.Stop();
            r.Add(
                {"instructions_per_op",
                 static_cast<double>(instructions) / static_cast<double>(std::size_t{kPasses} * n),
                 "", Better::kLower, Source::kMeasured});
          }
          rows.push_back(std::move(r));
        }
      }
      if (want_python) {
        if (!python.skipped.empty()) {
          Result r = MakeRow(p, "python", "threads", counts.front());
          r.skipped = python.skipped;
          rows.push_back(std::move(r));
        }
        const auto found = python.programs.find(p.name);
        const std::vector<PythonRow> none;
        for (const PythonRow& row : found == python.programs.end() ? none : found->second.rows) {
          Result r = MakeRow(p, "python", row.parallel, row.workers);
          r.AddSampled("ns_per_op", row.ns_per_op, "ns", Better::kLower);
          if (row.workers == counts.front() && row.parallel == "threads") {
            r.Add({"interpreter_start_ms", start_seconds * 1e3, "ms", Better::kLower,
                   Source::kMeasured});
            r.Add({"python_version", python.version, "", Better::kNone, Source::kLookedUp});
            r.Add({"gil", python.gil, "", Better::kNone, Source::kLookedUp});
            r.Add({"instructions_per_op", std::string("not counted (another process)"), "",
                   Better::kNone, Source::kComputed});
          }
          rows.push_back(std::move(r));
        }
      }
      AddRatios(rows);
      for (Result& r : rows) sink.Emit(std::move(r));
    }
  }

 private:
  // Slowdown against native at the same worker count, and speed-up against one worker of the
  // same way and kind of parallelism.
  static void AddRatios(std::vector<Result>& rows) {
    auto param = [](const Result& r, const std::string& key) {
      for (const auto& [k, v] : r.params) {
        if (k == key) return v;
      }
      return std::string();
    };
    auto ns = [](const Result& r) {
      const Metric* m = r.Find("ns_per_op");
      return m == nullptr ? 0.0 : AsDouble(m->value);
    };
    std::map<std::string, double> native, single;
    for (const Result& r : rows) {
      if (r.skipped) continue;
      if (param(r, "way") == "native") native[param(r, "workers")] = ns(r);
      if (param(r, "workers") == "1") single[param(r, "way") + "/" + param(r, "parallel")] = ns(r);
    }
    for (Result& r : rows) {
      if (r.skipped) continue;
      const auto base = native.find(param(r, "workers"));
      if (base != native.end() && base->second > 0 && param(r, "way") != "native") {
        r.Add({"slowdown_vs_native", ns(r) / base->second, "x", Better::kLower, Source::kComputed});
      }
      const auto one = single.find(param(r, "way") + "/" + param(r, "parallel"));
      if (one != single.end() && ns(r) > 0 && param(r, "workers") != "1") {
        r.Add(
            {"speedup_vs_1_worker", one->second / ns(r), "x", Better::kHigher, Source::kComputed});
      }
    }
  }

  std::string ways_ = "native,vm,tree,python";
  std::string programs_ = "update,sum";
  std::string update_expr_ = kSeedUpdate;
  std::string sum_expr_ = kSeedSum;
  std::string elements_ = "4096";
  std::string python_ = "python3";
  std::string python_timeout_ = "60";
};

}  // namespace

std::unique_ptr<Command> MakeExecCommand() { return std::make_unique<ExecCommand>(); }

}  // namespace sysbench
