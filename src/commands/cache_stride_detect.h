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
// past it, each doubling skips half the lines. Looks for the first step whose fall per doubling is
// steep (time ratio <= 0.66), confirmed by the next step (two steps together >= 2.5x), right
// after a flat step (ratio > 0.71). A slow first point (an instruction-bound stride 1) is allowed.
// Points need not be powers of two but must have increasing strides. Noisy curves pass; a curve
// with no such knee gives "not detected".
LineDetection DetectLineSize(std::vector<StridePoint> points);

}  // namespace sysbench
