#include "sysbench/mann_whitney.h"

#include <algorithm>
#include <cmath>
#include <utility>
#include <vector>

namespace sysbench {
namespace {

struct Ranked {
  double u1 = 0;
  double tie_term = 0;  // sum over tie groups of t^3 - t
  bool ties = false;
};

// Midranks of the pooled samples; U1 = R1 - n1(n1+1)/2.
Ranked Rank(std::span<const double> x, std::span<const double> y) {
  std::vector<std::pair<double, int>> pooled;
  pooled.reserve(x.size() + y.size());
  for (double v : x) pooled.emplace_back(v, 0);
  for (double v : y) pooled.emplace_back(v, 1);
  std::sort(pooled.begin(), pooled.end(),
            [](const auto& a, const auto& b) { return a.first < b.first; });
  Ranked r;
  double rank_sum_x = 0;
  std::size_t i = 0;
  while (i < pooled.size()) {
    std::size_t j = i;
    while (j < pooled.size() && pooled[j].first == pooled[i].first) ++j;
    const double midrank = (static_cast<double>(i) + static_cast<double>(j) + 1) / 2;
    const double t = static_cast<double>(j - i);
    if (j - i > 1) {
      r.ties = true;
      r.tie_term += t * t * t - t;
    }
    for (std::size_t k = i; k < j; ++k) {
      if (pooled[k].second == 0) rank_sum_x += midrank;
    }
    i = j;
  }
  const double n1 = static_cast<double>(x.size());
  r.u1 = rank_sum_x - n1 * (n1 + 1) / 2;
  return r;
}

// Number of arrangements with U = u for samples of m and n values, for every u in 0..m*n:
// c(m, n, u) = c(m - 1, n, u - n) + c(m, n - 1, u), computed with n growing (doubles: counts up to
// C(100, 50) ~ 1e29 keep 15 significant digits, which is all a p-value needs).
std::vector<double> UCounts(std::size_t m, std::size_t n) {
  // table[a][u] for the current n, a = 0..m.
  std::vector<std::vector<double>> table(m + 1, std::vector<double>(m * n + 1, 0));
  for (std::size_t a = 0; a <= m; ++a) table[a][0] = 1;  // n = 0: only U = 0
  for (std::size_t b = 1; b <= n; ++b) {
    std::vector<std::vector<double>> next(m + 1, std::vector<double>(m * n + 1, 0));
    next[0][0] = 1;
    for (std::size_t a = 1; a <= m; ++a) {
      for (std::size_t u = 0; u <= a * b; ++u) {
        const double with_top_from_x = u >= b ? next[a - 1][u - b] : 0;
        next[a][u] = with_top_from_x + table[a][u];
      }
    }
    table = std::move(next);
  }
  return table[m];
}

double NormalSf(double z) { return 0.5 * std::erfc(z / std::sqrt(2.0)); }

}  // namespace

MannWhitneyResult MannWhitneyExact(std::span<const double> x, std::span<const double> y) {
  MannWhitneyResult result;
  result.exact = true;
  if (x.empty() || y.empty()) return result;
  const Ranked r = Rank(x, y);
  result.u1 = r.u1;
  const std::size_t m = x.size(), n = y.size();
  const double mn = static_cast<double>(m * n);
  const double u = std::max(r.u1, mn - r.u1);
  const std::vector<double> counts = UCounts(m, n);
  double total = 0, upper = 0;
  for (std::size_t k = 0; k < counts.size(); ++k) {
    total += counts[k];
    if (static_cast<double>(k) >= u - 1e-9) upper += counts[k];
  }
  result.p_value = std::min(1.0, 2 * upper / total);
  return result;
}

MannWhitneyResult MannWhitneyAsymptotic(std::span<const double> x, std::span<const double> y) {
  MannWhitneyResult result;
  if (x.empty() || y.empty()) return result;
  const Ranked r = Rank(x, y);
  result.u1 = r.u1;
  const double n1 = static_cast<double>(x.size()), n2 = static_cast<double>(y.size());
  const double n = n1 + n2;
  const double u = std::max(r.u1, n1 * n2 - r.u1);
  const double mu = n1 * n2 / 2;
  const double variance = n1 * n2 / 12 * ((n + 1) - r.tie_term / (n * (n - 1)));
  if (variance <= 0) return result;  // every value equal: no evidence of a difference
  const double z = (u - mu - 0.5) / std::sqrt(variance);
  result.p_value = std::clamp(2 * NormalSf(z), 0.0, 1.0);
  return result;
}

MannWhitneyResult MannWhitneyU(std::span<const double> x, std::span<const double> y) {
  if (x.size() <= kMannWhitneyExactMax && y.size() <= kMannWhitneyExactMax && !x.empty() &&
      !y.empty() && !Rank(x, y).ties) {
    return MannWhitneyExact(x, y);
  }
  return MannWhitneyAsymptotic(x, y);
}

}  // namespace sysbench
