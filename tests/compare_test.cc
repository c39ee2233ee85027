// The regression gate: sysbench compare and the comparison model.
#include "cli/compare.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
#include "sysbench/run_stats.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

const std::string kSample = std::string(SYSBENCH_TEST_DATA) + "/report_sample.json";

json LoadSample() {
  std::ifstream in(kSample);
  return json::parse(in);
}

// Every directional metric made `factor` better: higher-is-better values and samples multiplied,
// lower-is-better divided.
json MadeBetter(json doc, double factor) {
  for (json& r : doc["results"]) {
    for (json& m : r["metrics"]) {
      if (!m["value"].is_number() || m["better"].is_null()) continue;
      const double k = m["better"] == "higher" ? factor : 1 / factor;
      const bool sampled = r.contains("samples_metric") && r["samples_metric"] == m["name"];
      m["value"] = m["value"].get<double>() * k;
      if (sampled) {
        for (json& s : r["samples"]) s = s.get<double>() * k;
      }
    }
  }
  return doc;
}

// One document of N runs (as `all --runs N` writes it): run i is the sample made factors[i] better.
json Runs(const json& doc, const std::vector<double>& factors) {
  json runs = doc;
  runs["results"] = json::array();
  for (std::size_t i = 0; i < factors.size(); ++i) {
    const json run = MadeBetter(doc, factors[i]);
    for (json r : run["results"]) {
      r["run"] = i + 1;
      runs["results"].push_back(r);
    }
  }
  return runs;
}

// Between-run noise of 1-2%.
const std::vector<double> kBaseline = {1.00, 1.02, 0.98, 1.01, 0.99};
const std::vector<double> kCurrent = {1.00, 1.01, 0.99};
std::vector<double> Times(std::vector<double> factors, double k) {
  for (double& f : factors) f *= k;
  return factors;
}

// Only `metric` of `command` made `factor` better (values; samples of it too).
json MetricMadeBetter(json doc, const std::string& command, const std::string& metric,
                      double factor) {
  json changed = MadeBetter(doc, factor);
  for (std::size_t i = 0; i < doc["results"].size(); ++i) {
    json& r = doc["results"][i];
    if (r["command"] != command) continue;
    for (std::size_t m = 0; m < r["metrics"].size(); ++m) {
      if (r["metrics"][m]["name"] == metric) r["metrics"][m] = changed["results"][i]["metrics"][m];
    }
  }
  return doc;
}

