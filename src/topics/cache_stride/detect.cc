#include "topics/cache_stride/detect.h"

#include <algorithm>
#include <cmath>

#include "sysbench/stats.h"

namespace sysbench {
namespace {

constexpr double kOnPlateau = 0.6;    // a plateau point is at least this share of the median
constexpr double kFirstFall = 0.66;   // the point after the knee, at most (1/stride gives 0.5)
constexpr double kSecondFall = 0.4;   // the one after that (1/stride gives 0.25)
constexpr double kPlateauFall = 0.5;  // mean fall per doubling before the knee, at most

}  // namespace

LineDetection DetectLineSize(std::vector<StridePoint> points) {
  std::sort(points.begin(), points.end(), [](const StridePoint& a, const StridePoint& b) {
    return a.stride_bytes < b.stride_bytes;
  });
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    if (points[i].stride_bytes == 0 || points[i].stride_bytes == points[i + 1].stride_bytes ||
        !(points[i].seconds > 0)) {
      return {std::nullopt, "not detected: strides must be distinct and times positive"};
    }
  }
  if (points.size() < 4 || !(points.back().seconds > 0)) {
    return {std::nullopt, "not detected: needs at least 4 strides"};
  }
  // Fall per doubling of the stride between neighbours: 0 on a plateau, 1 where time ~ 1/stride.
  std::vector<double> fall(points.size() - 1);
  for (std::size_t i = 0; i + 1 < points.size(); ++i) {
    const double doublings = std::log2(static_cast<double>(points[i + 1].stride_bytes) /
                                       static_cast<double>(points[i].stride_bytes));
    fall[i] = std::log2(points[i].seconds / points[i + 1].seconds) / doublings;
  }
  // The knee (a plateau of at least three strides, so one noisy point cannot make one): the last
  // two points still on the plateau (its median P), the next two falling
  // like 1/stride (below 0.66 P and 0.4 P), and no 1/stride fall on the way there (a slow first
  // point, e.g. an instruction-bound stride 1, is allowed).
  std::vector<std::size_t> candidates;
  for (std::size_t i = 2; i + 2 < points.size(); ++i) {
    std::vector<double> plateau;
    double fell = 0;
    for (std::size_t j = 0; j <= i; ++j) plateau.push_back(points[j].seconds);
    for (std::size_t j = 0; j < i; ++j) fell += fall[j];
    const double p = Median(plateau);
    if (points[i].seconds < kOnPlateau * p || points[i - 1].seconds < kOnPlateau * p) continue;
    if (fell / static_cast<double>(i) >= kPlateauFall) continue;
    if (points[i + 1].seconds > kFirstFall * p || points[i + 2].seconds > kSecondFall * p) continue;
    candidates.push_back(i);
  }
  if (!candidates.empty()) {
    // Where noise lets two neighbours pass, keep the one the ideal curve c * min(1, L / stride)
    // fits best (mean absolute log error, c fitted, over the same points for each).
    const std::size_t last = std::min(points.size() - 1, candidates.back() + 2);
    std::size_t best = candidates.front();
    double best_error = 0;
    for (std::size_t k = 0; k < candidates.size(); ++k) {
      const auto line = static_cast<double>(points[candidates[k]].stride_bytes);
      std::vector<double> residual;
      for (std::size_t j = 1; j <= last; ++j) {
        const double model = std::min(1.0, line / static_cast<double>(points[j].stride_bytes));
        residual.push_back(std::log(points[j].seconds / model));
      }
      const double c = Median(residual);
      double error = 0;
      for (double r : residual) error += std::fabs(r - c);
      if (k == 0 || error < best_error) {
        best = candidates[k];
        best_error = error;
      }
    }
    return {points[best].stride_bytes, "time flat up to " +
                                           std::to_string(points[best].stride_bytes) +
                                           " B, then falls with the stride"};
  }
  return {std::nullopt, "not detected: no stride where the time starts falling with 1/stride"};
}

}  // namespace sysbench
