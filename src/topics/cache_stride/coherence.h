// The cache line measured by coherence: two threads on two cores atomically update counters d
// bytes apart. While both counters lie in one line, every update has to take the line from the
// other core; from d = the line size on, each core keeps its own line. Prefetchers cannot blur
// this: they fetch lines, but ownership for a write is per line.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "topics/cache_stride/detect.h"

namespace sysbench {

struct CoherenceOptions {
  std::vector<int> cpus;      // the CPUs allowed (two on different cores are chosen)
  double budget_seconds = 0;  // the whole curve stops after this long, done or not
  int target_trials = 0;      // overlapping trials per distance wanted
};

struct CoherenceCurve {
  std::vector<CoherencePoint> points;  // the distances 4..256 B, then the far reference
  int cpu_a = -1, cpu_b = -1;          // the two CPUs used
  int trials_discarded = 0;            // trials in which the two threads did not overlap
  double seconds = 0;                  // how long it took
  std::string skipped;                 // why nothing was measured (one CPU only), else empty
};

// Distances (bytes) between the two counters, and the reference a page apart.
const std::vector<std::uint64_t>& CoherenceDistances();
inline constexpr std::uint64_t kCoherenceReferenceBytes = 4096;

CoherenceCurve MeasureCoherence(const CoherenceOptions& options);

}  // namespace sysbench
