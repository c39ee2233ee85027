#include "sysbench/outliers.h"

#include <fmt/format.h>

#include <algorithm>
#include <cmath>
#include <limits>

#include "sysbench/stats.h"

namespace sysbench {
namespace {

// 0.6745 is the 0.75 quantile of the standard normal: it makes MAD comparable to a stddev.
constexpr double kNormalQuartile = 0.6745;

}  // namespace

RobustSpread Spread(std::span<const double> values) {
  RobustSpread s;
  s.n = values.size();
  if (values.empty()) return s;
  s.median = Median(values);
  s.mad = Mad(values);
  const auto [lo, hi] = std::minmax_element(values.begin(), values.end());
  s.min = *lo;
  s.max = *hi;
  return s;
}

std::vector<OutlierVerdict> FindOutliers(std::span<const double> values, const OutlierRule& rule) {
  std::vector<OutlierVerdict> verdicts(values.size());
  if (values.empty()) return verdicts;
  const RobustSpread s = Spread(values);
  const bool enough = values.size() >= rule.min_values;
  for (std::size_t i = 0; i < values.size(); ++i) {
    OutlierVerdict& v = verdicts[i];
    const double off = values[i] - s.median;
    v.deviation_pct = s.median != 0 ? off / std::fabs(s.median) * 100 : 0;
    if (s.mad > 0) {
      v.z = kNormalQuartile * off / s.mad;
    } else if (off != 0) {
      v.z = std::copysign(std::numeric_limits<double>::infinity(), off);
    }
    v.outlier = enough && std::fabs(v.z) > rule.z_limit &&
                std::fabs(v.deviation_pct) > rule.min_deviation_pct;
  }
  return verdicts;
}

std::string DescribeRule(const OutlierRule& rule) {
  return fmt::format(
      "outlier: |0.6745 * (x - median) / MAD| > {:g} and |x - median| > {:g}% of the median, "
      "among at least {} nodes of one group",
      rule.z_limit, rule.min_deviation_pct, rule.min_values);
}

}  // namespace sysbench
