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

}  // namespace sysbench
