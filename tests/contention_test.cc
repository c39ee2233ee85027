// Contention marks and run numbers: the probe's readings, the thresholds, the json round trip.
#include "sysbench/contention.h"

#include <gtest/gtest.h>

#include <chrono>
#include <thread>

#include "report/json_encoding.h"
#include "report/results_reader.h"

namespace sysbench::testing {
namespace {

TEST(Contention, ContendedAtHalfACpuOrFivePercentSteal) {
  Result r("x", "y");
  EXPECT_FALSE(r.Contended());  // not measured
  r.contention = Contention{0.49, 4.9};
  EXPECT_FALSE(r.Contended());
  r.contention = Contention{0.5, 0};
  EXPECT_TRUE(r.Contended());
  r.contention = Contention{0, 5};
  EXPECT_TRUE(r.Contended());
}

TEST(Contention, ProbeGivesSharesAfterAnInterval) {
  ContentionProbe probe;
  std::this_thread::sleep_for(std::chrono::milliseconds(50));
  const std::optional<Contention> c = probe.Lap();
  ASSERT_TRUE(c.has_value());  // Linux: /proc/stat is there
  EXPECT_GE(c->other_cpus, 0);
  EXPECT_GE(c->steal_pct, 0);
  EXPECT_LE(c->steal_pct, 100);
}

TEST(Contention, RunAndContentionSurviveTheJsonRoundTrip) {
  Result r("flops", "fma");
  r.AddSampled("gflops", {1, 2, 3}, "GFLOP/s", Better::kHigher);
  r.run = 3;
  r.contention = Contention{1.25, 2.5};
  report::Json doc;
  doc["schema_version"] = report::kSchemaVersion;
  doc["results"] = report::Json::array({report::ResultToJson(r)});
  EXPECT_EQ(doc["results"][0]["contention"]["contended"], true);
  const report::ResultsDocument read = report::ParseResultsDocument(doc.dump(), "mem.json");
  ASSERT_EQ(read.results.size(), 1u);
  EXPECT_EQ(read.results[0].run, 3);
  ASSERT_TRUE(read.results[0].contention.has_value());
  EXPECT_DOUBLE_EQ(read.results[0].contention->other_cpus, 1.25);
  EXPECT_DOUBLE_EQ(read.results[0].contention->steal_pct, 2.5);
  // A single run writes no "run" and reads back as run 0.
  r.run = 0;
  EXPECT_FALSE(report::ResultToJson(r).contains("run"));
}

}  // namespace
}  // namespace sysbench::testing
