// The Mann-Whitney U test (Wilcoxon rank-sum), two-sided, as the compare gate uses it.
#pragma once

#include <span>

namespace sysbench {

struct MannWhitneyResult {
  double u1 = 0;       // U of the first sample (scipy.stats.mannwhitneyu's `statistic`)
  double p_value = 1;  // two-sided
  bool exact = false;  // exact distribution (no ties, small samples) or normal approximation
};

// Exact p-value when there are no ties and both samples have at most kMannWhitneyExactMax values;
// otherwise the normal approximation with tie correction and continuity correction. Matches
// scipy.stats.mannwhitneyu(x, y, alternative='two-sided') with method 'exact' / 'asymptotic'.
// Either sample empty: p_value 1.
inline constexpr std::size_t kMannWhitneyExactMax = 50;
MannWhitneyResult MannWhitneyU(std::span<const double> x, std::span<const double> y);

// The same with the method forced (for tests): exact requires no ties.
MannWhitneyResult MannWhitneyExact(std::span<const double> x, std::span<const double> y);
MannWhitneyResult MannWhitneyAsymptotic(std::span<const double> x, std::span<const double> y);

}  // namespace sysbench
