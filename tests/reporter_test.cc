#include "sysbench/reporter.h"

#include <gtest/gtest.h>

#include <cmath>
#include <nlohmann/json.hpp>
#include <sstream>

#include "cli_test_util.h"
#include "report/table.h"
#include "sysbench/error.h"

namespace sysbench {
namespace {

std::vector<Result> SampleResults() {
  Result timed("demo", "fma/f32/threads=1");
  timed.Param("dtype", "f32").Param("threads", "1");
  timed.AddSampled("gflops", {10.0, 11.0, 12.0}, "GFLOP/s", Better::kHigher);
  timed.Add(Metric{"pct_of_peak", 97.5, "%", Better::kHigher, Source::kComputed});
  Result facts("demo", "facts, with \"quotes\"");
  facts.Add(
      Metric{"max", std::uint64_t{18446744073709551615u}, "", Better::kNone, Source::kLookedUp});
  facts.Add(Metric{"inf", HUGE_VAL, "", Better::kNone, Source::kComputed});
  facts.Add(Metric{"nan", std::nan(""), "", Better::kNone, Source::kComputed});
  facts.Add(Metric{"text", std::string("a\tb,c"), "", Better::kNone, Source::kLookedUp});
  Result skipped("demo", "avx9");
  skipped.skipped = "AVX-9 not supported by this CPU";
  return {timed, facts, skipped};
}

std::string Render(const std::string& format) {
  std::ostringstream out;
  auto reporter = MakeReporter(format, out);
  RunContextInfo context;
  context.version = "test";
  reporter->Begin(context);
  for (const Result& r : SampleResults()) reporter->Report(r);
  reporter->End();
  return out.str();
}

TEST(Reporters, JsonIsOneValidDocumentWithExactValues) {
  const auto doc = nlohmann::json::parse(Render("json"));
  EXPECT_EQ(doc["schema_version"], 1);
  EXPECT_EQ(doc["context"]["version"], "test");
  ASSERT_EQ(doc["results"].size(), 3u);
  const auto& timed = doc["results"][0];
  EXPECT_EQ(timed["case"], "fma/f32/threads=1");
  EXPECT_EQ(timed["params"]["dtype"], "f32");
  EXPECT_EQ(timed["metrics"][0]["name"], "gflops");
  EXPECT_EQ(timed["metrics"][0]["value"], 11.0);
  EXPECT_EQ(timed["metrics"][0]["better"], "higher");
  EXPECT_EQ(timed["samples"].size(), 3u);
  EXPECT_EQ(timed["samples_metric"], "gflops");
  EXPECT_EQ(timed["stats"]["n"], 3);
  EXPECT_EQ(timed["unstable"], true);  // 10/11/12 spread by 9%
  const auto& facts = doc["results"][1];
  EXPECT_EQ(facts["metrics"][0]["value"].get<std::uint64_t>(), 18446744073709551615u);
  EXPECT_EQ(facts["metrics"][0]["better"], nullptr);
  EXPECT_EQ(facts["metrics"][0]["source"], "lookup");
  EXPECT_EQ(facts["metrics"][1]["value"], "inf");
  EXPECT_EQ(facts["metrics"][2]["value"], "nan");
  EXPECT_EQ(doc["results"][2]["skipped"], "AVX-9 not supported by this CPU");
}

TEST(Reporters, JsonLinesHasOneResultPerLine) {
  std::istringstream in(Render("jsonl"));
  std::string line;
  int lines = 0;
  while (std::getline(in, line)) {
    const auto result = nlohmann::json::parse(line);
    EXPECT_TRUE(result.contains("command"));
    EXPECT_TRUE(result.contains("metrics"));
    ++lines;
  }
  EXPECT_EQ(lines, 3);
}

TEST(Reporters, TsvIsLongFormWithFixedColumns) {
  const std::string tsv = Render("tsv");
  std::istringstream in(tsv);
  std::string header;
  std::getline(in, header);
  EXPECT_EQ(header, "command\tcase\tparams\tmetric\tvalue\tunit\tbetter\tsource\tspread\tnote");
  std::string line;
  int rows = 0;
  while (std::getline(in, line)) {
    EXPECT_EQ(std::count(line.begin(), line.end(), '\t'), 9) << line;
    ++rows;
  }
  EXPECT_EQ(rows, 2 + 4 + 1);  // two metrics, four facts, one skipped row
  EXPECT_NE(tsv.find("18446744073709551615"), std::string::npos);
  EXPECT_NE(tsv.find("a b,c"), std::string::npos);  // the tab became a space
}

TEST(Reporters, CsvQuotesFieldsThatNeedIt) {
  const std::string csv = Render("csv");
  EXPECT_NE(csv.find("\"facts, with \"\"quotes\"\"\""), std::string::npos) << csv;
  EXPECT_NE(csv.find("\"a\tb,c\""), std::string::npos);
  EXPECT_EQ(testing::LineCount(csv), 1 + 7);
}

TEST(Reporters, TextAndMarkdownShowEveryMetric) {
  for (const std::string format : {"text", "markdown"}) {
    const std::string out = Render(format);
    SCOPED_TRACE(format);
    EXPECT_NE(out.find("gflops"), std::string::npos);
    EXPECT_NE(out.find("unstable"), std::string::npos);
    EXPECT_NE(out.find("skipped: AVX-9"), std::string::npos);
    EXPECT_NE(out.find("18446744073709551615"), std::string::npos);
  }
  EXPECT_NE(Render("markdown").find("|---|"), std::string::npos);
}

TEST(Reporters, UnknownFormatIsAUsageError) {
  std::ostringstream out;
  EXPECT_THROW(MakeReporter("yaml", out), UsageError);
}

TEST(Table, RowsMarkSkippedAndSpread) {
  const auto rows = report::Rows(SampleResults()[0], report::ValueStyle::kExact);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].spread, "9.1%");
  EXPECT_EQ(rows[0].note, "unstable");
  EXPECT_EQ(rows[0].params, "dtype=f32 threads=1");
  EXPECT_EQ(rows[1].spread, "");
}

TEST(Table, HumanStyleRoundsWhatMeasurementsGaveAndKeepsFactsExact) {
  Result summary("demo", "summary");  // no samples of its own: a ratio of two measured medians
  summary.Add(Metric{"speedup", 16.032019531301156, "x", Better::kHigher, Source::kComputed});
  summary.Add(Metric{"epsilon", 2.220446049250313e-16, "", Better::kNone, Source::kComputed});
  const auto rows = report::Rows(summary, report::ValueStyle::kHuman);
  ASSERT_EQ(rows.size(), 2u);
  EXPECT_EQ(rows[0].value, "16.03");
  EXPECT_EQ(rows[1].value, report::FormatValue(2.220446049250313e-16, report::ValueStyle::kExact));
}

}  // namespace
}  // namespace sysbench
