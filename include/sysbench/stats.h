// Summary statistics as pure functions over raw samples.
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>

namespace sysbench {

struct Summary {
  std::size_t n = 0;
  double min = 0, median = 0, mean = 0, max = 0;
  double stddev = 0;  // sample standard deviation (n - 1), two-pass
  double mad = 0;     // median absolute deviation from the median (unscaled)
  double p90 = 0, p99 = 0;
  double cv = 0;     // stddev / mean
  double mdape = 0;  // median absolute percentage deviation from the median, in percent
};

// Percentile with linear interpolation between closest ranks (numpy's default), p in [0, 100].
double Percentile(std::span<const double> values, double p);
double Median(std::span<const double> values);
// Of counts: the lower of the two middle values for an even count, so the median is a value that
// was counted and stays exact (0 for no values).
std::uint64_t Median(std::span<const std::uint64_t> values);
double Mean(std::span<const double> values);
double StdDev(std::span<const double> values);  // two-pass, n - 1 in the denominator
double Mad(std::span<const double> values);

// All of the above; an empty input gives a Summary with n == 0 and zeros elsewhere.
Summary Summarize(std::span<const double> values);

// A result is unstable when its median absolute percentage deviation exceeds this.
inline constexpr double kUnstableMdapePercent = 5.0;

}  // namespace sysbench
