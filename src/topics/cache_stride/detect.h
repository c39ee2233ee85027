// Finding the cache line size in a stride curve (time per pass against stride): a pure function,
// tested on synthetic curves.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace sysbench {

struct StridePoint {
  std::uint64_t stride_bytes = 0;
  double seconds = 0;  // time of one pass
};

struct LineDetection {
  std::optional<std::uint64_t> line_bytes;  // empty: not detected
  std::string reason;                       // why (for people), both ways
};

// The line size is the stride where the time per pass stops being flat and starts to fall like
// 1/stride: while the stride is below the line, every line is still fetched and the time stays;
// past it, each doubling skips half the lines. The knee is the first stride (the third or later)
// whose point and the one before are on the plateau (>= 0.6 x the median of the points up to it),
// whose next two points fall like 1/stride (<= 0.66 and <= 0.4 of that median), with no 1/stride
// fall on the way (mean fall per doubling < 0.5; a slow first point such as an instruction-bound
// stride 1 is allowed). Strides need not be powers of two but must increase. A curve with no such
// knee gives "not detected", never a guess.
LineDetection DetectLineSize(std::vector<StridePoint> points);

// The knee of a stride curve: the largest stride up to which the time per pass stays on its
// plateau (>= 0.7 x the slowest of the first three points) before it falls for good (every later
// point below 0.7 x, the last below 0.5 x). In address order that is the unit the prefetchers
// fetch (adjacent-line pairs and the streamer's runs: 128-256 B on recent Intel cores), not the
// line; empty when the curve never falls or falls from the start. The curve starts at
// `line_bytes` (0: at its first point): below the line every line is read several times, and on
// a core whose memory keeps up those passes are bound by the loads, slower than the plateau.
LineDetection DetectStrideKnee(std::vector<StridePoint> points, std::uint64_t line_bytes = 0);

// One distance of the coherence curve: the median time of one atomic update while another core
// updates a counter `distance_bytes` away (trials: how many overlapping runs that median is of).
struct CoherencePoint {
  std::uint64_t distance_bytes = 0;
  double ns_per_update = 0;
  int trials = 0;
};

// The line size from a coherence curve whose last point is the far reference (a page apart).
// Each distance is compared with the reference (ratio); the line is the first distance whose
// ratio falls below the geometric midpoint between the smallest distance's ratio and 1, with
// every distance before it above and every one after below. Not detected (with the reason) when
// the smallest distance shows no contention (ratio < 2: SMT siblings, or the two threads never
// ran at once), when a point has fewer than 3 trials, or when the curve crosses twice.
LineDetection DetectCoherenceLine(std::vector<CoherencePoint> points);

}  // namespace sysbench
