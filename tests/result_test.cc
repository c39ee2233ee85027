// The metric builders: each kind sets the source, direction and unit it stands for, and keeps
// integer values exact.
#include "sysbench/result.h"

#include <gtest/gtest.h>

#include <cstdint>
#include <limits>
#include <string>
#include <variant>

namespace sysbench {
namespace {

void ExpectMetric(const Metric& m, const std::string& name, const std::string& unit, Better better,
                  Source source) {
  EXPECT_EQ(m.name, name);
  EXPECT_EQ(m.unit, unit);
  EXPECT_EQ(m.better, better);
  EXPECT_EQ(m.source, source);
}

TEST(MetricBuilders, MeasuredKeepsUnitAndDirection) {
  const Metric m = Measured("p99_us", 12.5, "us", Better::kLower);
  ExpectMetric(m, "p99_us", "us", Better::kLower, Source::kMeasured);
  EXPECT_EQ(std::get<double>(m.value), 12.5);
  ExpectMetric(Measured("rss_bytes", std::uint64_t{4096}, "B"), "rss_bytes", "B", Better::kNone,
               Source::kMeasured);
}

TEST(MetricBuilders, CountIsAnExactMeasuredInteger) {
  const std::uint64_t big = std::numeric_limits<std::uint64_t>::max();
  const Metric m = Count("lost_updates", big, Better::kLower);
  ExpectMetric(m, "lost_updates", "", Better::kLower, Source::kMeasured);
  EXPECT_EQ(std::get<std::uint64_t>(m.value), big);
  EXPECT_EQ(Count("minor_faults", 3).better, Better::kNone);
}

TEST(MetricBuilders, FactsAreNeitherBetterNorWorse) {
  const Metric looked = LookedUp("page_bytes", std::uint64_t{4096}, "B");
  ExpectMetric(looked, "page_bytes", "B", Better::kNone, Source::kLookedUp);
  const Metric text = LookedUp("vendor", std::string("GenuineIntel"));
  EXPECT_EQ(std::get<std::string>(text.value), "GenuineIntel");
  EXPECT_EQ(text.unit, "");
  ExpectMetric(Fact("bits", std::int64_t{80}, Source::kComputed, "bit"), "bits", "bit",
               Better::kNone, Source::kComputed);
}

TEST(MetricBuilders, ComputedDefaultsToNoUnitAndNoDirection) {
  ExpectMetric(Computed("verdict", std::string("none")), "verdict", "", Better::kNone,
               Source::kComputed);
  const Metric speedup = Computed("speedup", 1.9, "x", Better::kHigher);
  ExpectMetric(speedup, "speedup", "x", Better::kHigher, Source::kComputed);
  EXPECT_EQ(std::get<double>(speedup.value), 1.9);
  EXPECT_EQ(std::get<std::uint64_t>(Computed("trials", std::uint64_t{7}).value), 7u);
}

TEST(MetricBuilders, AddSampledIsMeasuredAndTheMedian) {
  Result r("t", "c");
  r.AddSampled("gbps", {3, 1, 2, 10}, "GB/s", Better::kHigher);
  ASSERT_EQ(r.metrics.size(), 1u);
  ExpectMetric(r.metrics[0], "gbps", "GB/s", Better::kHigher, Source::kMeasured);
  EXPECT_EQ(std::get<double>(r.metrics[0].value), 2.5);
  EXPECT_EQ(r.samples_metric, "gbps");
}

}  // namespace
}  // namespace sysbench
