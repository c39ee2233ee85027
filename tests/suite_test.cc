// sysbench all: the registry's commands in one run, --only/--skip, failures, --baseline.
#include "cli/suite.h"

#include <gtest/gtest.h>

#include <CLI/CLI.hpp>
#include <algorithm>
#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>
#include <set>
#include <sstream>

#include "cli_test_util.h"
#include "report/reporters.h"
#include "report/results_reader.h"
#include "sysbench/error.h"
#include "sysbench/units.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

std::set<std::string> CommandsIn(const json& doc) {
  std::set<std::string> names;
  for (const json& r : doc["results"]) names.insert(r["command"].get<std::string>());
  return names;
}

// Sanitized builds run every command ten times slower or worse; there the suite runs a cheap
// subset (release CI runs the whole quick suite, in this test and in .ci/run).
#if defined(__SANITIZE_ADDRESS__) || defined(__SANITIZE_THREAD__)
constexpr bool kSanitized = true;
#else
constexpr bool kSanitized = false;
#endif

std::vector<std::string> SuiteArgs(std::vector<std::string> args) {
  args.insert(args.begin(), {"--quick", "--quiet"});
  args.push_back("all");
  if (kSanitized) args.insert(args.end(), {"--only", "info,float-info,serialize"});
  return args;
}

TEST(Suite, RunsEveryCommandWithOneContextAndComparesWithItself) {
  const TempDir dir("sysbench-suite-self");
  const fs::path path = dir / "run.json";
  const CliRun run = RunSysbench(SuiteArgs({"--format", "json", "-o", path.string()}));
  ASSERT_EQ(run.code, 0) << run.err;
  std::ifstream in(path);
  const json doc = json::parse(in);
  EXPECT_TRUE(doc.contains("context"));
  std::set<std::string> expected;
  for (const auto& command : MakeCommands()) expected.emplace(command->Name());
  if (kSanitized) expected = {"info", "float-info", "serialize"};
  EXPECT_EQ(CommandsIn(doc), expected);
  // Not a terminal: no progress line.
  EXPECT_EQ(run.err.find('\r'), std::string::npos);

  // Every chart a topic declares finds its metric and params in the topic's results, so renaming
  // a metric fails here instead of silently dropping a chart from the html report.
  const report::ResultsDocument saved = report::ReadResultsFile(path.string());
  for (const auto& command : MakeCommands()) {
    std::vector<Result> own;
    for (const Result& r : saved.results) {
      if (r.command == command->Name()) own.push_back(r);
    }
    if (own.empty()) continue;  // not run in sanitized builds
    // Every case skipped (gpu without a GPU): nothing to chart.
    if (std::all_of(own.begin(), own.end(), [](const Result& r) { return r.skipped; })) continue;
    for (const ChartSpec& spec : command->Charts()) {
      EXPECT_EQ(report::ChartFieldsMissing(spec, own), std::vector<std::string>{})
          << command->Name() << ": chart '" << spec.title << "'";
    }
  }

  // Cases that took long enough (20 ms) say what other load did while they ran.
  std::size_t with_contention = 0;
  for (const json& r : doc["results"]) {
    EXPECT_FALSE(r.contains("run"));
    if (!r.contains("contention")) continue;
    ++with_contention;
    EXPECT_GE(r["contention"]["other_cpus"].get<double>(), 0);
    EXPECT_TRUE(r["contention"]["contended"].is_boolean());
  }
  EXPECT_GT(with_contention, 0u);
  // One run is no baseline for the gate: it has no spread between runs.
  const CliRun compare = RunSysbench({"--quiet", "compare", path.string(), path.string()});
  EXPECT_EQ(compare.code, 2) << compare.err;
  EXPECT_NE(compare.err.find("holds one run"), std::string::npos) << compare.err;
}

TEST(Suite, OnlyAndSkipNameCommands) {
  const CliRun only = RunSysbench({"--quick", "--format", "json", "all", "--only", "float-info"});
  ASSERT_EQ(only.code, 0) << only.err;
  EXPECT_EQ(CommandsIn(json::parse(only.out)), std::set<std::string>{"float-info"});
  // Skip every command but info and float-info (the others are run by the test above).
  std::vector<std::string> skipped;
  for (const auto& command : MakeCommands()) {
    if (command->Name() != "info" && command->Name() != "float-info") {
      skipped.emplace_back(command->Name());
    }
  }
  skipped.emplace_back("float-info");
  const CliRun skip =
      RunSysbench({"--quick", "--format", "json", "all", "--skip", Join(skipped, ",")});
  ASSERT_EQ(skip.code, 0) << skip.err;
  EXPECT_EQ(CommandsIn(json::parse(skip.out)), std::set<std::string>{"info"});
}

using testing::ExpectUsageError;

