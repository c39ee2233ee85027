// --format gbench-json and --format html / sysbench report, on synthetic runs (tests/data).
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_util.h"
#include "report/escape.h"
#include "report/reporters.h"
#include "report/svg_chart.h"
#include "temp_dir.h"

namespace sysbench::testing {
namespace {

using nlohmann::json;

const std::string kSample = std::string(SYSBENCH_TEST_DATA) + "/report_sample.json";

std::size_t Count(const std::string& text, const std::string& what) {
  std::size_t n = 0;
  for (std::size_t at = text.find(what); at != std::string::npos; at = text.find(what, at + 1)) ++n;
  return n;
}

// The fields Google Benchmark's tools/compare.py and gbench/report.py read: benchmarks[].name,
// real_time, cpu_time, time_unit (partition_benchmarks, get_difference_report), run_type and
// aggregate_name (aggregates), repetitions/repetition_index/family_index/
// per_family_instance_index (sort_benchmark_results), at least 2 iterations of a name for the U
// test, positive times for its geometric mean, and one time_unit per name.
TEST(GbenchJson, HasTheFieldsCompareDotPyReads) {
  const CliRun run = RunSysbench({"report", kSample, "--format", "gbench-json"});
  ASSERT_EQ(run.code, 0) << run.err;
  const json doc = json::parse(run.out);
  for (const char* key : {"date", "host_name", "executable", "num_cpus", "mhz_per_cpu",
                          "cpu_scaling_enabled", "caches", "load_avg", "library_build_type"}) {
    EXPECT_TRUE(doc["context"].contains(key)) << key;
  }
  EXPECT_EQ(doc["context"]["mhz_per_cpu"], 4200);
  ASSERT_TRUE(doc["benchmarks"].is_array());
  std::map<std::string, std::string> unit_of;
  std::map<std::string, int> iterations_of;
  for (const json& b : doc["benchmarks"]) {
    SCOPED_TRACE(b.dump());
    for (const char* key :
         {"name", "run_name", "run_type", "real_time", "cpu_time", "time_unit", "repetitions",
          "threads", "iterations", "family_index", "per_family_instance_index"}) {
      ASSERT_TRUE(b.contains(key)) << key;
    }
    const std::string unit = b["time_unit"];
    EXPECT_TRUE(unit == "ns" || unit == "us" || unit == "ms" || unit == "s");
    EXPECT_GT(b["real_time"].get<double>(), 0);
    EXPECT_EQ(b["real_time"], b["cpu_time"]);
    const std::string name = b["name"];
    if (unit_of.count(name)) {
      EXPECT_EQ(unit_of[name], unit);
    }
    unit_of[name] = unit;
    if (b["run_type"] == "iteration") {
      EXPECT_TRUE(b.contains("repetition_index"));
      ++iterations_of[name];
    } else {
      EXPECT_EQ(b["run_type"], "aggregate");
      EXPECT_TRUE(b.contains("aggregate_name"));
      EXPECT_EQ(name,
                b["run_name"].get<std::string>() + "_" + b["aggregate_name"].get<std::string>());
    }
  }
  // Sampled metrics keep every repetition, so compare.py can run its U test.
  EXPECT_EQ(iterations_of["flops/fma/f64/avx512/threads=1/gflops"], 10);
  EXPECT_EQ(iterations_of["latency/size=4096/ns_per_load"], 10);
  EXPECT_EQ(iterations_of["latency/levels/l1_ns"], 1);
  // Skipped cases and metrics without a direction are left out.
  EXPECT_EQ(iterations_of.count("flops/fma/bf16/avx512_bf16/threads=1/gflops"), 0u);
  EXPECT_EQ(iterations_of.count("flops/fma/f64/avx512/threads=1/peak_gflops"), 0u);
}

TEST(GbenchJson, HigherIsBetterBecomesNanosecondsPerUnit) {
  const CliRun run = RunSysbench({"report", kSample, "--format", "gbench-json"});
  const json doc = json::parse(run.out);
  const json in = json::parse(std::ifstream(kSample));
  json flops_case;
  for (const json& r : in["results"]) {
    if (r["case"] == "fma/f64/avx512/threads=2") flops_case = r;
  }
  int seen = 0;
  for (const json& b : doc["benchmarks"]) {
    if (b["name"] != "flops/fma/f64/avx512/threads=2/gflops") continue;
    const int i = b["repetition_index"];
    const double gflops = flops_case["samples"][static_cast<std::size_t>(i)];
    EXPECT_EQ(b["time_unit"], "ns");
    EXPECT_DOUBLE_EQ(b["real_time"].get<double>(), 1e9 / gflops);
    EXPECT_DOUBLE_EQ(b["gflops"].get<double>(), gflops);
    EXPECT_EQ(b["threads"], 2);
    ++seen;
  }
  EXPECT_EQ(seen, 10);
  // Lower-is-better times keep their unit and value.
  for (const json& b : doc["benchmarks"]) {
    if (b["name"] == "latency/levels/dram_ns") {
      EXPECT_EQ(b["time_unit"], "ns");
      EXPECT_DOUBLE_EQ(b["real_time"].get<double>(), 88.0);
    }
  }
}

// Google Benchmark's own compare.py (Debian: libbenchmark-tools, with python3-scipy) on two
// sysbench documents, where the second has 10% more GFLOP/s in one case. Skipped when either is
// missing: neither is a set-up package.
TEST(GbenchJson, GoogleBenchmarksComparePyReadsIt) {
  const std::string python = "/usr/bin/python3";
  const std::string compare_py = "/usr/share/benchmark/compare.py";
  if (!std::filesystem::exists(compare_py) ||
      std::system((python + " -c 'import scipy' 2>/dev/null").c_str()) != 0) {
    GTEST_SKIP() << "needs " << compare_py << " (libbenchmark-tools) and python3-scipy";
  }
  const TempDir temp("sysbench-compare-py");
  const std::filesystem::path& dir = temp.Path();
  json faster = json::parse(std::ifstream(kSample));
  for (json& r : faster["results"]) {
    if (r["case"] != "fma/f64/avx512/threads=1") continue;
    for (json& v : r["samples"]) v = v.get<double>() * 1.1;
    for (json& m : r["metrics"]) {
      if (m["name"] == "gflops") m["value"] = m["value"].get<double>() * 1.1;
    }
  }
  std::ofstream(dir / "faster.json") << faster.dump();
  const CliRun base = RunSysbench({"report", kSample, "--format", "gbench-json"});
  const CliRun current =
      RunSysbench({"report", (dir / "faster.json").string(), "--format", "gbench-json"});
  ASSERT_EQ(base.code, 0) << base.err;
  ASSERT_EQ(current.code, 0) << current.err;
  std::ofstream(dir / "base.json") << base.out;
  std::ofstream(dir / "current.json") << current.out;
  const std::string command = python + " " + compare_py + " --no-color -d " +
                              (dir / "diff.json").string() + " benchmarks " +
                              (dir / "base.json").string() + " " + (dir / "current.json").string() +
                              " > " + (dir / "out.txt").string() + " 2>&1";
  const int status = std::system(command.c_str());
  std::stringstream printed;
  printed << std::ifstream(dir / "out.txt").rdbuf();
  EXPECT_EQ(status, 0) << printed.str();
  std::ifstream diff_file(dir / "diff.json");
  const json diff = json::parse(diff_file, nullptr, false);
  ASSERT_TRUE(diff.is_array()) << printed.str();
  int checked = 0;
  for (const json& b : diff) {
    const std::string name = b["name"];
    if (name == "flops/fma/f64/avx512/threads=1/gflops_median") {
      const json& m = b["measurements"][0];
      EXPECT_NEAR(m["time"].get<double>(), 1 / 1.1 - 1, 1e-9);  // faster: less time per GFLOP
      EXPECT_GT(m["real_time"].get<double>(), 1);               // prints as a number, not as 0
      ++checked;
    } else if (name == "flops/fma/f64/avx512/threads=2/gflops_median") {
      EXPECT_NEAR(b["measurements"][0]["time"].get<double>(), 0, 1e-12);
      ++checked;
    }
  }
  EXPECT_EQ(checked, 2) << printed.str();
}

TEST(Html, SelfContainedWithAChartPerInterface) {
  const CliRun run = RunSysbench({"report", kSample});
  ASSERT_EQ(run.code, 0) << run.err;
  const std::string& html = run.out;
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("</html>"), std::string::npos);
  // Nothing to fetch: no scripts, no external references (the SVG namespace is only a name).
  EXPECT_EQ(html.find("<script"), std::string::npos);
  EXPECT_EQ(html.find("src="), std::string::npos);
  EXPECT_EQ(html.find("url("), std::string::npos);
  EXPECT_EQ(Count(html, "http"), Count(html, "xmlns=\"http://www.w3.org/2000/svg\""));
  for (const char* title :
       {"Time per pass relative to stride 1", "Load-to-use latency vs working set",
        "Throughput per ISA and dtype", "Scaling: speed-up vs threads", "Bandwidth per kernel",
        "Bandwidth vs working set", "ops_per_s per case", "ns_per_record per case"}) {
    EXPECT_NE(html.find(title), std::string::npos) << title;
  }
  EXPECT_GE(Count(html, "<svg"), 9u);
  EXPECT_EQ(Count(html, "<svg"), Count(html, "</svg>"));
  EXPECT_GE(Count(html, "<polyline"), 6u);
  EXPECT_NE(html.find("detected line"), std::string::npos);  // the marker from detected_line_bytes
  EXPECT_NE(html.find("AVX512_BF16 not supported"), std::string::npos);
  EXPECT_NE(html.find("Synthetic Xeon"), std::string::npos);
}

TEST(Html, FormatHtmlOnAMeasuringCommandAndEscaping) {
  const CliRun run = RunSysbench({"--quiet", "--format", "html", "float-info"});
  ASSERT_EQ(run.code, 0) << run.err;
  EXPECT_NE(run.out.find("<section id=\"cmd-float-info\">"), std::string::npos);
  EXPECT_EQ(report::XmlEscape("a<b & \"c\">"), "a&lt;b &amp; &quot;c&quot;&gt;");
}

// A topic's chart specs drive the html charts; a spec whose metric was renamed shows up in
// ChartFieldsMissing instead of silently dropping its chart.
TEST(Html, DrawsTheChartsATopicDeclaresAndFindsRenamedMetrics) {
  std::vector<Result> results;
  for (int size : {1024, 4096, 16384}) {
    Result r("topic", "size=" + std::to_string(size));
    r.Param("size_bytes", std::to_string(size));
    r.AddSampled("ns_per_op", {1.0 * size, 1.1 * size}, "ns", Better::kLower);
    results.push_back(r);
  }
  const std::vector<ChartSpec> charts = {
      ChartSpec::Line("Cost vs size", "ns_per_op", "size_bytes", "size", {}),
      ChartSpec::Bars("Renamed", "ns_per_call")};
  const auto render = [&](const std::vector<ChartSpec>& specs) {
    std::ostringstream out;
    auto html = report::MakeHtmlReporter(
        out, [&](std::string_view) -> const std::vector<ChartSpec>& { return specs; });
    html->Begin({});
    for (const Result& r : results) html->Report(r);
    html->End();
    return out.str();
  };
  const std::string html = render(charts);
  EXPECT_NE(html.find("Cost vs size"), std::string::npos);
  EXPECT_EQ(Count(html, "<polyline"), 1u);
  // The line chart drew ns_per_op, so no generic bar chart repeats it.
  EXPECT_EQ(html.find("ns_per_op per case"), std::string::npos);
  EXPECT_EQ(html.find("Renamed"), std::string::npos);  // nothing to draw: no such metric
  EXPECT_EQ(report::ChartFieldsMissing(charts[0], results), std::vector<std::string>{});
  EXPECT_EQ(report::ChartFieldsMissing(charts[1], results),
            std::vector<std::string>{"metric ns_per_call"});
  ChartSpec moved = charts[0];
  moved.x_param = "bytes";
  EXPECT_EQ(report::ChartFieldsMissing(moved, results), std::vector<std::string>{"param bytes"});
  // Without specs, the sampled metric still gets its generic bar chart.
  EXPECT_NE(render({}).find("ns_per_op per case"), std::string::npos);
}

TEST(Html, NiceTicks) {
  EXPECT_EQ(report::NiceTicks(0, 9.5), (std::vector<double>{0, 2, 4, 6, 8, 10}));
  EXPECT_EQ(report::NiceTicks(0, 1),
            (std::vector<double>{0, 0.2, 0.4, 0.6000000000000001, 0.8, 1}));
}

TEST(Report, RendersASavedRunInAnyFormatAndRejectsBadInput) {
  const CliRun md = RunSysbench({"report", kSample, "--format", "markdown"});
  ASSERT_EQ(md.code, 0) << md.err;
  EXPECT_NE(md.out.find("### cache-stride"), std::string::npos);
  const CliRun bad = RunSysbench({"report", "/nonexistent.json"});
  EXPECT_EQ(bad.code, 2);
  EXPECT_EQ(bad.out, "");
  EXPECT_EQ(LineCount(bad.err), 1);
  const CliRun none = RunSysbench({"report"});
  EXPECT_EQ(none.code, 2);
}

}  // namespace
}  // namespace sysbench::testing
