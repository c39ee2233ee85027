// The regression gate: sysbench compare and the comparison model.
#include "cli/compare.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli_test_util.h"
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
};

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

void ExpectOneLineError(const CliRun& run, const std::string& mentions) {
  EXPECT_EQ(run.code, 2);
  EXPECT_EQ(run.out, "");
  EXPECT_EQ(LineCount(run.err), 1) << run.err;
  EXPECT_EQ(run.err.rfind("sysbench: ", 0), 0u) << run.err;
  EXPECT_NE(run.err.find(mentions), std::string::npos) << run.err;
}

TEST_F(CompareTest, ARunAgainstItselfPasses) {
  const CliRun run = RunSysbench({"compare", kSample, kSample});
  EXPECT_EQ(run.code, 0) << run.err;
  EXPECT_EQ(run.err, "");
  EXPECT_NE(run.out.find("0 regressed"), std::string::npos) << run.out;
  EXPECT_EQ(run.out.find("REGRESSED"), std::string::npos);
}

TEST_F(CompareTest, ABaselineTwentyPercentBetterFailsAndNamesTheCases) {
  const std::string better = WriteJson("better.json", MadeBetter(LoadSample(), 1.25));
  const CliRun run = RunSysbench({"compare", better, kSample});
  EXPECT_EQ(run.code, 1) << run.err;
  EXPECT_NE(run.out.find("REGRESSED"), std::string::npos);
  EXPECT_NE(run.out.find("fma/f64/avx512/threads=1"), std::string::npos);
  EXPECT_NE(run.err.find("sysbench: compare: "), std::string::npos) << run.err;
  EXPECT_NE(run.err.find("flops fma/f32/avx2/threads=2 gflops -20.0%"), std::string::npos)
      << run.err;
  EXPECT_NE(run.err.find("latency size=4096 ns_per_load +25.0%"), std::string::npos) << run.err;
  // Reversed, the same numbers are improvements.
  const CliRun reversed = RunSysbench({"--format", "json", "compare", kSample, better});
  EXPECT_EQ(reversed.code, 0) << reversed.err;
  const json doc = json::parse(reversed.out);
  EXPECT_EQ(doc["summary"]["regressed"], 0);
  EXPECT_GT(doc["summary"]["improved"].get<int>(), 50);
}

TEST_F(CompareTest, SmallChangesAndNoiseDoNotFail) {
  // 3% better is within the 5% threshold; with --threshold 1% it regresses.
  const std::string slightly = WriteJson("slightly.json", MadeBetter(LoadSample(), 1.03));
  EXPECT_EQ(RunSysbench({"compare", slightly, kSample}).code, 0);
  EXPECT_EQ(RunSysbench({"compare", "--threshold", "1%", slightly, kSample}).code, 1);
  // A lower alpha than any p-value the samples can reach: nothing is significant.
  const std::string better = WriteJson("better.json", MadeBetter(LoadSample(), 1.25));
  const CliRun strict = RunSysbench({"compare", "--alpha", "1e-9", better, kSample});
  EXPECT_EQ(strict.code, 0) << strict.err;
  EXPECT_NE(strict.out.find("not-significant"), std::string::npos);
}

TEST_F(CompareTest, BadInputExitsTwoWithOneLine) {
  const std::string text = LoadSample().dump();
  ExpectOneLineError(
      RunSysbench({"compare", Write("truncated.json", text.substr(0, text.size() / 2)), kSample}),
      "not a JSON document");
  ExpectOneLineError(RunSysbench({"compare", kSample, Write("text.json", "hello\n")}),
                     "not a JSON document");
  ExpectOneLineError(RunSysbench({"compare", (dir_ / "missing.json").string(), kSample}),
                     "missing.json");
  json wrong = LoadSample();
  wrong["schema_version"] = 99;
  ExpectOneLineError(RunSysbench({"compare", WriteJson("v99.json", wrong), kSample}),
                     "schema_version 99");
  ExpectOneLineError(RunSysbench({"compare", Write("array.json", "[1,2]"), kSample}),
                     "schema_version");
  json other = LoadSample();
  for (json& r : other["results"]) r["command"] = "something-else";
  ExpectOneLineError(RunSysbench({"compare", WriteJson("other.json", other), kSample}),
                     "no results in common");
  ExpectOneLineError(RunSysbench({"compare", kSample}), "current");
  ExpectOneLineError(RunSysbench({"compare", "--threshold", "abc", kSample, kSample}),
                     "--threshold");
  ExpectOneLineError(RunSysbench({"compare", "--threshold", "-5%", kSample, kSample}),
                     "--threshold");
  ExpectOneLineError(RunSysbench({"compare", "--alpha", "2", kSample, kSample}), "--alpha");
  ExpectOneLineError(RunSysbench({"--format", "html", "compare", kSample, kSample}), "html");
  ExpectOneLineError(RunSysbench({"compare", dir_.string(), kSample}), "directory");
}

