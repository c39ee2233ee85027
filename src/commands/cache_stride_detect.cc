#include "commands/cache_stride_detect.h"

#include <algorithm>
#include <cmath>

namespace sysbench {
namespace {

constexpr double kKneeFall = 0.6;     // log2 of the time ratio per stride doubling (ratio 0.66)
constexpr double kConfirmFall = 1.3;  // two steps after the knee together (ratio 0.41)
constexpr double kPlateauFall = 0.5;  // the step before the knee falls less than this

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
  // The knee: a steep step, right after a flat one, confirmed by the step after it.
  for (std::size_t i = 1; i + 1 < fall.size(); ++i) {
    if (fall[i] < kKneeFall || fall[i - 1] >= kPlateauFall) continue;
    if (fall[i] + fall[i + 1] < kConfirmFall) continue;  // a lone drop: noise, not a knee
    return {points[i].stride_bytes, "time flat up to " + std::to_string(points[i].stride_bytes) +
                                        " B, then falls with the stride"};
  }
  return {std::nullopt, "not detected: no stride where the time starts falling with 1/stride"};
}

}  // namespace sysbench