TEST(Suite, BadInputExitsTwoBeforeMeasuring) {
  ExpectUsageError({"all", "--only", "bogus"}, "--only");
  ExpectUsageError({"all", "--skip", "bogus"}, "--skip");
  ExpectUsageError({"all", "--only", "info", "--skip", "float-info"}, "--only");
  ExpectUsageError({"all", "--only", "compare"}, "--only");
  ExpectUsageError({"all", "--baseline", "/nonexistent/base.json"}, "/nonexistent/base.json");
  ExpectUsageError({"all", "--save", "x.json"}, "--save needs --baseline");
  ExpectUsageError({"--format", "gbench-json", "all", "--baseline", "x.json"}, "gbench-json");
  ExpectUsageError({"all", "--threshold", "five"}, "--threshold");
  ExpectUsageError({"all", "--runs", "0"}, "--runs");
  ExpectUsageError({"all", "--runs", "101"}, "--runs");
  ExpectUsageError({"all", "--summary", "x.md"}, "--summary needs --baseline");
  ExpectUsageError({"all", "--gate", "flops:"}, "--gate");
  ExpectUsageError({"all", "--baseline", "x.json", "--summary", "/nonexistent/summary.md"},
                   "--summary");
  ExpectUsageError({"all", "--baseline", SYSBENCH_TEST_DATA "/report_sample.json"},
                   "holds one run");
}

// Fake commands to see how the suite treats one that fails.
class FakeCommand final : public Command {
 public:
  FakeCommand(std::string name, bool fail) : name_(std::move(name)), fail_(fail) {}
  std::string_view Name() const override { return name_; }
  std::string_view Summary() const override { return "fake"; }
  void AddOptions(CLI::App&) override {}
  void Run(const RunContext&, ResultSink& sink) override {
    if (fail_) throw RuntimeError("cannot open '/dev/fake': No such device");
    Result r(name_, "case");
    r.AddSampled("ops_per_s", {1, 2, 3}, "op/s", Better::kHigher);
    sink.Emit(r);
  }

 private:
  std::string name_;
  bool fail_;
};

std::vector<std::unique_ptr<Command>> Fakes() {
  std::vector<std::unique_ptr<Command>> commands;
  commands.push_back(std::make_unique<FakeCommand>("first", false));
  commands.push_back(std::make_unique<FakeCommand>("broken", true));
  commands.push_back(std::make_unique<FakeCommand>("last", false));
  return commands;
}

TEST(Suite, AFailingCommandIsReportedTheOthersRunAndTheExitIsTwo) {
  RunConfig config;
  config.format = "json";
  config.quiet = true;
  std::ostringstream out, err;
  const int code = RunSuiteOf(Fakes(), SuiteOptions{}, config, out, err, false);
  EXPECT_EQ(code, 2);
  EXPECT_NE(err.str().find("sysbench: all: broken failed: cannot open '/dev/fake'"),
            std::string::npos)
      << err.str();
  EXPECT_NE(err.str().find("1 of 3 subcommand(s) failed: broken"), std::string::npos);
  const json doc = json::parse(out.str());
  EXPECT_EQ(CommandsIn(doc), (std::set<std::string>{"first", "last"}));
}

TEST(Suite, ProgressGoesToStderrOnlyWhenAsked) {
  RunConfig config;
  config.format = "tsv";
  std::ostringstream out, err;
  SuiteOptions options;
  options.only = "first,last";
  EXPECT_EQ(RunSuiteOf(Fakes(), options, config, out, err, true), 0);
  EXPECT_NE(err.str().find("[2/2] last"), std::string::npos) << err.str();
  EXPECT_EQ(out.str().find("[1/2]"), std::string::npos);
}

TEST(Suite, BaselineComparesInOneStep) {
  const TempDir dir("sysbench-suite");
  const std::string base = (dir / "base.json").string(), saved = (dir / "saved.json").string();
  RunConfig config;
  config.format = "json";
  config.quiet = true;
  config.output = base;
  std::ostringstream out, err;
  SuiteOptions first_run;
  first_run.only = "first,last";
  first_run.runs = 3;
  ASSERT_EQ(RunSuiteOf(Fakes(), first_run, config, out, err, false), 0);
  {
    // Interleaved: first, last, first, last, first, last; each result knows its run.
    std::ifstream in(base);
    const json doc = json::parse(in);
    ASSERT_EQ(doc["results"].size(), 6u);
    for (std::size_t i = 0; i < 6; ++i) {
      EXPECT_EQ(doc["results"][i]["command"], i % 2 ? "last" : "first");
      EXPECT_EQ(doc["results"][i]["run"], i / 2 + 1);
    }
  }
  // The same fakes again: nothing changed, exit 0, the comparison is the output.
  config.output.clear();
  config.format = "tsv";
  SuiteOptions options;
  options.only = "first,last";
  options.baseline = base;
  options.save = saved;
  std::ostringstream out2, err2;
  EXPECT_EQ(RunSuiteOf(Fakes(), options, config, out2, err2, false), 0) << err2.str();
  // The same values in every run: change 0, p 1, no noise, 3 baseline runs and 1 current run;
  // each run counts with its best sample (3 of 1, 2, 3).
  EXPECT_NE(
      out2.str().find("first\tcase\tops_per_s\top/s\thigher\tno\t3\t3\t0\t1\t1\t0\t0\t3\t1\t"),
      std::string::npos)
      << out2.str();
  std::ifstream in(saved);
  EXPECT_EQ(CommandsIn(json::parse(in)), (std::set<std::string>{"first", "last"}));
}

}  // namespace
}  // namespace sysbench::testing
