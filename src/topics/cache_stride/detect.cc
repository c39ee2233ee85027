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

constexpr double kKneeOnPlateau = 0.7;  // a knee point is at least this share of the plateau
constexpr double kKneeFallen = 0.5;     // the last point is below this share once it has fallen

constexpr double kMinContention = 2.0;  // the smallest distance at least this much slower
constexpr int kMinTrials = 3;           // overlapping trials a point needs

std::string Bytes(std::uint64_t b) { return std::to_string(b) + " B"; }
// A ratio to one decimal.
std::string Ratio(double r) {
  const long tenths = std::lround(r * 10);
  return std::to_string(tenths / 10) + "." + std::to_string(tenths % 10);
}

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

LineDetection DetectStrideKnee(std::vector<StridePoint> points, std::uint64_t line_bytes) {
  std::erase_if(points, [&](const StridePoint& p) { return p.stride_bytes < line_bytes; });
  std::sort(points.begin(), points.end(), [](const StridePoint& a, const StridePoint& b) {
    return a.stride_bytes < b.stride_bytes;
  });
  if (points.size() < 5) return {std::nullopt, "not detected: needs at least 5 strides"};
  for (const StridePoint& p : points) {
    if (!(p.seconds > 0)) return {std::nullopt, "not detected: times must be positive"};
  }
  // The plateau is the slowest of the first three points: from the line up the prefetchers may
  // already shorten the third.
  const double plateau = std::max({points[0].seconds, points[1].seconds, points[2].seconds});
  if (points.back().seconds >= kKneeFallen * plateau) {
    return {std::nullopt, "not detected: the time never falls to half of its plateau"};
  }
  // The last point still on the plateau after which every point is below it.
  std::size_t knee = points.size();
  for (std::size_t i = points.size() - 1; i-- > 0;) {
    if (points[i].seconds >= kKneeOnPlateau * plateau) {
      knee = i;
      break;
    }
  }
  if (knee == points.size() || knee < 1) {
    return {std::nullopt, "not detected: the time falls from the first strides on"};
  }
  return {points[knee].stride_bytes,
          "time flat up to " + Bytes(points[knee].stride_bytes) + ", then falls"};
}

LineDetection DetectCoherenceLine(std::vector<CoherencePoint> points) {
  std::sort(points.begin(), points.end(), [](const CoherencePoint& a, const CoherencePoint& b) {
    return a.distance_bytes < b.distance_bytes;
  });
  if (points.size() < 3) return {std::nullopt, "not detected: needs at least 3 distances"};
  for (const CoherencePoint& p : points) {
    if (p.trials < kMinTrials || !(p.ns_per_update > 0)) {
      return {std::nullopt, "not detected: only " + std::to_string(p.trials) + " trial(s) at " +
                                Bytes(p.distance_bytes) +
                                " where both threads ran at once (a loaded machine?)"};
    }
  }
  const double reference = points.back().ns_per_update;
  const double contention = points.front().ns_per_update / reference;
  if (contention < kMinContention) {
    return {std::nullopt,
            "not detected: counters " + Bytes(points.front().distance_bytes) + " apart are only " +
                Ratio(contention) +
                "x slower than a page apart (the two CPUs may share one core's cache)"};
  }
  const double midpoint = std::sqrt(contention);
  std::optional<std::size_t> line;
  for (std::size_t i = 1; i + 1 < points.size(); ++i) {
    const bool shared = points[i].ns_per_update / reference >= midpoint;
    if (!line && !shared) line = i;
    if (line && shared) {
      return {std::nullopt, "not detected: contention stops at " +
                                Bytes(points[*line].distance_bytes) + " and returns at " +
                                Bytes(points[i].distance_bytes) + " (noise)"};
    }
  }
  if (!line) {
    return {std::nullopt, "not detected: counters still contend " +
                              Bytes(points[points.size() - 2].distance_bytes) + " apart"};
  }
  const CoherencePoint& below = points[*line - 1];
  return {points[*line].distance_bytes, "updates " + Ratio(below.ns_per_update / reference) +
                                            "x slower up to " + Bytes(below.distance_bytes) +
                                            " apart, " +
                                            Ratio(points[*line].ns_per_update / reference) +
                                            "x from " + Bytes(points[*line].distance_bytes)};
}

}  // namespace sysbench
