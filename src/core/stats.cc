#include "sysbench/stats.h"

#include <algorithm>
#include <cmath>
#include <vector>

namespace sysbench {
namespace {

std::vector<double> Sorted(std::span<const double> values) {
  std::vector<double> sorted(values.begin(), values.end());
  std::sort(sorted.begin(), sorted.end());
  return sorted;
}

double PercentileOfSorted(const std::vector<double>& sorted, double p) {
  if (sorted.empty()) return 0.0;
  const double rank = std::clamp(p, 0.0, 100.0) / 100.0 * static_cast<double>(sorted.size() - 1);
  const auto lower = static_cast<std::size_t>(std::floor(rank));
  const std::size_t upper = std::min(lower + 1, sorted.size() - 1);
  const double fraction = rank - static_cast<double>(lower);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * fraction;
}

}  // namespace

double Percentile(std::span<const double> values, double p) {
  return PercentileOfSorted(Sorted(values), p);
}

double Median(std::span<const double> values) { return Percentile(values, 50.0); }

std::uint64_t Median(std::span<const std::uint64_t> values) {
  if (values.empty()) return 0;
  std::vector<std::uint64_t> sorted(values.begin(), values.end());
  const auto middle = sorted.begin() + static_cast<std::ptrdiff_t>((sorted.size() - 1) / 2);
  std::nth_element(sorted.begin(), middle, sorted.end());
  return *middle;
}

double Mean(std::span<const double> values) {
  if (values.empty()) return 0.0;
  double sum = 0.0;
  for (double v : values) sum += v;
  return sum / static_cast<double>(values.size());
}

double StdDev(std::span<const double> values) {
  if (values.size() < 2) return 0.0;
  const double mean = Mean(values);
  double squares = 0.0;
  for (double v : values) squares += (v - mean) * (v - mean);
  return std::sqrt(squares / static_cast<double>(values.size() - 1));
}

double Mad(std::span<const double> values) {
  if (values.empty()) return 0.0;
  const double median = Median(values);
  std::vector<double> deviations;
  deviations.reserve(values.size());
  for (double v : values) deviations.push_back(std::fabs(v - median));
  return Median(deviations);
}

Summary Summarize(std::span<const double> values) {
  Summary s;
  if (values.empty()) return s;
  const std::vector<double> sorted = Sorted(values);
  s.n = sorted.size();
  s.min = sorted.front();
  s.max = sorted.back();
  s.median = PercentileOfSorted(sorted, 50.0);
  s.p90 = PercentileOfSorted(sorted, 90.0);
  s.p99 = PercentileOfSorted(sorted, 99.0);
  s.mean = Mean(values);
  s.stddev = StdDev(values);
  s.mad = Mad(values);
  s.cv = s.mean != 0.0 ? s.stddev / std::fabs(s.mean) : 0.0;
  if (s.median != 0.0) {
    std::vector<double> pct;
    pct.reserve(sorted.size());
    for (double v : sorted) pct.push_back(std::fabs(v - s.median) / std::fabs(s.median) * 100.0);
    s.mdape = Median(pct);
  }
  return s;
}

}  // namespace sysbench
