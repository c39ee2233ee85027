// Robust outliers among a few values (one per node): median and MAD, never mean and stddev, so one
// bad node cannot hide itself by dragging the centre.
#pragma once

#include <cstddef>
#include <span>
#include <string>
#include <vector>

namespace sysbench {

// A value is an outlier when its modified z-score (Iglewicz and Hoaglin),
// 0.6745 * (x - median) / MAD, exceeds `z_limit` in size, AND it lies more than
// `min_deviation_pct` from the median (so that a quiet fleet, whose MAD is tiny, does not flag
// noise), AND there are at least `min_values` values (with fewer the median is not robust).
struct OutlierRule {
  double z_limit = 3.5;
  double min_deviation_pct = 5.0;
  std::size_t min_values = 3;
};

struct OutlierVerdict {
  double deviation_pct = 0;  // (x - median) / |median| * 100; 0 when the median is 0
  double z = 0;              // modified z-score; +-inf when MAD is 0 and x differs from the median
  bool outlier = false;
};

struct RobustSpread {
  std::size_t n = 0;
  double median = 0, mad = 0, min = 0, max = 0;
};

RobustSpread Spread(std::span<const double> values);
// One verdict per value, in order.
std::vector<OutlierVerdict> FindOutliers(std::span<const double> values, const OutlierRule& rule);
// The rule in one sentence, for the report.
std::string DescribeRule(const OutlierRule& rule);

}  // namespace sysbench
