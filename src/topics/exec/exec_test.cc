// `sysbench exec`: the expression parser's grammar and limits, the VM and the tree interpreter
// against compiled C++ bit for bit, CPython's source and its results, the ratios taken from
// rounds, the child's line protocol and time limit, the interpreter behind a script, and bad input
// (exit 2). No timing goals: these pass on a loaded machine.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <cstring>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <string>
#include <vector>

#include "cli_test_util.h"
#include "temp_dir.h"
#include "topics/exec/child_process.h"
#include "topics/exec/kernels/expr.h"
#include "topics/exec/kernels/ways.h"
#include "topics/exec/python_way.h"
#include "topics/exec/rounds.h"

namespace sysbench::testing {
namespace {

namespace k = kernels;

k::Expr Parse(const std::string& text) {
  const k::ParseResult r = k::ParseExpr(text);
  EXPECT_TRUE(r.ok) << text << ": " << (r.error ? r.error : "");
  return r.expr;
}

// Inputs like the command's: values that are not exact in binary, so rounding is exercised.
struct Inputs {
  std::vector<double> v[k::kExprVars];
  explicit Inputs(std::size_t n) {
    for (int i = 0; i < k::kExprVars; ++i) {
      v[i].resize(n);
      for (std::size_t j = 0; j < n; ++j) {
        v[i][j] = static_cast<double>(j % (83 + 6 * static_cast<std::size_t>(i))) / (3.0 + i);
      }
    }
  }
  k::ExecArrays View() const {
    k::ExecArrays in;
    for (int i = 0; i < k::kExprVars; ++i) in.vars[i] = v[i].data();
    in.n = v[0].size();
    return in;
  }
};

double TreeAt(const std::string& text, double a, double b, double c, double x) {
  const double values[k::kExprVars] = {a, b, c, x};
  k::ExecArrays in;
  for (int i = 0; i < k::kExprVars; ++i) in.vars[i] = &values[i];
  in.n = 1;
  double z = 0;
  k::TreeUpdate(Parse(text), in, &z);
  return z;
}

bool SameBits(double a, double b) { return std::memcmp(&a, &b, sizeof a) == 0; }

TEST(ExecExpr, PrecedenceAndAssociativity) {
  EXPECT_EQ(TreeAt("2 * (a - b) + c", 5, 3, 1, 0), 5.0);
  EXPECT_EQ(TreeAt("2 * a - b + c", 5, 3, 1, 0), 8.0);
  EXPECT_EQ(TreeAt("a - b - c", 10, 3, 2, 0), 5.0);  // (a - b) - c
  EXPECT_EQ(TreeAt("a / b / c", 12, 3, 2, 0), 2.0);
  EXPECT_EQ(TreeAt("-a * -b", 2, 3, 0, 0), 6.0);
  EXPECT_EQ(TreeAt("--x", 0, 0, 0, 4), 4.0);
  EXPECT_EQ(TreeAt("1.5e2 / x + .5", 0, 0, 0, 2), 75.5);
  EXPECT_EQ(TreeAt(" ( ( x ) ) ", 0, 0, 0, 7), 7.0);
}

TEST(ExecExpr, SameExprComparesTreesNotText) {
  EXPECT_TRUE(k::SameExpr(Parse("2*(a-b)+c"), Parse(" 2 * ( a - b ) + c ")));
  EXPECT_TRUE(k::SameExpr(Parse("2*(a-b)+c"), Parse("2.0*(a-b)+(c)")));
  EXPECT_FALSE(k::SameExpr(Parse("2*(a-b)+c"), Parse("2*(a-b)+x")));
  EXPECT_FALSE(k::SameExpr(Parse("2*(a-b)+c"), Parse("2.0000001*(a-b)+c")));
  EXPECT_FALSE(k::SameExpr(Parse("a+b+c"), Parse("a+(b+c)")));
}

TEST(ExecExpr, BadExpressionsAreRejectedWithAPlace) {
  struct Case {
    std::string text;
    std::size_t at;
  };
  const std::vector<Case> cases = {{"", 0},      {"a +", 3},   {"(a", 0},   {"a b", 2},  {"q", 0},
                                   {"ab", 0},    {"1e999", 0}, {"2..3", 0}, {"a)", 1},   {"3x", 1},
                                   {"a % b", 2}, {"inf", 0},   {"* a", 0},  {"0x10", 1}, {"()", 1}};
  for (const Case& c : cases) {
    const k::ParseResult r = k::ParseExpr(c.text);
    EXPECT_FALSE(r.ok) << c.text;
    ASSERT_NE(r.error, nullptr) << c.text;
    EXPECT_EQ(r.error_at, c.at) << c.text << ": " << r.error;
  }
  EXPECT_FALSE(k::ParseExpr(std::string(300, ' ') + "a").ok);
  EXPECT_FALSE(k::ParseExpr(std::string(30, '(') + "a" + std::string(30, ')')).ok);
  std::string many = "a";
  for (int i = 0; i < 40; ++i) many += "+a";
  EXPECT_FALSE(k::ParseExpr(many).ok);  // 81 nodes
  EXPECT_TRUE(k::ParseExpr(std::string(20, '(') + "a" + std::string(20, ')')).ok);
}

TEST(ExecWays, VmAndTreeMatchCompiledCodeBitForBit) {
  const Inputs inputs(1000);
  const k::ExecArrays in = inputs.View();
  std::vector<double> native(in.n), tree(in.n), vm(in.n);
  k::NativeUpdate(in, native.data());
  const k::Expr update = Parse("2 * (a - b) + c");
  k::TreeUpdate(update, in, tree.data());
  k::Bytecode code;
  ASSERT_TRUE(k::CompileUpdate(update, &code));
  EXPECT_EQ(k::RunVm(code, in, vm.data()), 0.0);
  for (std::size_t i = 0; i < in.n; ++i) {
    ASSERT_TRUE(SameBits(native[i], tree[i]) && SameBits(native[i], vm[i])) << i;
  }
  const k::Expr squares = Parse("x * x");
  ASSERT_TRUE(k::CompileSum(squares, &code));
  const double expected = k::NativeSumOfSquares(in);
  EXPECT_TRUE(SameBits(k::TreeSum(squares, in), expected));
  EXPECT_TRUE(SameBits(k::RunVm(code, in, nullptr), expected));
  double by_hand = 0;
  for (std::size_t i = 0; i < in.n; ++i) by_hand += inputs.v[3][i] * inputs.v[3][i];
  EXPECT_TRUE(SameBits(expected, by_hand));
}

TEST(ExecWays, VmAndTreeAgreeOnOtherExpressions) {
  const Inputs inputs(500);
  const k::ExecArrays in = inputs.View();
  for (const char* text :
       {"a / (b + 1) - -c * 0.1", "x * x * x - a", "-(a - (b - (c - x)))", "a / b", "0.1 + 0.2"}) {
    const k::Expr expr = Parse(text);
    k::Bytecode code;
    ASSERT_TRUE(k::CompileUpdate(expr, &code)) << text;
    std::vector<double> tree(in.n), vm(in.n);
    k::TreeUpdate(expr, in, tree.data());
    k::RunVm(code, in, vm.data());
    for (std::size_t i = 0; i < in.n; ++i) ASSERT_TRUE(SameBits(tree[i], vm[i])) << text << i;
    ASSERT_TRUE(k::CompileSum(expr, &code));
    EXPECT_TRUE(SameBits(k::TreeSum(expr, in), k::RunVm(code, in, nullptr))) << text;
  }
}

TEST(ExecWays, BytecodeIsCompactAndItsStackBounded) {
  k::Bytecode code;
  ASSERT_TRUE(k::CompileUpdate(Parse("2 * (a - b) + c"), &code));
  // const 2, load a, load b, sub, mul, load c, add, store, next
  ASSERT_EQ(code.code.size(), 9u);
  EXPECT_EQ(code.code[0].op, k::Op::kConst);
  EXPECT_EQ(code.code[7].op, k::Op::kStore);
  EXPECT_EQ(code.code[8].op, k::Op::kNext);
  EXPECT_EQ(code.max_stack, 3);
  EXPECT_EQ(code.constants, std::vector<double>{2.0});
  std::string deep = "a";
  for (int i = 0; i < 20; ++i) deep = "a - (" + deep + ")";
  ASSERT_TRUE(k::CompileSum(Parse(deep), &code));
  EXPECT_EQ(code.max_stack, 21);
  EXPECT_EQ(code.code.back().op, k::Op::kNext);
  EXPECT_FALSE(k::CompileSum(k::Expr(), &code));
}

TEST(ExecPython, SourceKeepsTheTreesOrderAndExactConstants) {
  EXPECT_EQ(PythonSource(Parse("2 * (a - b) + c")), "((2.0 * (a[i] - b[i])) + c[i])");
  EXPECT_EQ(PythonSource(Parse("x*x")), "(x[i] * x[i])");
  EXPECT_EQ(PythonSource(Parse("-0.1 / 3e20")), "((-0.10000000000000001) / 3e+20)");
}

TEST(ExecChild, TimeoutKillsTheChildAndWhatItForked) {
  const ChildOutput out = RunChild({"/bin/sh", "-c", "sleep 30 & sleep 30; echo late"}, 0.3);
  EXPECT_TRUE(out.timed_out);
  EXPECT_EQ(out.out, "");
  const ChildOutput ok = RunChild({"/bin/sh", "-c", "echo out; echo err >&2; exit 3"}, 10);
  EXPECT_FALSE(ok.timed_out);
  EXPECT_EQ(ok.exit_code, 3);
  EXPECT_EQ(ok.out, "out\n");
  EXPECT_EQ(ok.err, "err\n");
  EXPECT_EQ(FindProgram("sh").empty(), false);
  EXPECT_EQ(FindProgram("no-such-program-sysbench"), "");
}

TEST(ExecChild, ASessionTalksLineByLineAndKeepsStderr) {
  ChildSession child(
      {"/bin/sh", "-c", "while read l; do echo \"got $l\"; done; echo bye >&2; exit 4"}, 10);
  ASSERT_TRUE(child.WriteLine("one"));
  EXPECT_EQ(child.ReadLine(), "got one");
  ASSERT_TRUE(child.WriteLine("two"));
  EXPECT_EQ(child.ReadLine(), "got two");
  EXPECT_EQ(child.Finish(), 4);  // closing its stdin ends the loop
  EXPECT_EQ(child.Err(), "bye\n");
  EXPECT_FALSE(child.TimedOut());
}

TEST(ExecChild, ASessionEndsAtItsDeadlineAndAGoneChildIsNoSignal) {
  ChildSession slow({"/bin/sh", "-c", "sleep 30 & sleep 30"}, 0.3);
  EXPECT_EQ(slow.ReadLine(), std::nullopt);
  EXPECT_TRUE(slow.TimedOut());
  ChildSession gone({"/bin/sh", "-c", "exit 0"}, 10);
  EXPECT_EQ(gone.ReadLine(), std::nullopt);  // its end of output
  // Writing to it must fail, not raise SIGPIPE (which would end this test program).
  bool wrote = true;
  for (int i = 0; i < 100 && wrote; ++i) wrote = gone.WriteLine(std::string(4096, 'x'));
  EXPECT_FALSE(wrote);
  EXPECT_EQ(gone.Finish(), 0);
}

TEST(ExecPython, AScriptInFrontOfTheInterpreterIsResolvedOnce) {
  std::string why;
  EXPECT_EQ(ResolveInterpreter("/bin/sh", 10, &why), "/bin/sh");  // a binary: as it is
  EXPECT_EQ(why, "");
  const std::string python = FindProgram("python3");
  if (python.empty()) GTEST_SKIP() << "python3 is not on the PATH";
  TempDir dir("sysbench-exec");
  const std::string shim = (dir / "python3").string();
  std::ofstream(shim) << "#!/bin/sh\nexec '" << python << "' \"$@\"\n";
  ASSERT_EQ(chmod(shim.c_str(), 0700), 0);
  const std::string real = ResolveInterpreter(shim, 30, &why);
  EXPECT_NE(real, shim);
  EXPECT_EQ(real.front(), '/');
  EXPECT_NE(why.find("script"), std::string::npos) << why;
  EXPECT_EQ(ResolveInterpreter(real, 30, &why), real);  // what sys.executable names is a binary
}

TEST(ExecRounds, RatiosPairRoundByRoundWhenTheRoundsAreShared) {
  const RoundSeries top{1, {10, 20, 30}, {2, 4, 6}, {}};
  const RoundSeries bottom{1, {5, 10, 15}, {1, 2, 3}, {}};
  // Every round's ratio is 2: no spread, although each side moves by a factor of 3.
  const RoundRatio paired = RatioOf(top, bottom, RatioClock::kCpu);
  EXPECT_TRUE(paired.paired);
  EXPECT_DOUBLE_EQ(paired.value, 2.0);
  EXPECT_DOUBLE_EQ(paired.spread_pct, 0.0);
  EXPECT_DOUBLE_EQ(RatioOf(top, bottom, RatioClock::kWall).value, 2.0);
  // Taken in other rounds: each numerator over the denominator's median (2): 1, 2, 3, whose
  // median absolute deviation is 1 of 2 = 50%.
  const RoundSeries apart{2, {5, 10, 15}, {1, 2, 3}, {}};
  const RoundRatio unpaired = RatioOf(top, apart, RatioClock::kCpu);
  EXPECT_FALSE(unpaired.paired);
  EXPECT_DOUBLE_EQ(unpaired.value, 2.0);
  EXPECT_DOUBLE_EQ(unpaired.spread_pct, 50.0);
  EXPECT_DOUBLE_EQ(RatioOf(top, RoundSeries{}, RatioClock::kCpu).value, 0.0);  // nothing to divide
}

TEST(ExecRounds, TheShareOfTheWallWorkersHadTheirCpus) {
  // Two workers over 10 ms: one ran 9.9 ms, the other 6 ms (its CPU was held for 4 ms).
  const SampleClocks free{0.010, 0.0159, 0.006};
  EXPECT_DOUBLE_EQ(CpuShare(free, false), 0.6);  // the least-served worker decides
  // Two threads under one lock, taking turns: together they ran 9.7 of the 10 ms.
  const SampleClocks turns{0.010, 0.0097, 0.0045};
  EXPECT_DOUBLE_EQ(CpuShare(turns, true), 0.97);
  EXPECT_DOUBLE_EQ(CpuShare(SampleClocks{}, false), 0.0);  // no wall: nothing to share
  EXPECT_EQ(RoundsNeeded(15), 5);                          // a third
  EXPECT_EQ(RoundsNeeded(30), 10);
  EXPECT_EQ(RoundsNeeded(7), 3);  // at least 3
  EXPECT_EQ(RoundsNeeded(2), 2);  // all when fewer are planned
}

TEST(ExecRounds, WallRatiosLeaveOutRoundsWhoseWorkersLostTheirCpus) {
  // Round 2's two workers lost their CPUs (share 0.5): its wall doubled, and with it the ratio.
  const RoundSeries one{1, {10, 10, 10, 10}, {10, 10, 10, 10}, {1, 1, 0.99, 1}};
  const RoundSeries two{1, {5, 5, 10, 5}, {10, 10, 10, 10}, {0.98, 0.99, 0.5, 0.97}};
  const RoundRatio speedup = RatioOf(one, two, RatioClock::kWall, 3);
  EXPECT_TRUE(speedup.had_cpus);
  EXPECT_EQ(speedup.rounds_taken, 4);
  EXPECT_EQ(speedup.rounds_with_cpus, 3);
  EXPECT_DOUBLE_EQ(speedup.value, 2.0);
  EXPECT_DOUBLE_EQ(speedup.spread_pct, 0.0);
  EXPECT_DOUBLE_EQ(speedup.least_share, 0.5);
  EXPECT_EQ(speedup.rounds_used, 3);
  // CPU time does not count the wait: a CPU-time ratio takes the rounds that had their CPUs when
  // there are enough, every round when not (flagged).
  const RoundRatio cost = RatioOf(two, one, RatioClock::kCpu, 3);
  EXPECT_EQ(cost.rounds_with_cpus, 3);
  EXPECT_EQ(cost.rounds_used, 3);
  EXPECT_TRUE(cost.had_cpus);
  const RoundRatio few = RatioOf(two, one, RatioClock::kCpu, 4);
  EXPECT_EQ(few.rounds_used, 4);
  EXPECT_FALSE(few.had_cpus);

  // Fewer rounds with their CPUs than needed: flagged, the value from the one round that had.
  const RoundSeries busy{1, {5, 10, 10, 10}, {10, 10, 10, 10}, {0.99, 0.6, 0.5, 0.7}};
  const RoundRatio flagged = RatioOf(one, busy, RatioClock::kWall, 3);
  EXPECT_FALSE(flagged.had_cpus);
  EXPECT_EQ(flagged.rounds_with_cpus, 1);
  EXPECT_DOUBLE_EQ(flagged.value, 2.0);
  EXPECT_DOUBLE_EQ(flagged.least_share, 0.5);
  EXPECT_FALSE(flagged.withheld);
  // None: withheld (the median of all of them, 1, 1, 1 and 0.5, is what the load left).
  const RoundSeries starved{1, {10, 10, 10, 20}, {10, 10, 10, 10}, {0.5, 0.5, 0.5, 0.5}};
  const RoundRatio none = RatioOf(one, starved, RatioClock::kWall, 3);
  EXPECT_FALSE(none.had_cpus);
  EXPECT_EQ(none.rounds_with_cpus, 0);
  EXPECT_TRUE(none.withheld);
  EXPECT_DOUBLE_EQ(none.value, 1.0);
  // A CPU-time ratio is not withheld: CPU time does not count the waits.
  EXPECT_FALSE(RatioOf(starved, one, RatioClock::kCpu, 3).withheld);
}

TEST(ExecRounds, EveryBatchIsSampledOncePerRoundThenTheHook) {
  std::string order;
  auto batch = [&order](char name) {
    return [&order, name](std::uint64_t) {
      order += name;
      return SampleClocks{1.0, 1.0, 1.0};  // long enough: calibration stops at one iteration
    };
  };
  TimingOptions timing;
  timing.repetitions = 3;
  timing.min_time = timing.warmup = 0.001;
  order.clear();
  const std::vector<BatchSamples> samples =
      MeasureRounds(timing, {batch('a'), batch('b')}, 3, [&order] {
        order += '|';
        return true;
      });
  EXPECT_EQ(order, "abab|ab|ab|");  // one calibration run each, then three rounds
  ASSERT_EQ(samples.size(), 2u);
  EXPECT_EQ(samples[0].iterations, 1u);
  ASSERT_EQ(samples[1].rounds.size(), 3u);
  EXPECT_DOUBLE_EQ(samples[1].rounds[2].cpu, 1.0);
}

TEST(ExecRounds, RoundsWithoutTheirCpusAreMadeUpForUpToABound) {
  TimingOptions timing;
  timing.repetitions = 4;  // three whole rounds needed
  timing.min_time = timing.warmup = 0.001;
  int calls = 0;
  // The batch's worker has its CPU in every third call only (share 1, else 0.5).
  auto batch = [&calls](std::uint64_t) {
    ++calls;
    return SampleClocks{1.0, calls % 3 == 0 ? 1.0 : 0.5, calls % 3 == 0 ? 1.0 : 0.5};
  };
  // Call 1 calibrates; rounds are calls 2.., whole at calls 3, 6 and 9: 8 rounds.
  EXPECT_EQ(MeasureRounds(timing, {batch}, 10)[0].rounds.size(), 8u);
  // Never whole: the planned rounds and the extra ones, no more.
  const auto never = [](std::uint64_t) { return SampleClocks{1.0, 0.5, 0.5}; };
  EXPECT_EQ(MeasureRounds(timing, {never}, 3)[0].rounds.size(), 7u);
  // The hook's samples count too: its saying no keeps rounds coming.
  const auto always = [](std::uint64_t) { return SampleClocks{1.0, 1.0, 1.0}; };
  EXPECT_EQ(MeasureRounds(timing, {always}, 2, [] { return false; })[0].rounds.size(), 6u);
  EXPECT_EQ(MeasureRounds(timing, {always}, 2, [] { return true; })[0].rounds.size(), 4u);
}

struct Rows {
  std::map<std::string, std::map<std::string, nlohmann::json>> metrics;  // case -> name -> value
  std::map<std::string, std::string> skipped;
};

Rows RunJson(std::vector<std::string> args) {
  args.insert(args.begin(), {"--format", "json", "--quick", "--quiet", "exec"});
  const CliRun run = RunSysbench(args);
  EXPECT_EQ(run.code, 0) << run.err;
  Rows rows;
  if (run.code != 0) return rows;
  const nlohmann::json doc = nlohmann::json::parse(run.out);
  for (const auto& r : doc["results"]) {
    const std::string id = r["case"].get<std::string>();
    if (r.contains("skipped")) rows.skipped[id] = r["skipped"].get<std::string>();
    for (const auto& m : r["metrics"]) rows.metrics[id][m["name"].get<std::string>()] = m["value"];
  }
  return rows;
}

TEST(ExecCli, InProcessWaysAgreeAndAreTimedOnEachThreadCount) {
  const Rows rows = RunJson({"--threads", "1,2", "--way", "native,vm,tree", "--elements", "256"});
  for (const char* program : {"update", "sum"}) {
    const std::string p = program;
    EXPECT_EQ(rows.metrics.at(p + "/check").at("ways_agreeing_bit_for_bit"), "native,vm,tree");
    for (const char* way : {"native", "vm", "tree"}) {
      for (const char* n : {"1", "2"}) {
        const std::string id = p + "/" + way + "/threads=" + n;
        ASSERT_TRUE(rows.metrics.count(id)) << id;
        EXPECT_GT(rows.metrics.at(id).at("ns_per_op").get<double>(), 0.0) << id;
        EXPECT_GT(rows.metrics.at(id).at("cpu_ns_per_op").get<double>(), 0.0) << id;
        EXPECT_GT(rows.metrics.at(id).at("cpus_used").get<double>(), 0.0) << id;
        // The slowdown is a one-worker figure (what a way costs, alone on a CPU).
        EXPECT_EQ(rows.metrics.at(id).count("slowdown_vs_native"),
                  way != std::string("native") && n == std::string("1"))
            << id;
        // A speed-up is there on two workers, unless withheld (flagged: no round had its CPUs).
        EXPECT_EQ(rows.metrics.at(id).count("speedup_vs_1_worker") +
                          rows.metrics.at(id).count("speedup_vs_1_worker_flag") >
                      0,
                  n == std::string("2"))
            << id;
        EXPECT_LE(rows.metrics.at(id).at("rounds_without_cpus").get<std::uint64_t>(), 14u) << id;
        // Flagged with the reason only when too few rounds had their CPUs (a busy machine).
        if (rows.metrics.at(id).count("speedup_vs_1_worker_flag")) {
          EXPECT_NE(rows.metrics.at(id)
                        .at("speedup_vs_1_worker_flag")
                        .get<std::string>()
                        .find("on its CPU in"),
                    std::string::npos);
        }
      }
    }
  }
}

TEST(ExecCli, ACustomExpressionSkipsNativeWithTheReason) {
  const Rows rows = RunJson({"--threads", "1", "--way", "native,vm,tree", "--program", "update",
                             "--expr", "a / (b + 1)", "--elements", "64"});
  EXPECT_NE(rows.skipped.at("update/native/threads=1").find("seed's expression"),
            std::string::npos);
  EXPECT_EQ(rows.metrics.at("update/check").at("ways_agreeing_bit_for_bit"), "vm,tree");
  EXPECT_EQ(rows.metrics.count("sum/check"), 0u);
}

TEST(ExecCli, MissingPythonIsSkippedWithTheReason) {
  const Rows rows = RunJson({"--threads", "1", "--way", "vm,python", "--program", "sum", "--python",
                             "/nonexistent/python3", "--elements", "64"});
  EXPECT_NE(rows.skipped.at("sum/python/threads=1").find("/nonexistent/python3 not found"),
            std::string::npos);
  EXPECT_EQ(rows.metrics.at("sum/check").at("ways_agreeing_bit_for_bit"), "vm");
}

TEST(ExecCli, PythonComputesTheSameBitsAndRunsThreadsAndProcesses) {
  if (FindProgram("python3").empty()) GTEST_SKIP() << "python3 is not on the PATH";
  // Three rounds dealt to two children: every row still has a sample of every round.
  const Rows rows = RunJson({"--threads", "1,2", "--way", "native,tree,python", "--elements", "200",
                             "--repetitions", "3", "--interpreters", "2"});
  for (const char* program : {"update", "sum"}) {
    const std::string p = program;
    EXPECT_EQ(rows.metrics.at(p + "/check").at("ways_agreeing_bit_for_bit"), "native,tree,python");
    for (const char* id :
         {"/python/threads=1", "/python/threads=2", "/python/processes=1", "/python/processes=2"}) {
      ASSERT_TRUE(rows.metrics.count(p + id)) << p + id;
      EXPECT_GT(rows.metrics.at(p + id).at("ns_per_op").get<double>(), 0.0);
    }
    EXPECT_GT(rows.metrics.at(p + "/python/threads=1").at("interpreter_start_ms").get<double>(),
              0.0);
    for (const char* id : {"/python/threads=1", "/python/processes=1"}) {
      EXPECT_GT(rows.metrics.at(p + id).at("cpu_ns_per_op").get<double>(), 0.0) << id;
      EXPECT_GT(rows.metrics.at(p + id).at("slowdown_vs_native").get<double>(), 0.0) << id;
      EXPECT_GE(rows.metrics.at(p + id).at("slowdown_vs_native_rounds").get<int>(), 3) << id;
    }
    // One interpreter lock: two threads never keep more than one CPU busy (less on a loaded
    // machine; the margin is the lock's hand-over).
    if (rows.metrics.at(p + "/python/threads=1").at("gil") == "yes") {
      EXPECT_LT(rows.metrics.at(p + "/python/threads=2").at("cpus_used").get<double>(), 1.5);
    }
  }
}

TEST(ExecCli, PythonErrorsSkipItsRowsButNotTheRun) {
  if (FindProgram("python3").empty()) GTEST_SKIP() << "python3 is not on the PATH";
  // b is 0 at element 0: IEEE gives inf in C++, CPython raises ZeroDivisionError (in every child).
  const Rows rows = RunJson({"--threads", "1", "--way", "vm,python", "--program", "update",
                             "--expr", "a / b", "--elements", "16", "--interpreters", "3"});
  EXPECT_NE(rows.skipped.at("update/python/threads=1").find("ZeroDivisionError"),
            std::string::npos);
  EXPECT_EQ(rows.metrics.at("update/check").at("ways_agreeing_bit_for_bit"), "vm");
}

using testing::ExpectUsageError;

TEST(ExecCli, BadInputExitsTwoWithOneLine) {
  ExpectUsageError({"exec", "--expr", "a +"}, "--expr 'a +': an operand is missing");
  ExpectUsageError({"exec", "--expr", "y * 2"}, "unknown name");
  ExpectUsageError({"exec", "--sum-expr", "(x"}, "--sum-expr");
  ExpectUsageError({"exec", "--way", "jit"}, "--way");
  ExpectUsageError({"exec", "--program", "sort"}, "--program");
  for (const char* n : {"0", "-1", "abc", "99999999"}) {
    ExpectUsageError({"exec", "--elements", n}, "--elements");
  }
  ExpectUsageError({"exec", "--python-timeout", "0"}, "--python-timeout");
  for (const char* n : {"0", "65", "two"})
    ExpectUsageError({"exec", "--interpreters", n}, "--interpreters");
}

}  // namespace
}  // namespace sysbench::testing
