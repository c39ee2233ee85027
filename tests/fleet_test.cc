// sysbench fleet merge / report: completeness, bad input, and a slowed node found alone.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <nlohmann/json.hpp>

#include "cli/fleet_report.h"
#include "cli_test_util.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

using nlohmann::json;

// A run document as `--format json` writes it: one flops case whose headline is gflops.
json RunDocument(const std::string& node, int index, int count, double gflops,
                 const std::string& cpu = "Test CPU 9000", const std::string& job = "42") {
  json metric = {{"name", "gflops"},
                 {"value", gflops},
                 {"unit", "GFLOP/s"},
                 {"better", "higher"},
                 {"source", "measured"}};
  json result = {{"command", "flops"},
                 {"case", "fma/f32/avx2/threads=1"},
                 {"params", json::object()},
                 {"metrics", json::array({metric})},
                 {"samples", json::array({gflops, gflops})},
                 {"samples_metric", "gflops"}};
  json shard = {{"launcher", count > 0 ? "slurm-step" : "none"},
                {"index", index},
                {"count", count},
                {"node", node},
                {"job_id", job},
                {"step_id", "0"}};
  json context = {{"host", node},
                  {"cpu_model", cpu},
                  {"logical_cpus", 8},
                  {"version", "0.1.0"},
                  {"build_type", "Release"},
                  {"argv", {"sysbench", "--quick", "flops", "--format", "json"}},
                  {"shard", shard}};
  return {{"schema_version", 1}, {"context", context}, {"results", json::array({result})}};
}

class FleetTest : public ::testing::Test {
 protected:
  std::string Write(const std::string& name, const json& doc) {
    const std::string path = (temp_ / name).string();
    std::ofstream(path) << doc.dump(2);
    return path;
  }
  // Five nodes of one job; node n3 is 30% slower.
  std::vector<std::string> FiveNodes() {
    const double values[] = {100, 101, 99, 70, 100.5};
    std::vector<std::string> paths;
    for (int i = 0; i < 5; ++i) {
      paths.push_back(
          Write(fmt::format("run{}.json", i), RunDocument(fmt::format("n{}", i), i, 5, values[i])));
    }
    return paths;
  }
  TempDir temp_{"sysbench-fleet-test"};
};

TEST_F(FleetTest, MergeThenReportFlagsExactlyTheSlowNode) {
  FiveNodes();
  const std::string fleet = (temp_ / "fleet.json").string();
  const CliRun merge = RunSysbench({"fleet", "merge", temp_.Str(), "-o", fleet});
  ASSERT_EQ(merge.code, 0) << merge.err;
  const CliRun report = RunSysbench({"--format", "json", "fleet", "report", fleet});
  ASSERT_EQ(report.code, 0) << report.err;
  const json doc = json::parse(report.out);
  int flagged = 0;
  for (const json& r : doc["results"]) {
    if (r["command"] != "fleet-node") continue;
    const std::string node = r["params"]["node"];
    const std::string verdict = r["metrics"][3]["value"];
    if (verdict != "no") {
      ++flagged;
      EXPECT_EQ(node, "n3#3");
      EXPECT_EQ(verdict, "worse");
      EXPECT_DOUBLE_EQ(r["metrics"][1]["value"].get<double>(), -30);  // deviation_pct
    }
  }
  EXPECT_EQ(flagged, 1);
  EXPECT_NE(report.out.find("0.6745 * (x - median) / MAD| > 3.5"), std::string::npos);
  // The same verdicts in tsv and markdown, and `sysbench report` renders a fleet too.
  for (const char* format : {"tsv", "markdown", "text"}) {
    const CliRun other = RunSysbench({"--format", format, "report", fleet});
    ASSERT_EQ(other.code, 0) << other.err;
    EXPECT_NE(other.out.find("n3#3"), std::string::npos) << format;
    EXPECT_NE(other.out.find("worse"), std::string::npos) << format;
    EXPECT_NE(other.out.find("suspect"), std::string::npos) << format;
  }
  const CliRun gate = RunSysbench({"fleet", "report", "--fail-on-outlier", fleet});
  EXPECT_EQ(gate.code, 1) << gate.err;
}

TEST_F(FleetTest, QuietFleetPassesTheGate) {
  for (int i = 0; i < 4; ++i) {
    Write(fmt::format("run{}.json", i), RunDocument(fmt::format("n{}", i), i, 4, 100 + i * 0.5));
  }
  const CliRun gate = RunSysbench({"fleet", "report", "--fail-on-outlier", temp_.Str()});
  EXPECT_EQ(gate.code, 0) << gate.err;
  EXPECT_EQ(gate.out.find("suspect"), std::string::npos);
}

