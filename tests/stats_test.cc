#include "sysbench/stats.h"

#include <gtest/gtest.h>

#include <cmath>
#include <vector>

namespace sysbench {
namespace {

TEST(Stats, EmptyInputGivesZeros) {
  const Summary s = Summarize({});
  EXPECT_EQ(s.n, 0u);
  EXPECT_EQ(s.median, 0.0);
  EXPECT_EQ(s.stddev, 0.0);
}

TEST(Stats, SingleValue) {
  const std::vector<double> v = {7.5};
  const Summary s = Summarize(v);
  EXPECT_EQ(s.n, 1u);
  EXPECT_EQ(s.min, 7.5);
  EXPECT_EQ(s.max, 7.5);
  EXPECT_EQ(s.median, 7.5);
  EXPECT_EQ(s.p99, 7.5);
  EXPECT_EQ(s.stddev, 0.0);
  EXPECT_EQ(s.mdape, 0.0);
}

TEST(Stats, ExactValuesOnKnownInput) {
  // 2, 4, 4, 4, 5, 5, 7, 9: mean 5, sum of squared deviations 32, sample variance 32/7.
  const std::vector<double> v = {9, 2, 5, 4, 4, 7, 4, 5};
  const Summary s = Summarize(v);
  EXPECT_EQ(s.n, 8u);
  EXPECT_DOUBLE_EQ(s.mean, 5.0);
  EXPECT_DOUBLE_EQ(s.median, 4.5);
  EXPECT_DOUBLE_EQ(s.min, 2.0);
  EXPECT_DOUBLE_EQ(s.max, 9.0);
  EXPECT_DOUBLE_EQ(s.stddev, std::sqrt(32.0 / 7.0));
  EXPECT_DOUBLE_EQ(s.cv, std::sqrt(32.0 / 7.0) / 5.0);
  // |v - 4.5| = 4.5 2.5 0.5 0.5 0.5 0.5 0.5 2.5 -> sorted median 0.5
  EXPECT_DOUBLE_EQ(s.mad, 0.5);
  // numpy.percentile([2,4,4,4,5,5,7,9], 90) == 7.6 ; 99 -> 8.86
  EXPECT_NEAR(s.p90, 7.6, 1e-12);
  EXPECT_NEAR(s.p99, 8.86, 1e-12);
  // |v - 4.5| / 4.5 * 100, median of the 8 values: (0.5/4.5*100 + 0.5/4.5*100) / 2
  EXPECT_NEAR(s.mdape, 100.0 / 9.0, 1e-12);
}

TEST(Stats, PercentileInterpolatesLikeNumpy) {
  const std::vector<double> v = {1, 2, 3, 4};
  EXPECT_DOUBLE_EQ(Percentile(v, 0), 1.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 100), 4.0);
  EXPECT_DOUBLE_EQ(Percentile(v, 50), 2.5);
  EXPECT_DOUBLE_EQ(Percentile(v, 25), 1.75);
}

TEST(Stats, TwoPassVarianceSurvivesALargeOffset) {
  // E[x^2] - E[x]^2 loses every digit here; two passes keep them.
  const double offset = 1e9;
  const std::vector<double> v = {offset + 4, offset + 7, offset + 13, offset + 16};
  EXPECT_DOUBLE_EQ(StdDev(v), std::sqrt(30.0));
}

TEST(Stats, MedianOfOddAndEvenCounts) {
  EXPECT_DOUBLE_EQ(Median(std::vector<double>{3, 1, 2}), 2.0);
  EXPECT_DOUBLE_EQ(Median(std::vector<double>{4, 1, 3, 2}), 2.5);
}

TEST(Stats, MedianOfCountsIsACountedValue) {
  EXPECT_EQ(Median(std::vector<std::uint64_t>{}), 0u);
  EXPECT_EQ(Median(std::vector<std::uint64_t>{5}), 5u);
  EXPECT_EQ(Median(std::vector<std::uint64_t>{9, 1, 4}), 4u);
  EXPECT_EQ(Median(std::vector<std::uint64_t>{9, 1, 4, 7}), 4u);  // the lower middle, not 5.5
  const std::uint64_t big = ~std::uint64_t{0};
  EXPECT_EQ(Median(std::vector<std::uint64_t>{big, big - 1, big}), big);  // exact, no double
}

}  // namespace
}  // namespace sysbench
