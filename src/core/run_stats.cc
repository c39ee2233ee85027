#include "sysbench/run_stats.h"

#include <algorithm>
#include <cmath>
#include <numeric>

#include "sysbench/stats.h"

namespace sysbench {
namespace {

// The continued fraction of the regularized incomplete beta function (modified Lentz), valid for
// x < (a + 1) / (a + b + 2); the caller uses the symmetry I_x(a, b) = 1 - I_(1-x)(b, a) otherwise.
double BetaContinuedFraction(double a, double b, double x) {
  constexpr double kTiny = 1e-300;
  constexpr double kEpsilon = 1e-15;
  double c = 1;
  double d = 1 - (a + b) * x / (a + 1);
  if (std::fabs(d) < kTiny) d = kTiny;
  d = 1 / d;
  double fraction = d;
  for (int m = 1; m <= 1000; ++m) {
    const double step = m;
    // The even term, then the odd term of the fraction.
    double term = step * (b - step) * x / ((a + 2 * step - 1) * (a + 2 * step));
    d = 1 + term * d;
    c = 1 + term / c;
    if (std::fabs(d) < kTiny) d = kTiny;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    fraction *= d * c;
    term = -(a + step) * (a + b + step) * x / ((a + 2 * step) * (a + 2 * step + 1));
    d = 1 + term * d;
    c = 1 + term / c;
    if (std::fabs(d) < kTiny) d = kTiny;
    if (std::fabs(c) < kTiny) c = kTiny;
    d = 1 / d;
    const double delta = d * c;
    fraction *= delta;
    if (std::fabs(delta - 1) < kEpsilon) break;
  }
  return fraction;
}

double RegularizedBeta(double a, double b, double x) {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const double log_front =
      std::lgamma(a + b) - std::lgamma(a) - std::lgamma(b) + a * std::log(x) + b * std::log1p(-x);
  if (x < (a + 1) / (a + b + 2)) return std::exp(log_front) * BetaContinuedFraction(a, b, x) / a;
  return 1 - std::exp(log_front) * BetaContinuedFraction(b, a, 1 - x) / b;
}

}  // namespace

double StudentTTwoSidedP(double t, double df) {
  if (!std::isfinite(t)) return 0;
  return RegularizedBeta(df / 2, 0.5, df / (df + t * t));
}

double StudentTQuantile(double p, double df) {
  if (p == 0.5) return 0;
  if (p < 0.5) return -StudentTQuantile(1 - p, df);
  // P(T > t) = (1 - p) = two-sided p / 2; bisection on a bracket that grows until it holds t.
  const double two_sided = 2 * (1 - p);
  double low = 0, high = 1;
  while (StudentTTwoSidedP(high, df) > two_sided && high < 1e12) high *= 2;
  for (int i = 0; i < 200 && high - low > 1e-13 * high; ++i) {
    const double mid = (low + high) / 2;
    (StudentTTwoSidedP(mid, df) > two_sided ? low : high) = mid;
  }
  return (low + high) / 2;
}

double DetectableChangePercent(double se, double df, double alpha, double power) {
  const double t = StudentTQuantile(1 - alpha / 2, df) + StudentTQuantile(power, df);
  return 100 * std::expm1(t * se);
}

RunTest CompareRuns(std::span<const double> baseline, std::span<const double> current,
                    double mde_alpha, double power) {
  RunTest test;
  const std::size_t nb = baseline.size(), nc = current.size();
  if (nb + nc < 3 || std::max(nb, nc) < 2) return test;
  auto positive = [](double v) { return v > 0 && std::isfinite(v); };
  if (!std::all_of(baseline.begin(), baseline.end(), positive) ||
      !std::all_of(current.begin(), current.end(), positive)) {
    return test;
  }
  // Logs relative to the first value: runs that are all equal give exact zeros, no rounding noise.
  const double reference = baseline.empty() ? current.front() : baseline.front();
  std::vector<double> lb, lc;
  for (double v : baseline) lb.push_back(std::log(v / reference));
  for (double v : current) lc.push_back(std::log(v / reference));
  const double mb = Mean(lb), mc = Mean(lc);
  auto squares = [](const std::vector<double>& values, double mean) {
    double sum = 0;
    for (double v : values) sum += (v - mean) * (v - mean);
    return sum;
  };
  test.df = static_cast<double>(nb + nc - 2);
  const double pooled_sd = std::sqrt((squares(lb, mb) + squares(lc, mc)) / test.df);
  const double se =
      pooled_sd * std::sqrt(1.0 / static_cast<double>(nb) + 1.0 / static_cast<double>(nc));
  const double diff = mc - mb;
  test.ratio = std::exp(diff);
  test.change_pct = 100 * std::expm1(diff);
  test.noise_pct = 100 * std::expm1(pooled_sd);
  if (se > 0) {
    test.t = diff / se;
    test.p_value = StudentTTwoSidedP(test.t, test.df);
  } else {
    test.t = diff == 0 ? 0 : std::copysign(INFINITY, diff);
    test.p_value = diff == 0 ? 1 : 0;
  }
  test.mde_pct = DetectableChangePercent(se, test.df, mde_alpha, power);
  test.tested = true;
  return test;
}

std::vector<double> HolmAdjust(std::span<const double> p_values) {
  const std::size_t m = p_values.size();
  std::vector<std::size_t> order(m);
  std::iota(order.begin(), order.end(), 0);
  std::stable_sort(order.begin(), order.end(),
                   [&](std::size_t a, std::size_t b) { return p_values[a] < p_values[b]; });
  std::vector<double> adjusted(m);
  double running_max = 0;
  for (std::size_t rank = 0; rank < m; ++rank) {
    const double scaled = std::min(1.0, static_cast<double>(m - rank) * p_values[order[rank]]);
    running_max = std::max(running_max, scaled);
    adjusted[order[rank]] = running_max;
  }
  return adjusted;
}

}  // namespace sysbench
