// The robust outlier rule on known inputs: exact values, no timing.
#include "sysbench/outliers.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace sysbench {
namespace {

TEST(Outliers, SpreadIsMedianMadMinMax) {
  const std::vector<double> values = {100, 101, 99, 100, 70};
  const RobustSpread s = Spread(values);
  EXPECT_EQ(s.n, 5u);
  EXPECT_DOUBLE_EQ(s.median, 100);
  EXPECT_DOUBLE_EQ(s.mad, 1);  // deviations 0 1 1 0 30
  EXPECT_DOUBLE_EQ(s.min, 70);
  EXPECT_DOUBLE_EQ(s.max, 101);
}

TEST(Outliers, OneSlowNodeAmongFiveIsFlaggedAlone) {
  const std::vector<double> values = {100, 101, 99, 100, 70};
  const std::vector<OutlierVerdict> v = FindOutliers(values, OutlierRule{});
  ASSERT_EQ(v.size(), 5u);
  EXPECT_DOUBLE_EQ(v[4].z, 0.6745 * -30);
  EXPECT_DOUBLE_EQ(v[4].deviation_pct, -30);
  EXPECT_TRUE(v[4].outlier);
  EXPECT_DOUBLE_EQ(v[1].z, 0.6745);
  EXPECT_DOUBLE_EQ(v[1].deviation_pct, 1);
  for (std::size_t i = 0; i < 4; ++i) EXPECT_FALSE(v[i].outlier) << i;
}

TEST(Outliers, ZeroMadNeedsTheDeviationFloor) {
  const std::vector<double> six_off = {100, 100, 100, 94};
  std::vector<OutlierVerdict> v = FindOutliers(six_off, OutlierRule{});
  EXPECT_TRUE(std::isinf(v[3].z) && v[3].z < 0);
  EXPECT_TRUE(v[3].outlier);
  EXPECT_DOUBLE_EQ(v[0].z, 0);
  const std::vector<double> three_off = {100, 100, 100, 97};
  v = FindOutliers(three_off, OutlierRule{});
  EXPECT_FALSE(v[3].outlier);  // z is infinite but 3% is below the 5% floor
}

TEST(Outliers, TwoNodesAreNeverJudged) {
  const std::vector<double> values = {100, 50};
  for (const OutlierVerdict& v : FindOutliers(values, OutlierRule{})) EXPECT_FALSE(v.outlier);
  OutlierRule two{.min_values = 2};
  // With two values the median is their mean and both are equally far: both or neither.
  const std::vector<OutlierVerdict> v = FindOutliers(values, two);
  EXPECT_EQ(v[0].outlier, v[1].outlier);
}

TEST(Outliers, ZeroMedianGivesZeroDeviationAndNoFlag) {
  const std::vector<double> values = {0, 0, 0, 1};
  const std::vector<OutlierVerdict> v = FindOutliers(values, OutlierRule{});
  EXPECT_DOUBLE_EQ(v[3].deviation_pct, 0);
  EXPECT_FALSE(v[3].outlier);
}

TEST(Outliers, RuleIsStatedWithItsNumbers) {
  EXPECT_EQ(DescribeRule(OutlierRule{}),
            "outlier: |0.6745 * (x - median) / MAD| > 3.5 and |x - median| > 5% of the median, "
            "among at least 3 nodes of one group");
}

TEST(Outliers, EmptyInput) {
  EXPECT_TRUE(FindOutliers({}, OutlierRule{}).empty());
  EXPECT_EQ(Spread({}).n, 0u);
}

}  // namespace
}  // namespace sysbench