TEST_F(CompareTest, DifferentEnvironmentWarnsOrFailsWithStrictEnv) {
  json other = LoadSample();
  other["context"]["cpu_model"] = "Another CPU";
  other["context"]["measured_clock_ghz"] = 3.0;
  const std::string path = WriteJson("other-cpu.json", other);
  const CliRun warn = RunSysbench({"compare", path, kSample});
  EXPECT_EQ(warn.code, 0);
  EXPECT_NE(warn.err.find("warning: the two runs' environments differ"), std::string::npos)
      << warn.err;
  EXPECT_NE(warn.err.find("Another CPU"), std::string::npos);
  EXPECT_NE(warn.err.find("measured clock"), std::string::npos);
  ExpectOneLineError(RunSysbench({"compare", "--strict-env", path, kSample}), "--strict-env");
  // The clock within 5% is the same environment.
  json close = LoadSample();
  close["context"]["measured_clock_ghz"] = 4.3;
  EXPECT_EQ(RunSysbench({"compare", "--strict-env", WriteJson("close.json", close), kSample}).code,
            0);
}

TEST_F(CompareTest, EveryFormat) {
  const std::string better = WriteJson("better.json", MadeBetter(LoadSample(), 1.25));
  const CliRun tsv = RunSysbench({"--format", "tsv", "compare", better, kSample});
  EXPECT_EQ(tsv.code, 1);
  EXPECT_EQ(tsv.out.rfind("command\tcase\tmetric\tunit\tbetter\tbaseline\tcurrent\tchange_pct\t"
                          "p_value\tn_baseline\tn_current\tverdict\n",
                          0),
            0u);
  EXPECT_NE(tsv.out.find("\tregressed\n"), std::string::npos);
  const CliRun csv = RunSysbench({"--format", "csv", "compare", better, kSample});
  EXPECT_EQ(csv.out.rfind("command,case,metric", 0), 0u);
  const CliRun md = RunSysbench({"--format", "markdown", "compare", better, kSample});
  EXPECT_NE(md.out.find("| command | case | metric |"), std::string::npos);
  EXPECT_NE(md.out.find("**REGRESSED**"), std::string::npos);
  const CliRun jsonl = RunSysbench({"--format", "jsonl", "compare", better, kSample});
  EXPECT_GT(LineCount(jsonl.out), 50);
  EXPECT_EQ(json::parse(jsonl.out.substr(0, jsonl.out.find('\n')))["command"], "cache-stride");
  const CliRun doc = RunSysbench(
      {"--format", "json", "-o", (dir_ / "cmp.json").string(), "compare", better, kSample});
  EXPECT_EQ(doc.code, 1);
  EXPECT_EQ(doc.out, "");
  std::ifstream in(dir_ / "cmp.json");
  const json parsed = json::parse(in);
  EXPECT_EQ(parsed["kind"], "comparison");
  EXPECT_GT(parsed["summary"]["regressed"].get<int>(), 50);
}

TEST_F(CompareTest, TooFewSamplesForSignificanceIsSaid) {
  json three = LoadSample();
  for (json& r : three["results"]) {
    if (r["samples"].size() > 3)
      r["samples"] = json::array({r["samples"][0], r["samples"][1], r["samples"][2]});
  }
  const std::string path = WriteJson("three.json", three);
  const CliRun run = RunSysbench({"compare", path, path});
  EXPECT_EQ(run.code, 0);
  EXPECT_NE(run.err.find("cannot reach p < 0.05"), std::string::npos) << run.err;
}

TEST(CompareModel, VerdictsFollowDirectionThresholdAndSignificance) {
  report::ResultsDocument base, cur;
  base.path = "a";
  cur.path = "b";
  auto add = [](report::ResultsDocument& doc, const std::string& c, double scale, Better better,
                bool sampled) {
    Result r("x", c);
    std::vector<double> samples;
    for (int i = 0; i < 10; ++i) samples.push_back(scale * (100 + i));
    if (sampled) {
      r.AddSampled("m", samples, "u", better);
    } else {
      r.Add(Metric{"m", scale * 104.5, "u", better, Source::kMeasured});
    }
    doc.results.push_back(r);
  };
  add(base, "faster", 1, Better::kHigher, true);
  add(cur, "faster", 1.5, Better::kHigher, true);
  add(base, "slower", 1, Better::kLower, true);
  add(cur, "slower", 1.5, Better::kLower, true);
  add(base, "same", 1, Better::kLower, true);
  add(cur, "same", 1.01, Better::kLower, true);
  add(base, "unsampled", 1, Better::kLower, false);
  add(cur, "unsampled", 2, Better::kLower, false);
  add(base, "fact", 1, Better::kNone, false);
  add(cur, "fact", 2, Better::kNone, false);
  add(base, "gone", 1, Better::kNone, false);
  const Comparison c = Compare(base, cur, CompareOptions{});
  ASSERT_EQ(c.rows.size(), 5u);
  EXPECT_EQ(c.rows[0].verdict, Verdict::kImproved);
  EXPECT_NEAR(c.rows[0].change_pct, 50, 1e-9);
  EXPECT_EQ(c.rows[1].verdict, Verdict::kRegressed);
  EXPECT_EQ(c.rows[2].verdict, Verdict::kSame);
  EXPECT_EQ(c.rows[3].verdict, Verdict::kUntested);
  EXPECT_FALSE(c.rows[3].p_value.has_value());
  EXPECT_EQ(c.rows[4].verdict, Verdict::kNoDirection);
  EXPECT_EQ(c.only_in_baseline, 1u);
  EXPECT_EQ(c.only_in_current, 0u);
  EXPECT_NEAR(*c.rows[1].p_value, 1.082508822446903e-05, 1e-12);
}

}  // namespace
}  // namespace sysbench::testing