TEST_F(FleetTest, DifferentCpuModelsAreGroupedNotMixed) {
  // Three fast nodes of one model and three slow nodes of another: two groups, no outliers.
  for (int i = 0; i < 6; ++i) {
    Write(fmt::format("run{}.json", i),
          RunDocument(fmt::format("n{}", i), i, 6, i < 3 ? 100.0 + i : 50.0 + i,
                      i < 3 ? "Fast CPU" : "Slow CPU"));
  }
  const CliRun report = RunSysbench({"--format", "json", "fleet", "report", temp_.Str()});
  ASSERT_EQ(report.code, 0) << report.err;
  const json doc = json::parse(report.out);
  int groups = 0;
  for (const json& r : doc["results"]) {
    if (r["command"] == "fleet-metric") {
      ++groups;
      EXPECT_EQ(r["metrics"][0]["value"], 3);  // nodes per group
      EXPECT_EQ(r["metrics"][5]["value"], 0);  // outliers
    }
  }
  EXPECT_EQ(groups, 2);
}

TEST_F(FleetTest, MissingShardFailsTheMergeAndIsNamed) {
  std::vector<std::string> paths = FiveNodes();
  std::filesystem::remove(paths[2]);
  ExpectUsageError({"fleet", "merge", temp_.Str()}, "shard 2 of 5 of job '42' is missing");
}

TEST_F(FleetTest, BadInputGetsOneLine) {
  const std::string a = Write("a.json", RunDocument("n1", 0, 0, 100));
  const std::string b = Write("b.json", RunDocument("n1", 0, 0, 101));
  ExpectUsageError({"fleet", "merge", a, b}, "come from the same node 'n1'");
  json old = RunDocument("n2", 0, 0, 100);
  old["schema_version"] = 2;
  const std::string c = Write("c.json", old);
  ExpectUsageError({"fleet", "merge", a, c}, "schema_version 2");
  const std::string empty = (temp_ / "empty").string();
  std::filesystem::create_directory(empty);
  ExpectUsageError({"fleet", "merge", empty}, "has no .json files");
  ExpectUsageError({"fleet", "merge", (temp_ / "nothing.json").string()}, "No such file");
  ExpectUsageError({"fleet", "report", "--z-limit", "0", a}, "--z-limit");
  ExpectUsageError({"--format", "tsv", "fleet", "merge", a}, "json only");
  const std::string d = Write("d.json", RunDocument("n9", 1, 2, 100, "Test CPU 9000", "7"));
  const std::string e = Write("e.json", RunDocument("n8", 1, 2, 100, "Test CPU 9000", "7"));
  ExpectUsageError({"fleet", "merge", d, e}, "shard 1 of job '7' appears twice");
  const std::string fleet = (temp_ / "fleet.json").string();
  ASSERT_EQ(RunSysbench({"fleet", "merge", a, "-o", fleet}).code, 0);
  ExpectUsageError({"fleet", "merge", a, fleet}, "already a fleet document");
}

TEST_F(FleetTest, NetPairsBecomeAnAllPairsMatrix) {
  std::vector<std::string> paths;
  for (int i = 0; i < 3; ++i) {
    json doc = RunDocument(fmt::format("n{}", i), i, 3, 100);
    for (int to = i + 1; to < 3; ++to) {
      json metric = {{"name", "p50_us"},
                     {"value", 10.0 * (i + to)},
                     {"unit", "us"},
                     {"better", "lower"},
                     {"source", "measured"}};
      doc["results"].push_back(
          {{"command", "net"},
           {"case", fmt::format("pair={}-{}/tcp/rtt/size=64", i, to)},
           {"params", {{"from", std::to_string(i)}, {"to", std::to_string(to)}}},
           {"metrics", json::array({metric})},
           {"samples", json::array({10.0})},
           {"samples_metric", "p50_us"}});
    }
    paths.push_back(Write(fmt::format("run{}.json", i), doc));
  }
  const CliRun report = RunSysbench({"--format", "json", "fleet", "report", temp_.Str()});
  ASSERT_EQ(report.code, 0) << report.err;
  int matrices = 0;
  const json doc = json::parse(report.out);
  for (const json& r : doc["results"]) {
    EXPECT_EQ(r["case"].get<std::string>().find("pair="), std::string::npos);  // not per node
    if (r["command"] != "fleet-net") continue;
    ++matrices;
    EXPECT_EQ(r["case"], "tcp/rtt/size=64/p50_us");
    ASSERT_EQ(r["metrics"].size(), 3u);
    EXPECT_EQ(r["metrics"][0]["name"], "0->1");
    EXPECT_EQ(r["metrics"][0]["value"], 10.0);
    EXPECT_EQ(r["metrics"][1]["name"], "0->2");
    EXPECT_EQ(r["metrics"][2]["name"], "1->2");
    EXPECT_EQ(r["metrics"][2]["value"], 30.0);
  }
  EXPECT_EQ(matrices, 1);
}

TEST(FleetStrip, MarksNodesOutliersAndTheMedian) {
  EXPECT_EQ(fleet::StripChart({0, 5, 10}, {false, false, true}, 5, 11), "o....o....X");
  EXPECT_EQ(fleet::StripChart({1, 9}, {false, false}, 5, 9), "o...|...o");
  EXPECT_EQ(fleet::StripChart({3, 3}, {false, false}, 3, 5), "..o..");
}

}  // namespace
}  // namespace sysbench::testing
