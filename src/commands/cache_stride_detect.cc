#include "commands/cache_stride_detect.h"

#include <algorithm>
#include <cmath>

namespace sysbench {
namespace {

constexpr double kKneeFall = 0.6;      // log2 of the time ratio per stride doubling (ratio 0.66)
constexpr double kConfirmFall = 1.3;   // two steps after the knee together (ratio 0.41)
constexpr double kPlateauFall = 0.35;  // mean fall per doubling before the knee at most

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
  for (std::size_t i = 0; i + 1 < fall.size(); ++i) {
    if (fall[i] < kKneeFall) continue;
    if (i == 0) {
      // The curve falls from the first stride on unless the next step is flat again (a spike).
      if (fall[1] >= kKneeFall / 2) {
        return {std::nullopt,
                "not detected: the time falls from the smallest stride on (no plateau)"};
      }
      continue;
    }
    if (fall[i] + fall[i + 1] < kConfirmFall) continue;  // a lone drop: noise, not a knee
    double before = 0;
    for (std::size_t j = 0; j < i; ++j) before += fall[j];
    before /= static_cast<double>(i);
    if (before > kPlateauFall) {
      return {std::nullopt, "not detected: the time already falls before the steepest step"};
    }
    return {points[i].stride_bytes, "time flat up to " + std::to_string(points[i].stride_bytes) +
                                        " B, then falls with the stride"};
  }
  return {std::nullopt, "not detected: no stride where the time starts falling with 1/stride"};
}

}  // namespace sysbench
