#include "topics/latency/levels.h"

#include <algorithm>
#include <cmath>
#include <string>

namespace sysbench {
namespace {

double MedianOf(std::vector<double> values) {
  if (values.empty()) return 0;
  std::sort(values.begin(), values.end());
  const std::size_t mid = values.size() / 2;
  return values.size() % 2 == 1 ? values[mid] : 0.5 * (values[mid - 1] + values[mid]);
}

// Median of each point with its neighbours (ends as they are): one outlier cannot end or start a
// plateau.
std::vector<double> Smooth(const std::vector<LatencyPoint>& points) {
  std::vector<double> out(points.size());
  for (std::size_t i = 0; i < points.size(); ++i) {
    out[i] = i == 0 || i + 1 == points.size()
                 ? points[i].ns
                 : MedianOf({points[i - 1].ns, points[i].ns, points[i + 1].ns});
  }
  return out;
}

double PlateauNs(const std::vector<LatencyPoint>& points, std::size_t first, std::size_t last) {
  std::vector<double> values;
  for (std::size_t i = first; i <= last; ++i) values.push_back(points[i].ns);
  return MedianOf(values);
}

// The working set at which the curve crosses halfway (geometric mean) from one plateau's latency
// to the next, or twice the first, whichever is lower: where about half the loads miss the smaller
// level. Interpolated in log size and log
// latency between the two points around the crossing.
std::uint64_t CrossingSize(const std::vector<LatencyPoint>& points, const std::vector<double>& y,
                           const LatencyPlateau& from, const LatencyPlateau& to) {
  // At most twice the plateau's latency: when a level in between was not found (a noisy L3), the
  // step out of this level is still where its own misses begin.
  const double mid = std::min(std::sqrt(from.ns * to.ns), 2.0 * from.ns);
  for (std::size_t j = from.last + 1; j <= to.first; ++j) {
    if (y[j] < mid) continue;
    const double y0 = std::max(y[j - 1], 1e-300);
    const double y1 = std::max(y[j], y0 * (1 + 1e-12));
    double t = (std::log(mid) - std::log(y0)) / (std::log(y1) - std::log(y0));
    t = std::clamp(t, 0.0, 1.0);
    const double s0 = std::log(static_cast<double>(points[j - 1].size_bytes));
    const double s1 = std::log(static_cast<double>(points[j].size_bytes));
    return static_cast<std::uint64_t>(std::llround(std::exp(s0 + t * (s1 - s0))));
  }
  return points[from.last].size_bytes;
}

}  // namespace

LatencyLevels DetectLevels(const std::vector<LatencyPoint>& points, const LevelOptions& options) {
  LatencyLevels levels;
  if (points.size() < 3) {
    levels.reasons.push_back("too few working-set sizes to find levels");
    return levels;
  }
  const std::vector<double> y = Smooth(points);
  const std::size_t n = y.size();
  const double up = 1.0 + options.plateau_tolerance;
  const double flat = 1.0 + options.flat_tolerance;

  // Segment: a plateau runs while points stay within `up` of its base (the median of its first
  // three points); after it, the next plateau starts at the first point whose next two neighbours
  // are within `flat` of it.
  std::vector<LatencyPlateau> plateaus;
  std::size_t start = 0;
  while (start < n) {
    const std::size_t probe_end = std::min(n - 1, start + 2);
    std::vector<double> head(y.begin() + static_cast<std::ptrdiff_t>(start),
                             y.begin() + static_cast<std::ptrdiff_t>(probe_end) + 1);
    const double base = std::min(MedianOf(head), y[start]);
    std::size_t last = start;
    while (last + 1 < n && y[last + 1] <= base * up) ++last;
    plateaus.push_back(LatencyPlateau{start, last, 0});
    std::size_t next = last + 1;
    while (next < n) {
      const bool flat1 = next + 1 >= n || y[next + 1] <= y[next] * flat;
      const bool flat2 = next + 2 >= n || y[next + 2] <= y[next] * flat;
      if (flat1 && flat2) break;
      ++next;
    }
    start = next;
  }
  for (LatencyPlateau& p : plateaus) p.ns = PlateauNs(points, p.first, p.last);

  // Merge neighbours that differ too little to be separate levels, then the smallest steps until
  // at most max_levels remain (a TLB step inside a cache level is smaller than a cache step).
  auto merge_at = [&plateaus, &points](std::size_t i) {  // merges plateau i+1 into i
    plateaus[i].last = plateaus[i + 1].last;
    plateaus[i].ns = PlateauNs(points, plateaus[i].first, plateaus[i].last);
    plateaus.erase(plateaus.begin() + static_cast<std::ptrdiff_t>(i) + 1);
  };
  auto smallest_step = [&plateaus]() {
    std::size_t best = 0;
    double best_ratio = INFINITY;
    for (std::size_t i = 0; i + 1 < plateaus.size(); ++i) {
      const double ratio = plateaus[i + 1].ns / plateaus[i].ns;
      if (ratio < best_ratio) {
        best_ratio = ratio;
        best = i;
      }
    }
    return std::make_pair(best, best_ratio);
  };
  while (plateaus.size() > 1) {
    const auto [i, ratio] = smallest_step();
    if (ratio >= options.min_step &&
        plateaus.size() <= static_cast<std::size_t>(std::max(options.max_levels, 1))) {
      break;
    }
    merge_at(i);
  }
  levels.plateaus = plateaus;

  // Which plateaus are caches and which is DRAM.
  std::size_t caches = plateaus.size();
  std::size_t first_dram = 1;
  while (first_dram < plateaus.size() && plateaus[first_dram].ns < options.min_dram_ns) {
    ++first_dram;
  }
  if (first_dram < plateaus.size()) {
    caches = first_dram;
    levels.dram_ns = plateaus[first_dram].ns;
    if (caches < 3) {
      levels.reasons.push_back("only " + std::to_string(caches) +
                               " cache level(s) before main memory: a short plateau (a VM's "
                               "small share of the L3) does not count as a level");
    }
  } else if (plateaus.size() >= 2) {
    const LatencyPlateau& tail = plateaus.back();
    const bool beyond_llc = options.llc_bytes > 0
                                ? points[tail.first].size_bytes > options.llc_bytes
                                : plateaus.size() >= 3;
    if (beyond_llc) {
      caches = plateaus.size() - 1;
      levels.dram_ns = tail.ns;
    } else {
      levels.reasons.push_back(options.llc_bytes > 0
                                   ? "the largest working set did not reach past the last-level "
                                     "cache's plateau"
                                   : "the last-level cache size is unknown and fewer than three "
                                     "levels were found, so the last one may not be DRAM");
    }
  } else {
    levels.reasons.push_back("the curve has one flat level only");
  }
  for (std::size_t i = 0; i < caches; ++i) {
    levels.cache_ns.push_back(plateaus[i].ns);
    // A level's size is known only where the curve leaves it within the sweep.
    if (i + 1 < plateaus.size()) {
      levels.cache_bytes.push_back(CrossingSize(points, y, plateaus[i], plateaus[i + 1]));
    }
  }
  return levels;
}

}  // namespace sysbench