void ExpectOneLineError(const CliRun& run, const std::string& mentions) {
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(LineCount(run.err), 1) << run.err;
  EXPECT_EQ(run.err.rfind("sysbench: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find(mentions), std::string::npos) << run.err;
}

class CompareTest : public ::testing::Test {
 protected:
  TempDir temp_{"sysbench-compare-test"};
  const fs::path& dir_ = temp_.Path();

  std::string Write(const std::string& name, const std::string& text) {
    const fs::path path = dir_ / name;
    std::ofstream(path) << text;
    return path.string();
  }
  std::string WriteJson(const std::string& name, const json& doc) {
    return Write(name, doc.dump(1));
  }
  std::string Base() { return WriteJson("base.json", Runs(LoadSample(), kBaseline)); }
  std::string Current(double k = 1) {
    return WriteJson("current.json", Runs(LoadSample(), Times(kCurrent, k)));
  }
};

TEST_F(CompareTest, TheSameRunsPassAndSayTheResolution) {
  const CliRun run = RunSysbench({"compare", Base(), Current()});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("5 baseline run(s)"), std::string::npos) << run.out;
  EXPECT_NE(run.out.find("3 current run(s)"), std::string::npos);
  EXPECT_NE(run.out.find("0 regressed"), std::string::npos);
  EXPECT_NE(run.out.find("gate resolution"), std::string::npos);
  EXPECT_NE(run.out.find("flops gflops "), std::string::npos);
  EXPECT_EQ(run.out.find("REGRESSED"), std::string::npos);
}

TEST_F(CompareTest, TwentyPercentSlowerFailsOnTheHeadlineRows) {
  const CliRun run = RunSysbench({"compare", Base(), Current(0.8)});
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.out.find("REGRESSED"), std::string::npos);
  EXPECT_EQ(LineCount(run.err), 1) << run.err;
  EXPECT_NE(run.err.find("sysbench: compare: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("flops geomean of 16 cases gflops -20.0%"), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("latency geomean of 17 cases ns_per_load +25.0%"), std::string::npos)
      << run.err;
  // Per-case rows are reported, not gated, by default.
  EXPECT_EQ(run.err.find("fma/f64/avx512/threads=1"), std::string::npos) << run.err;
  // Reversed, the same numbers are improvements.
  const CliRun reversed =
      RunSysbench({"--format", "json", "compare",
                   WriteJson("b2.json", Runs(LoadSample(), Times(kBaseline, 0.8))), Current()});
  EXPECT_EQ(reversed.code, 0) << reversed.err;
  const json doc = json::parse(reversed.out);
  EXPECT_EQ(doc["summary"]["regressed"], 0);
  EXPECT_GT(doc["summary"]["improved"].get<int>(), 3);
}

TEST_F(CompareTest, SmallRealShiftsPassUnlessTheThresholdIsLowered) {
  // 3% slower, clearly significant against 0.1-0.2% noise, but within the 5% threshold.
  const std::string quiet =
      WriteJson("quiet.json", Runs(LoadSample(), {1.000, 1.002, 0.998, 1.001, 0.999}));
  const std::string slower = WriteJson("slower.json", Runs(LoadSample(), {0.970, 0.971, 0.969}));
  EXPECT_EQ(RunSysbench({"compare", quiet, slower}).code, 0);
  EXPECT_EQ(RunSysbench({"compare", "--threshold", "1%", quiet, slower}).code, 1);
  // A lower alpha than the runs can reach: nothing is significant.
  const CliRun strict = RunSysbench({"compare", "--alpha", "1e-9", Base(), Current(0.8)});
  EXPECT_EQ(strict.code, 0) << strict.err;
  EXPECT_NE(strict.out.find("not-significant"), std::string::npos);
}

TEST_F(CompareTest, GateChoosesWhichRowsCanFail) {
  // Only flops pct_of_peak 20% worse: not a headline metric, reported but not gated.
  const std::string worse = WriteJson(
      "worse.json", Runs(MetricMadeBetter(LoadSample(), "flops", "pct_of_peak", 0.8), kCurrent));
  const CliRun run = RunSysbench({"compare", Base(), worse});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("regressed"), std::string::npos);
  EXPECT_EQ(RunSysbench({"compare", "--gate", "flops:pct_of_peak", Base(), worse}).code, 1);
  EXPECT_EQ(RunSysbench({"compare", "--gate", "flops", Base(), worse}).code, 1);
  EXPECT_EQ(RunSysbench({"compare", "--gate", "all", Base(), worse}).code, 1);
  EXPECT_EQ(RunSysbench({"compare", "--gate", "latency", Base(), worse}).code, 0);
}

TEST_F(CompareTest, AFolderOfRunsIsABaseline) {
  fs::create_directory(dir_ / "runs");
  for (std::size_t i = 0; i < kBaseline.size(); ++i) {
    WriteJson("runs/run" + std::to_string(i) + ".json", MadeBetter(LoadSample(), kBaseline[i]));
  }
  const CliRun same = RunSysbench({"compare", (dir_ / "runs").string(), Current()});
  EXPECT_EQ(same.code, 0) << same.err;
  EXPECT_NE(same.out.find("5 baseline run(s)"), std::string::npos) << same.out;
  EXPECT_EQ(RunSysbench({"compare", (dir_ / "runs").string(), Current(0.8)}).code, 1);
  // One current run is enough: the spread comes from the baseline.
  const std::string one = WriteJson("one.json", LoadSample());
  EXPECT_EQ(RunSysbench({"compare", (dir_ / "runs").string(), one}).code, 0);
}

// A current run split over per-command documents (a folder): each headline still averages the
// same cases in every run that has them. Only flops 20% slower: only flops fails.
TEST_F(CompareTest, RunsSplitIntoPerCommandDocuments) {
  fs::create_directory(dir_ / "split");
  for (std::size_t i = 0; i < kCurrent.size(); ++i) {
    json flops = MadeBetter(LoadSample(), kCurrent[i] * 0.8),
         rest = MadeBetter(LoadSample(), kCurrent[i]);
    json only_flops = json::array(), others = json::array();
    for (const json& r : flops["results"]) {
      if (r["command"] == "flops") only_flops.push_back(r);
    }
    for (const json& r : rest["results"]) {
      if (r["command"] != "flops") others.push_back(r);
    }
    flops["results"] = only_flops;
    rest["results"] = others;
    WriteJson("split/run" + std::to_string(i) + "-a.json", flops);
    WriteJson("split/run" + std::to_string(i) + "-b.json", rest);
  }
  const CliRun run = RunSysbench({"compare", Base(), (dir_ / "split").string()});
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.err.find("flops geomean of 16 cases gflops -20.0%"), std::string::npos) << run.err;
  EXPECT_EQ(run.err.find("latency"), std::string::npos) << run.err;
  EXPECT_NE(run.out.find("6 current run(s)"), std::string::npos) << run.out;
}

