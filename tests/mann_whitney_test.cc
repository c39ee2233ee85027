// The U test against scipy.stats.mannwhitneyu(x, y, alternative='two-sided') (scipy 1.10.1); the
// reference numbers were computed once and are hard-coded here.
#include "sysbench/mann_whitney.h"

#include <gtest/gtest.h>

#include <vector>

namespace sysbench {
namespace {

struct Reference {
  const char* name;
  std::vector<double> x, y;
  double u1, p_exact, p_asymptotic;  // p_exact < 0: ties, no exact reference
};

const std::vector<Reference>& References() {
  static const std::vector<Reference> refs = {
      {"separated",
       {1.1, 2.2, 3.3, 4.4, 5.5},
       {6.6, 7.7, 8.8, 9.9},
       0.0,
       0.015873015873015872,
       0.019964453305216043},
      {"overlap",
       {10.0, 12.5, 9.1, 11.2, 13.3, 10.7},
       {11.9, 14.2, 12.8, 15.1, 13.7, 12.2, 16.0},
       5.0,
       0.022144522144522144,
       0.026809130715595843},
      {"ten_each",
       {101, 99.5, 100.2, 98.7, 100.9, 101.3, 99.1, 100.4, 99.8, 100.05},
       {102.1, 101.7, 100.6, 103.2, 101.9, 102.5, 100.15, 102.8, 101.1, 103.9},
       9.0,
       0.001050033557773496,
       0.0022022199424970783},
      {"three_each", {1, 2, 3}, {4.5, 5.5, 6.5}, 0.0, 0.1, 0.08085559837005224},
      {"ties", {1, 2, 2, 3, 3, 3, 4}, {3, 4, 4, 5, 5, 6, 7, 7}, 3.5, -1, 0.004793348746185457},
      {"all_equal", {5, 5, 5}, {5, 5, 5}, 4.5, -1, 1.0},
  };
  return refs;
}

TEST(MannWhitney, MatchesScipy) {
  for (const Reference& ref : References()) {
    SCOPED_TRACE(ref.name);
    const MannWhitneyResult a = MannWhitneyAsymptotic(ref.x, ref.y);
    EXPECT_DOUBLE_EQ(a.u1, ref.u1);
    EXPECT_NEAR(a.p_value, ref.p_asymptotic, 1e-12);
    const MannWhitneyResult chosen = MannWhitneyU(ref.x, ref.y);
    if (ref.p_exact >= 0) {
      const MannWhitneyResult e = MannWhitneyExact(ref.x, ref.y);
      EXPECT_NEAR(e.p_value, ref.p_exact, 1e-12);
      EXPECT_TRUE(chosen.exact);
      EXPECT_NEAR(chosen.p_value, ref.p_exact, 1e-12);
    } else {
      EXPECT_FALSE(chosen.exact);
      EXPECT_NEAR(chosen.p_value, ref.p_asymptotic, 1e-12);
    }
  }
}

TEST(MannWhitney, LargeSamplesUseTheNormalApproximation) {
  // scipy: U1 = 347.0, p = 0.6419416011898513 (30 vs 25 values, ties).
  std::vector<double> x, y;
  for (int i = 0; i < 30; ++i) x.push_back(static_cast<double>(i % 13) + 0.5 * i);
  for (int i = 0; i < 25; ++i) y.push_back(static_cast<double>(i % 11) + 0.5 * i + 3);
  const MannWhitneyResult r = MannWhitneyU(x, y);
  EXPECT_FALSE(r.exact);
  EXPECT_DOUBLE_EQ(r.u1, 347.0);
  EXPECT_NEAR(r.p_value, 0.6419416011898513, 1e-12);
}

TEST(MannWhitney, SymmetricAndBounded) {
  const std::vector<double> x = {3, 1, 4, 1.5, 9}, y = {2, 6, 5.3, 5.8};
  EXPECT_DOUBLE_EQ(MannWhitneyU(x, y).p_value, MannWhitneyU(y, x).p_value);
  EXPECT_DOUBLE_EQ(MannWhitneyU(x, x).p_value, 1.0);
  EXPECT_DOUBLE_EQ(MannWhitneyU({}, y).p_value, 1.0);
}

}  // namespace
}  // namespace sysbench
