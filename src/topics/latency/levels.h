// Finding the cache levels in a latency-versus-working-set curve (a pure function, unit-tested on
// synthetic and noisy curves).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sysbench {

struct LatencyPoint {
  std::uint64_t size_bytes = 0;
  double ns = 0;
};

// One flat stretch of the curve: a level of the hierarchy.
struct LatencyPlateau {
  std::size_t first = 0;  // index of its first and last points
  std::size_t last = 0;
  double ns = 0;  // median latency over its points
};

struct LatencyLevels {
  std::vector<LatencyPlateau> plateaus;  // in order of size
  // Cache levels: the working set at which the curve crosses halfway (geometric mean) from each
  // cache plateau's latency to the next level's (at most twice its own): where about half the
  // loads miss that cache.
  std::vector<std::uint64_t> cache_bytes;  // L1, L2, L3 ... as detected
  std::vector<double> cache_ns;
  std::optional<double> dram_ns;     // the last plateau, when it lies beyond the last cache
  std::vector<std::string> reasons;  // why something was not detected, for a note
};

struct LevelOptions {
  double plateau_tolerance = 0.15;  // a point belongs to a plateau within +15% of its base
  double flat_tolerance = 0.08;     // a new plateau starts where neighbours differ by < 8%
  double min_step = 1.25;           // levels differ by at least this factor in latency
  int max_levels = 4;               // L1, L2, L3 and DRAM
  // Looked-up last-level cache size (0: unknown). The last plateau counts as DRAM when it starts
  // beyond it; when unknown, when there are at least three plateaus.
  std::uint64_t llc_bytes = 0;
  // No cache is this slow (server L3s load in 20-50 ns, DRAM takes 70 ns and more): the first
  // plateau at or above it is main memory, whatever the looked-up LLC says, and plateaus after it
  // are main memory plus TLB misses.
  double min_dram_ns = 60.0;
};

// `points` sorted by size, sizes increasing.
LatencyLevels DetectLevels(const std::vector<LatencyPoint>& points, const LevelOptions& options);

}  // namespace sysbench