TEST_F(CompareTest, BadInputExitsTwoWithOneLine) {
  const std::string base = Base();
  const std::string text = Runs(LoadSample(), kBaseline).dump();
  ExpectOneLineError(
      RunSysbench({"compare", Write("truncated.json", text.substr(0, text.size() / 2)), kSample}),
      "not a JSON document");
  ExpectOneLineError(RunSysbench({"compare", base, Write("text.json", "hello\n")}),
                     "not a JSON document");
  ExpectOneLineError(RunSysbench({"compare", (dir_ / "missing.json").string(), kSample}),
                     "missing.json");
  ExpectOneLineError(RunSysbench({"compare", kSample, kSample}), "holds one run");
  json wrong = Runs(LoadSample(), kBaseline);
  wrong["schema_version"] = 99;
  ExpectOneLineError(RunSysbench({"compare", WriteJson("v99.json", wrong), kSample}),
                     "schema_version 99");
  json bad_run = Runs(LoadSample(), kBaseline);
  bad_run["results"][0]["run"] = "first";
  ExpectOneLineError(RunSysbench({"compare", WriteJson("badrun.json", bad_run), kSample}),
                     "\"run\"");
  ExpectOneLineError(RunSysbench({"compare", Write("array.json", "[1,2]"), kSample}),
                     "schema_version");
  json other = Runs(LoadSample(), kBaseline);
  for (json& r : other["results"]) r["command"] = "something-else";
  ExpectOneLineError(RunSysbench({"compare", WriteJson("other.json", other), kSample}),
                     "no results in common");
  // Runs from two machines in one baseline folder.
  fs::create_directory(dir_ / "mixed");
  json elsewhere = LoadSample();
  elsewhere["context"]["cpu_model"] = "Another CPU";
  WriteJson("mixed/a.json", LoadSample());
  WriteJson("mixed/b.json", elsewhere);
  ExpectOneLineError(RunSysbench({"compare", (dir_ / "mixed").string(), kSample}),
                     "different machines");
  fs::create_directory(dir_ / "empty");
  ExpectOneLineError(RunSysbench({"compare", (dir_ / "empty").string(), kSample}), "no *.json");
  ExpectOneLineError(RunSysbench({"compare", base}), "current");
  ExpectOneLineError(RunSysbench({"compare", "--threshold", "abc", base, kSample}), "--threshold");
  ExpectOneLineError(RunSysbench({"compare", "--threshold", "-5%", base, kSample}), "--threshold");
  ExpectOneLineError(RunSysbench({"compare", "--alpha", "2", base, kSample}), "--alpha");
  ExpectOneLineError(RunSysbench({"compare", "--gate", "flops:", base, kSample}), "--gate");
  ExpectOneLineError(RunSysbench({"compare", "--gate", "a,,b", base, kSample}), "--gate");
  ExpectOneLineError(RunSysbench({"--format", "html", "compare", base, kSample}), "html");
  ExpectOneLineError(
      RunSysbench({"compare", "--summary", (dir_ / "no" / "such").string(), base, kSample}),
      "--summary");
}

TEST_F(CompareTest, DifferentEnvironmentWarnsOrFailsWithStrictEnv) {
  json other = LoadSample();
  other["context"]["cpu_model"] = "Another CPU";
  other["context"]["measured_clock_ghz"] = 3.0;
  const std::string path = WriteJson("other-cpu.json", other);
  const std::string base = Base();
  const CliRun warn = RunSysbench({"compare", base, path});
  EXPECT_EQ(warn.code, 0);
  EXPECT_NE(warn.err.find("warning: the runs' environments differ"), std::string::npos) << warn.err;
  EXPECT_NE(warn.err.find("Another CPU"), std::string::npos);
  EXPECT_NE(warn.err.find("measured clock"), std::string::npos);
  ExpectOneLineError(RunSysbench({"compare", "--strict-env", base, path}), "--strict-env");
  // The clock within 5% is the same environment.
  json close = LoadSample();
  close["context"]["measured_clock_ghz"] = 4.3;
  EXPECT_EQ(RunSysbench({"compare", "--strict-env", base, WriteJson("close.json", close)}).code, 0);
}

