// `sysbench exec`: the seed's three ways to run code, measured on one small program. The loop
// z = 2 * (a - b) + c and a sum of squares run as compiled C++, as bytecode on a stack VM, on a
// tree-walking interpreter, and in CPython (a child process) when python3 is on the PATH; each on
// 1..N pinned threads, CPython also on 1..N pinned processes (its interpreter lock). All ways must
// compute the same bits, checked on an untimed pass before any row is reported. What a way costs
// is its CPU time; what a user waits for, and so a speed-up, is wall time (docs/exec.md).
#include <CLI/CLI.hpp>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <functional>
#include <map>
#include <memory>
#include <optional>

#include "sysbench/clock.h"
#include "sysbench/do_not_optimize.h"
#include "sysbench/error.h"
#include "sysbench/parallel.h"
#include "sysbench/units.h"
#include "topics/exec/child_process.h"
#include "topics/exec/instruction_counter.h"
#include "topics/exec/programs.h"
#include "topics/exec/python_way.h"
#include "topics/exec/rounds.h"
#include "topics/registry.h"

namespace sysbench {
namespace {

// A pass is microseconds long, and the CPU clock a way is costed on resolves short batches: many
// short rounds make a steadier median than a few long ones, and on a busy machine a short sample
// more often runs with every worker on its CPU (2 ms samples had enough such rounds where 5 ms
// ones had none; docs/exec.md, Stability).
constexpr TimingDefaults kTiming{.repetitions = ByMode<int>{25, 7},
                                 .min_time = ByMode<double>{0.002, 0.0015},
                                 .warmup = ByMode<double>{0.002, 0.0015}};

const std::vector<std::string> kWays = {"native", "vm", "tree", "python"};
const std::vector<std::string> kPrograms = {"update", "sum"};
// Elements one timed iteration covers per worker (whole passes over the arrays).
constexpr std::uint64_t kOpsPerIteration = 1 << 16;
// The round set of every RoundSeries: CPython's rounds alternate with the in-process ones, so a
// CPython sample pairs with the in-process samples of its round.
constexpr int kInProcessRounds = 1;
// Passes the instruction count of one way is taken over.
constexpr int kCountedPasses = 16;
// CPython children the rounds are dealt to (PythonChildren), unless --interpreters says: one per
// planned round, at most this many (each holds its pools of forked workers and threads).
constexpr int kMaxInterpreters = 10;

// Rounds that may be added when too few had every worker on its CPU (MeasureRounds): half as many
// again as planned at most, so that a run on a busy machine stays within its time (10 s, quick 2).
int ExtraRounds(const TimingOptions& timing) { return (std::max(timing.repetitions, 1) + 1) / 2; }

std::string HexFloat(double value) {
  char text[48];
  std::snprintf(text, sizeof text, "%a", value);
  return text;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

struct alignas(64) PaddedValue {
  double value = 0;
};

// One row of the table and the rounds its figures come from.
struct Row {
  Result result;
  std::string way, parallel;
  int workers = 1;
  RoundSeries series;  // empty for skipped rows
};

Row MakeRow(const Program& p, const std::string& way, const std::string& parallel, int workers) {
  Row row{Result("exec", p.name + "/" + way + "/" + parallel + "=" + std::to_string(workers)), way,
          parallel, workers, RoundSeries{}};
  row.result.Param("program", p.name).Param("expr", p.text).Param("way", way);
  row.result.Param("parallel", parallel).Param("workers", std::to_string(workers));
  return row;
}

// The figures every measured row has: CPU time per element (the sampled headline, with its
// spread), wall time per element, how many CPUs the workers kept busy on average, and in how many
// rounds a worker waited for its CPU.
void AddTimes(Row& row) {
  Result& r = row.result;
  r.AddSampled("cpu_ns_per_op", row.series.cpu_ns, "ns", Better::kLower);
  r.Add(Measured("ns_per_op", Median(row.series.wall_ns), "ns", Better::kLower));
  std::vector<double> busy;
  for (std::size_t i = 0; i < row.series.wall_ns.size(); ++i) {
    if (row.series.wall_ns[i] > 0) {
      busy.push_back(row.series.cpu_ns[i] / row.series.wall_ns[i]);
    }
  }
  r.Add(Computed("cpus_used", Median(busy), "", Better::kNone));
  std::uint64_t without = 0;
  for (std::size_t i = 0; i < row.series.wall_ns.size(); ++i) without += !row.series.HadCpus(i);
  r.Add(Computed("rounds_without_cpus", without, "", Better::kLower));
}

// Workers' teams, one per worker count, alive together so that every count is sampled in every
// round; taken down in the reverse order, so that the calling thread's affinity comes back.
class Teams {
 public:
  Teams() = default;
  Teams(const Teams&) = delete;
  Teams& operator=(const Teams&) = delete;
  ~Teams() {
    while (!teams_.empty()) teams_.pop_back();
  }
  WorkerTeam& Add(int workers, const std::vector<int>& cpus) {
    teams_.push_back(std::make_unique<WorkerTeam>(workers, cpus));
    return *teams_.back();
  }

 private:
  std::vector<std::unique_ptr<WorkerTeam>> teams_;
};

// What one team's workers work on: their own arrays, and where each leaves its result and the
// CPU time it ran.
struct TeamData {
  WorkerTeam* team = nullptr;
  std::vector<ExecData> data;
  std::vector<PaddedValue> kept, cpu;
};

DualBatchFn WayBatch(TeamData& t, const Program& p, const std::string& way, std::uint64_t passes) {
  return [&t, &p, way, passes](std::uint64_t iterations) {
    const double wall = TimedTeamRun(*t.team, [&](int w) {
      const auto index = static_cast<std::size_t>(w);
      const double cpu_start = ThreadCpuSeconds();
      double keep = 0;
      for (std::uint64_t i = 0; i < iterations * passes; ++i) {
        keep += RunOnce(p, way, t.data[index]);
        ClobberMemory();
      }
      t.cpu[index].value = ThreadCpuSeconds() - cpu_start;
      t.kept[index].value = keep;
    });
    SampleClocks clocks{wall, 0, t.cpu[0].value};
    for (const PaddedValue& c : t.cpu) {
      clocks.cpu += c.value;
      clocks.cpu_least = std::min(clocks.cpu_least, c.value);
    }
    return clocks;
  };
}

// Native, VM and tree on every worker count, all sampled in the same rounds (so a speed-up is the
// ratio of two samples of one round, like a slowdown); after each round, `after_round` (CPython's
// round, which says whether its workers had their CPUs).
std::vector<Row> MeasureInProcess(const Program& p, const std::vector<std::string>& ways,
                                  const std::vector<int>& counts, const std::vector<int>& cpus,
                                  std::size_t n, const TimingOptions& timing,
                                  const std::function<bool()>& after_round) {
  Teams teams;
  std::vector<std::unique_ptr<TeamData>> sets;
  std::vector<Row> rows;
  std::vector<std::size_t> timed_rows;
  std::vector<DualBatchFn> batches;
  // One iteration is a block of passes of about kOpsPerIteration elements, so that even the first
  // calibration batch is long next to the barrier that starts the workers.
  const std::uint64_t passes = std::max<std::uint64_t>(1, kOpsPerIteration / n);
  for (int workers : counts) {
    auto set = std::make_unique<TeamData>();
    set->team = &teams.Add(workers, cpus);
    for (int w = 0; w < workers; ++w) set->data.emplace_back(n);
    set->kept.resize(static_cast<std::size_t>(workers));
    set->cpu.resize(static_cast<std::size_t>(workers));
    for (const std::string& way : ways) {
      if (way == "python") continue;
      Row row = MakeRow(p, way, "threads", workers);
      if (way == "native" && !p.native) {
        row.result.skipped = "native code is compiled for the seed's expression only ('" +
                             std::string(p.name == "update" ? kSeedUpdate : kSeedSum) + "')";
      } else {
        timed_rows.push_back(rows.size());
        batches.push_back(WayBatch(*set, p, way, passes));
      }
      rows.push_back(std::move(row));
    }
    sets.push_back(std::move(set));
  }
  const std::vector<BatchSamples> samples =
      MeasureRounds(timing, batches, ExtraRounds(timing), after_round);
  for (const auto& set : sets) DoNotOptimize(set->kept[0].value);

  for (std::size_t i = 0; i < timed_rows.size(); ++i) {
    Row& row = rows[timed_rows[i]];
    const double ops = static_cast<double>(samples[i].iterations * passes * n) * row.workers;
    row.series.round_set = kInProcessRounds;
    for (const SampleClocks& s : samples[i].rounds) {
      row.series.wall_ns.push_back(s.wall * 1e9 / ops);
      row.series.cpu_ns.push_back(s.cpu * 1e9 / ops);
      row.series.cpu_share.push_back(CpuShare(s, false));
    }
    AddTimes(row);
  }
  return rows;
}

// Retired instructions per element of one way on one thread, where the machine counts them.
void AddInstructions(Row& row, const Program& p, std::size_t n, InstructionCounter& counter) {
  if (!counter.Available()) return;
  ExecData data(n);
  DoNotOptimize(RunOnce(p, row.way, data));
  counter.Start();
  for (int pass = 0; pass < kCountedPasses; ++pass) DoNotOptimize(RunOnce(p, row.way, data));
  const std::uint64_t instructions = counter.Stop();
  row.result.Add(Measured(
      "instructions_per_op",
      static_cast<double>(instructions) / static_cast<double>(std::size_t{kCountedPasses} * n), "",
      Better::kLower));
}

// Why a ratio is flagged: too few of its rounds had every worker on its CPU.
std::string WithoutCpus(const RoundRatio& ratio) {
  char share[32];
  std::snprintf(share, sizeof share, "%.0f%%", 100 * ratio.least_share);
  const int had = ratio.rounds_with_cpus;
  std::string why = "had every worker on its CPU in " + std::to_string(had) + " of " +
                    std::to_string(ratio.rounds_taken) + " rounds (in the others a worker ran " +
                    "as little as " + share + " of the wall: other load or the hypervisor held " +
                    "its CPU); ";
  if (ratio.withheld) return why + "not reported: no round measured the way itself";
  why += "the value is the median of ";
  why += ratio.rounds_used == had ? "those " + std::to_string(had) : std::string("all of them");
  return why;
}

// Slowdown against native, on CPU time (what each way costs), at the first worker count only:
// with more workers than one, what a worker costs depends on whether the others ran beside it at
// that moment (two vCPUs may be one core's two threads on the host), which other load decides.
// Speed-up against one worker of the same way and kind of parallelism, on wall time (what a user
// waits for). Each is the median of per-round ratios, taken from the rounds in which every worker
// of both sides had its CPU (RatioOf), with their spread and how many rounds; a speed-up with too
// few such rounds is flagged with the reason, and ratios that spread more than a sampled figure may
// (kUnstableMdapePercent) are said on stderr.
void AddRatios(std::vector<Row>& rows, int first_count, int rounds_needed, Notes& notes) {
  const Row* native = nullptr;
  std::map<std::string, const Row*> single;
  for (const Row& row : rows) {
    if (row.result.skipped) continue;
    if (row.way == "native" && row.workers == first_count) native = &row;
    if (row.workers == 1) single[row.way + "/" + row.parallel] = &row;
  }
  auto add = [&notes](Row& row, const std::string& name, const RoundRatio& ratio, Better better) {
    if (ratio.withheld) {
      const std::string why = WithoutCpus(ratio);
      row.result.Add(Computed(name + "_flag", why));
      notes.Warn("exec " + row.result.case_id + " " + name + " " + why);
      return;
    }
    row.result.Add(Computed(name, ratio.value, "x", better));
    row.result.Add(Computed(name + "_spread_pct", ratio.spread_pct, "%", Better::kNone));
    row.result.Add(Computed(name + "_rounds", static_cast<std::uint64_t>(ratio.rounds_used)));
    if (!ratio.had_cpus) {
      const std::string why = WithoutCpus(ratio);
      row.result.Add(Computed(name + "_flag", why));
      notes.Warn("exec " + row.result.case_id + " " + name + " " + why);
    } else if (ratio.spread_pct > kUnstableMdapePercent) {
      char spread[32];
      std::snprintf(spread, sizeof spread, "%.1f%%", ratio.spread_pct);
      notes.Warn("exec " + row.result.case_id + " " + name + " is unstable (median deviation " +
                 spread + " between rounds)");
    }
  };
  for (Row& row : rows) {
    if (row.result.skipped) continue;
    if (native != nullptr && row.way != "native" && row.workers == first_count) {
      add(row, "slowdown_vs_native",
          RatioOf(row.series, native->series, RatioClock::kCpu, rounds_needed), Better::kLower);
    }
    const auto one = single.find(row.way + "/" + row.parallel);
    if (one != single.end() && row.workers != 1) {
      add(row, "speedup_vs_1_worker",
          RatioOf(one->second->series, row.series, RatioClock::kWall, rounds_needed),
          Better::kHigher);
    }
  }
}

// The CPython child for every program, and why there is none.
struct PythonSide {
  std::unique_ptr<PythonChildren> child;
  std::string skipped;
  double start_seconds = -1;

  const std::string& Skipped() const { return child ? child->Skipped() : skipped; }
};

class ExecCommand final : public Command {
 public:
  std::string_view Name() const override { return "exec"; }
  std::string_view Summary() const override {
    return "Compiled C++ vs bytecode VM vs tree interpreter vs CPython on one loop, threads and "
           "the GIL";
  }
  std::vector<std::string> GateMetrics() const override { return {"cpu_ns_per_op"}; }
  void AddOptions(CLI::App& sub) override {
    sub.add_option("--way", ways_, "Ways: native,vm,tree,python (default all)");
    sub.add_option("--program", programs_, "Programs: update,sum (default both)");
    sub.add_option("--expr", update_expr_,
                   "The update loop's expression over a, b, c, x (default '2 * (a - b) + c'; "
                   "native runs only the default)");
    sub.add_option("--sum-expr", sum_expr_, "The summed expression (default 'x * x')");
    sub.add_option("--elements", elements_, "Elements per thread and pass (default 4096)");
    sub.add_option("--python", python_, "The CPython to run (default python3 on the PATH)");
    sub.add_option("--interpreters", interpreters_,
                   "CPython child processes the rounds are dealt to, each started apart "
                   "(default one per round, at most 10)");
    sub.add_option("--python-timeout", python_timeout_,
                   "Seconds sysbench may wait for the CPython child in all before it is killed "
                   "(default 60)");
  }

  void Run(const RunContext& context, ResultSink& sink) override {
    const RunConfig& config = context.config;
    const std::vector<std::string> ways = ParseNameList(ways_, "--way", kWays);
    const std::vector<std::string> names = ParseNameList(programs_, "--program", kPrograms);
    const auto n = static_cast<std::size_t>(ParseInt(elements_, "--elements", 1, 1 << 20));
    const double timeout = ParseSeconds(python_timeout_, "--python-timeout", 1, 3600);
    std::vector<Program> programs;
    const Program update = MakeProgram("update", update_expr_, "--expr");
    const Program sum = MakeProgram("sum", sum_expr_, "--sum-expr");
    for (const std::string& name : names) programs.push_back(name == "update" ? update : sum);
    const std::vector<int> cpus = WorkerCpus(config.cpus);
    std::vector<int> counts = config.threads;
    if (counts.empty()) counts = {1, std::max(1, static_cast<int>(cpus.size()))};
    std::sort(counts.begin(), counts.end());
    counts.erase(std::unique(counts.begin(), counts.end()), counts.end());
    const TimingOptions timing = context.Timing(kTiming);
    const int interpreters =
        interpreters_.empty() ? std::min(std::max(timing.repetitions, 1), kMaxInterpreters)
                              : static_cast<int>(ParseInt(interpreters_, "--interpreters", 1, 64));

    const bool want_python = std::find(ways.begin(), ways.end(), "python") != ways.end();
    PythonSide python;
    if (want_python) {
      PythonPlan plan;
      plan.programs = names;
      plan.elements = n;
      plan.min_seconds = timing.min_time;
      plan.workers = counts;
      plan.cpus = cpus;
      plan.timeout_seconds = timeout;
      python = StartPython(context, plan, interpreters, update, sum);
    }
    InstructionCounter counter;
    if (!counter.Available()) {
      context.notes.Note("exec: instructions per operation not counted: " + counter.Reason());
    }

    for (const Program& p : programs) {
      std::optional<double> python_check;
      if (python.child) python_check = python.child->Begin(p.name);
      sink.Emit(CheckRow(p, ways, n, python_check));
      std::vector<Row> rows = MeasureInProcess(p, ways, counts, cpus, n, timing, [&python] {
        return python.child ? python.child->Round() : true;
      });
      for (Row& row : rows) {
        if (!row.result.skipped && row.workers == 1) AddInstructions(row, p, n, counter);
      }
      if (want_python) {
        AddPythonRows(p, python, counts, rows);
        if (!python.Skipped().empty()) {
          context.notes.Note("exec: python skipped: " + python.Skipped());
        }
      }
      AddRatios(rows, counts.front(), RoundsNeeded(timing.repetitions), context.notes);
      for (Row& row : rows) sink.Emit(std::move(row.result));
    }
  }

 private:
  // Finds and resolves the interpreter, times its start, and starts the child for every program.
  PythonSide StartPython(const RunContext& context, PythonPlan plan, int interpreters,
                         const Program& update, const Program& sum) const {
    PythonSide side;
    const std::string found = FindProgram(python_);
    if (found.empty()) {
      side.skipped =
          python_ + " not found" + (python_.find('/') == std::string::npos ? " on the PATH" : "");
    } else {
      std::string why;
      plan.interpreter = ResolveInterpreter(found, plan.timeout_seconds, &why);
      if (!why.empty()) context.notes.Note("exec: " + why);
      if (plan.interpreter.empty()) {
        side.skipped = found + " -c failed";
      } else {
        side.start_seconds = InterpreterStartSeconds(plan.interpreter, context.config.quick ? 1 : 3,
                                                     plan.timeout_seconds);
        if (side.start_seconds < 0) side.skipped = plan.interpreter + " -c pass failed";
      }
    }
    if (side.skipped.empty())
      side.child = std::make_unique<PythonChildren>(interpreters, plan, update.expr, sum.expr);
    return side;
  }

  // Correctness first: every way's bits against the first in-process way's, then CPython's.
  static Result CheckRow(const Program& p, const std::vector<std::string>& ways, std::size_t n,
                         const std::optional<double>& python) {
    Result check("exec", p.name + "/check");
    check.Param("program", p.name).Param("expr", p.text);
    std::string reference_way;
    double reference = 0;
    std::vector<std::string> agreed;
    auto compare = [&](const std::string& way, double value) {
      if (reference_way.empty()) {
        reference_way = way;
        reference = value;
      } else if (!SameBits(value, reference)) {
        throw RuntimeError("exec: " + p.name + ": " + way + " computes " + HexFloat(value) +
                           " where " + reference_way + " computes " + HexFloat(reference));
      }
      agreed.push_back(way);
    };
    for (const std::string& way : ways) {
      if (way == "python" || (way == "native" && !p.native)) continue;
      compare(way, Checksum(p, way, n));
    }
    if (python) compare("python", *python);
    check.Add(Computed("checksum", HexFloat(reference)));
    check.Add(Computed("ways_agreeing_bit_for_bit", Join(agreed, ",")));
    return check;
  }

  // CPython's rows for the program begun last, or one row that says why there are none.
  static void AddPythonRows(const Program& p, PythonSide& python, const std::vector<int>& counts,
                            std::vector<Row>& rows) {
    const std::vector<PythonRow> measured =
        python.child ? python.child->End() : std::vector<PythonRow>{};
    if (!python.Skipped().empty()) {
      Row row = MakeRow(p, "python", "threads", counts.front());
      row.result.skipped = python.Skipped();
      rows.push_back(std::move(row));
      return;
    }
    const PythonInfo& info = python.child->Info();
    for (const PythonRow& m : measured) {
      Row row = MakeRow(p, "python", m.parallel, m.workers);
      row.series = RoundSeries{kInProcessRounds, m.wall_ns_per_op, m.cpu_ns_per_op, m.cpu_share};
      AddTimes(row);
      if (m.workers == counts.front() && m.parallel == "threads") {
        Result& r = row.result;
        r.Add(Measured("interpreter_start_ms", python.start_seconds * 1e3, "ms", Better::kLower));
        r.Add(LookedUp("interpreter", info.executable));
        r.Add(LookedUp("python_version", info.version));
        r.Add(LookedUp("gil", info.gil));
        r.Add(Computed("instructions_per_op", std::string("not counted (another process)")));
      }
      rows.push_back(std::move(row));
    }
  }

  std::string ways_ = "native,vm,tree,python";
  std::string programs_ = "update,sum";
  std::string update_expr_ = kSeedUpdate;
  std::string sum_expr_ = kSeedSum;
  std::string elements_ = "4096";
  std::string python_ = "python3";
  std::string python_timeout_ = "60";
  std::string interpreters_;
};

}  // namespace

std::unique_ptr<Command> MakeExecCommand() { return std::make_unique<ExecCommand>(); }

}  // namespace sysbench
