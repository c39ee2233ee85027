// The gate's statistics on fixed inputs, against values computed with scipy 1.10
// (scipy.stats.ttest_ind(..., equal_var=True), scipy.stats.t.ppf / t.sf) and by hand (Holm).
#include "sysbench/run_stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace sysbench::testing {
namespace {

TEST(StudentT, TwoSidedPAndQuantileMatchScipy) {
  EXPECT_NEAR(StudentTTwoSidedP(2.0, 6), 0.092426311531675, 1e-12);  // 2 * t.sf(2, 6)
  EXPECT_NEAR(StudentTTwoSidedP(-2.0, 6), 0.092426311531675, 1e-12);
  EXPECT_NEAR(StudentTTwoSidedP(0.5, 1), 0.7048327646991336, 1e-12);  // Cauchy
  EXPECT_NEAR(StudentTTwoSidedP(10, 30), 4.5752514082296097e-11, 1e-20);
  EXPECT_DOUBLE_EQ(StudentTTwoSidedP(0, 5), 1.0);
  // scipy's t.ppf is good to about 1e-9 here (its own t.sf at the ppf gives 0.05000000016), so
  // the quantile is checked against it loosely and against the p-value tightly.
  EXPECT_NEAR(StudentTQuantile(0.975, 6), 2.4469118487916806, 5e-9);
  EXPECT_NEAR(StudentTTwoSidedP(StudentTQuantile(0.975, 6), 6), 0.05, 1e-14);
  EXPECT_NEAR(StudentTQuantile(0.8, 6), 0.9057032851797618, 5e-9);
  EXPECT_NEAR(StudentTQuantile(0.99, 2.5), 5.353111174482592, 5e-9);
  EXPECT_NEAR(StudentTTwoSidedP(StudentTQuantile(0.99, 2.5), 2.5), 0.02, 1e-14);
  EXPECT_DOUBLE_EQ(StudentTQuantile(0.025, 6), -StudentTQuantile(0.975, 6));
}

TEST(CompareRuns, PooledTTestOnLogsMatchesScipy) {
  const std::vector<double> baseline = {100, 102, 98, 101, 99};
  const std::vector<double> current = {90, 91, 89};
  // Four gated rows: the detectable change uses alpha 0.05 / 4.
  const RunTest test = CompareRuns(baseline, current, 0.05 / 4, 0.8);
  ASSERT_TRUE(test.tested);
  EXPECT_DOUBLE_EQ(test.df, 6);
  EXPECT_NEAR(test.t, -10.001006631173205, 1e-9);
  EXPECT_NEAR(test.p_value, 5.788659141314703e-05, 1e-15);
  EXPECT_NEAR(test.ratio, 0.9000529775396116, 1e-12);
  EXPECT_NEAR(test.change_pct, -9.99470224603884, 1e-9);
  EXPECT_NEAR(test.noise_pct, 100 * std::expm1(0.01441757141761087), 1e-9);
  EXPECT_NEAR(test.mde_pct, 4.771496677919604, 1e-7);
}

TEST(CompareRuns, EqualRunsAndTooFewRuns) {
  const std::vector<double> same = {5, 5, 5};
  const RunTest flat = CompareRuns(same, same, 0.05, 0.8);
  ASSERT_TRUE(flat.tested);
  EXPECT_DOUBLE_EQ(flat.p_value, 1);
  EXPECT_DOUBLE_EQ(flat.mde_pct, 0);
  const std::vector<double> one = {5}, two = {5, 6}, zero = {0, 1};
  EXPECT_FALSE(CompareRuns(one, one, 0.05, 0.8).tested);
  EXPECT_TRUE(CompareRuns(two, one, 0.05, 0.8).tested);
  EXPECT_FALSE(CompareRuns(zero, two, 0.05, 0.8).tested);  // a ratio needs values > 0
  // No spread but a change: certain.
  const std::vector<double> more = {6, 6};
  EXPECT_DOUBLE_EQ(CompareRuns(same, more, 0.05, 0.8).p_value, 0);
}

TEST(DetectableChange, FromStandardErrorDfAlphaAndPower) {
  // (t.ppf(0.975, 6) + t.ppf(0.8, 6)) * 0.02 = 0.06705229..., exp(.) - 1
  EXPECT_NEAR(DetectableChangePercent(0.02, 6, 0.05, 0.8), 6.935140665580184, 1e-7);
  EXPECT_DOUBLE_EQ(DetectableChangePercent(0, 6, 0.05, 0.8), 0);
}

TEST(Holm, AdjustedPValuesInInputOrder) {
  // Sorted 0.005, 0.01, 0.03, 0.04 times 4, 3, 2, 1 = 0.02, 0.03, 0.06, 0.04; running maximum
  // 0.02, 0.03, 0.06, 0.06.
  const std::vector<double> p = {0.01, 0.04, 0.03, 0.005};
  const std::vector<double> adjusted = HolmAdjust(p);
  ASSERT_EQ(adjusted.size(), 4u);
  EXPECT_DOUBLE_EQ(adjusted[0], 0.03);
  EXPECT_DOUBLE_EQ(adjusted[1], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[2], 0.06);
  EXPECT_DOUBLE_EQ(adjusted[3], 0.02);
  const std::vector<double> big = {0.5, 0.9};
  EXPECT_EQ(HolmAdjust(big), (std::vector<double>{1, 1}));
  EXPECT_TRUE(HolmAdjust(std::vector<double>{}).empty());
}

}  // namespace
}  // namespace sysbench::testing