TEST_F(CompareTest, EveryFormatAndTheJobSummary) {
  const std::string base = Base(), slower = Current(0.8);
  const CliRun tsv = RunSysbench({"--format", "tsv", "compare", base, slower});
  EXPECT_EQ(tsv.code, 1);
  EXPECT_EQ(tsv.out.rfind("command\tcase\tmetric\tunit\tbetter\tgated\tbaseline\tcurrent\t"
                          "change_pct\tp_value\tadjusted_p\tnoise_pct\tmde_pct\tn_baseline\t"
                          "n_current\tcontended\tverdict\n",
                          0),
            0u)
      << tsv.out;
  EXPECT_NE(tsv.out.find("\tregressed\n"), std::string::npos);
  const CliRun csv = RunSysbench({"--format", "csv", "compare", base, slower});
  EXPECT_EQ(csv.out.rfind("command,case,metric", 0), 0u);
  const std::string summary = (dir_ / "summary.md").string();
  Write("summary.md", "earlier step\n");
  const CliRun md =
      RunSysbench({"--format", "markdown", "compare", "--summary", summary, base, slower});
  EXPECT_NE(md.out.find("### sysbench gate: :x:"), std::string::npos) << md.out;
  EXPECT_NE(md.out.find("| gate | command | case |"), std::string::npos);
  EXPECT_NE(md.out.find("**REGRESSED**"), std::string::npos);
  std::ifstream in_summary(summary);
  const std::string appended((std::istreambuf_iterator<char>(in_summary)),
                             std::istreambuf_iterator<char>());
  EXPECT_EQ(appended, "earlier step\n" + md.out);
  const CliRun jsonl = RunSysbench({"--format", "jsonl", "compare", base, slower});
  EXPECT_GT(LineCount(jsonl.out), 50);
  EXPECT_EQ(json::parse(jsonl.out.substr(0, jsonl.out.find('\n')))["command"], "flops");
  const CliRun doc = RunSysbench(
      {"--format", "json", "-o", (dir_ / "cmp.json").string(), "compare", base, slower});
  EXPECT_EQ(doc.code, 1);
  EXPECT_EQ(doc.out, "");
  std::ifstream in(dir_ / "cmp.json");
  const json parsed = json::parse(in);
  EXPECT_EQ(parsed["kind"], "comparison");
  EXPECT_EQ(parsed["baseline_runs"], 5);
  EXPECT_GE(parsed["summary"]["regressed"].get<int>(), 4);
  EXPECT_GT(parsed["summary"]["worse_not_gated"].get<int>(), 50);
}

// Exact figures on fixed runs: the t test, Holm over the gated rows, the detectable change.
TEST(CompareModel, BetweenRunTestHolmAndResolution) {
  auto runs = [](const std::vector<double>& a, const std::vector<double>& b, Better better) {
    RunSet set;
    set.label = "set";
    for (std::size_t i = 0; i < a.size(); ++i) {
      std::vector<Result> run;
      run.push_back(Result("x", "a").Add(Metric{"m", a[i], "u", better, Source::kMeasured}));
      run.push_back(Result("x", "b").Add(Metric{"m", b[i], "u", better, Source::kMeasured}));
      run.push_back(
          Result("x", "fact")
              .Add(Metric{"m", static_cast<double>(i), "u", Better::kNone, Source::kMeasured}));
      set.runs.push_back(run);
    }
    return set;
  };
  const RunSet base = runs({100, 102, 98, 101, 99}, {7, 7, 7, 7, 7}, Better::kHigher);
  const RunSet cur = runs({90, 91, 89}, {7, 7, 7}, Better::kHigher);
  CompareOptions options;
  options.gate = "x";
  const Comparison c = Compare(base, cur, options);
  ASSERT_EQ(c.rows.size(), 3u);
  EXPECT_EQ(c.GatedCount(), 2u);
  const ComparisonRow& a = c.rows[0];
  EXPECT_NEAR(a.baseline, 99.98999879971987, 1e-9);
  EXPECT_NEAR(a.current, 89.99629614387005, 1e-9);
  EXPECT_NEAR(a.change_pct, -9.99470224603884, 1e-9);
  EXPECT_NEAR(*a.p_value, 5.788659141314703e-05, 1e-15);
  EXPECT_NEAR(*a.adjusted_p, 2 * 5.788659141314703e-05, 1e-15);  // Holm, 2 gated rows
  EXPECT_NEAR(*a.mde_pct, 4.163736086381423, 1e-7);              // at alpha 0.05 / 2
  EXPECT_EQ(a.verdict, Verdict::kRegressed);
  EXPECT_DOUBLE_EQ(*c.rows[1].adjusted_p, 1);
  EXPECT_EQ(c.rows[1].verdict, Verdict::kSame);
  EXPECT_FALSE(c.rows[2].gated);
  EXPECT_EQ(c.rows[2].verdict, Verdict::kNoDirection);
}

}  // namespace
}  // namespace sysbench::testing
